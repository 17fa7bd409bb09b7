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

    def warn(path: str, message: str) -> None:
        found.append(Issue(file, path, message, severity="warning"))

    def languages(path: str, text: LocalizedText | None, what: str) -> None:
        missing = _missing_languages(text)
        if missing:
            warn(path, f"{what} has no {' or '.join(missing)} text")

    languages("title", standard.title, "the title")
    languages("description", standard.description, "the description")
    for i, level in enumerate(standard.scale.levels):
        languages(f"scale.levels[{i}].label", level.label, f"the label of level {level.value}")
    titles: dict[tuple[str, str], str] = {}
    for d, domain in enumerate(standard.domains):
        languages(f"domains[{d}].title", domain.title, f"domain {domain.id}'s title")
        for c, criterion in enumerate(domain.criteria):
            here = f"domains[{d}].criteria[{c}]"
            for field in ("title", "description", "guidance"):
                languages(f"{here}.{field}", getattr(criterion, field), f"{criterion.id}'s {field}")
            for e, item in enumerate(criterion.evidence):
                languages(f"{here}.evidence[{e}]", item, f"{criterion.id}'s evidence example {e + 1}")
            if not criterion.references:
                warn(f"{here}.references", f"{criterion.id} has no reference to the clause or section it comes from")
            missing_levels = [v for v in standard.scale.values if v not in criterion.levels]
            if missing_levels:
                warn(
                    f"{here}.levels",
                    f"{criterion.id} has no description for level(s) {', '.join(map(str, missing_levels))}",
                )
            for value, text in criterion.levels.items():
                languages(f"{here}.levels.{value}", text, f"{criterion.id}'s level {value} description")
            for k, capability in enumerate(criterion.capabilities):
                if capability not in capabilities:
                    warn(
                        f"{here}.capabilities[{k}]", f"capability '{capability}' is not in standards/capabilities.json"
                    )
            for k, segment in enumerate(criterion.applies_to):
                if segment not in SEGMENTS:
                    warn(f"{here}.applies_to[{k}]", f"'{segment}' is not an event segment ({', '.join(SEGMENTS)})")
            if criterion.applies_to and criterion.mandatory:
                warn(f"{here}.applies_to", f"{criterion.id} is mandatory, so it cannot be limited to some segments")
            for lang in LANGUAGES:
                key = (lang, " ".join(localize(criterion.title, lang).casefold().split()))
                if key in titles:
                    warn(f"{here}.title", f"{criterion.id} has the same title ({lang}) as {titles[key]}")
                titles.setdefault(key, criterion.id)
    return found
