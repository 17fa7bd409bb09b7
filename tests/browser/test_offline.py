"""Gapura makes no request off the machine: every page a company member and an association's officer, researcher
and admin see, and a member's report and workbook downloaded on a 390-px phone, with every non-local request blocked
and recorded (the favicon once came from a font server)."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from scoring.model import Answer
from services.app import Gapura
from services.settings import Settings
from tests.browser.conftest import DATA, database_url, sign_in_as, start_server, stop
from tests.browser.test_journey import settle

STANDARDS = DATA / "standards"  # the mini standard: A1, A2 (domain Alfa), B1, B2 (domain Beta)
COMPANY = "PT Tanpa Internet"
LOCAL = {"127.0.0.1", "localhost"}


@pytest.fixture
def server(tmp_path):
    database = tmp_path / "offline.db"
    proc, url = start_server(STANDARDS, tmp_path / "offline.log", database=database)
    yield url, database
    stop(proc)


def assessment_link(database) -> str:
    """A complete assessment of the member's company in two rounds (results, trend, benchmark), as its link."""
    app = Gapura(Settings(database_url=database_url(database), standards_dir=STANDARDS))
    try:
        mini = app.standard("mini")
        app.standards.remember(mini)
        org = app.store.ensure_organization({"name": COMPANY, "region": "Bali", "size": "1-10", "segments": []})
        work = app.store.workspace(org)
        work.start("mini", mini.version, answers={c: Answer(level=1) for c in ("A1", "A2", "B1", "B2")})
        latest = work.start("mini", mini.version, answers={c: Answer(level=3) for c in ("A1", "A2", "B1", "B2")})
        return work.token(latest)
    finally:
        app.close()


def blocking(page: Page) -> list[str]:
    """Abort every request to a host other than this machine, and keep its address."""
    attempted: list[str] = []

    def route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL:
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("websocket", lambda ws: None if urlparse(ws.url).hostname in LOCAL else attempted.append(ws.url))
    return attempted


# What the page asks the browser to load. Chromium fetches a favicon outside the page's request routing, so the
# addresses in the page are read as well.
SOURCES = (
    "link[href], script[src], img[src], iframe[src], source[src], video[src], audio[src], object[data], embed[src]"
)
LOADED = f"() => [...document.querySelectorAll('{SOURCES}')].map(e => e.href || e.src || e.data)"


def foreign(page: Page) -> list[str]:
    """Addresses off this machine that the page would load (not links a person may click)."""
    return [u for u in page.evaluate(LOADED) if u.startswith("http") and urlparse(u).hostname not in LOCAL]


def every_page(page: Page, url: str, first: str, attempted: list[str]) -> list[str]:
    """Open `first`, then each page its navigation offers, waiting for each to finish drawing; what each page would
    load from off the machine goes into `attempted`."""
    page.goto(first)
    expect(page.get_by_test_id("stSidebarNav")).to_be_attached()
    settle(page)
    attempted += foreign(page)
    paths = page.get_by_test_id("stSidebarNav").locator("a").evaluate_all("links => links.map(a => a.href)")
    assert len(paths) >= 4, paths
    for path in paths:
        page.goto(path)
        expect(page.get_by_test_id("stSidebarNav")).to_be_attached()
        settle(page)
        page.wait_for_timeout(500)  # charts and fonts load after the script's run
        attempted += foreign(page)
    return paths


def test_no_page_requests_anything_off_the_machine(server, browser: Browser):
    url, database = server
    link = assessment_link(database)
    member = browser.new_context(viewport={"width": 390, "height": 900})
    sign_in_as(member, url, database, STANDARDS, "anggota@tanpa-internet.test", organization=COMPANY)
    page = member.new_page()
    attempted = blocking(page)
    seen = every_page(page, url, f"{url}/results?a={link}", attempted)
    assert any(path.split("?")[0].endswith("/results") for path in seen)
    page.goto(f"{url}/results?a={link}&lang=en")
    expect(page.get_by_text("How is this calculated?")).to_be_visible()
    settle(page)
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(3)  # radar, gaps and the trend
    expect(charts.last.locator(".main-svg").first).to_be_visible()  # drawn, offline
    # The company's files on a phone, with every request off the machine still blocked.
    for button, start in (("Report (PDF)", b"%PDF-"), ("Results workbook (XLSX)", b"PK")):
        settle(page)
        page.get_by_role("button", name=button).scroll_into_view_if_needed()
        with page.expect_download() as info:
            page.get_by_role("button", name=button).click()
        assert info.value.path().read_bytes().startswith(start), button
    member.close()

    staff = browser.new_context(viewport={"width": 1366, "height": 900})
    sign_in_as(staff, url, database, STANDARDS, "pengurus@asosiasi.test", roles=("admin", "officer", "researcher"))
    page = staff.new_page()
    attempted += blocking(page)
    seen = every_page(page, url, url, attempted)
    assert {"/members", "/shared_gaps", "/people", "/audit_log"} <= {urlparse(p).path for p in seen}
    staff.close()
    assert attempted == []
