"""A member in a real chromium among the crowd: the browser's journal of unsaved text is a page script, so only a
browser can show that a note typed a moment before its replica dies comes back on the other replica."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.load.member import ANSWERED, SAFETY, WORDS
from tests.load.people import Person
from tests.load.tab import REPLICA_COOKIE
from ui.http import COOKIE

NOTE = "Rencana K3 ditulis sesaat sebelum server mati"


@dataclass
class BrowserMember:
    person: Person
    url: str
    page: Page | None = None
    answered: dict[str, int] = field(default_factory=dict)  # shown as saved in the browser
    typed: str = ""  # the criterion whose note was being typed when the replica died
    back_at: float | None = None  # when the database was seen holding the typed note

    async def open(self, browser: Browser) -> None:
        context = await browser.new_context()
        await context.add_cookies([{"name": COOKIE, "value": self.person.token, "url": self.url}])
        self.page = await context.new_page()
        await self.page.goto(f"{self.url}/?a={self.person.link}&lang=id")
        await expect(self.page.get_by_text("dari 40 kriteria sudah dijawab").first).to_be_visible(timeout=60_000)

    async def replica(self) -> str:
        cookies = await self.page.context.cookies()
        return next((c["value"] for c in cookies if c["name"] == REPLICA_COOKIE), "")

    async def answer(self, count: int) -> None:
        for criterion in SAFETY.domains[0].criteria[:count]:
            card = self.page.locator(f".st-key-card-{criterion.id}")
            level = SAFETY.scale.values[-1]
            await card.get_by_role("radiogroup").get_by_text(f"{level} · {SAFETY.scale.label(level, 'id')}").click()
            await expect(card.get_by_text(ANSWERED)).to_be_visible(timeout=60_000)
            self.answered[criterion.id] = level

    async def type_note(self) -> None:
        """Type a note and return at once: it is in the browser's journal, not yet sent (the page sends it after a
        pause in typing)."""
        criterion = SAFETY.domains[0].criteria[-1]
        card = self.page.locator(f".st-key-card-{criterion.id}")
        await card.get_by_text(WORDS["assess.note_and_evidence"], exact=True).click()
        note = card.get_by_label(WORDS["assess.note"], exact=True)
        await note.click()
        await note.press_sequentially(NOTE, delay=5)
        self.typed = criterion.id

    async def wait_until(self, check, seconds: float) -> bool:
        """Keep the page open (it reconnects and replays its journal by itself) until check() holds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                self.back_at = time.monotonic()
                return True
            await self.page.wait_for_timeout(1000)
        return False


async def launch(playwright) -> Browser:
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
