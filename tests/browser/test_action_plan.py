"""The action plan in a real browser at a laptop's 1366 px and a phone's 390 px: every step readable without a
sideways scroll (the old table cut its level and impact columns at 1366 px), its impact in Indonesian number format,
and an owner typed in a card saved and still there after a reload."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scoring.model import Answer
from services.app import Gapura
from services.settings import Settings
from tests.browser.conftest import COOKIE, DATA, database_url, start_server, stop
from tests.browser.test_journey import settle
from tests.signin import session_token


@pytest.fixture
def plan_server(tmp_path):
    """A server whose member has a complete round of the mini standard: three steps in the plan. Yields (url,
    session token, assessment token)."""
    database, standards = tmp_path / "plan.db", DATA / "standards"
    token = session_token(database_url(database), standards, "pemilik@rencana.test", organization="PT Rencana")
    app = Gapura(Settings(database_url=database_url(database), standards_dir=Path(standards)))
    actor = app.accounts.actor_for_session(token)
    (organization_id,) = actor.organizations
    work = app.assessing.start(actor, app.standard("mini", None), organization_id, {}, "id").work
    for criterion_id, level in {"A1": 2, "A2": 4, "B1": 1, "B2": 1}.items():
        app.assessing.answer(actor, work, criterion_id, Answer(level=level))
    app.close()
    proc, url = start_server(standards, tmp_path / "plan.log", database=database)
    yield url, token, work.token
    stop(proc)


@pytest.mark.parametrize("width", [1366, 390])
def test_every_step_is_readable_without_a_sideways_scroll_and_an_owner_is_saved(page: Page, plan_server, width):
    url, token, assessment = plan_server
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": url}])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{url}/results?a={assessment}")
    first = page.locator(".st-key-plan-card-A1")
    expect(first.get_by_text("Izin diajukan")).to_be_visible(timeout=30_000)
    settle(page)
    for criterion_id, impact in (("A1", "+12,5 poin"), ("B1", "+11,1 poin"), ("B2", "+2,8 poin")):
        card = page.locator(f".st-key-plan-card-{criterion_id}")
        card.scroll_into_view_if_needed()
        expect(card.get_by_text(impact)).to_be_visible()
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{criterion_id} runs off a {width}-px screen"
    main = page.get_by_test_id("stMain")
    assert main.evaluate("e => e.scrollWidth <= e.clientWidth"), "the page scrolls sideways"

    owner = first.get_by_label("Penanggung jawab")
    owner.fill("Budi Santoso")
    owner.press("Enter")
    expect(page.get_by_text("Rencana tersimpan")).to_be_visible()
    page.reload()
    expect(page.locator(".st-key-plan-card-A1").get_by_label("Penanggung jawab")).to_have_value(
        "Budi Santoso", timeout=30_000
    )
