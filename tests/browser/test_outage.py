"""The database stops while a company answers (a private PostgreSQL, stopped and started for real): the cards say
"not saved yet" at once, a reload loses nothing, and everything is saved by itself when the database is back."""

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import start_server as start_app
from tests.browser.conftest import stop
from tests.browser.test_durability import SAFETY, STANDARDS, answer, start_safety_assessment, stored_answers


def click(page: Page, criterion_id: str, option: str) -> None:
    page.locator(f".st-key-card-{criterion_id}").get_by_role("radiogroup").get_by_text(option, exact=True).click()


def badge(page: Page, criterion_id: str, text: str):
    return page.locator(f".st-key-card-{criterion_id}").get_by_text(text)


def test_answers_given_while_the_database_is_down_are_kept_and_saved_when_it_returns(browser: Browser, tmp_path,
                                                                                     cluster):  # fmt: skip
    server, url = start_app(STANDARDS, tmp_path / "outage.log", database=cluster.url)
    page = browser.new_page()
    first, second, third = (c.id for c in SAFETY.domains[0].criteria[:3])
    try:
        start_safety_assessment(page, url, "PT Tahan Banting", cluster.url)
        answer(page, first, "2 · Terdokumentasi")

        cluster.stop()
        click(page, second, "3 · Diterapkan")
        expect(badge(page, second, "Belum tersimpan")).to_be_visible()  # at once, not "Sudah dijawab"
        click(page, third, "1 · Sesekali")
        expect(badge(page, third, "Belum tersimpan")).to_be_visible()
        expect(page.get_by_text(f"Belum tersimpan: {second}, {third}")).to_be_visible()
        expect(page.get_by_text("OperationalError")).to_have_count(0)
        assert second in page.evaluate("window.localStorage.getItem(Object.keys(window.localStorage).find("
                                       "k => k.startsWith('gapura:unsaved:')))")  # fmt: skip

        page.reload()  # a reload while the database is away: a plain message, no server detail
        expect(page.get_by_text("Database sedang tidak bisa dihubungi").first).to_be_visible()
        expect(page.get_by_text("postgres")).to_have_count(0)

        cluster.start()  # no reload: the page opens by itself, and the browser's answers are saved as it does
        expect(badge(page, second, "Sudah dijawab")).to_be_visible(timeout=30_000)
        expect(badge(page, third, "Sudah dijawab")).to_be_visible()
        expect(page.get_by_text("3 dari 40 kriteria sudah dijawab").first).to_be_visible()
    finally:
        stop(server)
        page.close()
    stored = {cid: a.level for cid, a in stored_answers(cluster.url).items()}
    assert stored == {first: 2, second: 3, third: 1}


def test_answers_are_saved_by_themselves_when_the_database_returns(browser: Browser, tmp_path, cluster):
    server, url = start_app(STANDARDS, tmp_path / "return.log", database=cluster.url)
    page = browser.new_page()
    first, second = (c.id for c in SAFETY.domains[0].criteria[:2])
    try:
        start_safety_assessment(page, url, "PT Tahan Banting", cluster.url)
        cluster.stop()
        click(page, first, "4 · Diukur & ditingkatkan")
        expect(badge(page, first, "Belum tersimpan")).to_be_visible()
        click(page, second, "0 · Belum ada")
        expect(badge(page, second, "Belum tersimpan")).to_be_visible()
        cluster.start()  # no click, no reload: the page retries by itself
        expect(badge(page, first, "Sudah dijawab")).to_be_visible(timeout=30_000)
        expect(badge(page, second, "Sudah dijawab")).to_be_visible()
        expect(page.get_by_text("Belum tersimpan")).to_have_count(0)
    finally:
        stop(server)
        page.close()
    assert {cid: a.level for cid, a in stored_answers(cluster.url).items()} == {first: 4, second: 0}
