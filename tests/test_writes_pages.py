"""Writes a user can trust, as the pages show them (AppTest): a refused note keeps its text, a stale tab's note is
refused with the newer one shown, a resumed file asks before replacing newer answers."""

import shutil

import pytest

from tests.conftest import MINI, MINI_ANSWERS
from tests.test_app_pages import answer_everything, key, new_tab, progress_texts, radio_for, signed_in, start, upload


@pytest.fixture
def app(tmp_path, monkeypatch):
    """A member's tab on the mini standard, over a fresh SQLite database."""
    shutil.copy(MINI, tmp_path / "mini.json")
    monkeypatch.setenv("GAPURA_STANDARDS_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    return signed_in(tmp_path)


def note_box(at, criterion_id="A1"):
    return at.text_area(key=key(at, "note", criterion_id))


def test_a_note_refused_as_too_long_stays_in_its_box_with_the_reason_and_a_shorter_one_is_saved(app):
    at = start(app)
    typed = "Rencana keselamatan lengkap. " * 200  # 5,800 characters: over the limit
    note_box(at).set_value(typed).run()
    assert not at.exception
    assert any("catatan terlalu panjang (maksimal 5000)" in e.value for e in at.error)
    assert note_box(at).value == typed  # nothing typed is lost
    note_box(at).set_value(typed[:4000]).run()
    assert not at.exception and not at.error
    assert at.session_state["work"].answers["A1"].note == typed[:4000].strip()
    at.run()  # a full rerun reloads from the store: it was saved
    assert note_box(at).value == typed[:4000].strip()


def test_a_stale_tab_s_note_is_refused_and_shows_the_newer_one_with_its_own_to_copy(app):
    tab_a = start(app)
    tab_b = new_tab(tab_a, a=tab_a.session_state["work"].token)  # its note box is empty
    note_box(tab_a).set_value("note from A").run()
    note_box(tab_b).set_value("note from B").run()
    assert not tab_b.exception
    assert any("sudah menyimpan isi lain untuk catatan" in w.value for w in tab_b.warning)
    assert [c.value for c in tab_b.code] == ["note from B"]  # kept, to copy
    assert note_box(tab_b).value == "note from A"  # the newer note is shown
    tab_a.run()
    assert note_box(tab_a).value == "note from A"  # and kept


def test_an_older_file_asks_before_replacing_newer_answers_and_names_each_change(app):
    at = start(app)
    radio_for(at, "A1").set_value(1).run()  # saved after the file was downloaded (2026-11-26)
    at = upload(at, "mini.json", MINI_ANSWERS.read_bytes())
    assert not at.exception
    question = at.get("markdown")
    assert any("`A1` Izin diajukan: 1 · " in m.value and "→ 2 · " in m.value for m in question)
    assert any("Belum ada yang diubah" in w.value for w in at.warning)
    assert radio_for(at, "A1").value == 1 and progress_texts(at)[0] == "1 dari 4 kriteria sudah dijawab"
    at.button(key="resume-keep").click().run()
    assert radio_for(at, "A1").value == 1 and "resume-keep" not in {b.key for b in at.button}
    at = upload(at, "mini-lagi.json", MINI_ANSWERS.read_bytes())
    at.button(key="resume-apply").click().run()
    assert radio_for(at, "A1").value == 2 and progress_texts(at)[0] == "4 dari 4 kriteria sudah dijawab"


def test_an_earlier_round_offers_neither_reopening_nor_another_next_round(app):
    at = answer_everything(start(app))
    first = at.session_state["work"].token
    at.switch_page("ui/pages/results.py").run()
    at.button(key="submit").click().run()
    at.switch_page("ui/pages/assess.py").run()
    at.button(key="next-round-start").click().run()
    earlier = new_tab(at, a=first)  # round 1 again, from its link
    assert earlier.session_state["work"].round == 1 and not earlier.exception
    assert "Buka kembali untuk diubah" not in [b.label for b in earlier.button]
    assert any("putaran 2 untuk standar ini sudah ada" in c.value for c in earlier.caption)
    assert "next-round-start" not in {b.key for b in earlier.button}
