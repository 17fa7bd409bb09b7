"""Every member assessment of one standard version, scored at once and cached until one of them changes: what the
officers' named views, the released aggregates and the research files all read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.compare import Cohort, benchmark_set
from scoring.engine import Scores, score
from scoring.inflation import with_verified
from scoring.model import Standard
from scoring.profile import ISLAND_GROUPS
from store.repository import NotFound, Store
from store.verified import VerifiedLevels


@dataclass(frozen=True)
class Filters:
    """An officer's or researcher's choice of members: empty fields do not filter."""

    province: str | None = None
    island_group: str | None = None
    size_band: str | None = None
    segment: str | None = None

    @property
    def cohort(self) -> Cohort:
        return Cohort(
            province=self.province or None,
            island_group=self.island_group or None,
            segments=(self.segment,) if self.segment else (),
            size_bands=(self.size_band,) if self.size_band else (),
        )

    @property
    def key(self) -> str:
        """The filters as part of a release's query (services/gate.py)."""
        return "|".join(v or "" for v in (self.province, self.island_group, self.size_band, self.segment))


@dataclass(frozen=True)
class Panel:
    """Every member assessment of one standard version, scored at once: `frame` has one row per assessment in
    the order of `scores` (its column `verified`: the verification is finished); `benchmark` are the rows of the
    benchmark set; `verified_levels` the long frame of their verified levels. A verified-only panel holds the
    verified assessments alone, each scored with its verified levels in place of the company's own."""

    standard: Standard
    frame: pd.DataFrame
    scores: Scores
    benchmark: np.ndarray
    verified_levels: pd.DataFrame
    verified_only: bool = False

    def rows(self, filters: Filters, benchmark: bool = True) -> np.ndarray:
        keep = filters.cohort.mask(self.frame)
        if benchmark:
            in_set = np.zeros(len(self.frame), dtype=bool)
            in_set[self.benchmark] = True
            keep &= in_set
        return np.flatnonzero(keep)

    def organizations(self, rows: np.ndarray) -> frozenset[int]:
        return frozenset(int(o) for o in self.frame["organization_id"].iloc[rows])

    def among(self, rows: np.ndarray, organizations: frozenset[int]) -> np.ndarray:
        """The rows that belong to these organizations (those a gate cleared)."""
        return rows[self.frame["organization_id"].iloc[rows].isin(organizations).to_numpy()]


def status_of(status: str, answered: int) -> str:
    """not-started, in-progress, submitted or verified, as the Members page shows it."""
    if status in ("submitted", "verified"):
        return status
    return "in-progress" if answered else "not-started"


class Panels:
    """The scored panels, one per standard version, rebuilt only when one of its assessments or their organizations
    changed (one cheap query tells), or, with `max_age`, kept that many seconds anyway."""

    def __init__(self, store: Store, standard: Callable[[str, str], Standard | None]) -> None:
        self.store, self.standard = store, standard
        self.verified = VerifiedLevels(store)
        self._panels: dict[tuple[str, str, bool], tuple[tuple, float, Panel]] = {}
        self._lock = threading.Lock()

    def get(self, standard_id: str, version: str, max_age: float = 0.0, verified_only: bool = False) -> Panel | None:
        with self._lock:
            cached = self._panels.get((standard_id, version, verified_only))
        if cached and max_age and time.monotonic() - cached[1] <= max_age:
            return cached[2]
        key = self.store.panel_version(standard_id, version)
        if cached and cached[0] == key:
            return cached[2]
        standard = self.standard(standard_id, version)
        if standard is None:
            return None
        panel = self._build(standard, standard_id, version, verified_only)
        with self._lock:
            self._panels[(standard_id, version, verified_only)] = (key, time.monotonic(), panel)
        return panel

    def require(self, standard_id: str, version: str, verified_only: bool = False) -> Panel:
        panel = self.get(standard_id, version, verified_only=verified_only)
        if panel is None:
            raise NotFound(f"{standard_id} {version}")
        return panel

    def forget(self) -> None:
        """Drop every cached panel (the benchmark times a cold one)."""
        with self._lock:
            self._panels.clear()

    def _build(self, standard: Standard, standard_id: str, version: str, verified_only: bool) -> Panel:
        frame = self.store.panel(standard_id, version)
        frame = frame[frame["kind"] == "company"].reset_index(drop=True)
        frame["island_group"] = frame["province"].map(lambda p: ISLAND_GROUPS.get(p or ""))
        frame["verified"] = frame["assessment"].isin(self.verified.finished(standard_id, version))
        if verified_only:
            frame = frame[frame["verified"]].reset_index(drop=True)
        answers = self.store.answers_frame(standard_id, version)
        ids = list(frame["assessment"])
        answers = answers[answers["assessment"].isin(set(ids))]
        levels = self.verified.levels(standard_id, version)
        levels = levels[levels["assessment"].isin(set(ids))].reset_index(drop=True)
        if verified_only:
            answers = with_verified(answers, levels)
        scores = score(standard, answers, ids)
        frame["coverage"] = scores.coverage
        frame["overall"] = scores.overall
        frame["readiness"] = scores.readiness
        frame["answered"] = scores.answered.sum(axis=1)
        frame["progress"] = [status_of(s, n) for s, n in zip(frame["status"], frame["answered"], strict=True)]
        chosen = set(
            benchmark_set(frame[["assessment", "round", "coverage"]].assign(organization=frame["organization_id"]))
        )
        benchmark = np.flatnonzero(frame["assessment"].isin(chosen).to_numpy())
        return Panel(standard, frame, scores, benchmark, levels, verified_only)
