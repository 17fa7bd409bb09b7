"""The standards library as the app sees it: loaded once per process, from GAPURA_STANDARDS_DIR or standards/."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from scoring.library import Library, load_library

ROOT = Path(__file__).resolve().parent.parent


def standards_dir() -> Path:
    return Path(os.environ.get("GAPURA_STANDARDS_DIR", ROOT / "standards"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(folder: str, signature: tuple) -> Library:
    return load_library(Path(folder))


def library() -> Library:
    """Reloaded when a file in the folder is added, removed or saved, so a new version shows without a restart."""
    folder = standards_dir()
    signature = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*.json")))
    return _load(str(folder), signature)
