"""Engines, sessions and migrations: SQLite tuned for many writers, PostgreSQL through psycopg 3."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
READING = "gapura_reading"  # an execution option: this connection's transaction only reads
SQLITE_FULL = 13  # SQLite's result code for "database or disk is full"


def make_engine(url: str) -> Engine:
    """Errors and logs never carry SQL parameters (answers, notes, company profiles): hide_parameters."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                               hide_parameters=True)  # fmt: skip
        _tune_sqlite(engine)
        return engine
    # A server that is away is told at once (5 s at most), so a tab keeps its answers instead of hanging.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args={"connect_timeout": 5})


def unavailable(exc: BaseException) -> bool:
    """The database could not be reached or went away (a server stopped, a cut connection, a file locked too long):
    the kind of failure to wait out, not a bug."""
    return isinstance(exc, (OperationalError, InterfaceError, DisconnectionError)) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def disk_full(exc: BaseException) -> bool:
    """SQLite's disk has no room left for a write (SQLITE_FULL): the write was rolled back whole, and the same write
    succeeds once space is freed."""
    return isinstance(exc, OperationalError) and getattr(exc.orig, "sqlite_errorcode", None) == SQLITE_FULL


def _tune_sqlite(engine: Engine) -> None:
    """WAL so readers never wait for the writer; a write's transaction takes the write lock at its start (BEGIN
    IMMEDIATE), a read's never takes it (a deferred BEGIN under PRAGMA query_only, so a write slipped into a read
    fails at once instead of taking the lock halfway).

    A deferred transaction that reads and then writes can fail with "database is locked" at once, whatever the
    busy timeout, when another writer got there first; taking the lock up front makes writers queue instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's begin event open transactions itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        reading = bool(connection.get_execution_options().get(READING))
        if connection.info.get(READING) != reading:  # a pooled connection keeps the pragma: set it on a change only
            connection.exec_driver_sql(f"PRAGMA query_only={int(reading)}")
            connection.info[READING] = reading
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the database to the latest schema (creates it on first run)."""
    command.upgrade(alembic_config(engine), "head")


class Sessions:
    """`sessions()` is a Session that only reads (on SQLite it never takes the write lock); `sessions.begin()` a
    Session in a writing transaction, committed when its block ends."""

    def __init__(self, engine: Engine) -> None:
        self._read = sessionmaker(engine.execution_options(**{READING: True}), expire_on_commit=False)
        self._write = sessionmaker(engine, expire_on_commit=False)

    def __call__(self) -> Session:
        return self._read()

    def begin(self) -> AbstractContextManager[Session]:
        return self._write.begin()


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes, PostgreSQL aware ones: both become aware UTC here."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
