"""Import many assessment files at once (JSON files or ZIP archives of them), with a report line per file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scoring.assessment import check_answers, parse_assessment
from scoring.jsonfile import MAX_BYTES, too_large
from scoring.library import Library
from store.repository import Store

MAX_ARCHIVE_FILES = 5000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class ImportLine:
    file: str
    outcome: str  # imported | duplicate | skipped
    reason: str = ""
    organization: str = ""
    standard: str = ""
    answers: int = 0
    assessment_id: int | None = None
    code: str = ""  # why, for a translated message: duplicate | unknown-version | invalid
    known: str = ""  # with unknown-version: the versions the library has


def expand(files: Iterable[tuple[str, bytes]]) -> Iterator[tuple[str, bytes | None, str]]:
    """(name, content, problem) for every JSON file given directly or inside a ZIP archive."""
    for name, raw in files:
        if not name.lower().endswith(".zip"):
            yield name, raw, ""
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            entries = [e for e in archive.infolist() if not e.is_dir() and not e.filename.startswith("__MACOSX/")]
        except zipfile.BadZipFile:
            yield name, None, "not a readable ZIP archive"
            continue
        if len(entries) > MAX_ARCHIVE_FILES or sum(e.file_size for e in entries) > MAX_ARCHIVE_BYTES:
            yield (
                name,
                None,
                f"the archive is too large (at most {MAX_ARCHIVE_FILES} files, {MAX_ARCHIVE_BYTES // 1_048_576} MB)",
            )
            continue
        for entry in entries:
            inner = f"{name}/{entry.filename}"
            if not entry.filename.lower().endswith(".json"):
                yield inner, None, "not a .json file"
            elif entry.file_size > MAX_BYTES:
                yield (
                    inner,
                    None,
                    too_large(entry.file_size),
                )
            else:
                with archive.open(entry) as f:
                    yield inner, f.read(MAX_BYTES + 1), ""


def import_files(
    store: Store, library: Library, files: Iterable[tuple[str, bytes]], by: str = "import"
) -> Iterator[ImportLine]:
    """Validate and store each file; yields one line per file as it goes (for a progress bar)."""
    for name, raw, problem in expand(files):
        if raw is None:
            yield ImportLine(name, "skipped", problem)
            continue
        assessment, issues = parse_assessment(raw, name)
        if assessment is None:
            yield ImportLine(name, "skipped", _reasons(issues))
            continue
        ref = assessment.standard
        label = f"{ref.id} {ref.version}"
        standard = library.get(ref.id, ref.version)
        if standard is None:
            known = ", ".join(s.version for s in library.versions(ref.id))
            reason = f"the library has no '{ref.id}' version '{ref.version}'" + (f" (it has {known})" if known else "")
            yield ImportLine(
                name, "skipped", reason, assessment.organization.name, label, code="unknown-version", known=known
            )
            continue
        issues = check_answers(assessment, standard, name)
        if issues:
            yield ImportLine(name, "skipped", _reasons(issues), assessment.organization.name, label)
            continue
        imported = store.import_assessment(assessment, by=f"{by}:{name}"[:100])
        yield ImportLine(
            name, "duplicate" if imported.duplicate else "imported",
            "the same content was imported before" if imported.duplicate else "",
            assessment.organization.name, label, len(assessment.answers), imported.assessment_id,
            code="duplicate" if imported.duplicate else "",
        )  # fmt: skip


def _reasons(issues) -> str:
    shown = "; ".join(f"{i.path or '$'}: {i.message}" for i in issues[:3])
    return shown + (f"; and {len(issues) - 3} more" if len(issues) > 3 else "")
