"""Throttled sign-in through a real server and Chromium (issue 15): a browser without X-Forwarded-For is its own
client, not one shared "unknown"; a forwarded address the browser makes up (uvicorn believes it from this machine)
does not make it a new client."""

from playwright.sync_api import Browser, expect
from sqlalchemy import text

from store.db import make_engine
from tests.browser.conftest import start_server, stop
from tests.browser.test_access import FAILED, SIGN_IN, STANDARDS, sign_in
from tests.signin import PASSWORD, session_token

SLOWED = "Terlalu banyak percobaan yang gagal"


def test_made_up_emails_do_not_keep_the_owner_out_and_a_rotating_forwarded_address_is_slowed(
    browser: Browser, tmp_path
):
    database = tmp_path / "spray.db"
    owner = "pemilik@semprot.test"
    session_token(f"sqlite:///{database}", STANDARDS, owner, organization="PT Semprot")
    proc, url = start_server(STANDARDS, database.with_suffix(".log"), database=database)
    try:
        attempts(browser, url, owner, database)
    finally:
        stop(proc)


def attempts(browser: Browser, url: str, owner: str, database) -> None:

    def attempt(email: str, password: str, forwarded: str | None = None):
        context = browser.new_context(extra_http_headers={"X-Forwarded-For": forwarded} if forwarded else {})
        page = context.new_page()
        page.goto(url)
        expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible(timeout=30_000)
        sign_in(page, email, password)
        return context, page

    for i in range(5):  # a stranger, no forwarded address: same machine, same client as the owner below
        context, page = attempt(f"ngawur{i}@semprot.test", "tebakan-salah-1")
        expect(page.get_by_text(FAILED)).to_be_visible()
        context.close()
    context, page = attempt(owner, PASSWORD)
    expect(page.get_by_text("Untuk: PT Semprot")).to_be_visible()
    context.close()

    for i in range(15):  # 20 failures from this machine in all, each with a forwarded address of its own
        context, page = attempt(f"korban{i}@semprot.test", "tebakan-salah-2", f"10.7.{i}.{i + 1}")
        expect(page.get_by_text(FAILED)).to_be_visible()
        context.close()
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        clients = (
            connection.execute(text("SELECT DISTINCT client FROM sign_in_failures WHERE client != 'tests'"))
            .scalars()
            .all()
        )
    engine.dispose()
    assert clients == ["127.0.0.1"]  # one client: this machine, whatever it forwarded
    # Each failure past 20 doubles the wait (2, 4, 8 s): the spray soon outruns a browser's round trip.
    for i in range(4):
        context, page = attempt(f"korban{i + 50}@semprot.test", "tebakan-salah-3", f"10.8.{i}.1")
        expect(page.get_by_text(FAILED).or_(page.get_by_text(SLOWED))).to_be_visible()
        slowed = page.get_by_text(SLOWED).count() > 0
        context.close()
        if slowed:
            break
    assert slowed
