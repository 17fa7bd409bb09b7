"""The Report for the ministry page through AppTest: officers have it under the association's pages, others do not;
it offers the standard versions in use, the report's language and the two files (the files' contents are tested as
plain functions in tests/test_association_report.py, their making in tests/persistence/test_ministry_report.py)."""

from tests.test_app_pages import library_dir, pages_of, signed_in  # noqa: F401
from tests.test_association_pages import officer, six  # noqa: F401


def test_only_officers_have_the_page(six):  # noqa: F811
    folder, _ = six
    assert "ministry_report.py" in pages_of(signed_in(folder, "pengurus@asosiasi.test", organization=None,
                                                      roles=("officer",)))  # fmt: skip
    for roles in (("researcher",), ("admin",)):
        assert "ministry_report.py" not in pages_of(signed_in(folder, f"{roles[0]}@x.test", organization=None,
                                                              roles=roles))  # fmt: skip
    assert "ministry_report.py" not in pages_of(signed_in(folder, "anggota@m1.test", organization="PT m1"))


def test_the_page_offers_the_version_the_language_and_both_files(six):  # noqa: F811
    at = officer(six[0], "ministry_report.py")
    assert at.title[0].value == "Laporan untuk kementerian"
    assert at.selectbox(key="ministry-standard").options == ["Standar mini · versi 1 (7 asesmen)"]
    assert at.get("button_group")[0].value == "id"  # the report's language starts as the page's
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["Laporan (PDF)", "Buku kerja (XLSX)"]
    assert "sedikitnya 5 perusahaan" in at.caption[0].value


def test_the_page_says_so_when_no_member_has_assessed(library_dir):  # noqa: F811
    at = officer(library_dir, "ministry_report.py")
    assert at.info and not at.get("download_button")
