"""Every member assessment of one standard version, scored at once and kept up to date by scoring again only those
that changed: what the officers' named views, the released aggregates and the research files all read."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.compare import Cohort, benchmark_set
from scoring.engine import Scores, joined, score
from scoring.inflation import with_verified
from scoring.model import Standard
from scoring.profile import ISLAND_GROUPS
from services.metrics import PANEL_BUILDS
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


# Scoring more than this share of a version's assessments again costs about what scoring them all does.
WHOLE_SHARE = 0.2


@dataclass(frozen=True)
class _Part:
    """Some assessments of one standard version, read and scored: the frame (with each one's own figures), scores,
    verified levels."""

    frame: pd.DataFrame
    scores: Scores
    levels: pd.DataFrame


@dataclass(frozen=True)
class _Cached:
    stamp: int  # the panel stamp read before the panel's data: every change up to it is in the panel
    summary: tuple[int, int, int]  # Store.panel_summary, read after the stamp and before the panel's data
    at: float
    panel: Panel


class Panels:
    """The scored panels, one per standard version, keyed on the panel stamp (store.panel_version): when it moved,
    only the assessments changed since are read and scored again, and spliced in; or, with `max_age`, a panel is
    kept that many seconds anyway."""

    def __init__(self, store: Store, standard: Callable[[str, str], Standard | None]) -> None:
        self.store, self.standard = store, standard
        self.verified = VerifiedLevels(store)
        self._panels: dict[tuple[str, str, bool], _Cached] = {}
        self._lock = threading.Lock()

    def get(self, standard_id: str, version: str, max_age: float = 0.0, verified_only: bool = False) -> Panel | None:
        key = (standard_id, version, verified_only)
        with self._lock:
            cached = self._panels.get(key)
        if cached and max_age and time.monotonic() - cached.at <= max_age:
            return cached.panel
        stamp = self.store.panel_version()
        if cached and cached.stamp >= stamp:
            return cached.panel
        # Read before the panel's data: a change made meanwhile is newer than `stamp` and is read again next time.
        summary = self.store.panel_summary(standard_id, version)
        if cached and summary[:2] == cached.summary[:2] and summary[2] <= cached.stamp:
            panel = cached.panel  # the stamp moved for other versions' assessments
        else:
            standard = self.standard(standard_id, version)
            if standard is None:
                return None
            same = cached is not None and cached.panel.standard == standard
            panel = self._changed(cached, standard_id, version) if same else None
            PANEL_BUILDS.labels(kind="whole" if panel is None else "changed").inc()
            if panel is None:
                panel = self._finish(self._read(standard, standard_id, version, verified_only), verified_only)
        with self._lock:
            latest = self._panels.get(key)
            if latest is None or latest.stamp < stamp:  # another thread may have stored a newer one meanwhile
                self._panels[key] = _Cached(stamp, summary, time.monotonic(), panel)
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

    def _read(
        self, standard: Standard, standard_id: str, version: str, verified_only: bool, ids: list[int] | None = None
    ) -> _Part:
        """The member assessments of one standard version (those of `ids`, if given), read and scored."""
        frame = self.store.panel(standard_id, version, ids)
        frame = frame[frame["kind"] == "company"].reset_index(drop=True)
        frame["island_group"] = frame["province"].map(ISLAND_GROUPS.get).astype("str")
        frame["verified"] = frame["assessment"].isin(self.verified.finished(standard_id, version, ids))
        if verified_only:
            frame = frame[frame["verified"]].reset_index(drop=True)
        answers = self.store.answers_frame(standard_id, version, ids)
        kept = list(frame["assessment"])
        answers = answers[answers["assessment"].isin(set(kept))]
        levels = self.verified.levels(standard_id, version, ids=ids)
        levels = levels[levels["assessment"].isin(set(kept))].reset_index(drop=True)
        if verified_only:
            answers = with_verified(answers, levels)
        scores = score(standard, answers, kept)
        frame["coverage"] = scores.coverage
        frame["overall"] = scores.overall
        frame["readiness"] = scores.readiness
        frame["answered"] = scores.answered.sum(axis=1)
        frame["progress"] = [status_of(s, n) for s, n in zip(frame["status"], frame["answered"], strict=True)]
        return _Part(frame, scores, levels)

    def _changed(self, cached: _Cached, standard_id: str, version: str) -> Panel | None:
        """The cached panel with the assessments changed since its stamp scored again and those erased left out, in
        the panel's order; None when a whole build is as cheap (too much changed, or nothing of the panel is left)."""
        old = cached.panel
        order = self.store.panel_revisions(standard_id, version)
        changed = order.loc[order["revision"] > cached.stamp, "assessment"]
        if len(changed) > WHOLE_SHARE * len(order):
            return None
        kept = np.flatnonzero(old.frame["assessment"].isin(set(order["assessment"]) - set(changed)).to_numpy())
        if not len(kept):
            return None
        parts = [_Part(old.frame.iloc[kept], old.scores, old.verified_levels)]
        sources = [kept]  # the rows of each part's scores that the joined frame holds
        if len(changed):
            parts.append(self._read(old.standard, standard_id, version, old.verified_only, list(changed)))
            sources.append(len(old.scores.assessment_ids) + np.arange(len(parts[1].frame)))
        frame = pd.concat([part.frame for part in parts if len(part.frame)], ignore_index=True)
        position = pd.Series(np.arange(len(frame)), index=frame["assessment"].to_numpy())
        rows = position.loc[order.loc[order["assessment"].isin(position.index), "assessment"]].to_numpy()
        levels = [part.levels[part.levels["assessment"].isin(set(part.frame["assessment"]))] for part in parts]
        levels = pd.concat(levels, ignore_index=True)
        levels = levels.sort_values("assessment", kind="stable").reset_index(drop=True)
        levels["level"] = pd.Categorical(levels["level"].astype(object))
        scores = joined([part.scores for part in parts], np.concatenate(sources)[rows])
        return self._finish(_Part(frame.iloc[rows].reset_index(drop=True), scores, levels), old.verified_only)

    @staticmethod
    def _finish(part: _Part, verified_only: bool) -> Panel:
        """The panel of these scored assessments, with its benchmark set (chosen over all of them)."""
        frame = part.frame
        chosen = set(
            benchmark_set(frame[["assessment", "round", "coverage"]].assign(organization=frame["organization_id"]))
        )
        benchmark = np.flatnonzero(frame["assessment"].isin(chosen).to_numpy())
        return Panel(part.scores.standard, frame, part.scores, benchmark, part.levels, verified_only)
