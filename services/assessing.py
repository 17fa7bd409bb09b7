"""Assessing: start (with prefill), open, answer, submit and reopen, the next round, the rounds of a standard.
Every call takes the acting user and is checked against the policy before anything is read or written."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from scoring.assessment import answer_issues, counted_levels, is_answered
from scoring.crosswalk import capability_prefill, excluded_by_segments
from scoring.engine import score_one
from scoring.issues import Issue, from_validation_error
from scoring.library import version_key
from scoring.model import Answer, Organization, Standard
from scoring.profile import SEGMENTS, off_the_lists
from scoring.versions import compare
from services import metrics
from services.policy import Actor, Target, allowed, ensure, guarded
from services.targets import organization_target
from store.repository import (
    ANY_BASE,
    AssessmentSummary,
    NotFound,
    RoundTaken,
    Saved,
    Stale,
    Store,
    StoredAssessment,
    Submitted,
    name_key,
)
from store.verifications import VerificationRecords

__all__ = [
    "Refused", "Stale", "OpenAssessment", "Assessing", "Started", "Workplace", "SavedAssessment", "DRAFT", "SUBMITTED",
    "VERIFIED", "FINAL", "verify_refusal",
]  # fmt: skip

# An assessment's life: draft --submit--> submitted --reopen--> draft (again) ...; submitted --verify--> verified,
# final for good (the association checked what it claims: reopening would change what was checked). The next round
# starts from the latest round once it is submitted or verified. Only these states are stored, so every reader of
# the status (the lists, the research files) knows them all; the change log records each step.
DRAFT, SUBMITTED, VERIFIED = "draft", "submitted", "verified"
FINAL = (SUBMITTED, VERIFIED)  # read-only, and counted as submitted wherever submission is what matters
TEXTS = ("note", "evidence", "justification")

# Stored with the answer, so written in the language the company used when it started.
SEGMENT_REASON = {
    "en": "Applies only to: {only}. Your event segments: {mine}.",
    "id": "Hanya berlaku untuk: {only}. Jenis acara Anda: {mine}.",
}


class Refused(ValueError):
    """The core refused what was asked (an unknown criterion, a level off the scale): nothing was written."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(i.message() for i in issues))
        self.issues = issues


def refused_organization(exc: ValidationError) -> Refused:
    """What the Organization model refused in a name or a profile, as issues in either language."""
    return Refused(from_validation_error("", exc, (Organization,)))


@dataclass
class OpenAssessment:
    """The assessment a browser tab works on: what it shows, and the answers as this tab last knew them."""

    organization_id: int
    assessment_id: int
    round: int
    status: str
    standard_id: str
    standard_version: str
    organization: dict[str, Any]
    token: str
    association: bool = False
    answers: dict[str, Answer] = field(default_factory=dict)
    # The standard version it uses, as opened (its stored copy never changes): the tab needs no database for it.
    standard: Standard | None = field(default=None, repr=False, compare=False)
    # The latest round of this standard for the organization, when opened: a next round starts only from it.
    latest_round: int = 0
    # The association's verification of it, when opened: open, commented, replied, verified; None: not started.
    verification: str | None = None

    @property
    def standard_key(self) -> tuple[str, str]:
        return (self.standard_id, self.standard_version)

    @property
    def read_only(self) -> bool:
        return self.status in FINAL

    def submit_refusal(self) -> Issue | None:
        """Why this assessment cannot be submitted now: only a draft, and only with every criterion answered
        (confirmed, see scoring.assessment.is_answered)."""
        if self.status != DRAFT:
            return Issue("", "status", "lifecycle.not-draft")
        if self.standard is None:
            return Issue("", "standard", "import.unknown-standard", {"id": self.standard_id})
        missing = [c.id for _, c in self.standard.criteria() if not is_answered(self.answers.get(c.id))]
        if missing:
            return Issue("", "answers", "lifecycle.incomplete", {"n": len(missing), "first": missing[0]})
        return None

    def reopen_refusal(self) -> Issue | None:
        """Why it cannot be reopened: only a submitted one (not a verified one, nor one under verification), and only
        the latest round (a later round carries on)."""
        if self.status == VERIFIED:
            return Issue("", "status", "lifecycle.verified")
        if self.verification is not None:  # the verifier compares evidence with the levels as submitted
            return Issue("", "status", "lifecycle.under-verification")
        if self.status != SUBMITTED:
            return Issue("", "status", "lifecycle.not-submitted")
        if self.round < self.latest_round:
            return Issue("", "round", "lifecycle.later-round", {"round": self.latest_round})
        return None

    def next_round_refusal(self) -> Issue | None:
        """Why no next round can start from it: only from a submitted (or verified) assessment with no later round."""
        if self.round < self.latest_round:
            return Issue("", "round", "lifecycle.later-round", {"round": self.latest_round})
        if self.status not in FINAL:
            return Issue("", "status", "lifecycle.next-needs-submitted", {"round": self.round})
        return None

    @property
    def target(self) -> Target:
        return Target(self.organization_id, self.association)


@dataclass(frozen=True)
class Started:
    work: OpenAssessment
    reopened: bool  # an unfinished draft of this standard existed and was opened instead of a new round


@dataclass(frozen=True)
class Workplace:
    """An organization the actor may work on, as a picker shows it."""

    id: int
    name: str
    association: bool


@dataclass(frozen=True)
class SavedAssessment:
    """One of an organization's assessments as the "continue" list shows it: its summary and overall score so far."""

    summary: AssessmentSummary
    overall: float | None  # of its confirmed answers, as on Results; None before any scores or without its version


class Assessing:
    def __init__(
        self,
        store: Store,
        standard: Callable[[str, str | None], Standard | None],
        remember: Callable[[Standard], None],
    ) -> None:
        self.store = store
        self.standard = standard  # (id, version) -> the version an assessment uses (services.standards)
        self.remember = remember  # keeps the copy of a standard version once an assessment uses it
        self.verifications = VerificationRecords(store)

    def _target(self, organization_id: int) -> Target:
        return organization_target(self.store, organization_id)

    def _open(self, organization_id: int, assessment_id: int) -> OpenAssessment:
        workspace = self.store.workspace(organization_id)
        stored = workspace.load(assessment_id)
        summary = stored.summary
        standard = self.standard(summary.standard_id, summary.standard_version)
        if standard is not None:  # assessments made before copies were kept get theirs the first time they open
            self.remember(standard)
        return OpenAssessment(
            organization_id=organization_id, assessment_id=assessment_id, round=summary.round, status=summary.status,
            standard_id=summary.standard_id, standard_version=summary.standard_version,
            organization=stored.organization, token=workspace.token(assessment_id),
            association=self.store.organization_kind(organization_id) == "association", answers=stored.answers,
            standard=standard, latest_round=workspace.latest_round(summary.standard_id),
            verification=self.verifications.status(assessment_id),
        )  # fmt: skip

    @guarded("assessment", "read")
    def open(self, actor: Actor, organization_id: int, assessment_id: int) -> OpenAssessment:
        ensure(actor, "read", "assessment", self._target(organization_id))
        return self._open(organization_id, assessment_id)

    @guarded("assessment", "read")
    def open_link(self, actor: Actor, token: str) -> OpenAssessment | None:
        """The assessment of a link, if it exists and the actor may see it: both cases look the same."""
        opened = self.store.open_link(token)
        if opened is None:
            return None
        workspace, assessment_id = opened
        if not allowed(actor, "read", "assessment", self._target(workspace.organization_id)):
            return None
        return self._open(workspace.organization_id, assessment_id)

    @guarded("organization", "read")
    def workplaces(self, actor: Actor, association: bool = False) -> list[Workplace]:
        """The organizations (or the association) the actor may answer for."""
        ids = None if actor.system else sorted(actor.organizations)
        rows = self.store.organizations(None, kind="association") if association else self.store.organizations(ids)
        places = [Workplace(i, name, kind == "association") for i, name, kind in rows]
        return [
            p for p in places
            if p.association == association and allowed(actor, "write", "assessment", Target(p.id, p.association))
        ]  # fmt: skip

    @guarded("members", "read")
    def organizations(self, actor: Actor) -> list[tuple[int, str, str]]:
        """(id, name, kind) of the organizations whose people the actor may see (all, for officers and admins),
        by name: names only, no profile."""
        if allowed(actor, "read", "members"):
            return self.store.organizations()
        return self.store.organizations(sorted(actor.organizations))

    @guarded("members", "read")
    def look_alikes(self, actor: Actor) -> list[list[tuple[int, str, str]]]:
        """Organizations whose names are the same once cleaned, in groups: stored apart before names were cleaned
        and kept apart by the upgrade (store migration 0004), since merging their answers is an admin's decision."""
        ensure(actor, "read", "members")  # across every organization: officers and admins
        groups: dict[str, list[tuple[int, str, str]]] = {}
        for organization in self.store.organizations():
            groups.setdefault(name_key(organization[1]), []).append(organization)
        return [group for group in groups.values() if len(group) > 1]

    @guarded("organization", "read")
    def profile(self, actor: Actor, organization_id: int) -> dict[str, Any]:
        ensure(actor, "read", "organization", self._target(organization_id))
        return self.store.profile(organization_id)

    @guarded("assessment", "read")
    def list(self, actor: Actor, organization_id: int) -> list[AssessmentSummary]:
        """The organization's assessments, newest activity first."""
        ensure(actor, "read", "assessment", self._target(organization_id))
        return self.store.workspace(organization_id).assessments()

    @guarded("results", "read")
    def saved(self, actor: Actor, organization_id: int, limit: int = 30) -> list[SavedAssessment]:
        """The organization's `limit` latest assessments, newest activity first, each with its overall score."""
        ensure(actor, "read", "results", self._target(organization_id))
        latest = self.store.workspace(organization_id).assessments()[:limit]
        out = []
        for stored in self.store.load_many(latest):  # two queries, not one per assessment
            standard = self.standard(stored.summary.standard_id, stored.summary.standard_version)
            overall = score_one(standard, counted_levels(stored.answers)).overall if standard else None
            out.append(SavedAssessment(stored.summary, overall))
        return out

    @guarded("assessment", "write")
    def start(
        self, actor: Actor, standard: Standard, organization_id: int, profile: dict[str, Any], lang: str
    ) -> Started:
        """The organization's unfinished draft of this standard, or a new round pre-filled where the company's
        profile or its other assessments already answer."""
        target = self._target(organization_id)
        ensure(actor, "write", "assessment", target)
        if profile and allowed(actor, "write", "organization", target):
            self._update_profile(organization_id, profile)
        workspace = self.store.workspace(organization_id)
        draft = workspace.latest_draft(standard.id)
        if draft is not None:
            workspace.link_campaign(draft)  # a campaign that came after the draft was started
            return Started(self._open(organization_id, draft), reopened=True)
        segments = self.store.profile(organization_id)["segments"]  # the stored profile, if the form left them out
        first = self._prefill(standard, organization_id, segments, lang)
        self.remember(standard)
        assessment_id = workspace.start(standard.id, standard.version, answers=first, by=actor.label)
        return Started(self._open(organization_id, assessment_id), reopened=False)

    def _update_profile(self, organization_id: int, profile: dict[str, Any]) -> None:
        """The profile from the form: what the model accepts (lengths, counts), then only the values the form
        offers; Refused, and nothing written, otherwise."""
        try:
            Organization.model_validate(self.store.profile(organization_id) | profile)
        except ValidationError as exc:
            raise refused_organization(exc) from None
        issues = off_the_lists(profile)
        if issues:
            raise Refused(issues)
        self.store.update_profile(organization_id, profile)

    @guarded("assessment", "write")
    def association(self, actor: Actor, name: str) -> int:
        """The association's own organization (created under `name` the first time)."""
        ensure(actor, "write", "assessment", Target(None, association=True))
        existing = self.store.find_organization(name)
        if existing is not None and self.store.organization_kind(existing) != "association":
            raise Refused([Issue("", "name", "association.name-taken", {"name": name})])
        if existing is not None:
            return existing
        try:
            return self.store.ensure_organization({"name": name}, kind="association")
        except ValidationError as exc:
            raise refused_organization(exc) from None

    def _prefill(self, standard: Standard, organization_id: int, segments: list[str], lang: str) -> dict[str, Answer]:
        """N/A for criteria outside the company's event segments (with the reason), then answers to the same
        capability in the company's latest assessment of each other standard; each marked with its origin."""
        workspace = self.store.workspace(organization_id)
        answers: dict[str, Answer] = {}
        mine = ", ".join(SEGMENTS[s][lang] for s in segments if s in SEGMENTS)
        for criterion_id, applies in excluded_by_segments(standard, segments).items():
            only = ", ".join(SEGMENTS[s][lang] for s in applies if s in SEGMENTS)
            reason = SEGMENT_REASON[lang].format(only=only, mine=mine)
            answers[criterion_id] = Answer(level="na", justification=reason, origin="segment")
        latest = {}
        for summary in workspace.assessments():  # newest first
            latest.setdefault(summary.standard_id, summary)
        sources = [
            (source, workspace.load(summary.id).answers)
            for summary in latest.values()
            if (source := self.standard(summary.standard_id, summary.standard_version)) is not None
        ]
        for criterion_id, offer in capability_prefill(standard, sources).items():
            answers.setdefault(criterion_id, Answer(level=offer.level, origin=offer.origin))
        return answers

    @guarded("answers", "write")
    def answer(self, actor: Actor, work: OpenAssessment, criterion_id: str, answer: Answer) -> bool:
        """Write one whole answer now and log it; False when nothing changed (see `change`)."""
        fields = answer.model_dump()
        return self.change(actor, work, criterion_id, fields).changed

    @guarded("answers", "write")
    def change(
        self,
        actor: Actor,
        work: OpenAssessment,
        criterion_id: str,
        fields: dict[str, Any],
        base: Any = ANY_BASE,
        since: dict[str, str] | None = None,
    ) -> Saved:
        """Change only these fields of the stored answer (a tab that shows an older level and adds a note keeps the
        newer level), check the result with the core and write it with its log entry. An unknown criterion, a level
        off the scale or a text the answer model refuses raises Refused and nothing is written; with `base` (when
        the answer the change started from was written), a newer stored answer raises Stale instead, and so does a
        text (note, evidence, justification) stored since that differs from the one in `since` the change replaces
        (see `text_of`): a stale tab never overwrites a colleague's note."""
        ensure(actor, "write", "answers", self._target(work.organization_id))
        # The version as opened is its stored copy, which never changes: no need to read it again at every answer.
        standard = work.standard or self.standard(work.standard_id, work.standard_version)
        if standard is None:
            raise Refused([Issue("", "standard", "import.unknown-standard", {"id": work.standard_id})])

        def changed(current: Answer | None) -> Answer:
            for name, text in (since or {}).items():
                if name in TEXTS and text_of(current, name) != text:
                    raise Stale(current)
            try:
                answer = (current or Answer()).but(**fields, origin=None)
            except ValidationError as exc:
                raise Refused(from_validation_error("", exc, (Answer,))) from exc
            if issues := answer_issues(standard, criterion_id, answer, "", criterion_id, draft=True):
                raise Refused(issues)
            return answer

        workspace = self.store.workspace(work.organization_id)
        started = time.perf_counter()
        try:
            saved = workspace.change_answer(work.assessment_id, criterion_id, changed, by=actor.label, base=base)
        except (Refused, Stale, Submitted, NotFound):
            raise  # the database answered: the change is refused or outdated, not lost
        except Exception:
            metrics.SAVES_FAILED.inc()
            raise
        if saved.changed:
            metrics.ANSWERS_SAVED.inc()
            metrics.SAVE_SECONDS.observe(time.perf_counter() - started)
        work.answers[criterion_id] = saved.answer
        return saved

    @guarded("answers", "write")
    def confirm(self, actor: Actor, work: OpenAssessment, criterion_ids: list[str]) -> int:
        """Confirm proposals (carried over, pre-filled) as the company's own answers, e.g. a whole domain at once;
        how many were confirmed. Answers already confirmed are left alone, and so is a proposal the standard refuses
        as an answer (it stays a proposal, to be changed)."""
        ensure(actor, "write", "answers", self._target(work.organization_id))
        confirmed = 0
        for criterion_id in criterion_ids:
            proposal = work.answers.get(criterion_id)
            if proposal is None or proposal.origin is None:
                continue
            try:
                confirmed += self.change(actor, work, criterion_id, {}).changed
            except Refused:
                continue
        return confirmed

    @guarded("assessment", "write")
    def submit(self, actor: Actor, work: OpenAssessment) -> None:
        """Submit as final (read-only from then on): a draft with every criterion answered; Refused otherwise."""
        self._move(actor, work, SUBMITTED, OpenAssessment.submit_refusal)

    @guarded("assessment", "write")
    def reopen(self, actor: Actor, work: OpenAssessment) -> None:
        """Reopen the latest round after it was submitted, to change answers; Refused otherwise."""
        self._move(actor, work, DRAFT, OpenAssessment.reopen_refusal)

    def _move(self, actor: Actor, work: OpenAssessment, after: str, refusal: Callable[[OpenAssessment], Any]) -> None:
        """One step of the assessment's life, checked against what is stored when it is taken (another tab may
        have moved it, or changed an answer, a moment ago)."""
        ensure(actor, "write", "assessment", self._target(work.organization_id))
        opened = self._open(work.organization_id, work.assessment_id)

        def check(status: str, answers: dict[str, Answer], latest_round: int) -> None:
            if issue := refusal(replace(opened, status=status, answers=answers, latest_round=latest_round)):
                raise Refused([issue])
            work.answers, work.latest_round = answers, latest_round

        self.store.workspace(work.organization_id).set_status(work.assessment_id, after, by=actor.label, check=check)
        work.status = after

    @guarded("answers", "read")
    def reload(self, actor: Actor, work: OpenAssessment) -> StoredAssessment:
        ensure(actor, "read", "answers", self._target(work.organization_id))
        return self.store.workspace(work.organization_id).load(work.assessment_id)

    @guarded("assessment", "write")
    def next_round(self, actor: Actor, work: OpenAssessment, version: str) -> OpenAssessment:
        """The next round from a submitted latest round, on the same or a newer version: the answers that keep
        their meaning there (see `carried`) are copied as proposals to confirm; Refused otherwise."""
        ensure(actor, "write", "assessment", self._target(work.organization_id))
        target = self.standard(work.standard_id, version)
        if target is None:
            raise Refused([Issue("", "standard", "import.unknown-standard", {"id": work.standard_id})])
        fresh = self._open(work.organization_id, work.assessment_id)
        if issue := fresh.next_round_refusal():
            raise Refused([issue])
        if fresh.standard is None or version_key(version) < version_key(fresh.standard_version):
            raise Refused([Issue("", "version", "lifecycle.older-version", {"version": version,
                                                                            "current": fresh.standard_version})])  # fmt: skip
        self.remember(target)
        workspace = self.store.workspace(work.organization_id)
        try:
            new_id = workspace.next_round(
                work.assessment_id, version, carried(fresh.standard, target, fresh.answers), by=actor.label
            )
        except RoundTaken as taken:  # another tab started it a moment ago
            raise Refused([Issue("", "round", "lifecycle.later-round", {"round": taken.args[0]})]) from None
        return self._open(work.organization_id, new_id)

    @guarded("results", "read")
    def rounds(self, actor: Actor, work: OpenAssessment) -> list[StoredAssessment]:
        """Every round of the open assessment's standard, oldest first."""
        ensure(actor, "read", "results", self._target(work.organization_id))
        return self.store.workspace(work.organization_id).rounds(work.standard_id)

    @guarded("changelog", "read")
    def history(self, actor: Actor, work: OpenAssessment, criterion_id: str | None = None) -> list[dict[str, Any]]:
        ensure(actor, "read", "changelog", self._target(work.organization_id))
        return self.store.workspace(work.organization_id).history(work.assessment_id, criterion_id)


def verify_refusal(status: str) -> Issue | None:
    """Why an assessment cannot be marked verified: only a submitted one (a draft may still change, a verified one
    is final); the verification service takes this step through the store's set_status."""
    return None if status == SUBMITTED else Issue("", "status", "verification.not-submitted")


def carried(current: Standard, target: Standard, answers: dict[str, Answer]) -> list[str]:
    """What a next round on `target` carries from answers to `current`: on another version only the criteria whose
    meaning and scale did not change (scoring.versions), and only answers `target` accepts."""
    keep = (
        {c.id for _, c in target.criteria()}
        if current.version == target.version
        else set(compare(current, target).carried)
    )
    return sorted(
        cid for cid, answer in answers.items()
        if cid in keep and not answer_issues(target, cid, answer, "", cid, draft=True)
    )  # fmt: skip


def text_of(answer: Answer | None, name: str) -> str:
    """A text field of an answer as its box shows it (evidence one line per link)."""
    value = getattr(answer or Answer(), name)
    return "\n".join(value) if name == "evidence" else value
