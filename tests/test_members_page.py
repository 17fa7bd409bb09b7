"""The Members page a page of rows at a time (AppTest): moving between pages, filters that start again at the first
page, finding a company, and the CSV that holds every chosen row rather than the page on screen."""

import csv
import io
import shutil
import sqlite3

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from services.app import Gapura
from services.settings import Settings
from tests.conftest import MINI
from tests.persistence.test_association import answer
from tests.test_app_pages import library_dir, signed_in  # noqa: F401

NAMES = [f"PT Anggota {i:03d}" for i in range(1, 121)]  # 120 companies: three pages of 50, 50 and 20


@pytest.fixture(scope="module")
def crowd_db(tmp_path_factory):
    """The 120 companies stored once for the module; each test works on a copy."""
    folder = tmp_path_factory.mktemp("crowd")
    shutil.copy(MINI, folder / "mini.json")
    app = Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=folder))
    mini = app.standard("mini", None)
    app.standards.remember(mini)
    for i, name in enumerate(NAMES):
        org = app.store.ensure_organization({"name": name, "region": "Bali" if i % 4 == 0 else "Jawa Barat",
                                             "size": "11-50", "segments": ["concert-festival"]})  # fmt: skip
        app.store.workspace(org).start("mini", mini.version, answers={"A1": answer(i % 5)})
    app.close()
    return folder / "app.db"


@pytest.fixture
def crowd(crowd_db, library_dir):  # noqa: F811
    with sqlite3.connect(crowd_db) as source, sqlite3.connect(library_dir / "app.db") as copy:
        source.backup(copy)
    return library_dir


@pytest.fixture
def members(crowd):
    at = signed_in(crowd, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    at.switch_page("ui/pages/members.py").run()
    assert not at.exception, at.exception
    return at


def by_name(at):
    at.selectbox(key="members-order").set_value("organization").run()
    return at


def shown(at) -> list[str]:
    return list(at.dataframe[0].value["Perusahaan"])


def rows_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Baris"))


def test_the_first_page_shows_fifty_rows_of_every_chosen_one_and_the_metrics_count_them_all(members):
    assert len(shown(members)) == 50
    assert rows_caption(members) == "Baris 1–50 dari 120"
    assert members.metric[1].value == "120"  # assessments: every chosen row, not the page


def test_the_newest_activity_comes_first(members):
    assert shown(members)[:2] == ["PT Anggota 120", "PT Anggota 119"]


def test_an_officer_moves_to_the_next_page_and_sees_the_next_rows(members):
    at = by_name(members)
    assert shown(at) == NAMES[:50]
    at.number_input(key="members-page").increment().run()
    assert shown(at) == NAMES[50:100]
    assert rows_caption(at) == "Baris 51–100 dari 120"
    at.number_input(key="members-page").set_value(3).run()
    assert shown(at) == NAMES[100:] and rows_caption(at) == "Baris 101–120 dari 120"


def test_a_filter_starts_again_at_the_first_page(members):
    at = by_name(members)
    at.number_input(key="members-page").set_value(3).run()
    at.selectbox(key="members-province").set_value("Jawa Barat").run()
    java = [n for i, n in enumerate(NAMES) if i % 4]
    assert at.number_input(key="members-page").value == 1
    assert shown(at) == java[:50] and rows_caption(at) == "Baris 1–50 dari 90"


def test_finding_a_company_by_part_of_its_name(members):
    members.text_input(key="members-search").input("anggota 07").run()
    assert sorted(shown(members)) == NAMES[69:79]
    assert rows_caption(members) == "Baris 1–10 dari 10"
    assert not members.number_input  # one page: nothing to page through


def test_the_csv_holds_every_chosen_row_not_only_the_page(members, monkeypatch):
    files = []
    add = MediaFileManager.add_deferred
    monkeypatch.setattr(MediaFileManager, "add_deferred", lambda self, data, *a, **k: files.append(data) or
                        add(self, data, *a, **k))  # fmt: skip
    at = by_name(members)
    at.selectbox(key="members-province").set_value("Jawa Barat").run()
    assert not at.exception, at.exception
    written = list(csv.DictReader(io.StringIO(files[-1]().decode("utf-8-sig"))))
    assert [row["Perusahaan"] for row in written] == [n for i, n in enumerate(NAMES) if i % 4]
    assert {row["Status"] for row in written} == {"Sedang diisi"}
