"""Message catalogues (en.toml, id.toml) and the current language."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import streamlit as st

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
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
    """The message `key` in the current language, falling back to English, then to the key itself."""
    text = catalogue(lang()).get(key) or catalogue("en").get(key) or key
    return text.format(**params) if params else text
