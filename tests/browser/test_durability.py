"""Nothing typed is lost: a killed server, and two tabs answering the same assessment."""

import signal
import time

from playwright.sync_api import Browser, Page, expect

from scoring.library import load_library
from store.db import make_engine
from store.repository import Store
from tests.browser.conftest import ROOT, database_url, free_port, sign_in_as, start_server
from tests.browser.test_journey import settle

STANDARDS = ROOT / "standards"
SAFETY = load_library(STANDARDS).get("event-safety")


def answer(page: Page, criterion_id: str, option: str) -> None:
    card = page.locator(f".st-key-card-{criterion_id}")
    card.get_by_role("radiogroup").get_by_text(option, exact=True).click()
    expect(card.get_by_text("Sudah dijawab")).to_be_visible()


def next_domain(page: Page, title: str) -> None:
    settle(page)
    page.get_by_role("button", name="Domain berikutnya").click()
    expect(page.get_by_role("combobox", name="Domain")).to_have_value(title)
    settle(page)


def start_safety_assessment(page: Page, url: str, company: str, database) -> str:
    sign_in_as(page.context, url, database, STANDARDS, "anggota@tahan.test", organization=company)
    page.goto(url)
    page.get_by_label("Standar", exact=True).click()
    page.get_by_role("option", name=f"{SAFETY.title['id']} ({SAFETY.version})").click()
    page.get_by_role("button", name="Mulai penilaian").click()
    expect(page.get_by_text("0 dari 40 kriteria sudah dijawab").first).to_be_visible()
    return page.url


def stored_answers(database) -> dict:
    store = Store(make_engine(database_url(database)))
    (org,) = [store.find_organization(n) for n in ["PT Tahan Banting"]]
    workspace = store.workspace(org)
    (summary,) = workspace.assessments()
    answers = workspace.load(summary.id).answers
    store.engine.dispose()
    return answers


def test_a_killed_server_loses_no_answer(browser: Browser, tmp_path):
    database = tmp_path / "kill.db"
    server, url = start_server(STANDARDS, tmp_path / "first.log", database=database)
    page = browser.new_page()
    try:
        link = start_safety_assessment(page, url, "PT Tahan Banting", database)
        given = {}
        for n, domain in enumerate(SAFETY.domains[:3]):  # 7 + 7 + 6 = 20 criteria
            if n:
                next_domain(page, domain.title["id"])
            for i, criterion in enumerate(domain.criteria):
                level = (i % 4) + 1
                answer(page, criterion.id, f"{level} · {SAFETY.scale.label(level, 'id')}")
                given[criterion.id] = level
        assert len(given) >= 20
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    page.close()

    assert {cid: a.level for cid, a in stored_answers(database).items()} == given

    server, url = start_server(STANDARDS, tmp_path / "second.log", database=database)
    try:
        page = browser.new_page()
        sign_in_as(page.context, url, database, STANDARDS, "anggota@tahan.test")
        page.goto(url.rstrip("/") + "/?" + link.split("?", 1)[1])
        expect(page.get_by_text(f"{len(given)} dari 40 kriteria sudah dijawab").first).to_be_visible()
        page.close()
    finally:
        server.kill()
        server.wait()


def test_two_tabs_answering_the_same_assessment_lose_nothing(browser: Browser, tmp_path):
    database = tmp_path / "tabs.db"
    server, url = start_server(STANDARDS, tmp_path / "tabs.log", database=database)
    first = browser.new_context().new_page()
    second = browser.new_context().new_page()
    try:
        link = start_safety_assessment(first, url, "PT Tahan Banting", database)
        second.context.add_cookies(first.context.cookies())
        second.goto(link)
        expect(second.get_by_text("0 dari 40 kriteria sudah dijawab").first).to_be_visible()
        plan, crowd = SAFETY.domains[0], SAFETY.domains[1]
        next_domain(second, crowd.title["id"])
        for a, b in zip(plan.criteria[:4], crowd.criteria[:4], strict=True):
            first.locator(f".st-key-card-{a.id}").get_by_role("radiogroup").get_by_text("3 · Diterapkan").click()
            second.locator(f".st-key-card-{b.id}").get_by_role("radiogroup").get_by_text("1 · Sesekali").click()
        for a, b in zip(plan.criteria[:4], crowd.criteria[:4], strict=True):
            expect(first.locator(f".st-key-card-{a.id}").get_by_text("Sudah dijawab")).to_be_visible()
            expect(second.locator(f".st-key-card-{b.id}").get_by_text("Sudah dijawab")).to_be_visible()
        settle(second)
        second.get_by_role("button", name="Domain sebelumnya").click()
        expect(second.get_by_role("combobox", name="Domain")).to_have_value(plan.title["id"])
        settle(second)
        shared = plan.criteria[5].id
        answer(first, shared, "2 · Terdokumentasi")
        answer(second, shared, "4 · Diukur & ditingkatkan")
    finally:
        server.kill()
        server.wait()
    answers = stored_answers(database)
    assert {cid: answers[cid].level for cid in [c.id for c in plan.criteria[:4]]} == dict.fromkeys(
        [c.id for c in plan.criteria[:4]], 3
    )
    assert {answers[c.id].level for c in crowd.criteria[:4]} == {1}
    assert answers[shared].level == 4  # the later write wins
    store = Store(make_engine(f"sqlite:///{database}"))
    workspace = store.workspace(store.find_organization("PT Tahan Banting"))
    log = workspace.history(workspace.assessments()[0].id, shared)
    assert [e["new"]["level"] for e in log] == [2, 4] and len({e["by"] for e in log}) == 2


def test_after_a_kill_with_clicks_in_flight_no_card_shows_a_level_that_is_not_stored(browser: Browser, tmp_path):
    """Fast clicks, then kill -9 before they are all saved, then the server comes back on the same address: the
    page reconnects by itself; every card shows exactly what is stored, and a click on a lost card saves it."""
    database = tmp_path / "inflight.db"
    port = free_port()
    server, url = start_server(STANDARDS, tmp_path / "inflight-1.log", database=database, port=port)
    page = browser.new_page()
    criteria = SAFETY.domains[0].criteria[:7]
    try:
        start_safety_assessment(page, url, "PT Tahan Banting", database)
        for i, criterion in enumerate(criteria):
            level = i % 4 + 1
            card = page.locator(f".st-key-card-{criterion.id}")
            card.get_by_role("radiogroup").get_by_text(f"{level} · {SAFETY.scale.label(level, 'id')}").click()
        server.send_signal(signal.SIGKILL)
        server.wait()
        classes = page.locator("[class*='__level__']").first.get_attribute("class") or ""
        drawn_before = next(c for c in classes.split() if "__level__" in c)
        server, _ = start_server(STANDARDS, tmp_path / "inflight-2.log", database=database, port=port)
        stored = stored_answers(database)
        # The page reconnects by itself; the new server draws every card afresh (widgets of a new session).
        expect(page.locator(f".{drawn_before}")).to_have_count(0, timeout=30_000)
        expect(page.get_by_text(f"{len(stored)} dari 40 kriteria sudah dijawab").first).to_be_visible()
        settle(page)
        for criterion in criteria:
            card = page.locator(f".st-key-card-{criterion.id}")
            checked = [
                v for v in SAFETY.scale.values
                if card.get_by_role("radio", name=f"{v} · {SAFETY.scale.label(v, 'id')}").is_checked()
            ]  # fmt: skip
            if criterion.id in stored:
                assert checked == [stored[criterion.id].level], criterion.id
                expect(card.get_by_text("Sudah dijawab")).to_be_visible()
            else:
                assert checked == [], f"{criterion.id} shows a level that was never stored"
                expect(card.get_by_text("Belum dijawab")).to_be_visible()
        for lost in [c for c in criteria if c.id not in stored][:1]:
            answer(page, lost.id, "2 · Terdokumentasi")  # a click on a lost card is saved
            settle(page)
            assert stored_answers(database)[lost.id].level == 2
    finally:
        server.kill()
        server.wait()
        page.close()


def open_note(page: Page, criterion_id: str):
    card = page.locator(f".st-key-card-{criterion_id}")
    card.get_by_text("Catatan dan bukti", exact=True).click()
    note = card.get_by_label("Catatan", exact=True)
    note.click()
    return note


def test_a_note_being_typed_is_saved_while_typing_and_kept_through_a_reload(browser: Browser, tmp_path):
    """No blur, no Ctrl+Enter: a short pause in typing saves the note (then the server is killed); text typed just
    before a reload comes back from the browser and is saved."""
    database = tmp_path / "typing.db"
    port = free_port()
    server, url = start_server(STANDARDS, tmp_path / "typing-1.log", database=database, port=port)
    page = browser.new_page()
    first, second = (c.id for c in SAFETY.domains[0].criteria[:2])
    try:
        link = start_safety_assessment(page, url, "PT Tahan Banting", database)
        open_note(page, first).press_sequentially("Rencana K3 disetujui klien", delay=20)
        page.wait_for_timeout(2500)  # a pause in typing; the field still has the focus
        server.send_signal(signal.SIGKILL)
        server.wait()
        assert stored_answers(database)[first].note == "Rencana K3 disetujui klien"

        server, _ = start_server(STANDARDS, tmp_path / "typing-2.log", database=database, port=port)
        page.goto(link)
        settle(page)
        open_note(page, second).press_sequentially("Daftar vendor", delay=10)
        page.reload()  # at once: the text has not reached the server yet
        expect(page.get_by_text("dari 40 kriteria sudah dijawab").first).to_be_visible()
        deadline = time.monotonic() + 20
        while stored_answers(database).get(second) is None and time.monotonic() < deadline:
            page.wait_for_timeout(300)
        assert stored_answers(database)[second].note == "Daftar vendor"
    finally:
        server.kill()
        server.wait()
        page.close()
