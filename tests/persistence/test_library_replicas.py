"""The standards library in the database, seen by two replicas (two application objects on one database): a
publish or retirement on one shows on the other at once, a version is published once however many publish it at
the same moment, and the folder's files seed the library once without ever replacing a published version."""

import dataclasses
import json
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from services.app import Gapura
from services.policy import cli_actor
from store import library as published
from store import stamps
from store.repository import NotFound
from tests.conftest import MINI, ROOT
from tests.persistence.people import person


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "standards"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.json")
    return folder


@pytest.fixture
def replicas(gapura, folder):
    """Two replicas of one deployment: the same database and each its own copy of the standards folder."""
    apps = []
    for name in ("a", "b"):
        own = folder.parent / f"replica-{name}"
        shutil.copytree(folder, own)
        apps.append(Gapura(dataclasses.replace(gapura.settings, standards_dir=own)))
    yield apps
    for app in apps:
        app.close()


def version(number: str, **changes) -> bytes:
    data = json.loads(MINI.read_text(encoding="utf-8")) | {"version": number} | changes
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def offered(app: Gapura) -> list[str]:
    return [s.version for s in app.standards_library.offered("organization") if s.id == "mini"]


def test_a_publish_and_a_retirement_on_one_replica_show_on_the_other_at_once(replicas):
    a, b = replicas
    admin = person(a, roles=["admin"])
    assert offered(a) == offered(b) == ["1"]
    assert a.library_admin.publish(admin, "mini-2.json", version("2")).valid
    assert offered(b) == ["2"]
    assert b.library().get("mini", "2") == a.library().get("mini", "2")
    b.library_admin.retire(admin, "mini", "2")
    assert offered(a) == ["1"]
    assert a.standard("mini", "2") is not None  # retired: not offered, still opens
    assert a.library_admin.retired() == b.library_admin.retired() == {("mini", "2")}
    a.library_admin.retire(admin, "mini", "2", retire=False)
    assert offered(b) == ["2"]
    actions = [e.action for e in a.audit.events(cli_actor())]
    assert actions.count("standard.publish") == 1
    assert actions.count("standard.retire") == actions.count("standard.unretire") == 1


def test_publishing_a_published_version_is_refused_on_the_other_replica(replicas):
    a, b = replicas
    admin = person(a, roles=["admin"])
    assert a.library_admin.publish(admin, "mini-2.json", version("2")).valid
    refused = b.library_admin.publish(admin, "other.json", version("2", title="Changed"))
    assert [i.code for i in refused.errors] == ["standard.duplicate-version"]
    assert "mini-2.json" in refused.errors[0].message("en")
    assert b.library().get("mini", "2").title == a.library().get("mini", "2").title != "Changed"


def test_two_replicas_publishing_one_version_at_once_one_wins(replicas):
    a, b = replicas
    admin = person(a, roles=["admin"])
    start = threading.Barrier(2)

    def publish(app_and_title):
        app, title = app_and_title
        start.wait()
        return app.library_admin.publish(admin, f"{title}.json", version("2", title=title))

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(publish, [(a, "from-a"), (b, "from-b")]))
    won = [r for r in reports if r.valid]
    assert len(won) == 1
    [lost] = [r for r in reports if not r.valid]
    assert [i.code for i in lost.errors] == ["standard.duplicate-version"]
    assert a.library().get("mini", "2").title == b.library().get("mini", "2").title == won[0].standard.title
    assert [e.action for e in a.audit.events(cli_actor())].count("standard.publish") == 1


def test_the_store_refuses_a_second_publish_of_one_version_even_at_once(gapura):
    rows = [published.Version("x", "1", f"{n}" * 64, f'{{"n": {n}}}', f"x-{n}.json") for n in range(4)]
    others = [Gapura(gapura.settings) for _ in rows]
    start = threading.Barrier(len(rows))

    def publish(n):
        start.wait()
        try:
            published.publish(others[n].store, rows[n], "test")
        except published.AlreadyPublished as refused:
            return refused
        return None

    try:
        with ThreadPoolExecutor(len(rows)) as pool:
            outcomes = list(pool.map(publish, range(len(rows))))
    finally:
        for other in others:
            other.close()
    assert outcomes.count(None) == 1
    assert all(str(o) == "'x' version '1' is published already" for o in outcomes if o is not None)
    row = published.get(gapura.store, "x", "1")
    assert row.document == f'{{"n": {outcomes.index(None)}}}'  # the winner's, never replaced


def test_a_restart_keeps_what_was_published_and_retired(replicas, gapura, tmp_path):
    a, _ = replicas
    admin = person(a, roles=["admin"])
    a.library_admin.publish(admin, "mini-2.json", version("2"))
    a.library_admin.retire(admin, "mini", "1")
    empty = tmp_path / "empty"
    empty.mkdir()
    again = Gapura(dataclasses.replace(gapura.settings, standards_dir=empty))  # a new process, no files at all
    try:
        assert offered(again) == ["2"]
        assert again.library().get("mini", "1") is not None
        assert again.library_admin.retired() == {("mini", "1")}
        who = {row.version: row.published_by for row in again.library_admin.versions() if row.standard_id == "mini"}
        assert who == {"1": "seed", "2": admin.email}
    finally:
        again.close()


STARTING = """
import sys
from pathlib import Path
from services.app import Gapura
from services.settings import Settings
app = Gapura(Settings(database_url=sys.argv[1], standards_dir=Path(sys.argv[2])))
app.library()  # a replica's first use publishes the folder's new versions
app.close()
"""


def test_replicas_starting_at_once_seed_the_folder_once(gapura, folder):
    gapura.library()  # a replica running already: its folder's version 1 is published
    (folder / "mini.json").write_bytes(version("7"))  # a version the database has not seen
    before = stamps.read(gapura.store, stamps.LIBRARY)[stamps.LIBRARY]
    url = gapura.store.engine.url.render_as_string(hide_password=False)
    starting = [subprocess.Popen([sys.executable, "-c", STARTING, url, str(folder)], cwd=ROOT, stderr=subprocess.PIPE)
                for _ in range(3)]  # fmt: skip
    for replica in starting:
        assert replica.wait(timeout=120) == 0, replica.stderr.read().decode()
    assert [r.version for r in published.everything(gapura.store)] == ["1", "7"]
    assert stamps.read(gapura.store, stamps.LIBRARY)[stamps.LIBRARY] == before + 1
    again = Gapura(dataclasses.replace(gapura.settings, standards_dir=folder))  # starting again changes nothing
    assert again.library().get("mini", "7") is not None
    again.close()
    assert stamps.read(gapura.store, stamps.LIBRARY)[stamps.LIBRARY] == before + 1


def test_a_changed_seed_file_is_reported_not_published(replicas, gapura):
    a, b = replicas
    original = a.library().get("mini", "1")
    own = b.settings.standards_dir / "mini.json"
    own.write_bytes(version("1", title="Edited under the same version"))
    assert b.library().get("mini", "1") == original
    [changed] = b.standards.changed()
    assert (changed.standard_id, changed.version, changed.file) == ("mini", "1", "mini.json")
    restarted = Gapura(b.settings)
    try:
        assert restarted.library().get("mini", "1") == original
        assert [c.file for c in restarted.standards.changed()] == ["mini.json"]
    finally:
        restarted.close()
    assert a.standards.changed() == []  # replica a's own file is the published one


def test_retired_json_seeds_retirements_once(gapura, folder):
    (folder / "mini.json").write_bytes(version("7"))
    (folder / "retired.json").write_text(json.dumps([["mini", "7"]]), encoding="utf-8")
    app = Gapura(dataclasses.replace(gapura.settings, standards_dir=folder))
    try:
        assert app.library_admin.retired() == {("mini", "7")}
        app.library_admin.retire(person(app, roles=["admin"]), "mini", "7", retire=False)
    finally:
        app.close()
    again = Gapura(app.settings)  # the file is still there: the database is the truth now
    try:
        assert again.library_admin.retired() == set()
        assert offered(again) == ["7"]
    finally:
        again.close()


def test_retiring_a_version_that_is_not_published_is_refused(gapura):
    with pytest.raises(NotFound):
        gapura.library_admin.retire(cli_actor(), "mini", "9")


def test_a_version_longer_than_the_library_keeps_is_refused_with_its_limit(gapura):
    admin = person(gapura, roles=["admin"])
    refused = gapura.library_admin.publish(admin, "long.json", version("2026." + "9" * 60))
    assert [(i.code, i.message("id")) for i in refused.errors] == [
        ("value.too-long", "version terlalu panjang (maksimal 50)")
    ]
    assert [r.version for r in gapura.library_admin.versions()] == ["1"]
