"""Where the database is: DATABASE_URL (environment or .streamlit/secrets.toml), else a SQLite file under data/."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "gapura.db"


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return _driver(os.environ["DATABASE_URL"])
    secrets = ROOT / ".streamlit" / "secrets.toml"
    if secrets.exists():
        with secrets.open("rb") as f:
            data = tomllib.load(f)
        url = data.get("DATABASE_URL") or data.get("database", {}).get("url")
        if url:
            return _driver(url)
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def _driver(url: str) -> str:
    """postgres:// and postgresql:// URLs use psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
