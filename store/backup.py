"""A copy of the whole database and the way back: SQLite's online backup API, PostgreSQL's pg_dump and pg_restore.

A copy holds every company's answers and evidence: keep it like the database (encrypted at rest, never emailed)."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, func, inspect, select, table, text

from store.db import BUSY_TIMEOUT_MS, READING, alembic_config, migrate

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"  # the first bytes of pg_dump's custom format
NOT_DATA = ("alembic_version", "stamps")  # what a new, empty database already holds


@dataclass(frozen=True)
class Copy:
    """What a backup holds, or what a restore left in the database: rows per table, the file's size, its schema."""

    rows: dict[str, int]
    bytes: int
    revision: str
    migrated_to: str = ""  # after a restore of an older copy: the schema it was brought to


class NotACopy(ValueError):
    """The file is not a backup of Gapura's this code can restore (the message says why); nothing was changed."""


class ToolMissing(RuntimeError):
    """pg_dump or pg_restore is not installed; the message says what to install and the command to run by hand."""


class CopyFailed(RuntimeError):
    """The backup or restore program failed; its own words, never the password."""


def back_up(engine: Engine, out: Path) -> Copy:
    """Write a consistent copy of the database to `out` while the app keeps writing; readable by its owner only. A
    failed backup leaves no file at `out`."""
    if _is_sqlite(engine) and out.resolve() == Path(engine.url.database).resolve():
        raise ValueError("that is the database itself: write the backup to another file")
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        rows, revision = (_sqlite_backup if _is_sqlite(engine) else _pg_dump)(engine, partial)
        os.chmod(partial, 0o600)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return Copy(rows, out.stat().st_size, revision)


def revision_of(engine: Engine, path: Path) -> str:
    """The schema revision of the backup at `path`, refused (NotACopy) when it is not a backup of Gapura's of the
    database kind of `engine` or comes from a newer Gapura than this one."""
    try:
        with path.open("rb") as f:
            start = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotACopy(f"cannot be read: {exc.strerror or exc}") from None
    if _is_sqlite(engine):
        if start.startswith(PG_DUMP_HEADER):
            raise NotACopy("a PostgreSQL backup (pg_dump): restore it into a PostgreSQL DATABASE_URL")
        if start != SQLITE_HEADER:
            raise NotACopy("not an SQLite database, so not a backup of Gapura's")
        if path.resolve() == Path(engine.url.database).resolve():
            raise NotACopy("the database itself, not a backup of it")
        revision = _sqlite_revision(path)
    else:
        if start == SQLITE_HEADER:
            raise NotACopy("an SQLite backup: restore it into an SQLite DATABASE_URL")
        if not start.startswith(PG_DUMP_HEADER):
            raise NotACopy("not a backup made by pg_dump --format=custom, so not a backup of Gapura's")
        revision = _pg_revision(engine, path)
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if revision not in {s.revision for s in scripts.walk_revisions()}:
        raise NotACopy(f"made by a newer Gapura (schema {revision}; this one knows up to {scripts.get_current_head()}):"
                       " upgrade Gapura first, then restore")  # fmt: skip
    return revision


def held(engine: Engine) -> dict[str, int]:
    """The tables that hold rows people made (a new, empty database holds none): what a restore would replace."""
    return {name: n for name, n in _counts(engine).items() if n and name not in NOT_DATA}


def restore(engine: Engine, path: Path) -> Copy:
    """Replace the whole database with the backup at `path` (checked first: nothing changes when it is refused), then
    bring an older copy's schema to this code's."""
    revision = revision_of(engine, path)
    engine.dispose()  # no pooled connection keeps a view of the database being replaced
    if _is_sqlite(engine):
        _sqlite_restore(engine, path)
    else:
        _pg_restore(engine, path)
    migrate(engine)
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    return Copy(_counts(engine), path.stat().st_size, revision, head if head != revision else "")


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect().execution_options(**{READING: True}) as c:  # SQLite: never the write lock
        return _counted(c)


def _counted(connection) -> dict[str, int]:
    return {name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in inspect(connection).get_table_names()}  # fmt: skip


# SQLite: the online backup API copies every page in one step, from one snapshot (WAL: writers go on meanwhile).


def _sqlite_backup(engine: Engine, partial: Path) -> tuple[dict[str, int], str]:
    source = sqlite3.connect(engine.url.database, timeout=BUSY_TIMEOUT_MS / 1000)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        rows = {name: target.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in _sqlite_tables(target)}
        version = target.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        target.close()
        source.close()
    return rows, version[0] if version else ""


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [name for (name,) in connection.execute(query)]


def _sqlite_revision(path: Path) -> str:
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise NotACopy(f"cannot be opened as an SQLite database: {exc}") from None
    try:
        if "alembic_version" not in _sqlite_tables(connection):
            raise NotACopy("an SQLite database, but not Gapura's (it has no schema revision)")
        found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        checked = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotACopy(f"a damaged SQLite database: {exc}") from None
    finally:
        connection.close()
    if checked != "ok":
        raise NotACopy(f"a damaged SQLite database: {checked}")
    if len(found) != 1:
        raise NotACopy("an SQLite database, but not Gapura's (it has no schema revision)")
    return found[0][0]


def _sqlite_restore(engine: Engine, path: Path) -> None:
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(engine.url.database, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        source.backup(target)  # page by page under the target's write lock: a reader sees the old or the new
    finally:
        target.close()
        source.close()


# PostgreSQL: pg_dump and pg_restore, with libpq's URL (no "+psycopg") and the password in PGPASSWORD only.


def pg_tool(name: str) -> str | None:
    """The program on PATH, else the newest in Debian's /usr/lib/postgresql/*/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return shutil.which(name) or (found[-1] if found else None)


def libpq_url(engine: Engine) -> str:
    """The database's address as libpq reads it, without the password."""
    url = engine.url
    address = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return address.render_as_string(hide_password=False)


def by_hand(engine: Engine, out: Path) -> str:
    """The backup command an operator runs where pg_dump is installed."""
    return f"PGPASSWORD=... pg_dump --format=custom --dbname '{libpq_url(engine)}' --file '{out}'"


def _run(engine: Engine, name: str, *args: str, hand: str) -> subprocess.CompletedProcess:
    program = pg_tool(name)
    if program is None:
        raise ToolMissing(f"{name} is not installed: install PostgreSQL's client programs (Debian: apt-get install "
                          f"postgresql-client, the server's major version or newer), or run by hand: {hand}")  # fmt: skip
    env = os.environ | {"PGCONNECT_TIMEOUT": "5"}
    if engine.url.password:
        env["PGPASSWORD"] = str(engine.url.password)
    return subprocess.run([program, *args], env=env, capture_output=True, text=True)


def _failed(name: str, done: subprocess.CompletedProcess) -> CopyFailed:
    said = [line for line in done.stderr.splitlines() if line.strip()][:5]
    return CopyFailed(f"{name} failed (exit {done.returncode}): " + " / ".join(said))


def _pg_dump(engine: Engine, partial: Path) -> tuple[dict[str, int], str]:
    """pg_dump of a snapshot exported by a transaction that counts the rows of the same snapshot."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as c:
        snapshot = c.scalar(text("SELECT pg_export_snapshot()"))
        rows = _counted(c)
        version = c.scalar(text("SELECT version_num FROM alembic_version"))
        done = _run(engine, "pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(partial),
                    "--dbname", libpq_url(engine), hand=by_hand(engine, partial.with_suffix("")))  # fmt: skip
        c.rollback()
    if done.returncode:
        raise _failed("pg_dump", done)
    return rows, version or ""


def _pg_revision(engine: Engine, path: Path) -> str:
    hand = f"pg_restore --clean --if-exists --no-owner --dbname '{libpq_url(engine)}' '{path}'"
    done = _run(engine, "pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path), hand=hand)
    if done.returncode:
        raise NotACopy(f"pg_restore cannot read it: {' / '.join(done.stderr.splitlines()[:2])}")
    lines = done.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("COPY ") and "alembic_version" in line), None)
    if start is None or start + 1 >= len(lines) or lines[start + 1] == "\\.":
        raise NotACopy("a PostgreSQL backup, but not Gapura's (it has no schema revision)")
    return lines[start + 1].strip()


def _pg_tables(engine: Engine, path: Path) -> set[str]:
    done = _run(engine, "pg_restore", "--list", str(path), hand="")
    return {line.split()[5] for line in done.stdout.splitlines() if " TABLE public " in line and ";" in line}


def _pg_restore(engine: Engine, path: Path) -> None:
    """Tables the copy does not have (made by migrations after it) go first, so the migrations can make them again;
    then pg_restore in one transaction: a failure leaves the database as it was."""
    kept = _pg_tables(engine, path)
    with engine.begin() as c:
        for name in set(inspect(c).get_table_names()) - kept:
            c.execute(text(f'DROP TABLE "{name}" CASCADE'))
    hand = f"pg_restore --clean --if-exists --no-owner --dbname '{libpq_url(engine)}' '{path}'"
    done = _run(engine, "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                "--exit-on-error", "--dbname", libpq_url(engine), str(path), hand=hand)  # fmt: skip
    if done.returncode:
        raise _failed("pg_restore", done)
