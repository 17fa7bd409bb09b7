"""Assessing: start (with prefill), open, answer, submit and reopen, the next round, the rounds of a standard.
Every call takes the acting user and is checked against the policy before anything is read or written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from scoring.assessment import answer_issues
from scoring.crosswalk import capability_prefill, excluded_by_segments
from scoring.issues import Issue, from_validation_error
from scoring.model import Answer, Organization, Standard
from scoring.profile import SEGMENTS, off_the_lists
from services.policy import Actor, Target, allowed, ensure, guarded
from services.targets import organization_target
from store.repository import ANY_BASE, AssessmentSummary, Saved, Stale, Store, StoredAssessment, name_key

__all__ = ["Refused", "Stale", "OpenAssessment", "Assessing", "Started", "Workplace"]

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

    @property
    def standard_key(self) -> tuple[str, str]:
        return (self.standard_id, self.standard_version)

    @property
    def read_only(self) -> bool:
        return self.status == "submitted"

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
            standard=standard,
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
        self, actor: Actor, work: OpenAssessment, criterion_id: str, fields: dict[str, Any], base: Any = ANY_BASE
    ) -> Saved:
        """Change only these fields of the stored answer (a tab that shows an older level and adds a note keeps the
        newer level), check the result with the core and write it with its log entry. An unknown criterion, a level
        off the scale or a text the answer model refuses raises Refused and nothing is written; with `base` (when
        the answer the change started from was written), a newer stored answer raises Stale instead."""
        ensure(actor, "write", "answers", self._target(work.organization_id))
        standard = self.standard(work.standard_id, work.standard_version)
        if standard is None:
            raise Refused([Issue("", "standard", "import.unknown-standard", {"id": work.standard_id})])

        def changed(current: Answer | None) -> Answer:
            try:
                answer = (current or Answer()).but(**fields, origin=None)
            except ValidationError as exc:
                raise Refused(from_validation_error("", exc, (Answer,))) from exc
            if issues := answer_issues(standard, criterion_id, answer, "", criterion_id, draft=True):
                raise Refused(issues)
            return answer

        workspace = self.store.workspace(work.organization_id)
        saved = workspace.change_answer(work.assessment_id, criterion_id, changed, by=actor.label, base=base)
        work.answers[criterion_id] = saved.answer
        return saved

    @guarded("assessment", "write")
    def set_status(self, actor: Actor, work: OpenAssessment, status: str) -> None:
        """Submit (read-only from then on) or reopen."""
        ensure(actor, "write", "assessment", self._target(work.organization_id))
        self.store.workspace(work.organization_id).set_status(work.assessment_id, status, by=actor.label)
        work.status = status

    @guarded("answers", "read")
    def reload(self, actor: Actor, work: OpenAssessment) -> StoredAssessment:
        ensure(actor, "read", "answers", self._target(work.organization_id))
        return self.store.workspace(work.organization_id).load(work.assessment_id)

    @guarded("assessment", "write")
    def next_round(self, actor: Actor, work: OpenAssessment, version: str, carry: list[str] | None) -> OpenAssessment:
        ensure(actor, "write", "assessment", self._target(work.organization_id))
        target = self.standard(work.standard_id, version)
        if target is None:
            raise Refused([Issue("", "standard", "import.unknown-standard", {"id": work.standard_id})])
        self.remember(target)
        workspace = self.store.workspace(work.organization_id)
        new_id = workspace.next_round(work.assessment_id, version, carry, by=actor.label)
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
