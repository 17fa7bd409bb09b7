"""Figures of many members as they are released to those who may not read members one by one (researchers and
companies; officers see the same figures): the research agenda of a cohort, its split by island group, the
capabilities across standards and a company's own benchmark. Each one passes the gate (services/gate.py) first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from scoring.assessment import counted_levels
from scoring.compare import Part, Position, Rung, agenda, capability_agenda, position
from scoring.compare import ladder as cohort_ladder
from scoring.compare import level_distribution as levels_of
from scoring.disclosure import shown_count, suppress_cells, suppress_parts, too_few
from scoring.engine import answers_frame, score
from scoring.inflation import GAP_COLUMNS, inflation_index, paired, self_report_gap, with_verified
from scoring.issues import Issue
from scoring.model import Standard
from services.gate import Clearance, Gate
from services.panels import Filters, Panel, Panels
from services.policy import Actor, Target, ensure, guarded
from store.plans import PlanRecords
from store.repository import NotFound, Store
from store.verified import VerifiedLevels

# How old the other companies' scores on a company's benchmark may be, in seconds.
PEERS_MAX_AGE = 300.0


@dataclass(frozen=True)
class Gaps:
    """The research agenda of one cohort: per criterion (with `planning`: how many of its members miss it and
    have an open action-plan step on it, None when under the threshold), and the levels given (cells too small are missing). `n`
    and `members` are None when under the threshold (the count itself would tell which small group it is)."""

    standard: Standard
    n: int | None
    members: int | None
    criteria: pd.DataFrame
    levels: pd.DataFrame
    suppressed: Issue | None = None
    as_of: datetime | None = None


@dataclass(frozen=True)
class SelfReport:
    """How far a cohort's verified members' own levels sit from their verified levels: per criterion (`gaps`,
    scoring/inflation.py; a criterion under the threshold suppressed) and the inflation index. `n` is None and
    `suppressed` says why when the verified members may not be shown."""

    standard: Standard
    n: int | None
    gaps: pd.DataFrame
    index: float | None
    suppressed: Issue | None = None
    as_of: datetime | None = None


@dataclass(frozen=True)
class Benchmark:
    """A company against similar companies: the cohorts it may choose, the one used, its positions."""

    rungs: list[Rung]
    cohort: Rung | None
    overall: Position | None = None
    domains: dict[str, Position] = field(default_factory=dict)
    gaps: dict[str, Position] = field(default_factory=dict)
    suppressed: Issue | None = None


def scope_of(standard_id: str, version: str) -> str:
    return f"{standard_id}@{version}"


def query_of(kind: str, verified_only: bool) -> str:
    """A release's kind: verified-only figures are another query, so the gate's differencing rule holds between
    them and the figures over everyone (their sets of members must not differ by fewer than the threshold)."""
    return f"{kind}-verified" if verified_only else kind


def counted(n: int, threshold: int, refused: Issue | None = None) -> int | None:
    """A count of organizations as it may be shown: not under the threshold, nor beside a differencing refusal
    (two counts a few apart tell how many the difference holds)."""
    if refused is not None and refused.code == "disclosure.differencing":
        return None
    return None if too_few(n, threshold) is not None else n


class Aggregates:
    def __init__(self, store: Store, panels: Panels, gate: Gate) -> None:
        self.store, self.panels, self.gate = store, panels, gate
        self.plans = PlanRecords(store)
        self.verified = VerifiedLevels(store)

    @guarded("aggregates", "read")
    def versions(self, actor: Actor) -> list[tuple[str, str, int]]:
        """Standard versions with stored assessments: (id, version, assessments)."""
        ensure(actor, "read", "aggregates")
        return self.store.versions_in_use(kind="company")

    @guarded("audit_log", "read")
    def released(self, actor: Actor) -> list:
        """What left the association for those who see no names: every release the gate remembers, oldest first."""
        ensure(actor, "read", "audit_log")
        return self.gate.released()

    def _clear(self, actor: Actor, panel: Panel, query: str, rows: np.ndarray) -> tuple[np.ndarray, Clearance]:
        """The rows a figure may use after the gate (an earlier release's organizations may stand in)."""
        scope = scope_of(panel.standard.id, panel.standard.version)
        clearance = self.gate.clear(actor, scope, query, panel.organizations(rows))
        if clearance.refused is not None:
            return rows[:0], clearance
        return panel.among(rows, clearance.members), clearance

    @guarded("aggregates", "read")
    def shared_gaps(self, actor: Actor, standard_id: str, version: str, filters: Filters,
                    verified_only: bool = False) -> Gaps:  # fmt: skip
        """The research agenda of a cohort (scoring.md): criteria by agenda points, with the share of members not
        meeting them, and how members answered each (small cells hidden); `verified_only`: verified assessments
        alone, with their verified levels."""
        ensure(actor, "read", "aggregates")
        panel = self.panels.require(standard_id, version, verified_only)
        k = self.gate.threshold()
        members = int(panel.frame.loc[filters.cohort.mask(panel.frame), "organization_id"].nunique())
        cohort = panel.rows(filters)
        rows, clearance = self._clear(actor, panel, f"{query_of('shared-gaps', verified_only)}|{filters.key}", cohort)
        if clearance.refused is not None:
            return Gaps(panel.standard, counted(len(cohort), k, clearance.refused), counted(members, k, clearance.refused),
                        pd.DataFrame(), pd.DataFrame(), clearance.refused)  # fmt: skip
        levels = levels_of(panel.scores, rows).set_index("criterion")
        levels = suppress_cells(levels, k).reset_index()
        criteria = agenda(panel.scores, rows)
        criteria["planning"] = pd.Series(self._planning(panel, rows, criteria["criterion"]), index=criteria.index,
                                         dtype=object)  # fmt: skip
        return Gaps(panel.standard, len(rows), counted(members, k), criteria, levels, as_of=clearance.as_of)

    @guarded("aggregates", "read")
    def self_report_gap(self, actor: Actor, standard_id: str, version: str, filters: Filters) -> SelfReport:
        """The self-report gap per criterion and the inflation index over the cohort's verified members (each one's
        latest complete verified assessment): the same members, and so the same release, as the verified-only
        shared gaps."""
        ensure(actor, "read", "aggregates")
        verified = self.panels.require(standard_id, version, verified_only=True)
        k = self.gate.threshold()
        cohort = verified.rows(filters)
        rows, clearance = self._clear(actor, verified, f"{query_of('shared-gaps', True)}|{filters.key}", cohort)
        if clearance.refused is not None:
            return SelfReport(verified.standard, counted(len(cohort), k, clearance.refused),
                              pd.DataFrame(columns=GAP_COLUMNS), None, clearance.refused)  # fmt: skip
        own = self.panels.require(standard_id, version).scores
        levels = verified.verified_levels
        chosen = levels[levels["assessment"].isin(set(verified.frame["assessment"].iloc[rows]))]
        gaps = self_report_gap(verified.standard, paired(own, chosen), k)
        return SelfReport(verified.standard, len(rows), gaps, inflation_index(gaps), as_of=clearance.as_of)

    def _planning(self, panel: Panel, rows: np.ndarray, criteria: pd.Series) -> list[int | None]:
        """Per criterion, how many members in `rows` miss it and have an open action-plan step on it (a step whose
        criterion is met counts no more, even before its company next looks at its plan); None under the
        threshold."""
        open_items = self.plans.open_items(panel.standard.id, panel.organizations(rows))
        s, k = panel.scores, self.gate.threshold()
        organizations = panel.frame["organization_id"].to_numpy()[rows]
        column = {cid: j for j, cid in enumerate(s.layout.criterion_ids)}
        counts = []
        for cid in criteria:
            j = column[cid]
            missing = set(organizations[s.scored[rows, j] & ~s.met[rows, j]].tolist())
            counts.append(shown_count(len(missing & open_items.get(cid, set())), k))
        return counts

    @guarded("aggregates", "read")
    def breakdown(self, actor: Actor, standard_id: str, version: str, filters: Filters, by: str = "island_group",
                  verified_only: bool = False) -> tuple[pd.DataFrame, Issue | None]:  # fmt: skip
        """The cohort split by one field (island group by default): per part its companies, median overall score
        and share ready, with the total; small parts are hidden with enough others that the hidden ones together
        hold at least the threshold (so the total minus the shown parts never gives one away)."""
        ensure(actor, "read", "aggregates")
        panel = self.panels.require(standard_id, version, verified_only)
        query = f"{query_of('shared-gaps', verified_only)}|{filters.key}"
        rows, clearance = self._clear(actor, panel, query, panel.rows(filters))
        if clearance.refused is not None:
            return pd.DataFrame(columns=BREAKDOWN_COLUMNS), clearance.refused
        part = panel.frame[by].iloc[rows].fillna("").to_numpy()
        overall, ready = panel.scores.overall[rows], panel.scores.readiness[rows] == "ready"
        keys = sorted(set(part), key=lambda key: (key == "", key))
        hidden = suppress_parts({key: int((part == key).sum()) for key in keys}, self.gate.threshold())
        out = []
        for key in keys:
            mask = part == key
            why = hidden.get(key)
            out.append({"part": key, "total": False, "n": int(mask.sum()) if why is None else None,
                        "median": None if why is not None else float(np.nanmedian(overall[mask])),
                        "ready": None if why is not None else float(ready[mask].mean()), "suppressed": why})  # fmt: skip
        out.append({"part": "", "total": True, "n": len(rows), "median": float(np.nanmedian(overall)),
                    "ready": float(ready.mean()), "suppressed": None})  # fmt: skip
        return pd.DataFrame(out, columns=BREAKDOWN_COLUMNS), None

    @guarded("aggregates", "read")
    def capabilities(self, actor: Actor, filters: Filters) -> tuple[pd.DataFrame, int | None, Issue | None]:
        """Per capability across every standard version: share of organizations affected and summed agenda."""
        ensure(actor, "read", "aggregates")
        chosen = []  # (panel, its rows in the cohort)
        for standard_id, version, _ in self.store.versions_in_use(kind="company"):
            panel = self.panels.get(standard_id, version)
            if panel is not None and len(rows := panel.rows(filters)):
                chosen.append((panel, rows))
        organizations = frozenset().union(*(panel.organizations(rows) for panel, rows in chosen))
        k = self.gate.threshold()
        clearance = self.gate.clear(actor, "capabilities", f"capabilities|{filters.key}", organizations)
        if clearance.refused is not None:
            return pd.DataFrame(), counted(len(organizations), k, clearance.refused), clearance.refused
        parts = [Part(panel.standard, panel.scores, list(panel.frame["organization_id"]), panel.among(rows, clearance.members))
                 for panel, rows in chosen]  # fmt: skip
        return capability_agenda(parts), len(clearance.members), None

    @guarded("benchmark", "read")
    def benchmark(self, actor: Actor, assessment_id: int, choice: int | None = None,
                  verified_only: bool = False) -> Benchmark:  # fmt: skip
        """The assessment against similar companies' latest complete assessments of the same version: the cohort
        widens from the company's own province, size band and segments until it is large enough and clears the
        gate (`choice` picks another rung of the ladder); figures of a cohort that does not are not given.
        `verified_only`: against verified assessments alone, every one (the company's too) with its verified levels."""
        summary = self.store.summary(assessment_id)
        ensure(actor, "read", "benchmark", Target(summary.organization_id))
        # The other companies from a panel up to PEERS_MAX_AGE old (rebuilding it for every answer anyone gives
        # would cost each Results page seconds at thousands of members); the company's own score and profile now.
        panel = self.panels.get(summary.standard_id, summary.standard_version, PEERS_MAX_AGE, verified_only)
        if panel is None:
            raise NotFound(assessment_id)
        stored = self.store.workspace(summary.organization_id).load(assessment_id)
        own = answers_frame({assessment_id: counted_levels(stored.answers)})
        if verified_only:
            own = with_verified(own, self.verified.levels(summary.standard_id, summary.standard_version, assessment_id))
        mine = score(panel.standard, own, [assessment_id])
        profile = stored.organization
        k = self.gate.threshold()
        in_set = np.zeros(len(panel.frame), dtype=bool)
        in_set[panel.benchmark] = True
        own = summary.organization_id
        others = in_set & (panel.frame["organization_id"] != own).to_numpy()
        cohorts = cohort_ladder(profile.get("region"), profile.get("size"), profile.get("segments") or [])
        rungs = [Rung(c, int((c.mask(panel.frame) & others).sum()) + 1) for c in cohorts]
        if mine.coverage[0] < 1:
            large = [r for r in rungs if r.large_enough(k)]
            return Benchmark(rungs, large[0] if large else None,
                             suppressed=Issue("", "", "benchmark.incomplete", {}, "warning"))  # fmt: skip
        scope = scope_of(summary.standard_id, summary.standard_version)
        order = list(range(len(rungs)))
        if choice is not None and 0 <= choice < len(rungs) and rungs[choice].large_enough(k):
            order = [choice]
        chosen, clearance, reason = None, None, None
        for i in order:
            peers = np.flatnonzero(rungs[i].cohort.mask(panel.frame) & others)
            members = panel.organizations(peers) | {own}
            query = f"{query_of('benchmark', verified_only)}|{i}|{rungs[i].cohort}"
            probe = self.gate.clear(actor, scope, query, members, probe=True)
            if probe.refused is None:
                chosen, clearance = rungs[i], self.gate.clear(actor, scope, query, members)
                break
            if reason is None or probe.refused.code == "disclosure.differencing":
                reason = probe.refused  # a cohort large enough but refused says more than one too small
        if chosen is None or clearance is None or clearance.refused is not None:
            return Benchmark(rungs, None, suppressed=reason or too_few(rungs[-1].n, k))
        peers = np.flatnonzero(chosen.cohort.mask(panel.frame) & others)
        peers = panel.among(peers, clearance.members)
        s = panel.scores
        overall = position(float(mine.overall[0]), s.overall[peers], k)
        domains = {
            d: position(float(mine.domain_score[0, j]), s.domain_score[peers, j], k)
            for j, d in enumerate(s.layout.domain_ids)
        }
        gaps = {
            d: position(float(mine.domain_gap[0, j]), s.domain_gap[peers, j], k)
            for j, d in enumerate(s.layout.domain_ids)
        }
        return Benchmark(rungs, chosen, overall, domains, gaps)


BREAKDOWN_COLUMNS = ["part", "total", "n", "median", "ready", "suppressed"]
