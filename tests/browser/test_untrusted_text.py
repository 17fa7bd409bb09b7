"""A standard's images load nothing in a member's browser: no request ever goes to the host an image names."""

import json
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in_as, start_server, stop
from tests.browser.test_journey import settle
from tests.test_untrusted_text import imaged_standard


def test_no_request_goes_to_the_host_of_a_standards_image(page: Page, tmp_path):
    standards = tmp_path / "standards"
    standards.mkdir()
    (standards / "mini.json").write_text(json.dumps(imaged_standard()), encoding="utf-8")
    database = tmp_path / "app.db"
    proc, url = start_server(standards, tmp_path / "app.log", database=database)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        sign_in_as(page.context, url, database, standards, "anggota@contoh.test", organization="PT Gambar")
        page.goto(url)
        page.get_by_role("button", name="Mulai penilaian").click()
        card = page.locator(".st-key-card-A1")
        expect(card.get_by_text("Deskripsi")).to_be_visible()
        card.get_by_text("Semua tingkat, panduan, dan contoh bukti").click()
        expect(card.locator("li").filter(has_text=re.compile(r"^Bukti"))).to_be_visible()
        card.get_by_text("2 · ", exact=False).first.click()  # the chosen level's description shows too
        settle(page)
        page.get_by_role("link", name="Standar", exact=True).click()
        page.get_by_text("Standar mini · 1").click()
        expect(page.get_by_test_id("stExpanderDetails").filter(has_text="Alfa").first).to_be_visible()
        settle(page)
        page.wait_for_timeout(1000)  # an image would be fetched as soon as it is drawn
    finally:
        stop(proc)
    assert len(requested) > 5  # the page itself was loaded and watched
    assert [u for u in requested if "evil.test" in u] == []
