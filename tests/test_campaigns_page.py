"""The Campaigns page as an officer drives it (create from the list and a CSV, the row report of a bad CSV, the
tracker's counts, filters and table) and the member's box on its first page, through AppTest."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scoring.export import to_csv
from services.app import Gapura
from services.settings import Settings
from tests.conftest import MINI
from tests.test_app_pages import COMPANY, library_dir, pages_of, signed_in, table_with  # noqa: F401

PAGE = "ui/pages/campaigns.py"


def officer(folder: Path):
    at = signed_in(folder, "pengurus@asosiasi.test", organization=None, roles=("officer",))
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def company_id(folder: Path, name: str = COMPANY) -> int | None:
    app = Gapura(Settings(database_url=f"sqlite:///{folder / 'app.db'}", standards_dir=MINI.parent))
    try:
        return app.store.find_organization(name)
    finally:
        app.close()


def button(at, label):
    return next(b for b in at.button if b.label == label)


def upload(at, data: bytes):
    next(u for u in at.file_uploader if u.key == "campaign-csv").set_value(("anggota.csv", data, "text/csv")).run()
    return at


@pytest.fixture
def member_company(library_dir):  # noqa: F811
    """The company of tests/test_app_pages.py with its member signed up (a tab is made, then dropped)."""
    signed_in(library_dir)
    return library_dir


def test_an_officer_creates_a_campaign_from_the_list_and_a_csv_and_follows_it(member_company):
    at = officer(member_company)
    assert at.title[0].value == "Kampanye" and "campaigns.py" in pages_of(at)
    assert "Belum ada kampanye" in at.info[0].value
    at.text_input(key="campaign-round").set_value("T0 2027")
    at.multiselect(key="campaign-picked").set_value([company_id(member_company)])
    at.text_area(key="campaign-message-id").set_value("Mohon diisi sebelum tenggat.")
    upload(at, b'organization;email\nPT Baru Acara;pemilik@baru.test\n=HYPERLINK("x");rumus@baru.test\n')
    assert "2 perusahaan dari berkas siap diundang." in at.success[0].value
    button(at, "Buat kampanye dan undang").click().run()
    assert not at.exception and not at.error

    assert at.success[0].value == "Kampanye dibuat: 2 undangan."
    links = table_with(at, "Tautan")
    assert list(links["Email"]) == ["pemilik@baru.test", "rumus@baru.test"] and "/?invite=" in links["Tautan"][0]
    counts = {m.label: m.value for m in at.metric}
    assert counts == {"Diundang": "3", "Sudah mendaftar": "1", "Sudah mulai": "0", "Sudah dikirim": "0",
                      "Terverifikasi": "0", "Lewat tenggat": "0"}  # fmt: skip
    tracker = table_with(at, "Tahap")
    assert list(tracker["Perusahaan"]) == ['=HYPERLINK("x")', "PT Baru Acara", COMPANY]  # by name, as typed
    assert list(tracker["Tahap"]) == ["Diundang", "Diundang", "Sudah mendaftar"]
    assert b"'=HYPERLINK" in to_csv(tracker) and b"\r\n=" not in to_csv(tracker)  # the download's cells are inert

    at.selectbox(key="campaign-filter-stage").set_value("invited").run()
    assert list(table_with(at, "Tahap")["Perusahaan"]) == ['=HYPERLINK("x")', "PT Baru Acara"]
    at.selectbox(key="campaign-filter-stage").set_value(None)
    at.text_input(key="campaign-filter-name").set_value("contoh").run()
    assert list(table_with(at, "Tahap")["Perusahaan"]) == [COMPANY]
    assert not [t for t in at.dataframe if "Tautan" in t.value.columns]  # the links are shown once


def test_a_bad_csv_lists_each_row_with_its_line_and_creates_nothing(library_dir):  # noqa: F811
    at = officer(library_dir)
    at.text_input(key="campaign-round").set_value("T0 2027")
    upload(at, b"organization,email\nPT Satu,satu@x.test\n,kosong@x.test\nPT Dua,bukan-email\n")
    assert "2 baris perlu diperbaiki" in at.error[0].value
    report = table_with(at, "Alasan")
    assert list(report["Baris"]) == ["3", "4"]
    assert list(report["Alasan"]) == ["baris 3: nama perusahaannya kosong", "baris 4: 'bukan-email' bukan alamat email"]
    assert button(at, "Buat kampanye dan undang").disabled
    assert company_id(library_dir, "PT Satu") is None


def test_a_refused_campaign_says_why_in_the_users_language(library_dir):  # noqa: F811
    at = officer(library_dir)
    button(at, "Buat kampanye dan undang").click().run()
    assert not at.exception
    assert {e.value for e in at.error} == {"beri nama putarannya, misalnya T0 2027",
                                           "pilih minimal satu anggota, atau unggah CSV berisi perusahaan dan email"}  # fmt: skip


def test_a_member_sees_its_open_campaign_with_its_deadline_and_stage_on_its_first_page(member_company):
    at = officer(member_company)
    at.text_input(key="campaign-round").set_value("T0 2027")
    at.multiselect(key="campaign-picked").set_value([company_id(member_company)])
    button(at, "Buat kampanye dan undang").click().run()
    assert not at.exception and not at.error

    member = signed_in(member_company)
    deadline = datetime.now(UTC).date() + timedelta(days=30)
    box = [m.value for m in member.markdown if "T0 2027" in m.value]
    assert len(box) == 1
    assert "tinggal 30 hari" in box[0] and "Sudah mendaftar" in box[0]
    assert f"{deadline.day} " in box[0] and str(deadline.year) in box[0]
    assert "Asosiasi meminta Anda mengisi penilaian" in [m.value.strip("*") for m in member.markdown]
    next(b for b in member.button if b.label == "Mulai penilaian").click().run()
    assert not member.exception

    at.switch_page("ui/pages/members.py").run()  # the assessment the member started answers the campaign
    assert list(table_with(at, "Putaran kampanye")["Putaran kampanye"]) == ["T0 2027"]


def test_a_member_has_no_campaigns_page(member_company):
    assert "campaigns.py" not in pages_of(signed_in(member_company))


def test_an_officer_reminds_the_members_still_to_submit_once_a_day(member_company, monkeypatch):
    """'Send a reminder now' through a real SMTP server: each member still to submit gets one email; a second click
    the same day sends none and says so; without an email server the page says reminders cannot be sent."""
    from aiosmtpd.controller import Controller

    from tests.persistence.test_mail import Collect, free_port

    at = officer(member_company)
    at.text_input(key="campaign-round").set_value("T0 2027")
    at.multiselect(key="campaign-picked").set_value([company_id(member_company)])
    upload(at, b"organization,email\nPT Baru Acara,pemilik@baru.test\n")
    button(at, "Buat kampanye dan undang").click().run()
    assert not at.exception
    assert "Server email belum diatur" in at.warning[0].value  # no [smtp]: nothing to send with

    inbox = Collect()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        monkeypatch.setenv("GAPURA_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("GAPURA_SMTP_PORT", str(server.port))
        monkeypatch.setenv("GAPURA_SMTP_STARTTLS", "false")
        at.run()
        assert not at.warning
        button(at, "Kirim pengingat").click().run()
        assert not at.exception
        assert at.success[0].value.startswith("2 pengingat terkirim. 0 dilewati")
        assert sorted(m["To"] for m in inbox.messages) == ["anggota@contoh.test", "pemilik@baru.test"]
        button(at, "Kirim pengingat").click().run()
        assert at.success[0].value.startswith("0 pengingat terkirim. 2 dilewati") and len(inbox.messages) == 2
    finally:
        server.stop()
