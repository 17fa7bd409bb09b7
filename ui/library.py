"""The standards library as the app sees it: loaded once per process, from GAPURA_STANDARDS_DIR or standards/."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from scoring.library import Library, load_library

ROOT = Path(__file__).resolve().parent.parent


def standards_dir() -> Path:
    return Path(os.environ.get("GAPURA_STANDARDS_DIR", ROOT / "standards"))


@st.cache_resource(show_spinner=False)
def _load(folder: str) -> Library:
    return load_library(Path(folder))


def library() -> Library:
    return _load(str(standards_dir()))
