"""How far companies' own levels sit from the levels the association verified: the self-report gap per criterion and
the inflation index over all of them (docs/scoring.md, "Verified levels")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.engine import Scores
from scoring.model import NA, Standard

KEYS = ["assessment", "criterion"]
GAP_COLUMNS = ["criterion", "n", "gap", "gap_levels", "share_over", "share_under", "suppressed"]


def with_verified(answers: pd.DataFrame, verified: pd.DataFrame) -> pd.DataFrame:
    """The long answers frame (assessment, criterion, level) with each verified level in place of the company's own
    (a verified criterion the company left unanswered is added): what verified-only figures score."""
    if verified.empty:
        return answers
    replaced = pd.MultiIndex.from_frame(answers[KEYS]).isin(pd.MultiIndex.from_frame(verified[KEYS]))
    frame = pd.concat([answers.loc[~replaced, [*KEYS, "level"]].astype({"level": object}),
                       verified[[*KEYS, "level"]].astype({"level": object})], ignore_index=True)  # fmt: skip
    frame["level"] = pd.Categorical(frame["level"])  # a handful of values, as the engine reads them
    return frame


def paired(scores: Scores, verified: pd.DataFrame) -> pd.DataFrame:
    """Every verified criterion of the scored assessments beside the company's own level: columns assessment,
    criterion, own, verified (NaN where N/A or, for own, unanswered)."""
    row = {a: i for i, a in enumerate(scores.assessment_ids)}
    column = {c: j for j, c in enumerate(scores.layout.criterion_ids)}
    chosen = verified[verified["assessment"].isin(row.keys()) & verified["criterion"].isin(column.keys())]
    i = chosen["assessment"].map(row).to_numpy(dtype=int)
    j = chosen["criterion"].map(column).to_numpy(dtype=int)
    levels = chosen["level"].astype(object)
    return pd.DataFrame({
        "assessment": chosen["assessment"].to_numpy(dtype=object),
        "criterion": chosen["criterion"].to_numpy(dtype=object),
        "own": scores.level[i, j] if len(chosen) else np.array([], dtype=float),
        "verified": levels.where(levels != NA, np.nan).to_numpy(dtype=float),
    })  # fmt: skip


def self_report_gap(standard: Standard, pairs: pd.DataFrame, threshold: int = 1) -> pd.DataFrame:
    """Per criterion of the standard, over the pairs where both levels are scored: n, the mean of own − verified as
    a fraction of L (`gap`) and in levels, and the shares over- and under-reported. A criterion with 1..threshold−1
    pairs is suppressed: its n and figures are left empty and `suppressed` says so."""
    top = standard.scale.top
    both = pairs.dropna(subset=["own", "verified"])
    difference = (both["own"] - both["verified"]).to_numpy()
    by_criterion = {c: difference[i] for c, i in both.reset_index(drop=True).groupby("criterion").indices.items()}
    rows = []
    for _, criterion in standard.criteria():
        diffs = by_criterion.get(criterion.id, np.array([]))
        n = len(diffs)
        hidden = 0 < n < threshold
        shown = n > 0 and not hidden
        rows.append({
            "criterion": criterion.id,
            "n": None if hidden else n,
            "gap": float(diffs.mean() / top) if shown else np.nan,
            "gap_levels": float(diffs.mean()) if shown else np.nan,
            "share_over": float((diffs > 0).mean()) if shown else np.nan,
            "share_under": float((diffs < 0).mean()) if shown else np.nan,
            "suppressed": hidden,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=GAP_COLUMNS).astype({"n": "Int64", "suppressed": bool})


def inflation_index(gaps: pd.DataFrame) -> float | None:
    """The inflation index: the criteria's self-report gaps averaged with their n as weights (the shown criteria
    only, so a suppressed one cannot be recovered from it); None when no criterion is shown."""
    shown = gaps[~gaps["suppressed"] & (gaps["n"].fillna(0) > 0)]
    if shown.empty:
        return None
    n = shown["n"].to_numpy(dtype=float)
    return float((n * shown["gap"].to_numpy(dtype=float)).sum() / n.sum())
