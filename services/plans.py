"""The action plan as a working tool: what a company tracks on each step (owner, due date, status, note), carried
from round to round, and the steps that closed by themselves because their criterion reached its target."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from scoring.assessment import counted_levels
from scoring.engine import score_one
from scoring.issues import Issue
from scoring.model import MAX_NOTE, Organization, Standard, plain_text
from scoring.plan import STATUSES, Tracking
from services.assessing import OpenAssessment, Refused
from services.audit import Audit
from services.policy import Actor, ensure, guarded
from services.targets import organization_target
from store.plans import FIELDS, PlanRecords
from store.repository import Store

MAX_OWNER = 200  # the column's width


class Plans:
    def __init__(self, store: Store, standard: Callable[[str, str | None], Standard | None], audit: Audit) -> None:
        self.store, self.records, self.standard, self.audit = store, PlanRecords(store), standard, audit

    @guarded("plan", "read")
    def tracking(self, actor: Actor, work: OpenAssessment) -> dict[str, Tracking]:
        """What the company tracks on its plan for the open assessment's standard, by criterion, closed items
        included. Closing is recorded here and only here: an item closes itself in the latest round whose
        answers meet its criterion's target, and opens again if a later answer falls below it."""
        ensure(actor, "read", "plan", organization_target(self.store, work.organization_id))
        items = self.records.items(work.organization_id, work.standard_id)
        if items and self._settle(work.organization_id, work.standard_id, items):
            items = self.records.items(work.organization_id, work.standard_id)
        return items

    def _settle(self, organization_id: int, standard_id: str, items: dict[str, Tracking]) -> bool:
        """Closes and reopens items from the latest round's stored answers (N/A and unconfirmed ones decide
        nothing: a proposal carried into a new round leaves a closed item closed); whether anything changed. Writes
        only when something does, so reading a plan takes no write lock."""
        workspace = self.store.workspace(organization_id)
        rounds = [s for s in workspace.assessments() if s.standard_id == standard_id]
        latest = max(rounds, key=lambda summary: summary.round, default=None)
        standard = latest and self.standard(standard_id, latest.standard_version)
        if latest is None or standard is None:
            return False
        criteria = score_one(standard, counted_levels(workspace.load(latest.id).answers)).criteria
        known = criteria.dropna(subset=["met"])
        met = set(known.loc[known["met"].astype(bool), "criterion"])
        unmet = set(known.loc[~known["met"].astype(bool), "criterion"])
        close = [cid for cid, item in items.items() if cid in met and item.closed_round is None]
        reopen = [cid for cid, item in items.items()
                  if cid in unmet and item.closed_round is not None and item.closed_round <= latest.round]  # fmt: skip
        if close or reopen:
            self.records.settle(organization_id, standard_id, latest.round, close, reopen)
        return bool(close or reopen)

    @guarded("plan", "write")
    def track(self, actor: Actor, work: OpenAssessment, criterion_id: str, **fields: Any) -> Tracking:
        """Write only the fields given (owner, due, status, note) of one step, checked and cleaned first (Refused
        and nothing written otherwise), and audit it; the step as stored now."""
        ensure(actor, "write", "plan", organization_target(self.store, work.organization_id))
        standard = work.standard or self.standard(work.standard_id, work.standard_version)
        if standard is None or standard.criterion(criterion_id) is None:
            params = {"criterion": criterion_id, "standard": work.standard_id, "version": work.standard_version}
            raise Refused([Issue("", "criterion", "assessment.unknown-criterion", params)])
        cleaned = checked(fields)
        self.records.set(work.organization_id, work.standard_id, criterion_id, cleaned, by=actor.label)
        self.audit.record(actor.label, "plan.changed", f"organization:{work.organization_id}",
                          {"standard": work.standard_id, "criterion": criterion_id, "fields": sorted(cleaned)})  # fmt: skip
        return self.records.items(work.organization_id, work.standard_id)[criterion_id]


def checked(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored: an owner on one line, a note as an answer's note keeps it (no control characters),
    a status of STATUSES, a due date or none. Refused with every problem found; a field not of the plan is a bug."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a plan field: {sorted(unknown)}")
    out, issues = {}, []
    if "owner" in fields:
        out["owner"] = Organization.clean(str(fields["owner"] or ""))
        if len(out["owner"]) > MAX_OWNER:
            issues.append(Issue("", "owner", "plan.too-long", {"field": "owner", "max": MAX_OWNER}))
    if "note" in fields:
        out["note"] = plain_text(str(fields["note"] or "")).strip()
        if len(out["note"]) > MAX_NOTE:
            issues.append(Issue("", "note", "plan.too-long", {"field": "note", "max": MAX_NOTE}))
    if "status" in fields:
        out["status"] = fields["status"]
        if fields["status"] not in STATUSES:
            issues.append(Issue("", "status", "plan.status", {"value": str(fields["status"])[:40]}))
    if "due" in fields:
        due = fields["due"]
        out["due"] = due.date() if isinstance(due, datetime) else due
        if due is not None and not isinstance(due, date):
            issues.append(Issue("", "due", "plan.due", {"value": str(due)[:40]}))
    if issues:
        raise Refused(issues)
    return out
