"""The session routes and the guard of ui/http.py in a plain Starlette app (no Streamlit server): the cookie is
Secure whenever the public address is https, and a code opens one session only."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from services.app import Gapura
from services.settings import Settings
from tests.conftest import MINI
from tests.signin import PASSWORD, session_token
from ui import http


@pytest.fixture
def codes(tmp_path, monkeypatch):
    """Two hand-off codes of a member, on a database the routes reach through the settings."""
    url = f"sqlite:///{tmp_path / 'routes.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    session_token(url, Path(MINI.parent), "anggota@rute.test", organization="PT Rute")
    app = Gapura(Settings(database_url=url, standards_dir=MINI.parent))
    try:
        sign_in = app.accounts.sign_in
        return [app.accounts.hand_off(sign_in("anggota@rute.test", PASSWORD, "tests").token) for _ in range(2)]
    finally:
        app.close()


def get(*paths: str) -> list[httpx.Response]:
    """The answers of the routes (in a Starlette app of their own) to plain-HTTP GETs, one after another."""

    async def run() -> list[httpx.Response]:
        app = Starlette(routes=http.routes(), middleware=http.middleware())
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gapura.test") as c:
            return [await c.get(path) for path in paths]

    with ThreadPoolExecutor(1) as own_loop:  # a loop of its own: a browser test may hold this thread's
        return own_loop.submit(asyncio.run, run()).result()


def test_an_https_public_address_makes_the_cookie_secure_even_behind_a_plain_hop(codes, monkeypatch):
    (plain,) = get(f"/gapura/session?code={codes[0]}&next=/results")
    assert plain.status_code == 303 and plain.headers["location"] == "/results"
    assert "HttpOnly" in plain.headers["set-cookie"] and "Secure" not in plain.headers["set-cookie"]
    monkeypatch.setenv("GAPURA_BASE_URL", "https://gapura.example.org")
    (secure,) = get(f"/gapura/session?code={codes[1]}")
    assert "Secure" in secure.headers["set-cookie"] and "SameSite=lax" in secure.headers["set-cookie"]
    assert secure.headers["x-frame-options"] == "SAMEORIGIN"


def test_a_used_or_made_up_code_sets_no_cookie_and_still_goes_back(codes):
    first, *again = get(*(f"/gapura/session?code={code}&next=/account" for code in (codes[0], codes[0], "x", "")))
    assert "set-cookie" in first.headers
    for answer in again:
        assert answer.status_code == 303 and answer.headers["location"] == "/account"
        assert "set-cookie" not in answer.headers
