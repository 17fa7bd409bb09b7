"""Support given to members (interventions): record it, who took part (by hand or from an attendance list), and the
descriptive change between two campaign rounds for members with and without a kind of support. Officers only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from scoring.issues import Issue
from scoring.library import Library
from scoring.model import MAX_NOTE, Organization, plain_text
from scoring.support import KINDS, Comparison, compare_rounds, length, parse_attendance
from services.assessing import Refused
from services.audit import Audit
from services.panels import Panels
from services.policy import Actor, ensure, guarded
from store.interventions import Interventions, Listed
from store.repository import Store, name_key

__all__ = ["Listed", "Support"]
MAX_TITLE = 200  # the columns' width
MAX_FUNDER = 200


class Support:
    def __init__(
        self, store: Store, panels: Panels, library: Callable[[], Library], threshold: Callable[[], int], audit: Audit
    ) -> None:
        self.store, self.records, self.panels, self.library = store, Interventions(store), panels, library
        self.threshold, self.audit = threshold, audit

    @guarded("support", "read")
    def interventions(self, actor: Actor) -> list[Listed]:
        """Every intervention, latest first, with its participant count."""
        ensure(actor, "read", "support")
        return self.records.listed()

    @guarded("support", "read")
    def members(self, actor: Actor) -> list[tuple[int, str]]:
        """(id, name) of the member companies that can take part, by name."""
        ensure(actor, "read", "support")
        return [(i, name) for i, name, _ in self.store.organizations(kind="company")]

    @guarded("support", "write")
    def record(
        self, actor: Actor, kind: str, title: str, started_on: date, ended_on: date, capabilities: Iterable[str],
        funder: str = "", note: str = "", organization_ids: Iterable[int] = (),
    ) -> int:  # fmt: skip
        """Record an intervention with the members that took part (all of it); Refused, nothing stored, when a field
        is wrong, a capability is not in the crosswalk or an organization is not a member. Its id."""
        ensure(actor, "write", "support")
        fields = self._checked(kind, title, started_on, ended_on, capabilities, funder, note)
        organizations = self._members(organization_ids)
        intervention = self.records.add(fields, [(o, None) for o in organizations], actor.label)
        self.audit.record(actor.label, "support.recorded", f"intervention:{intervention}",
                          {"kind": kind, "participants": len(organizations)})  # fmt: skip
        return intervention

    @guarded("support", "read")
    def participants(self, actor: Actor, intervention_id: int) -> list[tuple[int, str, int | None]]:
        """(organization id, name, days) of the members that took part, by name; days None: all of it."""
        ensure(actor, "read", "support")
        return self.records.participants(intervention_id)

    @guarded("support", "write")
    def add_participants(self, actor: Actor, intervention_id: int, organization_ids: Iterable[int]) -> int:
        """Add members that took part in all of it (Refused, none added, when one is not a member); how many."""
        ensure(actor, "write", "support")
        organizations = self._members(organization_ids)
        added = self.records.put_participants(intervention_id, [(o, None) for o in organizations], actor.label)
        self.audit.record(actor.label, "support.participants", f"intervention:{intervention_id}", {"added": added})
        return added

    @guarded("support", "write")
    def remove_participant(self, actor: Actor, intervention_id: int, organization_id: int) -> bool:
        """Take a member off the intervention; whether it was on it."""
        ensure(actor, "write", "support")
        removed = self.records.remove_participant(intervention_id, organization_id)
        if removed:
            self.audit.record(actor.label, "support.participant-removed", f"intervention:{intervention_id}",
                              {"organization": organization_id})  # fmt: skip
        return removed

    @guarded("support", "write")
    def import_attendance(self, actor: Actor, intervention_id: int, data: bytes) -> int:
        """Take an attendance list (CSV: organization, optional days) into the intervention, all or nothing:
        Refused with every bad row's line and reason, nothing stored. How many members it lists."""
        ensure(actor, "write", "support")
        intervention = self.records.get(intervention_id)
        members = {name_key(name): i for i, name in self.members(actor)}
        found, issues = parse_attendance(data, members, name_key,
                                         length(intervention.started_on, intervention.ended_on))  # fmt: skip
        if issues:
            raise Refused(issues)
        added = self.records.put_participants(intervention_id, [(a.organization_id, a.days) for a in found],
                                              actor.label)  # fmt: skip
        self.audit.record(actor.label, "support.attendance", f"intervention:{intervention_id}", {"rows": added})
        return added

    @guarded("support", "read")
    def given(self, actor: Actor) -> list[tuple[str, int, int, int]]:
        """Per kind of support, in KINDS order: (kind, interventions, members reached, days attended in all); a
        participant with no days of its own attended the whole intervention."""
        ensure(actor, "read", "support")
        listed, taken = self.records.listed(), self.records.participation()
        out = []
        for kind in KINDS:
            mine = taken[taken["kind"] == kind]
            days = sum(d if d is not None else length(a, b)
                       for d, a, b in zip(mine["days"], mine["started_on"], mine["ended_on"], strict=True))  # fmt: skip
            count = sum(i.kind == kind for i in listed)
            if count:
                out.append((kind, count, int(mine["organization_id"].nunique()), int(days)))
        return out

    @guarded("support", "read")
    def rounds(self, actor: Actor, standard_id: str, version: str) -> list[str]:
        """The campaign rounds of a standard version, by deadline."""
        ensure(actor, "read", "support")
        return self.records.round_names(standard_id, version)

    @guarded("support", "read")
    def effect(
        self, actor: Actor, standard_id: str, version: str, from_round: str, to_round: str, kind: str
    ) -> Comparison:
        """With and without a kind of support between two campaign rounds, descriptive: members complete in both,
        their change overall and on the capabilities that support addressed, each group's figure under the privacy
        threshold suppressed."""
        ensure(actor, "read", "support")
        if kind not in KINDS:
            raise Refused([Issue("", "kind", "support.unknown-kind", {"value": str(kind)[:40]})])
        panel = self.panels.require(standard_id, version)
        campaign = self.records.campaign_rounds(standard_id, version)[["assessment", "round"]]
        rounds = panel.frame[["assessment", "organization_id", "coverage", "overall", "submitted_at"]].merge(
            campaign, on="assessment", how="left"
        )
        rounds = rounds.rename(columns={"submitted_at": "submitted"})
        return compare_rounds(panel.standard, panel.scores, rounds, self.records.participation(), from_round,
                              to_round, kind, self.threshold())  # fmt: skip

    def _checked(self, kind: str, title: str, started_on: date, ended_on: date, capabilities: Iterable[str],
                 funder: str, note: str) -> dict:  # fmt: skip
        """The fields as stored, cleaned; Refused with every problem found."""
        issues = []
        title, funder = Organization.clean(str(title or "")), Organization.clean(str(funder or ""))
        note, capabilities = plain_text(str(note or "")).strip(), list(dict.fromkeys(capabilities))
        if kind not in KINDS:
            issues.append(Issue("", "kind", "support.unknown-kind", {"value": str(kind)[:40]}))
        if not 1 <= len(title) <= MAX_TITLE:
            issues.append(Issue("", "title", "support.title", {"max": MAX_TITLE}))
        if len(funder) > MAX_FUNDER:
            issues.append(Issue("", "funder", "support.funder-too-long", {"max": MAX_FUNDER}))
        if len(note) > MAX_NOTE:
            issues.append(Issue("", "note", "support.note-too-long", {"max": MAX_NOTE}))
        if not isinstance(started_on, date) or not isinstance(ended_on, date) or ended_on < started_on:
            issues.append(Issue("", "ended_on", "support.dates"))
        known = self.library().capabilities
        issues += [Issue("", "capabilities", "support.unknown-capability", {"value": str(c)[:60]})
                   for c in capabilities if c not in known]  # fmt: skip
        if issues:
            raise Refused(issues)
        return {"kind": kind, "title": title, "started_on": started_on, "ended_on": ended_on,
                "capabilities": capabilities, "funder": funder, "note": note}  # fmt: skip

    def _members(self, organization_ids: Iterable[int]) -> list[int]:
        wanted = list(dict.fromkeys(int(i) for i in organization_ids))
        companies = {i for i, _, _ in self.store.organizations(wanted, kind="company")} if wanted else set()
        unknown = [i for i in wanted if i not in companies]
        if unknown:
            raise Refused([Issue("", "organizations", "support.unknown-member", {"value": i}) for i in unknown])
        return wanted
