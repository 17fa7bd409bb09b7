"""Find, load and validate standard files; every error in every bad file, with file and JSON path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scoring.crosswalk import load_capabilities
from scoring.issues import Issue, from_validation_error, shown
from scoring.jsonfile import read_bounded, read_json_object
from scoring.lint import lint
from scoring.model import Criterion, Domain, Level, LocalizedText, Readiness, Scale, Source, Standard
from scoring.versions import version_key

SHIPPED = Path(__file__).resolve().parent.parent / "standards"
STANDARD_MODELS = (Standard, Domain, Criterion, Scale, Level, Readiness, Source)
REGISTRY = "capabilities.json"
NOT_STANDARDS = {"standard.schema.json", REGISTRY, "retired.json"}


@dataclass
class FileReport:
    """The outcome of loading one file: the standard if it is valid, and every finding."""

    file: str
    standard: Standard | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def valid(self) -> bool:
        return self.standard is not None and not self.errors


@dataclass
class Library:
    """The good standards of a folder, keyed by (id, version), a report for every file, and the capability registry."""

    reports: list[FileReport]
    capabilities: dict[str, LocalizedText] = field(default_factory=dict)

    @property
    def standards(self) -> list[Standard]:
        return [r.standard for r in self.reports if r.valid and r.standard is not None]

    @property
    def failed(self) -> list[FileReport]:
        return [r for r in self.reports if not r.valid]

    def versions(self, standard_id: str) -> list[Standard]:
        """Every version of one standard, oldest first ("2026.2" < "2026.10")."""
        return sorted((s for s in self.standards if s.id == standard_id), key=lambda s: version_key(s.version))

    def get(self, standard_id: str, version: str | None = None) -> Standard | None:
        """A standard by id and version; without a version, its latest version."""
        versions = self.versions(standard_id)
        if version is None:
            return versions[-1] if versions else None
        return next((s for s in versions if s.version == version), None)


def _scale_range(scale: Scale) -> str:
    values = scale.values
    if values == list(range(values[-1] + 1)):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(str(v) for v in values)


def check_standard(standard: Standard, file: str) -> list[Issue]:
    """The rules pydantic cannot see alone: uniqueness and values that must exist on the scale."""
    issues: list[Issue] = []
    scale = _scale_range(standard.scale)
    values = set(standard.scale.values)
    if standard.readiness.progressing > standard.readiness.ready:
        issues.append(Issue(file, "readiness", "standard.readiness-order"))
    domain_seen: dict[str, int] = {}
    criterion_seen: dict[str, str] = {}
    for d, domain in enumerate(standard.domains):
        if domain.id in domain_seen:
            params = {"domain": domain.id, "first": domain_seen[domain.id]}
            issues.append(Issue(file, f"domains[{d}].id", "standard.duplicate-domain", params))
        domain_seen.setdefault(domain.id, d)
        for c, criterion in enumerate(domain.criteria):
            here = f"domains[{d}].criteria[{c}]"
            if criterion.id in criterion_seen:
                params = {"criterion": criterion.id, "first": criterion_seen[criterion.id]}
                issues.append(Issue(file, f"{here}.id", "standard.duplicate-criterion", params))
            criterion_seen.setdefault(criterion.id, here)
            if criterion.target is not None and criterion.target not in values:
                params = {"target": criterion.target, "scale": scale}
                issues.append(Issue(file, f"{here}.target", "standard.target-off-scale", params))
            for level in criterion.levels:
                if level not in values:
                    params = {"level": level, "scale": scale}
                    issues.append(Issue(file, f"{here}.levels.{level}", "standard.level-off-scale", params))
    return issues


def _unknown_top_level(data: dict[str, Any], file: str) -> list[Issue]:
    known = {f.alias or name for name, f in Standard.model_fields.items()}
    return [
        Issue(file, key, "standard.unknown-top-level", {"field": shown(key, quote=False)}, severity="warning")
        for key in data
        if key not in known
    ]


def parse_standard(data: dict[str, Any], file: str) -> FileReport:
    """Validate an already-parsed JSON object as a standard."""
    try:
        standard = Standard.model_validate(data)
    except ValidationError as exc:
        return FileReport(
            file, None, from_validation_error(file, exc, STANDARD_MODELS) + _unknown_top_level(data, file)
        )
    issues = check_standard(standard, file) + _unknown_top_level(data, file)
    return FileReport(file, standard, issues)


def read_standard(raw: bytes, file: str) -> FileReport:
    data, issues = read_json_object(raw, file)
    if data is None:
        return FileReport(file, None, issues)
    return parse_standard(data, file)


def load_standard_file(path: Path, name: str | None = None) -> FileReport:
    file = name or str(path)
    raw, issues = read_bounded(path, file)
    if raw is None:
        return FileReport(file, None, issues)
    return read_standard(raw, file)


def standard_files(paths: Iterable[Path]) -> list[Path]:
    """The JSON files among `paths`, expanding folders (recursively, sorted), skipping non-standards and repeats."""
    found: dict[Path, Path] = {}
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*.json") if p.name not in NOT_STANDARDS and not p.name.endswith(".schema.json")
            )
        else:
            files = [path]
        for file in files:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def registry_for(paths: Iterable[Path]) -> tuple[dict[str, LocalizedText], FileReport | None]:
    """The capabilities.json beside the standards (the first found), else the shipped registry; with the report
    of that file when it is bad (then the registry is empty)."""
    folders = (path if path.is_dir() else path.parent for path in paths)
    path = next((f / REGISTRY for f in folders if (f / REGISTRY).exists()), SHIPPED / REGISTRY)
    capabilities, issues = load_capabilities(path)
    return capabilities, FileReport(str(path), None, issues) if issues else None


def load_library(*paths: Path) -> Library:
    """Load every standard under `paths` and lint it; a second file with the same (id, version) is an error."""
    capabilities, registry_report = registry_for(paths)
    reports = [registry_report] if registry_report is not None else []
    seen: dict[tuple[str, str], str] = {}
    for path in standard_files(paths):
        report = load_standard_file(path)
        if report.standard is not None and report.valid:
            key = report.standard.key
            if key in seen:
                params = {"id": key[0], "version": key[1], "file": seen[key]}
                report.issues.append(Issue(report.file, "version", "standard.duplicate-version", params))
            else:
                seen[key] = report.file
                report.issues += lint(report.standard, report.file, capabilities)
        reports.append(report)
    return Library(reports, capabilities)
