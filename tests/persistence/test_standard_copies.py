"""The stored copy of each standard version: kept once, opened from when the file is gone or was edited; a file
that differs from the published version is reported, by the app and by `python -m gapura validate`."""

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.testing.v1 import AppTest

from services.app import Gapura
from services.settings import Settings
from store import standard_copies
from tests.conftest import MINI, ROOT
from tests.signin import session_token


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "library"
    (folder / "events").mkdir(parents=True)
    shutil.copy(MINI, folder / "events" / "mini.json")
    return folder


@pytest.fixture
def app(gapura, folder):
    app = Gapura(dataclasses.replace(gapura.settings, standards_dir=folder))
    yield app
    app.close()


def edit(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def retitle(data):
    data["domains"][0]["criteria"][0]["title"]["en"] = "Permit approved"


def reweigh(data):
    data["domains"][0]["criteria"][0]["weight"] = 9


def test_remember_keeps_the_exact_bytes_once(app, folder):
    file = folder / "events" / "mini.json"
    raw = file.read_bytes()
    app.standards.remember(app.library().get("mini", "1"))
    assert standard_copies.get(app.store, "mini", "1") == (hashlib.sha256(raw).hexdigest(), raw.decode("utf-8"))
    edit(file, retitle)
    again = Gapura(app.settings)  # a fresh process: nothing remembered in memory
    again.standards.remember(again.library().get("mini", "1"))
    assert standard_copies.get(again.store, "mini", "1")[1] == raw.decode("utf-8")
    assert standard_copies.all_digests(app.store) == {("mini", "1"): hashlib.sha256(raw).hexdigest()}
    again.close()


def test_keeping_twice_never_overwrites(app):
    standard_copies.keep(app.store, "x", "1", "a" * 64, "{}")
    standard_copies.keep(app.store, "x", "1", "b" * 64, '{"later": true}')
    assert standard_copies.get(app.store, "x", "1") == ("a" * 64, "{}")
    assert standard_copies.get(app.store, "x", "2") is None
    assert app.standards.missing() == [("x", "1")]  # a copy of a version that is not published


def test_keeping_at_once_from_two_connections_keeps_one(app):
    """Two processes starting the first assessment of a version at once: both succeed, the first copy stays."""
    others = [Gapura(app.settings) for _ in range(4)]
    with ThreadPoolExecutor(len(others)) as pool:
        list(pool.map(lambda n: standard_copies.keep(others[n].store, "x", "1", f"{n}" * 64, f"[{n}]"), range(4)))
    digest, document = standard_copies.get(app.store, "x", "1")
    assert document == f"[{digest[0]}]"
    for other in others:
        other.close()


def test_a_removed_file_stays_in_the_library(app, folder):
    original = app.library().get("mini", "1")
    app.standards.remember(original)
    (folder / "events" / "mini.json").unlink()
    assert app.library().get("mini", "1") == original  # published: the folder is only the seed
    assert app.standards.get("mini", "1") == original
    assert app.standards.missing() == []
    assert app.standards.changed() == []


@pytest.mark.parametrize("change", [retitle, reweigh])
def test_an_edited_file_is_reported_and_the_published_version_is_used(app, folder, change):
    original = app.library().get("mini", "1")
    app.standards.remember(original)
    published = hashlib.sha256((folder / "events" / "mini.json").read_bytes()).hexdigest()
    edit(folder / "events" / "mini.json", change)
    shutil.copy(MINI, folder / "mini-2.json")
    edit(folder / "mini-2.json", lambda d: d.update(version="2"))
    assert app.library().get("mini", "1") == original
    assert app.library().get("mini", "2") is not None  # a new version in the folder is published
    opened = app.standards.get("mini", "1")
    assert opened == original
    assert opened.domains[0].criteria[0].title["en"] == "Permit filed"
    assert opened.domains[0].criteria[0].weight == 3
    [changed] = app.standards.changed()
    assert (changed.standard_id, changed.version, changed.file) == ("mini", "1", "events/mini.json")
    assert changed.stored_sha256 == published
    assert changed.file_sha256 == hashlib.sha256((folder / "events" / "mini.json").read_bytes()).hexdigest()
    assert app.standards.missing() == []


def test_a_copy_kept_before_the_library_moved_is_what_gets_published(gapura, folder):
    """A database from before: assessments were made with a copy, then the file was edited under the same version."""
    raw = (folder / "events" / "mini.json").read_bytes()
    standard_copies.keep(gapura.store, "mini", "1", hashlib.sha256(raw).hexdigest(), raw.decode("utf-8"))
    edit(folder / "events" / "mini.json", reweigh)
    app = Gapura(dataclasses.replace(gapura.settings, standards_dir=folder))
    try:
        assert app.library().get("mini", "1").domains[0].criteria[0].weight == 3
        assert [c.file for c in app.standards.changed()] == ["events/mini.json"]
    finally:
        app.close()


def test_without_a_copy_the_library_answers(app):
    assert app.standards.get("mini", "1") is app.library().get("mini", "1")
    assert app.standards.get("mini", "9") is None
    assert app.standards.changed() == [] and app.standards.missing() == []


def test_an_unchanged_file_is_not_reported(app):
    app.standards.remember(app.library().get("mini", "1"))
    assert app.standards.get("mini", "1") is app.library().get("mini", "1")
    assert app.standards.changed() == []


def _validate(folder, env):
    return subprocess.run(
        [sys.executable, "-m", "gapura", "validate", str(folder)], capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_validate_reports_a_changed_file(tmp_path, folder):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    app = Gapura(Settings(database_url=url, standards_dir=folder))
    app.library()  # the first use publishes the folder's files
    app.close()
    env = {**os.environ, "DATABASE_URL": url}
    done = _validate(folder, env)
    assert done.returncode == 0, done.stderr
    edit(folder / "events" / "mini.json", reweigh)
    done = _validate(folder, env)
    assert done.returncode == 2
    file = folder / "events" / "mini.json"
    assert f"{file}: $: differs from the published version of 'mini' version '1'; give it a new version" in done.stderr
    assert "1 standard(s) valid" in done.stdout  # the pure validation's output is kept
    pure = subprocess.run([sys.executable, "-m", "scoring", "validate", str(folder)], capture_output=True, text=True,
                          cwd=ROOT, env=env)  # fmt: skip
    assert pure.returncode == 0, pure.stderr


def test_validate_does_not_create_a_database(tmp_path, folder):
    db = tmp_path / "none.db"
    done = _validate(folder, {**os.environ, "DATABASE_URL": f"sqlite:///{db}"})
    assert done.returncode == 0, done.stderr
    assert not db.exists()


def test_the_standards_page_warns_about_a_changed_file(tmp_path, folder, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    app = Gapura(Settings(database_url=url, standards_dir=folder))
    app.library()  # the first use publishes the folder's files
    app.close()
    edit(folder / "events" / "mini.json", retitle)
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(folder))
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "gapura_app.py"), default_timeout=60)
    at.session_state["session-token"] = session_token(url, folder, "admin2@gapura.test", roles=("admin",))
    at.run().switch_page("ui/pages/standards.py").run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("events/mini.json" in w and "versi" in w for w in warnings), warnings
    assert not any(str(tmp_path) in w for w in warnings)
