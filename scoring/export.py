"""Result files: one row per criterion, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from scoring.engine import Result
from scoring.model import NA, Answer, localize

# What a spreadsheet may run as a formula at the start of a cell, including the fullwidth forms some convert.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_AFTER_BREAK = re.compile("(\r\n|\r|\n)(?=[" + re.escape("".join(FORMULA_START)) + "])")

RESULT_COLUMNS = [
    "standard_id", "standard_version", "organization", "domain_id", "domain", "criterion_id", "criterion",
    "mandatory", "weight", "answer", "level", "level_label", "target", "score", "gap", "met", "impact",
    "action_rank", "justification", "note", "evidence",
]  # fmt: skip


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets an apostrophe (CSV injection): at the start of the cell and
    after every line break in it, in case a reader splits the cell there."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_BREAK.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def results_frame(result: Result, organization: str, answers: Mapping[str, Answer], lang: str) -> pd.DataFrame:
    """The tidy result table: scores as fractions with full precision, texts in `lang`."""
    standard = result.standard
    rank = {cid: i + 1 for i, cid in enumerate(result.actions)}
    scores = result.criteria.set_index("criterion")
    rows = []
    for domain, criterion in standard.criteria():
        row = scores.loc[criterion.id]
        answer = answers.get(criterion.id) or Answer()
        level = row["level"]
        rows.append(
            {
                "standard_id": standard.id,
                "standard_version": standard.version,
                "organization": organization,
                "domain_id": domain.id,
                "domain": localize(domain.title, lang),
                "criterion_id": criterion.id,
                "criterion": localize(criterion.title, lang),
                "mandatory": criterion.mandatory,
                "weight": criterion.weight,
                "answer": "na" if level == NA else ("" if level is None else "level"),
                "level": None if level in (NA, None) else int(level),
                "level_label": "" if level in (NA, None) else standard.scale.label(int(level), lang),
                "target": int(row["target"]),
                "score": row["score"],
                "gap": row["gap"],
                "met": None if pd.isna(row["met"]) else bool(row["met"]),
                "impact": row["impact"],
                "action_rank": rank.get(criterion.id),
                "justification": answer.justification,
                "note": answer.note,
                "evidence": " ".join(answer.evidence),
            }
        )
    frame = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    frame["level"] = frame["level"].astype("Int64")
    frame["action_rank"] = frame["action_rank"].astype("Int64")
    frame["met"] = frame["met"].astype("boolean")
    return frame


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so that Excel shows Indonesian text correctly; formula text escaped."""
    safe = frame.map(safe_cell) if len(frame) else frame
    # The csv module quotes a cell holding a character of the line terminator; with "\n" alone a bare CR went out
    # unquoted and a spreadsheet started a new row there. "\r\n" (RFC 4180) quotes every cell with CR or LF.
    return safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).encode("utf-8-sig")
