"""The company report and the results files for people (PDF, XLSX, CSV) of one assessment: gathered from what is
stored (its answers, its rounds, the benchmark only as the disclosure gate cleared it, the plan's tracking and the
evidence documents) and built by the pure reports/ package, which the command line uses from files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from reports.report import Peers, Report, RoundScore
from reports.workbook import people_csv, workbook
from scoring.assessment import counted_levels
from scoring.engine import score_one
from scoring.evidence import Document
from scoring.model import Standard
from scoring.plan import Tracking
from services.aggregates import Aggregates
from services.assessing import FINAL, Assessing, OpenAssessment
from services.policy import Actor, Target, allowed, ensure, guarded
from services.targets import organization_target
from services.verification import VerificationView, scored_levels
from store.repository import NotFound, Store

FORMATS = ("pdf", "xlsx", "csv")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
TrackingOf = Callable[[Actor, OpenAssessment], dict[str, Tracking]]
DocumentsOf = Callable[[Actor, OpenAssessment], list[Document]]
VerificationOf = Callable[[Actor, int], VerificationView | None]


def _no_tracking(actor: Actor, work: OpenAssessment) -> dict[str, Tracking]:
    return {}


def _no_documents(actor: Actor, work: OpenAssessment) -> list[Document]:
    return []


def _no_verification(actor: Actor, assessment_id: int) -> VerificationView | None:
    return None


class Reports:
    def __init__(self, store: Store, standard: Callable[[str, str | None], Standard | None], assessing: Assessing,
                 aggregates: Aggregates, tracking: TrackingOf = _no_tracking,
                 documents: DocumentsOf = _no_documents,
                 verification: VerificationOf = _no_verification) -> None:  # fmt: skip
        self.store, self.standard, self.assessing, self.aggregates = store, standard, assessing, aggregates
        # The plan's tracking and the evidence documents come from their own services (services/app.py passes
        # Plans.tracking and Evidence.documents); without them a report has neither.
        self.tracking, self.documents = tracking, documents
        self.verification = verification  # Verifying.view: a verified assessment is scored on its verified levels

    @guarded("results", "read")
    def company_report(
        self, actor: Actor, work: OpenAssessment, lang: str, fmt: str, choice: int | None = None
    ) -> bytes:
        """The report (pdf), the workbook (xlsx) or the CSV for people of the assessment as stored now; `choice` is
        the benchmark's cohort the company picked on Results (Aggregates.benchmark)."""
        target = organization_target(self.store, work.organization_id)
        ensure(actor, "read", "results", target)
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        report = self._gather(actor, work, target, choice)
        if fmt == "pdf":
            from reports.pdf import company_pdf  # fpdf and its fonts load when a PDF is made, not with the app

            return company_pdf(report, lang)
        return workbook(report, lang) if fmt == "xlsx" else people_csv(report, lang)

    def _gather(self, actor: Actor, work: OpenAssessment, target: Target, choice: int | None) -> Report:
        stored = self.store.workspace(work.organization_id).load(work.assessment_id)
        summary = stored.summary
        standard = self.standard(summary.standard_id, summary.standard_version)
        if standard is None:
            raise NotFound(work.assessment_id)
        rounds = []
        for earlier in self.assessing.rounds(actor, work):
            if earlier.summary.round > summary.round:
                continue
            used = self.standard(earlier.summary.standard_id, earlier.summary.standard_version)
            if used is not None:
                scored = score_one(used, counted_levels(earlier.answers))
                rounds.append(RoundScore(earlier.summary.round, scored.overall,
                                         dict(zip(scored.domains["domain"], scored.domains["score"], strict=True))))  # fmt: skip
        checked = (
            self.verification(actor, work.assessment_id) if allowed(actor, "read", "verification", target) else None
        )
        levels, verified = scored_levels(stored.answers, checked)
        return Report(
            standard=standard, result=score_one(standard, levels), verified=verified,
            organization=stored.organization.get("name", ""), round=summary.round, final=summary.status in FINAL,
            answers=stored.answers, made_on=datetime.now(UTC).astimezone().date(),
            tracking=self.tracking(actor, work), documents=self.documents(actor, work),
            peers=None if target.association else self._peers(actor, work, choice), rounds=rounds,
        )  # fmt: skip

    def _peers(self, actor: Actor, work: OpenAssessment, choice: int | None) -> Peers | None:
        """The benchmark as the Results page shows it: only a cohort the gate cleared, never a suppressed figure."""
        if not allowed(actor, "read", "benchmark", organization_target(self.store, work.organization_id)):
            return None
        try:
            bench = self.aggregates.benchmark(actor, work.assessment_id, choice)
        except NotFound:  # no benchmark set for this version yet
            return None
        if bench.suppressed is not None or bench.cohort is None or bench.overall is None:
            return None
        if bench.overall.percentile is None:
            return None
        return Peers(bench.cohort.cohort, bench.overall, bench.domains, bench.gaps)
