"""The research data package: tidy and wide tables of one standard version, pseudonymous (keyed ids, no free text,
quasi-identifiers generalised until every released combination holds the threshold, cleared by the gate) unless an
admin asks for names and free text; audited, with a statement of the disclosure control applied."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.dataset import ROWS, Dataset, Disclosure, Generalised, build_dataset, panel_support_table, panel_table
from scoring.disclosure import QUASI_IDENTIFIERS, generalise, period_bounds, pseudonym, shown_count
from scoring.disclosure import Generalised as Released
from scoring.engine import Scores
from scoring.formats import FORMATS, render, write
from scoring.issues import Issue
from scoring.model import Standard
from scoring.support import between_rounds, received
from services.aggregates import scope_of
from services.audit import Audit
from services.gate import Clearance, Gate
from services.panels import Filters, Panels
from services.policy import Actor, ensure, guarded, open_call
from store.interventions import Interventions
from store.repository import Store


@dataclass(frozen=True)
class Selection:
    """What a researcher asks for: one standard version, optionally one round, a cohort and submission dates.
    In a pseudonymous package the cohort and dates select on the values as released (a province withheld for a
    company is never matched by a province filter), so a filtered file can never be finer than the whole one."""

    standard_id: str
    version: str
    round: int | None = None
    filters: Filters = Filters()
    submitted_from: date | None = None
    submitted_to: date | None = None
    submitted_only: bool = False

    @property
    def key(self) -> str:
        return "|".join(str(v or "") for v in (self.round, self.filters.key, self.submitted_from, self.submitted_to,
                                               self.submitted_only))  # fmt: skip


@dataclass(frozen=True)
class Package:
    dataset: Dataset | None
    organizations: int | None
    refused: Issue | None = None

    @property
    def disclosure(self) -> Disclosure | None:
        return None if self.dataset is None else self.dataset.disclosure


class Research:
    def __init__(self, store: Store, panels: Panels, gate: Gate, audit: Audit, secret: Callable[[], str]) -> None:
        self.store, self.panels, self.gate, self.audit, self.secret = store, panels, gate, audit, secret
        self.interventions = Interventions(store)

    @guarded("research_data", "read")
    def versions(self, actor: Actor) -> list[tuple[str, str, int]]:
        """Standard versions with stored assessments: (id, version, assessments)."""
        ensure(actor, "read", "research_data")
        return self.store.versions_in_use(kind="company")

    @guarded("research_data", "read")
    def rounds(self, actor: Actor, standard_id: str, version: str) -> list[int]:
        """The rounds stored of one standard version."""
        ensure(actor, "read", "research_data")
        panel = self.panels.get(standard_id, version)
        return [] if panel is None else sorted(int(r) for r in panel.frame["round"].unique())

    @guarded("research_data", "read")
    def package(self, actor: Actor, selection: Selection, with_names: bool = False) -> Package:
        """The dataset of a selection, or why it is refused. Pseudonymous: keyed ids, no free text, every
        quasi-identifier generalised until each released combination holds the threshold of organizations, and
        the set of organizations cleared by the gate (differencing against everything released before).
        `with_names` (admins only) adds organization names, notes, justifications and evidence links."""
        ensure(actor, "read", "research_data")
        if with_names:
            ensure(actor, "read", "research_names")
        panel = self.panels.get(selection.standard_id, selection.version)
        if panel is None:
            return Package(None, 0, Issue("", "", "research.no-data", {"standard": selection.standard_id}))
        frame = panel.frame
        k = self.gate.threshold()
        raw = frame[["organization_id", "province", "island_group", "size_band", "segments"]].assign(
            submitted_at=pd.to_datetime(frame["submitted_at"], utc=True)
        )
        if with_names:
            rows = np.flatnonzero(_selected(frame, raw, selection))
            organizations = int(frame["organization_id"].iloc[rows].nunique())
            released, statement = None, None
        else:
            whole = generalise(raw, k)  # decided once for the version, whatever the filters
            keep = _selected(frame, whole.values.assign(submitted_at=raw["submitted_at"]), selection, released=True)
            rows = np.flatnonzero(keep & ~whole.withheld)
            part = generalise(raw.iloc[rows], k, start=whole.levels)  # only ever coarser than the whole
            rows = rows[~part.withheld]
            clearance = self.gate.clear(actor, scope_of(selection.standard_id, selection.version),
                                        f"research-file|{selection.key}", panel.organizations(rows), leaves=True)  # fmt: skip
            if clearance.refused is not None:
                n = None if clearance.refused.code == "disclosure.differencing" else len(panel.organizations(rows))
                return Package(None, None if n is None else shown_count(n, k), clearance.refused)
            rows = panel.among(rows, clearance.members)
            organizations = len(clearance.members)
            released = part.values.loc[frame.index[rows]]
            statement = _statement(k, part, whole, clearance)
        chosen = frame.iloc[rows].reset_index(drop=True)
        ids = list(chosen["assessment"])
        meta = chosen[["assessment", "round", "status", "verified"]].copy()
        if released is None:
            meta["organization"] = [str(i) for i in chosen["organization_id"]]
            meta["organization_name"] = chosen["organization"]
            meta["segments"] = [list(s) for s in chosen["segments"]]
            meta["submitted"] = raw["submitted_at"].iloc[rows].reset_index(drop=True)
            for column in ("province", "island_group", "size_band"):
                meta[column] = list(chosen[column])
        else:
            secret = self.secret()
            meta["organization"] = [pseudonym(secret, "organization", i) for i in chosen["organization_id"]]
            for column in ("province", "island_group", "size_band"):
                meta[column] = list(released[column])
            meta["segments"] = [v or "" for v in released["segments"]]
            meta["submitted"] = [v or "" for v in released["submitted"]]
        details = self.store.answer_details(selection.standard_id, selection.version, text=with_names)
        details = details[details["assessment"].isin(set(ids))]
        campaign = self._campaign_panel(panel.standard, _subset(panel.scores, rows), chosen, meta)
        verified = panel.verified_levels[panel.verified_levels["assessment"].isin(set(ids))]
        dataset = build_dataset(panel.standard, _subset(panel.scores, rows), meta, details, disclosure=statement,
                                verified=verified, threshold=k, panel=campaign)  # fmt: skip
        self.audit.record(actor.label, "research.export", f"standard:{selection.standard_id}",
                          {"version": selection.version, "assessments": len(ids), "organizations": organizations,
                           "with_names": with_names,
                           "release": None if statement is None else statement.release})  # fmt: skip
        return Package(dataset, organizations)

    def _campaign_panel(
        self, standard: Standard, scores: Scores, chosen: pd.DataFrame, meta: pd.DataFrame
    ) -> tuple[pd.DataFrame, pd.DataFrame] | None:
        """The panel of the package's campaign assessments (ids and dates as the package releases them) and the
        support each member received before each round; None when the version has no campaign."""
        campaign = self.interventions.campaign_rounds(standard.id, standard.version)
        if campaign.empty:
            return None
        rounds = chosen[["assessment"]].merge(
            campaign[["assessment", "round", "deadline"]], how="left", on="assessment"
        )
        rows = np.flatnonzero(rounds["round"].notna().to_numpy())
        described = meta.iloc[rows].reset_index(drop=True)
        described["campaign_round"] = rounds["round"].iloc[rows].to_numpy()
        described["campaign_deadline"] = rounds["deadline"].iloc[rows].to_numpy()
        table = panel_table(standard, _subset(scores, rows), described)
        ids = dict(zip(chosen["organization_id"].iloc[rows], described["organization"], strict=True))
        intervals = between_rounds(campaign.rename(columns={"submitted_at": "submitted"}))
        support = panel_support_table(received(self.interventions.participation(), intervals), ids)
        support = support.merge(table[["organization", "campaign_round"]], on=["organization", "campaign_round"])
        return table, support

    @open_call("renders a package the gate already cleared for this caller")
    def files(self, package: Package, fmt: str, progress: Callable[[float], None] | None = None) -> dict[str, bytes]:
        """The package's files in one of FORMATS (name → bytes)."""
        if fmt not in FORMATS:
            raise ValueError(fmt)
        return render(package.dataset, fmt, progress)

    @open_call("writes a package the gate already cleared for this caller")
    def write(self, package: Package, fmt: str, folder: Path, progress: Callable[[float], None] | None = None
              ) -> list[Path]:  # fmt: skip
        """The package's files in one of FORMATS, written into `folder` as they build (a large package is never
        held in memory whole). The paths written."""
        if fmt not in FORMATS:
            raise ValueError(fmt)
        return write(package.dataset, fmt, folder, progress)


def zipped(paths: list[Path], out: Path, folder: str) -> Path:
    """Several files as one ZIP file `out`, inside a folder named after the package (a data package unpacks as
    one); each file is read from disk as it is compressed."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in paths:
            archive.write(path, f"{folder}/{path.name}")
    return out


def _selected(frame: pd.DataFrame, values: pd.DataFrame, selection: Selection, released: bool = False) -> np.ndarray:
    """Rows of the selection: round, cohort and submission dates; on released values, a date range takes a row
    only when its whole released period lies inside the range."""
    cohort = values.assign(segments=[s.split(";") if isinstance(s, str) else (s or []) for s in values["segments"]])
    keep = selection.filters.cohort.mask(cohort)
    if selection.round is not None:
        keep &= (frame["round"] == selection.round).to_numpy()
    submitted = values["submitted_at"]
    if selection.submitted_only or selection.submitted_from or selection.submitted_to:
        keep &= submitted.notna().to_numpy()
    if selection.submitted_from or selection.submitted_to:
        first, last = (submitted.dt.date, submitted.dt.date) if not released else period_bounds(values["submitted"])
        if selection.submitted_from:
            keep &= (pd.Series(first) >= selection.submitted_from).fillna(False).to_numpy(dtype=bool)
        if selection.submitted_to:
            keep &= (pd.Series(last) <= selection.submitted_to).fillna(False).to_numpy(dtype=bool)
    return keep


def _statement(k: int, part: Released, whole: Released, clearance: Clearance) -> Disclosure:
    """What disclosure control was applied to a pseudonymous package: the threshold, each quasi-identifier and how
    its released rows were generalised, the rows withheld, the date and the release's id in the gate's memory."""
    en, id_ = part.described("en"), part.described("id")
    return Disclosure(
        release=str(clearance.release), released=(clearance.as_of or datetime.now(UTC)).date(), k=k,
        quasi_identifiers=tuple(Generalised(qi.column, en[qi.column], id_[qi.column]) for qi in QUASI_IDENTIFIERS),
        suppressed={ROWS: int(whole.withheld.sum() + part.withheld.sum())},
    )  # fmt: skip


def _subset(s: Scores, rows: np.ndarray) -> Scores:
    """Some rows of a panel's scores: every rule is row-wise, so slicing the answers gives the same numbers."""
    return Scores(s.standard, s.layout, [s.assessment_ids[i] for i in rows], s.level[rows], s.answered[rows],
                  s.na[rows])  # fmt: skip
