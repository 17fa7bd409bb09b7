"""A simulated member: answers the safety standard criterion by criterion (domain by domain, then again with other
levels), as a person at a keyboard would, now and then attaches a small PNG to the criterion just answered, and
notes what the page showed as saved (or attached) and when. One member first continues from an assessment file."""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scoring.assessment import assessment_document, assessment_json
from scoring.library import load_library
from scoring.model import Answer
from tests.evidence_files import png
from tests.load.harness import STANDARDS
from tests.load.people import STANDARD, Person
from tests.load.tab import Disconnected, PageStuck, Tab, UploadFailed
from ui.i18n import catalogue
from ui.plain import plain

SAFETY = load_library(STANDARDS).get(STANDARD)
ORDER = [(d, c.id) for d, domain in enumerate(SAFETY.domains) for c in domain.criteria]
WORDS = catalogue("id")  # the members' language
ANSWERED, NOT_SAVED, NEXT_DOMAIN = (
    WORDS["assess.answered"],
    WORDS["assess.not_saved_badge"],
    WORDS["assess.next_domain"],
)
ATTACHED, RESUMED, NOT_ATTACHED, UNEXPECTED = (
    WORDS["evidence.attached"],
    WORDS["resume.continued"],
    WORDS["evidence.refused"].split("{")[0],
    WORDS["errors.unexpected"].split("{")[0],
)
RECONNECT_SECONDS = 90
EVIDENCE_SHARE = 0.2  # about one answer in five gets a file
FROM_FILE = 0  # the seed of the member who starts by uploading an assessment file it had downloaded


@dataclass
class Saved:
    criterion_id: str
    level: int
    clicked: float  # monotonic
    shown: float  # when the page showed it saved
    replica: str
    clean: bool  # shown by the run the click started; False: after a reconnect or the page's own retry


@dataclass
class Attached:
    criterion_id: str
    name: str
    sha256: str
    clicked: float  # monotonic
    shown: float  # when the card said "Terlampir: <name>" or listed the file


@dataclass
class Member:
    person: Person
    url: str
    think: float  # mean seconds between answers
    seed: int
    saved: list[Saved] = field(default_factory=list)
    shown: dict[str, int] = field(default_factory=dict)  # criterion id -> the level last shown as saved
    waiting: dict[str, tuple[int, float]] = field(default_factory=dict)  # clicked, not yet shown as saved
    redo: list[tuple[int, str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    told_unsaved: list[float] = field(default_factory=list)  # when a card said "not saved yet"
    attached: list[Attached] = field(default_factory=list)  # files the page showed as attached
    not_attached: list[str] = field(default_factory=list)  # files the page never showed as attached, and why
    resumed: dict[str, int] = field(default_factory=dict)  # the levels of its assessment file, once the page took it
    reconnects: list[tuple[float, float, str, str]] = field(default_factory=list)  # (lost, back, from, to)
    replicas: set[str] = field(default_factory=set)
    tab: Tab | None = None

    async def run(self, done: asyncio.Event) -> None:
        rng = random.Random(self.seed)
        if self.seed == FROM_FILE:
            await self._continue_from_file()
        self.tab = Tab(self.url, self.person.token, query=f"a={self.person.link}&lang=id")
        try:
            await self._connect()
        except Disconnected:
            await self._reconnect()
        step = rng.randrange(len(ORDER))  # members spread over the standard, not all on one card
        last_fired: dict[str, float] = {}
        while not done.is_set():
            try:
                await self._timers(last_fired)
                if self.redo:
                    domain, criterion_id, level = self.redo.pop()
                else:
                    domain, criterion_id = ORDER[step % len(ORDER)]
                    level = (step // len(ORDER) + step) % len(SAFETY.scale.values)
                    step += 1
                if self.waiting and domain != self._domain():
                    self.redo.append((domain, criterion_id, level))  # stay with the cards not yet saved
                else:
                    await self._go_to(domain)
                    await self._answer(criterion_id, level)
                    if criterion_id not in self.waiting and rng.random() < EVIDENCE_SHARE:
                        await self._attach(criterion_id, rng)
            except Disconnected as exc:
                if isinstance(exc, PageStuck):
                    self.errors.append(str(exc))
                await self._reconnect()
            await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think)

    async def drain(self, seconds: float) -> None:
        """After the run: let the page's own retries save what is waiting, as an open tab would."""
        deadline, last_fired = time.monotonic() + seconds, {}
        while self.waiting and time.monotonic() < deadline:
            try:
                await self._timers(last_fired)
            except Disconnected as exc:
                if isinstance(exc, PageStuck):
                    self.errors.append(str(exc))
                await self._reconnect()
            await asyncio.sleep(0.5)
        for criterion_id, (level, _) in self.waiting.items():
            control = self.tab.levels.get(criterion_id)
            self.errors.append(
                f"{criterion_id} (level {level}): never shown as saved; the card shows "
                f"{self.tab.badges.get(criterion_id)!r}, option {control and control.default}"
            )
        await self.tab.close()

    def _domain(self) -> int:
        picker = self.tab.selects.get("domain-picker")
        return picker.default if picker and picker.default is not None else 0

    async def _go_to(self, domain: int) -> None:
        if self._domain() == domain:
            return
        if domain == self._domain() + 1:
            await self.tab.press(NEXT_DOMAIN)
        else:
            await self.tab.select("domain-picker", domain)
        self._check()

    async def _answer(self, criterion_id: str, level: int) -> None:
        if criterion_id not in self.tab.levels:
            raise Disconnected(f"{criterion_id} is not on the page")  # looked at again after a reload
        self.tab.badges.pop(criterion_id, None)  # only a card drawn after the click counts
        self.waiting[criterion_id] = (level, time.monotonic())
        await self.tab.choose(criterion_id, SAFETY.scale.values.index(level))
        self._check(clean_for=criterion_id)

    async def _continue_from_file(self) -> None:
        """On the start page, upload an assessment file (the last domain answered) as a member continuing from a file
        they downloaded; its levels count as shown saved once the page says the file went into the assessment."""
        levels = {c.id: SAFETY.scale.values[1] for c in SAFETY.domains[-1].criteria}
        answers = {cid: Answer(level=level) for cid, level in levels.items()}
        document = assessment_document(SAFETY, {"name": self.person.organization}, answers, datetime.now(UTC))
        name = "penilaian-keselamatan.json"
        tab = Tab(self.url, self.person.token, query="lang=id")
        try:
            await tab.open()
            await tab.upload("resume-upload", name, assessment_json(document), "application/json")
            if RESUMED.format(name=plain(name)) in tab.alerts:
                self.resumed = levels
                self.shown.update(levels)
            else:
                self.errors.append(f"{name}: the page said {tab.alerts}")
            self.errors += tab.exceptions
        except (Disconnected, UploadFailed) as exc:
            self.errors.append(f"{name}: {exc}")
        finally:
            await tab.close()

    async def _attach(self, criterion_id: str, rng: random.Random) -> None:
        """Put a PNG into the card's uploader; attached once the card says so ("Terlampir: <name>", or the file in
        its list). A file the page did not take stays in the uploader: removed, as a member would."""
        key = self._uploader(criterion_id)
        if key is None:
            raise Disconnected(f"{criterion_id} has no uploader on the page")
        name = f"bukti-{criterion_id}-{len(self.attached) + len(self.not_attached) + 1:03d}.png"
        data, clicked = png(32, rng), time.monotonic()
        try:
            urls = await self.tab.upload(key, name, data, "image/png")
        except UploadFailed as exc:
            self.not_attached.append(f"{name}: {exc}")  # a replica just killed, say: listed, not an error by itself
            return
        except Disconnected as exc:
            self.not_attached.append(f"{name}: {exc}")
            raise
        said, shown = self.tab.alerts, plain(name)
        if ATTACHED.format(name=shown) in said or any(d.split(" ", 1)[0] == shown for d in self.tab.documents):
            digest = hashlib.sha256(data).hexdigest()
            self.attached.append(Attached(criterion_id, name, digest, clicked, time.monotonic()))
        else:
            self.not_attached.append(f"{name}: the page said {said}")
            self.errors += [f"{name}: {a}" for a in said if a.startswith((UNEXPECTED, NOT_ATTACHED))]
            if self._uploader(criterion_id) == key:
                await self.tab.remove_upload(key, urls)
        self._check()

    def _uploader(self, criterion_id: str) -> str | None:
        """The widget key of the card's uploader: the card draws a new one (the next number) after each file."""
        prefix = f"evidence-file-{criterion_id}-"
        drawn = [key for key in self.tab.uploaders if key.startswith(prefix)]
        return max(drawn, key=lambda k: int(k.removeprefix(prefix)), default=None)

    def _check(self, clean_for: str = "") -> None:
        """What the page shows now: saved cards, cards not saved yet, errors."""
        now = time.monotonic()
        for criterion_id, (level, clicked) in list(self.waiting.items()):
            badge, control = self.tab.badges.get(criterion_id, ""), self.tab.levels.get(criterion_id)
            if NOT_SAVED in badge:
                self.told_unsaved.append(now)
            elif ANSWERED in badge and control and control.options[control.default or 0].startswith(f"{level} "):
                del self.waiting[criterion_id]
                self.shown[criterion_id] = level
                clean = criterion_id == clean_for
                self.saved.append(Saved(criterion_id, level, clicked, now, self.tab.replica, clean))
        self.errors += self.tab.exceptions
        self.tab.exceptions.clear()

    async def _timers(self, last_fired: dict[str, float]) -> None:
        """The reruns the page asked for on a timer (retrying unsaved answers, the heartbeat), when due."""
        now = time.monotonic()
        for fragment_id, interval in list(self.tab.timers.items()):
            if now - last_fired.setdefault(fragment_id, now) >= interval:
                last_fired[fragment_id] = now
                await self.tab.rerun(fragment_id=fragment_id, auto=True)
                self._check()

    async def _connect(self) -> None:
        await self.tab.open()
        self.replicas.add(self.tab.replica)
        self._check()
        if not self.tab.levels:  # "the database cannot be reached" instead of the cards: reloaded a moment later
            self.told_unsaved.append(time.monotonic())
            raise Disconnected("the page shows no cards")

    async def _reconnect(self) -> None:
        """The page reconnects by itself (through the proxy, to whichever replica is alive); what was clicked and
        not shown as saved is looked at again: saved, or clicked again."""
        lost, before = time.monotonic(), self.tab.replica
        await self.tab.close()
        deadline = lost + RECONNECT_SECONDS
        while True:
            try:
                await self._connect()
                break
            except Disconnected as exc:
                if time.monotonic() > deadline:
                    self.errors.append(f"no reconnection in {RECONNECT_SECONDS} s: {exc}")
                    raise
                await asyncio.sleep(1)
        self.reconnects.append((lost, time.monotonic(), before, self.tab.replica))
        for criterion_id, (level, _) in self.waiting.items():  # the new page shows it not saved: clicked again
            self.redo.append((next(d for d, c in ORDER if c == criterion_id), criterion_id, level))
        self.waiting.clear()
