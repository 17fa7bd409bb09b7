"""Synthetic member companies for demonstrations, tests and benchmarks: who they are, which standards they answer,
their rounds, levels, N/A and dates. Pure and deterministic: the same standards, seed and `now` give the same set.

The levels follow a model, not real data: a latent maturity per company that rises with its size band, segment
effects (crowd events stronger on crowd and safety, weddings weaker on formal systems), noise, and weaknesses most
members share (permit lead times, crowd management, measuring sustainability), so the association's pages have
something true-looking to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from scoring.crosswalk import excluded_by_segments
from scoring.model import Answer, Criterion, Standard
from scoring.profile import SEGMENTS, SIZE_BANDS

ASSOCIATION_NAME = "Asosiasi Demo Penyelenggara Acara Indonesia"

# Shares of the membership by province (they sum to 100): Java about 58, Bali 12, Sumatra 15, the rest spread.
PROVINCE_SHARES = {
    "DKI Jakarta": 20, "Jawa Barat": 13, "Jawa Timur": 11, "Jawa Tengah": 7, "Banten": 4, "DI Yogyakarta": 3,
    "Bali": 12,
    "Sumatera Utara": 4, "Sumatera Selatan": 2, "Riau": 2, "Kepulauan Riau": 2, "Sumatera Barat": 1.5,
    "Lampung": 1.5, "Aceh": 1, "Jambi": 0.5, "Kepulauan Bangka Belitung": 0.3, "Bengkulu": 0.2,
    "Sulawesi Selatan": 3, "Kalimantan Timur": 2, "Nusa Tenggara Barat": 2, "Sulawesi Utara": 1.2,
    "Nusa Tenggara Timur": 1, "Kalimantan Selatan": 1, "Kalimantan Barat": 1, "Papua": 0.6, "Sulawesi Tengah": 0.5,
    "Maluku": 0.4, "Kalimantan Tengah": 0.4, "Sulawesi Tenggara": 0.4, "Gorontalo": 0.2, "Maluku Utara": 0.2,
    "Sulawesi Barat": 0.2, "Kalimantan Utara": 0.2, "Papua Barat": 0.2, "Papua Barat Daya": 0.1, "Papua Tengah": 0.1,
    "Papua Pegunungan": 0.05, "Papua Selatan": 0.05,
}  # fmt: skip
SIZE_SHARES = {"1-4": 30, "5-10": 32, "11-50": 26, "51-100": 8, "101+": 4}
# Latent maturity (share of the top level) by size band, before noise.
SIZE_MATURITY = {"1-4": 0.48, "5-10": 0.55, "11-50": 0.63, "51-100": 0.71, "101+": 0.78}
SEGMENT_WEIGHTS = {
    "wedding-social": 30, "corporate": 30, "mice-meeting": 22, "concert-festival": 18, "public-community": 18,
    "conference": 14, "exhibition": 12, "sport": 8,
}  # fmt: skip

# Capabilities most members are weak on: permits and their lead times, crowd management, measuring sustainability.
SHARED_WEAKNESSES = frozenset(
    {"permit-management", "crowd-capacity", "crowd-flow", "stewarding", "carbon-measurement", "energy-water"}
)
WEAKNESS_EFFECT = -1.4  # in levels
CROWD_SAFETY = frozenset(
    {"crowd-capacity", "crowd-flow", "stewarding", "security-plan", "emergency-plan", "risk-assessment",
     "safety-plan", "medical-cover", "command-structure", "temporary-structures", "authority-liaison"}
)  # fmt: skip
FORMAL_SYSTEMS = frozenset(
    {"internal-audit", "management-review", "document-control", "sop-management", "kpi-monitoring",
     "objectives-targets", "continual-improvement", "nonconformity-correction", "legal-register"}
)  # fmt: skip
CLIENT_WORK = frozenset({"client-brief", "client-satisfaction", "written-contracts", "service-failure-handling"})
EXHIBITION_DATA = frozenset({"attendance-data", "exhibitor-data", "independent-audit"})
# Segment -> (capabilities, effect in levels) on criteria testing any of them.
SEGMENT_EFFECTS: dict[str, list[tuple[frozenset[str], float]]] = {
    "concert-festival": [(CROWD_SAFETY, 0.8)],
    "sport": [(CROWD_SAFETY, 0.8)],
    "public-community": [(CROWD_SAFETY, 0.3)],
    "wedding-social": [(FORMAL_SYSTEMS, -0.7), (CROWD_SAFETY, -0.3)],
    "mice-meeting": [(CLIENT_WORK, 0.5)],
    "conference": [(CLIENT_WORK, 0.4)],
    "corporate": [(CLIENT_WORK, 0.4), (FORMAL_SYSTEMS, 0.2)],
    "exhibition": [(EXHIBITION_DATA, 0.6)],
}
MANDATORY_EFFECT = 0.8  # companies see to the obligatory first
NOISE = 0.75  # per answer, in levels

# How likely a company answers each standard (by id); another standard of the library: OTHER_STANDARD.
STANDARD_CHANCE = {
    "id-licensing": 0.85, "event-safety": 0.72, "quality-client": 0.30, "iso-20121": 0.10,
    "eic-sustainable-events": 0.10,
}  # fmt: skip
OTHER_STANDARD = 0.3
EXHIBITION_STANDARD = "exhibition-data"  # answered only by exhibition companies
ROUND_STANDARDS = ("id-licensing", "event-safety")  # the ones a second round (T1) is taken of
TWO_ROUNDS = 0.30
INCOMPLETE = 0.15
NA_SHARE = 0.04  # of non-mandatory criteria, with a justification
DAYS = 365  # every date falls in the last year

LEGAL_FORMS = ("PT", "CV")
NAME_WORDS = (
    "Cahaya", "Acara", "Nusantara", "Kreasi", "Pesona", "Karya", "Gemilang", "Sinar", "Harmoni", "Cipta", "Pentas",
    "Semesta", "Lintas", "Abadi", "Kencana", "Prima", "Bintang", "Mitra", "Sejahtera", "Gelar", "Panggung", "Citra",
    "Pelangi", "Sentosa", "Wahana", "Gita", "Selaras", "Purnama", "Mahkota", "Samudra", "Rencana", "Sukses",
)  # fmt: skip
NA_REASONS = (
    "Kami tidak menyelenggarakan acara seperti ini.",
    "Semua acara kami di dalam gedung; pengelola gedung yang menangani hal ini.",
    "Belum relevan: acara kami kecil dan tanpa tiket berbayar.",
    "Ditangani sepenuhnya oleh klien atau venue, bukan oleh kami.",
)
SEGMENT_NA_REASON = "Tidak berlaku untuk jenis acara kami."
# The association verifies a share of the submitted assessments, a sample of criteria each, in a random stream of its
# own (the companies' levels stay what they were). Companies over-report more often than they under-report: the
# verified level is the claimed one lowered by 0, 1 or 2 levels, or raised by 1.
VERIFIED_SHARE = 0.2
VERIFIED_SAMPLE = 5
VERIFIED_SHIFT = {0: 0.55, -1: 0.30, -2: 0.05, 1: 0.10}
VERIFY_STREAM = 17


@dataclass(frozen=True)
class DemoAssessment:
    standard_id: str
    standard_version: str
    round: int
    status: str  # "submitted" when complete, "draft" when some criteria are unanswered
    answers: dict[str, Answer]  # each the company's own (origin None)
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    verified: dict[str, int] | None = None  # the association's verified levels of a sample, when it verified it


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    region: str
    size: str
    segments: tuple[str, ...]
    created_at: datetime
    maturity: float  # the latent maturity its levels were drawn around (share of the top level)
    assessments: tuple[DemoAssessment, ...]


@dataclass(frozen=True)
class DemoSet:
    seed: int
    organizations: tuple[DemoOrganization, ...]
    association: DemoAssessment | None  # the association's own standard, answered

    @property
    def assessment_count(self) -> int:
        return sum(len(o.assessments) for o in self.organizations) + (self.association is not None)

    @property
    def answer_count(self) -> int:
        own = len(self.association.answers) if self.association else 0
        return own + sum(len(a.answers) for o in self.organizations for a in o.assessments)


def quotas(shares: dict[str, float], n: int) -> list[str]:
    """`n` values in exact proportion to `shares` (largest remainders), in the order of `shares`."""
    total = sum(shares.values())
    exact = {k: n * v / total for k, v in shares.items()}
    counts = {k: int(x) for k, x in exact.items()}
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[: n - sum(counts.values())]:
        counts[k] += 1
    return [k for k in shares for _ in range(counts[k])]


def criterion_effect(criterion: Criterion, segments: Iterable[str]) -> float:
    """How much stronger (or weaker) than its maturity a company is on this criterion, in levels, before noise."""
    capabilities = set(criterion.capabilities)
    effect = WEAKNESS_EFFECT if capabilities & SHARED_WEAKNESSES else 0.0
    effect += MANDATORY_EFFECT if criterion.mandatory else 0.0
    segments = list(segments)
    for segment in segments:  # the mean over the company's segments: a mixed portfolio is a mixed profile
        for group, size in SEGMENT_EFFECTS.get(segment, []):
            if capabilities & group:
                effect += size / len(segments)
    return effect


def _names(rng: np.random.Generator, sizes: Sequence[str]) -> list[str]:
    """Plausible and clearly synthetic: "PT Demo Cahaya Acara 0042"; the number makes each unique."""
    width = max(4, len(str(len(sizes))))
    names = []
    for n, size in enumerate(sizes, start=1):
        form = "CV" if size in ("1-4", "5-10") and rng.random() < 0.6 else "PT"
        first, second = rng.choice(len(NAME_WORDS), size=2, replace=False)
        names.append(f"{form} Demo {NAME_WORDS[first]} {NAME_WORDS[second]} {n:0{width}d}")
    return names


def _segments(rng: np.random.Generator) -> tuple[str, ...]:
    ids = [s for s in SEGMENT_WEIGHTS if s in SEGMENTS]
    weights = np.array([SEGMENT_WEIGHTS[s] for s in ids], dtype=float)
    count = rng.choice([1, 2, 3], p=[0.45, 0.35, 0.20])
    chosen = rng.choice(len(ids), size=count, replace=False, p=weights / weights.sum())
    return tuple(ids[i] for i in sorted(chosen))


def _chosen_standards(rng: np.random.Generator, standards: Sequence[Standard], segments: tuple[str, ...],
                      size: str) -> list[Standard]:  # fmt: skip
    bigger = SIZE_BANDS.index(size) if size in SIZE_BANDS else 0
    chosen = []
    for standard in standards:
        if standard.id == EXHIBITION_STANDARD:
            chance = 0.65 if "exhibition" in segments else 0.0
        else:
            chance = STANDARD_CHANCE.get(standard.id, OTHER_STANDARD)
            if standard.id in ("iso-20121", "eic-sustainable-events"):
                chance += 0.05 * bigger  # larger firms take on management-system and sustainability standards
            if standard.id == "event-safety" and set(segments) & {"concert-festival", "sport", "public-community"}:
                chance = 0.95
        if rng.random() < chance:
            chosen.append(standard)
    return chosen or [next((s for s in standards if s.id == "id-licensing"), standards[0])]


class _Levels:
    """One standard as arrays, to draw a company's levels in one step."""

    def __init__(self, standard: Standard) -> None:
        self.standard = standard
        self.criteria = [c for _, c in standard.criteria()]
        self.domain = np.array([i for i, d in enumerate(standard.domains) for _ in d.criteria])
        self.domains = len(standard.domains)
        self.mandatory = np.array([c.mandatory for c in self.criteria])
        self.values = np.array(standard.scale.values, dtype=float)
        self._effects: dict[tuple[str, ...], np.ndarray] = {}

    def effects(self, segments: tuple[str, ...]) -> np.ndarray:
        if segments not in self._effects:
            self._effects[segments] = np.array([criterion_effect(c, segments) for c in self.criteria])
        return self._effects[segments]

    def draw(self, rng: np.random.Generator, maturity: float, segments: tuple[str, ...]) -> np.ndarray:
        """Level values: maturity × top, plus the criterion's effects, a per-domain lean and noise, on the scale."""
        lean = rng.normal(0.0, 0.3, self.domains)[self.domain]
        latent = maturity * self.values[-1] + self.effects(segments) + lean + rng.normal(0.0, NOISE, len(self.criteria))
        return self.snap(latent)

    def snap(self, latent: np.ndarray) -> np.ndarray:
        return self.values[np.abs(latent[:, None] - self.values[None, :]).argmin(axis=1)]


def _answers(rng: np.random.Generator, levels: _Levels, values: np.ndarray, segments: tuple[str, ...],
             answered: int, na: np.ndarray) -> dict[str, Answer]:  # fmt: skip
    """The first `answered` criteria (people answer in order, domain by domain): a level, or N/A with a reason."""
    excluded = excluded_by_segments(levels.standard, segments)
    answers = {}
    for k, criterion in enumerate(levels.criteria[:answered]):
        if criterion.id in excluded:
            answers[criterion.id] = Answer(level="na", justification=SEGMENT_NA_REASON)
        elif na[k]:
            answers[criterion.id] = Answer(level="na", justification=NA_REASONS[rng.integers(len(NA_REASONS))])
        else:
            answers[criterion.id] = Answer(level=int(values[k]))
    return answers


def generate(standards: Iterable[Standard], organizations: int, seed: int, *, now: datetime) -> DemoSet:
    """`organizations` synthetic member companies answering the company standards given (subject "organization"),
    and the association's own standard (the first with subject "association") answered, every date in the year
    before `now`. ValueError when there is no company standard."""
    standards = list(standards)
    company = [s for s in standards if s.subject == "organization"]
    own = next((s for s in standards if s.subject == "association"), None)
    if not company:
        raise ValueError("no company standard to answer")
    rng = np.random.default_rng(seed)
    regions = quotas(PROVINCE_SHARES, organizations)
    sizes = quotas(SIZE_SHARES, organizations)
    rng.shuffle(regions)
    rng.shuffle(sizes)
    names = _names(rng, sizes)
    arrays = {s.key: _Levels(s) for s in company + ([own] if own else [])}
    members = []
    for name, region, size in zip(names, regions, sizes, strict=True):
        segments = _segments(rng)
        maturity = float(np.clip(SIZE_MATURITY[size] + rng.normal(0.0, 0.12), 0.1, 0.95))
        created = now - timedelta(days=float(rng.uniform(120, DAYS)))
        chosen = _chosen_standards(rng, company, segments, size)
        repeat = [s for s in chosen if s.id in ROUND_STANDARDS] if rng.random() < TWO_ROUNDS else []
        second = repeat[rng.integers(len(repeat))] if repeat else None
        assessments = []
        for standard in chosen:
            levels = arrays[standard.key]
            values = levels.draw(rng, maturity, segments)
            na = (rng.random(len(levels.criteria)) < NA_SHARE) & ~levels.mandatory
            start = created + timedelta(days=float(rng.uniform(0, 20)))
            if standard is second:  # T0 complete and submitted, T1 some months later
                first = _answers(rng, levels, values, segments, len(values), na)
                assessments.append(_assessment(standard, 1, first, start, now, rng, complete=True))
                later = _improved(rng, levels, values)
                t1 = min(start + timedelta(days=float(rng.uniform(90, 200))), now - timedelta(days=2))
                answered = _answered_count(rng, len(values))
                answers = _answers(rng, levels, later, segments, answered, na)
                assessments.append(_assessment(standard, 2, answers, t1, now, rng, complete=answered == len(values)))
            else:
                answered = _answered_count(rng, len(values))
                answers = _answers(rng, levels, values, segments, answered, na)
                assessments.append(_assessment(standard, 1, answers, start, now, rng, complete=answered == len(values)))
        members.append(DemoOrganization(name, region, size, segments, created, maturity, tuple(assessments)))
    association = None
    if own is not None:
        levels = arrays[own.key]
        values = levels.draw(rng, 0.55, ())
        answers = _answers(rng, levels, values, (), len(values), np.zeros(len(values), dtype=bool))
        association = _assessment(own, 1, answers, now - timedelta(days=60), now, rng, complete=True)
    return DemoSet(seed, _verified(seed, members, arrays), association)


def _verified(seed: int, members: list[DemoOrganization], arrays: dict) -> tuple[DemoOrganization, ...]:
    """The members with a share of their submitted assessments verified (VERIFIED_SHIFT from the claimed level)."""
    rng = np.random.default_rng([seed, VERIFY_STREAM])
    shifts, chances = list(VERIFIED_SHIFT), list(VERIFIED_SHIFT.values())
    out = []
    for member in members:
        assessments = []
        for a in member.assessments:
            rated = [cid for cid, answer in a.answers.items() if not answer.is_na]
            if a.status == "submitted" and rated and rng.random() < VERIFIED_SHARE:
                drawn = set(rng.choice(rated, size=min(VERIFIED_SAMPLE, len(rated)), replace=False).tolist())
                sample = [c for c in rated if c in drawn]  # in the standard's order, as a verification keeps it
                scale = arrays[(a.standard_id, a.standard_version)].values  # every scale is 0..L in steps of 1
                found = {str(c): int(np.clip(a.answers[c].level + rng.choice(shifts, p=chances), scale[0], scale[-1]))
                         for c in sample}  # fmt: skip
                a = replace(a, verified=found, status="verified")  # final, as the Verify page leaves it
            assessments.append(a)
        out.append(replace(member, assessments=tuple(assessments)))
    return tuple(out)


def _answered_count(rng: np.random.Generator, criteria: int) -> int:
    """All of them, or for an incomplete assessment between a fifth and nine tenths."""
    if rng.random() >= INCOMPLETE:
        return criteria
    return int(rng.integers(max(1, criteria // 5), max(2, criteria * 9 // 10)))


def _improved(rng: np.random.Generator, levels: _Levels, values: np.ndarray) -> np.ndarray:
    """The second round: most companies improve, some stay where they were, a few slip back."""
    kind = rng.choice(["better", "same", "worse"], p=[0.75, 0.15, 0.10])
    if kind == "same":
        return values.copy()
    shift = rng.uniform(0.4, 1.2) if kind == "better" else -rng.uniform(0.3, 0.8)
    return levels.snap(values + shift + rng.normal(0.0, 0.4, len(values)))


def _assessment(standard: Standard, round_: int, answers: dict[str, Answer], start: datetime, now: datetime,
                rng: np.random.Generator, complete: bool) -> DemoAssessment:  # fmt: skip
    updated = min(start + timedelta(days=float(rng.uniform(1, 21))), now - timedelta(hours=1))
    return DemoAssessment(
        standard.id, standard.version, round_, "submitted" if complete else "draft", answers, start, updated,
        updated if complete else None,
    )  # fmt: skip
