"""Every store test runs against SQLite and against a real PostgreSQL server.

PostgreSQL: GAPURA_TEST_POSTGRES_URL if set; otherwise a private throwaway cluster started here with Debian's
initdb/pg_ctl (as root it runs as the postgres user). GAPURA_REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing
server into a failure instead of a skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from store.db import make_engine
from store.repository import Store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def postgres_server():
    """A URL to a PostgreSQL server for tests (database `postgres`)."""
    if os.environ.get("GAPURA_TEST_POSTGRES_URL"):
        yield os.environ["GAPURA_TEST_POSTGRES_URL"]
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        if os.environ.get("GAPURA_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required (GAPURA_REQUIRE_POSTGRES) but initdb/pg_ctl were not found")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    # Not under pytest's tmp folder: that one is private to root, and the server runs as the postgres user.
    base = Path(tempfile.mkdtemp(prefix="gapura-pg-"))
    os.chmod(base, 0o755)
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres"]), check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", f"-p {port} -k {data} -c fsync=off -c listen_addresses=127.0.0.1",
                      "-l", str(data / "log"), "-w", "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
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


@pytest.fixture
def store(database_url):
    engine = make_engine(database_url)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
def sqlite_path(tmp_path) -> Path:
    return tmp_path / "app.db"
