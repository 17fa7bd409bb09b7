"""The rules of what may leave the association: the threshold, complete secondary suppression, small cells,
differencing between releases, pseudonymous ids and the generalisation of quasi-identifiers. Pure: the gate that
applies them to every figure and file (services/gate.py) keeps what was released in the database."""

from __future__ import annotations

import calendar
import hashlib
import hmac
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from scoring.issues import Issue

DEFAULT_THRESHOLD = 5


def suppressed(code: str, **params: object) -> Issue:
    """Why a figure is not shown; it reads itself in English or Indonesian (scoring/messages.toml)."""
    return Issue("", "", code, params, severity="warning")


def too_few(n: int, threshold: int = DEFAULT_THRESHOLD) -> Issue | None:
    """A statistic needs at least `threshold` organizations (the member itself counts)."""
    return suppressed("disclosure.too-few", n=n, threshold=threshold) if n < threshold else None


def suppress_parts(
    counts: Mapping[Hashable, int], threshold: int = DEFAULT_THRESHOLD, total_shown: bool = True
) -> dict[Hashable, Issue]:
    """Parts of a total that may not be shown, with the reason: each part under the threshold (primary); and when
    the total is shown, the next smallest parts too (secondary) until the hidden parts together hold at least
    `threshold` organizations and there are at least two of them, so that subtracting the shown parts from the total
    gives only a sum of `threshold` or more. Empty parts hold no one: they are neither suppressed nor a cover."""
    order = list(counts)
    primary = [part for part in order if 0 < counts[part] < threshold]
    reasons: dict[Hashable, Issue] = {
        part: suppressed("disclosure.too-few", n=counts[part], threshold=threshold) for part in primary
    }
    if not total_shown or not primary:
        return reasons
    others = sorted((p for p in order if p not in reasons and counts[p] > 0), key=lambda p: (counts[p], order.index(p)))
    hidden = sum(counts[p] for p in reasons)
    while others and (hidden < threshold or len(reasons) < 2):
        cover = others.pop(0)
        reasons[cover] = suppressed("disclosure.secondary")
        hidden += counts[cover]
    return reasons


def suppress_cells(table: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """A table of counts whose rows are parts of a shown total (how many members gave each level of a criterion):
    each row's cells under the threshold, and their covers, become missing (primary and secondary suppression per
    row, so a hidden cell is never the row total minus the shown ones)."""
    out = table.astype(object).copy()
    for index, row in table.iterrows():
        for column in suppress_parts({c: int(row[c]) for c in table.columns}, threshold):
            out.at[index, column] = None
    return out


def shown_count(n: int, threshold: int = DEFAULT_THRESHOLD) -> int | None:
    """A count of organizations as it may be printed beside suppressed figures: None (say "fewer than k") when
    it is under the threshold, since the count itself would tell which small group it is."""
    return None if 0 < n < threshold else n


def conflict(current: frozenset, earlier: Iterable[frozenset], threshold: int = DEFAULT_THRESHOLD) -> Issue | None:
    """Differencing: a set of organizations that differs from one already released by 1..threshold-1 members may
    not be released, since subtracting the two answers would describe those few."""
    for released in earlier:
        differ = len(current ^ released)
        if 0 < differ < threshold:
            return suppressed("disclosure.differencing", differ=differ, threshold=threshold)
    return None


def pseudonym(secret: str, kind: str, identifier: int | str) -> str:
    """A stable, keyed id for a researcher's data: the same organization gets the same id in every export made
    with the same secret, and without the secret the id says nothing about which one it is."""
    digest = hmac.new(secret.encode("utf-8"), f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0].upper()}{digest[:16]}"


# Quasi-identifiers: the fields of a released row that, put together, could single out an organization. Each is a
# ladder of ever coarser forms (level 0 is the finest ever released; an exact date never is); `generalise` climbs
# them. A profile field added later gets its ladder here, and every research file and its statement follow.
COARSE_SIZE = {"1-4": "1-10", "5-10": "1-10", "11-50": "11-100", "51-100": "11-100", "101+": "101+"}
NATIONAL = "Indonesia"
SEVERAL = "several"


def _month(day: object) -> str | None:
    return None if day is None or pd.isna(day) else f"{day.year:04d}-{day.month:02d}"


def _quarter(day: object) -> str | None:
    return None if day is None or pd.isna(day) else f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _year(day: object) -> str | None:
    return None if day is None or pd.isna(day) else f"{day.year:04d}"


def _segments(segments: object) -> str | None:
    return ";".join(sorted(segments)) if isinstance(segments, (list, tuple)) and segments else None


def _segments_grouped(segments: object) -> str | None:
    chosen = _segments(segments)
    return SEVERAL if chosen and ";" in chosen else chosen


def period_bounds(periods: Iterable[object]) -> tuple[list, list]:
    """The first and last day of each released period ("2026-07", "2026-Q3", "2026"; None for none)."""
    first, last = [], []
    for period in periods:
        if not isinstance(period, str) or not period:
            first.append(None)
            last.append(None)
            continue
        year = int(period[:4])
        if "-Q" in period:
            start_month = 3 * (int(period[-1]) - 1) + 1
            end_month = start_month + 2
        elif len(period) == 7:
            start_month = end_month = int(period[5:7])
        else:
            start_month, end_month = 1, 12
        first.append(date(year, start_month, 1))
        last.append(date(year, end_month, calendar.monthrange(year, end_month)[1]))
    return first, last


@dataclass(frozen=True)
class QuasiIdentifier:
    """A released field: its column in the released table, the raw column it comes from and its ladder (per level
    its name, "English|Indonesian", and a function raw value -> released value; the last level releases nothing or
    one value for all)."""

    column: str
    source: str
    levels: tuple[tuple[str, Callable[[object], object]], ...]


QUASI_IDENTIFIERS: tuple[QuasiIdentifier, ...] = (
    QuasiIdentifier("province", "province", (("province|provinsi", lambda v: v or None),
                                             ("withheld|disembunyikan", lambda v: None))),
    QuasiIdentifier("island_group", "island_group", (("island group|kelompok pulau", lambda v: v or None),
                                                     ("national|nasional", lambda v: NATIONAL))),
    QuasiIdentifier("size_band", "size_band", (("size band|rentang ukuran", lambda v: v or None),
                                               ("wider band|rentang lebih lebar",
                                                lambda v: COARSE_SIZE.get(v, v) if v else None),
                                               ("withheld|disembunyikan", lambda v: None))),
    QuasiIdentifier("segments", "segments", (("segments|jenis acara", _segments),
                                             ("one segment or several|satu jenis atau several", _segments_grouped),
                                             ("withheld|disembunyikan", lambda v: None))),
    QuasiIdentifier("submitted", "submitted_at", (("month|bulan", _month), ("quarter|triwulan", _quarter),
                                                  ("year|tahun", _year), ("withheld|disembunyikan", lambda v: None))),
)  # fmt: skip
# The order in which fields are made coarser, for the rows still in too small a class: the least useful detail
# first; a province always goes before its island group, so a released province never names a withheld group.
STEPS: tuple[tuple[str, int], ...] = (
    ("submitted", 1), ("segments", 1), ("province", 1), ("submitted", 2), ("size_band", 1), ("segments", 2),
    ("island_group", 1), ("submitted", 3), ("size_band", 2),
)  # fmt: skip


@dataclass(frozen=True)
class Generalised:
    """Released quasi-identifiers, one row per input row: `values` (the released columns), `levels` (how coarse
    each is), `withheld` (rows in a class still under the threshold at the coarsest level: never released)."""

    values: pd.DataFrame
    levels: pd.DataFrame
    withheld: np.ndarray

    def described(self, lang: str) -> dict[str, str]:
        """Per quasi-identifier, in words: how many released rows are at each level that holds any."""
        kept = self.levels[~self.withheld]
        which = 0 if lang == "en" else 1
        rows = "rows" if lang == "en" else "baris"
        return {
            qi.column: "; ".join(f"{name.split('|')[which]}: {n} {rows}" for k, (name, _) in enumerate(qi.levels)
                                 if (n := int((kept[qi.column] == k).sum())))
            for qi in QUASI_IDENTIFIERS
        }  # fmt: skip


def release_values(raw: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """The released form of every quasi-identifier of each row at its level."""
    out = {}
    for qi in QUASI_IDENTIFIERS:
        source = raw[qi.source].tolist()
        level = levels[qi.column].to_numpy()
        out[qi.column] = [qi.levels[k][1](v) for v, k in zip(source, level, strict=True)]
    return pd.DataFrame(out, index=raw.index, dtype=object)


def class_sizes(values: pd.DataFrame, organizations: pd.Series) -> np.ndarray:
    """For each row, how many organizations share its released combination of quasi-identifiers."""
    if not len(values):
        return np.zeros(0, dtype=int)
    key = ["\x1f".join(map(str, row)) for row in zip(*(values[c].tolist() for c in values.columns), strict=True)]
    return pd.Series(organizations.to_numpy()).groupby(key).transform("nunique").to_numpy()


def generalise(raw: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD, start: pd.DataFrame | None = None) -> Generalised:
    """Make the quasi-identifiers of `raw` (columns organization_id and each QuasiIdentifier.source) coarse enough
    that every released combination is shared by at least `threshold` organizations: STEPS in order, each only
    for the rows still in too small a class; what is still too small at the end is withheld. `start` gives levels
    already decided (a filtered release starts from the whole version's), so a release is never finer than that."""
    levels = (
        pd.DataFrame(0, index=raw.index, columns=[qi.column for qi in QUASI_IDENTIFIERS])
        if start is None else start.loc[raw.index].copy()
    )  # fmt: skip
    organizations = raw["organization_id"]
    values = release_values(raw, levels)
    for column, level in STEPS:
        small = class_sizes(values, organizations) < threshold
        if not small.any():
            break
        rows = raw.index[small]
        levels.loc[rows, column] = np.maximum(levels.loc[rows, column], level)
        values = release_values(raw, levels)
    withheld = class_sizes(values, organizations) < threshold
    return Generalised(values, levels, withheld)
