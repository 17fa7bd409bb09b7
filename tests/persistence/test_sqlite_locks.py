"""SQLite: read-only work never takes the write lock, so members, officers and the library are served while another
process writes; a write queues behind the writer and then succeeds."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from scoring.model import Answer
from services.app import Gapura
from services.panels import Filters
from services.settings import Settings
from store import schema
from store.db import utcnow
from tests.conftest import MINI
from tests.persistence.people import person

AT_ONCE = 5.0  # seconds: far under the 30 s busy timeout a read would wait if it took the write lock


@pytest.fixture
def app(tmp_path) -> Iterator[Gapura]:
    app = Gapura(Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", standards_dir=MINI.parent))
    yield app
    app.close()


@pytest.fixture
def member_work(app):
    """A member company with an answered assessment of the mini standard, its member and an officer."""
    organization = app.store.ensure_organization({"name": "PT Kunci Baca", "region": "Bali", "size": "11-50"})
    mini = app.standard("mini")
    app.standards.remember(mini)
    assessment = app.store.workspace(organization).start("mini", mini.version, answers={"A1": Answer(level=3)})
    member = person(app, organizations=[organization])
    officer = person(app, roles=["officer"])
    return member, officer, app.assessing.open(member, organization, assessment)


@contextmanager
def write_lock_held(app: Gapura) -> Iterator[sqlite3.Connection]:
    """Another process in the middle of a write: the write lock taken and a row inserted, not committed."""
    with closing(sqlite3.connect(app.store.engine.url.database, isolation_level=None, timeout=0)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO stamps (name, value) VALUES ('another-writer', 1)")
        yield writer
        if writer.in_transaction:
            writer.execute("ROLLBACK")


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except Exception as exc:  # handed to the test, which fails on it
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_results_the_officers_panel_and_the_library_are_read_while_another_process_writes(app, member_work):
    member, officer, work = member_work
    version = work.standard_version

    def reads() -> tuple:
        rounds = app.assessing.rounds(member, work)  # what the member's Results page reads
        members = app.association.members(officer)  # the officers' panel
        panel, _ = app.association.compare(officer, "mini", version, Filters())
        return rounds, members, panel, app.standards.get("mini", version)  # the library's stored copy

    with write_lock_held(app):
        thread, outcome = in_thread(reads)
        thread.join(AT_ONCE)
        assert not thread.is_alive(), "a read waited for the writer's lock"
    assert "error" not in outcome, outcome.get("error")
    rounds, members, panel, standard = outcome["value"]
    assert rounds[-1].answers["A1"].level == 3
    assert list(members["organization"]) == list(panel.frame["organization"]) == ["PT Kunci Baca"]
    assert standard.id == "mini" and standard.version == version


def test_a_save_waits_for_the_writer_and_then_is_stored(app, member_work):
    member, _, work = member_work
    with write_lock_held(app) as writer:
        thread, outcome = in_thread(lambda: app.assessing.answer(member, work, "A1", Answer(level=4)))
        thread.join(1.0)
        assert thread.is_alive(), "the save did not wait for the lock"
        writer.execute("COMMIT")
        thread.join(AT_ONCE)
    assert not thread.is_alive() and outcome == {"value": True}
    assert app.assessing.reload(member, work).answers["A1"].level == 4


def test_a_write_slipped_into_a_read_fails_at_once_and_takes_no_lock(app):
    with pytest.raises(OperationalError, match="readonly"), app.store.session() as s:
        s.add(schema.AppSecret(name="geser", value="x", created_at=utcnow()))
        s.flush()
    with write_lock_held(app):  # nothing was left holding the lock: another process takes it at once
        pass
    assert app.store.stored_secret("geser") is None
