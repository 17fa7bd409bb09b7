"""Assessing: start (with prefill), open, answer, submit and reopen, the next round, the rounds of a standard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.crosswalk import capability_prefill, excluded_by_segments
from scoring.library import Library
from scoring.model import Answer
from scoring.profile import SEGMENTS
from services.policy import Actor
from store.repository import AssessmentSummary, Store, StoredAssessment

# Stored with the answer, so written in the language the company used when it started.
SEGMENT_REASON = {
    "en": "Applies only to: {only}. Your event segments: {mine}.",
    "id": "Hanya berlaku untuk: {only}. Jenis acara Anda: {mine}.",
}


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
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def standard_key(self) -> tuple[str, str]:
        return (self.standard_id, self.standard_version)

    @property
    def read_only(self) -> bool:
        return self.status == "submitted"


class Assessing:
    def __init__(self, store: Store, library: callable) -> None:
        self.store = store
        self.library: callable[[], Library] = library

    def open(self, actor: Actor, organization_id: int, assessment_id: int) -> OpenAssessment:
        workspace = self.store.workspace(organization_id)
        stored = workspace.load(assessment_id)
        summary = stored.summary
        return OpenAssessment(
            organization_id=organization_id, assessment_id=assessment_id, round=summary.round, status=summary.status,
            standard_id=summary.standard_id, standard_version=summary.standard_version,
            organization=stored.organization, token=workspace.token(assessment_id), answers=stored.answers,
        )  # fmt: skip

    def open_link(self, actor: Actor, token: str) -> OpenAssessment | None:
        opened = self.store.open_link(token)
        if opened is None:
            return None
        workspace, assessment_id = opened
        return self.open(actor, workspace.organization_id, assessment_id)

    def find_organization(self, actor: Actor, name: str) -> int | None:
        return self.store.find_organization(name)

    def list(self, actor: Actor, organization_id: int) -> list[AssessmentSummary]:
        """The organization's assessments, newest activity first."""
        return self.store.workspace(organization_id).assessments()

    def start(self, actor: Actor, standard, organization: dict[str, Any], lang: str) -> OpenAssessment:
        """A new assessment, pre-filled where the company's profile or its other assessments already answer."""
        organization_id = self.store.ensure_organization(organization)
        workspace = self.store.workspace(organization_id)
        segments = self.store.profile(organization_id)["segments"]  # the stored profile, if the form left them out
        first = self.prefill(standard, organization_id, segments, lang)
        assessment_id = workspace.start(standard.id, standard.version, answers=first, by=actor.label)
        return self.open(actor, organization_id, assessment_id)

    def prefill(self, standard, organization_id: int, segments: list[str], lang: str) -> dict[str, Answer]:
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
            if (source := self.library().get(summary.standard_id, summary.standard_version)) is not None
        ]
        for criterion_id, offer in capability_prefill(standard, sources).items():
            answers.setdefault(criterion_id, Answer(level=offer.level, origin=offer.origin))
        return answers

    def answer(self, actor: Actor, work: OpenAssessment, criterion_id: str, answer: Answer) -> bool:
        """Write one answer now and log it; False when nothing changed."""
        workspace = self.store.workspace(work.organization_id)
        return workspace.save_answer(work.assessment_id, criterion_id, answer, by=actor.label)

    def set_status(self, actor: Actor, work: OpenAssessment, status: str) -> None:
        """Submit (read-only from then on) or reopen."""
        self.store.workspace(work.organization_id).set_status(work.assessment_id, status, by=actor.label)
        work.status = status

    def reload(self, actor: Actor, work: OpenAssessment) -> StoredAssessment:
        return self.store.workspace(work.organization_id).load(work.assessment_id)

    def next_round(self, actor: Actor, work: OpenAssessment, version: str, carry: list[str] | None) -> OpenAssessment:
        workspace = self.store.workspace(work.organization_id)
        new_id = workspace.next_round(work.assessment_id, version, carry, by=actor.label)
        return self.open(actor, work.organization_id, new_id)

    def rounds(self, actor: Actor, work: OpenAssessment) -> list[StoredAssessment]:
        """Every round of the open assessment's standard, oldest first."""
        return self.store.workspace(work.organization_id).rounds(work.standard_id)
