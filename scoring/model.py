"""Pydantic models of a standard and of an assessment file (docs: standard-format.md)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

LANGUAGES = ("id", "en")
ASSESSMENT_FORMAT = "gapura.assessment/1"
# Bounds no real standard comes near; they keep absurd numbers (10^300, 1e308, Infinity) out of the engine.
MAX_LEVEL = 100
MAX_WEIGHT = 1000

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")]
LocalizedText = NonEmpty | dict[LanguageCode, NonEmpty]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]
ScaleValue = Annotated[int, Field(ge=0, le=MAX_LEVEL)]
Weight = Annotated[float, Field(gt=0, le=MAX_WEIGHT, allow_inf_nan=False)]
Fraction = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


def localize(text: LocalizedText | None, lang: str) -> str:
    """The text in `lang`, else English, else Indonesian, else any language given."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    for code in (lang, "en", "id"):
        if text.get(code):
            return text[code]
    return next(iter(text.values()), "")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(Strict):
    value: ScaleValue
    label: LocalizedText


DEFAULT_LEVELS = [
    Level(value=0, label={"en": "Not in place", "id": "Belum ada"}),
    Level(value=1, label={"en": "Ad hoc", "id": "Sesekali"}),
    Level(value=2, label={"en": "Documented", "id": "Terdokumentasi"}),
    Level(value=3, label={"en": "Implemented", "id": "Diterapkan"}),
    Level(value=4, label={"en": "Measured & improved", "id": "Diukur & ditingkatkan"}),
]


class Scale(Strict):
    levels: list[Level] = Field(default_factory=lambda: list(DEFAULT_LEVELS), min_length=2)

    @field_validator("levels")
    @classmethod
    def _from_zero_increasing(cls, levels: list[Level]) -> list[Level]:
        values = [level.value for level in levels]
        # The error type is the issue code (scoring/messages.toml), so the loader can explain it in either language.
        if values[0] != 0:
            raise PydanticCustomError(
                "scale.lowest-not-zero", "the lowest level must have value 0, not {value}", {"value": values[0]}
            )
        if any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise PydanticCustomError(
                "scale.not-increasing",
                "level values must increase strictly from 0; got {values}",
                {"values": str(values)},
            )
        return levels

    @property
    def top(self) -> int:
        """L in scoring.md: the highest level value."""
        return self.levels[-1].value

    @property
    def values(self) -> list[int]:
        return [level.value for level in self.levels]

    def label(self, value: int, lang: str) -> str:
        for level in self.levels:
            if level.value == value:
                return localize(level.label, lang)
        return str(value)


class Readiness(Strict):
    ready: Fraction = 0.75
    progressing: Fraction = 0.5


class Source(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)
    name: NonEmpty
    url: str | None = None
    note: str | None = None


class Criterion(Strict):
    id: ItemId
    title: LocalizedText
    description: LocalizedText | None = None
    guidance: LocalizedText | None = None
    evidence: list[LocalizedText] = Field(default_factory=list)
    levels: dict[ScaleValue, LocalizedText] = Field(default_factory=dict)
    weight: Weight = 1
    mandatory: bool = False
    target: ScaleValue | None = None
    references: list[NonEmpty] = Field(default_factory=list)
    capabilities: list[Slug] = Field(default_factory=list)
    # The event segments the criterion applies to (scoring/profile.py SEGMENTS); empty means every segment.
    applies_to: list[Slug] = Field(default_factory=list)


class Domain(Strict):
    id: ItemId
    title: LocalizedText
    description: LocalizedText | None = None
    weight: Weight = 1
    criteria: list[Criterion] = Field(min_length=1)


class Standard(BaseModel):
    """One version of a standard. Unknown top-level keys are kept (and warned about by the loader)."""

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    schema_: str | None = Field(default=None, alias="$schema")
    id: Slug
    version: NonEmpty
    title: LocalizedText
    description: LocalizedText | None = None
    publisher: NonEmpty | None = None
    source: Source | None = None
    # Who answers it: a company ("organization") or the national association ("association").
    subject: Literal["organization", "association"] = "organization"
    scale: Scale = Field(default_factory=Scale)
    readiness: Readiness = Field(default_factory=Readiness)
    domains: list[Domain] = Field(min_length=1)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def criteria(self) -> list[tuple[Domain, Criterion]]:
        """Every criterion with its domain, in the standard's order."""
        return [(domain, criterion) for domain in self.domains for criterion in domain.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        return next((c for _, c in self.criteria() if c.id == criterion_id), None)

    def target_of(self, criterion: Criterion) -> int:
        return self.scale.top if criterion.target is None else criterion.target

    @property
    def criteria_count(self) -> int:
        return sum(len(domain.criteria) for domain in self.domains)


class StandardRef(Strict):
    id: Slug
    version: NonEmpty


# Invisible in a name: zero-width characters, byte-order mark, and the bidirectional marks, embeddings, overrides
# and isolates (U+202E would show the rest of a name reversed).
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


class Organization(BaseModel):
    """Who an assessment is for. Texts are cleaned as the store keeps them, and fit its columns."""

    model_config = ConfigDict(extra="allow", frozen=True)
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    region: Annotated[str, StringConstraints(max_length=100)] | None = None
    size: Annotated[str, StringConstraints(max_length=20)] | None = None
    segments: list[Annotated[str, StringConstraints(max_length=60)]] = Field(default_factory=list, max_length=50)

    @staticmethod
    def clean(text: str) -> str:
        """NFKC; zero-width, direction and control characters removed; single spaces, none at the ends. Names
        that look the same are the same name, and none can reverse the text shown after it."""
        text = unicodedata.normalize("NFKC", text)
        kept = (c for c in text if c.isspace() or not (unicodedata.category(c) == "Cc" or c in _INVISIBLE))
        return " ".join("".join(kept).split())

    @field_validator("name", "region", "size", mode="before")
    @classmethod
    def _cleaned(cls, value: Any) -> Any:
        return cls.clean(value) if isinstance(value, str) else value

    @field_validator("segments", mode="before")
    @classmethod
    def _segments_cleaned(cls, value: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            return value
        return [cls.clean(item) if isinstance(item, str) else item for item in value]

    @field_validator("name")
    @classmethod
    def _key_fits(cls, name: str) -> str:
        # Names are compared casefolded (ß -> ss), and the store keeps that key in 200 characters too.
        if len(name.casefold()) > 200:
            raise PydanticCustomError(
                "organization.name-key-too-long", "the name is too long once case is folded", {"max": 200}
            )
        return name


NA = "na"
MAX_NOTE = 5000
MAX_JUSTIFICATION = 2000
MAX_EVIDENCE_LINES = 50
MAX_EVIDENCE_LINE = 1000
# A line that starts like a link ("javascript:...", "data:...") must be an http(s) link; document names may stay.
LevelValue = Annotated[StrictInt, Field(ge=0, le=MAX_LEVEL)]
# Spaces at the ends, including the invisible ones a copy-paste brings (zero-width space, word joiner, BOM).
_ENDS = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]")
# Line breaks as a note keeps them: CRLF, CR, and the vertical tab Word pastes for a manual line break become LF.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85]")
# Every other control character (C0, DEL, C1) but the tab: invisible, and PostgreSQL refuses NUL in text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(text: str) -> str:
    """Text as an answer keeps it: line breaks as LF, tabs kept, no other control character."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", text))


class Answer(BaseModel):
    """One answer, the only form an answer takes at run time: in files, in the database, in a browser tab.

    Cleaned once, here: control characters removed (line breaks kept, as LF), texts stripped, blank evidence lines
    dropped, evidence given as text split into lines, links only over http(s); a level is a whole number (not "3"
    or true) or "na"."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    level: LevelValue | Literal["na"] | None = None
    justification: str = Field(default="", max_length=MAX_JUSTIFICATION)
    note: str = Field(default="", max_length=MAX_NOTE)
    evidence: tuple[Annotated[str, StringConstraints(max_length=MAX_EVIDENCE_LINE)], ...] = Field(
        default=(), max_length=MAX_EVIDENCE_LINES
    )
    # Where a not-yet-confirmed answer came from ("round", "segment", "capability:STANDARD/CRITERION"); None once
    # the company gives or confirms it. Never read from a file.
    origin: str | None = Field(default=None, exclude=True)
    updated_at: datetime | None = Field(default=None, exclude=True)  # when it was last written, if stored

    @field_validator("justification", "note", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return "" if value is None else _ENDS.sub("", plain_text(value)) if isinstance(value, str) else value

    @field_validator("evidence", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        if value is None:
            return ()
        if isinstance(value, str):
            value = plain_text(value).splitlines()
        if not isinstance(value, (list, tuple)):
            return value
        lines = [_ENDS.sub("", plain_text(line)) if isinstance(line, str) else line for line in value]
        return tuple(line for line in lines if line != "")

    @field_validator("evidence")
    @classmethod
    def _links(cls, lines: tuple[str, ...]) -> tuple[str, ...]:
        for line in lines:
            if _SCHEME.match(line) and not line.lower().startswith(("http://", "https://")):
                raise PydanticCustomError(
                    "answer.evidence-link",
                    "evidence links must start with http:// or https://, not {value}",
                    {"value": repr(line[:40])},
                )
        return lines

    @property
    def is_na(self) -> bool:
        return self.level == NA

    @property
    def given(self) -> bool:
        """It counts as answered: a level, or N/A with a justification."""
        return self.level is not None and (self.level != NA or bool(self.justification))

    def but(self, **changes: Any) -> Answer:
        """This answer with some fields changed, cleaned again."""
        return Answer.model_validate(self.model_dump() | {"origin": self.origin, "updated_at": None} | changes)


class FiledAnswer(Answer):
    """An answer in an assessment file, where a criterion left out is unanswered, so a level is required."""

    level: LevelValue | Literal["na"]


class AssessmentFile(BaseModel):
    """What a company downloads and an officer uploads (standard-format.md, "The assessment file")."""

    model_config = ConfigDict(extra="allow", frozen=True)
    format: Literal["gapura.assessment/1"] = ASSESSMENT_FORMAT
    standard: StandardRef
    organization: Organization
    assessed_at: datetime | None = None
    answers: dict[ItemId, FiledAnswer] = Field(default_factory=dict)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a standard file, for editors (written to standards/standard.schema.json)."""
    schema = Standard.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Gapura standard"
    schema["description"] = (
        "One version of a standard for Gapura. Generated from scoring/model.py by "
        "`python -m scoring schema`; do not edit by hand."
    )
    return schema
