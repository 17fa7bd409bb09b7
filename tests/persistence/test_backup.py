"""`backup` and `restore` on SQLite and PostgreSQL: a copy restored into an empty database holds every row of every
table; a copy taken while members answer is consistent; a file that is not Gapura's backup, or one from a newer
Gapura, changes nothing; an older copy is migrated; a member signs in to the restored database and finds their
answers."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from gapura.cli import main
from scoring.model import Answer
from services.app import Gapura
from services.backup import NotACopy, WouldReplace
from services.policy import cli_actor
from services.settings import Settings
from store import backup
from store.db import alembic_config, make_engine
from store.schema import Base
from tests.conftest import MINI, ROOT
from tests.filled import MEMBER, ORGANIZATION, fill, tables
from tests.persistence.conftest import fresh_database
from tests.signin import session_token

HEAD = ScriptDirectory.from_config(alembic_config(None)).get_current_head()


def _app(url: str) -> Gapura:
    return Gapura(Settings(database_url=url, standards_dir=MINI.parent))


def _kind(url: str) -> str:
    return make_url(url).get_backend_name()


@pytest.fixture
def another(request, database_url, tmp_path):
    """A second fresh, empty database of the same kind: where a backup is restored."""
    folder = tmp_path / "restored"
    folder.mkdir()
    with fresh_database(request, _kind(database_url), folder) as url:
        yield url


def _without_restore_audit(dump: dict) -> dict:
    columns, rows = dump["audit_events"]
    return dump | {"audit_events": (columns, [r for r in rows if r["action"] != "database.restore"])}


def test_a_backup_restored_into_an_empty_database_holds_every_row_of_every_table(database_url, another, tmp_path):
    fill(database_url)
    source = _app(database_url)
    before = tables(source.store.engine)
    copy = source.backups.back_up(cli_actor(), tmp_path / "gapura.backup")
    source.close()
    assert not [name for name in Base.metadata.tables if not before[name][1]], "every table holds a row"
    assert before["alembic_version"][1] == [{"version_num": HEAD}]
    assert copy.revision == HEAD and copy.rows == {name: len(rows) for name, (_, rows) in before.items()}
    assert copy.bytes == (tmp_path / "gapura.backup").stat().st_size
    assert (tmp_path / "gapura.backup").stat().st_mode & 0o077 == 0  # every company's answers: its owner's only

    target = _app(another)
    restored = target.backups.restore(cli_actor(), tmp_path / "gapura.backup")
    after = tables(target.store.engine)
    target.close()
    assert restored.rows == copy.rows and restored.migrated_to == ""
    assert _without_restore_audit(after) == before  # row by row, alembic_version included
    assert [r["actor"] for r in after["audit_events"][1] if r["action"] == "database.restore"] == [cli_actor().label]


def test_a_backup_taken_while_a_member_keeps_answering_is_consistent(database_url, another, tmp_path):
    """Another thread writes an answer again and again while the copy is taken: the copy opens, passes SQLite's
    integrity check, is at head, and each answer is the last entry of its change log (no half transaction)."""
    fill(database_url)
    app = _app(database_url)
    work = app.store.workspace(app.store.find_organization(ORGANIZATION))
    draft = next(a.id for a in work.assessments() if a.status == "draft")
    stop, saved = threading.Event(), []

    def answer() -> None:
        level = 0
        while not stop.is_set():
            level = (level + 1) % 4
            work.save_answer(draft, "A2", Answer(level=level, note=f"catatan {len(saved)}"))
            saved.append(level)

    writer = threading.Thread(target=answer)
    writer.start()
    try:
        while len(saved) < 5:
            stop.wait(0.01)
        copy = app.backups.back_up(cli_actor(), tmp_path / "busy.backup")
        written_during = len(saved)
        while len(saved) < written_during + 5:  # the writer was never kept waiting by the copy
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join()
        app.close()
    assert copy.revision == HEAD
    if _kind(database_url) == "sqlite":
        with sqlite3.connect(tmp_path / "busy.backup") as c:
            assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    target = _app(another)
    target.backups.restore(cli_actor(), tmp_path / "busy.backup")
    with target.store.engine.connect() as c:
        level = c.scalar(text("SELECT level FROM answers WHERE assessment_id = :a AND criterion_id = 'A2'"),
                         {"a": draft})  # fmt: skip
        changes = c.execute(text("SELECT old, new FROM answer_changes WHERE assessment_id = :a AND criterion_id = 'A2' "
                                 "ORDER BY id"), {"a": draft}).all()  # fmt: skip
        version = c.scalar(text("SELECT version_num FROM alembic_version"))
    target.close()
    assert version == HEAD and 5 <= len(changes) <= len(saved) + 1
    assert _level(changes[-1].new) == level  # the answer and its change log from one and the same moment
    assert all(_level(later.old) == _level(earlier.new) for earlier, later in zip(changes, changes[1:], strict=False))


def _level(logged) -> int | None:
    return (json.loads(logged) if isinstance(logged, str) else logged or {}).get("level")


def _newer_copy(database_url: str, path: Path) -> Path:
    """A backup of this database as a newer Gapura would make it (a schema revision this code does not know)."""
    engine = make_engine(database_url)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999_later'"))
    backup.back_up(engine, path)
    with engine.begin() as c:
        c.execute(text(f"UPDATE alembic_version SET version_num = '{HEAD}'"))
    engine.dispose()
    return path


def test_restore_refuses_what_is_not_a_backup_of_gapura_and_changes_nothing(database_url, tmp_path):
    fill(database_url)
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE contacts (name TEXT)")
    files = {
        "garbage": tmp_path / "garbage.bin",
        "empty": tmp_path / "empty.backup",
        "a damaged pg_dump file": tmp_path / "damaged.dump",
        "another program's SQLite database": foreign,
        "from a newer Gapura": _newer_copy(database_url, tmp_path / "newer.backup"),
    }
    files["garbage"].write_bytes(os.urandom(4096))
    files["empty"].write_bytes(b"")
    files["a damaged pg_dump file"].write_bytes(b"PGDMP" + os.urandom(200))
    app = _app(database_url)
    before = tables(app.store.engine)
    for what, path in files.items():
        with pytest.raises(NotACopy) as refused:
            app.backups.restore(cli_actor(), path, replace=True)
        assert str(refused.value), what
        assert tables(app.store.engine) == before, what
    with pytest.raises(NotACopy, match="newer Gapura"):
        app.backups.restore(cli_actor(), files["from a newer Gapura"], replace=True)
    app.close()


def test_restore_over_a_database_that_holds_data_needs_to_be_told(database_url, tmp_path):
    fill(database_url)
    app = _app(database_url)
    copy = app.backups.back_up(cli_actor(), tmp_path / "gapura.backup")
    work = app.store.workspace(app.store.find_organization(ORGANIZATION))
    draft = next(a.id for a in work.assessments() if a.status == "draft")
    work.save_answer(draft, "A2", Answer(level=3))  # written after the backup
    before = tables(app.store.engine)
    with pytest.raises(WouldReplace):
        app.backups.restore(cli_actor(), tmp_path / "gapura.backup")
    assert tables(app.store.engine) == before
    restored = app.backups.restore(cli_actor(), tmp_path / "gapura.backup", replace=True)
    assert restored.rows["answers"] == copy.rows["answers"] == len(before["answers"][1]) - 1
    app.close()


def test_an_older_backup_is_restored_and_migrated_to_this_schema(database_url, another, tmp_path):
    """A copy made at 0011 (before the shared state of 0012) restored over a database at head: its rows are there
    and the schema is this code's."""
    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0011")
    with engine.begin() as c:
        c.execute(text("INSERT INTO organizations (id, name, name_key, segments, kind, synthetic, created_at, "
                       "updated_at) VALUES (1, 'PT Lama', 'pt lama', '[]', 'company', false, :t, :t)"),
                  {"t": "2026-01-01 10:00:00"})  # fmt: skip
    backup.back_up(engine, tmp_path / "old.backup")
    engine.dispose()
    target = _app(another)
    restored = target.backups.restore(cli_actor(), tmp_path / "old.backup", replace=True)
    assert (restored.revision, restored.migrated_to) == ("0011", HEAD)
    assert restored.rows["organizations"] == 1 and restored.rows["stamps"] == 2  # 0012's tables made again
    assert target.assessing.organizations(cli_actor())[0][1] == "PT Lama"
    target.close()


def test_after_a_restore_the_app_starts_and_the_member_finds_their_answers(database_url, another, tmp_path,
                                                                           monkeypatch):  # fmt: skip
    fill(database_url)
    app = _app(database_url)
    app.backups.back_up(cli_actor(), tmp_path / "gapura.backup")
    app.close()
    target = _app(another)
    target.backups.restore(cli_actor(), tmp_path / "gapura.backup")
    target.close()
    monkeypatch.setenv("DATABASE_URL", another)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    at = AppTest.from_file(str(ROOT / "gapura_app.py"), default_timeout=60)
    at.session_state["session-token"] = session_token(another, MINI.parent, MEMBER)  # their own password
    at.run()
    assert not at.exception
    next(b for b in at.button if b.label == "Lanjutkan").click().run()
    assert not at.exception
    assert "1 dari 4 kriteria sudah dijawab" in [p.proto.text for p in at.get("progress")]


def _gapura(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": url, "GAPURA_STANDARDS_DIR": str(MINI.parent)}
    return subprocess.run([sys.executable, "-m", "gapura", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, input=stdin, timeout=300)  # fmt: skip


def test_the_commands_back_up_and_restore_and_say_what_they_did(tmp_path):
    """Through `python -m gapura`, on SQLite (the in-process test below covers PostgreSQL's commands)."""
    source, target = f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
    fill(source)
    out = tmp_path / "gapura.backup"
    done = _gapura(source, "backup", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"{out}: " in done.stdout and " rows, " in done.stdout and f"{out.stat().st_size} bytes" in done.stdout
    assert "every company's answers and evidence" in done.stdout
    done = _gapura(target, "restore", str(out))  # an empty database: nothing to ask about
    assert done.returncode == 0, done.stderr
    assert "restored from" in done.stdout and f"schema {HEAD}" in done.stdout
    done = _gapura(target, "restore", str(out), stdin="yes\n")  # not a terminal: no question, refused
    assert done.returncode == 2 and "--yes" in done.stderr and "nothing changed" in done.stderr
    (tmp_path / "garbage").write_bytes(b"not a backup at all")
    done = _gapura(target, "restore", "--yes", str(tmp_path / "garbage"))
    assert done.returncode == 2 and "not a backup of Gapura's" in done.stderr and "Traceback" not in done.stderr


class _Terminal(io.StringIO):
    """What the operator types at a terminal."""

    def isatty(self) -> bool:
        return True


def test_at_a_terminal_restore_asks_and_replaces_only_after_yes(database_url, tmp_path, monkeypatch, capsys):
    fill(database_url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    assert main(["backup", "--out", str(tmp_path / "gapura.backup")]) == 0
    app = _app(database_url)
    before = tables(app.store.engine)
    app.close()
    monkeypatch.setattr("sys.stdin", _Terminal("no\n"))
    assert main(["restore", str(tmp_path / "gapura.backup")]) == 2
    assert "Type yes" in capsys.readouterr().out
    app = _app(database_url)
    assert tables(app.store.engine) == before
    app.close()
    monkeypatch.setattr("sys.stdin", _Terminal("yes\n"))
    assert main(["restore", str(tmp_path / "gapura.backup")]) == 0
    assert "restored from" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", _Terminal(""))  # --yes: nothing asked
    assert main(["restore", "--yes", str(tmp_path / "gapura.backup")]) == 0
    assert "Type yes" not in capsys.readouterr().out
    assert main(["restore", "--yes", str(tmp_path / "missing.backup")]) == 2
    assert main(["backup", "--out", str(tmp_path / "no-such-folder" / "gapura.backup")]) == 2
    if _kind(database_url) == "sqlite":  # the live file is neither a place for a backup nor a backup
        live = make_url(database_url).database
        assert main(["backup", "--out", live]) == 2 and main(["restore", "--yes", live]) == 2
        assert "the database itself" in capsys.readouterr().err


def test_the_postgresql_programs_get_libpqs_address_without_the_password():
    from sqlalchemy import create_engine

    engine = create_engine("postgresql+psycopg://gapura:rahasia-sekali@db.example:5432/gapura?sslmode=require")
    assert backup.libpq_url(engine) == "postgresql://gapura@db.example:5432/gapura?sslmode=require"
    assert "rahasia" not in backup.by_hand(engine, Path("gapura.backup"))
