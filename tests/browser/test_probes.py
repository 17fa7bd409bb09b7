"""The probes and the metrics of a real server (`streamlit run app.py`): /healthz while the process serves,
/readyz only while the database answers with this release's schema, /metrics to this machine only."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from alembic.script import ScriptDirectory
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from store.db import alembic_config
from tests.browser.conftest import DATA, database_url, start_server, stop
from tests.browser.test_http import open_tab

STANDARDS = DATA / "standards"


@pytest.fixture
def server(tmp_path):
    """A server on a SQLite file nobody opened yet: (url, database)."""
    database = tmp_path / "probes.db"
    proc, url = start_server(STANDARDS, tmp_path / "probes.log", database=database)
    yield url, database
    stop(proc)


def scraped(client: httpx.Client) -> dict[str, float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return {s.name: s.value for family in text_string_to_metric_families(response.text) for s in family.samples}


def test_a_server_is_ready_at_its_schema_serves_its_counts_to_this_machine_and_notices_a_rewound_database(server):
    url, database = server
    with httpx.Client(base_url=url, timeout=30) as client:
        assert (client.get("/healthz").status_code, client.get("/healthz").text) == (200, "ok")
        ready = client.get("/readyz")
        assert (ready.status_code, ready.text) == (200, "ready")

        metrics = client.get("/metrics")
        assert metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"  # what Prometheus 2 reads
        assert metrics.headers["x-frame-options"] == "SAMEORIGIN" and "content-security-policy" in metrics.headers
        counts = scraped(client)
        for name in ("gapura_sessions", "gapura_answers_saved_total", "gapura_save_seconds_count",
                     "gapura_saves_failed_total", "gapura_sign_in_failures_total"):  # fmt: skip
            assert name in counts, name
        assert counts["gapura_sessions"] == 0
        with open_tab(url):
            assert scraped(client)["gapura_sessions"] == 1
        # Through a proxy on this machine (uvicorn believes loopback's X-Forwarded-For): the web's request.
        assert client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"}).status_code == 404
        assert client.get("/_stcore/metrics").status_code == 404

        engine = create_engine(database_url(database))
        with engine.begin() as c:  # an older backup restored under the running server
            c.execute(text("UPDATE alembic_version SET version_num = '0011'"))
        engine.dispose()
        behind = client.get("/readyz")
        assert behind.status_code == 503 and behind.text.startswith("database schema at 0011, this release needs ")
        assert client.get("/healthz").status_code == 200


def test_a_server_opens_and_migrates_its_database_as_it_starts_before_anyone_asks(server):
    _, database = server  # nothing but Streamlit's own /_stcore/health was asked yet
    head = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://"))).get_current_head()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and revision_of(database) != head:
        time.sleep(0.3)
    assert revision_of(database) == head


def revision_of(database) -> str | None:
    engine = create_engine(database_url(database))
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError:  # no table yet
        return None
    finally:
        engine.dispose()


def test_a_server_whose_database_is_unreachable_lives_but_is_not_ready_within_seconds(tmp_path):
    with socket.socket() as s:  # a PostgreSQL port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc, url = start_server(
        STANDARDS, tmp_path / "away.log", database=f"postgresql://gapura:rahasia@127.0.0.1:{port}/g", ready=False
    )
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/healthz").status_code == 200
            started = time.monotonic()
            ready = client.get("/readyz")
            assert time.monotonic() - started < 8
            assert ready.status_code == 503 and ready.text.startswith("database unreachable (reference ")
            assert "rahasia" not in ready.text and str(port) not in ready.text
            assert client.get("/metrics").status_code == 200  # the counts need no database
    finally:
        stop(proc)


def test_readiness_follows_a_postgresql_that_stops_and_comes_back(tmp_path, cluster):
    proc, url = start_server(STANDARDS, tmp_path / "restart.log", database=cluster.url)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/readyz").status_code == 200
            cluster.stop()
            started = time.monotonic()
            away = client.get("/readyz")
            assert away.status_code == 503 and away.text.startswith("database unreachable (reference ")
            assert time.monotonic() - started < 8
            assert client.get("/healthz").status_code == 200
            cluster.start()
            assert client.get("/readyz").status_code == 200
    finally:
        stop(proc)
