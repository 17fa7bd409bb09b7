"""Demo data: synthetic member companies so a new Gapura shows its dashboards working, loaded on a database without
real members' assessments and removed in one action. Admins only (and the command line); both are audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scoring.demo import ASSOCIATION_NAME, generate
from scoring.issues import Issue
from scoring.model import Standard
from services.assessing import Refused
from services.audit import Audit
from services.policy import Actor, Denied, ensure, guarded
from store import demo as demo_store
from store.db import utcnow
from store.demo import DemoCounts
from store.repository import Store

MAX_ORGANIZATIONS = 20_000


@dataclass(frozen=True)
class DemoStatus:
    counts: DemoCounts
    organization_ids: frozenset[int]  # the synthetic organizations, to mark them in lists
    member_companies: int  # real companies with an assessment: loading is refused while there are any
    member_assessments: int

    @property
    def loadable(self) -> bool:
        return self.counts.empty and not self.member_assessments


@dataclass(frozen=True)
class Removed:
    counts: DemoCounts  # what is no longer demo data
    kept: int  # synthetic organizations people had worked in: kept with that work, no longer flagged


class Demo:
    def __init__(self, store: Store, offered: Callable[[], list[Standard]], remember: Callable[[Standard], None],
                 audit: Audit) -> None:  # fmt: skip
        self.store = store
        self.offered = offered  # the standards a new assessment may start with, companies' and the association's
        self.remember = remember  # demo assessments keep their standard's copy like any other
        self.audit = audit

    @guarded("demo_data", "read")
    def status(self, actor: Actor) -> DemoStatus:
        ensure(actor, "read", "demo_data")
        companies, assessments = demo_store.member_data(self.store)
        ids = frozenset(demo_store.synthetic_ids(self.store))
        return DemoStatus(demo_store.counts(self.store), ids, companies, assessments)

    @guarded("demo_data", "write")
    def load(self, actor: Actor, organizations: int = 200, seed: int = 1, force: bool = False) -> DemoCounts:
        """Generate `organizations` synthetic companies (deterministic for `seed`) and store them; Refused (coded)
        when demo data is loaded already, or when real members have assessments unless `force` (the command line
        only: a staging copy). The counts written."""
        ensure(actor, "write", "demo_data")
        if force and not actor.system:
            raise Denied(actor, "write", "demo_data")
        if not 1 <= organizations <= MAX_ORGANIZATIONS:
            raise Refused(
                [Issue("", "organizations", "demo.count", {"max": MAX_ORGANIZATIONS, "value": organizations})]
            )
        present = demo_store.counts(self.store)
        if not present.empty:
            raise Refused([Issue("", "", "demo.already-loaded", {"organizations": present.organizations})])
        companies, assessments = demo_store.member_data(self.store)
        if assessments and not force:
            raise Refused([Issue("", "", "demo.member-data", {"companies": companies, "assessments": assessments})])
        standards = self.offered()
        if not any(s.subject == "organization" for s in standards):
            raise Refused([Issue("", "", "demo.no-standard")])
        demo = generate(standards, organizations, seed, now=utcnow())
        # The association's own answers are never mixed with demo ones: with an association organization already
        # there, the demo has no association assessment.
        has_association = bool(self.store.organizations(kind="association"))
        used = {(a.standard_id, a.standard_version) for o in demo.organizations for a in o.assessments}
        if demo.association is not None and not has_association:
            used.add((demo.association.standard_id, demo.association.standard_version))
        for standard in standards:
            if standard.key in used:
                self.remember(standard)
        written = demo_store.load(self.store, demo, None if has_association else ASSOCIATION_NAME)
        detail = {"seed": seed, **_detail(written)} | ({"force": True} if force else {})
        self.audit.record(actor.label, "demo.load", "", detail)
        return written

    @guarded("demo_data", "write")
    def remove(self, actor: Actor) -> Removed:
        """Delete every synthetic organization with its assessments and answers, in one transaction; an
        organization people worked in since keeps that work (store/demo.py)."""
        ensure(actor, "write", "demo_data")
        counts, kept = demo_store.remove(self.store)
        self.audit.record(actor.label, "demo.remove", "", _detail(counts) | {"kept": kept})
        return Removed(counts, kept)


def _detail(counts: DemoCounts) -> dict[str, int]:
    """What the audit log keeps: counts only, no names."""
    return {"organizations": counts.organizations, "associations": counts.associations,
            "assessments": counts.assessments, "answers": counts.answers}  # fmt: skip
