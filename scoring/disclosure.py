"""The one place that decides what an aggregate may show: the threshold, secondary suppression, differencing,
pseudonymous ids and coarsened cohort fields. Every page, export and command asks here before it shows a figure."""

from __future__ import annotations

import hashlib
import hmac
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

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
    """Parts of a total that may not be shown, with the reason: each part under the threshold (primary), and when
    the total is shown and exactly one part is suppressed, the next smallest part too (secondary), so that no
    suppressed part can be recovered by subtracting the others from the total. Empty parts hold no one: they are
    neither suppressed nor used to cover another."""
    primary = {part for part, n in counts.items() if 0 < n < threshold}
    reasons: dict[Hashable, Issue] = {
        part: suppressed("disclosure.too-few", n=counts[part], threshold=threshold) for part in primary
    }
    if total_shown and len(primary) == 1:
        order = list(counts)
        others = [p for p in order if p not in primary and counts[p] > 0]
        if others:
            cover = min(others, key=lambda p: (counts[p], order.index(p)))
            reasons[cover] = suppressed("disclosure.secondary")
    return reasons


@dataclass
class Differencing:
    """Remembers the member sets one person was given statistics about; a new set that differs from one of them
    by fewer than `threshold` organizations (but is not the same set) is refused, since subtracting the two
    answers would describe those few. Kept per person in the application, for the last `memory` sets."""

    threshold: int = DEFAULT_THRESHOLD
    memory: int = 500
    _seen: deque[frozenset] = field(default_factory=deque)

    def check(self, members: Iterable[Hashable]) -> Issue | None:
        """None, and the set is remembered, when it may be answered; otherwise why not."""
        current = frozenset(members)
        for earlier in self._seen:
            differ = len(current ^ earlier)
            if 0 < differ < self.threshold:
                return suppressed("disclosure.differencing", differ=differ, threshold=self.threshold)
        if current not in self._seen:
            self._seen.append(current)
            if len(self._seen) > self.memory:
                self._seen.popleft()
        return None


def pseudonym(secret: str, kind: str, identifier: int | str) -> str:
    """A stable, keyed id for a researcher's data: the same organization gets the same id in every export made
    with the same secret, and without the secret the id says nothing about which one it is."""
    digest = hmac.new(secret.encode("utf-8"), f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()
    return f"{kind[0].upper()}{digest[:16]}"


# Size bands, coarser: each band of scoring.profile.SIZE_BANDS to its group.
COARSE_SIZE = {"1-4": "1-10", "5-10": "1-10", "11-50": "11-100", "51-100": "11-100", "101+": "101+"}
NATIONAL = "Indonesia"


def coarsen(cohort: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Cohort fields a researcher may see (columns province, island_group, size_band; one row per organization):
    rows whose combination as released is shared by fewer than `threshold` organizations are generalised one step
    at a time (province left out, leaving its island group; size band made coarser; island group made national;
    size band left out), each step only for the rows still in a class that small."""
    out = cohort.copy()
    for column in ("province", "island_group", "size_band"):
        out[column] = out[column].astype(object)
    steps = (
        ("province", lambda values: [None] * len(values)),
        ("size_band", lambda values: values.map(lambda band: COARSE_SIZE.get(band, band))),
        ("island_group", lambda values: [NATIONAL] * len(values)),
        ("size_band", lambda values: [None] * len(values)),
    )
    for column, generalise in steps:
        released = out[["province", "island_group", "size_band"]].fillna("").astype(str)
        small = released.groupby(list(released.columns), dropna=False).transform("size") < threshold
        if not small.any():
            break
        out.loc[small, column] = generalise(out.loc[small, column])
    return out
