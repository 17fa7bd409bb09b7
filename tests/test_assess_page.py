"""The self-assessment page's guidance: the "next unanswered" tag, a final round, the saved-assessments list."""

from datetime import UTC, datetime

import pytest
from babel.dates import format_date

from scoring.assessment import assessment_document, assessment_json
from scoring.library import load_library
from tests.test_app_pages import answer_everything, library_dir, radio_for, signed_in, start  # noqa: F401

NEXT_TAG = "Jawab ini berikutnya"


@pytest.fixture
def folder(library_dir):  # noqa: F811
    """The mini standard's library and a fresh database (tests/test_app_pages.py)."""
    return library_dir


def tags(at, criterion_id):
    """The badges line of one criterion's card."""
    return next(m.value for m in at.markdown if m.value.startswith(f"`{criterion_id}`"))


def test_the_next_unanswered_tag_goes_once_the_criterion_is_answered(folder):
    at = start(signed_in(folder))
    radio_for(at, "A1").set_value(3).run()
    next(b for b in at.button if b.label == "Ke yang belum dijawab").click().run()
    assert at.session_state["focus"] == "A2" and NEXT_TAG in tags(at, "A2")
    radio_for(at, "A2").set_value(3).run()
    assert "Sudah dijawab" in tags(at, "A2") and NEXT_TAG not in tags(at, "A2")


def test_a_submitted_round_says_it_is_final_and_offers_nothing_to_answer(folder):
    at = answer_everything(start(signed_in(folder)))
    draft = [c.value for c in at.caption]
    assert any("langsung tersimpan" in c for c in draft)  # a draft says answers save as you go
    assert at.toggle(key="only-unanswered")
    at.switch_page("ui/pages/results.py").run()
    at.button(key="submit").click().run()
    at.switch_page("ui/pages/assess.py").run()
    assert not at.exception
    assert "bersifat final" in at.info[0].value
    assert not [c.value for c in at.caption if "langsung tersimpan" in c.value]
    assert not [b for b in at.button if b.label == "Ke yang belum dijawab"]
    assert not [x for x in at.toggle if x.key == "only-unanswered"]


def test_the_saved_list_tells_a_final_round_from_a_draft_with_date_and_score(folder):
    at = answer_everything(start(signed_in(folder)))
    at.switch_page("ui/pages/results.py").run()
    at.button(key="submit").click().run()
    at.switch_page("ui/pages/assess.py").run()
    next(b for b in at.button if b.label == "Mulai putaran 2").click().run()
    next(b for b in at.button if b.label == "Tutup penilaian ini").click().run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    final = next(m for m in texts if "Putaran 1 ·" in m)
    draft = next(m for m in texts if "Putaran 2 ·" in m)
    assert "Sudah dikirim · final" in final and "Draf" in draft and "final" not in draft
    # newest first: the new round's carried-over answers are not confirmed yet, so it has no score
    assert [m for m in texts if m.startswith("Skor ")] == ["Skor sementara: **—**", "Skor keseluruhan: **50%**"]
    assert [b.label for b in at.button if b.key and b.key.startswith("open-")] == ["Lanjutkan", "Lihat"]
    today = format_date(datetime.now(UTC).date(), "d MMMM y", locale="id_ID")  # e.g. 6 Desember 2026
    assert [c.value for c in at.caption if c.value.startswith("Terakhir")] == [f"Terakhir diubah {today}"] * 2


def test_a_file_downloaded_from_gapura_and_uploaded_back_is_already_in_gapura(folder):
    at = start(signed_in(folder))
    radio_for(at, "A1").set_value(2).run()
    work = at.session_state["work"]
    standard = load_library(folder).get("mini")
    downloaded = assessment_json(assessment_document(standard, work.organization, work.answers, datetime.now(UTC)))
    next(b for b in at.button if b.label == "Tutup penilaian ini").click().run()
    at.get("file_uploader")[0].set_value(("penilaian.json", downloaded, "application/json")).run()
    assert not at.exception
    (toast,) = [x.value for x in at.toast]
    assert toast.endswith(" sudah ada di Gapura: penilaian tersimpannya kini dibuka (termasuk perubahan sesudahnya).")
    assert "diimpor" not in toast
