"""Evidence in the pages, through AppTest: the card's uploader attaches a document (its type read from the content)
and shows it with its expiry; the register lists and flags every document; Results warns when an expired document
stands behind a met mandatory criterion; evidence links are links."""

from datetime import date, timedelta

import pytest

from tests.evidence_files import ELF, pdf, png
from tests.test_app_pages import key, library_dir, radio_for, signed_in, start  # noqa: F401 (a fixture)
from ui.plain import plain

TODAY = date.today()


@pytest.fixture
def folder(library_dir):  # noqa: F811
    """The standards folder and database of a fresh app (tests/test_app_pages.py)."""
    return library_dir


def uploader(at, criterion_id):
    return next(u for u in at.file_uploader if u.key and u.key.startswith(f"evidence-file-{criterion_id}-"))


def new_expiry(at, criterion_id):
    return next(d for d in at.date_input if d.key and d.key.startswith(f"evidence-new-expiry-{criterion_id}-"))


def attach(at, criterion_id, name, data, mime, expires=None):
    if expires is not None:
        new_expiry(at, criterion_id).set_value(expires).run()
    uploader(at, criterion_id).set_value((name, data, mime)).run()
    assert not at.exception
    return at


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_card_attaches_a_pdf_with_its_expiry_and_refuses_a_program_named_pdf(folder):
    at = start(signed_in(folder))
    assert uploader(at, "A1").allowed_type == [".pdf", ".jpg", ".jpeg", ".png"]
    assert "paling besar 10 MB" in " ".join(c.value for c in at.caption)
    at = attach(at, "A1", "Izin keramaian.pdf", pdf(), "application/pdf", TODAY + timedelta(days=10))
    assert "Terlampir: Izin keramaian\\.pdf" in [s.value for s in at.success]
    assert "Izin keramaian\\.pdf" in markdown(at) and "Hampir kedaluwarsa" in markdown(at)
    assert any("berlaku sampai" in c.value and c.value.startswith("PDF") for c in at.caption)
    assert uploader(at, "A1").value is None  # drawn empty again, the file let go

    at = attach(at, "A1", "izin-usaha.pdf", ELF, "application/pdf")
    (error,) = [e.value for e in at.error]
    assert error.startswith("Dokumen tidak dilampirkan: berkas ini sebuah program (ELF)")
    assert "izin-usaha" not in markdown(at)
    work = at.session_state["work"]
    assert at.session_state["work"].answers.get("A1") is None  # an attachment is not an answer
    assert [d.name for d in _documents(folder, work)] == ["Izin keramaian.pdf"]


def _documents(folder, work):
    from services.app import Gapura
    from services.policy import cli_actor
    from services.settings import Settings

    app = Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=folder))
    try:
        return app.evidence.documents(cli_actor(), work)
    finally:
        app.close()


def test_evidence_links_in_an_answer_are_links_and_other_lines_stay_text(folder):
    at = start(signed_in(folder))
    lines = "https://drive.test/izin(2026)\nlihat javascript:alert(1)\nSOP keselamatan.pdf"
    at.text_area(key=key(at, "evidence", "A2")).set_value(lines).run()
    assert "[https\\://drive\\.test/izin\\(2026\\)](https://drive.test/izin%282026%29)" in markdown(at)
    assert "](javascript" not in markdown(at)


def test_the_register_lists_and_flags_every_document_and_results_warn_of_an_expired_one(folder):
    at = start(signed_in(folder))
    radio_for(at, "A1").set_value(3).run()  # mandatory, at its target: met
    at = attach(at, "A1", "izin-lama.pdf", pdf(), "application/pdf", TODAY - timedelta(days=3))
    at = attach(at, "A1", "polis.png", png(), "image/png", TODAY + timedelta(days=5))
    at = attach(at, "A1", "sertifikat.pdf", pdf(), "application/pdf")

    at.switch_page("ui/pages/evidence.py").run()
    assert not at.exception
    assert at.title[0].value == "Daftar bukti"
    assert [m.value for m in at.metric] == ["3", "1", "1"]
    shown = markdown(at)
    assert plain("izin-lama.pdf") in shown and "polis\\.png" in shown
    assert ":material/event_busy: Kedaluwarsa]" in shown and ":material/schedule: Hampir kedaluwarsa]" in shown
    assert "sertifikat" not in shown  # only the flagged ones at first
    at.toggle(key="evidence-only-flagged").set_value(False).run()
    assert "sertifikat\\.pdf" in markdown(at)
    assert "putaran 1" in markdown(at)
    assert len([b for b in at.get("download_button") if b.proto.id]) == 3

    at.switch_page("ui/pages/results.py").run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "kedaluwarsa" in w.value]
    assert plain("izin-lama.pdf") in warning and "polis" not in warning and "sertifikat" not in warning


def test_an_officer_sees_a_members_documents_but_no_uploader(folder):
    at = start(signed_in(folder))
    at = attach(at, "A1", "izin.pdf", pdf(), "application/pdf")
    token = at.query_params["a"][0] if isinstance(at.query_params["a"], list) else at.query_params["a"]
    officer = signed_in(folder, "pengurus@asosiasi.test", organization=None, roles=("officer",), a=token)
    assert not officer.exception
    assert "izin\\.pdf" in markdown(officer)  # on the member's card, to download
    assert not [u for u in officer.file_uploader if (u.key or "").startswith("evidence-file-")]
    assert not [p for p in officer.get("popover")]  # no expiry to change, nothing to remove
    officer.switch_page("ui/pages/evidence.py").run()
    assert not officer.exception
    assert "PT Contoh Acara" in [x.value for x in officer.text]  # the only member company: no picker
    assert "izin\\.pdf" in markdown(officer)


def test_a_document_another_tab_attaches_or_removes_shows_on_the_next_full_run(folder):
    # The cards keep the documents read on the page's last full run (one query, not one per card): another tab's
    # change must still show on the next one.
    first = start(signed_in(folder))
    assert "izin\\.pdf" not in markdown(first)
    token = first.query_params["a"][0] if isinstance(first.query_params["a"], list) else first.query_params["a"]
    second = attach(signed_in(folder, organization=None, a=token), "A1", "izin.pdf", pdf(), "application/pdf")
    assert "izin\\.pdf" in markdown(first.run())
    next(b for b in second.button if (b.key or "").startswith("evidence-remove-")).click().run()
    assert "izin\\.pdf" not in markdown(second)
    assert "izin\\.pdf" not in markdown(first.run())
