"""Verification through AppTest: a verifier sees the Verify page and none of the association's aggregates, draws the
sample, records levels and comments, sends them and marks the assessment verified; the company reads the comments
on Results, replies before the deadline, and then sees both levels side by side and a verdict that says it is based
on verified levels."""

from tests.test_app_pages import answer_everything, app, library_dir, pages_of, signed_in, start  # noqa: F401 (fixtures)

VERIFIER = "verifikator@asosiasi.test"


def results(at):
    at.switch_page("ui/pages/results.py").run()
    assert not at.exception
    return at


def verifier_tab(folder):
    at = signed_in(folder, email=VERIFIER, organization=None, roles=("verifier",))
    at.switch_page("ui/pages/verify.py").run()
    assert not at.exception
    return at


def record(at, criterion_id, level, comment=""):
    aid = at.session_state["verify-choice"].assessment_id
    at.selectbox(key=f"verify-level-{aid}-{criterion_id}").set_value(level)
    at.text_area(key=f"verify-comment-{aid}-{criterion_id}").set_value(comment)
    next(b for b in at.button if b.label == "Simpan" and criterion_id in str(b.proto.form_id)).click().run()
    assert not at.exception


def texts(at) -> list[str]:
    return [e.value for kind in ("markdown", "caption", "text", "success", "info", "error") for e in at.get(kind)]


def test_a_verifier_sees_verify_and_no_aggregates_or_member_list(library_dir):  # noqa: F811
    at = verifier_tab(library_dir)
    pages = pages_of(at)
    assert "verify.py" in pages
    assert not pages & {"members.py", "compare.py", "progress.py", "shared_gaps.py", "research_data.py",
                        "assess.py", "results.py"}  # fmt: skip
    assert "Tidak ada asesmen terkirim yang menunggu verifikasi." in [i.value for i in at.info]


def test_a_company_member_gets_no_verify_page(app):  # noqa: F811
    assert "verify.py" not in pages_of(app)


def test_the_whole_verification_through_the_pages(app, library_dir):  # noqa: F811
    member = results(answer_everything(start(app)))
    member.button(key="submit").click().run()
    assert "Berdasarkan penilaian mandiri Anda." in texts(member)

    verifier = verifier_tab(library_dir)
    queue = verifier.dataframe[0].value
    assert list(queue["Perusahaan"]) == ["PT Contoh Acara"] and list(queue["Verifikasi"]) == ["Belum mulai"]
    verifier.button(key="verify-start").click().run()
    assert "Sampel: 4 kriteria" in [s.value for s in verifier.subheader]  # mini: 4 criteria, all drawn
    assert any("Tingkat menurut perusahaan: **2 · Terdokumentasi**" in t for t in texts(verifier))
    record(verifier, "A1", 1, "Izin belum ditandatangani dinas")

    results(member)
    assert not any("Izin belum ditandatangani" in t for t in texts(member))  # not sent yet

    verifier.button(key="verify-finish").click().run()
    assert any("belum diberi tingkat hasil verifikasi" in e.value for e in verifier.error)
    verifier.button(key="verify-send").click().run()
    assert not verifier.exception

    results(member)
    assert "Izin belum ditandatangani dinas" in texts(member)
    assert any(t.startswith("Asosiasi sudah memeriksa kriteria ini. Anda bisa menanggapi komentarnya sampai ")
               for t in texts(member))  # fmt: skip
    aid = verifier.session_state["verify-choice"].assessment_id
    member.text_area(key=f"verification-reply-{aid}-A1").set_value("Sudah diajukan, tanda tangan minggu depan")
    next(b for b in member.button if b.label == "Kirim tanggapan").click().run()
    assert not member.exception

    verifier.run()
    assert "Sudah diajukan, tanda tangan minggu depan" in texts(verifier)
    for criterion_id in ("A2", "B1", "B2"):
        record(verifier, criterion_id, 1)
    verifier.button(key="verify-finish").click().run()
    assert not verifier.exception
    assert "Tidak ada asesmen terkirim yang menunggu verifikasi." in [i.value for i in verifier.info]

    results(member)
    shown = texts(member)
    assert any(t.startswith("Diverifikasi pada ") and t.endswith(" oleh asosiasi.") for t in shown)
    assert "Berdasarkan tingkat hasil verifikasi untuk kriteria yang diperiksa asosiasi, dan tingkat Anda sendiri " \
           "untuk kriteria lainnya." in shown  # fmt: skip
    levels = {(m.label, m.value) for m in member.metric}
    assert ("Tingkat Anda", "2 · Terdokumentasi") in levels and ("Tingkat hasil verifikasi", "1 · Sesekali") in levels
    assert not [b for b in member.button if b.label == "Kirim tanggapan"]  # the reply box closed
