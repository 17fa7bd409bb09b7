"""The association's report for the ministry: figures of the membership from the panels, each passing the disclosure
gate as a file that leaves the association, and the programme's figures (a campaign's completion, the support given,
verification) from the services the application wires in, held to the same threshold; built as PDF or XLSX by
reports/association_report.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from reports.association_report import (
    STAGES,
    AssociationReport,
    CohortRow,
    Completion,
    RoundChange,
    Support,
    SupportChange,
    Verified,
    association_pdf,
    association_workbook,
)
from scoring.compare import agenda
from scoring.disclosure import shown_count, suppress_parts, too_few
from scoring.profile import ISLAND_GROUP_LABELS, SEGMENTS, SIZE_BANDS
from scoring.versions import newest
from services.aggregates import scope_of
from services.association import Association
from services.audit import Audit
from services.gate import Gate
from services.panels import Filters, Panel, Panels
from services.policy import Actor, ensure, guarded
from store.repository import NotFound, Store

FORMATS = ("pdf", "xlsx")
# A campaign's round name and its members per stage; the support given and the verification of a standard version.
CampaignOf = Callable[[Actor, int], tuple[str, Completion] | None]
SupportOf = Callable[[Actor, str, str], Support | None]
VerifiedOf = Callable[[Actor, str, str], Verified | None]


def _no_campaign(actor: Actor, campaign: int) -> tuple[str, Completion] | None:
    return None


def _no_support(actor: Actor, standard_id: str, version: str) -> Support | None:
    return None


def _no_verified(actor: Actor, standard_id: str, version: str) -> Verified | None:
    return None


class MinistryReport:
    def __init__(self, store: Store, panels: Panels, gate: Gate, association: Association, audit: Audit,
                 campaign: CampaignOf = _no_campaign, support: SupportOf = _no_support,
                 verified: VerifiedOf = _no_verified) -> None:  # fmt: skip
        self.store, self.panels, self.gate, self.association, self.audit = store, panels, gate, association, audit
        # Campaigns, support and verification come from their own services (wired in services/app.py); without
        # them the report says it holds none.
        self.campaign, self.support, self.verified = campaign, support, verified

    @guarded("association_report", "read")
    def versions(self, actor: Actor) -> list[tuple[str, str, int]]:
        """Standard versions with stored member assessments: (id, version, assessments)."""
        ensure(actor, "read", "association_report")
        return self.store.versions_in_use(kind="company")

    @guarded("association_report", "read")
    def gather(self, actor: Actor, standard_id: str, version: str | None = None,
               campaign: int | None = None) -> AssociationReport:  # fmt: skip
        """Every figure of the report as it may leave the association (the newest version in use by default)."""
        ensure(actor, "read", "association_report")
        in_use = [v for sid, v, _ in self.store.versions_in_use(kind="company") if sid == standard_id]
        version = version or newest(in_use)
        if version is None or version not in in_use:
            raise NotFound(f"{standard_id} {version or ''}".strip())
        panel = self.panels.require(standard_id, version)
        k = self.gate.threshold()
        chosen = self.campaign(actor, campaign) if campaign is not None else None
        report = AssociationReport(
            association=next((name for _, name, _ in self.store.organizations(kind="association")), ""),
            standard=panel.standard, made_on=datetime.now(UTC).astimezone().date(), threshold=k,
            campaign=chosen[0] if chosen else None, completion=_completion(chosen[1], k) if chosen else None,
            changes=self._changes(actor, panel), support=_support(self.support(actor, standard_id, version), k),
            verified=_verified(self.verified(actor, standard_id, version), k),
        )  # fmt: skip
        return self._membership(actor, panel, report)

    @guarded("association_report", "read")
    def report(self, actor: Actor, standard_id: str, version: str | None, lang: str, fmt: str,
               campaign: int | None = None) -> bytes:  # fmt: skip
        """The report as PDF or XLSX bytes, in Indonesian or English; audited."""
        ensure(actor, "read", "association_report")
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        report = self.gather(actor, standard_id, version, campaign)
        content = association_pdf(report, lang) if fmt == "pdf" else association_workbook(report, lang)
        self.audit.record(actor.label, "association_report.made", f"standard:{standard_id}",
                          {"version": report.standard.version, "format": fmt, "lang": lang, "campaign": campaign})  # fmt: skip
        return content

    def _membership(self, actor: Actor, panel: Panel, report: AssociationReport) -> AssociationReport:
        """Readiness, the heatmap by cohort and the shared gaps of the benchmark set, as the gate clears it."""
        k = report.threshold
        scope = scope_of(panel.standard.id, panel.standard.version)
        rows = panel.rows(Filters())
        clearance = self.gate.clear(actor, scope, "ministry|membership", panel.organizations(rows), leaves=True)
        if clearance.refused is not None:
            return replace(report, refused=clearance.refused)
        rows = panel.among(rows, clearance.members)
        readiness = pd.Series(panel.scores.readiness[rows]).value_counts().to_dict()
        hidden = suppress_parts(readiness, k)
        return replace(
            report, n=len(rows), readiness={code: None if code in hidden else int(n) for code, n in readiness.items()},
            cohorts=self._cohorts(actor, panel, rows, scope, k), agenda=agenda(panel.scores, rows),
        )  # fmt: skip

    def _cohorts(self, actor: Actor, panel: Panel, rows: np.ndarray, scope: str, k: int) -> list[CohortRow]:
        """Per island group, size band and segment: the median score of each domain; a group under the threshold,
        its covers (island groups and size bands add up to the total), one the gate refuses, and a domain scored
        for too few of a group's companies are not shown."""
        frame = panel.frame.iloc[rows]
        groups: dict[str, list[tuple[str, np.ndarray]]] = {}
        for field, order in (("island_group", list(ISLAND_GROUP_LABELS)), ("size_band", SIZE_BANDS)):
            values = frame[field].fillna("").to_numpy()
            found = set(values)  # in the lists' order, then any other, then "not stated"
            keys = [k for k in order if k in found] + sorted(found - set(order) - {""}) + [""] * ("" in found)
            groups[field] = [(key, rows[values == key]) for key in keys]
        segments = [set(s or ()) for s in frame["segments"]]
        found = set().union(*segments) if segments else set()
        keys = [k for k in SEGMENTS if k in found] + sorted(found - set(SEGMENTS))
        groups["segment"] = [(key, rows[np.array([key in s for s in segments], dtype=bool)]) for key in keys]
        domains = len(panel.scores.layout.domain_ids)
        out = []
        for field, parts in groups.items():
            hidden = suppress_parts({key: len(part) for key, part in parts}, k, total_shown=field != "segment")
            for key, part in parts:
                why = hidden.get(key)
                if why is None:
                    query = f"ministry|cohort|{field}|{key}"
                    cleared = self.gate.clear(actor, scope, query, panel.organizations(part), leaves=True)
                    why, part = cleared.refused, panel.among(part, cleared.members)
                if why is not None:
                    out.append(CohortRow(field, key, None, [None] * domains, why))
                    continue
                scores = panel.scores.domain_score[part]
                medians = [_median(scores[:, j], k) for j in range(domains)]
                out.append(CohortRow(field, key, len(part), medians))
        return out

    def _changes(self, actor: Actor, panel: Panel) -> list[RoundChange]:
        """Per pair of consecutive rounds, the mean change of the overall score of the companies that completed
        both (services/association.py progress), as the gate clears them."""
        progress = self.association.progress(actor, panel.standard.id, Filters())
        scope = scope_of(panel.standard.id, panel.standard.version)
        out = []
        for (first, second), pairs in progress.groupby(["from_round", "to_round"], sort=True):
            query = f"ministry|change|{first}|{second}"
            cleared = self.gate.clear(actor, scope, query, set(pairs["organization_id"]), leaves=True)
            if cleared.refused is not None:
                out.append(RoundChange(int(first), int(second), None, None, None, cleared.refused))
                continue
            pairs = pairs[pairs["organization_id"].isin(cleared.members)]
            out.append(RoundChange(int(first), int(second), len(pairs), float(pairs["change"].mean()),
                                   float((pairs["direction"] == "improved").mean())))  # fmt: skip
        return out


def _median(values: np.ndarray, k: int) -> float | None:
    scored = values[~np.isnan(values)]
    return None if too_few(len(scored), k) is not None else float(np.median(scored))


def _completion(completion: Completion, k: int) -> Completion:
    """A campaign's counts per stage: a stage of fewer than the threshold (but some) says only "fewer than k"."""
    return Completion(*(None if (n := getattr(completion, s)) is None else shown_count(n, k) for s in STAGES))


def _support(support: Support | None, k: int) -> Support | None:
    """Companies reached shown only from the threshold; a change with or without a kind of support only where
    both groups hold at least the threshold."""
    if support is None:
        return None
    rows = [replace(r, members=None if r.members is None else shown_count(r.members, k)) for r in support.rows]
    changes = []
    for c in support.changes:
        small = [too_few(n or 0, k) is not None for n in (c.with_n, c.without_n)]
        changes.append(SupportChange(c.kind, None if small[0] else c.with_change, None if small[0] else c.with_n,
                                     None if small[1] else c.without_change, None if small[1] else c.without_n))  # fmt: skip
    return Support(rows, changes)


def _verified(verified: Verified | None, k: int) -> Verified | None:
    """The inflation index only from the threshold of verified companies, and per criterion the same."""
    if verified is None:
        return None
    if too_few(verified.n or 0, k) is not None:
        return Verified(None, None, None, [(cid, title, None, None) for cid, title, _, _ in verified.rows])
    rows = [(cid, title, None, None) if too_few(n or 0, k) is not None else (cid, title, gap, n)
            for cid, title, gap, n in verified.rows]  # fmt: skip
    return Verified(verified.share, verified.n, verified.index, rows)
