"""SQLite on a full disk (a small tmpfs filled with a ballast file): a save is refused whole with a message that says
the server has no room, nothing is half-written, and the next save after space returns is stored."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from scoring.model import Answer
from services.app import Gapura, disk_full, unavailable
from services.settings import Settings
from tests.conftest import MINI
from tests.persistence.people import person
from tests.test_app_pages import radio_for, signed_in, start


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 16 MB tmpfs of its own (CI runs the tests as root, which may mount one)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root (CI runs as root)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"mounting a tmpfs is not permitted here: {mounted.stderr.decode(errors='replace').strip()}")
    yield folder
    subprocess.run(["umount", "--lazy", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """A ballast file that takes every free block; before it, the WAL is emptied so the next write needs a new one."""
    with closing(sqlite3.connect(folder / "app.db")) as db:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0
    ballast = folder / "ballast"
    descriptor = os.open(ballast, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return ballast


def stored(folder: Path) -> tuple[str, list[str]]:
    """The database's integrity check and every row of it, as SQL."""
    with closing(sqlite3.connect(folder / "app.db")) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0], list(db.iterdump())


def test_a_save_on_a_full_disk_is_refused_whole_and_the_next_one_after_space_returns_is_stored(small_disk):
    app = Gapura(Settings(database_url=f"sqlite:///{small_disk / 'app.db'}", standards_dir=MINI.parent))
    try:
        organization = app.store.ensure_organization({"name": "PT Disk Penuh", "region": "Bali", "size": "11-50"})
        mini = app.standard("mini")
        app.standards.remember(mini)
        assessment = app.store.workspace(organization).start("mini", mini.version)
        member = person(app, organizations=[organization])
        work = app.assessing.open(member, organization, assessment)
        assert app.assessing.answer(member, work, "A1", Answer(level=2))
        ballast = fill(small_disk)
        check, before = stored(small_disk)
        with pytest.raises(OperationalError) as failed:
            app.assessing.answer(member, work, "A1", Answer(level=4, note="Prosedur sudah tertulis"))
        assert disk_full(failed.value) and unavailable(failed.value)  # told as a full disk, and kept to retry
        assert stored(small_disk) == (check, before) and check == "ok"  # not a row of it half-written
        assert app.assessing.reload(member, work).answers["A1"].level == 2  # reading goes on meanwhile
        ballast.unlink()
        assert app.assessing.answer(member, work, "A1", Answer(level=4, note="Prosedur sudah tertulis"))
        answer = app.assessing.reload(member, work).answers["A1"]
        assert (answer.level, answer.note) == (4, "Prosedur sudah tertulis")
        assert stored(small_disk)[0] == "ok"
    finally:
        app.close()


@pytest.mark.parametrize(
    ("lang", "said"),
    [("id", "Ruang penyimpanan server sedang penuh"), ("en", "The server has no room left to save them")],
)
def test_the_assess_page_says_the_server_has_no_room_and_saves_once_space_returns(small_disk, monkeypatch, lang, said):
    shutil.copy(MINI, small_disk / "mini.json")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(small_disk))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{small_disk / 'app.db'}")
    at = start(signed_in(small_disk, lang=lang))
    radio_for(at, "A1").set_value(2).run()
    ballast = fill(small_disk)
    radio_for(at, "A2").set_value(3).run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and said in shown[0] and "A2" in shown[0], shown
    assert "database" not in shown[0].lower()  # not the message of a database that is away
    ballast.unlink()
    at.run()  # the save status retries on its timer; a run does the same
    assert not at.exception and not at.error
    assert at.session_state["unsaved"] == {}
    with closing(sqlite3.connect(small_disk / "app.db")) as db:
        levels = dict(db.execute("SELECT criterion_id, level FROM answers").fetchall())
    assert levels == {"A1": 2, "A2": 3}


def test_starting_an_assessment_on_a_full_disk_says_the_server_has_no_room(small_disk, monkeypatch):
    shutil.copy(MINI, small_disk / "mini.json")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(small_disk))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{small_disk / 'app.db'}")
    at = signed_in(small_disk)
    fill(small_disk)
    next(b for b in at.button if b.label == "Mulai penilaian").click().run()
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and "Ruang penyimpanan server sedang penuh, jadi ini belum tersimpan" in shown[0], shown
    assert re.search(r"kode ini: [0-9a-f]{8}", shown[0]) and "OperationalError" not in shown[0]
    assert "work" not in at.session_state
