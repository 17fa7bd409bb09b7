"""Every store test runs against SQLite and against a real PostgreSQL server.

PostgreSQL: GAPURA_TEST_POSTGRES_URL if set; otherwise a private throwaway cluster (tools/devserver.py). GAPURA_REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing
server into a failure instead of a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from services.app import Gapura
from services.settings import Settings
from store.db import make_engine
from store.repository import Store
from tests.conftest import MINI
from tools.devserver import PostgresMissing, throwaway_postgres


@pytest.fixture(scope="session")
def postgres_server():
    """A URL to a PostgreSQL server for tests (database `postgres`)."""
    if os.environ.get("GAPURA_TEST_POSTGRES_URL"):
        yield os.environ["GAPURA_TEST_POSTGRES_URL"]
        return
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresMissing as exc:
        if os.environ.get("GAPURA_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required (GAPURA_REQUIRE_POSTGRES): {exc}")
        pytest.skip(str(exc))


@contextmanager
def fresh_database(request, kind: str, folder: Path) -> Iterator[str]:
    """The URL of a new, empty database of `kind` (a SQLite file in `folder`, or a database on the test server)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'test.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database of each kind."""
    with fresh_database(request, request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(database_url):
    engine = make_engine(database_url)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def sqlite_path(tmp_path) -> Path:
    return tmp_path / "app.db"


@pytest.fixture
def gapura(database_url):
    """The application over a fresh database of each kind, with the test standards (tests/data/standards)."""
    app = Gapura(Settings(database_url=database_url, standards_dir=MINI.parent))
    yield app
    app.close()
