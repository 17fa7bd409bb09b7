"""Message catalogues (en.toml, id.toml) and the current language."""

from __future__ import annotations

import tomllib
from functools import cache
from numbers import Integral
from pathlib import Path

import streamlit as st

from scoring.formatting import number

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
# A date in a table column: the grid writes month names in English whatever the language, and a column of text would
# no longer sort by date, so day/month/year in digits, which both id and en_GB write this way.
DATE_COLUMN = "DD/MM/YYYY"
DEFAULT = "id"
HERE = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """A flat {"section.key": text} view of one catalogue file."""
    with open(HERE / f"{lang}.toml", "rb") as f:
        data = tomllib.load(f)
    flat: dict[str, str] = {}
    for section, entries in data.items():
        for key, text in entries.items():
            flat[f"{section}.{key}"] = text
    return flat


def lang() -> str:
    return st.session_state.get("lang", DEFAULT)


def t(key: str, **params: object) -> str:
    """The message `key` in the current language, falling back to English, then to the key itself; whole numbers
    among the parameters are written the language's way (id: 1.234, en: 1,234)."""
    text = catalogue(lang()).get(key) or catalogue("en").get(key) or key
    if not params:
        return text
    shown = {
        k: number(v, lang()) if isinstance(v, Integral) and not isinstance(v, bool) else v for k, v in params.items()
    }
    return text.format(**shown)
