"""`python -m gapura jobs run`: two processes started at once (replicas, or cron beside a person) send each reminder
exactly once, on an SQLite file and on PostgreSQL; the command's lines and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from gapura.cli import main
from services.app import Gapura
from services.settings import Settings
from store.db import make_engine
from tests import campaign_rows as rows
from tests.conftest import MINI, ROOT
from tests.persistence.test_mail import Collect, free_port

DEADLINE = date(2027, 3, 31)
MEMBERS = 300


@pytest.fixture
def inbox():
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, handler.messages
    controller.stop()


def environment(url: str, port: int | None, folder) -> dict[str, str]:
    """The command's settings from the environment only: this database, the local SMTP server (or none)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAPURA_") and k != "DATABASE_URL"}
    env |= {"DATABASE_URL": url, "GAPURA_STANDARDS_DIR": str(MINI.parent), "GAPURA_KEY_FILE": str(folder / "key"),
            "GAPURA_SECRETS_FILE": str(folder / "no-secrets.toml"), "GAPURA_BASE_URL": "https://gapura.example"}  # fmt: skip
    if port:
        env |= {"GAPURA_SMTP_HOST": "127.0.0.1", "GAPURA_SMTP_PORT": str(port), "GAPURA_SMTP_STARTTLS": "false"}
    return env


def jobs(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gapura", "jobs", "run", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


@contextmanager
def barrier(url: str) -> Iterator[None]:
    """On PostgreSQL, hold the claims (a SHARE lock on reminders: reads go on, inserts wait) until two processes
    wait on it, then let both go at once; on SQLite nothing (a reader there takes the write lock too)."""
    if not url.startswith("postgresql"):
        yield
        return
    engine = make_engine(url)
    waiting = text("SELECT count(*) FROM pg_locks WHERE relation = 'reminders'::regclass AND NOT granted")
    try:
        with engine.connect() as held, engine.connect() as watch:
            held.execute(text("LOCK TABLE reminders IN SHARE MODE"))
            yield
            deadline = time.monotonic() + 120
            while watch.execute(waiting).scalar() < 2 and time.monotonic() < deadline:
                watch.rollback()
                time.sleep(0.05)
            assert watch.execute(waiting).scalar() == 2, "the two runs never both reached their claim"
            held.rollback()
    finally:
        engine.dispose()


def test_two_runs_at_once_send_each_reminder_exactly_once(database_url, inbox, tmp_path):
    port, received = inbox
    app = Gapura(Settings(database_url=database_url, standards_dir=MINI.parent))
    try:
        names = [f"PT Anggota {i:03d}" for i in range(MEMBERS)]
        rows.campaign(app.store, "T0 2027", DEADLINE, [7, 1], names)
    finally:
        app.close()
    env = environment(database_url, port, tmp_path)

    with barrier(database_url):  # on PostgreSQL, both have read what is due before either claims any of it
        runs = [jobs(env, "--now", "2027-03-24T08:00") for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    lines = [line for out, _ in outputs for line in out.splitlines() if line.startswith("before-7\t")]
    totals = [out.splitlines()[-1] for out, _ in outputs]

    recipients = Counter(m["To"] for m in received)
    assert len(received) == MEMBERS and set(recipients.values()) == {1}  # duplicates: 0
    assert recipients.keys() == {rows.contact(n) for n in names}
    assert len(lines) == MEMBERS  # each process printed only what it sent
    assert all(t.endswith("reminders sent at 2027-03-24 08:00 UTC") for t in totals)
    counts = [int(t.split()[0]) for t in totals]
    assert sum(counts) == MEMBERS
    print(f"sent by each process: {counts}")
    if database_url.startswith("postgresql"):  # both claimed from the same list: they shared it, none twice
        assert min(counts) > 0

    again = jobs(env, "--now", "2027-03-24T08:15")
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 0 and out.splitlines() == ["0 reminders sent at 2027-03-24 08:15 UTC"]
    assert len(received) == MEMBERS


def test_a_bad_time_is_refused_with_exit_2(capsys):
    assert main(["jobs", "run", "--now", "2027-02-30T08:00"]) == 2
    assert "--now 2027-02-30T08:00: $: not a time as YYYY-MM-DDTHH:MM (UTC)" in capsys.readouterr().err


def test_without_smtp_the_command_says_so_and_sends_nothing(database_url, tmp_path):
    run = jobs(environment(database_url, None, tmp_path), "--now", "2027-03-24T08:00")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0 and out == ""
    assert "no SMTP server configured" in err
