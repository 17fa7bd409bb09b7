"""The programme in a real browser: an officer creates a campaign from a members CSV, the invited member signs up
from its link, sees the campaign on its first page, answers and submits; the officer verifies the sample, the member
replies to a comment, the officer marks it verified, the tracker says so, and the officer downloads the report for
the ministry with the campaign in it."""

import csv
import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.test_journey import download, first_run, settle

PASSWORD = "kata-sandi-pertama-9"


def officer_opens(page: Page, url: str, path: str, heading: str) -> None:
    page.goto(f"{url}/{path}")
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=60_000)
    settle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def answer(page: Page, criterion_id: str, option: str) -> None:
    card = page.locator(f".st-key-card-{criterion_id}")
    card.get_by_role("radiogroup").get_by_text(option, exact=True).click()
    expect(card.get_by_text("Sudah dijawab")).to_be_visible()


def choose(page: Page, scope, option: str) -> None:
    settle(page)
    box = scope.get_by_role("combobox")
    box.scroll_into_view_if_needed()
    box.click()
    if not page.get_by_role("listbox").is_visible():  # the click that focused a box another rerun left may not open it
        box.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()


def test_campaign_then_submission_then_verification_then_the_ministry_report(page: Page, browser, fresh_server,
                                                                              tmp_path):  # fmt: skip
    url, _ = fresh_server
    page.set_viewport_size({"width": 1366, "height": 900})
    first_run(page, url, "Asosiasi EO Uji", "admin@asosiasi.test", PASSWORD, serves="association")

    # The officer creates the campaign: a new company from a CSV, invited by a single-use link.
    officer_opens(page, url, "campaigns", "Kampanye")
    page.get_by_role("tab", name="Kampanye baru").click()
    page.get_by_role("textbox", name="Nama putaran").fill("T0 2027")
    members = tmp_path / "anggota.csv"
    members.write_text("organization;email\nPT Jurnal Acara;pemilik@jurnal.test\n", encoding="utf-8")
    page.locator(".st-key-campaign-csv input[type=file]").set_input_files(members)
    expect(page.get_by_text("1 perusahaan dari berkas siap diundang.")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Buat kampanye dan undang").click()
    expect(page.get_by_text("Kampanye dibuat: 1 undangan.")).to_be_visible(timeout=30_000)
    links = download(page, "Unduh tautan (CSV)").path().read_text(encoding="utf-8-sig")
    row = next(csv.DictReader(io.StringIO(links)))
    assert row["Email"] == "pemilik@jurnal.test"
    token = re.search(r"invite=([\w-]+)", row["Tautan"]).group(1)
    page.screenshot(path=str(tmp_path / "tracker.png"), full_page=True)

    # The member signs up from its link, sees the campaign on its first page, answers and submits.
    member = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    member.goto(f"{url}/?invite={token}")
    expect(member.get_by_role("heading", name="Terima undangan Anda")).to_be_visible(timeout=30_000)
    settle(member)
    member.get_by_role("textbox", name="Nama Anda").fill("Pemilik Jurnal")
    member.get_by_role("textbox", name="Kata sandi baru").fill(PASSWORD)
    member.get_by_role("textbox", name="Ulangi kata sandi").fill(PASSWORD)
    member.get_by_role("button", name="Terima dan masuk").click()
    box = member.locator(".st-key-open-campaigns")
    expect(box.get_by_text("Asosiasi meminta Anda mengisi penilaian")).to_be_visible(timeout=30_000)
    expect(box.get_by_text("T0 2027", exact=False).first).to_be_visible()
    settle(member)
    member.get_by_role("button", name="Mulai penilaian").click()
    expect(member.get_by_text("0 dari 4 kriteria sudah dijawab").first).to_be_visible()
    answer(member, "A1", "2 · Terdokumentasi")
    answer(member, "A2", "3 · Diterapkan")
    member.get_by_role("button", name="Domain berikutnya").click()
    answer(member, "B1", "2 · Terdokumentasi")
    answer(member, "B2", "1 · Sesekali")
    expect(member.get_by_text("4 dari 4 kriteria sudah dijawab").first).to_be_visible()
    settle(member)
    member.get_by_role("link", name="Hasil", exact=True).click()
    member.locator(".st-key-submit button").click()
    expect(member.get_by_text("sudah dikirim", exact=False).first).to_be_visible(timeout=30_000)

    # The officer verifies the sample (the mini standard has 4 criteria: all drawn), comments on A1 and sends.
    officer_opens(page, url, "verify", "Verifikasi")
    page.locator(".st-key-verify-start button").click()
    expect(page.get_by_text("Sampel: 4 kriteria")).to_be_visible(timeout=30_000)
    for criterion, level in (("A1", "1 · Sesekali"), ("A2", "3 · Diterapkan"), ("B1", "2 · Terdokumentasi"),
                             ("B2", "1 · Sesekali")):  # fmt: skip
        card = page.locator(f".st-key-verify-{criterion}")
        choose(page, card, level)
        if criterion == "A1":
            card.get_by_role("textbox", name="Komentar untuk perusahaan").fill(
                "Izin keramaian belum ditandatangani dinas."
            )
        card.get_by_role("button", name="Simpan").click()
        settle(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    page.locator(".st-key-verify-send button").click()
    settle(page)
    expect(page.get_by_text("perusahaan bisa menanggapi sampai", exact=False).first).to_be_visible()

    # The member reads the comment on its results and replies.
    member.get_by_role("link", name="Penilaian mandiri", exact=True).click()
    settle(member)
    member.get_by_role("link", name="Hasil", exact=True).click()
    expect(member.get_by_text("Izin keramaian belum ditandatangani dinas.")).to_be_visible(timeout=30_000)
    comment = member.locator(".st-key-verification-A1")
    comment.get_by_role("textbox", name="Tanggapan Anda atas komentar ini").fill(
        "Sudah diajukan, ditandatangani minggu depan."
    )
    comment.get_by_role("button", name="Kirim tanggapan").click()
    expect(member.get_by_text("Tanggapan terkirim").first).to_be_visible(timeout=30_000)

    # The officer sees the reply, marks the assessment verified, and the tracker counts it.
    officer_opens(page, url, "verify", "Verifikasi")
    expect(page.get_by_text("Sudah diajukan, ditandatangani minggu depan.")).to_be_visible(timeout=30_000)
    page.locator(".st-key-verify-finish button").click()
    expect(page.get_by_text("Tidak ada asesmen terkirim yang menunggu verifikasi.")).to_be_visible(timeout=30_000)
    officer_opens(page, url, "campaigns", "Kampanye")
    expect(page.get_by_test_id("stMetric").filter(has_text="Terverifikasi")).to_contain_text("1")

    member.get_by_role("link", name="Penilaian mandiri", exact=True).click()
    settle(member)
    member.get_by_role("link", name="Hasil", exact=True).click()
    expect(member.get_by_text("oleh asosiasi", exact=False).first).to_be_visible(timeout=30_000)
    expect(member.get_by_text("Berdasarkan tingkat hasil verifikasi", exact=False).first).to_be_visible()

    # The report for the ministry, with the campaign.
    officer_opens(page, url, "ministry_report", "Laporan untuk kementerian")
    choose(page, page.locator(".st-key-ministry-campaign"), "T0 2027")
    settle(page)
    report = PdfReader(download(page, "Laporan (PDF)").path())
    text = "".join("".join(p.extract_text() for p in report.pages).split())
    assert "Laporanuntukkementerian" in text and "Putarankampanye:T02027" in text
    assert "PTJurnalAcara" not in text  # the ministry gets no company's name
    member.context.close()
