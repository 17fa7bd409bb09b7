"""What a company report holds, gathered once (by the reports service from the database, by the command line from an
assessment file), and what the PDF, the workbook and the CSV say of it alike: labels in both languages, the verdict
with criterion titles, levels, documents and plan tracking in words."""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path

import pandas as pd

from scoring.compare import Cohort, Position
from scoring.engine import Result
from scoring.evidence import Document
from scoring.formatting import day
from scoring.model import NA, Answer, Criterion, Domain, Standard, localize
from scoring.plan import Step, Tracking, steps

LABELS = Path(__file__).resolve().parent / "labels.toml"
LANGUAGES = ("en", "id")

# The printed page, shared by the PDFs (reports/pdf.py, reports/association_report.py)
WIDTH = 180.0  # mm between the margins of an A4 page
BLUE = (0, 114, 178)
GREY = (90, 90, 90)


@cache
def labels() -> dict[str, dict[str, str]]:
    with LABELS.open("rb") as f:
        return tomllib.load(f)


def label(key: str, lang: str, **params: object) -> str:
    entry = labels()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def printable(text: object) -> str:
    """Text as a file can hold it: line breaks kept, tabs as spaces, no other control character, surrogate or
    private-use character (a PDF writer refuses some, and none shows anything)."""
    kept = []
    for c in str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "):
        if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(c)
    return "".join(kept)


@dataclass(frozen=True)
class Peers:
    """The company against similar companies, as the disclosure gate cleared it (never built otherwise)."""

    cohort: Cohort
    overall: Position
    domains: Mapping[str, Position] = field(default_factory=dict)
    gaps: Mapping[str, Position] = field(default_factory=dict)


@dataclass(frozen=True)
class RoundScore:
    """One round's scores, for the trend: domains by id (each round scored with its own standard version)."""

    round: int
    overall: float | None
    domains: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    standard: Standard
    result: Result
    organization: str
    round: int | None  # None: not known (an assessment file does not say)
    final: bool | None  # submitted, its answers locked; None: not known
    answers: Mapping[str, Answer]
    made_on: date
    tracking: Mapping[str, Tracking] = field(default_factory=dict)
    documents: Sequence[Document] = ()
    peers: Peers | None = None
    rounds: Sequence[RoundScore] = ()
    verified: bool = False  # verified by the association: `result` uses the verified levels where it checked

    def status(self, lang: str) -> str:
        """Draft, final or verified, in words; empty when not known."""
        if self.final is None:
            return ""
        return label("verified" if self.verified else "final" if self.final else "draft", lang)

    def based_on(self, lang: str) -> str:
        return label("based_verified" if self.verified else "based_own", lang)

    @cached_property
    def criteria(self) -> pd.DataFrame:
        """The engine's figures per criterion, by criterion id (Result.criteria is rebuilt at every read)."""
        return self.result.criteria.set_index("criterion")

    @cached_property
    def domains(self) -> pd.DataFrame:
        return self.result.domains

    @cached_property
    def steps(self) -> list[Step]:
        return steps(self.standard, self.result)

    @cached_property
    def pairs(self) -> list[tuple[Domain, Criterion]]:
        return self.standard.criteria()

    @cached_property
    def _titles(self) -> dict[str, Criterion]:
        return {c.id: c for _, c in self.pairs}

    def title(self, criterion_id: str, lang: str) -> str:
        criterion = self._titles.get(criterion_id)
        return printable(localize(criterion.title, lang)) if criterion else criterion_id

    def domain_title(self, domain_id: str, lang: str) -> str:
        found = next((d for d in self.standard.domains if d.id == domain_id), None)
        return printable(localize(found.title, lang)) if found else domain_id

    def headline(self, lang: str) -> str:
        return self.result.verdict.headline(lang)

    def why(self, lang: str) -> str:
        """The verdict's reason, naming the mandatory criteria below target by their titles (the engine's verdict)."""
        return printable(self.result.verdict.explain(lang))

    def documents_of(self, criterion_id: str) -> list[Document]:
        return [d for d in self.documents if d.criterion_id == criterion_id]

    def closed(self) -> list[Tracking]:
        """Plan items that closed by themselves (their criterion reached its target), in the standard's order."""
        order = {c.id: i for i, (_, c) in enumerate(self.pairs)}
        open_ = set(self.result.actions)
        found = [t for t in self.tracking.values() if t.closed_round is not None and t.criterion_id not in open_]
        return sorted(found, key=lambda t: order.get(t.criterion_id, len(order)))


def yes_no(value: bool | None, lang: str) -> str:
    return "" if value is None else label("yes" if value else "no", lang)


def level_text(standard: Standard, level: object, lang: str) -> str:
    """'2 · Documented', 'N/A', or '' when unanswered."""
    if level is None or (isinstance(level, float) and pd.isna(level)):
        return ""
    if level == NA:
        return label("na", lang)
    return f"{int(level)} · {printable(standard.scale.label(int(level), lang))}"


def document_text(document: Document, today: date, lang: str) -> str:
    """A document's name with its expiry in words."""
    name = printable(document.name)
    if document.expires_on is None:
        return name
    when = day(document.expires_on, lang)
    key = "expired" if document.expired(today) else "expiring" if document.expiring(today) else "expires"
    return f"{name} ({label(key, lang, day=when)})"


def status_text(tracking: Tracking, lang: str) -> str:
    return label(f"status_{tracking.status}", lang) if f"status_{tracking.status}" in labels() else tracking.status
