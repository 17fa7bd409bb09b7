"""The company report (PDF), the results workbook (XLSX) and the results CSV for people, built from plain data and
read back as a reader would: pypdf for the PDF's text, openpyxl for the workbook, the csv module for the CSV."""

from __future__ import annotations

import csv
import functools
import io
import os
import string
import subprocess
import sys
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reports.pdf import FONTS, company_pdf
from reports.report import Peers, Report, RoundScore, label, labels, printable
from reports.workbook import people_csv, workbook
from scoring.compare import Cohort, Position
from scoring.engine import score_one
from scoring.evidence import Document
from scoring.export import safe_cell
from scoring.model import Answer, Organization
from scoring.plan import Tracking
from tests.conftest import ROOT

TODAY = date(2026, 12, 6)
NOTES = {"A1": "Permit application sent to the regency office", "A2": "Plan written in 2025, revised in March",
         "B1": "Indoor venues only", "B2": "Debrief held after the last two events"}  # fmt: skip
FULL = {"A1": Answer(level=2, note=NOTES["A1"], evidence=("https://example.org/permit",)),
        "A2": Answer(level=4, note=NOTES["A2"]),
        "B1": Answer(level="na", justification="We run no outdoor events", note=NOTES["B1"]),
        "B2": Answer(level=1, note=NOTES["B2"])}  # fmt: skip
ASSESSMENTS = {"full": FULL, "partial": {k: FULL[k] for k in ("A1", "A2")}, "empty": {}}


def no_chart(fig, width, height):
    """The report's own way of building without charts (as where no browser can draw them)."""
    return None


def report_of(standard, answers, **extra) -> Report:
    levels = {cid: a.level for cid, a in answers.items()}
    return Report(standard, score_one(standard, levels), "PT Contoh Acara", 2, False, answers, TODAY, **extra)


def page_lines(data: bytes) -> list[list[str]]:
    return [(page.extract_text() or "").splitlines() for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """The PDF's text without its page footers (a text running across pages continues past them), every space and
    line break taken out: wrapping splits lines anywhere."""
    return "".join("".join("".join(lines[:-1]) for lines in page_lines(data)).split())


def footers(data: bytes) -> list[str]:
    return [lines[-1] for lines in page_lines(data)]


def squash(text: str) -> str:
    return "".join(text.split())


def test_both_languages_have_every_label_with_the_same_placeholders():
    for key, entry in labels().items():
        assert set(entry) == {"en", "id"}, key
        assert entry["en"].strip() and entry["id"].strip(), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("en", "id")]
        assert fields[0] == fields[1], key
    assert all(len(label(k, lang)) <= 31 for k in labels() if k.startswith("sheet_") for lang in ("en", "id"))


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("kind", list(ASSESSMENTS))
def test_the_pdf_holds_the_verdict_every_plan_step_and_every_answer(mini, kind, lang):
    answers = ASSESSMENTS[kind]
    report = report_of(mini, answers, tracking={"A1": Tracking("A1", owner="Budi", due=date(2026, 11, 30),
                                                                status="doing", note="Call the regency office")})  # fmt: skip
    text = pdf_text(company_pdf(report, lang, draw=no_chart))
    assert squash(report.headline(lang)) in text
    assert squash(report.why(lang)) in text
    assert squash(label("final" if report.final else "draft", lang)) in text
    for step in report.steps:
        assert squash(report.title(step.criterion_id, lang)) in text, step.criterion_id
    for answer in answers.values():
        assert squash(answer.note) in text
    if kind == "full":  # unmet: A1 (mandatory, 2 of 3) and B2 (1 of 2); the tracked one says who and that it is late
        assert [s.criterion_id for s in report.steps] == ["A1", "B2"]
        assert squash(f"{label('owner', lang)}: Budi") in text and squash(label("overdue", lang)) in text
        assert squash("We run no outdoor events") in text and "https://example.org/permit" in text
    if kind == "empty":
        assert squash(label("no_scores", lang)) in text and squash(label("unanswered", lang)) in text
    pages = footers(company_pdf(report, lang, draw=no_chart))
    assert all(line.endswith(label("page", lang, n=n, total=len(pages))) for n, line in enumerate(pages, start=1))
    assert all(line.startswith("PT Contoh Acara · ") for line in pages)


def test_the_verdict_names_the_mandatory_criteria_by_title_not_code(mini):
    report = report_of(mini, FULL)
    assert report.result.verdict.blocking == ("A1",)
    for lang, title in (("en", "Permit filed"), ("id", "Izin diajukan")):
        assert title in report.why(lang) and "A1" not in report.why(lang)


def test_the_benchmark_trend_documents_and_closed_steps_are_in_the_pdf(mini):
    peers = Position(0.6, 12, 70.0, 0.4, 0.55, 0.7, None)
    report = report_of(
        mini, FULL,
        documents=[Document(1, "A1", "izin-keramaian.pdf", "application/pdf", 1000, date(2026, 12, 20),
                            datetime(2026, 11, 1))],
        tracking={"A2": Tracking("A2", owner="Sari", status="done", closed_round=2)},
        rounds=[RoundScore(1, 0.41, {"A": 0.3, "B": 0.5}), RoundScore(2, 0.66, {"A": 0.7, "B": 0.5})],
    )  # fmt: skip
    report = replace(report, peers=Peers(Cohort(province="Jawa Barat"), peers, {"A": peers}, {"A": peers}))
    text = pdf_text(company_pdf(report, "id", draw=no_chart))
    assert squash("izin-keramaian.pdf (habis 20 Desember 2026, kurang dari 30 hari lagi)") in text
    assert squash(label("trend_title", "id", change="naik 25 poin sejak putaran 1")) not in text  # charts not drawn
    assert squash(label("round_label", "id", n=1)) in text and "41%" in text
    assert squash(label("closed_line", "id", round=2)) in text
    assert squash(label("benchmark_heading", "id")) in text and squash("70%") in text


def _subprocess_pdf(tmp_path: Path, env: dict[str, str]) -> str:
    """Builds the full report in a fresh Python, charts drawn by the real painter, and returns its text."""
    out = tmp_path / "report.pdf"
    script = (
        "import sys; from tests.test_reports import FULL, report_of; from tests.conftest import MINI; "
        "from scoring.library import load_standard_file; from reports.pdf import FONTS, company_pdf; "
        f"open({str(out)!r}, 'wb').write(company_pdf(report_of(load_standard_file(MINI).standard, FULL), 'en'))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return pdf_text(out.read_bytes())


def test_a_chart_that_cannot_be_drawn_leaves_its_sentence_and_the_pdf_still_builds(tmp_path):
    text = _subprocess_pdf(tmp_path, {"BROWSER_PATH": str(tmp_path / "no-chromium-here")})
    assert text.count(squash(label("chart_missing", "en"))) == 1  # the gap chart (mini's two domains make no radar)
    assert squash(NOTES["A1"]) in text


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_with_a_browser_the_charts_are_drawn_in_place_of_the_sentence(tmp_path):
    text = _subprocess_pdf(tmp_path, {"BROWSER_PATH": "/usr/bin/chromium"})
    assert squash(label("chart_missing", "en")) not in text
    assert squash(NOTES["A1"]) in text


HOSTILE = st.one_of(
    st.text(min_size=1, max_size=60),
    st.sampled_from(["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "**bold** _x_ # h",
                     "[link](javascript:alert(1))", "<b>tag</b>", "{nb} {0} %s", "x" * 5000, "🎉🙏🏽 acara 👨‍👩‍👧",
                     "line\r\n=1+1\n\t@x", "\x00\x07\x1b[31mred", "‮reversed", "\ud800 lone"]),
)  # fmt: skip


def unpaired(text: str) -> str:
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


@functools.cache
def glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(FONTS / "DejaVuSans.ttf").getBestCmap())


def drawable(text: str) -> str:
    """The characters the shipped font can draw (a PDF shows no other; text extraction cannot return them)."""
    return "".join(c for c in text if ord(c) in glyphs())


def left_to_right(text: str) -> str:
    """Without right-to-left letters (Arabic, Hebrew): the PDF draws a run of them in visual order, which text
    extraction returns reversed, so they are compared apart from the text around them."""
    return "".join(c for c in text if unicodedata.bidirectional(c) not in ("R", "AL", "AN"))


# A PDF takes most of a second (the font is read for each): few examples, each in one language.
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE, note=HOSTILE, reason=HOSTILE, owner=HOSTILE, lang=st.sampled_from(["id", "en"]))
def test_hostile_names_and_notes_never_break_the_files_and_come_back_as_text(mini, name, note, reason, owner, lang):
    cleaned = Organization.clean(name) or "x"
    # A lone surrogate never reaches an answer (the model refuses it); the plan's owner and note here keep theirs.
    answers = {"A1": Answer(level=1, note=unpaired(note)[:5000]),
               "B1": Answer(level="na", justification=unpaired(reason)[:2000])}  # fmt: skip
    report = report_of(mini, answers, tracking={"A1": Tracking("A1", owner=owner, note=note)})
    report = replace(report, organization=cleaned)
    text = left_to_right(pdf_text(company_pdf(report, lang, draw=no_chart)))
    for typed in (answers["A1"].note, answers["B1"].justification, owner, cleaned):
        assert left_to_right(squash(drawable(printable(typed)))) in text
    rows = list(csv.reader(io.StringIO(people_csv(report, lang).decode("utf-8-sig")),
                           delimiter=";" if lang == "id" else ","))  # fmt: skip
    note_column = rows[0].index(label("col_note", lang))
    cell = rows[1][note_column]
    assert not cell.startswith(("=", "+", "-", "@"))
    assert cell == safe_cell(printable(answers["A1"].note))
    book = openpyxl.load_workbook(io.BytesIO(workbook(report, lang)))
    sheet = book[label("sheet_criteria", lang)]
    headers = [c.value for c in sheet[1]]
    value = sheet.cell(2, headers.index(label("col_note", lang)) + 1).value or ""
    assert sheet.cell(2, headers.index(label("col_note", lang)) + 1).data_type != "f"
    assert value == safe_cell(printable(answers["A1"].note))


def test_the_workbook_speaks_indonesian_with_percentages_as_percentages(mini):
    report = report_of(mini, FULL, tracking={"A1": Tracking("A1", owner="Budi", due=date(2026, 11, 30))})
    book = openpyxl.load_workbook(io.BytesIO(workbook(report, "id")))
    assert book.sheetnames == ["Skor", "Kriteria", "Rencana aksi"]
    scores = {row[0]: row[1] for row in book["Skor"].iter_rows(values_only=True) if row[0]}
    assert scores["Kesimpulan"] == "Belum siap" and "Izin diajukan" in scores["Alasan"]
    overall = next(c for c in book["Skor"]["B"] if c.value == report.result.overall)
    assert overall.number_format == "0%"
    sheet = book["Kriteria"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["Kode", "Kriteria", "Domain", "Wajib"] and "Terpenuhi" in headers
    rows = {r[0]: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["A1"]["Terpenuhi"] == "Tidak" and rows["A2"]["Terpenuhi"] == "Ya" and rows["A1"]["Wajib"] == "Ya"
    assert rows["B1"]["Tingkat"] == "N/A" and rows["B1"]["Alasan N/A"] == "We run no outdoor events"
    assert rows["A1"]["Tingkat"] == 2 and rows["A1"]["Arti tingkat"] == "Terdokumentasi"
    assert sheet.cell(2, headers.index("Skor") + 1).number_format == "0%"
    plan = book["Rencana aksi"]
    plan_headers = [c.value for c in plan[1]]
    first = dict(zip(plan_headers, next(plan.iter_rows(min_row=2, values_only=True)), strict=True))
    assert first["Kriteria"] == "Izin diajukan" and first["Penanggung jawab"] == "Budi"
    assert first["Lewat tenggat"] == "Ya" and first["Tenggat"].date() == date(2026, 11, 30)


def test_the_csv_for_people_has_the_overall_score_and_verdict_and_indonesian_words(mini):
    report = report_of(mini, FULL)
    rows = list(csv.DictReader(io.StringIO(people_csv(report, "id").decode("utf-8-sig")), delimiter=";"))
    assert [r["Kode"] for r in rows] == ["A1", "A2", "B1", "B2"]
    first = rows[0]
    assert first["Kesimpulan"] == "Belum siap" and first["Skor keseluruhan"].endswith("%")
    assert first["Terpenuhi"] == "Tidak" and rows[1]["Terpenuhi"] == "Ya" and rows[2]["Terpenuhi"] == ""
    assert first["Skor"] == "50%" and "," in first["Dampak (poin)"]
    english = list(csv.DictReader(io.StringIO(people_csv(report, "en").decode("utf-8-sig"))))
    assert english[0]["Met"] == "No" and english[0]["Verdict"] == "Not ready" and "." in english[0]["Impact (points)"]
