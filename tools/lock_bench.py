"""`python -m gapura bench --locks`: on SQLite with N demo members, how long a member's Results, the officers' panel and
the library's stored copy take to read while another process holds the write lock for HOLD seconds, as ratios to the
same reads with no writer (about 1 when reads never wait for the lock, about HOLD / idle when they do)."""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from services.app import Gapura
from services.policy import cli_actor
from services.settings import load as load_settings

ROOT = Path(__file__).resolve().parent.parent
STANDARD = "id-licensing"


def _reads(app: Gapura) -> dict[str, Callable[[], object]]:
    """The three reads, on a demo member whose assessment is complete."""
    actor = cli_actor()
    members = app.association.members(actor)
    done = members[(members["standard_id"] == STANDARD) & (members["coverage"] >= 1)].iloc[0]
    work = app.assessing.open(actor, int(done["organization_id"]), int(done["assessment"]))
    version = str(done["standard_version"])
    return {
        "results": lambda: app.assessing.rounds(actor, work),
        "panel": lambda: app.association.members(actor),
        "library": lambda: app.standards.get(STANDARD, version),
    }


def _with_writer(database: Path, hold: float, read: Callable[[], object]) -> float:
    """Seconds `read` takes while another connection holds the write lock, released after `hold` seconds."""
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO stamps (name, value) VALUES ('bench-writer', 1)")
    release = threading.Timer(hold, lambda: writer.execute("ROLLBACK"))
    release.start()
    try:
        started = time.perf_counter()
        read()
        return time.perf_counter() - started
    finally:
        release.join()
        writer.close()


def figures(organizations: int = 200, hold: float = 1.0, repeat: int = 7) -> dict[str, dict[str, float]]:
    """Per read: its median seconds idle and with a writer holding the lock, and their ratio."""
    database = Path(tempfile.mkdtemp()) / "locks.db"
    settings = replace(load_settings(), database_url=f"sqlite:///{database}", standards_dir=ROOT / "standards")
    app = Gapura(settings)
    try:
        app.demo.load(cli_actor(), organizations=organizations, seed=1, force=True)
        out = {}
        for name, read in _reads(app).items():
            read()  # warm: the panel is scored once, as after any replica's start
            idle = statistics.median(_timed(read) for _ in range(repeat))
            busy = statistics.median(_with_writer(database, hold, read) for _ in range(repeat))
            out[name] = {"idle": idle, "writer": busy, "ratio": busy / idle}
        return out
    finally:
        app.close()


def _timed(read: Callable[[], object]) -> float:
    started = time.perf_counter()
    read()
    return time.perf_counter() - started


def run(organizations: int = 200, hold: float = 1.0, repeat: int = 7) -> str:
    lines = [f"SQLite reads while another process holds the write lock for {hold:.1f} s ({organizations} demo members, "
             f"median of {repeat}):"]  # fmt: skip
    for name, f in figures(organizations, hold, repeat).items():
        lines.append(f"  {name:8} idle {f['idle'] * 1000:8.1f} ms   with a writer {f['writer'] * 1000:8.1f} ms   "
                     f"ratio {f['ratio']:6.2f}")  # fmt: skip
    return "\n".join(lines)
