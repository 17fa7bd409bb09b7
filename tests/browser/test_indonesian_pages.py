"""A company's pages in Indonesian hold none of Streamlit's own English words (uploaders, the segment picker)."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ROOT, sign_in_as, start_server, stop
from tests.browser.test_journey import settle

STANDARDS = ROOT / "standards"
ENGLISH = ("Select all", "Upload", "Browse files", "Drag and drop", "per file", "files are not allowed")


def english_on(page: Page) -> list[str]:
    settle(page)
    text = page.locator("body").inner_text()
    return [word for word in ENGLISH if word in text]


def test_the_company_pages_in_indonesian_show_no_english_widget_words(browser: Browser, tmp_path):
    database = tmp_path / "id.db"
    server, url = start_server(STANDARDS, tmp_path / "id.log", database=database)
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        sign_in_as(page.context, url, database, STANDARDS, "pemilik@bahasa.test", organization="PT Bahasa Kita")
        page.goto(url)
        expect(page.get_by_role("heading", name="Penilaian mandiri").first).to_be_visible()
        page.get_by_label("Jenis acara yang Anda tangani").click()  # the segment picker, open
        expect(page.get_by_role("option").first).to_be_visible()
        assert english_on(page) == []
        page.keyboard.press("Escape")
        page.get_by_role("tab", name="Unggah berkas penilaian").click()
        uploader = page.get_by_test_id("stFileUploader").first
        expect(uploader).to_contain_text("Pilih berkas")
        expect(uploader).to_contain_text("maksimal 20 MB per berkas")
        assert english_on(page) == []

        page.get_by_role("tab", name="Mulai penilaian baru").click()
        page.get_by_role("button", name="Mulai penilaian").click()
        expect(page.get_by_text(re.compile(r"^0 dari \d+ kriteria sudah dijawab$")).first).to_be_visible()
        page.get_by_test_id("stSidebar").get_by_text("Unggah berkas penilaian").click()  # the sidebar's uploader
        expect(page.get_by_test_id("stSidebar").get_by_text("Pilih berkas")).to_be_visible()
        assert english_on(page) == []
        for link in ("Hasil", "Standar", "Akun saya"):
            page.get_by_role("link", name=link, exact=True).click()
            expect(page.get_by_role("heading").first).to_be_visible()
            assert english_on(page) == [], link
    finally:
        page.close()
        stop(server)
