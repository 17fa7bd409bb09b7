"""The research data package: tidy and wide tables of one standard version, pseudonymous (keyed ids, no free text,
cohort fields coarsened where a combination is rare) unless an admin asks for names and free text; audited."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from scoring.dataset import Dataset, build_dataset
from scoring.disclosure import coarsen, pseudonym, too_few
from scoring.engine import Scores
from scoring.formats import FORMATS, render
from scoring.issues import Issue
from services.association import Association, Filters
from services.audit import Audit
from services.policy import Actor, ensure, guarded
from store.repository import Store


@dataclass(frozen=True)
class Selection:
    """What a researcher asks for: one standard version, optionally one round, a cohort and submission dates."""

    standard_id: str
    version: str
    round: int | None = None
    filters: Filters = Filters()
    submitted_from: date | None = None
    submitted_to: date | None = None
    submitted_only: bool = False


@dataclass(frozen=True)
class Package:
    dataset: Dataset | None
    organizations: int
    refused: Issue | None = None


class Research:
    def __init__(self, store: Store, association: Association, audit: Audit, secret: Callable[[], str],
                 threshold: Callable[[], int]) -> None:  # fmt: skip
        self.store, self.association, self.audit = store, association, audit
        self.secret, self.threshold = secret, threshold

    @guarded("research_data", "read")
    def versions(self, actor: Actor) -> list[tuple[str, str, int]]:
        """Standard versions with stored assessments: (id, version, assessments)."""
        ensure(actor, "read", "research_data")
        return self.store.versions_in_use(kind="company")

    @guarded("research_data", "read")
    def rounds(self, actor: Actor, standard_id: str, version: str) -> list[int]:
        """The rounds stored of one standard version."""
        ensure(actor, "read", "research_data")
        panel = self.association.panel(standard_id, version)
        return [] if panel is None else sorted(int(r) for r in panel.frame["round"].unique())

    @guarded("research_data", "read")
    def package(self, actor: Actor, selection: Selection, with_names: bool = False) -> Package:
        """The dataset of a selection, or why it is refused (fewer organizations than the privacy threshold).
        `with_names` (admins only) adds organization names, notes, justifications and evidence links."""
        ensure(actor, "read", "research_data")
        if with_names:
            ensure(actor, "read", "research_names")
        panel = self.association.panel(selection.standard_id, selection.version)
        if panel is None:
            return Package(None, 0, Issue("", "", "research.no-data", {"standard": selection.standard_id}))
        frame = panel.frame
        keep = selection.filters.cohort.mask(frame)
        if selection.round is not None:
            keep &= (frame["round"] == selection.round).to_numpy()
        submitted = pd.to_datetime(frame["submitted_at"], utc=True)
        if selection.submitted_only or selection.submitted_from or selection.submitted_to:
            keep &= submitted.notna().to_numpy()
        if selection.submitted_from:
            keep &= (submitted.dt.date >= selection.submitted_from).fillna(False).to_numpy()
        if selection.submitted_to:
            keep &= (submitted.dt.date <= selection.submitted_to).fillna(False).to_numpy()
        rows = np.flatnonzero(keep)
        organizations = int(frame["organization_id"].iloc[rows].nunique())
        threshold = self.threshold()
        reason = too_few(organizations, threshold)
        if reason is not None and not with_names:
            return Package(None, organizations, reason)
        chosen = frame.iloc[rows].reset_index(drop=True)
        ids = list(chosen["assessment"])
        scores = _subset(panel.scores, rows)
        meta = chosen[["assessment", "round", "status"]].copy()
        meta["segments"] = [list(s) for s in chosen["segments"]]
        meta["submitted"] = submitted.iloc[rows].reset_index(drop=True)
        if with_names:
            meta["organization"] = [str(i) for i in chosen["organization_id"]]
            meta["organization_name"] = chosen["organization"]
            cohort = chosen[["province", "island_group", "size_band"]]
        else:
            secret = self.secret()
            meta["organization"] = [pseudonym(secret, "organization", i) for i in chosen["organization_id"]]
            per_org = chosen.drop_duplicates("organization_id")[["organization_id", "province", "island_group",
                                                                   "size_band"]]  # fmt: skip
            coarse = coarsen(per_org, threshold).set_index("organization_id")
            cohort = coarse.loc[chosen["organization_id"]].reset_index(drop=True)
        for column in ("province", "island_group", "size_band"):
            meta[column] = list(cohort[column])
        details = self.store.answer_details(selection.standard_id, selection.version, text=with_names)
        details = details[details["assessment"].isin(set(ids))]
        dataset = build_dataset(panel.standard, scores, meta, details)
        self.audit.record(actor.label, "research.export", f"standard:{selection.standard_id}",
                          {"version": selection.version, "assessments": len(ids), "organizations": organizations,
                           "with_names": with_names})  # fmt: skip
        return Package(dataset, organizations)

    def files(self, package: Package, fmt: str, progress: Callable[[float], None] | None = None) -> dict[str, bytes]:
        """The package's files in one of FORMATS (name → bytes)."""
        if fmt not in FORMATS:
            raise ValueError(fmt)
        return render(package.dataset, fmt, progress)


def zipped(files: dict[str, bytes], folder: str) -> bytes:
    """Several files as one ZIP, inside a folder named after the package (a data package unpacks as one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return out.getvalue()


def _subset(s: Scores, rows: np.ndarray) -> Scores:
    """Some rows of a panel's scores: every rule is row-wise, so slicing the answers gives the same numbers."""
    return Scores(s.standard, s.layout, [s.assessment_ids[i] for i in rows], s.level[rows], s.answered[rows],
                  s.na[rows])  # fmt: skip
