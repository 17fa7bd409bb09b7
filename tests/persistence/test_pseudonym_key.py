"""The key of pseudonymous research ids lives in a private key file (or the setting), never in the database: a backup
of the database cannot re-identify research files. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from gapura.cli import main
from scoring.disclosure import pseudonym
from scoring.model import Answer
from services.app import Gapura
from services.keys import KeyProblem, read_or_make
from services.policy import cli_actor
from services.settings import Settings
from store import schema
from tests.conftest import MINI

OLD_KEY = "a3f1" * 16  # a key as versions before the key file made it (token_hex(32)) and kept in app_secrets


def _app(url: str, key_file: Path, secret: str = "") -> Gapura:
    return Gapura(Settings(database_url=url, standards_dir=MINI.parent, key_file=key_file, pseudonym_secret=secret))


def _everything_stored(url: str) -> str:
    """Every value of every table of the database, as text, to search."""
    engine = create_engine(url)
    with engine.connect() as c:
        values = [repr(row) for table in inspect(engine).get_table_names()
                  for row in c.execute(text(f'SELECT * FROM "{table}"'))]  # fmt: skip
    engine.dispose()
    return "\n".join(values)


def _store_old_key(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(
            schema.AppSecret.__table__.insert().values(name="pseudonym", value=OLD_KEY, created_at=datetime.now(UTC))
        )
    engine.dispose()


def test_the_key_is_made_once_in_a_private_file_and_never_kept_in_the_database(database_url, tmp_path):
    key_file = tmp_path / "keys" / "pseudonym.key"
    first = _app(database_url, key_file)
    key = first._pseudonym_secret()
    assert key_file.read_text().strip() == key and len(key) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key not in _everything_stored(database_url)
    if database_url.startswith("sqlite"):  # nor in the file's bytes, its write-ahead log included
        database = Path(database_url.removeprefix("sqlite:///"))
        for part in (database, database.with_name(database.name + "-wal")):
            assert not part.exists() or key.encode() not in part.read_bytes()
    second = _app(database_url, key_file)  # another process or replica with the same file: the same ids
    assert pseudonym(second._pseudonym_secret(), "organization", 7) == pseudonym(key, "organization", 7)
    first.close(), second.close()


def test_an_upgraded_database_moves_its_key_to_the_file_so_ids_stay_the_same(database_url, tmp_path):
    _app(database_url, tmp_path / "unused.key").close()  # the schema, as the earlier version left it
    _store_old_key(database_url)
    key_file = tmp_path / "keys" / "pseudonym.key"
    app = _app(database_url, key_file)  # the upgrade happens when the app starts, before any export
    assert OLD_KEY not in _everything_stored(database_url)
    assert key_file.read_text().strip() == OLD_KEY and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app._pseudonym_secret() == OLD_KEY
    with app.store.session() as s:
        assert [row.name for row in s.scalars(select(schema.AppSecret))] == ["pseudonym.check"]
    app.close()
    again = _app(database_url, key_file)
    assert again._pseudonym_secret() == OLD_KEY
    again.close()


def test_a_database_key_that_differs_from_the_key_file_is_kept_and_exports_say_why(database_url, tmp_path, caplog):
    _app(database_url, tmp_path / "unused.key").close()
    _store_old_key(database_url)
    key_file = tmp_path / "pseudonym.key"
    key_file.write_text("b" * 64 + "\n")
    with caplog.at_level(logging.ERROR, logger="services.keys"):
        app = _app(database_url, key_file)
    assert "differs" in caplog.text
    with pytest.raises(KeyProblem, match="rotate-pseudonym"):
        app._pseudonym_secret()
    assert OLD_KEY in _everything_stored(database_url) and key_file.read_text().strip() == "b" * 64  # none lost
    app.close()


def test_the_setting_gives_the_key_and_no_file_is_made(database_url, tmp_path):
    app = _app(database_url, tmp_path / "pseudonym.key", secret="kunci-dari-pengaturan")
    assert app._pseudonym_secret() == "kunci-dari-pengaturan"
    assert not (tmp_path / "pseudonym.key").exists()
    assert "kunci-dari-pengaturan" not in _everything_stored(database_url)
    app.close()


def test_an_empty_key_file_is_refused_with_what_to_do(database_url, tmp_path):
    (tmp_path / "pseudonym.key").write_text("\n")
    app = _app(database_url, tmp_path / "pseudonym.key")
    with pytest.raises(KeyProblem, match="restore it from your backup"):
        app._pseudonym_secret()
    app.close()


def test_replicas_making_the_key_at_once_make_one(tmp_path):
    path, start, keys = tmp_path / "shared" / "pseudonym.key", threading.Barrier(8), []

    def replica() -> None:
        start.wait()
        keys.append(read_or_make(path))

    threads = [threading.Thread(target=replica) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and set(keys) == {path.read_text().strip()}
    assert [p.name for p in path.parent.iterdir()] == ["pseudonym.key"]  # no temporary file left behind


def test_rotation_says_what_it_breaks_and_rotates_only_when_confirmed_audited(
    database_url, tmp_path, monkeypatch, capsys
):
    key_file = tmp_path / "pseudonym.key"
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GAPURA_KEY_FILE", str(key_file))
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    monkeypatch.delenv("GAPURA_PSEUDONYM_SECRET", raising=False)
    app = _app(database_url, key_file)
    old = app._pseudonym_secret()

    assert main(["keys", "rotate-pseudonym"]) == 2
    said = capsys.readouterr()
    assert "no longer match" in said.out and "--yes" in said.err
    assert key_file.read_text().strip() == old

    assert main(["keys", "rotate-pseudonym", "--yes"]) == 0
    assert str(key_file) in capsys.readouterr().out
    new = app._pseudonym_secret()
    assert new != old and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert new not in _everything_stored(database_url)
    events = [e for e in app.audit.events(cli_actor()) if e.action == "keys.rotate-pseudonym"]
    assert len(events) == 1 and events[0].actor.startswith("cli:")

    # With the setting, rotating is changing the setting: the command then says the new key is the one in use.
    monkeypatch.setenv("GAPURA_PSEUDONYM_SECRET", "kunci-dari-pengaturan")
    assert main(["keys", "rotate-pseudonym", "--yes"]) == 0 and key_file.read_text().strip() == new
    assert _app(database_url, key_file, secret="kunci-dari-pengaturan")._pseudonym_secret() == "kunci-dari-pengaturan"
    assert main(["keys", "rotate-pseudonym", "--yes"]) == 2
    assert "change the setting" in capsys.readouterr().err
    app.close()


def test_a_replica_with_another_key_or_a_lost_key_file_is_refused_not_given_new_ids(database_url, tmp_path):
    first = _app(database_url, tmp_path / "a" / "pseudonym.key")
    key = first._pseudonym_secret()
    assert "scrypt$" in _everything_stored(database_url) and key not in _everything_stored(database_url)
    read_or_make(tmp_path / "b" / "pseudonym.key")
    other = _app(database_url, tmp_path / "b" / "pseudonym.key")  # a replica with a key file of its own
    with pytest.raises(KeyProblem, match="same key"):
        other._pseudonym_secret()
    with pytest.raises(KeyProblem, match="missing"):  # a new replica without one: none is made for it
        _app(database_url, tmp_path / "d" / "pseudonym.key")._pseudonym_secret()
    assert not (tmp_path / "d").exists()
    with pytest.raises(KeyProblem, match="same key"):
        _app(database_url, tmp_path / "c.key", secret="kunci-lain")._pseudonym_secret()
    (tmp_path / "a" / "pseudonym.key").unlink()  # lost: no new key is made in its place
    with pytest.raises(KeyProblem, match="missing.*restore it from your backup"):
        first._pseudonym_secret()
    assert not (tmp_path / "a" / "pseudonym.key").exists()
    first.close(), other.close()


def test_the_export_command_says_what_to_do_when_the_key_file_is_lost(database_url, tmp_path, monkeypatch, capsys):
    key_file = tmp_path / "pseudonym.key"
    app = _app(database_url, key_file)
    mini = app.standard("mini", None)
    app.standards.remember(mini)
    for i in range(5):
        org = app.store.ensure_organization({"name": f"PT Anggota {i}"})
        app.store.workspace(org).start("mini", mini.version, answers={"A1": Answer(level=2)})
    app._pseudonym_secret()
    app.close()
    key_file.unlink()
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("GAPURA_KEY_FILE", str(key_file))
    monkeypatch.delenv("GAPURA_PSEUDONYM_SECRET", raising=False)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(MINI.parent))
    code = main(["export", "--standard", "mini", "--format", "csv", "--out", str(tmp_path / "o")])
    assert code == 2 and "restore it from your backup" in capsys.readouterr().err
