"""Rules a standards committee wants: warnings for a custom standard, errors for the shipped library."""

from __future__ import annotations

from collections.abc import Mapping

from scoring.issues import Issue
from scoring.model import LANGUAGES, LocalizedText, Standard, localize
from scoring.profile import SEGMENTS


def _missing_languages(text: LocalizedText | None) -> list[str]:
    if text is None:
        return list(LANGUAGES)
    if isinstance(text, str):
        return [lang for lang in LANGUAGES if lang != "en"]  # a plain string is taken as English
    return [lang for lang in LANGUAGES if not text.get(lang)]


def lint(standard: Standard, file: str, capabilities: Mapping[str, object]) -> list[Issue]:
    """Findings (as warnings) about completeness and consistency, each with its JSON path."""
    found: list[Issue] = []

    def warn(path: str, code: str, **params: object) -> None:
        found.append(Issue(file, path, code, params, severity="warning"))

    def languages(path: str, text: LocalizedText | None, code: str, **params: object) -> None:
        missing = _missing_languages(text)
        if missing:
            warn(path, f"lint.language.{code}", **params, langs=missing)

    languages("title", standard.title, "title")
    languages("description", standard.description, "description")
    for i, level in enumerate(standard.scale.levels):
        languages(f"scale.levels[{i}].label", level.label, "level-label", level=level.value)
    titles: dict[tuple[str, str], str] = {}
    for d, domain in enumerate(standard.domains):
        languages(f"domains[{d}].title", domain.title, "domain-title", domain=domain.id)
        for c, criterion in enumerate(domain.criteria):
            here = f"domains[{d}].criteria[{c}]"
            cid = criterion.id
            for field in ("title", "description", "guidance"):
                languages(f"{here}.{field}", getattr(criterion, field), "criterion-text", criterion=cid, field=field)
            for e, item in enumerate(criterion.evidence):
                languages(f"{here}.evidence[{e}]", item, "evidence", criterion=cid, number=e + 1)
            if not criterion.references:
                warn(f"{here}.references", "lint.no-reference", criterion=cid)
            missing_levels = [v for v in standard.scale.values if v not in criterion.levels]
            if missing_levels:
                warn(
                    f"{here}.levels",
                    "lint.level-undescribed",
                    criterion=cid,
                    levels=", ".join(map(str, missing_levels)),
                )
            for value, text in criterion.levels.items():
                languages(f"{here}.levels.{value}", text, "level-description", criterion=cid, level=value)
            for k, capability in enumerate(criterion.capabilities):
                if capability not in capabilities:
                    warn(f"{here}.capabilities[{k}]", "lint.unknown-capability", capability=capability)
            for k, segment in enumerate(criterion.applies_to):
                if segment not in SEGMENTS:
                    warn(
                        f"{here}.applies_to[{k}]", "lint.unknown-segment", segment=segment, segments=", ".join(SEGMENTS)
                    )
            if criterion.applies_to and criterion.mandatory:
                warn(f"{here}.applies_to", "lint.mandatory-segment", criterion=cid)
            for lang in LANGUAGES:
                key = (lang, " ".join(localize(criterion.title, lang).casefold().split()))
                if key in titles:
                    warn(f"{here}.title", "lint.same-title", criterion=cid, lang=lang, other=titles[key])
                titles.setdefault(key, cid)
    return found
