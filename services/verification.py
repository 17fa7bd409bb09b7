"""Verifying a submitted assessment: the association draws a sample (every mandatory criterion plus N at random,
reproducible from a stored seed), records a verified level and a comment per sampled criterion, sends the comments,
the company replies until a deadline, and the assessment ends as verified. The company's own answers are never
written here: verified levels are kept beside them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import ValidationError

from scoring.assessment import answer_issues, counted_levels
from scoring.evidence import Document
from scoring.issues import Issue, from_validation_error
from scoring.model import MAX_NOTE, Answer, Standard, plain_text
from scoring.verification import Level, draw_sample, new_seed, verified_levels
from services.assessing import SUBMITTED, VERIFIED, Assessing, OpenAssessment, Refused, verify_refusal
from services.audit import Audit
from services.policy import Actor, allowed, ensure, guarded
from services.targets import organization_target
from store.repository import Store
from store.verifications import Checked, Verification, VerificationRecords, Waiting

__all__ = [
    "Verifying", "VerificationView", "SampleRow", "Waiting", "DEFAULT_SAMPLE", "DEFAULT_REPLY_DAYS", "scored_levels"
]  # fmt: skip

# Outside a campaign (or before one sets its own): the criteria drawn beside the mandatory ones, the days to reply.
DEFAULT_SAMPLE, DEFAULT_REPLY_DAYS = 5, 14
DocumentsOf = Callable[[Actor, OpenAssessment], list[Document]]


@dataclass(frozen=True)
class SampleRow:
    criterion_id: str
    own: Answer | None  # the company's answer, as it gave it
    verified: int | str | None  # the verifier's level, "na", or None: not decided yet
    comment: str
    reply: str
    documents: int  # evidence files behind the company's answer


@dataclass(frozen=True)
class VerificationView:
    assessment_id: int
    organization_id: int
    organization: str
    standard_id: str
    standard_version: str
    round: int
    status: str  # open | commented | replied | verified
    reply_due: date | None
    verified_at: datetime | None
    verifier: str | None  # the verifier's name; None when the account has none (shown as "the association")
    rows: list[SampleRow]

    def levels(self) -> dict[str, int | str | None]:
        """The verified level of each sampled criterion (scoring.verification.verified_levels takes it)."""
        return {row.criterion_id: row.verified for row in self.rows}

    def may_reply(self, today: date) -> bool:
        return self.status in ("commented", "replied") and self.reply_due is not None and today <= self.reply_due


def scored_levels(answers: dict[str, Answer], view: VerificationView | None) -> tuple[dict[str, Level], bool]:
    """The levels a result is scored on, for Results and the report alike: once the association verified the
    assessment, the verified levels where it checked and the company's own elsewhere; before, the company's own. And
    whether verified levels were used."""
    own = counted_levels(answers)
    if view is None or view.status != VERIFIED:
        return own, False
    return verified_levels(own, view.levels()), True


def _text(value: str) -> str:
    text = plain_text(str(value or "")).strip()
    if len(text) > MAX_NOTE:
        raise Refused([Issue("", "comment", "verification.comment-too-long", {"max": MAX_NOTE})])
    return text


def _refuse(code: str, **params: object) -> Refused:
    return Refused([Issue("", "verification", code, params)])


def _open_step(verification: Verification | None) -> None:
    """A verifier's step needs a started verification that is not finished."""
    if verification is None:
        raise _refuse("verification.not-started")
    if verification.status == VERIFIED:
        raise _refuse("verification.finished")


class Verifying:
    def __init__(
        self,
        store: Store,
        standard: Callable[[str, str | None], Standard | None],
        assessing: Assessing,
        documents: DocumentsOf,
        audit: Audit,
    ) -> None:
        self.store, self.records, self.standard = store, VerificationRecords(store), standard
        self.assessing, self.documents, self.audit = assessing, documents, audit

    def _organization(self, assessment_id: int) -> int:
        return self.store.summary(assessment_id).organization_id

    @guarded("verification", "read")
    def queue(self, actor: Actor) -> list[Waiting]:
        """Member companies' submitted assessments waiting for or under verification, oldest submission first."""
        ensure(actor, "read", "verification")  # across every member: officers and verifiers
        return self.records.queue()

    @guarded("verification", "write")
    def start(self, actor: Actor, assessment_id: int) -> Verification:
        """Draw and store the sample of a submitted assessment (its campaign's size, else DEFAULT_SAMPLE); a
        verification started already is returned as it is."""
        summary = self.store.summary(assessment_id)
        ensure(actor, "write", "verification", organization_target(self.store, summary.organization_id))
        if (existing := self.records.get(assessment_id)) is not None:
            return existing
        if summary.status != SUBMITTED:
            raise _refuse("verification.not-submitted")
        standard = self.standard(summary.standard_id, summary.standard_version)
        if standard is None:
            raise Refused([Issue("", "standard", "import.unknown-standard", {"id": summary.standard_id})])
        size = (self.records.campaign_settings(assessment_id) or (DEFAULT_SAMPLE, DEFAULT_REPLY_DAYS))[0]
        seed = new_seed()
        sample = draw_sample(standard, size, seed)
        if self.records.start(assessment_id, seed, size, sample, by=actor.label):
            self.audit.record(actor.label, "verification.started", f"organization:{summary.organization_id}",
                              {"assessment": assessment_id, "sample": sample})  # fmt: skip
        started = self.records.get(assessment_id)
        assert started is not None
        return started

    @guarded("verification", "write")
    def record(
        self, actor: Actor, assessment_id: int, criterion_id: str, level: int | str | None, comment: str = ""
    ) -> None:
        """The verified level (on the standard's scale, or "na"; None: not decided yet) and comment on one sampled
        criterion, checked with the core first; Refused and nothing written otherwise."""
        summary = self.store.summary(assessment_id)
        ensure(actor, "write", "verification", organization_target(self.store, summary.organization_id))
        standard = self.standard(summary.standard_id, summary.standard_version)
        if standard is None:
            raise Refused([Issue("", "standard", "import.unknown-standard", {"id": summary.standard_id})])
        try:
            answer = Answer(level=level)
        except ValidationError as exc:
            raise Refused(from_validation_error("", exc, (Answer,))) from None
        if issues := answer_issues(standard, criterion_id, answer, "", criterion_id, draft=True):
            raise Refused(issues)
        text = _text(comment)

        def check(verification: Verification | None) -> None:
            _open_step(verification)
            if criterion_id not in verification.sample:
                raise _refuse("verification.not-sampled", criterion=criterion_id)

        self.records.record(assessment_id, criterion_id, answer.level, text, by=actor.label, check=check)

    @guarded("verification", "write")
    def send_comments(self, actor: Actor, assessment_id: int, today: date) -> date:
        """Send the comments to the company, which may reply until today + its campaign's reply days (else
        DEFAULT_REPLY_DAYS); that date."""
        organization_id = self._organization(assessment_id)
        ensure(actor, "write", "verification", organization_target(self.store, organization_id))
        days = (self.records.campaign_settings(assessment_id) or (DEFAULT_SAMPLE, DEFAULT_REPLY_DAYS))[1]
        due = today + timedelta(days=days)
        self.records.send(assessment_id, due, check=_open_step)
        self.audit.record(actor.label, "verification.comments-sent", f"organization:{organization_id}",
                          {"assessment": assessment_id, "reply_due": due.isoformat()})  # fmt: skip
        return due

    @guarded("verification_reply", "write")
    def reply(self, actor: Actor, assessment_id: int, criterion_id: str, text: str, today: date) -> None:
        """The company's reply to the comment on one criterion, until the reply deadline; Refused otherwise."""
        ensure(actor, "write", "verification_reply", organization_target(self.store, self._organization(assessment_id)))
        cleaned = _text(text)

        def check(verification: Verification | None, checked: Checked | None) -> None:
            if verification is not None and verification.status == VERIFIED:
                raise _refuse("verification.finished")
            if verification is None or verification.status not in ("commented", "replied"):
                raise _refuse("verification.not-sent")
            if verification.reply_due is None or today > verification.reply_due:
                raise _refuse("verification.reply-closed")
            if checked is None or not checked.comment:
                raise _refuse("verification.no-comment", criterion=criterion_id)

        self.records.reply(assessment_id, criterion_id, cleaned, by=actor.label, check=check)

    @guarded("verification", "write")
    def finish(self, actor: Actor, assessment_id: int) -> None:
        """Mark the assessment verified (final for good, with the date and the verifier) once every sampled
        criterion has a verified level; Refused otherwise."""
        organization_id = self._organization(assessment_id)
        ensure(actor, "write", "verification", organization_target(self.store, organization_id))
        verification = self.records.get(assessment_id)
        _open_step(verification)
        checked = self.records.checked(assessment_id)
        undecided = [cid for cid in verification.sample if cid not in checked or checked[cid].level is None]
        if undecided:
            raise _refuse("verification.undecided", n=len(undecided), first=undecided[0])

        def check(status: str, answers: dict[str, Answer], latest_round: int) -> None:
            if issue := verify_refusal(status):
                raise Refused([issue])

        self.store.workspace(organization_id).set_status(
            assessment_id, VERIFIED, by=actor.label, check=check,
            then=lambda s: self.records.mark_verified(s, assessment_id, actor.label),
        )  # fmt: skip
        self.audit.record(actor.label, "verification.finished", f"organization:{organization_id}",
                          {"assessment": assessment_id})  # fmt: skip

    @guarded("verification", "read")
    def view(self, actor: Actor, assessment_id: int) -> VerificationView | None:
        """The sample with the company's and the verifier's levels, comments, replies and evidence counts; None
        before a verification starts, and for the company until the comments are sent."""
        organization_id = self._organization(assessment_id)
        ensure(actor, "read", "verification", organization_target(self.store, organization_id))
        verification = self.records.get(assessment_id)
        company = not allowed(actor, "read", "verification")  # reads its own only, never a verifier's draft
        if verification is None or (company and verification.status == "open"):
            return None
        work = self.assessing.open(actor, organization_id, assessment_id)
        counts: dict[str, int] = {}
        for document in self.documents(actor, work):
            counts[document.criterion_id] = counts.get(document.criterion_id, 0) + 1
        checked = self.records.checked(assessment_id)
        rows = []
        for cid in verification.sample:
            mine = checked.get(cid)
            rows.append(SampleRow(cid, work.answers.get(cid), mine.level if mine else None,
                                  mine.comment if mine else "", mine.reply if mine else "", counts.get(cid, 0)))  # fmt: skip
        return VerificationView(
            assessment_id, organization_id, work.organization.get("name", ""), work.standard_id,
            work.standard_version, work.round, verification.status, verification.reply_due, verification.verified_at,
            self.records.person(verification.verified_by) if verification.verified_by else None, rows,
        )  # fmt: skip
