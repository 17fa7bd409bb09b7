"""`python -m gapura report --association`: the report for the ministry from the database, PDF or XLSX by --out's
extension, in the chosen language, audited; an unknown standard or a wrong extension: a message and exit 2."""

import io
import os
import subprocess
import sys

import openpyxl
import pytest

from reports.report import label
from services.app import Gapura
from services.policy import cli_actor
from services.settings import Settings
from tests.conftest import ROOT
from tests.test_reports import pdf_text, squash


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """40 demo members on the shipped standards, in a SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('ministry') / 'app.db'}"
    app = Gapura(Settings(database_url=url, standards_dir=ROOT / "standards"))
    app.demo.load(cli_actor(), organizations=40, seed=5)
    app.close()
    return url


def run(database, *args, **env):
    environment = {**os.environ, "DATABASE_URL": database, "GAPURA_STANDARDS_DIR": str(ROOT / "standards"), **env}
    return subprocess.run([sys.executable, "-m", "gapura", "report", "--association", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, env=environment)  # fmt: skip


def test_the_pdf_in_indonesian_is_written_and_audited(database, tmp_path):
    out = tmp_path / "kementerian.pdf"
    done = run(database, "--standard", "event-safety", "--lang", "id", "--out", str(out),
               BROWSER_PATH=str(tmp_path / "no-browser"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = pdf_text(out.read_bytes())
    assert squash(label("m_title", "id")) in text and squash(label("m_heatmap_heading", "id")) in text
    app = Gapura(Settings(database_url=database, standards_dir=ROOT / "standards"))
    event = app.audit.events(cli_actor())[0]
    app.close()
    assert event.action == "association_report.made" and event.actor.startswith("cli:")
    assert event.detail["lang"] == "id" and event.detail["format"] == "pdf"


def test_the_workbook_in_english_from_the_extension(database, tmp_path):
    out = tmp_path / "ministry.xlsx"
    done = run(database, "--standard", "event-safety", "--version", "2026.1", "--lang", "en", "--out", str(out))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames[0] == "Read me" and "Domains by group" in book.sheetnames


def test_an_unknown_standard_or_extension_is_refused_with_exit_2(database, tmp_path):
    done = run(database, "--standard", "no-such-standard", "--lang", "en", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and not (tmp_path / "x.pdf").exists()
    assert done.stderr.startswith("no-such-standard: $: no stored assessment of this standard")
    done = run(database, "--standard", "event-safety", "--lang", "en", "--out", str(tmp_path / "x.docx"))
    assert done.returncode == 2 and "a .pdf or an .xlsx file" in done.stderr


def test_a_company_report_still_needs_its_answers(tmp_path):
    done = subprocess.run([sys.executable, "-m", "gapura", "report", "--standard", "x.json", "--out",
                           str(tmp_path / "x.pdf")], cwd=ROOT, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and "--answers is needed" in done.stderr
