"""Every page settles on a loaded machine: once drawn, nothing redraws it until the user acts (a page redrawn on a
timer kept replacing the element a test, or a person, was about to click), and its first button can be clicked."""

import multiprocessing
import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from scoring.model import Answer
from services.app import Gapura
from services.settings import Settings
from tests.browser.conftest import DATA, sign_in_as, start_server, stop
from ui.save_status import RETRY_SECONDS

STANDARDS = DATA / "standards"
BUSY = 3  # busy-loop processes: the contention of a whole suite on a shared 2-core machine
QUIET_MS = 2500  # after a run, no message from the server this long: the page is drawn (a loaded server may
# take a second or more to start the run an st.rerun asks for)
WATCHED_S = RETRY_SECONDS + 2  # a page redrawn on a timer shows it within this
BUTTONS = ", ".join(f'[data-testid="stBaseButton-{kind}"]' for kind in
                    ("primary", "secondary", "tertiary", "primaryFormSubmit", "secondaryFormSubmit"))  # fmt: skip


def _spin() -> None:
    while True:
        pass


@pytest.fixture
def loaded_machine():
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(BUSY)]
    for spinner in spinners:
        spinner.start()
    yield
    for spinner in spinners:
        spinner.terminate()
        spinner.join()


def members(database) -> None:
    """Six member companies with a complete assessment each, so the officers' pages have figures to draw."""
    app = Gapura(Settings(database_url=f"sqlite:///{database}", standards_dir=STANDARDS))
    mini = app.standard("mini")
    app.standards.remember(mini)
    for k in range(6):
        org = app.store.ensure_organization({"name": f"PT Anggota {k}", "region": "Bali", "size": "1-10"})
        app.store.workspace(org).start("mini", mini.version, answers={c: Answer(level=k % 5) for c in
                                                                      ("A1", "A2", "B1", "B2")})  # fmt: skip
    app.close()


# Counts the runs that finished (Streamlit's own script state on its root element, as its e2e tests read it).
COUNT_RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.gapuraRuns = 0;
  new MutationObserver(() => {
    if (app.getAttribute("data-test-script-state") === "notRunning") window.gapuraRuns++;
  }).observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""


def runs(page: Page) -> int:
    return page.evaluate("window.gapuraRuns")


def after(page: Page, received: list[float], action, timeout_s: float = 90) -> None:
    """Do `action`, then wait for the run it starts (if any starts within 10 s: a download starts none) to finish
    and the server to stay quiet for QUIET_MS."""
    before = runs(page)
    action()
    started = time.monotonic()  # polled from here: the page's CSP allows no script made from a string
    while runs(page) == before and time.monotonic() - started < 10:
        page.wait_for_timeout(100)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() - received[-1] < QUIET_MS / 1000 and time.monotonic() < deadline:
        page.wait_for_timeout(200)


def test_every_page_settles_and_its_first_button_clicks_on_a_loaded_machine(page: Page, tmp_path, loaded_machine):
    database = tmp_path / "app.db"
    members(database)
    proc, url = start_server(STANDARDS, tmp_path / "app.log", database=database)
    received: list[float] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda _: received.append(time.monotonic())))
    try:
        sign_in_as(page.context, url, database, STANDARDS, "semua@peran.test", organization="PT Anggota 0",
                   roles=("officer", "admin"))  # fmt: skip
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(url)
        expect(page.get_by_role("heading", name="Penilaian mandiri").first).to_be_visible(timeout=60_000)
        page.evaluate(COUNT_RUNS)
        links = page.get_by_test_id("stSidebarNavLink")
        paths = [urlparse(links.nth(i).get_attribute("href")).path for i in range(links.count())]
        assert len(paths) >= 14
        redrawn = {}
        assert paths[-1] == "/account"  # last: its first button signs out
        for path in paths:
            link = page.locator(f'[data-testid="stSidebarNavLink"][href$="{path}"]').first
            after(page, received, link.click)
            assert urlparse(page.url).path == path
            # The first one the user can see: pages with tabs (Campaigns, Support) keep the other tabs' buttons hidden.
            button = page.get_by_test_id("stMain").locator(BUTTONS).filter(visible=True).first
            if path == "/account":
                button.click()
                expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible(timeout=60_000)
                break
            if button.count():  # Playwright retries while the button is replaced: a page never settling fails
                after(page, received, button.click)
            messages, finished = len(received), runs(page)
            page.wait_for_timeout(WATCHED_S * 1000)
            redrawn[path] = (len(received) - messages, runs(page) - finished)
        assert redrawn == dict.fromkeys(paths[:-1], (0, 0))  # (messages, runs) while nobody did anything
    finally:
        stop(proc)
