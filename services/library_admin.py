"""The standards library, administered: a standard file uploaded through the validator, published into the
standards folder, and versions retired (no longer offered for new assessments; old ones still open)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from scoring.issues import Issue
from scoring.library import FileReport, Library, read_standard, version_key
from scoring.lint import lint
from scoring.model import Standard
from services.audit import Audit
from services.policy import Actor, ensure, guarded, open_call

RETIRED = "retired.json"


def _retired(folder: Path) -> set[tuple[str, str]]:
    try:
        return {(i, v) for i, v in json.loads((folder / RETIRED).read_text(encoding="utf-8"))}
    except (OSError, ValueError, TypeError):
        return set()


def offered(library: Library, folder: Path, subject: str) -> list[Standard]:
    """The latest version of each standard that is not retired, for starting a new assessment."""
    retired = _retired(folder)
    latest: dict[str, Standard] = {}
    for standard in sorted(library.standards, key=lambda s: version_key(s.version)):
        if standard.subject == subject and standard.key not in retired:
            latest[standard.id] = standard
    return list(latest.values())


class LibraryAdmin:
    def __init__(self, folder: Path, library: Callable[[], Library], audit: Audit) -> None:
        self.folder = folder
        self.library = library
        self.audit = audit

    @guarded("standards_admin", "read")
    def check(self, actor: Actor, name: str, raw: bytes) -> FileReport:
        """Every error and lint finding of an uploaded standard file; a version already in the library is an error."""
        ensure(actor, "read", "standards_admin")
        report = read_standard(raw, name)
        if report.standard is not None and report.valid:
            library = self.library()
            existing = next((r for r in library.reports if r.valid and r.standard.key == report.standard.key), None)
            if existing is not None:
                params = {"id": report.standard.id, "version": report.standard.version,
                          "file": Path(existing.file).name}  # fmt: skip
                report.issues.append(Issue(name, "version", "standard.duplicate-version", params))
            else:
                report.issues += lint(report.standard, name, library.capabilities)
        return report

    @guarded("standards_admin", "write")
    def publish(self, actor: Actor, name: str, raw: bytes) -> FileReport:
        """Write a valid file into the standards folder as ID-VERSION.json; returns the check's report."""
        report = self.check(actor, name, raw)
        if not report.valid or report.standard is None:
            return report
        standard = report.standard
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{standard.id}-{standard.version}")
        path = self.folder / f"{stem}.json"
        if path.exists():
            report.issues.append(Issue(name, "version", "standard.duplicate-version",
                                       {"id": standard.id, "version": standard.version, "file": path.name}))  # fmt: skip
            return report
        path.write_bytes(raw)
        self.audit.record(actor.label, "standard.publish", f"{standard.id} {standard.version}", {"file": path.name})
        return report

    @open_call("which versions are retired is public, like the library")
    def retired(self) -> set[tuple[str, str]]:
        return _retired(self.folder)

    @guarded("standards_admin", "write")
    def retire(self, actor: Actor, standard_id: str, version: str, retire: bool = True) -> None:
        """Stop (or start again) offering a version for new assessments; its assessments stay open."""
        ensure(actor, "write", "standards_admin")
        retired = _retired(self.folder)
        (retired.add if retire else retired.discard)((standard_id, version))
        (self.folder / RETIRED).write_text(json.dumps(sorted(retired), indent=2) + "\n", encoding="utf-8")
        action = "standard.retire" if retire else "standard.unretire"
        self.audit.record(actor.label, action, f"{standard_id} {version}")
