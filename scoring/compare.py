"""Many assessments at once (docs/scoring.md): the benchmark set, cohorts and how they widen, percentiles and
quartiles, the research agenda. Pure: it takes the engine's Scores and a frame of members, never a database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.disclosure import DEFAULT_THRESHOLD, too_few
from scoring.engine import Scores
from scoring.issues import Issue
from scoring.model import Standard
from scoring.profile import ISLAND_GROUP_LABELS, ISLAND_GROUPS, SEGMENTS, SIZE_BANDS

MEMBER_COLUMNS = ["assessment", "organization", "province", "island_group", "size_band", "segments"]


def benchmark_set(assessments: pd.DataFrame) -> list:
    """Each organization's latest complete assessment (coverage 1) of one standard version: the ids, in the
    order given. `assessments` has columns assessment, organization, round, coverage."""
    complete = assessments[assessments["coverage"] >= 1]
    latest = complete.sort_values(["organization", "round"]).groupby("organization", sort=False).tail(1)
    keep = set(latest["assessment"])
    return [a for a in assessments["assessment"] if a in keep]


@dataclass(frozen=True)
class Cohort:
    """Members filtered by place (a province, an island group, or national), segments (any of) and size bands
    (any of). Empty means no filter on that field."""

    province: str | None = None
    island_group: str | None = None
    segments: tuple[str, ...] = ()
    size_bands: tuple[str, ...] = ()

    def mask(self, members: pd.DataFrame) -> np.ndarray:
        keep = np.ones(len(members), dtype=bool)
        if self.province:
            keep &= (members["province"] == self.province).to_numpy()
        if self.island_group:
            keep &= (members["island_group"] == self.island_group).to_numpy()
        if self.size_bands:
            keep &= members["size_band"].isin(self.size_bands).to_numpy()
        if self.segments:
            wanted = set(self.segments)
            keep &= np.array([bool(wanted & set(s or ())) for s in members["segments"]], dtype=bool)
        return keep

    @property
    def national(self) -> bool:
        return not (self.province or self.island_group)

    def describe(self, lang: str = "en") -> str:
        """The cohort in words, e.g. "EO companies in Jawa Barat; concerts & festivals; 11-50 staff"."""
        if self.province:
            place = _phrase("cohort.place", lang, name=self.province)
        elif self.island_group:
            place = _phrase("cohort.place", lang, name=ISLAND_GROUP_LABELS[self.island_group][lang])
        else:
            place = _phrase("cohort.national", lang)
        segments = (
            _phrase("cohort.segments", lang, names=[SEGMENTS[s][lang] for s in self.segments if s in SEGMENTS])
            if self.segments
            else _phrase("cohort.all-segments", lang)
        )
        sizes = (
            _phrase("cohort.sizes", lang, bands=self.size_bands)
            if self.size_bands
            else _phrase("cohort.all-sizes", lang)
        )
        return _phrase("cohort.sentence", lang, place=place, segments=segments, sizes=sizes)


def _phrase(code: str, lang: str, **params: object) -> str:
    return Issue("", "", code, params).message(lang)


def neighbouring(band: str) -> tuple[str, ...]:
    """A size band with the bands either side of it."""
    if band not in SIZE_BANDS:
        return ()
    i = SIZE_BANDS.index(band)
    return tuple(SIZE_BANDS[max(0, i - 1) : i + 2])


def ladder(province: str | None, size_band: str | None, segments: Sequence[str]) -> list[Cohort]:
    """From the company's own province, size band and segments to all members, one widening at a time as GRESB
    forms peer groups: place (province, island group, national), then segment (its own, all), then size band
    (its own, neighbouring, all). Steps that would repeat a cohort (a profile with a field missing) are left out."""
    segments = tuple(segments or ())
    island = ISLAND_GROUPS.get(province or "")
    own_size = (size_band,) if size_band else ()
    steps = [
        Cohort(province=province, segments=segments, size_bands=own_size),
        Cohort(island_group=island, segments=segments, size_bands=own_size),
        Cohort(segments=segments, size_bands=own_size),
        Cohort(size_bands=own_size),
        Cohort(size_bands=neighbouring(size_band or "")),
        Cohort(),
    ]
    out: list[Cohort] = []
    for step in steps:
        if step not in out:
            out.append(step)
    return out


@dataclass(frozen=True)
class Rung:
    cohort: Cohort
    n: int

    def large_enough(self, threshold: int) -> bool:
        return too_few(self.n, threshold) is None


def widen(
    members: pd.DataFrame, province: str | None, size_band: str | None, segments: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
) -> tuple[list[Rung], Rung | None]:  # fmt: skip
    """Every rung of the ladder with its size, and the first one that reaches the threshold (None: even all
    members are too few)."""
    rungs = [Rung(c, int(c.mask(members).sum())) for c in ladder(province, size_band, segments)]
    return rungs, next((r for r in rungs if r.large_enough(threshold)), None)


def percentile(value: float, others: Iterable[float]) -> float:
    """The share of the others whose score is lower than `value`, ties counted half, as a percentage."""
    others = np.asarray([o for o in others if not np.isnan(o)], dtype=float)
    if np.isnan(value) or len(others) == 0:
        return float("nan")
    lower = (others < value).sum() + 0.5 * (others == value).sum()
    return float(100.0 * lower / len(others))


def quartiles(values: Iterable[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile, linear interpolation (numpy's default)."""
    values = np.asarray([v for v in values if not np.isnan(v)], dtype=float)
    if len(values) == 0:
        return (float("nan"),) * 3  # type: ignore[return-value]
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return float(q1), float(median), float(q3)


@dataclass(frozen=True)
class Position:
    """One score of a member against its cohort: None fields when suppressed (see `suppressed`)."""

    value: float
    n: int
    percentile: float | None
    q1: float | None
    median: float | None
    q3: float | None
    suppressed: Issue | None


def position(value: float, others: np.ndarray, threshold: int = DEFAULT_THRESHOLD) -> Position:
    """A member's score against the other cohort members' scores (NaN where one has none): n counts the member
    itself; quartiles are of the whole cohort."""
    others = np.asarray(others, dtype=float)
    others = others[~np.isnan(others)]
    n = len(others) + (0 if np.isnan(value) else 1)
    reason = too_few(n, threshold)
    if reason is not None or np.isnan(value):
        return Position(value, n, None, None, None, None, reason)
    q1, median, q3 = quartiles(np.append(others, value))
    return Position(value, n, percentile(value, others), q1, median, q3, None)


def agenda(scores: Scores, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Per criterion, over the members in `rows` (all by default) for whom it is scored: `agenda` (mean impact,
    0 when met), `share_unmet` and `count`; ranked by agenda, then share unmet, then the standard's order."""
    rows = np.arange(len(scores.assessment_ids)) if rows is None else np.asarray(rows)
    scored = scores.scored[rows]
    count = scored.sum(axis=0)
    unmet = (scored & ~scores.met[rows]).sum(axis=0)
    impact = np.where(scored, np.nan_to_num(scores.impact[rows]), 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_impact = np.where(count > 0, impact / count, np.nan)
        share = np.where(count > 0, unmet / count, np.nan)
    layout = scores.layout
    frame = pd.DataFrame({
        "criterion": layout.criterion_ids, "domain": np.array(layout.domain_ids)[layout.domain_of],
        "agenda": mean_impact, "share_unmet": share, "unmet": unmet, "count": count,
        "order": np.arange(len(layout.criterion_ids)),
    })  # fmt: skip
    frame = frame[frame["count"] > 0]
    return frame.sort_values(["agenda", "share_unmet", "order"], ascending=[False, False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class Part:
    """One standard's benchmark scores and, per row, the organization it belongs to."""

    standard: Standard
    scores: Scores
    organizations: Sequence
    rows: np.ndarray | None = None


def capability_agenda(parts: Sequence[Part]) -> pd.DataFrame:
    """Per capability, across standards: `share_affected` (organizations missing any scored criterion that
    carries it / organizations with one scored), `agenda` (the summed agenda of those criteria) and `count`."""
    affected: dict[str, set] = {}
    counted: dict[str, set] = {}
    summed: dict[str, float] = {}
    for part in parts:
        rows = np.arange(len(part.scores.assessment_ids)) if part.rows is None else np.asarray(part.rows)
        orgs = np.asarray(part.organizations, dtype=object)[rows]
        per_criterion = agenda(part.scores, rows).set_index("criterion")["agenda"]
        index = {cid: j for j, cid in enumerate(part.scores.layout.criterion_ids)}
        for _, criterion in part.standard.criteria():
            j = index[criterion.id]
            scored = part.scores.scored[rows, j]
            unmet = scored & ~part.scores.met[rows, j]
            for capability in criterion.capabilities:
                counted.setdefault(capability, set()).update(orgs[scored])
                affected.setdefault(capability, set()).update(orgs[unmet])
                summed[capability] = summed.get(capability, 0.0) + float(per_criterion.get(criterion.id, 0.0))
    rows_out = [
        {"capability": cap, "share_affected": len(affected[cap]) / len(counted[cap]), "agenda": summed[cap],
         "affected": len(affected[cap]), "count": len(counted[cap])}
        for cap in counted if counted[cap]
    ]  # fmt: skip
    frame = pd.DataFrame(rows_out, columns=["capability", "share_affected", "agenda", "affected", "count"])
    return frame.sort_values(["agenda", "share_affected", "capability"], ascending=[False, False, True]).reset_index(
        drop=True
    )


def level_distribution(scores: Scores, rows: np.ndarray | None = None) -> pd.DataFrame:
    """Question-level benchmarking: per criterion, how many members gave each level (and N/A)."""
    rows = np.arange(len(scores.assessment_ids)) if rows is None else np.asarray(rows)
    levels = sorted(scores.layout.levels)
    out = []
    for j, cid in enumerate(scores.layout.criterion_ids):
        column = scores.level[rows, j]
        counts = {str(level): int((column == level).sum()) for level in levels}
        counts["na"] = int(scores.na[rows, j].sum())
        out.append({"criterion": cid, **counts})
    return pd.DataFrame(out, columns=["criterion", *map(str, levels), "na"])
