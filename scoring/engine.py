"""The scoring contract (docs/scoring.md), vectorised: one code path for one assessment or thousands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from scoring.model import NA, Standard
from scoring.readiness import Verdict

Level = int | str  # a level value, or "na"
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Layout:
    """A standard as arrays: criteria in the standard's order, each with its domain, weight and target."""

    criterion_ids: list[str]
    domain_ids: list[str]
    domain_of: np.ndarray
    weight: np.ndarray
    target: np.ndarray
    mandatory: np.ndarray
    domain_weight: np.ndarray
    domain_start: np.ndarray
    top: int
    levels: frozenset[int]

    @classmethod
    def of(cls, standard: Standard) -> Layout:
        pairs = standard.criteria()
        domain_index = {d.id: i for i, d in enumerate(standard.domains)}
        return cls(
            criterion_ids=[c.id for _, c in pairs],
            domain_ids=[d.id for d in standard.domains],
            domain_of=np.array([domain_index[d.id] for d, _ in pairs], dtype=np.intp),
            weight=np.array([c.weight for _, c in pairs], dtype=float),
            target=np.array([standard.target_of(c) for _, c in pairs], dtype=float),
            mandatory=np.array([c.mandatory for _, c in pairs], dtype=bool),
            domain_weight=np.array([d.weight for d in standard.domains], dtype=float),
            domain_start=np.cumsum([0] + [len(d.criteria) for d in standard.domains[:-1]]).astype(np.intp),
            top=standard.scale.top,
            levels=frozenset(standard.scale.values),
        )


def answers_frame(assessments: Mapping[Any, Mapping[str, Level]]) -> pd.DataFrame:
    """{assessment: {criterion: level}} as the long frame that `score` takes."""
    rows = [(a, c, level) for a, answers in assessments.items() for c, level in answers.items()]
    frame = pd.DataFrame(rows, columns=["assessment", "criterion", "level"])
    # Levels are a handful of values: as categories, `score` reads each distinct one once.
    frame["level"] = pd.Categorical(frame["level"])
    return frame


def score(standard: Standard, answers: pd.DataFrame, assessments: list[Any] | None = None) -> Scores:
    """Score every assessment in a long frame of answers (columns assessment, criterion, level).

    `assessments` fixes the order and includes assessments with no answer at all.
    """
    layout = Layout.of(standard)
    if assessments is None:
        row, uniques = pd.factorize(answers["assessment"], use_na_sentinel=False)
        ids = list(uniques.to_numpy())  # the order of first appearance, as pd.unique gives it
    else:
        ids = list(assessments)
        row = _positions(answers["assessment"], ids)
    col = _positions(answers["criterion"], layout.criterion_ids)
    if (row < 0).any():
        raise ValueError("answers mention an assessment that is not in `assessments`")
    if (col < 0).any():
        unknown = sorted(set(answers["criterion"][col < 0]))
        raise ValueError(f"unknown criteria for {standard.id} {standard.version}: {', '.join(map(str, unknown))}")
    shape = (len(ids), len(layout.criterion_ids))
    # In place: each array of one number per answer is megabytes at scale, and fresh memory costs page faults.
    cell = row.astype(np.intp)
    cell *= shape[1]
    cell += col
    level = np.full(shape, np.nan)
    answered = np.zeros(shape, dtype=bool)
    level.ravel()[cell] = _parse_levels(answers["level"], layout.levels)
    answered.ravel()[cell] = True
    # Every level on the scale is a number, so an answered cell without one is N/A (whichever row came last).
    na = answered & np.isnan(level)
    return Scores(standard, layout, ids, level, answered, na)


def joined(parts: list[Scores], rows: np.ndarray) -> Scores:
    """The `rows` of several scorings of one standard put end to end, as one: a row's scores are its own whatever
    rows are beside it (see Scores._per_domain), so this equals scoring those assessments at once."""
    first = parts[0]
    ids = [i for part in parts for i in part.assessment_ids]
    level, answered, na = (
        np.concatenate([getattr(part, name) for part in parts]) for name in ("level", "answered", "na")
    )
    return Scores(first.standard, first.layout, [ids[r] for r in rows], level[rows], answered[rows], na[rows])


def _positions(values: pd.Series, keys: list[Any]) -> np.ndarray:
    """The position in `keys` of every value (-1 where absent); `keys` must be unique.

    Index.get_indexer over every row turns an Arrow text column into Python objects one by one: Arrow looks the
    strings up in place instead, and any other column is factorized so that only its distinct values are looked up.
    """
    if _arrow_backed(values.dtype) and len(set(keys)) == len(keys):  # repeated keys: get_indexer refuses them
        import pyarrow as pa  # installed whenever a column is Arrow-backed
        import pyarrow.compute as pc

        column = pa.array(values.array)
        try:
            wanted = pa.array(keys, type=column.type)
        except pa.ArrowException:
            wanted = None  # keys of another type (integer ids against a text column): the general path decides
        if wanted is not None:
            found = pc.index_in(column, value_set=wanted)
            return (found.fill_null(-1) if found.null_count else found).to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return pd.Index(keys).get_indexer(uniques)[codes]


def _arrow_backed(dtype: Any) -> bool:
    return isinstance(dtype, pd.ArrowDtype) or (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")


def _parse_levels(values: pd.Series, levels: frozenset[int]) -> np.ndarray:
    """Each answer's level as a float, NaN for N/A; a level off the scale is refused."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        if not (codes < 0).any():  # a missing level is off the scale: the rule below says so with its value
            return _exact_levels(values.cat.categories.to_numpy(dtype=object), levels)[codes]
    raw = values.to_numpy()
    if raw.dtype == object:
        is_na = raw == NA
        try:
            numeric = np.where(is_na, np.nan, raw).astype(float)
        except (TypeError, ValueError):
            return _exact_levels(raw, levels)  # text that is not "na": the exact rule refuses it with its message
    else:
        is_na, numeric = np.zeros(raw.shape, dtype=bool), raw.astype(float)
    if (~is_na & ~np.isin(numeric, list(levels))).any():
        return _exact_levels(raw, levels)
    return numeric


def _exact_levels(raw: np.ndarray, levels: frozenset[int]) -> np.ndarray:
    """The rule itself, value by value: "na" is N/A (NaN), anything else must read as a number on the scale."""
    raw = pd.Series(raw, dtype=object)
    is_na = raw.eq(NA).to_numpy()
    numeric = pd.to_numeric(raw.where(~is_na), errors="coerce").to_numpy(dtype=float)
    bad = ~is_na & ~np.isin(numeric, list(levels))
    if bad.any():
        raise ValueError(f"levels not on the scale: {sorted(set(raw[bad].astype(str)))}")
    return numeric


def score_one(standard: Standard, answers: Mapping[str, Level]) -> Result:
    """Score one assessment ({criterion: level}) through the same path as many."""
    return score(standard, answers_frame({0: answers}), [0]).result(0)


@dataclass(frozen=True)
class Scores:
    """Scores of n assessments of one standard; arrays are (n, criteria) or (n, domains)."""

    standard: Standard
    layout: Layout
    assessment_ids: list[Any]
    level: np.ndarray  # NaN where unanswered or N/A
    answered: np.ndarray
    na: np.ndarray

    @cached_property
    def scored(self) -> np.ndarray:
        return ~np.isnan(self.level)

    def _per_domain(self, values: np.ndarray) -> np.ndarray:
        """Row-wise sums over each domain's criteria (contiguous in the standard's order).

        reduceat sums every row the same way whatever the number of rows; a matrix product would not (BLAS picks
        kernels by shape), and a member's score must be identical alone and in a batch.
        """
        return np.add.reduceat(values, self.layout.domain_start, axis=1)

    @cached_property
    def criterion_score(self) -> np.ndarray:
        return self.level / self.layout.top

    @cached_property
    def gap(self) -> np.ndarray:
        # NaN where not scored: the level is NaN there, and NaN survives the subtraction, maximum and division.
        gap = self.layout.target - self.level
        np.maximum(gap, 0.0, out=gap)
        gap /= self.layout.top
        return gap

    @cached_property
    def met(self) -> np.ndarray:
        return self.level >= self.layout.target  # False where not scored: NaN compares false

    @cached_property
    def _domain_weight_sum(self) -> np.ndarray:
        return self._per_domain(self.scored * self.layout.weight)

    def _domain_mean(self, values: np.ndarray) -> np.ndarray:
        weighted = self.layout.weight * values
        np.copyto(weighted, 0.0, where=~self.scored)  # values are NaN there
        total = self._per_domain(weighted)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self._domain_weight_sum > 0, total / self._domain_weight_sum, np.nan)

    @cached_property
    def domain_score(self) -> np.ndarray:
        return self._domain_mean(self.criterion_score)

    @cached_property
    def domain_gap(self) -> np.ndarray:
        return self._domain_mean(self.gap)

    @cached_property
    def domain_target(self) -> np.ndarray:
        """The target profile: weighted mean of target / L over the same scored criteria as the score."""
        return self._domain_mean(np.broadcast_to(self.layout.target / self.layout.top, self.level.shape))

    @cached_property
    def _scored_domain_weight(self) -> np.ndarray:
        """W_d for the domains that have a score, 0 for the others."""
        return np.where(self._domain_weight_sum > 0, self.layout.domain_weight, 0.0)

    @cached_property
    def _domain_share(self) -> np.ndarray:
        """W_d / Σ W_d' over the domains that have a score (0 for the others)."""
        weights = self._scored_domain_weight
        total = weights.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, weights / total, 0.0)

    @cached_property
    def overall(self) -> np.ndarray:
        weights = self._scored_domain_weight
        total = weights.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (weights * np.nan_to_num(self.domain_score)).sum(axis=1) / total, np.nan)

    @cached_property
    def impact(self) -> np.ndarray:
        # Each domain's figures spread over its criteria (contiguous, so a repeat, not a gather); in place, because
        # every (n, criteria) array is megabytes at scale.
        sizes = np.diff(self.layout.domain_start, append=len(self.layout.criterion_ids))
        with np.errstate(invalid="ignore", divide="ignore"):
            criterion_share = np.repeat(self._domain_weight_sum, sizes, axis=1)
            np.divide(self.layout.weight, criterion_share, out=criterion_share)
            impact = np.repeat(self._domain_share, sizes, axis=1)
            impact *= criterion_share
            impact *= self.gap
        np.copyto(impact, np.nan, where=~self.scored)  # one NaN everywhere, not whichever 0·∞ makes
        return impact

    @cached_property
    def coverage(self) -> np.ndarray:
        return np.count_nonzero(self.answered, axis=1) / len(self.layout.criterion_ids)

    @cached_property
    def blocking(self) -> np.ndarray:
        """Mandatory criteria that are scored and below target."""
        return self.layout.mandatory & self.scored & ~self.met

    @cached_property
    def readiness(self) -> np.ndarray:
        r = self.standard.readiness
        incomplete = (self.coverage < 1) | ~self.scored.any(axis=1)
        # A score that equals a threshold on paper may land a rounding error below it in floating point.
        overall = self.overall + TOLERANCE
        return np.select(
            [incomplete, self.blocking.any(axis=1), overall >= r.ready, overall >= r.progressing],
            ["incomplete", "not-ready", "ready", "progressing"],
            default="early",
        )

    def actions(self, i: int) -> list[str]:
        """Unmet criteria of assessment i: unmet mandatory first, then by impact, ties in standard order."""
        unmet = np.flatnonzero(self.scored[i] & ~self.met[i])
        order = np.lexsort((unmet, -self.impact[i, unmet], ~self.layout.mandatory[unmet]))
        return [self.layout.criterion_ids[j] for j in unmet[order]]

    def verdict(self, i: int) -> Verdict:
        r = self.standard.readiness
        ids = self.layout.criterion_ids
        blocking = [ids[j] for j in np.flatnonzero(self.blocking[i])]
        return Verdict(
            code=str(self.readiness[i]),
            overall=_num(self.overall[i]),
            ready_at=r.ready,
            progressing_at=r.progressing,
            unanswered=int((~self.answered[i]).sum()),
            total=len(ids),
            blocking=tuple(blocking),
            blocking_titles=tuple(self.standard.criterion(cid).title for cid in blocking),
        )

    def result(self, i: int) -> Result:
        return Result(self, i)

    def overall_frame(self) -> pd.DataFrame:
        """One row per assessment: overall, coverage, readiness, answered and scored counts."""
        return pd.DataFrame(
            {
                "assessment": self.assessment_ids,
                "overall": self.overall,
                "coverage": self.coverage,
                "readiness": self.readiness,
                "answered": self.answered.sum(axis=1),
                "scored": self.scored.sum(axis=1),
            }
        )

    def domain_frame(self) -> pd.DataFrame:
        """One row per assessment and domain: score and gap (NaN where the domain has no score)."""
        n, d = self.domain_score.shape
        return pd.DataFrame(
            {
                "assessment": np.repeat(np.array(self.assessment_ids, dtype=object), d),
                "domain": np.tile(self.layout.domain_ids, n),
                "score": self.domain_score.ravel(),
                "gap": self.domain_gap.ravel(),
                "target": self.domain_target.ravel(),
            }
        )


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


class Result:
    """One assessment's scores: a view on row i of a Scores."""

    def __init__(self, scores: Scores, i: int) -> None:
        self.scores, self.i = scores, i
        self.standard = scores.standard

    @property
    def overall(self) -> float | None:
        return _num(self.scores.overall[self.i])

    @property
    def coverage(self) -> float:
        return float(self.scores.coverage[self.i])

    @property
    def verdict(self) -> Verdict:
        return self.scores.verdict(self.i)

    @property
    def actions(self) -> list[str]:
        return self.scores.actions(self.i)

    @property
    def domains(self) -> pd.DataFrame:
        frame = self.scores.domain_frame()
        return (
            frame[frame["assessment"] == self.scores.assessment_ids[self.i]]
            .drop(columns="assessment")
            .reset_index(drop=True)
        )

    @property
    def criteria(self) -> pd.DataFrame:
        s, i = self.scores, self.i
        ids = s.layout.criterion_ids
        return pd.DataFrame(
            {
                "criterion": ids,
                "domain": np.array(s.layout.domain_ids)[s.layout.domain_of],
                "level": pd.Series(
                    [NA if s.na[i, j] else _level(s.level[i, j]) for j in range(len(ids))], dtype=object
                ),
                "score": s.criterion_score[i],
                "target": s.layout.target.astype(int),
                "gap": s.gap[i],
                # Nullable: an N/A or unanswered criterion is neither met nor unmet (scoring.md, "The command line").
                "met": pd.Series(s.met[i], dtype="boolean").mask(~s.scored[i]),
                "impact": s.impact[i],
                "mandatory": s.layout.mandatory,
            }
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `python -m scoring score` (scoring.md, "The command line")."""
        s, i = self.scores, self.i
        criteria = [
            {
                "id": row.criterion,
                "level": row.level,
                "score": _num(row.score),
                "target": int(row.target),
                "gap": _num(row.gap),
                "met": None if pd.isna(row.met) else bool(row.met),
                "impact": _num(row.impact),
            }
            for row in self.criteria.itertuples()
        ]
        return {
            "standard": {"id": self.standard.id, "version": self.standard.version},
            "overall": self.overall,
            "coverage": self.coverage,
            "readiness": str(s.readiness[i]),
            "domains": [
                {"id": d, "score": _num(s.domain_score[i, k]), "gap": _num(s.domain_gap[i, k])}
                for k, d in enumerate(s.layout.domain_ids)
            ],
            "criteria": criteria,
            "actions": self.actions,
        }


def _level(value: float) -> int | None:
    return None if np.isnan(value) else int(value)
