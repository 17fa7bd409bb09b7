"""The self-assessment journey in a real browser: start, answer, see results, download the report, the workbook
and the CSV."""

import csv
import io
import json

import openpyxl
from playwright.sync_api import Page, expect
from pypdf import PdfReader


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run, so a click does not land on an element being replaced."""
    page.wait_for_timeout(200)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def download(page: Page, button: str):
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return info.value


def answer(page: Page, criterion_id: str, option: str, expected: str = "Sudah dijawab") -> None:
    card = page.locator(f".st-key-card-{criterion_id}")
    card.get_by_text(option, exact=True).click()
    expect(card.get_by_text(expected)).to_be_visible()


SERVES = {"company": "Satu perusahaan", "association": "Asosiasi beserta perusahaan anggotanya"}


def first_run(page: Page, url: str, company: str, email: str, password: str, serves: str = "company") -> None:
    """The first visitor of a new Gapura says whom it serves, creates the admin account, names their company and
    is signed in."""
    page.goto(url)
    expect(page.get_by_role("heading", name="Selamat datang di Gapura")).to_be_visible(timeout=30_000)
    page.get_by_text(SERVES[serves], exact=True).click()
    page.get_by_role("textbox", name="Nama perusahaan (atau asosiasi) Anda").fill(company)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Kata sandi baru").fill(password)
    page.get_by_role("textbox", name="Ulangi kata sandi").fill(password)
    page.get_by_role("button", name="Buat akun admin dan mulai").click()
    expect(page.get_by_role("heading", name="Penilaian mandiri").first).to_be_visible()
    settle(page)


def test_first_run_then_complete_a_short_assessment_and_download_the_csv(page: Page, fresh_server, tmp_path):
    url, _ = fresh_server
    page.set_viewport_size({"width": 1280, "height": 900})
    first_run(page, url, "PT Peramban Uji", "pemilik@peramban.test", "kata-sandi-pertama-9")
    expect(page.get_by_text("Untuk: PT Peramban Uji")).to_be_visible()
    page.get_by_role("button", name="Mulai penilaian").click()
    expect(page.get_by_text("0 dari 4 kriteria sudah dijawab").first).to_be_visible()

    answer(page, "A1", "2 · Terdokumentasi")
    answer(page, "A2", "4 · Diukur & ditingkatkan")
    page.get_by_role("button", name="Domain berikutnya").click()
    answer(page, "B1", "N/A · tidak berlaku", expected="Tulis alasannya")
    card = page.locator(".st-key-card-B1")
    card.get_by_label("Mengapa kriteria ini tidak berlaku untuk Anda?").fill("Tidak ada acara luar ruang")
    card.get_by_label("Mengapa kriteria ini tidak berlaku untuk Anda?").press("Enter")
    expect(card.get_by_text("Sudah dijawab")).to_be_visible()
    expect(page.get_by_text("3 dari 4 kriteria sudah dijawab").first).to_be_visible()
    answer(page, "B2", "1 · Sesekali")
    expect(page.get_by_text("4 dari 4 kriteria sudah dijawab").first).to_be_visible()

    # Answers were given in fragments, without a full rerun: the sidebar download must still include all of them.
    saved = json.loads(download(page, "Unduh berkas penilaian (JSON)").path().read_text(encoding="utf-8"))
    assert saved["answers"] == {
        "A1": {"level": 2}, "A2": {"level": 4},
        "B1": {"level": "na", "justification": "Tidak ada acara luar ruang"}, "B2": {"level": 1},
    }  # fmt: skip

    page.get_by_role("link", name="Hasil", exact=True).click()
    expect(page.get_by_text("Belum siap", exact=False).first).to_be_visible(timeout=20_000)
    path = tmp_path / "results.csv"
    download(page, "Tabel hasil (CSV)").save_as(path)
    # The table for people, in the page's language: semicolons (an Excel set to Indonesian), Ya/Tidak, percentages.
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [r["Kode"] for r in rows] == ["A1", "A2", "B1", "B2"]
    by_id = {r["Kode"]: r for r in rows}
    assert by_id["A1"]["Organisasi"] == "PT Peramban Uji" and by_id["A1"]["Kesimpulan"] == "Belum siap"
    assert (
        by_id["A1"]["Tingkat"] == "2" and by_id["A1"]["Terpenuhi"] == "Tidak" and by_id["A1"]["Urutan rencana"] == "1"
    )
    assert by_id["A1"]["Dampak (poin)"] == "12,5"
    assert by_id["B1"]["Tingkat"] == "N/A" and by_id["B1"]["Alasan N/A"] == "Tidak ada acara luar ruang"
    assert by_id["A2"]["Arti tingkat"] == "Diukur & ditingkatkan"

    report = PdfReader(download(page, "Laporan (PDF)").path())
    text = "".join("".join(p.extract_text() for p in report.pages).split())
    assert "Laporankesiapan" in text and "PTPerambanUji" in text and "Belumsiap" in text
    assert "Tidakadaacaraluarruang" in text
    book = openpyxl.load_workbook(io.BytesIO(download(page, "Buku kerja hasil (XLSX)").path().read_bytes()))
    assert book.sheetnames == ["Skor", "Kriteria", "Rencana aksi"]

    document = json.loads(download(page, "Unduh berkas penilaian (JSON)").path().read_text(encoding="utf-8"))
    assert document["answers"]["A1"] == {"level": 2}
    assert document["organization"]["name"] == "PT Peramban Uji"
