"""The standards library as the application sees it: the folder's files, loaded once per process and reloaded when
a file in the folder is added, removed or saved, so a new version shows without a restart; and the stored copy of
every version an assessment uses, so an assessment keeps the standard it was made with."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.library import FileReport, Library, load_library, read_standard
from scoring.model import Standard
from services.policy import open_call
from store import standard_copies
from store.repository import Store


@lru_cache(maxsize=4)
def _load(folder: str, signature: tuple) -> Library:
    return load_library(Path(folder))


def library_from(folder: Path) -> Library:
    signature = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*.json")))
    return _load(str(folder), signature)


def shown_path(file: str, folder: Path) -> str:
    """A standards file as users see it: relative to the standards folder, never the server's absolute path."""
    try:
        return Path(file).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return Path(file).name


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Changed:
    """A library file that now differs from the copy assessments were made with, under the same id and version."""

    standard_id: str
    version: str
    file: str  # relative to the standards folder, never the server's absolute path
    stored_sha256: str
    file_sha256: str


class Standards:
    """The standard version an assessment must be opened with: its stored copy when there is one, else the
    library's; and which library files no longer match their stored copy."""

    def __init__(self, store: Store, library: Callable[[], Library], folder: Callable[[], Path] | None = None) -> None:
        self.store = store
        self.library = library
        self.folder = folder  # to show files relative to it; without it, files are named as the library names them
        self._parsed: dict[str, Standard | None] = {}  # by sha256: pages call get() on every rerun
        self._kept: set[tuple[str, str]] = set()  # a copy is never removed, so once kept needs no second look

    @open_call("the standards library is public: every signed-in user reads it")
    def remember(self, standard: Standard) -> None:
        """Store the copy of this version if none is stored yet: the file's exact bytes when they are what was
        loaded, else the model itself."""
        key = standard.key
        if key in self._kept:
            return
        raw = self._file_bytes(self._files(self.library()).get(key))
        if raw is None or read_standard(raw, "copy").standard != standard:
            raw = standard.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8")
        standard_copies.keep(self.store, *key, sha256(raw), raw.decode("utf-8"))
        self._kept.add(key)

    @open_call("the standards library is public: every signed-in user reads it")
    def get(self, standard_id: str, version: str) -> Standard | None:
        """The stored copy when there is one (None if it no longer parses as a standard), else the library's."""
        library = self.library()
        copy = standard_copies.get(self.store, standard_id, version)
        if copy is None:
            return library.get(standard_id, version)
        digest, document = copy
        report = self._files(library).get((standard_id, version))
        if report is not None and self._file_digest(report) == digest:
            return report.standard
        if digest not in self._parsed:
            name = f"stored copy of '{standard_id}' version '{version}'"
            self._parsed[digest] = read_standard(document.encode("utf-8"), name).standard
        return self._parsed[digest]

    @open_call("the standards library is public: every signed-in user reads it")
    def changed(self, library: Library | None = None) -> list[Changed]:
        """Stored copies whose library file (of `library`, by default the app's), under the same id and version,
        now has other content; files of a given library are named as it names them (the command line's paths)."""
        files = self._files(library or self.library())
        shown = (lambda file: file) if library is not None else self._shown
        found = []
        for key, stored in sorted(standard_copies.all_digests(self.store).items()):
            report = files.get(key)
            current = None if report is None else self._file_digest(report)
            if current is not None and current != stored:
                found.append(Changed(*key, shown(report.file), stored, current))
        return found

    @open_call("the standards library is public: every signed-in user reads it")
    def missing(self) -> list[tuple[str, str]]:
        """Stored copies the library no longer has a file for; their assessments still open from the copy."""
        files = self._files(self.library())
        return sorted(key for key in standard_copies.all_digests(self.store) if key not in files)

    @staticmethod
    def _files(library: Library) -> dict[tuple[str, str], FileReport]:
        """The report of the file each (id, version) is loaded from: the one `library.get` answers with."""
        return {r.standard.key: r for r in library.reports if r.valid and r.standard is not None}

    @staticmethod
    def _file_bytes(report: FileReport | None) -> bytes | None:
        if report is None:
            return None
        try:
            raw = Path(report.file).read_bytes()
            raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return raw

    def _file_digest(self, report: FileReport) -> str | None:
        path = Path(report.file)
        try:
            stat = path.stat()
        except OSError:
            return None
        return _digest_of(str(path), stat.st_mtime_ns, stat.st_size)

    def _shown(self, file: str) -> str:
        return file if self.folder is None else shown_path(file, self.folder())


@lru_cache(maxsize=256)
def _digest_of(path: str, mtime_ns: int, size: int) -> str | None:
    """A file's sha256, read again only when the file is saved (its time or size changes)."""
    try:
        return sha256(Path(path).read_bytes())
    except OSError:
        return None
