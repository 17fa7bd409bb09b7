"""Personal data (UU 27/2022 PDP): an organization downloads everything stored about it; an admin erases an
organization completely after a confirmation that names it. Both are audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from services.audit import Audit
from services.policy import Actor, Target, ensure, guarded
from services.targets import organization_target
from store.plans import PlanRecords
from store.repository import Store, name_key


class PersonalData:
    def __init__(self, store: Store, audit: Audit) -> None:
        self.store = store
        self.audit = audit

    def _target(self, organization_id: int) -> Target:
        return organization_target(self.store, organization_id)

    @guarded("personal_data", "read")
    def export(self, actor: Actor, organization_id: int) -> bytes:
        """One JSON document: the profile, every assessment with its answers and its full change log, the action
        plan's items."""
        ensure(actor, "read", "personal_data", self._target(organization_id))
        workspace = self.store.workspace(organization_id)
        histories = workspace.histories()
        assessments = []
        for stored in self.store.load_many(workspace.assessments()):
            summary = stored.summary
            assessments.append({
                "standard": {"id": summary.standard_id, "version": summary.standard_version},
                "round": summary.round, "status": summary.status,
                "created_at": summary.created_at.isoformat(), "updated_at": summary.updated_at.isoformat(),
                "answers": {cid: a.model_dump(mode="json") | {"origin": a.origin} for cid, a in stored.answers.items()},
                "changes": [e | {"at": e["at"].isoformat()} for e in histories.get(summary.id, [])],
            })  # fmt: skip
        document = {
            "format": "gapura.organization-data/1",
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "organization": self.store.profile(organization_id),
            "assessments": assessments,
            "action_plan": PlanRecords(self.store).everything(organization_id),
        }
        self.audit.record(actor.label, "personal-data.export", f"organization:{organization_id}")
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")

    @guarded("personal_data", "write")
    def erase(self, actor: Actor, organization_id: int, confirmation: str) -> bool:
        """Erase the organization if `confirmation` is its name (case and spacing aside); False otherwise."""
        ensure(actor, "write", "personal_data", self._target(organization_id))
        name = self.store.profile(organization_id)["name"]
        if name_key(confirmation) != name_key(name):
            return False
        self.store.erase_organization(organization_id)
        self.audit.record(actor.label, "organization.erase", f"organization:{organization_id}")  # no name: erased
        return True
