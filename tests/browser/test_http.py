"""What the server itself answers: the session cookie it sets (HttpOnly, SameSite=Lax, Secure behind HTTPS) across
signing in, reloads, a password change and signing out, in Chromium; the security headers, with no page broken by
the Content-Security-Policy; no public metrics; and no upload from a visitor who is not signed in, over a raw
websocket as an attacker would send it."""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from services.app import Gapura
from services.settings import Settings
from tests.browser.conftest import DATA, database_url, sign_in_as, start_server, stop
from tests.browser.test_journey import answer, settle
from tests.signin import PASSWORD, session_token
from ui.http import COOKIE

STANDARDS = DATA / "standards"
ASSESS = "Penilaian mandiri"
EMAIL = "anggota@kuki.test"
COMPANY = "PT Kuki Server"


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A server on its own SQLite database with one member of COMPANY; every upload budget 1 MB. (url, database)"""
    monkeypatch.setenv("GAPURA_UPLOAD_BUDGET_MB", "1")
    database = tmp_path / "http.db"
    session_token(database_url(database), STANDARDS, EMAIL, organization=COMPANY)
    proc, url = start_server(STANDARDS, tmp_path / "http.log", database=database)
    yield url, database
    stop(proc)


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def session_cookie(page: Page) -> dict:
    (cookie,) = [c for c in page.context.cookies() if c["name"] == COOKIE]
    return cookie


def test_the_server_sets_the_session_cookie_and_it_holds_across_reloads_a_password_change_and_sign_out(
    browser: Browser, server
):
    url, _ = server
    page = browser.new_page()
    violations = csp_violations(page)
    page.goto(url)
    expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible(timeout=30_000)
    settle(page)
    page.get_by_role("textbox", name="Email").fill(EMAIL)
    page.get_by_role("textbox", name="Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name=ASSESS)).to_be_visible()
    cookie = session_cookie(page)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Lax", False)  # plain http here
    assert COOKIE not in page.evaluate("document.cookie")  # no script on the page can read it
    assert "code=" not in page.url

    page.reload()  # at once: the cookie was there before the page showed
    expect(page.get_by_text(f"Untuk: {COMPANY}")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_have_count(0)

    # Pages with charts, tables and fragments work under the Content-Security-Policy.
    settle(page)
    page.get_by_role("button", name="Mulai penilaian").click()
    answer(page, "A1", "2 · Terdokumentasi")
    page.get_by_role("link", name="Hasil").click()
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Standar").click()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=30_000)

    page.get_by_role("link", name="Akun saya").click()
    expect(page.get_by_text(f"Masuk sebagai {EMAIL}")).to_be_visible()
    settle(page)
    page.get_by_test_id("stExpander").filter(has_text="Ganti kata sandi").locator("summary").click()
    page.get_by_role("textbox", name="Kata sandi sekarang").fill(PASSWORD)
    page.get_by_role("textbox", name="Kata sandi baru").fill("kata-sandi-baru-7788")
    page.get_by_role("textbox", name="Ulangi kata sandi").fill("kata-sandi-baru-7788")
    page.get_by_role("button", name="Ganti kata sandi").click()
    expect(page.get_by_text("Kata sandi sudah diganti")).to_be_visible(timeout=30_000)
    renewed = session_cookie(page)
    assert renewed["value"] != cookie["value"] and renewed["httpOnly"]
    page.reload()
    expect(page.get_by_text(f"Masuk sebagai {EMAIL}")).to_be_visible(timeout=30_000)

    settle(page)
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible(timeout=30_000)
    page.wait_for_url(re.compile(r"^[^?]*/(\?lang=id)?$"))
    assert not [c for c in page.context.cookies() if c["name"] == COOKIE]
    page.reload()
    expect(page.get_by_role("heading", name="Masuk ke Gapura")).to_be_visible(timeout=30_000)
    assert not violations, violations[:3]


def test_the_cookie_is_secure_behind_https_and_the_routes_go_nowhere_else(server):
    url, database = server
    app = Gapura(Settings(database_url=database_url(database), standards_dir=STANDARDS))
    try:
        codes = [app.accounts.hand_off(app.accounts.sign_in(EMAIL, PASSWORD, "tests").token) for _ in range(2)]
    finally:
        app.close()
    with httpx.Client(base_url=url) as client:
        # A proxy on this machine (trusted by uvicorn: FORWARDED_ALLOW_IPS) says the browser came over HTTPS.
        response = client.get(f"/gapura/session?code={codes[0]}&next=/account", headers={"X-Forwarded-Proto": "https"})
        assert response.status_code == 303 and response.headers["location"] == "/account"
        set_cookie = response.headers["set-cookie"]
        assert set_cookie.startswith(f"{COOKIE}=") and "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie
        assert "Secure" in set_cookie and "Path=/" in set_cookie
        token = set_cookie.split(";")[0].split("=", 1)[1]
        assert client.get(f"/gapura/session?code={codes[0]}").headers.get("set-cookie") is None  # used once

        # Only back to this server.
        for target in ("https://evil.test/", "//evil.test/", "/\\evil.test"):
            went = client.get(f"/gapura/session?code={codes[1]}&next={urllib.parse.quote(target)}")
            assert went.headers["location"] == "/"
        # A link from elsewhere to the sign-out route cannot end a live session's cookie.
        client.cookies.set(COOKIE, token)
        assert "set-cookie" not in client.get("/gapura/sign-out").headers


def test_every_response_carries_the_security_headers_and_the_metrics_are_not_public(server):
    url, _ = server
    with httpx.Client(base_url=url) as client:
        for path in ("/", "/account", "/_stcore/health", "/gapura/session"):
            headers = client.get(path).headers
            assert headers["x-frame-options"] == "SAMEORIGIN", path
            assert "frame-ancestors 'self'" in headers["content-security-policy"], path
            assert "script-src 'self' blob: 'sha256-" in headers["content-security-policy"], path
            assert headers["x-content-type-options"] == "nosniff", path
        assert client.get("/_stcore/metrics").status_code == 404


@contextmanager
def open_tab(url: str, cookie: str = "") -> Iterator[str]:
    """A raw websocket to the app, as a script would open one, that has run the app once; yields its session id."""
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    with connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                 additional_headers=headers) as ws:  # fmt: skip
        message = BackMsg()
        message.rerun_script.query_string = ""
        ws.send(message.SerializeToString())
        session_id = None
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(ws.recv(timeout=60))
            if forward.WhichOneof("type") == "new_session":
                session_id = forward.new_session.initialize.session_id
            if forward.WhichOneof("type") == "script_finished":
                break
        yield session_id


def upload(client: httpx.Client, session_id: str, size: int, n: int) -> int:
    xsrf = client.cookies.get("_streamlit_xsrf")
    response = client.put(
        f"/_stcore/upload_file/{session_id}/file-{n}",
        files={"file": (f"resume-{n}.json", io.BytesIO(b"{" + b" " * (size - 2) + b"}"), "application/json")},
        headers={"X-Xsrftoken": xsrf},
    )
    return response.status_code


def test_no_upload_is_taken_before_sign_in_and_a_signed_in_tab_has_a_budget(server):
    url, database = server
    with httpx.Client(base_url=url) as client:
        client.get("/_stcore/health")  # the XSRF cookie the upload route asks for

        with open_tab(url) as session_id:
            assert [upload(client, session_id, 300_000, n) for n in range(3)] == [403, 403, 403]

        token = session_token(database_url(database), STANDARDS, EMAIL)
        with open_tab(url, token) as session_id:
            # 1 MB held at most: three files of 300 kB, not a fourth, until the tab drops one.
            assert [upload(client, session_id, 300_000, n) for n in range(4)] == [204, 204, 204, 413]
            xsrf = client.cookies.get("_streamlit_xsrf")
            client.delete(f"/_stcore/upload_file/{session_id}/file-0", headers={"X-Xsrftoken": xsrf})
            assert upload(client, session_id, 300_000, 4) == 204


def test_a_failure_in_a_buttons_action_gets_the_one_handlers_plain_message(page: Page, tmp_path, cluster):
    server, url = start_server(STANDARDS, tmp_path / "handler.log", database=cluster.url)
    try:
        sign_in_as(page.context, url, cluster.url, STANDARDS, EMAIL, organization=COMPANY)
        page.goto(url + "/account")
        expect(page.get_by_text(f"Masuk sebagai {EMAIL}")).to_be_visible(timeout=30_000)
        settle(page)
        cluster.stop()
        page.get_by_role("button", name="Keluar").click()  # its action needs the database (st.App's on_script_error)
        expect(page.get_by_text("Database sedang tidak bisa dihubungi")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        for detail in ("OperationalError", "psycopg", "Traceback", "postgres"):
            expect(page.get_by_text(detail)).to_have_count(0)
    finally:
        stop(server)
