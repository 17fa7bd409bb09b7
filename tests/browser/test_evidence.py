"""Evidence in a real browser: a PDF uploaded on a criterion card is listed on the card at once and comes back byte
for byte from the evidence register; a 10 MB file is taken and an 11 MB one refused with a sentence in the user's
language, and an attached file no longer counts against the tab's upload budget; a file removed on the card is gone
from it at once (the card reruns alone, with the documents its page read before)."""

from playwright.sync_api import Browser, expect

from tests.browser.conftest import sign_in_as, start_server, stop
from tests.browser.test_journey import settle
from tests.conftest import DATA
from tests.evidence_files import pdf

STANDARDS = DATA / "standards"
MB = 1024 * 1024


def upload(card, name: str, data: bytes) -> None:
    card.locator("input[type=file]").set_input_files({"name": name, "mimeType": "application/pdf", "buffer": data})


def listed(card, name: str):
    return card.locator("[class*='st-key-evidence-doc-']").filter(has_text=name)


def test_a_pdf_uploaded_on_the_card_downloads_back_from_the_register(browser: Browser, tmp_path, monkeypatch):
    # A tab may hold 15 MB of uploads: the 11 MB file reaches the check only if the 10 MB one was let go once stored.
    monkeypatch.setenv("GAPURA_UPLOAD_BUDGET_MB", "15")
    database = tmp_path / "evidence.db"
    server, url = start_server(STANDARDS, tmp_path / "evidence.log", database=database)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        sign_in_as(page.context, url, database, STANDARDS, "anggota@bukti.test", organization="PT Bukti Nyata")
        page.goto(url)
        page.get_by_role("button", name="Mulai penilaian").click()
        expect(page.get_by_text("0 dari 4 kriteria sudah dijawab").first).to_be_visible()
        card = page.locator(".st-key-card-A1")
        card.get_by_text("Catatan dan bukti", exact=True).click()
        content = pdf("Izin keramaian PT Bukti Nyata")
        upload(card, "Izin keramaian.pdf", content)
        expect(card.get_by_text("Terlampir: Izin keramaian.pdf")).to_be_visible()
        expect(listed(card, "Izin keramaian.pdf")).to_have_count(1)

        settle(page)
        upload(card, "denah-10mb.pdf", pdf().ljust(10 * MB, b"\0"))  # the limit exactly: taken
        expect(card.get_by_text("Terlampir: denah-10mb.pdf")).to_be_visible(timeout=30_000)
        settle(page)
        upload(card, "denah-11mb.pdf", pdf().ljust(11 * MB, b"\0"))  # past it: said in Indonesian, not a bare 413
        expect(card.get_by_text("Dokumen tidak dilampirkan: berkasnya lebih dari 10 MB")).to_be_visible(timeout=30_000)
        expect(card.get_by_text("denah-11mb.pdf", exact=True)).to_have_count(0)

        settle(page)
        listed(card, "denah-10mb.pdf").get_by_role("button", name="Masa berlaku atau hapus").click()
        page.get_by_role("button", name="Hapus dokumen ini").click()
        expect(listed(card, "denah-10mb.pdf")).to_have_count(0)
        expect(listed(card, "Izin keramaian.pdf")).to_have_count(1)

        settle(page)
        page.get_by_role("link", name="Daftar bukti").click()
        expect(page.get_by_role("heading", name="Daftar bukti")).to_be_visible()
        row = page.locator("[class*='st-key-register-']").filter(has_text="Izin keramaian.pdf")
        expect(row).to_have_count(1)
        settle(page)
        with page.expect_download() as info:
            row.get_by_role("button", name="Unduh").click()
        download = info.value
        assert download.suggested_filename == "Izin keramaian.pdf"
        assert download.path().read_bytes() == content
    finally:
        page.close()
        stop(server)
