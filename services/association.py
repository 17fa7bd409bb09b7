"""The association's side: every member's standing, comparisons, the gaps most members share, progress between
rounds and a company's own benchmark. Every figure comes from the one engine; every cohort statistic passes
scoring/disclosure.py; who may see what is the policy's."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scoring.assessment import counted_levels
from scoring.compare import Cohort, Part, Position, Rung, agenda, benchmark_set, capability_agenda, percentile, position
from scoring.compare import ladder as cohort_ladder
from scoring.compare import level_distribution as levels_of
from scoring.disclosure import Differencing, suppress_parts, too_few
from scoring.engine import Scores, score, score_one
from scoring.issues import Issue
from scoring.model import Standard
from scoring.profile import ISLAND_GROUPS
from services.policy import Actor, Target, allowed, ensure, guarded
from store.repository import NotFound, Store

# A change smaller than half a percentage point shows as no change (scores are shown without decimals).
UNCHANGED = 0.005
# How old the other companies' scores on a company's benchmark may be, in seconds.
PEERS_MAX_AGE = 300.0


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


@dataclass(frozen=True)
class Panel:
    """Every member assessment of one standard version, scored at once: `frame` has one row per assessment in
    the order of `scores`; `benchmark` are the rows of the benchmark set."""

    standard: Standard
    frame: pd.DataFrame
    scores: Scores
    benchmark: np.ndarray

    def rows(self, filters: Filters, benchmark: bool = True) -> np.ndarray:
        keep = filters.cohort.mask(self.frame)
        if benchmark:
            in_set = np.zeros(len(self.frame), dtype=bool)
            in_set[self.benchmark] = True
            keep &= in_set
        return np.flatnonzero(keep)


@dataclass(frozen=True)
class Gaps:
    """The research agenda of one cohort: per criterion, per capability, and the levels given."""

    standard: Standard
    n: int
    members: int
    criteria: pd.DataFrame
    levels: pd.DataFrame
    suppressed: Issue | None = None


@dataclass(frozen=True)
class Benchmark:
    """A company against similar companies: the cohorts it may choose, the one used, its positions."""

    rungs: list[Rung]
    cohort: Rung | None
    overall: Position | None = None
    domains: dict[str, Position] = field(default_factory=dict)
    gaps: dict[str, Position] = field(default_factory=dict)
    suppressed: Issue | None = None


def status_of(status: str, answered: int) -> str:
    """not-started, in-progress or submitted, as the Members page shows it."""
    if status == "submitted":
        return "submitted"
    return "in-progress" if answered else "not-started"


class Association:
    def __init__(
        self, store: Store, standard: Callable[[str, str], Standard | None], threshold: Callable[[], int]
    ) -> None:
        self.store, self.standard, self.threshold = store, standard, threshold
        self._panels: dict[tuple[str, str], tuple[tuple, float, Panel]] = {}
        self._lock = threading.Lock()
        self._guards: OrderedDict[str, Differencing] = OrderedDict()

    # -- reading, scored once per change of the data ------------------------------------------------------------

    def panel(self, standard_id: str, version: str, max_age: float = 0.0) -> Panel | None:
        """The scored panel of one standard version, rebuilt only when one of its assessments or their
        organizations changed (one cheap query otherwise), or, with `max_age`, kept that many seconds anyway."""
        with self._lock:
            cached = self._panels.get((standard_id, version))
        if cached and max_age and time.monotonic() - cached[1] <= max_age:
            return cached[2]
        key = self.store.panel_version(standard_id, version)
        if cached and cached[0] == key:
            return cached[2]
        standard = self.standard(standard_id, version)
        if standard is None:
            return None
        frame = self.store.panel(standard_id, version)
        frame = frame[frame["kind"] == "company"].reset_index(drop=True)
        frame["island_group"] = frame["province"].map(lambda p: ISLAND_GROUPS.get(p or ""))
        answers = self.store.answers_frame(standard_id, version)
        ids = list(frame["assessment"])
        answers = answers[answers["assessment"].isin(set(ids))]
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
        panel = Panel(standard, frame, scores, benchmark)
        with self._lock:
            self._panels[(standard_id, version)] = (key, time.monotonic(), panel)
        return panel

    def _guard(self, actor: Actor) -> Differencing | None:
        """Differencing applies to those who may not read members one by one (researchers, companies), per person
        (not per tab: a new tab must not forget what the person saw)."""
        if allowed(actor, "read", "member_overview"):
            return None
        who = str(actor.user_id) if actor.user_id is not None else actor.label
        with self._lock:
            guard = self._guards.pop(who, None) or Differencing(self.threshold())
            self._guards[who] = guard
            while len(self._guards) > 1000:
                self._guards.popitem(last=False)
        return guard

    @guarded("aggregates", "read")
    def versions(self, actor: Actor) -> list[tuple[str, str, int]]:
        """Standard versions with stored assessments: (id, version, assessments)."""
        ensure(actor, "read", "aggregates")
        return self.store.versions_in_use(kind="company")

    # -- officers: members one by one ---------------------------------------------------------------------------

    @guarded("member_overview", "read")
    def members(self, actor: Actor) -> pd.DataFrame:
        """Every member assessment of every standard version: organization, standard, round, status, coverage,
        readiness, overall, last activity and its profile."""
        ensure(actor, "read", "member_overview")
        frames = []
        for standard_id, version, _ in self.store.versions_in_use(kind="company"):
            panel = self.panel(standard_id, version)
            if panel is not None and len(panel.frame):
                frames.append(panel.frame.assign(standard_id=standard_id, standard_version=version))
        if not frames:
            return pd.DataFrame(columns=MEMBER_COLUMNS)
        return pd.concat(frames, ignore_index=True)[MEMBER_COLUMNS]

    @guarded("member_overview", "read")
    def compare(self, actor: Actor, standard_id: str, version: str, filters: Filters) -> tuple[Panel, np.ndarray]:
        """The panel and the benchmark rows of a cohort, for the heatmap, ranking, distributions and radar."""
        ensure(actor, "read", "member_overview")
        panel = self._panel(standard_id, version)
        return panel, panel.rows(filters)

    def distribution_suppressed(self, n: int) -> Issue | None:
        return too_few(n, self.threshold())

    @guarded("member_overview", "read")
    def progress(self, actor: Actor, standard_id: str, filters: Filters) -> pd.DataFrame:
        """Per member with two rounds of a standard: each pair of consecutive rounds with the change in overall
        and in every domain both rounds have (rounds may be on different versions; each is scored with its own)."""
        ensure(actor, "read", "member_overview")
        rows = []
        for sid, version, _ in self.store.versions_in_use(kind="company"):
            if sid != standard_id:
                continue
            panel = self._panel(sid, version)
            keep = filters.cohort.mask(panel.frame)
            domains = pd.DataFrame(panel.scores.domain_score, columns=panel.scores.layout.domain_ids)
            part = pd.concat([panel.frame[keep].reset_index(drop=True), domains[keep].reset_index(drop=True)], axis=1)
            rows.append(part.assign(standard_version=version))
        if not rows:
            return pd.DataFrame(columns=PROGRESS_COLUMNS)
        every = pd.concat(rows, ignore_index=True).sort_values(["organization_id", "round"])
        domain_ids = [c for c in every.columns if c not in panel.frame.columns and c != "standard_version"]
        pairs = []
        for _, group in every.groupby("organization_id", sort=False):
            records = group.to_dict("records")
            for before, after in zip(records, records[1:], strict=False):
                change = {
                    d: after[d] - before[d] for d in domain_ids if not (pd.isna(before.get(d)) or pd.isna(after.get(d)))
                }
                delta = after["overall"] - before["overall"]
                pairs.append({
                    "organization_id": after["organization_id"], "organization": after["organization"],
                    "province": after["province"], "size_band": after["size_band"], "segments": after["segments"],
                    "from_round": before["round"], "to_round": after["round"],
                    "from_version": before["standard_version"], "to_version": after["standard_version"],
                    "from_overall": before["overall"], "to_overall": after["overall"], "change": delta,
                    "direction": direction(delta), "to_coverage": after["coverage"], "domain_change": change,
                })  # fmt: skip
        return pd.DataFrame(pairs, columns=PROGRESS_COLUMNS)

    # -- officers and researchers: aggregates only -------------------------------------------------------------

    @guarded("aggregates", "read")
    def shared_gaps(self, actor: Actor, standard_id: str, version: str, filters: Filters) -> Gaps:
        """The research agenda of a cohort (scoring.md): criteria by agenda points, with the share of members not
        meeting them; suppressed below the threshold or when it would difference an earlier answer."""
        ensure(actor, "read", "aggregates")
        panel = self._panel(standard_id, version)
        rows = panel.rows(filters)
        members = int(panel.frame.loc[filters.cohort.mask(panel.frame), "organization_id"].nunique())
        reason = too_few(len(rows), self.threshold()) or self._differencing(actor, panel, rows)
        if reason is not None:
            return Gaps(panel.standard, len(rows), members, pd.DataFrame(), pd.DataFrame(), reason)
        return Gaps(panel.standard, len(rows), members, agenda(panel.scores, rows), levels_of(panel.scores, rows))

    @guarded("aggregates", "read")
    def breakdown(self, actor: Actor, standard_id: str, version: str, filters: Filters,
                  by: str = "island_group") -> tuple[pd.DataFrame, Issue | None]:  # fmt: skip
        """The cohort split by one field (island group by default): per part its companies, median overall score
        and share ready, with the total; a part under the threshold is suppressed, and so is the next smallest when
        it is the only one (secondary suppression: the total would give it away)."""
        ensure(actor, "read", "aggregates")
        panel = self._panel(standard_id, version)
        rows = panel.rows(filters)
        reason = too_few(len(rows), self.threshold()) or self._differencing(actor, panel, rows)
        if reason is not None:
            return pd.DataFrame(columns=BREAKDOWN_COLUMNS), reason
        part = panel.frame[by].iloc[rows].fillna("").to_numpy()
        overall, ready = panel.scores.overall[rows], panel.scores.readiness[rows] == "ready"
        keys = sorted(set(part), key=lambda k: (k == "", k))
        hidden = suppress_parts({k: int((part == k).sum()) for k in keys}, self.threshold())
        out = []
        for key in keys:
            mask = part == key
            reason_k = hidden.get(key)
            out.append({"part": key, "total": False, "n": int(mask.sum()) if reason_k is None else None,
                        "median": None if reason_k is not None else float(np.nanmedian(overall[mask])),
                        "ready": None if reason_k is not None else float(ready[mask].mean()), "suppressed": reason_k})  # fmt: skip
        out.append({"part": "", "total": True, "n": len(rows), "median": float(np.nanmedian(overall)), "ready": float(ready.mean()),
                    "suppressed": None})  # fmt: skip
        return pd.DataFrame(out, columns=BREAKDOWN_COLUMNS), None

    @guarded("aggregates", "read")
    def capabilities(self, actor: Actor, filters: Filters) -> tuple[pd.DataFrame, int, Issue | None]:
        """Per capability across every standard version: share of organizations affected and summed agenda."""
        ensure(actor, "read", "aggregates")
        parts, organizations = [], set()
        for standard_id, version, _ in self.store.versions_in_use(kind="company"):
            panel = self.panel(standard_id, version)
            if panel is None:
                continue
            rows = panel.rows(filters)
            if len(rows):
                parts.append(Part(panel.standard, panel.scores, list(panel.frame["organization_id"]), rows))
                organizations.update(panel.frame["organization_id"].iloc[rows])
        reason = too_few(len(organizations), self.threshold())
        if reason is not None or not parts:
            return pd.DataFrame(), len(organizations), reason
        return capability_agenda(parts), len(organizations), None

    def _differencing(self, actor: Actor, panel: Panel, rows: np.ndarray) -> Issue | None:
        guard = self._guard(actor)
        return None if guard is None else guard.check(panel.frame["organization_id"].iloc[rows])

    def _panel(self, standard_id: str, version: str) -> Panel:
        panel = self.panel(standard_id, version)
        if panel is None:
            raise NotFound(f"{standard_id} {version}")
        return panel

    # -- a company: its own benchmark -----------------------------------------------------------------------------

    @guarded("benchmark", "read")
    def benchmark(self, actor: Actor, assessment_id: int, choice: int | None = None) -> Benchmark:
        """The assessment against similar companies' latest complete assessments of the same version: the cohort
        widens from the company's own province, size band and segments until it is large enough (`choice` picks
        another rung of the ladder, if large enough); figures of too small a cohort are not given."""
        summary = self.store.summary(assessment_id)
        ensure(actor, "read", "benchmark", Target(summary.organization_id))
        # The other companies from a panel up to PEERS_MAX_AGE old (rebuilding it for every answer anyone gives
        # would cost each Results page seconds at thousands of members); the company's own score and profile now.
        panel = self.panel(summary.standard_id, summary.standard_version, max_age=PEERS_MAX_AGE)
        if panel is None:
            raise NotFound(assessment_id)
        stored = self.store.workspace(summary.organization_id).load(assessment_id)
        mine = score_one(panel.standard, counted_levels(stored.answers)).scores
        profile = stored.organization
        threshold = self.threshold()
        in_set = np.zeros(len(panel.frame), dtype=bool)
        in_set[panel.benchmark] = True
        others = in_set & (panel.frame["organization_id"] != summary.organization_id).to_numpy()
        rungs = [
            Rung(c, int((c.mask(panel.frame) & others).sum()) + 1)
            for c in cohort_ladder(profile.get("region"), profile.get("size"), profile.get("segments") or [])
        ]
        large = [r for r in rungs if r.large_enough(threshold)]
        chosen = large[0] if large else None
        if choice is not None and 0 <= choice < len(rungs) and rungs[choice].large_enough(threshold):
            chosen = rungs[choice]
        if mine.coverage[0] < 1:
            return Benchmark(rungs, chosen, suppressed=Issue("", "", "benchmark.incomplete", {}, "warning"))
        if chosen is None:
            return Benchmark(rungs, None, suppressed=too_few(rungs[-1].n, threshold))
        peers = np.flatnonzero(chosen.cohort.mask(panel.frame) & others)
        reason = self._differencing(actor, panel, peers)
        if reason is not None:
            return Benchmark(rungs, chosen, suppressed=reason)
        s = panel.scores
        overall = position(float(mine.overall[0]), s.overall[peers], threshold)
        domains = {
            d: position(float(mine.domain_score[0, k]), s.domain_score[peers, k], threshold)
            for k, d in enumerate(s.layout.domain_ids)
        }
        gaps = {
            d: position(float(mine.domain_gap[0, k]), s.domain_gap[peers, k], threshold)
            for k, d in enumerate(s.layout.domain_ids)
        }
        return Benchmark(rungs, chosen, overall, domains, gaps)

    # -- the command line's figures ---------------------------------------------------------------------------

    @guarded("member_overview", "read")
    def agenda_json(self, actor: Actor, standard_id: str, version: str | None, filters: Filters) -> dict:
        """scoring.md "The command line": the association's figures for one standard version and cohort."""
        ensure(actor, "read", "member_overview")
        if version is None:
            in_use = [v for sid, v, _ in self.store.versions_in_use(kind="company") if sid == standard_id]
            latest = self.standard(standard_id, None)
            version = latest.version if latest is not None and latest.version in in_use else max(in_use, default="")
        panel = self._panel(standard_id, version)
        cohort = filters.cohort.mask(panel.frame)
        rows = panel.rows(filters)
        threshold = self.threshold()
        out: dict = {
            "standard": {"id": standard_id, "version": version},
            "members": int(panel.frame.loc[cohort, "organization_id"].nunique()),
            "benchmark_set": len(rows),
            "threshold": threshold,
        }
        if too_few(len(rows), threshold) is not None:
            return out | {"suppressed": True}
        s = panel.scores
        names = panel.frame["organization"].to_numpy()
        out["percentile_overall"] = {str(names[i]): percentile_of(s.overall, rows, i) for i in rows}
        out["agenda"] = [
            {"id": r.criterion, "agenda": float(r.agenda), "share_unmet": float(r.share_unmet), "count": int(r.count)}
            for r in agenda(s, rows).itertuples()
        ]
        caps = capability_agenda([Part(panel.standard, s, list(panel.frame["organization_id"]), rows)])
        out["capabilities"] = [
            {"id": r.capability, "share_affected": float(r.share_affected), "agenda": float(r.agenda),
             "count": int(r.count)}
            for r in caps.itertuples()
        ]  # fmt: skip
        return out


def percentile_of(values: np.ndarray, rows: np.ndarray, i: int) -> float:
    """Member i's percentile among the other members in `rows`."""
    return percentile(float(values[i]), values[rows[rows != i]])


def direction(change: float) -> str:
    if np.isnan(change):
        return "unknown"
    return "unchanged" if abs(change) < UNCHANGED else "improved" if change > 0 else "declined"


MEMBER_COLUMNS = [
    "assessment", "organization_id", "organization", "synthetic", "standard_id", "standard_version", "round",
    "status", "progress", "answered", "coverage", "overall", "readiness", "province", "island_group", "size_band",
    "segments", "created_at", "updated_at", "submitted_at",
]  # fmt: skip
BREAKDOWN_COLUMNS = ["part", "total", "n", "median", "ready", "suppressed"]
PROGRESS_COLUMNS = [
    "organization_id", "organization", "province", "size_band", "segments", "from_round", "to_round",
    "from_version", "to_version", "from_overall", "to_overall", "change", "direction", "to_coverage", "domain_change",
]  # fmt: skip
