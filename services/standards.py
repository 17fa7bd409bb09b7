"""The standards library as the application sees it: the published versions in the database (every replica sees a
publish or retirement at its next rerun), the capabilities registry file beside the standards folder, and the folder's
files as the seed; and the stored copy of every version an assessment uses, so an assessment keeps the standard it was
made with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scoring.library import FileReport, Library, load_library, read_standard
from scoring.lint import lint
from scoring.model import Standard
from scoring.versions import version_key
from services.policy import open_call
from store import library as published
from store import standard_copies
from store.repository import Store

SEEDED_BY = "seed"
RETIRED = "retired.json"  # retirements before the library moved into the database: a one-time seed


@lru_cache(maxsize=4)
def _load(folder: str, signature: tuple) -> Library:
    return load_library(Path(folder))


def _signature(folder: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in folder.rglob("*.json")))


def library_from(folder: Path) -> Library:
    """The files of a standards folder, loaded again only when a file is added, removed or saved."""
    return _load(str(folder), _signature(folder))


def shown_path(file: str, folder: Path) -> str:
    """A standards file as users see it: relative to the standards folder, never the server's absolute path."""
    if not Path(file).is_absolute():
        return file  # a published version's name is already the one users see
    try:
        return Path(file).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return Path(file).name


def sha256(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


@lru_cache(maxsize=512)
def _parsed(digest: str, document: str, file: str) -> FileReport:
    """A published version through the validator, once per process (the digest names the content)."""
    return read_standard(document.encode("utf-8"), file)


def _retired_file(folder: Path) -> set[tuple[str, str]]:
    try:
        return {(i, v) for i, v in json.loads((folder / RETIRED).read_text(encoding="utf-8"))}
    except (OSError, ValueError, TypeError):
        return set()


def offered(library: Library, retired: frozenset[tuple[str, str]], subject: str) -> list[Standard]:
    """The latest version of each standard that is not retired, for starting a new assessment."""
    latest: dict[str, Standard] = {}
    for standard in sorted(library.standards, key=lambda s: version_key(s.version)):
        if standard.subject == subject and standard.key not in retired:
            latest[standard.id] = standard
    return list(latest.values())


@dataclass(frozen=True)
class Changed:
    """A standards file whose content differs from the published version (or the stored copy) of its id and
    version."""

    standard_id: str
    version: str
    file: str  # relative to the standards folder, never the server's absolute path
    stored_sha256: str
    file_sha256: str


@dataclass(frozen=True)
class Snapshot:
    """The library at one stamp: its standards, every published version by (id, version), the retired ones."""

    stamp: tuple
    library: Library
    versions: dict[tuple[str, str], published.Published]

    @property
    def retired(self) -> frozenset[tuple[str, str]]:
        return frozenset(key for key, row in self.versions.items() if row.retired)


class StandardsLibrary:
    """The published standard versions every replica offers, cached per process on the library stamp; the files in
    the standards folder are published on first use and whenever the folder changes, when their version is new."""

    def __init__(self, store: Store, folder: Callable[[], Path]) -> None:
        self.store = store
        self.folder = folder
        self._seeded: tuple | None = None
        self._snapshot: Snapshot | None = None

    @open_call("the standards library is public: every signed-in user reads it")
    def snapshot(self) -> Snapshot:
        """The library as published now: one query for the stamp, the published rows read again when it moved."""
        folder = self.folder()
        signature = _signature(folder)
        files = _load(str(folder), signature)
        if signature != self._seeded:
            self._seed(folder, files)
            self._seeded = signature
        key = (published.stamp(self.store), signature)
        snapshot = self._snapshot
        if snapshot is None or snapshot.stamp != key:
            snapshot = self._snapshot = self._build(key, files)
        return snapshot

    @open_call("the standards library is public: every signed-in user reads it")
    def current(self) -> Library:
        return self.snapshot().library

    @open_call("which versions are offered is public, like the library")
    def offered(self, subject: str) -> list[Standard]:
        """The standards a new assessment of `subject` can start with: the latest version of each, not retired."""
        snapshot = self.snapshot()
        return offered(snapshot.library, snapshot.retired, subject)

    @open_call("the standards library's files are the committee's; any user may see which differ")
    def files(self) -> Library:
        """The files in the standards folder (the seed and the committee's working copies)."""
        return library_from(self.folder())

    def _seed(self, folder: Path, files: Library) -> None:
        """Publish each valid file whose id and version is not published yet; one a stored copy exists for is
        published as that copy (what assessments were made with), so an edited file shows as differing."""
        known = published.digests(self.store)
        new = [
            r for r in _valid(files).values() if r.standard.key not in known and not published.too_long(*r.standard.key)
        ]
        if not new:
            return
        copies = standard_copies.all_digests(self.store)
        versions = []
        for report in new:
            raw = _file_bytes(report.file)
            if raw is None:
                continue
            key, digest, document = report.standard.key, sha256(raw), raw.decode("utf-8")
            if key in copies and copies[key] != digest:
                digest, document = standard_copies.get(self.store, *key)
            versions.append(published.Version(*key, digest, document, shown_path(report.file, folder)))
        published.seed(self.store, versions, _retired_file(folder), SEEDED_BY)

    def _build(self, stamp: tuple, files: Library) -> Snapshot:
        versions = {row.key: row for row in published.everything(self.store)}
        reports = []
        for row in versions.values():
            report = _parsed(row.sha256, row.document, row.file)
            if report.valid:
                report = FileReport(row.file, report.standard, report.issues + lint(report.standard, row.file,
                                                                                     files.capabilities))  # fmt: skip
            reports.append(report)
        return Snapshot(stamp, Library(reports + files.failed, files.capabilities), versions)


def _valid(library: Library) -> dict[tuple[str, str], FileReport]:
    """The report of the file each (id, version) is loaded from: the one `library.get` answers with."""
    return {r.standard.key: r for r in library.reports if r.valid and r.standard is not None}


def _file_bytes(file: str) -> bytes | None:
    try:
        raw = Path(file).read_bytes()
        raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return raw


class Standards:
    """The standard version an assessment must be opened with: its stored copy when there is one, else the
    library's; and which standards files differ from what is published."""

    def __init__(self, store: Store, library: StandardsLibrary) -> None:
        self.store = store
        self.library = library
        self._parsed: dict[str, Standard | None] = {}  # by sha256: pages call get() on every rerun
        self._kept: set[tuple[str, str]] = set()  # a copy is never removed, so once kept needs no second look

    @open_call("the standards library is public: every signed-in user reads it")
    def remember(self, standard: Standard) -> None:
        """Store the copy of this version if none is stored yet: the published document when it is what was
        loaded, else the model itself."""
        key = standard.key
        if key in self._kept:
            return
        row = self.library.snapshot().versions.get(key)
        raw = None if row is None else row.document.encode("utf-8")
        if raw is None or _parsed(row.sha256, row.document, row.file).standard != standard:
            raw = standard.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8")
        standard_copies.keep(self.store, *key, sha256(raw), raw.decode("utf-8"))
        self._kept.add(key)

    @open_call("the standards library is public: every signed-in user reads it")
    def get(self, standard_id: str, version: str) -> Standard | None:
        """The stored copy when there is one (None if it no longer parses as a standard), else the library's."""
        snapshot = self.library.snapshot()
        copy = standard_copies.get(self.store, standard_id, version)
        if copy is None:
            return snapshot.library.get(standard_id, version)
        digest, document = copy
        row = snapshot.versions.get((standard_id, version))
        if row is not None and row.sha256 == digest and (standard := snapshot.library.get(standard_id, version)):
            return standard
        if digest not in self._parsed:
            name = f"stored copy of '{standard_id}' version '{version}'"
            self._parsed[digest] = read_standard(document.encode("utf-8"), name).standard
        return self._parsed[digest]

    @open_call("the standards library is public: every signed-in user reads it")
    def changed(self, files: Library | None = None) -> list[Changed]:
        """Files (of `files`, by default the standards folder) whose content differs from the published version of
        their id and version, or from its stored copy when it is not published; the folder's files are shown
        relative to it, others as `files` names them (the command line's paths)."""
        folder = self.library.folder()
        shown = (lambda file: file) if files is not None else (lambda file: shown_path(file, folder))
        reference = standard_copies.all_digests(self.store)
        reference |= published.digests(self.store)  # no seeding: `validate` only reads
        found = []
        for key, report in sorted(_valid(files or self.library.files()).items()):
            current = _file_digest(report.file)
            if key in reference and current is not None and current != reference[key]:
                found.append(Changed(*key, shown(report.file), reference[key], current))
        return found

    @open_call("the standards library is public: every signed-in user reads it")
    def missing(self) -> list[tuple[str, str]]:
        """Stored copies of versions that are not published; their assessments still open from the copy."""
        versions = self.library.snapshot().versions
        return sorted(key for key in standard_copies.all_digests(self.store) if key not in versions)


def _file_digest(file: str) -> str | None:
    path = Path(file)
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest_of(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _digest_of(path: str, mtime_ns: int, size: int) -> str | None:
    """A file's sha256, read again only when the file is saved (its time or size changes)."""
    try:
        return sha256(Path(path).read_bytes())
    except OSError:
        return None
