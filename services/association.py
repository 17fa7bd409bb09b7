"""The association's named views, for officers (who may read members one by one): every member's standing,
comparisons, progress between rounds and the agenda command. Figures released to anyone else are in
services/aggregates.py, behind the gate; both read the same panels and use the same statistics functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.compare import Part, agenda, capability_agenda, percentile, quartiles
from scoring.disclosure import pseudonym, too_few
from scoring.issues import Issue
from scoring.versions import newest
from services.panels import Filters, Panel, Panels
from services.policy import Actor, ensure, guarded, open_call
from store.repository import Store

# A change smaller than half a percentage point shows as no change (scores are shown without decimals).
UNCHANGED = 0.005


@dataclass(frozen=True)
class Spread:
    """A cohort's figures on the Compare page: its size, and the median and quartiles (overall and per domain)
    only when it is large enough; the same statistics functions as every released figure."""

    n: int
    ready: int
    median: float | None
    domains: pd.DataFrame  # domain, q1, median, q3, n
    suppressed: Issue | None


class Association:
    def __init__(self, store: Store, panels: Panels, threshold: Callable[[], int],
                 secret: Callable[[], str]) -> None:  # fmt: skip
        self.store, self.panels, self.threshold, self.secret = store, panels, threshold, secret

    @guarded("member_overview", "read")
    def versions(self, actor: Actor) -> list[tuple[str, str, int]]:
        """Standard versions with stored assessments: (id, version, assessments)."""
        ensure(actor, "read", "member_overview")
        return self.store.versions_in_use(kind="company")

    @guarded("member_overview", "read")
    def members(self, actor: Actor) -> pd.DataFrame:
        """Every member assessment of every standard version: organization, standard, round, status, coverage,
        readiness, overall, last activity and its profile."""
        ensure(actor, "read", "member_overview")
        frames = []
        for standard_id, version, _ in self.store.versions_in_use(kind="company"):
            panel = self.panels.get(standard_id, version)
            if panel is not None and len(panel.frame):
                frames.append(panel.frame.assign(standard_id=standard_id, standard_version=version))
        if not frames:
            return pd.DataFrame(columns=MEMBER_COLUMNS)
        return pd.concat(frames, ignore_index=True)[MEMBER_COLUMNS]

    @guarded("member_overview", "read")
    def compare(self, actor: Actor, standard_id: str, version: str, filters: Filters) -> tuple[Panel, np.ndarray]:
        """The panel and the benchmark rows of a cohort, for the heatmap, ranking, distributions and radar."""
        ensure(actor, "read", "member_overview")
        panel = self.panels.require(standard_id, version)
        return panel, panel.rows(filters)

    @guarded("member_overview", "read")
    def spread(self, actor: Actor, panel: Panel, rows: np.ndarray) -> Spread:
        """The cohort's median and quartiles, overall and per domain, when it holds enough companies."""
        ensure(actor, "read", "member_overview")
        s = panel.scores
        reason = too_few(len(rows), self.threshold())
        ready = int((s.readiness[rows] == "ready").sum())
        if reason is not None:
            return Spread(len(rows), ready, None, pd.DataFrame(columns=SPREAD_COLUMNS), reason)
        domains = []
        for j, domain in enumerate(s.layout.domain_ids):
            values = s.domain_score[rows, j]
            q1, median, q3 = quartiles(values)
            domains.append({"domain": domain, "q1": q1, "median": median, "q3": q3,
                            "n": int((~np.isnan(values)).sum())})  # fmt: skip
        return Spread(len(rows), ready, quartiles(s.overall[rows])[1], pd.DataFrame(domains, columns=SPREAD_COLUMNS),
                      None)  # fmt: skip

    @open_call("says only whether n companies are too few")
    def distribution_suppressed(self, n: int) -> Issue | None:
        """Why a cohort figure of n companies is not shown, if it is not."""
        return too_few(n, self.threshold())

    @guarded("member_overview", "read")
    def progress(self, actor: Actor, standard_id: str, filters: Filters) -> pd.DataFrame:
        """Per member, each pair of its consecutive complete rounds of a standard (scoring.md "Between rounds"):
        the change in overall and in every domain both rounds have; each round scored with its own version."""
        ensure(actor, "read", "member_overview")
        parts, domain_ids = [], []
        for sid, version, _ in self.store.versions_in_use(kind="company"):
            if sid != standard_id:
                continue
            panel = self.panels.require(sid, version)
            keep = filters.cohort.mask(panel.frame) & (panel.frame["coverage"] >= 1).to_numpy()
            ids = list(panel.scores.layout.domain_ids)
            domain_ids += [d for d in ids if d not in domain_ids]
            domains = pd.DataFrame(panel.scores.domain_score[keep], columns=ids)
            parts.append(pd.concat([panel.frame[keep].reset_index(drop=True), domains], axis=1)
                         .assign(standard_version=version))  # fmt: skip
        if not parts:
            return pd.DataFrame(columns=PROGRESS_COLUMNS)
        every = pd.concat(parts, ignore_index=True).sort_values(["organization_id", "round"], kind="stable")
        before = every.groupby("organization_id", sort=False).shift(1)
        pairs = every[before["round"].notna().to_numpy()]
        before = before.loc[pairs.index]
        if pairs.empty:
            return pd.DataFrame(columns=PROGRESS_COLUMNS)
        later = pairs[domain_ids].to_numpy(dtype=float)
        earlier = before[domain_ids].to_numpy(dtype=float)
        changes = [
            {
                d: float(a - b)
                for d, a, b in zip(domain_ids, after, prior, strict=True)
                if not (np.isnan(a) or np.isnan(b))
            }
            for after, prior in zip(later, earlier, strict=True)
        ]
        delta = pairs["overall"].to_numpy(dtype=float) - before["overall"].to_numpy(dtype=float)
        return pd.DataFrame({
            "organization_id": pairs["organization_id"].to_numpy(), "organization": pairs["organization"].to_numpy(),
            "province": pairs["province"].to_numpy(), "size_band": pairs["size_band"].to_numpy(),
            "segments": pairs["segments"].to_numpy(), "from_round": before["round"].astype(int).to_numpy(),
            "to_round": pairs["round"].to_numpy(), "from_version": before["standard_version"].to_numpy(),
            "to_version": pairs["standard_version"].to_numpy(), "from_overall": before["overall"].to_numpy(dtype=float),
            "to_overall": pairs["overall"].to_numpy(dtype=float), "change": delta,
            "direction": [direction(d) for d in delta], "to_coverage": pairs["coverage"].to_numpy(),
            "domain_change": changes,
        }, columns=PROGRESS_COLUMNS).reset_index(drop=True)  # fmt: skip

    # -- the command line's figures ---------------------------------------------------------------------------

    @guarded("member_overview", "read")
    def agenda_json(self, actor: Actor, standard_id: str, version: str | None, filters: Filters,
                    with_names: bool = False) -> dict:  # fmt: skip
        """scoring.md "The command line": the association's figures for one standard version and cohort;
        percentiles keyed by the research files' pseudonymous ids unless `with_names`."""
        ensure(actor, "read", "member_overview")
        if version is None:
            in_use = [v for sid, v, _ in self.store.versions_in_use(kind="company") if sid == standard_id]
            latest = self.panels.standard(standard_id, None)
            version = latest.version if latest is not None and latest.version in in_use else newest(in_use) or ""
        panel = self.panels.require(standard_id, version)
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
        if with_names:
            keys = [str(name) for name in panel.frame["organization"]]
        else:
            secret = self.secret()
            keys = [pseudonym(secret, "organization", o) for o in panel.frame["organization_id"]]
        out["percentile_overall"] = {keys[i]: percentile_of(s.overall, rows, i) for i in rows}
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
SPREAD_COLUMNS = ["domain", "q1", "median", "q3", "n"]
PROGRESS_COLUMNS = [
    "organization_id", "organization", "province", "size_band", "segments", "from_round", "to_round",
    "from_version", "to_version", "from_overall", "to_overall", "change", "direction", "to_coverage", "domain_change",
]  # fmt: skip
