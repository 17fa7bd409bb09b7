"""The standards library as the application sees it: the folder's files, loaded once per process and reloaded when
a file in the folder is added, removed or saved, so a new version shows without a restart."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from scoring.library import Library, load_library


@lru_cache(maxsize=4)
def _load(folder: str, signature: tuple) -> Library:
    return load_library(Path(folder))


def library_from(folder: Path) -> Library:
    signature = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*.json")))
    return _load(str(folder), signature)
