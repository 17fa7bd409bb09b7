"""The reports service on a real database (SQLite and PostgreSQL): the files hold what is stored, the benchmark only
where the disclosure gate cleared the cohort, the trend of the rounds up to this one, and the plan's tracking and the
evidence documents from the services the application wires in."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from reports.report import label
from scoring.evidence import Document
from scoring.model import Answer
from scoring.plan import Tracking
from services.policy import Denied, cli_actor
from services.reports import Reports
from tests.persistence.people import person
from tests.persistence.test_association import six  # noqa: F401  (the six members checked by hand)
from tests.test_reports import pdf_text, squash


def _open(gapura, name: str):
    org = gapura.store.find_organization(name)
    assessment = gapura.store.workspace(org).rounds("mini")[0].summary.id
    member = person(gapura, organizations=[org])
    return member, gapura.assessing.open(member, org, assessment)


def test_a_members_report_has_its_stored_notes_and_the_benchmark_the_gate_cleared(gapura, six):  # noqa: F811
    member, work = _open(gapura, "PT m4")
    gapura.assessing.change(member, work, "A1", {"note": "Izin keramaian diurus bulan ini"})
    text = pdf_text(gapura.reports.company_report(member, work, "id", "pdf"))
    assert squash("Izin keramaian diurus bulan ini") in text
    # m4 is above 3 of the 4 others in its widened cohort of 5 (tests/persistence/test_association.py).
    assert squash(label("benchmark_heading", "id")) in text and "75%" in text
    assert squash("5 perusahaan, termasuk Anda") in text
    # The cohort the company picks on Results is the report's too, through the same gate: the widest rung is one
    # company more than the cohort just released, so it is refused and the report shows no benchmark at all.
    wider = pdf_text(gapura.reports.company_report(member, work, "id", "pdf", choice=5))
    assert gapura.aggregates.benchmark(member, work.assessment_id, 5).suppressed.code == "disclosure.differencing"
    assert squash(label("benchmark_heading", "id")) not in wider and squash("Izin keramaian") in wider
    stranger = person(gapura, organizations=[gapura.store.find_organization("PT m1")])
    with pytest.raises(Denied):
        gapura.reports.company_report(stranger, work, "id", "pdf")


def test_no_benchmark_where_the_cohort_is_too_small(gapura):
    org = gapura.store.ensure_organization({"name": "PT Sendirian", "region": "Bali"})
    member = person(gapura, organizations=[org])
    mini = gapura.standard("mini", None)
    work = gapura.assessing.start(member, mini, org, {}, "en").work
    for cid in ("A1", "A2", "B1", "B2"):
        gapura.assessing.answer(member, work, cid, Answer(level=3))
    text = pdf_text(gapura.reports.company_report(member, work, "en", "pdf"))
    assert squash(label("overall", "en")) in text
    assert squash(label("benchmark_heading", "en")) not in text


def test_the_workbook_carries_the_plan_tracking_and_the_documents_it_is_given(gapura):
    org = gapura.store.ensure_organization({"name": "PT Rencana"})
    member = person(gapura, organizations=[org])
    work = gapura.assessing.start(member, gapura.standard("mini", None), org, {}, "en").work
    gapura.assessing.answer(member, work, "A1", Answer(level=1, note="baru mulai"))
    reports = Reports(gapura.store, gapura.standard, gapura.assessing, gapura.aggregates,
                      tracking=lambda actor, w: {"A1": Tracking("A1", owner="Budi", due=date(2026, 1, 5))},
                      documents=lambda actor, w: [Document(7, "A1", "izin.pdf", "application/pdf", 10, None,
                                                           datetime(2026, 1, 1))])  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(reports.company_report(cli_actor(), work, "id", "xlsx")))
    plan = book["Rencana aksi"]
    headers = [c.value for c in plan[1]]
    first = dict(zip(headers, next(plan.iter_rows(min_row=2, values_only=True)), strict=True))
    assert first["Penanggung jawab"] == "Budi" and first["Lewat tenggat"] == "Ya"
    criteria = book["Kriteria"]
    headers = [c.value for c in criteria[1]]
    a1 = dict(zip(headers, next(criteria.iter_rows(min_row=2, values_only=True)), strict=True))
    assert a1["Dokumen"] == "izin.pdf" and a1["Catatan"] == "baru mulai"
    with pytest.raises(ValueError):
        reports.company_report(cli_actor(), work, "id", "docx")


def test_the_cohort_picked_on_results_is_the_reports(gapura, six):  # noqa: F811
    member, work = _open(gapura, "PT m4")
    text = pdf_text(gapura.reports.company_report(member, work, "en", "pdf", choice=5))  # the widest rung: everyone
    assert squash("6 companies, yours included") in text


def test_the_report_has_the_plan_the_company_keeps_and_its_evidence_documents(gapura):
    from tests.evidence_files import pdf

    org = gapura.store.ensure_organization({"name": "PT Terlacak"})
    member = person(gapura, organizations=[org])
    work = gapura.assessing.start(member, gapura.standard("mini", None), org, {}, "en").work
    gapura.assessing.answer(member, work, "A1", Answer(level=1, note="baru mulai"))
    gapura.plans.track(member, work, "A1", owner="Sari Wulandari", due=date(2026, 1, 5), note="Hubungi dinas")
    gapura.evidence.attach(member, work, "A1", "izin-keramaian.pdf", pdf(), date(2030, 1, 1))
    text = pdf_text(gapura.reports.company_report(member, work, "id", "pdf"))
    assert squash("Penanggung jawab: Sari Wulandari") in text and squash("Hubungi dinas") in text
    assert squash(label("overdue", "id")) in text
    assert squash("izin-keramaian.pdf (berlaku sampai 1 Januari 2030)") in text
