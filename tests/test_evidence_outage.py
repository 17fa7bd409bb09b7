"""A document attached, changed or removed on a criterion card while the database is away (a private PostgreSQL,
stopped and started for real, under AppTest): the member is told it was not saved, in words that stay on the card
through the page's reruns; the uploader is drawn empty and the tab's upload budget let go; once the database is back
the same file attaches and is listed, and a document whose removal was not saved is still there."""

import shutil
from datetime import date, timedelta

import pytest
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.testing.v1 import AppTest

from tests.conftest import MINI
from tests.evidence_files import pdf
from tests.signin import session_token
from tests.test_app_pages import APP, COMPANY, start
from tests.test_evidence_pages import attach, markdown, uploader

NOT_ATTACHED = "Berkas Izin keramaian\\.pdf belum terlampir: server belum bisa menyimpan sekarang."


@pytest.fixture
def cluster(cluster, tmp_path, monkeypatch):
    """The private PostgreSQL (tests/conftest.py) as the app's database, with the mini standard."""
    shutil.copy(MINI, tmp_path / "mini.json")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", cluster.url)
    return cluster


@pytest.fixture
def released(monkeypatch):
    """The ids of the uploads the page let go of, from Streamlit's own file manager (which holds the tab's budget)."""
    ids = []
    remove = MemoryUploadedFileManager.remove_file

    def recording(self, session_id, file_id):
        ids.append(file_id)
        remove(self, session_id, file_id)

    monkeypatch.setattr(MemoryUploadedFileManager, "remove_file", recording)
    return ids


def member(cluster, folder):
    """A member's tab with a new assessment open on the first domain."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["session-token"] = session_token(cluster.url, folder, "anggota@contoh.test", organization=COMPANY)
    return start(at.run())


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def held_files(at) -> list:
    return [u.value for u in at.file_uploader if (u.key or "").startswith("evidence-file-") and u.value is not None]


def test_a_file_uploaded_while_the_database_is_away_is_said_not_attached_and_attaches_once_it_is_back(
    cluster, tmp_path, released
):
    at = member(cluster, tmp_path)
    cluster.stop()
    uploader(at, "A1").set_value(("Izin keramaian.pdf", pdf(), "application/pdf")).run()
    assert not at.exception
    assert any(e.startswith(NOT_ATTACHED) and e.endswith("Pilih berkasnya lagi sebentar lagi.") for e in errors(at))
    assert not at.success  # not "Terlampir"
    assert len(released) == 1  # the tab's upload budget no longer holds it
    assert not held_files(at)

    cluster.start()
    at.run()  # the page's own rerun once the database is back: the card still says the file was not attached
    assert not at.exception
    assert any(e.startswith(NOT_ATTACHED) for e in errors(at))
    assert uploader(at, "A1").value is None and "Izin keramaian" not in markdown(at)

    at = attach(at, "A1", "Izin keramaian.pdf", pdf(), "application/pdf")
    assert "Terlampir: Izin keramaian\\.pdf" in [s.value for s in at.success]
    assert "Izin keramaian\\.pdf" in markdown(at)
    assert not any(e.startswith(NOT_ATTACHED) for e in errors(at))
    assert len(released) == 2


def remove_button(at):
    return next(b for b in at.button if (b.key or "").startswith("evidence-remove-"))


def test_a_document_removed_while_the_database_is_away_is_said_not_removed_and_is_still_there_after(cluster, tmp_path):
    at = attach(member(cluster, tmp_path), "A1", "izin.pdf", pdf(), "application/pdf")
    cluster.stop()
    remove_button(at).click().run()
    assert not at.exception
    said = "Berkas izin\\.pdf belum terhapus: server belum bisa menyimpan sekarang. Hapus lagi sebentar lagi."
    assert said in errors(at)

    cluster.start()
    at.run()
    assert not at.exception
    assert "izin\\.pdf" in markdown(at) and said in errors(at)  # still listed, still said
    remove_button(at).click().run()
    assert "izin\\.pdf" not in markdown(at) and said not in errors(at)


def test_an_expiry_date_changed_while_the_database_is_away_is_said_not_saved_and_the_stored_one_shown(
    cluster, tmp_path
):
    expires = date.today() + timedelta(days=200)
    at = attach(member(cluster, tmp_path), "A1", "polis.pdf", pdf(), "application/pdf", expires)
    cluster.stop()
    picker = next(d for d in at.date_input if (d.key or "").startswith("evidence-expiry-"))
    picker.set_value(expires + timedelta(days=365)).run()
    assert not at.exception
    said = "Tanggal berlaku baru untuk polis\\.pdf belum tersimpan: server belum bisa menyimpan sekarang."
    assert any(e.startswith(said) for e in errors(at))

    cluster.start()
    at.run()
    assert not at.exception
    assert next(d for d in at.date_input if (d.key or "").startswith("evidence-expiry-")).value == expires
