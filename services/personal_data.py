"""Personal data (UU 27/2022 PDP): an organization downloads everything stored about it (a ZIP: the data as JSON and
its evidence files as they were uploaded); an admin erases an organization completely after a confirmation that
names it. Both are audited."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from typing import Any

from services.audit import Audit
from services.policy import Actor, Target, ensure, guarded
from services.targets import organization_target
from store.evidence import EvidenceFiles
from store.interventions import Interventions
from store.plans import PlanRecords
from store.repository import Store, name_key
from store.verifications import Checked, Verification, VerificationRecords

DATA_FILE = "organization.json"


class PersonalData:
    def __init__(self, store: Store, audit: Audit) -> None:
        self.store = store
        self.audit = audit
        self.evidence = EvidenceFiles(store)

    def _target(self, organization_id: int) -> Target:
        return organization_target(self.store, organization_id)

    @guarded("personal_data", "read")
    def export(self, actor: Actor, organization_id: int) -> bytes:
        """A ZIP: organization.json (the profile, every assessment with its answers, its full change log and its
        verification as the company sees it, the action plan's items, the support it took part in, every evidence
        file's details) and each evidence file under evidence/, as uploaded."""
        ensure(actor, "read", "personal_data", self._target(organization_id))
        workspace = self.store.workspace(organization_id)
        histories = workspace.histories()
        verifications = VerificationRecords(self.store).of_organization(organization_id)
        assessments = []
        for stored in self.store.load_many(workspace.assessments()):
            summary = stored.summary
            assessments.append({
                "standard": {"id": summary.standard_id, "version": summary.standard_version},
                "round": summary.round, "status": summary.status,
                "created_at": summary.created_at.isoformat(), "updated_at": summary.updated_at.isoformat(),
                "answers": {cid: a.model_dump(mode="json") | {"origin": a.origin} for cid, a in stored.answers.items()},
                "changes": [e | {"at": e["at"].isoformat()} for e in histories.get(summary.id, [])],
                "verification": _verification(*verifications[summary.id]) if summary.id in verifications else None,
            })  # fmt: skip
        document = {
            "format": "gapura.organization-data/1",
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "organization": self.store.profile(organization_id),
            "assessments": assessments,
            "action_plan": PlanRecords(self.store).everything(organization_id),
            "support_received": Interventions(self.store).everything(organization_id),
            "evidence_files": [],
        }
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for filed in self.evidence.listed(organization_id):
                doc = filed.document
                path = f"evidence/{doc.id}-{doc.name}"  # the id keeps two files of the same name apart
                content = self.evidence.content(organization_id, doc.id)
                archive.writestr(path, content.data, compress_type=zipfile.ZIP_STORED)  # PDF, JPEG, PNG: compressed
                document["evidence_files"].append({
                    "file": path, "name": doc.name, "media_type": doc.media_type, "size": doc.size,
                    "standard": filed.standard_id, "round": filed.round, "criterion": doc.criterion_id,
                    "expires_on": doc.expires_on.isoformat() if doc.expires_on else None,
                    "uploaded_at": doc.uploaded_at.isoformat(),
                })  # fmt: skip
            archive.writestr(DATA_FILE, json.dumps(document, ensure_ascii=False, indent=2))
        self.audit.record(actor.label, "personal-data.export", f"organization:{organization_id}")
        return out.getvalue()

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


def _verification(verification: Verification, checked: dict[str, Checked]) -> dict[str, Any] | None:
    """A verification as the company sees it: nothing before the comments are sent (a verifier's draft)."""
    if verification.status == "open":
        return None
    return {
        "status": verification.status, "sample": verification.sample,
        "reply_due": verification.reply_due.isoformat() if verification.reply_due else None,
        "verified_at": verification.verified_at.isoformat() if verification.verified_at else None,
        "criteria": {cid: {"level": c.level, "comment": c.comment, "reply": c.reply} for cid, c in checked.items()},
    }  # fmt: skip
