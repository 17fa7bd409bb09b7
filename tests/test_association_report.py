"""The report for the ministry built from hand-made figures (reports/association_report.py): pypdf reads every
section back in both languages, openpyxl reads one sheet per section, a figure not shown is a mark with its reason
and never a number, an absent section says so in one sentence, and text from members cannot become a formula."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.association_report import (
    AssociationReport,
    CohortRow,
    Completion,
    RoundChange,
    Support,
    SupportChange,
    SupportKind,
    Verified,
    association_pdf,
    association_workbook,
    gaps_figure,
    heatmap_figure,
)
from reports.report import label
from scoring.disclosure import suppressed, too_few
from scoring.library import load_standard_file
from tests.conftest import STANDARDS
from tests.test_reports import no_chart, pdf_text, squash

DAY = date(2027, 3, 4)


@pytest.fixture(scope="module")
def safety():
    return load_standard_file(STANDARDS / "event-safety.json").standard


def sample(standard, **changes) -> AssociationReport:
    """Figures as the service hands them over: 40 companies, one island group too small, its cover hidden too."""
    domains = len(standard.domains)
    criteria = [c.id for _, c in standard.criteria()]
    agenda = pd.DataFrame({"criterion": criteria[:12], "domain": "", "agenda": [0.04 - 0.003 * i for i in range(12)],
                           "share_unmet": [0.8 - 0.05 * i for i in range(12)], "unmet": 20, "count": 40})  # fmt: skip
    figures = dict(
        association="Asosiasi Uji", standard=standard, made_on=DAY, threshold=5, campaign="T0 2027", n=40,
        readiness={"not-ready": 21, "ready": 6, "progressing": 10, "early": None},
        cohorts=[
            CohortRow("island_group", "jawa", 30, [0.5 + 0.01 * j for j in range(domains)]),
            CohortRow("island_group", "bali-nusa-tenggara", None, [None] * domains, too_few(3)),
            CohortRow("island_group", "sumatera", None, [None] * domains, suppressed("disclosure.secondary")),
            CohortRow("size_band", "11-50", 18, [0.61] + [None] + [0.4] * (domains - 2)),
            CohortRow("segment", "concert-festival", 12, [0.7] * domains),
        ],
        agenda=agenda,
        changes=[RoundChange(1, 2, 22, 0.081, 0.72), RoundChange(2, 3, None, None, None, too_few(2))],
        completion=Completion(invited=120, signed_up=80, started=60, submitted=41, verified=12, overdue=None),
        support=Support([SupportKind("training", 4, 35, 6), SupportKind("permit_clinic", 2, None, 2)],
                        [SupportChange("training", 0.09, 20, 0.03, 15), SupportChange("permit_clinic", None, None, 0.05, 30)]),
        verified=Verified(0.29, 12, 0.42, [(criteria[0], "Rencana keselamatan acara", 0.8, 12),
                                           (criteria[1], "=HYPERLINK(\"http://x\")", None, None)]),
    )  # fmt: skip
    return AssociationReport(**(figures | changes))


def test_the_pdf_has_every_section_in_indonesian_with_the_summary_in_plain_words(safety):
    text = pdf_text(association_pdf(sample(safety), "id", no_chart))
    for key in ("m_title", "m_summary_heading", "m_completion_heading", "m_readiness_heading", "m_heatmap_heading",
                "m_gaps_heading", "m_change_heading", "m_support_heading", "m_verified_heading", "m_notes_heading"):  # fmt: skip
        assert squash(label(key, "id")) in text, key
    assert squash("Asosiasi Uji") in text and squash("4 Maret 2027") in text and squash("T0 2027") in text
    assert squash("40 perusahaan anggota sudah menyelesaikan") in text and squash("6 di antaranya") in text
    assert squash("Dari 120 perusahaan yang diundang ke kampanye, 41 sudah mengirim") in text
    assert squash("+8,1 poin") in text  # the change between rounds, in Indonesian decimals
    assert squash("29% penilaian mandiri") in text and squash("tingkat tertinggi) sebesar 0,42.") in text
    assert squash(label("m_causal", "id")) in text


def test_the_pdf_in_english_and_a_hidden_figure_shows_its_reason_not_a_number(safety):
    report = sample(safety)
    text = pdf_text(association_pdf(report, "en", no_chart))
    assert squash("4 March 2027") in text and squash(label("m_title", "en")) in text
    assert squash("Bali & Nusa Tenggara: " + too_few(3).message("en")) in text  # the small island group says why
    assert squash("Sumatra: " + label("m_hidden_cover", "en")) in text  # and its cover says it is a cover
    assert squash("Sumatra" + label("m_fewer", "en", k=5) + "———") in text  # its row shows no figure
    assert squash("Early stage——") in text  # the early stage's count is hidden in the readiness table


def test_the_heatmap_leaves_hidden_cells_blank_and_the_gap_chart_shows_the_top_ten(safety):
    report = sample(safety)
    figure = heatmap_figure(report, "en")
    z = figure.data[0].z
    assert len(z) == 5 and all(v is None for v in z[1]) and all(v is None for v in z[2])
    assert z[3][1] is None and z[0][0] == pytest.approx(50.0)
    assert "Island group: Java" in figure.data[0].y[0]
    bars = gaps_figure(report, "id")
    assert len(bars.data[0].x) == 10 and bars.data[0].x[0] == pytest.approx(4.0)


def test_an_absent_section_says_so_in_one_sentence(safety):
    report = sample(safety, completion=None, support=None, verified=None, changes=[], campaign=None)
    text = pdf_text(association_pdf(report, "id", no_chart))
    for key in ("m_completion_none", "m_support_none", "m_verified_none", "m_change_none"):
        assert squash(label(key, "id")) in text, key
    assert squash(label("m_campaign", "id")) not in text


def test_a_membership_too_small_shows_no_figure_of_it_anywhere(safety):
    why = too_few(3)
    report = sample(safety, n=None, refused=why, readiness={}, cohorts=[], agenda=pd.DataFrame())
    text = pdf_text(association_pdf(report, "en", no_chart))
    assert text.count(squash(why.message("en"))) >= 4  # the summary and each of the three sections
    assert squash(label("m_gaps_title", "en")) not in text
    book = openpyxl.load_workbook(io.BytesIO(association_workbook(report, "en")))
    assert book["Readiness"]["A2"].value == why.message("en")
    assert book["Shared gaps"].max_row == 2


def test_the_workbook_has_a_sheet_per_section_and_hidden_cells_hold_no_figure(safety):
    book = openpyxl.load_workbook(io.BytesIO(association_workbook(sample(safety), "id")))
    assert book.sheetnames == ["Baca dulu", "Penyelesaian", "Kesiapan", "Kesenjangan bersama", "Domain per kelompok",
                               "Perubahan antarputaran", "Dukungan", "Verifikasi"]  # fmt: skip
    notes = [row[1] for row in book["Baca dulu"].iter_rows(min_row=1, values_only=True)]
    assert label("m_rule", "id", k=5) in notes and "T0 2027" in notes
    cohorts = list(book["Domain per kelompok"].iter_rows(min_row=2, values_only=True))
    small = next(row for row in cohorts if row[1] == "Bali & Nusa Tenggara")
    assert small[2] == "—" and set(small[3:-1]) == {"—"} and small[-1] == too_few(3).message("id")
    java = next(row for row in cohorts if row[1] == "Jawa")
    assert java[2] == 30 and java[3] == pytest.approx(0.5)
    readiness = {row[0]: row[1] for row in book["Kesiapan"].iter_rows(min_row=2, values_only=True)}
    assert readiness["Siap untuk audit"] == 6 and readiness["Tahap awal"] == "—" and readiness["Jumlah"] == 40
    gaps = list(book["Kesenjangan bersama"].iter_rows(min_row=2, values_only=True))
    assert len(gaps) == 12 and gaps[0][3] == pytest.approx(4.0)  # every gap, in points
    completion = {row[0]: row[1] for row in book["Penyelesaian"].iter_rows(min_row=2, values_only=True)}
    assert completion["Diundang"] == 120 and completion["Lewat tenggat, belum dikirim"] == "—"


def test_member_text_in_the_workbook_cannot_become_a_formula(safety):
    book = openpyxl.load_workbook(io.BytesIO(association_workbook(sample(safety), "en")))
    cells = [c for row in book["Verification"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in c.value for c in cells)
    assert not any(c.value.startswith("=") or c.data_type == "f" for c in cells)


@given(hidden=st.lists(st.booleans(), min_size=1, max_size=12), ready=st.one_of(st.none(), st.integers(5, 90)))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_is_hidden_no_hidden_cell_of_the_workbook_holds_a_number(safety, hidden, ready):
    domains = len(safety.domains)
    cohorts = [CohortRow("segment", f"s{i}", None if h else 7 + i, [None if h else 0.4] * domains,
                         too_few(2) if h else None) for i, h in enumerate(hidden)]  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(association_workbook(
        sample(safety, cohorts=cohorts, readiness={"ready": ready, "not-ready": 30}), "en")))  # fmt: skip
    rows = list(book["Domains by group"].iter_rows(min_row=2, values_only=True))
    for row, h in zip(rows, hidden, strict=True):
        assert (set(row[2:-1]) == {"—"}) == h and (row[-1] is not None) == h
    readiness = {row[0]: row[1] for row in book["Readiness"].iter_rows(min_row=2, values_only=True)}
    assert readiness["Ready for audit"] == ("—" if ready is None else ready)
