"""Demo data in the database: a generated set (scoring/demo.py) written with bulk inserts, a few statements per
table, into organizations flagged synthetic; counted; and removed in one transaction.

The association's demo assessment belongs to a synthetic association organization, made only when the association
has no organization yet, so demo answers never mix into the association's own. Removing deletes every synthetic
organization with all of it (cascades), except work people did in one since: an organization with members or with
a change-log entry (the demo writes none; every answer given in the app or imported writes one) keeps the
assessments that have such entries and stops being flagged demo; only its untouched demo assessments go.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, true, update

from scoring.demo import DemoAssessment, DemoSet
from scoring.model import Answer
from store import schema
from store.repository import Store, name_key, panel_changed

ORG, A, ANS, CHANGE = schema.Organization, schema.Assessment, schema.Answer, schema.AnswerChange


@dataclass(frozen=True)
class DemoCounts:
    organizations: int  # synthetic companies
    associations: int  # a synthetic association organization (0 or 1)
    assessments: int
    answers: int

    @property
    def empty(self) -> bool:
        return not (self.organizations or self.associations)


def _ids(connection: Connection, table, rows: list[dict]) -> list[int]:
    """Insert `rows` and return their new ids in the same order (the database's sequences stay right)."""
    if not rows:
        return []
    statement = insert(table).returning(table.id, sort_by_parameter_order=True)
    return list(connection.scalars(statement, rows))


def _answer_row(assessment_id: int, criterion_id: str, answer: Answer, at) -> dict:
    return {
        "assessment_id": assessment_id, "criterion_id": criterion_id, "level": None if answer.is_na else answer.level,
        "na": answer.is_na, "justification": answer.justification, "note": answer.note,
        "evidence": list(answer.evidence), "given": answer.given, "origin": None, "updated_at": at,
    }  # fmt: skip


def _assessment_row(organization_id: int, a: DemoAssessment) -> dict:
    return {
        "organization_id": organization_id, "standard_id": a.standard_id, "standard_version": a.standard_version,
        "round": a.round, "status": a.status, "token": secrets.token_urlsafe(32), "created_at": a.created_at,
        "updated_at": a.updated_at, "submitted_at": a.submitted_at,
    }  # fmt: skip


DEMO_VERIFIER = "demo"


def _verification_row(assessment_id: int, a: DemoAssessment) -> dict:
    """A finished verification of a demo assessment's sample, dated when the assessment was submitted."""
    sample = list(a.verified or {})
    return {
        "assessment_id": assessment_id, "seed": "demo", "sample_size": len(sample), "sample": sample,
        "status": "verified", "started_by": DEMO_VERIFIER, "started_at": a.updated_at, "verified_by": DEMO_VERIFIER,
        "verified_at": a.updated_at,
    }  # fmt: skip


def load(store: Store, demo: DemoSet, association_name: str | None) -> DemoCounts:
    """Write the set in one transaction: its companies, and its association assessment under `association_name`
    (a new synthetic association organization) unless that is None. The counts written."""
    org_rows = [
        {"name": o.name, "name_key": name_key(o.name), "region": o.region, "size": o.size,
         "segments": list(o.segments), "kind": "company", "synthetic": True, "created_at": o.created_at,
         "updated_at": max([o.created_at, *(a.updated_at for a in o.assessments)])}
        for o in demo.organizations
    ]  # fmt: skip
    owned = [(o, a) for o in demo.organizations for a in o.assessments]
    with store.engine.begin() as c:
        stamp = panel_changed(c)
        org_ids = _ids(c, ORG, org_rows)
        by_org = dict(zip((id(o) for o in demo.organizations), org_ids, strict=True))
        pairs = [(by_org[id(o)], a) for o, a in owned]
        if demo.association is not None and association_name is not None:
            own = demo.association
            (association_id,) = _ids(c, ORG, [{
                "name": association_name, "name_key": name_key(association_name), "region": None, "size": None,
                "segments": [], "kind": "association", "synthetic": True, "created_at": own.created_at,
                "updated_at": own.updated_at,
            }])  # fmt: skip
            pairs.append((association_id, own))
        assessment_ids = _ids(c, A, [_assessment_row(org, a) | {"revision": stamp} for org, a in pairs])
        answers = [
            _answer_row(aid, cid, answer, a.updated_at)
            for aid, (_, a) in zip(assessment_ids, pairs, strict=True)
            for cid, answer in a.answers.items()
        ]
        if answers:
            c.execute(insert(ANS), answers)
        verified = [(aid, a) for aid, (_, a) in zip(assessment_ids, pairs, strict=True) if a.verified]
        if verified:
            c.execute(insert(schema.Verification), [_verification_row(aid, a) for aid, a in verified])
            c.execute(insert(schema.VerifiedAnswer), [
                {"assessment_id": aid, "criterion_id": cid, "level": level, "na": False, "verified_by": DEMO_VERIFIER,
                 "updated_at": a.updated_at}
                for aid, a in verified for cid, level in (a.verified or {}).items()
            ])  # fmt: skip
    return DemoCounts(len(org_ids), len(pairs) - len(owned), len(pairs), len(answers))


def counts(store: Store) -> DemoCounts:
    """What demo data the database holds, in two queries."""
    with store.session() as s:
        kinds = dict(s.execute(select(ORG.kind, func.count()).where(ORG.synthetic).group_by(ORG.kind)).all())
        assessments, answers = s.execute(
            select(func.count(func.distinct(A.id)), func.count(ANS.criterion_id))
            .select_from(A)
            .join(ORG, ORG.id == A.organization_id)
            .outerjoin(ANS, ANS.assessment_id == A.id)
            .where(ORG.synthetic)
        ).one()
    return DemoCounts(kinds.get("company", 0), kinds.get("association", 0), assessments, answers)


def synthetic_ids(store: Store) -> set[int]:
    with store.session() as s:
        return set(s.scalars(select(ORG.id).where(ORG.synthetic)))


def member_data(store: Store) -> tuple[int, int]:
    """(companies, assessments) of real members: companies not flagged synthetic that have an assessment. A company
    without one (the first admin's, made at the first run) shows nothing on the association's pages."""
    with store.session() as s:
        row = s.execute(
            select(func.count(func.distinct(ORG.id)), func.count(A.id))
            .select_from(ORG)
            .join(A, A.organization_id == ORG.id)
            .where(ORG.kind == "company", ORG.synthetic.is_(False))
        ).one()
    return int(row[0]), int(row[1])


def remove(store: Store) -> tuple[DemoCounts, int]:
    """Delete the demo data in one transaction (see the module's note for what is kept): the counts that are no
    longer demo data, and how many organizations were kept, unflagged, for the work people did in them."""
    before = counts(store)
    synthetic = select(ORG.id).where(ORG.synthetic)
    with store.engine.begin() as c:
        touched_assessments = set(c.scalars(
            select(func.distinct(CHANGE.assessment_id)).join(A, A.id == CHANGE.assessment_id)
            .where(A.organization_id.in_(synthetic))
        ))  # fmt: skip
        touched = set(c.scalars(
            select(A.organization_id).where(A.id.in_(touched_assessments))
            .union(select(schema.Membership.organization_id).where(schema.Membership.organization_id.in_(synthetic)))
        ))  # fmt: skip
        if touched:
            untouched = A.id.not_in(touched_assessments) if touched_assessments else true()
            c.execute(delete(A).where(A.organization_id.in_(touched), untouched))
            c.execute(update(ORG).where(ORG.id.in_(touched)).values(synthetic=False))
        c.execute(delete(ORG).where(ORG.synthetic))  # assessments, answers and links go with them (ON DELETE CASCADE)
        panel_changed(c, organizations=touched)
    after = counts(store)
    removed = DemoCounts(
        before.organizations - after.organizations, before.associations - after.associations,
        before.assessments - after.assessments, before.answers - after.answers,
    )  # fmt: skip
    return removed, len(touched)
