""" "Next unanswered" brings the criterion into view on a phone, not only a tag somewhere below the screen."""

from playwright.sync_api import Browser, expect

from scoring.model import Answer
from store.db import make_engine
from store.repository import Store
from tests.browser.conftest import database_url, start_server, stop
from tests.browser.test_durability import SAFETY, STANDARDS, start_safety_assessment
from tests.browser.test_journey import settle


def answer_in_store(database, company: str, criterion_ids: list[str]) -> None:
    store = Store(make_engine(database_url(database)))
    workspace = store.workspace(store.find_organization(company))
    (summary,) = workspace.assessments()
    for criterion_id in criterion_ids:
        workspace.save_answer(summary.id, criterion_id, Answer(level=2), by="test")
    store.engine.dispose()


def test_next_unanswered_scrolls_to_a_card_far_below(browser: Browser, tmp_path):
    database = tmp_path / "scroll.db"
    server, url = start_server(STANDARDS, tmp_path / "scroll.log", database=database)
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        start_safety_assessment(page, url, "PT Gulir Jauh", database)
        first = SAFETY.domains[0].criteria
        answer_in_store(database, "PT Gulir Jauh", [c.id for c in first[:-1]])  # all but the domain's last
        page.reload()
        expect(page.get_by_text(f"{len(first) - 1} dari 40 kriteria sudah dijawab").first).to_be_visible()
        settle(page)
        target = page.locator(f".st-key-card-{first[-1].id}")
        assert target.bounding_box()["y"] > 800 * 3  # far below the screen before the click
        page.get_by_role("button", name="Ke yang belum dijawab").click()
        expect(target.get_by_text("Jawab ini berikutnya")).to_be_visible()
        settle(page)
        page.wait_for_function(  # the card's top within the screen, below Streamlit's header
            """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                          return r.top >= 0 && r.top < window.innerHeight - 100; }""",
            arg=f".st-key-card-{first[-1].id}",
            timeout=10_000,
        )
    finally:
        page.close()
        stop(server)
