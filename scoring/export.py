"""Spreadsheet-safe CSV: formula text escaped, line breaks quoted (research tables and files for people)."""

from __future__ import annotations

import csv
import re
from typing import Any

import pandas as pd

# What a spreadsheet may run as a formula at the start of a cell, including the fullwidth forms some convert.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_FORMULA_AFTER_BREAK = re.compile("(\r\n|\r|\n)(?=[" + re.escape("".join(FORMULA_START)) + "])")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets an apostrophe (CSV injection): at the start of the cell and
    after every line break in it, in case a reader splits the cell there."""
    if not isinstance(value, str):
        return value
    value = _FORMULA_AFTER_BREAK.sub(r"\1'", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark so that Excel shows Indonesian text correctly; formula text escaped."""
    safe = frame.map(safe_cell) if len(frame) else frame
    # The csv module quotes a cell holding a character of the line terminator; with "\n" alone a bare CR went out
    # unquoted and a spreadsheet started a new row there. "\r\n" (RFC 4180) quotes every cell with CR or LF.
    return safe.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).encode("utf-8-sig")
