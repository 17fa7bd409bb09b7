"""A tab whose access was taken away elsewhere stores nothing at its next click, in Chromium: signed out in
another tab, a password changed on another device, the account deactivated, the membership removed. Each click
lands inside a criterion card (a fragment), which must bring up the sign-in page (or close the assessment)."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, expect

from services.app import Gapura
from services.policy import cli_actor
from tests.browser.conftest import sign_in_as, start_server, stop
from tests.browser.test_access import SIGN_IN, STANDARDS, company_with_assessment, gapura
from tests.browser.test_journey import settle
from tests.signin import ADMIN, PASSWORD
from ui.auth import COOKIE


def sign_out_elsewhere(app: Gapura, email: str, token: str, company: int) -> None:
    app.accounts.sign_out(token)  # the same browser's other tab pressed "Sign out"


def change_password_elsewhere(app: Gapura, email: str, token: str, company: int) -> None:
    other_device = app.accounts.sign_in(email, PASSWORD, "other-device")
    app.accounts.change_password(other_device.actor, PASSWORD, "kata-sandi-baru-99")


def deactivate(app: Gapura, email: str, token: str, company: int) -> None:
    admin = app.accounts.sign_in(ADMIN, PASSWORD, "admin-device").actor
    app.accounts.set_active(admin, app.accounts.records.user_by_email(email).id, False)


def remove_membership(app: Gapura, email: str, token: str, company: int) -> None:
    admin = app.accounts.sign_in(ADMIN, PASSWORD, "admin-device").actor
    app.accounts.remove_member(admin, app.accounts.records.user_by_email(email).id, company)


WAYS: dict[str, tuple[Callable, str]] = {
    "sign-out": (sign_out_elsewhere, SIGN_IN),
    "password": (change_password_elsewhere, SIGN_IN),
    "deactivated": (deactivate, SIGN_IN),
    "membership": (remove_membership, "Anda tidak lagi punya akses ke penilaian ini"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    database = tmp_path_factory.mktemp("revoked") / "revoked.db"
    proc, url = start_server(STANDARDS, database.with_suffix(".log"), database=database)
    yield url, database
    stop(proc)


@pytest.mark.parametrize("way", list(WAYS))
def test_a_click_in_a_tab_whose_access_was_taken_away_stores_nothing(browser: Browser, server, way):
    url, database = server
    name, email = f"PT Tab Lama {way}", f"{way}@tab-lama.test"
    link = company_with_assessment(database, name, {})
    context = browser.new_context()
    sign_in_as(context, url, database, STANDARDS, email, organization=name)
    (token,) = [c["value"] for c in context.cookies() if c["name"] == COOKIE]
    page = context.new_page()
    page.goto(f"{url}/?a={link}")
    card = page.locator(".st-key-card-A1")
    expect(card).to_be_visible(timeout=30_000)
    settle(page)
    card.get_by_text("1 · Sesekali", exact=True).click()
    expect(card.get_by_text("Sudah dijawab")).to_be_visible()

    app = gapura(database)
    try:
        revoke, shown = WAYS[way]
        revoke(app, email, token, app.store.find_organization(name))
        settle(page)
        card.get_by_text("3 · Diterapkan", exact=True).click()
        expect(page.get_by_text(shown).first).to_be_visible()
        expect(page.locator(".st-key-card-A1")).to_have_count(0)
        page.wait_for_timeout(1_000)  # a retry would have come by now
        work = app.assessing.open_link(cli_actor(), link)
        assert {k: a.level for k, a in work.answers.items() if a.given} == {"A1": 1}
        if shown == SIGN_IN:
            page.reload()
            expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible(timeout=30_000)
    finally:
        app.close()
        context.close()
