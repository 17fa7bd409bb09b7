"""Evidence documents behind answers: what the register, the results page and the report need to know of each
(never its content), when a document counts as expired or expiring, and which uploads are taken (PDF, JPEG, PNG,
read from the content)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import filetype

from scoring.engine import Result
from scoring.issues import Issue
from scoring.model import Standard

EXPIRING_DAYS = 30


@dataclass(frozen=True)
class Document:
    id: int
    criterion_id: str
    name: str
    media_type: str  # application/pdf | image/jpeg | image/png, read from the content
    size: int  # bytes
    expires_on: date | None
    uploaded_at: datetime

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today

    def expiring(self, today: date, days: int = EXPIRING_DAYS) -> bool:
        """Valid today but not `days` from now."""
        return self.expires_on is not None and today <= self.expires_on < today + timedelta(days=days)

    def flag(self, today: date) -> str | None:
        """What the register and the card flag: "expired", "expiring" (within EXPIRING_DAYS) or None."""
        return "expired" if self.expired(today) else "expiring" if self.expiring(today) else None


def expired_behind_met(standard: Standard, result: Result, documents: list[Document], today: date) -> list[Document]:
    """Expired documents behind a mandatory criterion the assessment counts as met: its readiness rests on proof
    that has lapsed. In the standard's order."""
    criteria = result.criteria
    met = set(criteria.loc[criteria["met"].fillna(False).astype(bool), "criterion"])
    mandatory = {c.id: n for n, (_, c) in enumerate(standard.criteria()) if c.mandatory and c.id in met}
    lapsed = [d for d in documents if d.criterion_id in mandatory and d.expired(today)]
    return sorted(lapsed, key=lambda d: (mandatory[d.criterion_id], d.expires_on, d.id))


# What an upload must be: the type is read from the first bytes of the content (filetype's magic numbers), never
# from the name, the extension or the browser's claim, so a renamed executable or web page is refused.
ACCEPTED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
EXECUTABLES = {"application/x-msdownload", "application/x-executable"}
NAMED = {"pdf", "jpg", "jpeg", "png"}  # extensions a name may end in, replaced by the one of the content
MAX_NAME = 120  # characters of a cleaned name, its extension included
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a line break or tab between words stays a space
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")  # zero-width and direction marks


@dataclass(frozen=True)
class Checked:
    """An upload that passed: its media type as read from the content, and its name as shown."""

    media_type: str
    name: str


def check(name: str, data: bytes, max_bytes: int) -> Checked | Issue:
    """The upload as stored, or the Issue (a stable code and its parameters) that says why it is refused."""
    if not data:
        return Issue("", "file", "evidence.empty")
    if len(data) > max_bytes:
        return Issue("", "file", "evidence.too-large", {"size": len(data), "max": max_bytes // (1024 * 1024)})
    kind = filetype.guess(data)  # reads the first 8 KiB at most
    if kind is None:
        return Issue("", "file", "evidence.unrecognised")
    if kind.mime in EXECUTABLES:
        return Issue("", "file", "evidence.executable", {"kind": kind.extension.upper()})
    if kind.mime not in ACCEPTED:
        return Issue("", "file", "evidence.wrong-type", {"kind": kind.extension.upper()})
    return Checked(kind.mime, clean_name(name, ACCEPTED[kind.mime]))


def clean_name(name: str, extension: str) -> str:
    """A file name as stored and shown: its last path part, no control or invisible characters, single spaces, at
    most MAX_NAME characters, ending in the extension of what the content is (a PNG named .pdf becomes .png)."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFKC", name))[-1]
    base = " ".join(_INVISIBLE.sub("", _CONTROL.sub(" ", base)).split())
    stem, dot, ext = base.rpartition(".")
    if dot and ext.lower() in NAMED:
        base = stem  # its own extension, or another accepted type's: the content decides which one it gets
    base = base.strip(". ")[: MAX_NAME - len(extension) - 1].rstrip(". ") or "document"
    return f"{base}.{extension}"
