"""The association's side in a real browser: an admin loads the demo data, opens every new page, downloads the
shared gaps as XLSX and the research data package, and a researcher sees no company name."""

import csv
import io
import re
import zipfile

import openpyxl
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in_as, start_server, stop
from tests.browser.test_journey import download, first_run, settle
from tests.conftest import STANDARDS
from ui.auth import COOKIE

PAGES = {"members": "Anggota", "compare": "Bandingkan anggota", "progress": "Kemajuan antarputaran",
         "shared_gaps": "Kesenjangan bersama", "research_data": "Data riset"}  # fmt: skip


def open_page(page: Page, url: str, path: str, heading: str) -> None:
    """Open a page by its address (an admin who is also an officer has more pages than the sidebar lists)."""
    page.goto(f"{url}/{path}")
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_demo_data_then_every_association_page_and_the_downloads(page: Page, tmp_path):
    database = tmp_path / "demo.db"
    proc, url = start_server(STANDARDS, tmp_path / "demo.log", database=database)
    try:
        page.set_viewport_size({"width": 1366, "height": 900})
        first_run(page, url, "Asosiasi EO Uji", "admin@asosiasi.test", "kata-sandi-pertama-9", serves="association")
        # The server set the session cookie before the signed-in page showed, so another address opens at once.
        assert any(c["name"] == COOKIE for c in page.context.cookies())
        open_page(page, url, "organizations", "Organisasi")
        page.get_by_role("button", name="Muat data contoh (200 perusahaan)").click()
        expect(page.get_by_text("Gapura ini berisi data contoh").first).to_be_visible(timeout=120_000)

        for path, heading in PAGES.items():
            open_page(page, url, path, heading)
        open_page(page, url, "members", "Anggota")
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        shown = page.get_by_text(re.compile(r"Baris 1–50 dari [\d.]+")).first.inner_text()
        chosen = int(shown.rsplit(" ", 1)[1].replace(".", ""))
        listed = download(page, "Unduh semua baris terpilih (CSV)").path().read_bytes().decode("utf-8-sig")
        assert chosen > 50 and len(list(csv.DictReader(io.StringIO(listed)))) == chosen  # every row, not the page
        open_page(page, url, "compare", "Bandingkan anggota")
        expect(page.locator(".js-plotly-plot").first).to_be_visible()

        open_page(page, url, "shared_gaps", "Kesenjangan bersama")
        workbook = download(page, "Unduh agenda dan sebaran tingkat (XLSX)")
        assert workbook.suggested_filename.endswith(".xlsx")
        book = openpyxl.load_workbook(io.BytesIO(workbook.path().read_bytes()))
        assert book.sheetnames == ["agenda", "levels", "about"] and book["agenda"].max_row > 10

        open_page(page, url, "research_data", "Data riset")
        page.get_by_test_id("stSelectbox").filter(has_text="Format").click()
        page.get_by_role("option", name="Frictionless Data Package").click()
        settle(page)
        page.get_by_role("button", name="Siapkan paket data").click()
        expect(page.get_by_text("Siap:").first).to_be_visible(timeout=120_000)
        package = download(page, "Unduh gapura-")
        with zipfile.ZipFile(package.path()) as archive:
            names = archive.namelist()
            assert any(n.endswith("datapackage.json") for n in names) and any(n.endswith("tidy.csv") for n in names)
            tidy = next(archive.read(n) for n in names if n.endswith("tidy.csv")).decode("utf-8")
        assert "PT Demo" not in tidy and "CV Demo" not in tidy  # pseudonymous ids only
        page.screenshot(path=str(tmp_path / "research.png"))
    finally:
        stop(proc)


def test_a_researcher_sees_no_company_name_on_the_pages(page: Page, tmp_path):
    database = tmp_path / "demo.db"
    proc, url = start_server(STANDARDS, tmp_path / "demo.log", database=database)
    try:
        import subprocess
        import sys

        from tests.browser.conftest import database_url
        from tests.conftest import ROOT

        env = {"DATABASE_URL": database_url(database), "GAPURA_STANDARDS_DIR": str(STANDARDS), "PATH": "/usr/bin"}
        subprocess.run([sys.executable, "-m", "gapura", "demo", "--organizations", "60", "--seed", "3"], cwd=ROOT,
                       env=env, check=True, capture_output=True, timeout=300)  # fmt: skip
        sign_in_as(page.context, url, database, STANDARDS, "peneliti@kementerian.test", roles=("researcher",))
        page.goto(url)
        page.get_by_role("link", name="Kesenjangan bersama", exact=True).click()
        expect(page.get_by_role("heading", name="Kesenjangan bersama").first).to_be_visible(timeout=60_000)
        settle(page)
        text = page.locator("body").inner_text()
        assert "Demo " not in text.replace("Data contoh", "")
        expect(page.get_by_role("link", name="Anggota", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Bandingkan", exact=True)).to_have_count(0)
        open_page(page, url, "research_data", "Data riset")
        expect(page.get_by_text("Sertakan nama perusahaan")).to_have_count(0)
    finally:
        stop(proc)
