"""The standards library, administered: a standard file uploaded through the validator and published into the
database, and versions retired (no longer offered for new assessments; old ones still open)."""

from __future__ import annotations

import re

from scoring.issues import Issue
from scoring.library import FileReport, read_standard
from scoring.lint import lint
from scoring.versions import version_key
from services.audit import Audit
from services.policy import Actor, ensure, guarded, open_call
from services.standards import StandardsLibrary, sha256
from store import library as published


class LibraryAdmin:
    def __init__(self, library: StandardsLibrary, audit: Audit) -> None:
        self.library = library
        self.audit = audit

    @guarded("standards_admin", "read")
    def check(self, actor: Actor, name: str, raw: bytes) -> FileReport:
        """Every error and lint finding of an uploaded standard file; a version already published is an error."""
        ensure(actor, "read", "standards_admin")
        report = read_standard(raw, name)
        if report.standard is not None and report.valid:
            snapshot = self.library.snapshot()
            existing = snapshot.versions.get(report.standard.key)
            for field, limit in published.too_long(*report.standard.key).items():
                report.issues.append(Issue(name, field, "value.too-long", {"field": field, "max": limit}))
            if existing is not None:
                report.issues.append(_duplicate(name, existing.standard_id, existing.version, existing.file))
            else:
                report.issues += lint(report.standard, name, snapshot.library.capabilities)
        return report

    @guarded("standards_admin", "write")
    def publish(self, actor: Actor, name: str, raw: bytes) -> FileReport:
        """Publish a valid file as ID-VERSION.json in one transaction; a version published meanwhile (by another
        replica too) is refused in the report."""
        report = self.check(actor, name, raw)
        if not report.valid or report.standard is None:
            return report
        standard = report.standard
        file = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{standard.id}-{standard.version}") + ".json"
        version = published.Version(standard.id, standard.version, sha256(raw), raw.decode("utf-8"), file)
        try:
            published.publish(self.library.store, version, actor.email or actor.label)
        except published.AlreadyPublished:
            report.issues.append(_duplicate(name, standard.id, standard.version, file))
            return report
        self.audit.record(actor.label, "standard.publish", f"{standard.id} {standard.version}", {"file": file})
        return report

    @open_call("which versions are retired is public, like the library")
    def retired(self) -> frozenset[tuple[str, str]]:
        return self.library.snapshot().retired

    @open_call("who published each version and when is shown with the library")
    def versions(self) -> list[published.Published]:
        """Every published version with who published and retired it, and when, by id and version."""
        return sorted(self.library.snapshot().versions.values(), key=lambda r: (r.standard_id, version_key(r.version)))

    @guarded("standards_admin", "write")
    def retire(self, actor: Actor, standard_id: str, version: str, retire: bool = True) -> None:
        """Stop (or start again) offering a version for new assessments; its assessments stay open."""
        ensure(actor, "write", "standards_admin")
        self.library.snapshot()  # the folder's files are published before any is retired
        if published.retire(self.library.store, standard_id, version, actor.email or actor.label, retire):
            action = "standard.retire" if retire else "standard.unretire"
            self.audit.record(actor.label, action, f"{standard_id} {version}")


def _duplicate(name: str, standard_id: str, version: str, file: str) -> Issue:
    return Issue(name, "version", "standard.duplicate-version", {"id": standard_id, "version": version, "file": file})
