"""The session routes and the guard of ui/http.py in a plain Starlette app (no Streamlit server): the cookie is
Secure whenever the public address is https, and a code opens one session only."""

import asyncio
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from sqlalchemy import create_engine, text
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


def get(*paths: str, client: str = "127.0.0.1", headers: dict[str, str] | None = None) -> list[httpx.Response]:
    """The answers of the routes (in a Starlette app of their own) to plain-HTTP GETs, one after another, from a
    connection whose address is `client`."""

    async def run() -> list[httpx.Response]:
        app = Starlette(routes=http.routes(), middleware=http.middleware())
        transport = httpx.ASGITransport(app=app, client=(client, 50123))
        async with httpx.AsyncClient(transport=transport, base_url="http://gapura.test", headers=headers) as c:
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


def test_staff_get_the_proxy_cookie_of_their_own_replica_and_members_lose_it(codes, tmp_path):
    url = f"sqlite:///{tmp_path / 'routes.db'}"
    session_token(url, Path(MINI.parent), "petugas@rute.test", organization=None, roles=("officer",))
    app = Gapura(Settings(database_url=url, standards_dir=MINI.parent))
    try:
        officer = app.accounts.hand_off(app.accounts.sign_in("petugas@rute.test", PASSWORD, "tests").token)
    finally:
        app.close()
    staff, member = get(f"/gapura/session?code={officer}", f"/gapura/session?code={codes[0]}")
    pools = [[c for c in r.headers.get_list("set-cookie") if c.startswith("gapura_pool=")] for r in (staff, member)]
    assert pools[0][0].startswith("gapura_pool=staff;") and "HttpOnly" in pools[0][0]
    assert pools[1][0].startswith('gapura_pool="";') and "Max-Age=0" in pools[1][0]  # a shared computer's last staff


@pytest.fixture
def database(tmp_path, monkeypatch):
    """A migrated SQLite database the routes reach through the settings; its URL."""
    url = f"sqlite:///{tmp_path / 'probe.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    Gapura(Settings(database_url=url, standards_dir=MINI.parent)).close()
    return url


def set_revision(url: str, revision: str) -> None:
    """What alembic records as the database's schema, as an older backup or a newer release would leave it."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_metrics_are_served_to_this_machine_in_prometheus_text_with_the_security_headers(database):
    (scraped,) = get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"] == CONTENT_TYPE_PLAIN_0_0_4
    for name in ("gapura_sessions", "gapura_answers_saved_total", "gapura_save_seconds_bucket",
                 "gapura_saves_failed_total", "gapura_sign_in_failures_total"):  # fmt: skip
        assert f"\n{name}" in scraped.text, name
    assert scraped.headers["x-content-type-options"] == "nosniff" and "content-security-policy" in scraped.headers
    assert [get("/metrics", client=c)[0].status_code for c in ("::1", "::ffff:127.0.0.1")] == [200, 200]
    (open_metrics,) = get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
    assert open_metrics.text.endswith("# EOF\n")


def test_metrics_are_not_found_from_the_web_nor_through_a_proxy(database):
    (outside,) = get("/metrics", client="203.0.113.7")
    assert outside.status_code == 404 and outside.text == "Not found" and "gapura" not in outside.text
    # A proxy on this machine connects from loopback: what it passes on came from the web, whatever it says.
    for forwarded in ({"X-Forwarded-For": "127.0.0.1"}, {"X-Real-IP": "10.0.0.5"}, {"Forwarded": "for=127.0.0.1"}):
        assert get("/metrics", headers=forwarded)[0].status_code == 404, forwarded


def test_a_network_listed_in_the_setting_may_scrape_and_its_neighbours_may_not(database, monkeypatch):
    monkeypatch.setenv("GAPURA_METRICS_ALLOW", "10.1.0.0/16, 192.0.2.9")
    allowed = [get("/metrics", client=c)[0].status_code for c in ("10.1.200.3", "192.0.2.9")]
    refused = [get("/metrics", client=c)[0].status_code for c in ("10.2.0.1", "192.0.2.10", "not-an-address")]
    assert allowed == [200, 200] and refused == [404, 404, 404]


def test_ready_at_the_schema_of_this_release_and_not_ready_when_the_database_holds_another(database):
    (health, ready) = get("/healthz", "/readyz")
    assert (health.status_code, health.text, ready.status_code, ready.text) == (200, "ok", 200, "ready")
    set_revision(database, "0011")  # an older backup restored under a running server
    (behind,) = get("/readyz")
    assert behind.status_code == 503 and behind.text.startswith("database schema at 0011, this release needs ")


def test_a_database_from_a_newer_release_is_not_ready_and_the_server_still_lives(database):
    set_revision(database, "9999")
    (health, ready) = get("/healthz", "/readyz")
    assert health.status_code == 200
    assert ready.status_code == 503 and re.fullmatch(r"database not usable \(reference [0-9a-f]{8}\)", ready.text)


def test_an_unreachable_database_is_not_ready_within_seconds_and_says_no_server_detail(monkeypatch, tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgresql://gapura:rahasia@127.0.0.1:{port}/gapura")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    started = time.monotonic()
    (health, ready) = get("/healthz", "/readyz")
    assert time.monotonic() - started < http.READY_SECONDS + 2
    assert health.status_code == 200
    assert ready.status_code == 503 and ready.text.startswith("database unreachable (reference ")
    for secret in ("rahasia", "gapura@", "127.0.0.1", str(port)):
        assert secret not in ready.text
