import io
import json
import zipfile

from services.policy import cli_actor
from tests.conftest import MINI_ANSWERS

CLI = cli_actor()


def variant(name="PT Satu", **answers):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    data["organization"]["name"] = name
    data["answers"].update(answers)
    return json.dumps(data).encode()


def zipped(**files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_batch_of_good_bad_and_duplicate_files_gets_the_right_report(gapura):
    files = [
        ("satu.json", variant("PT Satu")),
        ("dua.json", variant('=HYPERLINK("x")')),  # formula text is kept as text, escaped only on export
        ("satu-lagi.json", variant("PT Satu")),  # same content again
        ("rusak.json", b"{"),
        ("salah.json", variant("PT Tiga", Z9={"level": 1})),
        ("wajib-na.json", variant("PT Empat", A1={"level": "na", "justification": "x"})),
        ("versi.json", variant("PT Lima").replace(b'"version": "1"', b'"version": "7"')),
        (
            "arsip.zip",
            zipped(
                **{"a/empat.json": variant("PT Enam"), "a/catatan.txt": "hi", "a/dua.json": variant('=HYPERLINK("x")')}
            ),
        ),
    ]
    report = {line.file: line for line in gapura.transfer.import_files(CLI, files)}
    outcome = {name: line.outcome for name, line in report.items()}
    assert outcome == {
        "satu.json": "imported", "dua.json": "imported", "satu-lagi.json": "duplicate", "rusak.json": "skipped",
        "salah.json": "skipped", "wajib-na.json": "skipped", "versi.json": "skipped",
        "arsip.zip/a/empat.json": "imported", "arsip.zip/a/catatan.txt": "skipped", "arsip.zip/a/dua.json": "duplicate",
    }  # fmt: skip
    assert "not valid JSON" in report["rusak.json"].reason()
    assert "'Z9' is not a criterion" in report["salah.json"].reason()
    assert "mandatory and cannot be marked N/A" in report["wajib-na.json"].reason()
    assert "'mini' version 7, but the library has version(s) 1" in report["versi.json"].reason()
    assert "'mini' versi 7, sedangkan pustaka hanya memiliki versi 1" in report["versi.json"].reason("id")
    assert report["satu-lagi.json"].assessment_id == report["satu.json"].assessment_id
    org = gapura.store.find_organization('=HYPERLINK("x")')
    assert gapura.store.workspace(org).assessments()[0].answered == 4


def test_a_broken_or_oversized_archive_is_reported_not_raised(gapura):
    lines = list(gapura.transfer.import_files(CLI, [("x.zip", b"PK not really")]))
    assert [(line.outcome, line.reason()) for line in lines] == [("skipped", "not a readable ZIP archive")]


def test_exported_archive_imports_back_without_duplicates(gapura):
    lines = list(
        gapura.transfer.import_files(CLI, [("satu.json", variant("PT Satu")), ("dua.json", variant("PT Dua"))])
    )
    satu, dua = (line.organization_id for line in lines)
    archive, count = gapura.transfer.export_zip(CLI)
    assert count == 2
    names = sorted(zipfile.ZipFile(io.BytesIO(archive)).namelist())
    assert names == sorted([f"pt-dua-{dua}/mini-1-r1.json", f"pt-satu-{satu}/mini-1-r1.json"])
    again = list(gapura.transfer.import_files(CLI, [("export.zip", archive)]))
    assert {line.outcome for line in again} == {"duplicate"}
    # the files were downloaded from Gapura, never imported: the reason must not say "imported before"
    assert {line.reason("en") for line in again} == {
        "already in Gapura: the same assessment was imported before, or the file was downloaded from Gapura"
    }
    assert {line.reason("id") for line in again} == {
        "sudah ada di Gapura: penilaian yang sama pernah diimpor, atau berkas ini memang diunduh dari Gapura"
    }
