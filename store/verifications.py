"""Verifications: the sample drawn for one submitted assessment, the verifier's level and comment per sampled
criterion and the company's reply, kept beside (never over) the company's own answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store import schema
from store.db import as_utc, utcnow
from store.repository import Store, panel_changed

V, CHECKED = schema.Verification, schema.VerifiedAnswer


@dataclass(frozen=True)
class Verification:
    assessment_id: int
    seed: str
    sample_size: int
    sample: list[str]
    status: str  # open | commented | replied | verified
    started_by: str
    started_at: datetime
    reply_due: date | None = None
    verified_by: str | None = None
    verified_at: datetime | None = None


@dataclass(frozen=True)
class Checked:
    """The verifier's level (an int, "na", or None: not decided yet) and comment on one criterion, and the reply."""

    criterion_id: str
    level: int | str | None
    comment: str
    reply: str
    replied_at: datetime | None


@dataclass(frozen=True)
class Waiting:
    """A submitted assessment in the verifiers' queue."""

    assessment_id: int
    organization_id: int
    organization: str
    standard_id: str
    standard_version: str
    round: int
    campaign: str | None  # the campaign's round name, when it answers one
    submitted_at: datetime | None
    status: str | None  # the verification's, None: not started


def _verification(row: schema.Verification) -> Verification:
    return Verification(
        row.assessment_id,
        row.seed,
        row.sample_size,
        list(row.sample or []),
        row.status,
        row.started_by,
        as_utc(row.started_at),
        row.reply_due,
        row.verified_by,
        row.verified_at and as_utc(row.verified_at),
    )


def _checked(row: schema.VerifiedAnswer) -> Checked:
    return Checked(
        row.criterion_id, "na" if row.na else row.level, row.comment or "", row.reply or "",
        row.replied_at and as_utc(row.replied_at),
    )  # fmt: skip


class VerificationRecords:
    def __init__(self, store: Store) -> None:
        self.store = store

    def campaign_settings(self, assessment_id: int) -> tuple[int, int] | None:
        """(sample size, reply days) of the campaign the assessment answers; None when it answers none."""
        query = (
            select(schema.Campaign.sample_size, schema.Campaign.reply_days)
            .join(schema.Assessment, schema.Assessment.campaign_id == schema.Campaign.id)
            .where(schema.Assessment.id == assessment_id)
        )
        with self.store.session() as s:
            row = s.execute(query).first()
        return None if row is None else (int(row[0]), int(row[1]))

    def status(self, assessment_id: int) -> str | None:
        """The verification's status (open, commented, replied, verified); None when none was started."""
        with self.store.session() as s:
            return s.scalar(select(V.status).where(V.assessment_id == assessment_id))

    def get(self, assessment_id: int) -> Verification | None:
        with self.store.session() as s:
            row = s.get(V, assessment_id)
            return None if row is None else _verification(row)

    def start(self, assessment_id: int, seed: str, sample_size: int, sample: list[str], by: str) -> bool:
        """Store the sample; False when one was started already (two verifiers at once keep the first draw)."""
        statement = (
            self.store.insert(V)
            .values(
                assessment_id=assessment_id,
                seed=seed,
                sample_size=sample_size,
                sample=sample,
                status="open",
                started_by=by,
                started_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["assessment_id"])
        )
        with self.store.session.begin() as s:
            started = bool(s.execute(statement).rowcount)
            if started:
                panel_changed(s, [assessment_id])
            return started

    def checked(self, assessment_id: int) -> dict[str, Checked]:
        """Every verified answer of the assessment, by criterion, in one query."""
        with self.store.session() as s:
            rows = s.scalars(select(CHECKED).where(CHECKED.assessment_id == assessment_id))
            return {r.criterion_id: _checked(r) for r in rows}

    def of_organization(self, organization_id: int) -> dict[int, tuple[Verification, dict[str, Checked]]]:
        """Every verification of the organization's assessments with its verified answers, by assessment, in two
        queries (its personal-data download)."""
        mine = select(schema.Assessment.id).where(schema.Assessment.organization_id == organization_id)
        found: dict[int, tuple[Verification, dict[str, Checked]]] = {}
        with self.store.session() as s:
            for row in s.scalars(select(V).where(V.assessment_id.in_(mine))):
                found[row.assessment_id] = (_verification(row), {})
            for r in s.scalars(select(CHECKED).where(CHECKED.assessment_id.in_(mine))):
                if r.assessment_id in found:
                    found[r.assessment_id][1][r.criterion_id] = _checked(r)
        return found

    def _locked(
        self, s: Session, assessment_id: int, check: Callable[[Verification | None], None]
    ) -> schema.Verification:
        """The verification, locked so a step taken meanwhile (finish, send) is seen; `check` raises to refuse."""
        row = s.get(V, assessment_id, with_for_update=True)
        check(None if row is None else _verification(row))
        assert row is not None  # check refuses a missing one
        return row

    def record(
        self,
        assessment_id: int,
        criterion_id: str,
        level: int | str | None,
        comment: str,
        by: str,
        check: Callable[[Verification | None], None],
    ) -> None:
        """Write the verifier's level and comment on one criterion; its reply, if any, stays."""
        now = utcnow()
        values = {
            "level": None if level == "na" else level,
            "na": level == "na",
            "comment": comment,
            "verified_by": by,
            "updated_at": now,
        }
        with self.store.session.begin() as s:
            self._locked(s, assessment_id, check)
            s.execute(
                self.store.insert(CHECKED)
                .values(assessment_id=assessment_id, criterion_id=criterion_id, **values)
                .on_conflict_do_update(index_elements=["assessment_id", "criterion_id"], set_=values)
            )
            panel_changed(s, [assessment_id])

    def send(self, assessment_id: int, reply_due: date, check: Callable[[Verification | None], None]) -> None:
        """The comments go to the company, which may reply until `reply_due`."""
        with self.store.session.begin() as s:
            row = self._locked(s, assessment_id, check)
            row.status, row.commented_at, row.reply_due = "commented", utcnow(), reply_due
            panel_changed(s, [assessment_id])

    def reply(
        self,
        assessment_id: int,
        criterion_id: str,
        text: str,
        by: str,
        check: Callable[[Verification | None, Checked | None], None],
    ) -> None:
        """The company's reply to the comment on one criterion."""
        with self.store.session.begin() as s:
            row = s.get(V, assessment_id, with_for_update=True)
            answer = s.get(CHECKED, (assessment_id, criterion_id))
            check(None if row is None else _verification(row), None if answer is None else _checked(answer))
            assert row is not None and answer is not None
            answer.reply, answer.replied_by, answer.replied_at = text, by, utcnow()
            row.status = "replied"
            panel_changed(s, [assessment_id])

    @staticmethod
    def mark_verified(s: Session, assessment_id: int, by: str) -> None:
        """The verification's side of the assessment's step to verified, in the step's own transaction (which marks
        the panel changed)."""
        row = s.get(V, assessment_id, with_for_update=True)
        assert row is not None
        row.status, row.verified_by, row.verified_at = "verified", by, utcnow()

    def queue(self) -> list[Waiting]:
        """Member companies' submitted assessments not yet verified, oldest submission first, in one query."""
        a, o, c = schema.Assessment, schema.Organization, schema.Campaign
        query = (
            select(
                a.id,
                a.organization_id,
                o.name,
                a.standard_id,
                a.standard_version,
                a.round,
                c.round_name,
                a.submitted_at,
                V.status,
            )
            .join(o, o.id == a.organization_id)
            .outerjoin(c, c.id == a.campaign_id)
            .outerjoin(V, V.assessment_id == a.id)
            .where(a.status == "submitted", o.kind != "association")
            .order_by(a.submitted_at, a.id)
        )
        with self.store.session() as s:
            return [
                Waiting(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] and as_utc(r[7]), r[8]) for r in s.execute(query)
            ]

    def person(self, label: str) -> str | None:
        """The name of the account behind an actor label ("user:12"), if it has one."""
        if not label.startswith("user:") or not label.removeprefix("user:").isdigit():
            return None
        with self.store.session() as s:
            user = s.get(schema.User, int(label.removeprefix("user:")))
        return (user.name or None) if user is not None else None
