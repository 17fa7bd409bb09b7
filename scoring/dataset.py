"""The research data package as tables: tidy (assessment × criterion), wide (assessment), criteria, codebook, rules.

Pseudonymous by construction: names and free text appear only when the caller passes them (admin options)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.engine import TOLERANCE, Scores
from scoring.inflation import GAP_COLUMNS, inflation_index, paired, self_report_gap
from scoring.model import NA, Standard, localize
from scoring.readiness import CODES

COHORT = ["province", "island_group", "size_band", "segments"]
HEAD = ["organization", *COHORT, "standard_id", "standard_version", "round", "status", "submitted", "verified"]
TIDY = [
    *HEAD, "criterion", "domain", "capabilities", "answered", "level", "na", "scored", "score", "target", "gap",
    "met", "impact", "mandatory", "weight", "domain_weight", "origin", "verified_level", "verified_na",
]  # fmt: skip
WIDE = [*HEAD, "overall", "coverage", "readiness", "criteria", "answered", "na", "scored", "met", "unmet",
        "unmet_mandatory"]  # fmt: skip
CRITERIA = ["criterion", "domain", "title_en", "title_id", "capabilities", "weight", "target", "mandatory"]
FREE_TEXT = ["note", "justification", "evidence"]
TABLES = ("tidy", "wide", "criteria", "self_report_gap")
# Primary keys: an organization has one assessment per round of a standard (store: uq_assessment_round).
KEYS = {"tidy": ["organization", "round", "criterion"], "wide": ["organization", "round"], "criteria": ["criterion"],
        "self_report_gap": ["criterion"], "panel": ["organization", "campaign_round"],
        "panel_support": ["organization", "campaign_round", "dimension", "value"]}  # fmt: skip
# The panel (members × campaign rounds) and the support each received between its rounds, when campaigns exist.
PANEL = ["organization", "campaign_round", "campaign_deadline", "standard_id", "standard_version", "round", "status",
         "submitted", "complete", "overall", "readiness"]  # fmt: skip
PANEL_SUPPORT = ["organization", "campaign_round", "dimension", "value", "count", "days"]
PANEL_TABLES = ("panel", "panel_support")
STATUSES = ("draft", "submitted", "verified")
CODEBOOK_COLUMNS = [
    "name", "table", "type", "required", "values", "minimum", "maximum", "unit",
    "description_en", "description_id", "computed_en", "computed_id",
]  # fmt: skip
STATA_NAME = 32
_COLUMN_TEXTS: dict[str, dict[str, Any]] = tomllib.loads((Path(__file__).with_name("codebook.toml")).read_text("utf-8"))


@dataclass(frozen=True)
class Generalised:
    """How one quasi-identifier (a column) was generalised for a release, in English and Indonesian."""

    column: str
    en: str
    id: str


ROWS = "rows"


@dataclass(frozen=True)
class Disclosure:
    """The disclosure control a release applied, which every file of its package states (scoring/formats.py)."""

    release: str  # the release's id in the differencing memory
    released: date
    k: int  # every combination of the quasi-identifiers is shared by at least k organizations
    quasi_identifiers: tuple[Generalised, ...]
    # column → cells left empty to reach k; ROWS → assessments withheld whole (alone on every field)
    suppressed: Mapping[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": "gapura.disclosure/1",
            "release": self.release,
            "released": self.released.isoformat(),
            "k": self.k,
            "quasi_identifiers": [{"column": q.column, "generalised": {"en": q.en, "id": q.id}}
                                  for q in self.quasi_identifiers],
            "suppressed": dict(self.suppressed),
        }  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    """Every table of one research export of one standard version, with its codebook, scoring rules and, for a
    release, the disclosure control applied."""

    standard_id: str
    standard_version: str
    tidy: pd.DataFrame
    wide: pd.DataFrame
    criteria: pd.DataFrame
    codebook: pd.DataFrame
    rules: dict[str, Any]
    disclosure: Disclosure | None = None
    self_report_gap: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=GAP_COLUMNS))
    panel: pd.DataFrame | None = None  # PANEL, one row per member × campaign round; None without campaigns
    panel_support: pd.DataFrame | None = None  # PANEL_SUPPORT

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables this package has: TABLES, and the panel's when it has one."""
        return TABLES + (PANEL_TABLES if self.panel is not None else ())

    def table(self, name: str) -> pd.DataFrame:
        return {"tidy": self.tidy, "wide": self.wide, "criteria": self.criteria,
                "self_report_gap": self.self_report_gap, "panel": self.panel,
                "panel_support": self.panel_support}[name]  # fmt: skip

    @property
    def inflation_index(self) -> float | None:
        """The self-report gaps of the package's criteria averaged with their n as weights (scoring/inflation.py)."""
        return inflation_index(self.self_report_gap)


def build_dataset(
    standard: Standard,
    scores: Scores,
    meta: pd.DataFrame,
    details: pd.DataFrame | None = None,
    disclosure: Disclosure | None = None,
    verified: pd.DataFrame | None = None,
    threshold: int = 1,
    panel: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Dataset:
    """The tables, codebook and rules for `scores` of `standard`, described by `meta` and `details`; `disclosure`,
    when given, is stated in every file of the package (README.md, disclosure.json, or inside the file).
    `verified`: the verified levels (assessment, criterion, level) beside the company's own; the self-report gap
    table counts each organization's latest verified assessment and hides criteria under `threshold` of them.
    `panel` (panel_table, panel_support_table) adds the campaign panel."""
    verified = pd.DataFrame(columns=["assessment", "criterion", "level"]) if verified is None else verified
    tidy = tidy_table(standard, scores, meta, details, verified)
    wide = wide_table(standard, scores, meta)
    criteria = criteria_table(standard)
    gaps = gap_table(standard, scores, meta, verified, threshold)
    if disclosure is not None:
        _check_disclosure(disclosure, wide)
    extra = dict(zip(PANEL_TABLES, panel, strict=True)) if panel is not None else {}
    return Dataset(
        standard.id, standard.version, tidy, wide, criteria, codebook(standard, tidy, wide, criteria, gaps, extra),
        scoring_rules(standard), disclosure, gaps, *(panel or ()),
    )  # fmt: skip


def domain_columns(standard: Standard) -> dict[str, str]:
    """Each domain id → its score column in `wide`: `score_<id>`, a valid Stata name (≤ 32 characters: letters,
    digits and underscores), unique even when ids differ only by case or by characters Stata refuses."""
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for domain in standard.domains:
        base = "score_" + re.sub(r"[^A-Za-z0-9_]", "_", domain.id)
        name, n = base[:STATA_NAME], 1
        # Compared casefolded: the files may be opened by tools that ignore case (SPSS, Windows file systems).
        while name.casefold() in taken:
            n += 1
            name = base[: STATA_NAME - len(f"_{n}")] + f"_{n}"
        taken.add(name.casefold())
        columns[domain.id] = name
    return columns


def tidy_table(
    standard: Standard,
    scores: Scores,
    meta: pd.DataFrame,
    details: pd.DataFrame | None = None,
    verified: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per assessment × criterion, every criterion included, with the verified level where there is one;
    free text only when `details` has it."""
    _check(standard, scores, meta)
    n, k = scores.level.shape
    layout = scores.layout
    criteria = [c for _, c in standard.criteria()]
    head = _head(standard, meta)
    frame = pd.DataFrame({col: np.repeat(head[col].to_numpy(dtype=object), k) for col in HEAD})
    frame = frame.astype({"round": "int64", "verified": bool})
    frame["criterion"] = np.tile(np.array(layout.criterion_ids, dtype=object), n)
    frame["domain"] = np.tile(np.array(layout.domain_ids, dtype=object)[layout.domain_of], n)
    frame["capabilities"] = np.tile(np.array([";".join(c.capabilities) for c in criteria], dtype=object), n)
    scored = scores.scored.ravel()
    frame["answered"] = scores.answered.ravel()
    frame["level"] = pd.array(scores.level.ravel(), dtype="Int64")
    frame["na"] = scores.na.ravel()
    frame["scored"] = scored
    frame["score"] = scores.criterion_score.ravel()
    frame["target"] = np.tile(layout.target.astype("int64"), n)
    frame["gap"] = scores.gap.ravel()
    frame["met"] = pd.array(scores.met.ravel(), dtype="boolean")
    frame.loc[~scored, "met"] = pd.NA
    frame["impact"] = scores.impact.ravel()
    frame["mandatory"] = np.tile(layout.mandatory, n)
    frame["weight"] = np.tile(layout.weight, n)
    frame["domain_weight"] = np.tile(layout.domain_weight[layout.domain_of], n)
    given = _details(scores, details)
    frame["origin"] = np.where(frame["answered"], [_origin(o) for o in given["origin"]], None)
    frame["verified_level"], frame["verified_na"] = _verified_levels(scores, verified)
    if "organization_name" in meta.columns:
        frame["organization_name"] = np.repeat(meta["organization_name"].to_numpy(dtype=object), k)
    for column in FREE_TEXT:
        if column in given.columns:
            frame[column] = [_free_text(v) for v in given[column]]
    return frame


def wide_table(standard: Standard, scores: Scores, meta: pd.DataFrame) -> pd.DataFrame:
    """One row per assessment: overall, coverage, readiness, counts and one score column per domain."""
    _check(standard, scores, meta)
    frame = _head(standard, meta)
    frame["overall"] = scores.overall
    frame["coverage"] = scores.coverage
    frame["readiness"] = scores.readiness.astype(object)
    frame["criteria"] = np.int64(len(scores.layout.criterion_ids))
    frame["answered"] = scores.answered.sum(axis=1)
    frame["na"] = scores.na.sum(axis=1)
    frame["scored"] = scores.scored.sum(axis=1)
    frame["met"] = scores.met.sum(axis=1)
    frame["unmet"] = (scores.scored & ~scores.met).sum(axis=1)
    frame["unmet_mandatory"] = scores.blocking.sum(axis=1)
    for k, column in enumerate(domain_columns(standard).values()):
        frame[column] = scores.domain_score[:, k]
    if "organization_name" in meta.columns:
        frame["organization_name"] = meta["organization_name"].to_numpy(dtype=object)
    return frame


def panel_table(standard: Standard, scores: Scores, meta: pd.DataFrame) -> pd.DataFrame:
    """One row per member × campaign round (`meta`: assessment, organization, campaign_round, campaign_deadline,
    round, status, submitted, in `scores` order): complete assessments scored, incomplete ones without scores."""
    if list(meta["assessment"]) != list(scores.assessment_ids):
        raise ValueError("meta must have one row per assessment, in scores.assessment_ids order")
    complete = scores.coverage >= 1
    frame = pd.DataFrame({
        "organization": meta["organization"].astype(str).to_numpy(dtype=object),
        "campaign_round": meta["campaign_round"].astype(str).to_numpy(dtype=object),
        "campaign_deadline": [_iso_date(v) for v in meta["campaign_deadline"]],
        "standard_id": standard.id,
        "standard_version": standard.version,
        "round": meta["round"].astype("int64").to_numpy(),
        "status": meta["status"].to_numpy(dtype=object),
        "submitted": [_iso_date(v) for v in meta["submitted"]],
        "complete": complete,
    }, columns=PANEL[:9])  # fmt: skip
    frame["overall"] = np.where(complete, scores.overall, np.nan)
    frame["readiness"] = scores.readiness.astype(object)
    for k, column in enumerate(domain_columns(standard).values()):
        frame[column] = np.where(complete, scores.domain_score[:, k], np.nan)
    return frame


def panel_support_table(received: pd.DataFrame, ids: Mapping[int, str]) -> pd.DataFrame:
    """The support each member received before each campaign round (scoring.support.received rows), keyed by the
    package's organization ids (`ids`: organization id → id as released); members not in `ids` are left out."""
    chosen = received[received["organization_id"].isin(list(ids))]
    return pd.DataFrame({
        "organization": [ids[i] for i in chosen["organization_id"]],
        "campaign_round": chosen["round"].astype(str).to_numpy(dtype=object),
        "dimension": chosen["dimension"].to_numpy(dtype=object),
        "value": chosen["value"].to_numpy(dtype=object),
        "count": chosen["count"].astype("int64").to_numpy(),
        "days": chosen["days"].astype("int64").to_numpy(),
    }, columns=PANEL_SUPPORT)  # fmt: skip


def criteria_table(standard: Standard) -> pd.DataFrame:
    """The standard itself, one row per criterion in the standard's order (no personal data)."""
    rows = [
        {
            "criterion": c.id,
            "domain": d.id,
            "title_en": localize(c.title, "en"),
            "title_id": localize(c.title, "id"),
            "capabilities": ";".join(c.capabilities),
            "weight": float(c.weight),
            "target": standard.target_of(c),
            "mandatory": c.mandatory,
        }  # fmt: skip
        for d, c in standard.criteria()
    ]
    return pd.DataFrame(rows, columns=CRITERIA).astype({"target": "int64", "mandatory": bool})


def gap_table(standard: Standard, scores: Scores, meta: pd.DataFrame, verified: pd.DataFrame,
              threshold: int = 1) -> pd.DataFrame:  # fmt: skip
    """The self-report gap per criterion (scoring/inflation.py) over each organization's latest verified assessment
    in the package: one organization counts once, whatever rounds it had verified."""
    latest = meta[meta["verified"].astype(bool)] if "verified" in meta.columns else meta.iloc[:0]
    latest = latest.sort_values("round").groupby("organization", sort=False).tail(1)
    chosen = verified[verified["assessment"].isin(set(latest["assessment"]))]
    return self_report_gap(standard, paired(scores, chosen), threshold)


def codebook(
    standard: Standard, tidy: pd.DataFrame, wide: pd.DataFrame, criteria: pd.DataFrame, gaps: pd.DataFrame,
    extra: Mapping[str, pd.DataFrame] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Every column of every table (`extra`: more tables by name), bilingual, with its type, allowed values, unit and
    how it is computed."""
    domains = {column: d for d, column in zip(standard.domains, domain_columns(standard).values(), strict=True)}
    rows = []
    tables = (("tidy", tidy), ("wide", wide), ("criteria", criteria), ("self_report_gap", gaps), *(extra or {}).items())
    for table, frame in tables:
        for name in frame.columns:
            if name in domains:
                d = domains[name]
                fill = {"domain": d.id, "title_en": localize(d.title, "en"), "title_id": localize(d.title, "id")}
                entry = _COLUMN_TEXTS.get(f"{table}.domain_score") or _COLUMN_TEXTS["domain_score"]
                rows.append(_describe(name, table, entry, standard, fill))
            else:
                entry = _COLUMN_TEXTS.get(f"{table}.{name}") or _COLUMN_TEXTS[name]
                rows.append(_describe(name, table, entry, standard, {}))
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


def scoring_rules(standard: Standard) -> dict[str, Any]:
    """Everything needed to recompute every score of the package, as JSON-able data, formulas in en and id."""
    columns = domain_columns(standard)
    return {
        "format": "gapura.scoring-rules/1",
        "standard": {
            "id": standard.id,
            "version": standard.version,
            "title": {"en": localize(standard.title, "en"), "id": localize(standard.title, "id")},
        },  # fmt: skip
        "scale": {
            "top": standard.scale.top,
            "levels": [
                {"value": lv.value, "label": {"en": localize(lv.label, "en"), "id": localize(lv.label, "id")}}
                for lv in standard.scale.levels
            ],
            "not_applicable": NA,
        },
        "readiness": {
            "ready": standard.readiness.ready,
            "progressing": standard.readiness.progressing,
            "codes": list(CODES),
            # The engine compares S + tolerance with the thresholds (engine.TOLERANCE): a score equal to a threshold
            # on paper may land a rounding error below it, and a recomputation should reach the same verdict.
            "tolerance": TOLERANCE,
        },
        "domains": [
            {"id": d.id, "column": columns[d.id], "weight": float(d.weight), "criteria": [c.id for c in d.criteria]}
            for d in standard.domains
        ],
        "criteria": [
            {
                "id": c.id,
                "domain": d.id,
                "weight": float(c.weight),
                "target": standard.target_of(c),
                "mandatory": c.mandatory,
                "capabilities": list(c.capabilities),
            }  # fmt: skip
            for d, c in standard.criteria()
        ],
        "notation": {
            "en": "L is the top level of the scale; for criterion c in domain d, a_c is its level, t_c its target, "
            "w_c its weight; W_d is the domain's weight.",
            "id": "L adalah tingkat tertinggi skala; untuk kriteria c di domain d, a_c adalah tingkatnya, t_c "
            "targetnya, w_c bobotnya; W_d adalah bobot domain.",
        },
        "formulas": FORMULAS,
    }


FORMULAS = [
    {"rule": 1, "name": "criterion score",
     "en": "s_c = a_c / L for a criterion answered with a level. N/A and unanswered criteria are not scored.",
     "id": "s_c = a_c / L untuk kriteria yang dijawab dengan tingkat. Kriteria N/A dan yang belum dijawab tidak dinilai."},
    {"rule": 2, "name": "domain score",
     "en": "S_d = Σ w_c·s_c / Σ w_c over the scored criteria of d. A domain with no scored criterion has no score "
           "and is left out of the overall score.",
     "id": "S_d = Σ w_c·s_c / Σ w_c atas kriteria domain d yang dinilai. Domain tanpa kriteria yang dinilai tidak "
           "punya skor dan tidak ikut dihitung dalam skor keseluruhan."},
    {"rule": 3, "name": "overall score",
     "en": "S = Σ W_d·S_d / Σ W_d over the domains that have a score.",
     "id": "S = Σ W_d·S_d / Σ W_d atas domain yang punya skor."},
    {"rule": 4, "name": "coverage",
     "en": "Coverage = answered criteria (N/A included) / all criteria.",
     "id": "Cakupan = kriteria yang sudah dijawab (termasuk N/A) / seluruh kriteria."},
    {"rule": 5, "name": "gap",
     "en": "g_c = max(0, t_c − a_c) / L for a scored criterion; it is met when a_c ≥ t_c. "
           "Domain gap G_d = Σ w_c·g_c / Σ w_c over the scored criteria of d.",
     "id": "g_c = max(0, t_c − a_c) / L untuk kriteria yang dinilai; kriteria terpenuhi bila a_c ≥ t_c. "
           "Kesenjangan domain G_d = Σ w_c·g_c / Σ w_c atas kriteria domain d yang dinilai."},
    {"rule": 6, "name": "impact",
     "en": "impact_c = (W_d / Σ W_d') · (w_c / Σ_{c'∈d} w_c') · g_c, both sums over the scored set of rules 2 and 3: "
           "how much S rises if c reaches its target.",
     "id": "dampak_c = (W_d / Σ W_d') · (w_c / Σ_{c'∈d} w_c') · g_c, kedua penjumlahan atas himpunan yang dinilai "
           "seperti aturan 2 dan 3: seberapa besar S naik bila c mencapai targetnya."},
    {"rule": 7, "name": "readiness",
     "en": "The first rule that applies: incomplete if coverage < 1 or no criterion is scored; not-ready if any "
           "mandatory criterion is scored and not met; ready if S + tolerance ≥ ready; progressing if "
           "S + tolerance ≥ progressing; otherwise early.",
     "id": "Aturan pertama yang berlaku: incomplete bila cakupan < 1 atau tidak ada kriteria yang dinilai; "
           "not-ready bila ada kriteria wajib yang dinilai dan belum terpenuhi; ready bila S + toleransi ≥ ambang "
           "ready; progressing bila S + toleransi ≥ ambang progressing; selain itu early."},
    {"rule": 8, "name": "action plan order",
     "en": "Unmet mandatory criteria first, then by impact descending, ties in the standard's order.",
     "id": "Kriteria wajib yang belum terpenuhi lebih dulu, lalu menurut dampak dari yang terbesar; bila sama, "
           "menurut urutan di standar."},
]  # fmt: skip


def _check(standard: Standard, scores: Scores, meta: pd.DataFrame) -> None:
    if scores.standard.key != standard.key:
        raise ValueError(f"scores are of {scores.standard.key}, not {standard.key}")
    if list(meta["assessment"]) != list(scores.assessment_ids):
        raise ValueError("meta must have one row per assessment, in scores.assessment_ids order")
    unknown = set(meta["status"]) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown status: {sorted(map(str, unknown))}")
    if meta.duplicated(["organization", "round"]).any():
        raise ValueError("an organization appears twice with the same round")


def _check_disclosure(disclosure: Disclosure, wide: pd.DataFrame) -> None:
    named = [q.column for q in disclosure.quasi_identifiers] + [c for c in disclosure.suppressed if c != ROWS]
    unknown = sorted(set(named) - set(wide.columns))
    if unknown:
        raise ValueError(f"the disclosure statement names columns the package does not have: {unknown}")
    if disclosure.k < 1 or any(n < 0 for n in disclosure.suppressed.values()):
        raise ValueError("k must be at least 1 and suppressed counts not negative")


def _head(standard: Standard, meta: pd.DataFrame) -> pd.DataFrame:
    """The columns every row of an assessment shares, one row per assessment."""
    return pd.DataFrame(
        {
            "organization": meta["organization"].astype(str).to_numpy(dtype=object),
            **{c: [_text_or_none(v) for v in meta[c]] for c in ("province", "island_group", "size_band")},
            "segments": [
                s if isinstance(s, str) else ";".join(s) if isinstance(s, (list, tuple)) else ""
                for s in meta["segments"]
            ],
            "standard_id": standard.id,
            "standard_version": standard.version,
            "round": meta["round"].astype("int64").to_numpy(),
            "status": meta["status"].to_numpy(dtype=object),
            "submitted": [_iso_date(v) for v in meta["submitted"]],
            "verified": meta["verified"].astype(bool).to_numpy() if "verified" in meta.columns else False,
        },
        columns=HEAD,
    )


def _details(scores: Scores, details: pd.DataFrame | None) -> pd.DataFrame:
    """`details` aligned with the tidy rows (assessment-major, the standard's order); missing rows are empty."""
    n, k = scores.level.shape
    keys = pd.DataFrame(
        {
            "assessment": np.repeat(np.array(scores.assessment_ids, dtype=object), k),
            "criterion": np.tile(np.array(scores.layout.criterion_ids, dtype=object), n),
        }
    )
    if details is None or details.empty:
        return keys.assign(origin=None)
    details = details.astype({"assessment": object, "criterion": object})
    return keys.merge(details, how="left", on=["assessment", "criterion"], validate="one_to_one")


def _verified_levels(scores: Scores, verified: pd.DataFrame | None) -> tuple[pd.array, np.ndarray]:
    """The verified level (empty where none or N/A) and whether the verifier found it N/A, aligned with tidy's
    rows (assessment-major, the standard's order)."""
    n, k = scores.level.shape
    level = np.full(n * k, np.nan)
    na = np.zeros(n * k, dtype=bool)
    if verified is not None and not verified.empty:
        pairs = paired(scores, verified)
        row = {a: i for i, a in enumerate(scores.assessment_ids)}
        column = {c: j for j, c in enumerate(scores.layout.criterion_ids)}
        cell = pairs["assessment"].map(row).to_numpy(dtype=int) * k + pairs["criterion"].map(column).to_numpy(dtype=int)
        level[cell] = pairs["verified"].to_numpy()
        na[cell] = pairs["verified"].isna().to_numpy()
    return pd.array(level, dtype="Float64").astype("Int64"), na


def _origin(raw: Any) -> str:
    """The stored origin as the codebook names it."""
    if _missing(raw):
        return "self"
    if raw == "round":
        return "carried-over"
    if raw == "segment" or str(raw).startswith("capability:"):
        return "pre-filled"
    raise ValueError(f"unknown answer origin: {raw!r}")


def _free_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(map(str, value))
    return "" if _missing(value) else str(value)


def _text_or_none(value: Any) -> str | None:
    return None if _missing(value) or value == "" else str(value)


def _iso_date(value: Any) -> str | None:
    # A date only: the time of day adds nothing for research and makes a submission easier to re-identify; a
    # pseudonymous release gives only the period its disclosure control allows ("2026-07", "2026-Q3", "2026").
    if isinstance(value, str):
        return value or None
    return None if _missing(value) else pd.Timestamp(value).date().isoformat()


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pd.NA (not a list, whose pd.isna is an array)."""
    return value is None or (not isinstance(value, (list, tuple, np.ndarray)) and bool(pd.isna(value)))


def _describe(name: str, table: str, entry: dict[str, Any], standard: Standard, fill: dict[str, str]) -> dict:
    top = standard.scale.top

    def bound(key: str) -> float | None:
        value = entry.get(key)
        if value in ("L", "-L"):
            return float(top) if value == "L" else -float(top)
        return None if value is None else float(value)

    rules = ", ".join(map(str, entry.get("rules", [])))
    cite_en = rules and f"scoring.md rule{'s' if ',' in rules else ''} {rules}"
    cite_id = rules and f"scoring.md aturan {rules}"
    values: Iterable[str] = entry.get("values", [])
    if entry["type"] == "boolean":
        values = ["true", "false"]
    return {
        "name": name,
        "table": table,
        "type": entry["type"],
        "required": bool(entry.get("required", False)) or name in KEYS[table],
        "values": ";".join(values),
        "minimum": bound("minimum"),
        "maximum": bound("maximum"),
        "unit": entry.get("unit", ""),
        "description_en": entry["en"].format(**fill),
        "description_id": entry["id"].format(**fill),
        "computed_en": _join(entry.get("computed_en", "").format(**fill), cite_en),
        "computed_id": _join(entry.get("computed_id", "").format(**fill), cite_id),
    }


def _join(formula: str, cite: str) -> str:
    return f"{formula} ({cite})" if formula and cite else formula or cite
