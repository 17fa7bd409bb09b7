"""`python -m gapura report`: the company report from an assessment file with no database, or its workbook; a bad
file gets the reasons in the chosen language and exit code 2."""

import io
import json
import os
import subprocess
import sys

import openpyxl

from reports.report import label
from tests.conftest import MINI, MINI_ANSWERS, ROOT
from tests.test_reports import pdf_text, squash


def run(*args, **env):
    # No database anywhere: DATABASE_URL points at a folder that does not exist, so any use of one would fail.
    environment = {**os.environ, "DATABASE_URL": "sqlite:////nonexistent/folder/gapura.db", **env}
    return subprocess.run([sys.executable, "-m", "gapura", "report", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env=environment)  # fmt: skip


def test_a_good_file_becomes_a_pdf_in_indonesian(tmp_path):
    out = tmp_path / "laporan.pdf"
    done = run("--standard", str(MINI), "--answers", str(MINI_ANSWERS), "--lang", "id", "--out", str(out),
               BROWSER_PATH=str(tmp_path / "no-browser"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = pdf_text(out.read_bytes())
    assert squash("PT Contoh Acara") in text and squash("Belum siap") in text
    assert squash("Written in 2025") in text and squash("We run no outdoor events") in text
    assert squash(label("round", "id") + ":") not in text  # a file does not say its round: none is made up


def test_format_xlsx_writes_the_workbook_in_english(tmp_path):
    out = tmp_path / "results.bin"
    done = run("--standard", str(MINI), "--answers", str(MINI_ANSWERS), "--lang", "en", "--out", str(out),
               "--format", "xlsx")  # fmt: skip
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Scores", "Criteria", "Action plan"]
    assert [c.value for c in book["Criteria"][1]][:2] == ["Code", "Criterion"]


def test_a_bad_file_is_explained_in_the_chosen_language_with_exit_2(tmp_path):
    bad = tmp_path / "rusak.json"
    bad.write_text("{not json", encoding="utf-8")
    done = run("--standard", str(MINI), "--answers", str(bad), "--lang", "id", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2 and not (tmp_path / "x.pdf").exists()
    assert done.stderr.startswith(f"{bad}: $: isi berkas ini bukan JSON yang valid")
    wrong = tmp_path / "wrong.json"
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["answers"]["A1"]["level"] = 9
    wrong.write_text(json.dumps(data), encoding="utf-8")
    done = run("--standard", str(MINI), "--answers", str(wrong), "--lang", "en", "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"{wrong}: answers.A1.level: level 9 is not a level of this scale (0–4)"
