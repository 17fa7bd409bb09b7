"""Reading and writing assessments. Every access to an organization's data goes through its Workspace, so that
access rules (accounts, roles) can later be enforced in this one place."""

from __future__ import annotations

import hashlib
import json
import random
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Row, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scoring.assessment import is_answered
from scoring.model import Answer, AssessmentFile, Organization
from scoring.versions import version_key
from store import schema
from store.db import Sessions, as_utc, migrate, utcnow

# scoring.assessment.is_answered, written with each answer, so that counting answered criteria (the officers' frame,
# the lists' counts) needs no copy of the rule.
GIVEN = schema.Answer.given
ROUND_ATTEMPTS = 10
# Assessments whose answers one query reads when many are loaded (exports): memory stays at one chunk's answers.
LOAD_CHUNK = 500
# Plain rows, not ORM objects, when many answers are read: building an object per answer was a third of an export.
ANSWER_COLUMNS = [column for column in schema.Answer.__table__.columns if column.key != "given"]


class NotFound(LookupError):
    """The assessment does not exist, or not in this workspace."""


class Submitted(PermissionError):
    """The assessment was submitted (read-only until it is reopened) or verified (read-only for good)."""


class RoundTaken(RuntimeError):
    """A later round of the standard exists: a next round starts only from the latest one."""


class Stale(RuntimeError):
    """The answer was written by someone else after the version the change was based on."""

    def __init__(self, current: Answer | None) -> None:
        super().__init__("the answer changed since")
        self.current = current


ANY_BASE = object()  # change_answer without a version check


@dataclass(frozen=True)
class Saved:
    changed: bool
    answer: Answer  # as stored now, with when it was written


def clean_name(name: str) -> str:
    """A name as stored and shown: NFKC, no invisible or direction characters, single spaces. The rule lives with
    the Organization model, so a file is checked against the columns with the cleaning the store applies."""
    return Organization.clean(name)


def name_key(name: str) -> str:
    """Organizations are the same when their cleaned names differ only in case."""
    return clean_name(name).casefold()


def _answer_columns(answer: Answer) -> dict[str, Any]:
    """An answer as the answers table stores it (N/A is a flag beside an empty level)."""
    return {
        "level": None if answer.is_na else answer.level,
        "na": answer.is_na,
        "justification": answer.justification,
        "note": answer.note,
        "evidence": list(answer.evidence),
        "given": is_answered(answer),
    }


def _row_to_answer(row: schema.Answer | Row) -> Answer:
    """An answers row, as an ORM object or a plain row of ANSWER_COLUMNS."""
    return Answer.model_construct(
        level="na" if row.na else row.level, justification=row.justification or "", note=row.note or "",
        evidence=tuple(row.evidence or ()), origin=row.origin, updated_at=as_utc(row.updated_at),
    )  # fmt: skip


def _profile(org: schema.Organization) -> dict[str, Any]:
    """The profile; a demo organization's says so ("synthetic": True), a real one's has no such key, so its files and
    downloads stay as they were."""
    profile = {"name": org.name, "region": org.region, "size": org.size, "segments": list(org.segments or [])}
    return profile | {"synthetic": True} if org.synthetic else profile


def _logged(answer: Answer | None) -> dict[str, Any] | None:
    """An answer as the change log keeps it."""
    return None if answer is None else answer.model_dump(mode="json")


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    organization_id: int
    organization: str
    standard_id: str
    standard_version: str
    round: int
    status: str
    answered: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None  # when it was last submitted; None while a draft


@dataclass(frozen=True)
class Imported:
    assessment_id: int
    organization_id: int
    duplicate: bool  # the same file was imported before: nothing was written


def content_digest(organization: str, standard_id: str, version: str, answers: dict[str, Answer]) -> str:
    """What makes two assessments the same: organization, standard version and the answers themselves; not the
    file's spacing, key order, timestamp or profile details, so an exported file imports back as a duplicate."""
    canonical = {
        "organization": name_key(organization),
        "standard": [standard_id, version],
        "answers": {cid: _logged(a) for cid, a in sorted(answers.items())},
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def digest(assessment: AssessmentFile) -> str:
    answers = {cid: Answer.model_validate(a.model_dump()) for cid, a in assessment.answers.items()}
    return content_digest(assessment.organization.name, assessment.standard.id, assessment.standard.version, answers)


@dataclass(frozen=True)
class StoredAssessment:
    summary: AssessmentSummary
    organization: dict[str, Any]
    answers: dict[str, Answer] = field(default_factory=dict)


class Store:
    """The database of one deployment."""

    def __init__(self, engine: Engine, upgrade: bool = True) -> None:
        self.engine = engine
        if upgrade:
            migrate(engine)
        self.session = Sessions(engine)

    def find_organization(self, name: str) -> int | None:
        with self.session() as s:
            return s.scalar(select(schema.Organization.id).where(schema.Organization.name_key == name_key(name)))

    def ensure_organization(self, profile: dict[str, Any], kind: str = "company") -> int:
        """The organization with this name, created, or its profile updated with the fields given (a field left
        empty keeps what is stored, so starting a second standard with a short form erases nothing).

        Only a profile the Organization model accepts is stored (pydantic's ValidationError otherwise, before
        anything is written), cleaned as the model cleans it."""
        organization = Organization.model_validate(profile)
        key = name_key(organization.name)
        now = utcnow()
        values = {
            "name": organization.name,
            "region": organization.region,
            "size": organization.size,
            "segments": list(organization.segments),
            "updated_at": now,
        }
        statement = (
            self.insert(schema.Organization)
            .values(name_key=key, created_at=now, kind=kind, **values)
            .on_conflict_do_update(
                index_elements=["name_key"], set_={k: v for k, v in values.items() if v not in (None, "", [])}
            )
        )
        with self.session.begin() as s:
            s.execute(statement)
            return s.scalar(select(schema.Organization.id).where(schema.Organization.name_key == key))

    def insert(self, table):
        """INSERT with ON CONFLICT support, in this database's dialect."""
        return (pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert)(table)

    def workspace(self, organization_id: int) -> Workspace:
        return Workspace(self, organization_id)

    def update_profile(self, organization_id: int, profile: dict[str, Any]) -> None:
        """Region, size band and segments of an organization; a field left empty keeps what is stored. Checked and
        cleaned by the Organization model like a new one (ValidationError, and nothing written, if it refuses)."""
        given = {k: profile.get(k) for k in ("region", "size", "segments") if profile.get(k) not in (None, "", [])}
        with self.session.begin() as s:
            org = s.get(schema.Organization, organization_id)
            if org is None:
                raise NotFound(organization_id)
            checked = Organization.model_validate({"name": org.name, **given})
            for key in given:
                value = getattr(checked, key)
                setattr(org, key, list(value) if key == "segments" else value)
            org.updated_at = utcnow()

    def erase_organization(self, organization_id: int) -> bool:
        """Delete an organization and everything of it (assessments, answers, change log, memberships cascade)."""
        with self.session.begin() as s:
            org = s.get(schema.Organization, organization_id)
            if org is None:
                return False
            s.delete(org)
        return True

    def organization_kind(self, organization_id: int) -> str | None:
        with self.session() as s:
            return s.scalar(select(schema.Organization.kind).where(schema.Organization.id == organization_id))

    def organizations(
        self, ids: list[int] | None = None, kind: str | None = None, synthetic: bool | None = None
    ) -> list[tuple[int, str, str]]:
        """(id, name, kind) of the organizations given (all when None), of one kind if given, only demo ones
        (synthetic=True) or only real ones (False) if given, by name."""
        query = select(schema.Organization.id, schema.Organization.name, schema.Organization.kind)
        if ids is not None:
            query = query.where(schema.Organization.id.in_(ids))
        if kind is not None:
            query = query.where(schema.Organization.kind == kind)
        if synthetic is not None:
            query = query.where(schema.Organization.synthetic.is_(synthetic))
        with self.session() as s:
            return [tuple(row) for row in s.execute(query.order_by(schema.Organization.name_key))]

    def profile(self, organization_id: int) -> dict[str, Any]:
        with self.session() as s:
            org = s.get(schema.Organization, organization_id)
            if org is None:
                raise NotFound(organization_id)
            return _profile(org)

    def same_assessment(self, assessment: AssessmentFile) -> Imported | None:
        """The stored assessment this file is a copy of (imported from it, or downloaded from it and unchanged)."""
        key = digest(assessment)
        return self.imported(key) or self._same_content(assessment, key)

    def _same_content(self, assessment: AssessmentFile, key: str) -> Imported | None:
        """An assessment made in the app (not imported) whose current answers equal the file's: e.g. its export."""
        org = self.find_organization(assessment.organization.name)
        if org is None:
            return None
        workspace = self.workspace(org)
        ref = assessment.standard
        for summary in workspace.assessments():
            if (summary.standard_id, summary.standard_version) == (ref.id, ref.version):
                answers = workspace.load(summary.id).answers
                if content_digest(summary.organization, ref.id, ref.version, answers) == key:
                    return Imported(summary.id, org, duplicate=True)
        return None

    def answers_frame(self, standard_id: str, standard_version: str) -> pd.DataFrame:
        """Association-level read: every stored answer to one standard version, in one query, as the long frame
        the engine scores (columns assessment, criterion, level; unjustified N/A left out)."""
        a, ans = schema.Assessment, schema.Answer
        query = (
            select(ans.assessment_id, ans.criterion_id, ans.level, ans.na, ans.justification)
            .join(a, a.id == ans.assessment_id)
            .where(a.standard_id == standard_id, a.standard_version == standard_version)
            .where(GIVEN)
        )
        with self.session() as s:
            rows = s.execute(query).all()
        frame = pd.DataFrame(rows, columns=["assessment", "criterion", "level", "na", "justification"])
        levels = frame["level"].astype(object).where(~frame["na"].astype(bool), "na")
        frame["level"] = pd.Categorical(levels)  # a handful of values: the engine reads each once
        return frame[["assessment", "criterion", "level"]]

    def versions_in_use(self, kind: str | None = None) -> list[tuple[str, str, int]]:
        """(standard id, version, assessments) of every standard version with a stored assessment (of organizations
        of one kind, if given), in one query, each standard's versions oldest first."""
        a, o = schema.Assessment, schema.Organization
        query = select(a.standard_id, a.standard_version, func.count()).group_by(a.standard_id, a.standard_version)
        if kind is not None:
            query = query.join(o, o.id == a.organization_id).where(o.kind == kind)
        with self.session() as s:
            return sorted(((sid, version, int(n)) for sid, version, n in s.execute(query)),
                          key=lambda row: (row[0], version_key(row[1])))  # fmt: skip

    def panel_version(self, standard_id: str, standard_version: str) -> tuple:
        """What changes whenever an assessment of this version or its organization's profile changes: how many
        there are and the latest writes (an answer written touches its assessment), and any verification's progress
        (of every version: verifications are few, and one stamp costs less than finding this version's), in one
        query."""
        a, o, v, va = schema.Assessment, schema.Organization, schema.Verification, schema.VerifiedAnswer
        verified = (
            select(func.count()).where(v.status == "verified").scalar_subquery(),
            select(func.max(v.verified_at)).scalar_subquery(),
            select(func.max(va.updated_at)).scalar_subquery(),
        )
        query = (
            select(func.count(), func.max(a.updated_at), func.max(o.updated_at), func.sum(a.id), *verified)
            .join(o, o.id == a.organization_id)
            .where(a.standard_id == standard_id, a.standard_version == standard_version)
        )
        with self.session() as s:
            return tuple(s.execute(query).one())

    def panel(self, standard_id: str, standard_version: str) -> pd.DataFrame:
        """Association-level read, in one query: every assessment of one standard version with its organization's
        name, kind and profile; one row per assessment, by organization name then round."""
        a, o = schema.Assessment, schema.Organization
        query = (
            select(a.id, a.organization_id, o.name, o.kind, o.synthetic, o.region, o.size, o.segments, a.round,
                   a.status, a.created_at, a.updated_at, a.submitted_at)
            .join(o, o.id == a.organization_id)
            .where(a.standard_id == standard_id, a.standard_version == standard_version)
            .order_by(o.name_key, a.round)
        )  # fmt: skip
        columns = ["assessment", "organization_id", "organization", "kind", "synthetic", "province", "size_band",
                   "segments", "round", "status", "created_at", "updated_at", "submitted_at"]  # fmt: skip
        with self.session() as s:
            rows = s.execute(query).all()
        frame = pd.DataFrame(rows, columns=columns)
        frame["segments"] = [tuple(x or ()) for x in frame["segments"]]
        for column in ("created_at", "updated_at", "submitted_at"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        return frame

    def answer_details(self, standard_id: str, standard_version: str, text: bool = False) -> pd.DataFrame:
        """Association-level read, in one query: where each stored answer of one standard version came from
        (origin) and, only when `text`, its note, justification and evidence."""
        a, ans = schema.Assessment, schema.Answer
        columns = [ans.assessment_id, ans.criterion_id, ans.origin] + (
            [ans.note, ans.justification, ans.evidence] if text else []
        )
        query = (
            select(*columns)
            .join(a, a.id == ans.assessment_id)
            .where(a.standard_id == standard_id, a.standard_version == standard_version)
        )
        names = ["assessment", "criterion", "origin"] + (["note", "justification", "evidence"] if text else [])
        with self.session() as s:
            return pd.DataFrame(s.execute(query).all(), columns=names)

    def summaries(self, standard_id: str | None = None) -> list[AssessmentSummary]:
        """Association-level read, in one query: every assessment (of one standard, or all), by organization name,
        then newest activity first."""
        where = () if standard_id is None else (schema.Assessment.standard_id == standard_id,)
        with self.session() as s:
            return _summaries(s, *where)

    def stored_secret(self, name: str) -> str | None:
        """A value kept in app_secrets: the check of the pseudonym key, or the key itself where versions before the
        key file kept it and it is still there."""
        with self.session() as s:
            found = s.get(schema.AppSecret, name)
        return None if found is None else found.value

    def keep_secret(self, name: str, value: str) -> str:
        """Stores `value` as `name` unless one is stored; returns the stored one (two replicas at once: the first)."""
        try:
            with self.session.begin() as s:
                s.add(schema.AppSecret(name=name, value=value, created_at=utcnow()))
        except IntegrityError:
            pass
        with self.session() as s:
            return s.get(schema.AppSecret, name).value

    def replace_secret(self, name: str, value: str) -> None:
        """`value` in place of what is stored as `name`, in one transaction (no other value can come between)."""
        with self.session.begin() as s:
            s.execute(delete(schema.AppSecret).where(schema.AppSecret.name == name))
            s.add(schema.AppSecret(name=name, value=value, created_at=utcnow()))

    def forget_secret(self, name: str) -> None:
        with self.session.begin() as s:
            s.execute(delete(schema.AppSecret).where(schema.AppSecret.name == name))

    def summary(self, assessment_id: int) -> AssessmentSummary:
        """One assessment's summary, in one query."""
        with self.session() as s:
            found = _summaries(s, schema.Assessment.id == assessment_id)
        if not found:
            raise NotFound(assessment_id)
        return found[0]

    def assessment_counts(self) -> dict[str, int]:
        """How many assessments are stored, by standard id, in one query."""
        a = schema.Assessment
        with self.session() as s:
            rows = s.execute(select(a.standard_id, func.count()).group_by(a.standard_id))
            return {standard_id: count for standard_id, count in rows}

    def load_many(self, summaries: Iterable[AssessmentSummary], chunk: int = LOAD_CHUNK) -> Iterator[StoredAssessment]:
        """Association-level read: each assessment with its organization's profile and its answers, in the order
        given; two queries per `chunk` assessments, so an export holds one chunk in memory. An assessment erased
        since its summary was read is left out."""
        summaries = iter(summaries)
        while part := list(islice(summaries, chunk)):
            ids = [summary.id for summary in part]
            with self.session() as s:
                orgs = select(schema.Organization).where(
                    schema.Organization.id.in_({summary.organization_id for summary in part})
                )
                profiles = {org.id: _profile(org) for org in s.scalars(orgs)}
                answers: dict[int, dict[str, Answer]] = {}
                for row in s.execute(select(*ANSWER_COLUMNS).where(schema.Answer.assessment_id.in_(ids))):
                    answers.setdefault(row.assessment_id, {})[row.criterion_id] = _row_to_answer(row)
            for summary in part:
                if summary.organization_id in profiles:
                    yield StoredAssessment(summary, profiles[summary.organization_id], answers.get(summary.id, {}))

    def assessment_ids(self, standard_id: str, standard_version: str) -> list[int]:
        with self.session() as s:
            return list(s.scalars(select(schema.Assessment.id).where(
                schema.Assessment.standard_id == standard_id, schema.Assessment.standard_version == standard_version
            ).order_by(schema.Assessment.id)))  # fmt: skip

    def open_link(self, token: str) -> tuple[Workspace, int] | None:
        """The workspace and assessment that a link's token opens, if any."""
        with self.session() as s:
            row = s.execute(
                select(schema.Assessment.id, schema.Assessment.organization_id).where(schema.Assessment.token == token)
            ).first()
        return None if row is None else (self.workspace(row.organization_id), row.id)

    def imported(self, key: str) -> Imported | None:
        """The assessment stored from a file with this content digest, if any."""
        with self.session() as s:
            seen = s.execute(
                select(schema.Assessment.id, schema.Assessment.organization_id).where(
                    schema.Assessment.source_digest == key
                )
            ).first()
        return None if seen is None else Imported(seen.id, seen.organization_id, duplicate=True)

    def import_assessment(self, assessment: AssessmentFile, by: str = "import") -> Imported:
        """Store an assessment file as a new assessment; the same content imported again is not duplicated, also
        when two imports of it run at once (the later one meets the unique digest and reports the first)."""
        key = digest(assessment)
        same = self.imported(key) or self._same_content(assessment, key)
        if same:
            return same
        org = self.ensure_organization(assessment.organization.model_dump())
        workspace = self.workspace(org)
        answers = {cid: Answer.model_validate(a.model_dump()) for cid, a in assessment.answers.items()}
        try:
            aid = workspace.start(
                assessment.standard.id, assessment.standard.version, source_digest=key, answers=answers, by=by
            )
        except IntegrityError:
            raced = self.imported(key)
            if raced is None:
                raise
            return raced
        return Imported(aid, org, duplicate=False)


def _summaries(s: Session, *where) -> list[AssessmentSummary]:
    """The assessments `where` selects, by organization name, then newest activity first. Each one's answered count
    is a correlated subquery over its own answers (the primary key's index), so the query reads the answers of the
    assessments asked for, never the whole table."""
    a, o = schema.Assessment, schema.Organization
    answered = select(func.count()).where(schema.Answer.assessment_id == a.id, GIVEN).scalar_subquery()
    rows = s.execute(
        select(a, o.name, answered)
        .join(o, o.id == a.organization_id)
        .where(*where)
        .order_by(o.name_key, a.updated_at.desc(), a.id.desc())
    ).all()
    return [
        AssessmentSummary(
            id=row.id,
            organization_id=row.organization_id,
            organization=name,
            standard_id=row.standard_id,
            standard_version=row.standard_version,
            round=row.round,
            status=row.status,
            answered=int(count),
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
            submitted_at=None if row.submitted_at is None else as_utc(row.submitted_at),
        )  # fmt: skip
        for row, name, count in rows
    ]


class Workspace:
    """One organization's assessments."""

    def __init__(self, store: Store, organization_id: int) -> None:
        self.store = store
        self.organization_id = organization_id

    def _summaries(self, s: Session, *where) -> list[AssessmentSummary]:
        return _summaries(s, schema.Assessment.organization_id == self.organization_id, *where)

    def assessments(self) -> list[AssessmentSummary]:
        """Newest activity first."""
        with self.store.session() as s:
            return self._summaries(s)

    def start(
        self,
        standard_id: str,
        standard_version: str,
        *,
        source_digest: str | None = None,
        answers: dict[str, Answer] | None = None,
        by: str = "",
        after_round: int | None = None,
    ) -> int:
        """A new draft assessment in the next round for this standard, optionally with its first answers (each may
        carry an "origin": where it came from, until the company confirms it).

        Two starts at once (a double click, concurrent imports) can pick the same round: the later one is refused by
        uq_assessment_round and tries the next number. A conflict on `source_digest` is not retried: that file is
        stored already (import_assessment reports it as a duplicate). With `after_round`, the new round must
        follow that one directly (RoundTaken otherwise): two clicks on "next round" start one round."""
        for attempt in range(1, ROUND_ATTEMPTS):
            try:
                return self._start(standard_id, standard_version, source_digest, answers or {}, by, after_round)
            except IntegrityError:
                if source_digest and self.store.imported(source_digest):
                    raise
            time.sleep(random.uniform(0, 0.01 * attempt))
        return self._start(standard_id, standard_version, source_digest, answers or {}, by, after_round)

    def _start(
        self,
        standard_id: str,
        standard_version: str,
        source_digest: str | None,
        answers: dict[str, Answer],
        by: str,
        after_round: int | None = None,
    ) -> int:
        now = utcnow()
        with self.store.session.begin() as s:
            last = s.scalar(
                select(func.max(schema.Assessment.round)).where(
                    schema.Assessment.organization_id == self.organization_id,
                    schema.Assessment.standard_id == standard_id,
                )
            )
            if after_round is not None and last != after_round:
                raise RoundTaken(last)
            row = schema.Assessment(
                organization_id=self.organization_id, standard_id=standard_id, standard_version=standard_version,
                round=(last or 0) + 1, status="draft", source_digest=source_digest,
                token=secrets.token_urlsafe(32), created_at=now, updated_at=now,
                campaign_id=self._campaign(s, standard_id, standard_version),
            )  # fmt: skip
            s.add(row)
            s.flush()
            for criterion_id, answer in answers.items():
                s.add(schema.Answer(assessment_id=row.id, criterion_id=criterion_id, **_answer_columns(answer),
                                    origin=answer.origin, updated_at=now))  # fmt: skip
                s.add(schema.AnswerChange(assessment_id=row.id, criterion_id=criterion_id, old=None,
                                          new=_logged(answer), changed_by=by, changed_at=now))  # fmt: skip
            return row.id

    def _campaign(self, s: Session, standard_id: str, standard_version: str) -> int | None:
        """The open campaign of this standard version the organization is invited to (and has not left) that none of
        its assessments answers yet, the nearest deadline first: the one a new assessment answers."""
        c, m, a = schema.Campaign, schema.CampaignMember, schema.Assessment
        answered = select(a.id).where(a.campaign_id == c.id, a.organization_id == self.organization_id).exists()
        return s.scalar(
            select(c.id)
            .join(m, m.campaign_id == c.id)
            .where(m.organization_id == self.organization_id, m.withdrawn_at.is_(None), c.closed_at.is_(None),
                   c.standard_id == standard_id, c.standard_version == standard_version, ~answered)
            .order_by(c.deadline, c.id)
            .limit(1)
        )  # fmt: skip

    def link_campaign(self, assessment_id: int) -> int | None:
        """A draft made before its campaign (or before the invitation) answers that campaign from now on: the
        campaign it answers, or None."""
        with self.store.session() as s:
            row = self._check(s, assessment_id)
            if row.campaign_id is not None or row.status != "draft":
                return row.campaign_id
            if self._campaign(s, row.standard_id, row.standard_version) is None:
                return None  # nothing to write: opening a draft takes no write lock
        with self.store.session.begin() as s:
            row = self._check(s, assessment_id, lock=True)
            if row.campaign_id is None and row.status == "draft":
                row.campaign_id = self._campaign(s, row.standard_id, row.standard_version)
            return row.campaign_id

    def next_round(self, previous_id: int, standard_version: str, carry: list[str] | None = None, by: str = "") -> int:
        """A new round right after a previous one (RoundTaken if a later round exists): its answers (only `carry`
        when given; the assessing service decides which) are copied and marked as carried over, so the company
        confirms or changes each."""
        previous = self.load(previous_id)
        answers = {cid: a for cid, a in previous.answers.items() if carry is None or cid in carry}
        answers = {cid: a.but(origin="round") for cid, a in answers.items()}
        summary = previous.summary
        return self.start(summary.standard_id, standard_version, answers=answers, by=by, after_round=summary.round)

    def latest_round(self, standard_id: str) -> int:
        """The highest round of this standard (0: none)."""
        with self.store.session() as s:
            return (
                s.scalar(
                    select(func.max(schema.Assessment.round)).where(
                        schema.Assessment.organization_id == self.organization_id,
                        schema.Assessment.standard_id == standard_id,
                    )
                )
                or 0
            )

    def latest_draft(self, standard_id: str) -> int | None:
        """The latest round of this standard if it is still a draft."""
        with self.store.session() as s:
            row = s.execute(
                select(schema.Assessment.id, schema.Assessment.status)
                .where(schema.Assessment.organization_id == self.organization_id,
                       schema.Assessment.standard_id == standard_id)
                .order_by(schema.Assessment.round.desc()).limit(1)
            ).first()  # fmt: skip
        return row.id if row is not None and row.status == "draft" else None

    def rounds(self, standard_id: str) -> list[StoredAssessment]:
        """Every round of one standard, oldest first."""
        with self.store.session() as s:
            ids = s.scalars(
                select(schema.Assessment.id)
                .where(schema.Assessment.organization_id == self.organization_id,
                       schema.Assessment.standard_id == standard_id)
                .order_by(schema.Assessment.round)
            ).all()  # fmt: skip
        return [self.load(i) for i in ids]

    def token(self, assessment_id: int) -> str:
        with self.store.session() as s:
            return self._check(s, assessment_id).token

    def _check(self, s: Session, assessment_id: int, lock: bool = False) -> schema.Assessment:
        row = s.get(schema.Assessment, assessment_id, with_for_update=lock)
        if row is None or row.organization_id != self.organization_id:
            raise NotFound(assessment_id)
        return row

    def draft(self, s: Session, assessment_id: int) -> schema.Assessment:
        """The assessment, locked for a write that must not land on a submitted one (an answer, an evidence file):
        Submitted when it is, checked under the lock so a submission from another tab cannot slip in between."""
        row = self._check(s, assessment_id, lock=True)
        if row.status != "draft":
            raise Submitted(assessment_id)
        return row

    def load(self, assessment_id: int) -> StoredAssessment:
        with self.store.session() as s:
            self._check(s, assessment_id)
            (summary,) = self._summaries(s, schema.Assessment.id == assessment_id)
            answers = s.scalars(select(schema.Answer).where(schema.Answer.assessment_id == assessment_id)).all()
        profile = self.store.profile(self.organization_id)
        return StoredAssessment(summary, profile, {row.criterion_id: _row_to_answer(row) for row in answers})

    def save_answer(self, assessment_id: int, criterion_id: str, answer: Answer, by: str = "") -> bool:
        """Write one whole answer now and log the change; False when nothing changed. The later write wins."""
        return self.change_answer(assessment_id, criterion_id, lambda _current: answer, by=by).changed

    def change_answer(
        self,
        assessment_id: int,
        criterion_id: str,
        change: Callable[[Answer | None], Answer],
        by: str = "",
        base: datetime | None | object = ANY_BASE,
    ) -> Saved:
        """Write `change(current answer)` and log it, in one transaction that holds the assessment's lock, so two
        writers of one criterion queue and the change log stays a chain (each entry's old is the previous new).

        `base` is when the answer the caller changed was last written (None: it did not exist); if the stored one
        was written since, nothing is written and Stale carries the newer answer."""
        now = utcnow()
        with self.store.session.begin() as s:
            self.draft(s, assessment_id)
            current = s.get(schema.Answer, (assessment_id, criterion_id), with_for_update=True)
            before = None if current is None else _row_to_answer(current)
            if base is not ANY_BASE and (before.updated_at if before else None) != base:
                raise Stale(before)
            answer = change(before).model_copy(update={"origin": None})  # written here: the company's own answer
            old, new = _logged(before), _logged(answer)
            if old == new and (current is None or current.origin is None):
                return Saved(False, before or answer)  # the same answer again; confirming a pre-filled one writes
            values = _answer_columns(answer) | {"origin": None, "updated_at": now}
            s.execute(
                self.store.insert(schema.Answer)
                .values(assessment_id=assessment_id, criterion_id=criterion_id, **values)
                .on_conflict_do_update(index_elements=["assessment_id", "criterion_id"], set_=values)
            )
            s.add(schema.AnswerChange(assessment_id=assessment_id, criterion_id=criterion_id, old=old, new=new,
                                      changed_by=by, changed_at=now))  # fmt: skip
            s.execute(update(schema.Assessment).where(schema.Assessment.id == assessment_id).values(updated_at=now))
        return Saved(True, answer.but(origin=None, updated_at=now))

    def set_status(
        self,
        assessment_id: int,
        status: str,
        by: str = "",
        check: Callable[[str, dict[str, Answer], int], None] | None = None,
        then: Callable[[Session], None] | None = None,
    ) -> None:
        """Submit (read-only from now on, submitted_at set), reopen a draft (submitted_at cleared) or mark verified
        (submitted_at kept); logged like an answer change. `check(status, answers, latest round)` sees what is stored,
        under the assessment's lock (so no answer changes meanwhile), and raises to refuse: the rules of which step is
        allowed are the assessing service's. `then(session)` writes what goes with the step in the same transaction."""
        if status not in ("draft", "submitted", "verified"):
            raise ValueError(status)
        now = utcnow()
        with self.store.session.begin() as s:
            row = self._check(s, assessment_id, lock=True)
            if check is not None:
                rows = s.scalars(select(schema.Answer).where(schema.Answer.assessment_id == assessment_id))
                latest = s.scalar(
                    select(func.max(schema.Assessment.round)).where(
                        schema.Assessment.organization_id == self.organization_id,
                        schema.Assessment.standard_id == row.standard_id,
                    )
                )
                check(row.status, {r.criterion_id: _row_to_answer(r) for r in rows}, latest)
            if row.status != status:
                s.add(schema.AnswerChange(assessment_id=assessment_id, criterion_id="*status*", old={"status": row.status},
                                          new={"status": status}, changed_by=by, changed_at=now))  # fmt: skip
                row.status, row.updated_at = status, now
                if status != "verified":
                    row.submitted_at = now if status == "submitted" else None
            if then is not None:
                then(s)

    def history(self, assessment_id: int, criterion_id: str | None = None) -> list[dict[str, Any]]:
        """The change log, oldest first."""
        with self.store.session() as s:
            self._check(s, assessment_id)
            query = select(schema.AnswerChange).where(schema.AnswerChange.assessment_id == assessment_id)
            if criterion_id:
                query = query.where(schema.AnswerChange.criterion_id == criterion_id)
            return [_change(r) for r in s.scalars(query.order_by(schema.AnswerChange.id))]

    def histories(self) -> dict[int, list[dict[str, Any]]]:
        """The change log of every assessment of this organization, oldest first, in one query."""
        mine = select(schema.Assessment.id).where(schema.Assessment.organization_id == self.organization_id)
        query = select(schema.AnswerChange).where(schema.AnswerChange.assessment_id.in_(mine))
        logs: dict[int, list[dict[str, Any]]] = {}
        with self.store.session() as s:
            for r in s.scalars(query.order_by(schema.AnswerChange.id)):
                logs.setdefault(r.assessment_id, []).append(_change(r))
        return logs


def _change(r: schema.AnswerChange) -> dict[str, Any]:
    return {"criterion": r.criterion_id, "old": r.old, "new": r.new, "by": r.changed_by, "at": as_utc(r.changed_at)}
