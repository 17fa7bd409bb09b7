"""A private, throwaway PostgreSQL server for tests and benchmarks (Debian's initdb and pg_ctl)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresMissing(RuntimeError):
    pass


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class Cluster:
    """A private PostgreSQL server that a test can stop and start again (a database outage, for real)."""

    def __init__(self, data: Path, port: int) -> None:
        self.data, self.port = data, port
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        self._pg_ctl = _binary("pg_ctl")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c fsync=off -c listen_addresses=127.0.0.1"
        subprocess.run(_as_postgres([self._pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.data / "log"),
                                     "-w", "start"]), check=True, capture_output=True)  # fmt: skip

    def stop(self) -> None:
        subprocess.run(_as_postgres([self._pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"]),
                       capture_output=True)  # fmt: skip


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    """Start a cluster on a free loopback port with fsync off; yield it; stop and delete it afterwards."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not initdb or not pg_ctl:
        raise PostgresMissing("PostgreSQL is not installed (apt-get install postgresql)")
    # Not under pytest's tmp folder: that one is private to root, and the server runs as the postgres user.
    base = Path(tempfile.mkdtemp(prefix="gapura-pg-"))
    os.chmod(base, 0o755)
    data = base / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cluster = Cluster(data, port)
    try:
        subprocess.run(_as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres"]), check=True,
                       capture_output=True)  # fmt: skip
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A throwaway cluster's URL (see throwaway_cluster)."""
    with throwaway_cluster() as cluster:
        yield cluster.url
