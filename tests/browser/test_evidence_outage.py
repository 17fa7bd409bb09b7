"""A file uploaded on a criterion card while the database is away (a private PostgreSQL, stopped and started for
real): the card says it was not attached, the uploader holds no file, the message stays in sight through the full
runs of the page (the outage, then the database's return), and the same file then attaches within the tab's upload
budget (the file not attached was let go)."""

from playwright.sync_api import Browser, expect

from tests.browser.conftest import sign_in_as, start_server, stop
from tests.browser.test_evidence import listed, upload
from tests.browser.test_journey import settle
from tests.conftest import DATA
from tests.evidence_files import pdf

STANDARDS = DATA / "standards"
MB = 1024 * 1024
NOT_ATTACHED = (
    "Berkas denah.pdf belum terlampir: server belum bisa menyimpan sekarang. Pilih berkasnya lagi sebentar lagi."
)


def test_a_file_uploaded_while_the_database_is_away_is_told_and_attaches_when_chosen_again(
    browser: Browser, tmp_path, cluster, monkeypatch
):
    monkeypatch.setenv("GAPURA_UPLOAD_BUDGET_MB", "3")  # room for one 2 MB file at a time, not two
    server, url = start_server(STANDARDS, tmp_path / "evidence-outage.log", database=cluster.url)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    content = pdf("Denah lokasi").ljust(2 * MB, b"\0")
    try:
        sign_in_as(page.context, url, cluster.url, STANDARDS, "anggota@bukti.test", organization="PT Bukti Nyata")
        page.goto(url)
        page.get_by_role("button", name="Mulai penilaian").click()
        expect(page.get_by_text("0 dari 4 kriteria sudah dijawab").first).to_be_visible()
        card, other = page.locator(".st-key-card-A1"), page.locator(".st-key-card-A2")
        card.get_by_text("Catatan dan bukti", exact=True).click()
        settle(page)

        cluster.stop()
        upload(card, "denah.pdf", content)
        expect(card.get_by_text(NOT_ATTACHED)).to_be_visible()
        expect(card.get_by_test_id("stFileUploaderFile")).to_have_count(0)  # the uploader does not look chosen
        expect(page.get_by_text("OperationalError")).to_have_count(0)
        settle(page)
        # An answer the page must save when the database returns: it then reruns the whole page by itself.
        other.get_by_role("radiogroup").get_by_text("2 · Terdokumentasi", exact=True).click()
        expect(other.get_by_text("Belum tersimpan")).to_be_visible()
        expect(page.get_by_text("Belum tersimpan: A2")).to_be_visible()  # the whole page ran to say so
        expect(card.get_by_text(NOT_ATTACHED)).to_be_visible()

        cluster.start()
        expect(other.get_by_text("Sudah dijawab")).to_be_visible(timeout=30_000)
        expect(card.get_by_text("Belum ada dokumen yang dilampirkan.")).to_be_visible()  # read again: a full run
        expect(card.get_by_text(NOT_ATTACHED)).to_be_visible()  # still said, its "Catatan dan bukti" still open

        settle(page)
        upload(card, "denah.pdf", content)  # past the tab's budget, had the first one been kept
        expect(card.get_by_text("Terlampir: denah.pdf")).to_be_visible(timeout=30_000)
        expect(listed(card, "denah.pdf")).to_have_count(1)
        expect(card.get_by_text(NOT_ATTACHED)).to_have_count(0)
    finally:
        page.close()
        stop(server)
