"""The officers' page of support given (ui/pages/support.py) through AppTest: only officers have it, an intervention
is recorded from the form, an attendance list with a bad row is refused with its line and reason, and the with/without
comparison shows its counts, the words "descriptive, not causal" and hides a group under the threshold."""

import json
from datetime import date

import pytest

from services.app import Gapura
from services.policy import cli_actor
from services.settings import Settings
from tests.support_rows import MINI_CRITERIA, at, campaign, campaign_assessment
from tests.test_app_pages import library_dir, pages_of, signed_in, table_with  # noqa: F401

PAGE = "ui/pages/support.py"


def officer(folder, lang="id"):
    tab = signed_in(folder, "pengurus@asosiasi.test", organization=None, roles=("officer",), lang=lang)
    tab.switch_page(PAGE).run()
    assert not tab.exception, tab.exception
    return tab


def stored_app(folder) -> Gapura:
    return Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=folder))


def members_in_two_rounds(folder, supported: int) -> None:
    """Ten members complete in T0 and T1; the first `supported` had training between them and rose a level."""
    app = stored_app(folder)
    members = [app.store.ensure_organization({"name": f"PT Anggota {k:02d}"}) for k in range(10)]
    t0, t1 = campaign(app, "T0 2027", date(2027, 1, 15)), campaign(app, "T1 2027", date(2027, 6, 15))
    for k, member in enumerate(members):
        campaign_assessment(app, member, t0, 1, dict.fromkeys(MINI_CRITERIA, 2), at(date(2027, 1, 10)))
        campaign_assessment(app, member, t1, 2, dict.fromkeys(MINI_CRITERIA, 3 if k < supported else 2),
                            at(date(2027, 6, 10)))  # fmt: skip
    app.support.record(cli_actor(), "training", "Pelatihan K3", date(2027, 3, 1), date(2027, 3, 2), [],
                       organization_ids=members[:supported])  # fmt: skip
    app.close()


def test_only_officers_have_the_page(library_dir):  # noqa: F811
    assert "support.py" in pages_of(officer(library_dir))
    assert "support.py" not in pages_of(signed_in(library_dir))  # a company member


def test_an_officer_records_an_intervention_from_the_form(library_dir):  # noqa: F811
    app = stored_app(library_dir)
    member = app.store.ensure_organization({"name": "PT Anggota Satu"})
    app.close()
    tab = officer(library_dir)
    tab.text_input[0].set_value("Klinik OSS Jakarta")
    tab.date_input[0].set_value(date(2027, 3, 1))
    tab.date_input[1].set_value(date(2027, 3, 2))
    tab.multiselect[0].set_value(["business-licence"])
    tab.multiselect[1].set_value([member])
    tab.button[0].click().run()
    assert not tab.exception and not tab.error, [e.value for e in tab.error]
    listed = table_with(tab, "Judul")
    assert list(listed["Judul"]) == ["Klinik OSS Jakarta"]
    assert list(listed["Jenis dukungan"]) == ["Pelatihan"] and list(listed["Peserta"]) == [1]


def test_a_wrong_intervention_says_why_and_is_not_stored(library_dir):  # noqa: F811
    tab = officer(library_dir)
    tab.date_input[0].set_value(date(2027, 3, 2))
    tab.date_input[1].set_value(date(2027, 3, 1))
    tab.button[0].click().run()
    assert [e.value for e in tab.error] == ["judul harus diisi, paling panjang 200 karakter",
                                            "tanggal selesai tidak boleh sebelum tanggal mulai"]  # fmt: skip
    assert any("Belum ada kegiatan dukungan yang dicatat." in i.value for i in tab.info)


def test_an_attendance_list_with_a_bad_row_is_refused_with_its_line(library_dir):  # noqa: F811
    app = stored_app(library_dir)
    app.store.ensure_organization({"name": "PT Anggota Satu"})
    app.support.record(cli_actor(), "training", "Pelatihan K3", date(2027, 3, 1), date(2027, 3, 1), [])
    app.close()
    tab = officer(library_dir)
    upload = next(u for u in tab.get("file_uploader"))
    upload.set_value(("hadir.csv", b"organization,days\nPT Anggota Satu,1\nPT Siapa,1\n", "text/csv")).run()
    next(b for b in tab.button if b.label == "Ambil daftar").click().run()
    assert not tab.exception
    assert tab.error[0].value == "Daftar tidak diambil: 1 baris perlu diperbaiki."
    report = table_with(tab, "Alasan")
    assert list(report["Baris"]) == [3]
    assert list(table_with(tab, "Peserta")["Peserta"]) == [0]
    tab.get("file_uploader")[0].set_value(("hadir.csv", b"organization,days\nPT Anggota Satu,1\n", "text/csv")).run()
    next(b for b in tab.button if b.label == "Ambil daftar").click().run()
    assert tab.success[0].value == "Daftar diambil: 1 perusahaan."
    assert list(table_with(tab, "Peserta")["Peserta"]) == [1]
    assert list(table_with(tab, "Hari hadir")["Hari hadir"]) == ["1"]


def comparison(library_dir, supported):  # noqa: F811
    members_in_two_rounds(library_dir, supported)
    tab = officer(library_dir)
    assert any("Deskriptif, bukan hubungan sebab-akibat" in i.value for i in tab.info)
    return tab, table_with(tab, "Kelompok")


def test_with_and_without_shows_the_change_and_the_count_behind_it(library_dir):  # noqa: F811
    tab, table = comparison(library_dir, supported=5)
    assert list(table["Kelompok"]) == ["Dengan Pelatihan", "Tanpa dukungan ini"]
    assert list(table["Anggota"]) == ["5", "5"]
    assert list(table["Rata-rata perubahan"]) == ["+25,0 poin", "0,0 poin"]
    figure = json.loads(tab.get("plotly_chart")[0].proto.spec)
    assert [trace["y"] for trace in figure["data"]] == [[25.0], [0.0]]


def test_with_and_without_hides_a_group_under_the_threshold(library_dir):  # noqa: F811
    tab, table = comparison(library_dir, supported=3)
    assert list(table["Anggota"]) == ["di bawah ambang privasi", "7"]
    assert list(table["Rata-rata perubahan"]) == ["—", "—"]
    assert not tab.get("plotly_chart")  # an empty chart would say nothing
    assert any("di bawah ambang privasi" in i.value for i in tab.info)


@pytest.mark.parametrize("lang", ["en"])
def test_the_page_reads_in_english(library_dir, lang):  # noqa: F811
    members_in_two_rounds(library_dir, 5)
    tab = officer(library_dir, lang=lang)
    assert tab.title[0].value == "Support given"
    assert any("Descriptive, not causal" in i.value for i in tab.info)
