"""Who sees what, in a real browser: the sign-in gate on every address, one company's assessment kept from another,
the session cookie across reloads and sign-out, slowed sign-in, and invitation links."""

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from scoring.model import Answer
from services.app import Gapura
from services.policy import cli_actor
from services.settings import Settings
from store import schema
from store.db import utcnow
from tests.browser.conftest import DATA, sign_in_as, start_server, stop
from tests.browser.test_journey import settle
from tests.signin import ADMIN, PASSWORD, session_token
from ui.auth import COOKIE

STANDARDS = DATA / "standards"  # the mini standard: A1, A2 (domain Alfa), B1, B2 (domain Beta)
SIGN_IN = "Masuk ke Gapura"
ASSESS = "Penilaian mandiri"
NAV_LINKS = ["Penilaian mandiri", "Hasil", "Impor & ekspor", "Standar", "Pengguna & undangan", "Organisasi",
             "Kelola standar", "Log audit", "Akun saya", "Kesiapan asosiasi"]  # fmt: skip
DENIED_PATHS = ["/", "/results", "/import_files", "/people", "/audit_log", "/organizations", "/standards_admin",
                "/account"]  # fmt: skip
FAILED = "Email dan kata sandi itu tidak cocok dengan akun mana pun"


@pytest.fixture
def serve(tmp_path):
    """Start the app on its own SQLite database under tmp_path; every server started is stopped afterwards."""
    started = []

    def _serve(database: Path) -> str:
        proc, url = start_server(STANDARDS, database.with_suffix(".log"), database=database)
        started.append(proc)
        return url

    yield _serve
    for proc in started:
        stop(proc)


def gapura(database: Path) -> Gapura:
    return Gapura(Settings(database_url=f"sqlite:///{database}", standards_dir=STANDARDS))


def company_with_assessment(database: Path, name: str, answers: dict[str, int]) -> str:
    """A company with an assessment of the mini standard answered as given; returns the assessment's link token."""
    app = gapura(database)
    try:
        actor = cli_actor()
        organization_id = app.store.ensure_organization({"name": name})
        work = app.assessing.start(actor, app.standard("mini"), organization_id, {}, "id").work
        for criterion_id, level in answers.items():
            app.assessing.answer(actor, work, criterion_id, Answer(level=level))
        return work.token
    finally:
        app.close()


def expect_sign_in_page_only(page: Page, *hidden: str) -> None:
    """The sign-in page and nothing else: no navigation, no assessment, none of the texts `hidden`."""
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible(timeout=30_000)
    settle(page)
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    for name in NAV_LINKS:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", name=ASSESS)).to_have_count(0)
    expect(page.get_by_role("button", name="Mulai penilaian")).to_have_count(0)
    expect(page.get_by_text("kriteria sudah dijawab")).to_have_count(0)
    expect(page.get_by_text("Standar mini")).to_have_count(0)
    for text in hidden:
        expect(page.get_by_text(text)).to_have_count(0)
    assert not any(text in page.content() for text in hidden)


def sign_in(page: Page, email: str, password: str) -> None:
    settle(page)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    settle(page)


def session_cookie_stored(page: Page) -> None:
    """The browser holds the session cookie, set by the server before the page signed in is shown (HttpOnly: the
    page's scripts cannot see it, so ask the browser itself)."""
    assert any(c["name"] == COOKIE for c in page.context.cookies())


def error_text(page: Page) -> str:
    alert = page.get_by_test_id("stAlert")
    expect(alert).to_have_count(1)
    return alert.inner_text().strip()


def test_a_signed_out_visitor_sees_only_the_sign_in_page_and_a_member_only_their_own_company(
    browser: Browser, serve, tmp_path
):
    database = tmp_path / "two.db"
    other = "PT Tetangga Rahasia"
    token = company_with_assessment(database, other, {"A1": 3, "A2": 2})
    ours = "PT Kami Sendiri"
    member_token = session_token(f"sqlite:///{database}", STANDARDS, "anggota@kami.test", organization=ours)
    url = serve(database)

    visitor = browser.new_page()
    for path in [*DENIED_PATHS, f"/?a={token}"]:
        visitor.goto(url + path)
        expect_sign_in_page_only(visitor, other, ours)
    visitor.context.close()

    context = browser.new_context()
    context.add_cookies([{"name": COOKIE, "value": member_token, "url": url}])
    member = context.new_page()
    member.goto(f"{url}/?a={token}")
    expect(member.get_by_text("Tautan ini tidak membuka penilaian yang bisa Anda lihat")).to_be_visible(timeout=30_000)
    settle(member)
    expect(member.get_by_text(f"Untuk: {ours}")).to_be_visible()
    assert other not in member.content()
    expect(member.get_by_text("kriteria sudah dijawab")).to_have_count(0)
    expect(member.locator("[class*='st-key-card-']")).to_have_count(0)
    assert token not in member.url
    # No field to name a company: a member starts for their own.
    expect(member.get_by_role("textbox", name=re.compile("perusahaan", re.IGNORECASE))).to_have_count(0)
    member.get_by_role("tab", name="Lanjutkan penilaian tersimpan").click()
    settle(member)
    assert other not in member.content()
    member.get_by_role("tab", name="Mulai penilaian baru").click()
    settle(member)
    member.get_by_role("button", name="Mulai penilaian").click()
    expect(member.get_by_text("0 dari 4 kriteria sudah dijawab").first).to_be_visible()
    expect(member.get_by_text("Sudah dijawab", exact=True)).to_have_count(0)
    assert other not in member.content()
    context.close()


def test_sign_in_survives_a_reload_and_sign_out_ends_the_session(browser: Browser, serve, tmp_path):
    database = tmp_path / "cookie.db"
    email = "anggota@kuki.test"
    session_token(f"sqlite:///{database}", STANDARDS, email, organization="PT Kuki Tahan")
    url = serve(database)
    page = browser.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible(timeout=30_000)

    # A wrong password and an email with no account read the same.
    sign_in(page, email, "bukan-kata-sandinya")
    expect(page.get_by_text(FAILED)).to_be_visible()
    wrong_password = error_text(page)
    page.reload()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    settle(page)
    expect(page.get_by_text(FAILED)).to_have_count(0)
    sign_in(page, "tidak-ada@kuki.test", "bukan-kata-sandinya")
    expect(page.get_by_text(FAILED)).to_be_visible()
    assert error_text(page) == wrong_password

    sign_in(page, email, PASSWORD)
    expect(page.get_by_role("heading", name=ASSESS)).to_be_visible()
    expect(page.get_by_text("Untuk: PT Kuki Tahan")).to_be_visible()
    session_cookie_stored(page)
    page.reload()
    expect(page.get_by_role("heading", name=ASSESS)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Untuk: PT Kuki Tahan")).to_be_visible()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_have_count(0)
    (old,) = [c["value"] for c in page.context.cookies() if c["name"] == COOKIE]

    page.get_by_role("link", name="Akun saya").click()
    expect(page.get_by_text(f"Masuk sebagai {email}")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    expect(page.get_by_text(f"Masuk sebagai {email}")).to_have_count(0)
    page.reload()
    expect_sign_in_page_only(page, "PT Kuki Tahan")
    page.goto(url + "/account")
    expect_sign_in_page_only(page, "PT Kuki Tahan", email)

    # The old token, put back into a browser, opens nothing.
    again = browser.new_context()
    again.add_cookies([{"name": COOKIE, "value": old, "url": url}])
    other = again.new_page()
    other.goto(url)
    expect_sign_in_page_only(other, "PT Kuki Tahan")
    again.close()


def test_right_after_signing_out_the_sidebar_lists_no_pages(page: Page, serve, tmp_path):
    database = tmp_path / "stale.db"
    url = serve(database)
    sign_in_as(page.context, url, database, STANDARDS, ADMIN, roles=("admin", "officer"))
    page.goto(url + "/account")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("link", name="Log audit", exact=True)).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible()
    settle(page)
    for name in NAV_LINKS:
        expect(page.get_by_role("link", name=name, exact=True)).to_have_count(0, timeout=3_000)


def test_five_wrong_passwords_slow_the_account_and_the_right_one_works_after_the_wait(page: Page, serve, tmp_path):
    database = tmp_path / "throttle.db"
    email = "anggota@kunci.test"
    session_token(f"sqlite:///{database}", STANDARDS, email, organization="PT Kunci")
    url = serve(database)
    page.goto(url)
    expect(page.get_by_role("heading", name=SIGN_IN)).to_be_visible(timeout=30_000)
    for attempt in range(5):
        sign_in(page, email, f"salah-sekali-{attempt}")
        expect(page.get_by_text(FAILED)).to_be_visible()
        expect(page.get_by_text("Terlalu banyak percobaan yang gagal")).to_have_count(0)
    sign_in(page, email, PASSWORD)
    expect(page.get_by_text("Terlalu banyak percobaan yang gagal. Demi keamanan, tunggu")).to_be_visible()
    expect_sign_in_page_only(page, "PT Kunci")
    page.wait_for_timeout(2_500)  # the wait after five failures: 2 seconds
    sign_in(page, email, PASSWORD)
    expect(page.get_by_text("Untuk: PT Kunci")).to_be_visible()


def test_an_invitation_link_signs_in_once_and_an_expired_one_is_refused(browser: Browser, serve, tmp_path):
    database = tmp_path / "invite.db"
    app = gapura(database)
    try:
        admin = app.accounts.first_run(ADMIN, PASSWORD)
        organization_id = app.store.ensure_organization({"name": "PT Undangan Baru"})
        link = app.accounts.invite(admin, "baru@undangan.test", organization_id=organization_id)
        late = app.accounts.invite(admin, "telat@undangan.test", organization_id=organization_id)
        with app.store.engine.begin() as connection:
            connection.execute(
                update(schema.Invitation)
                .where(schema.Invitation.token_hash == hashlib.sha256(late.token.encode()).hexdigest())
                .values(expires_at=utcnow() - timedelta(hours=1))
            )
    finally:
        app.close()
    url = serve(database)

    def accept(page: Page, token: str, password: str = "kata-sandi-undangan-7") -> None:
        page.goto(f"{url}/?invite={token}")
        expect(page.get_by_role("heading", name="Terima undangan Anda")).to_be_visible(timeout=30_000)
        settle(page)
        page.get_by_role("textbox", name="Nama Anda").fill("Rekan Baru")
        page.get_by_role("textbox", name="Kata sandi baru").fill(password)
        page.get_by_role("textbox", name="Ulangi kata sandi").fill(password)
        page.get_by_role("button", name="Terima dan masuk").click()
        settle(page)

    invited = browser.new_page()
    accept(invited, link.token)
    expect(invited.get_by_role("heading", name=ASSESS)).to_be_visible()
    expect(invited.get_by_text("Untuk: PT Undangan Baru")).to_be_visible()
    session_cookie_stored(invited)
    invited.reload()
    expect(invited.get_by_text("Untuk: PT Undangan Baru")).to_be_visible(timeout=30_000)
    invited.context.close()

    second = browser.new_page()
    accept(second, link.token, "kata-sandi-lain-yang-baru")
    expect(second.get_by_text("Tautan ini sudah pernah dipakai")).to_be_visible()
    expect(second.get_by_role("heading", name=ASSESS)).to_have_count(0)
    assert "PT Undangan Baru" not in second.content()
    second.goto(url)
    expect_sign_in_page_only(second, "PT Undangan Baru")

    accept(second, late.token)
    expect(second.get_by_text("Tautan ini sudah kedaluwarsa")).to_be_visible()
    expect(second.get_by_role("heading", name=ASSESS)).to_have_count(0)
    assert "PT Undangan Baru" not in second.content()
    second.context.close()
