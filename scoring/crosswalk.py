"""Capabilities shared between standards: the registry, the crosswalk matrix and answer-once prefill."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError

from scoring.issues import Issue, from_validation_error
from scoring.jsonfile import read_bounded, read_json_object
from scoring.model import Answer, LocalizedText, Slug, Standard


class Capability(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: Slug
    title: LocalizedText


class Registry(BaseModel):
    """standards/capabilities.json; "$comment" and other notes beside the list are allowed."""

    model_config = ConfigDict(extra="allow", frozen=True)
    capabilities: list[Capability]


def load_capabilities(path: Path, file: str | None = None) -> tuple[dict[str, LocalizedText], list[Issue]]:
    """The registry: capability id -> title, and what is wrong with the file. A bad file gives an empty registry
    and its errors (shown like a bad standard's), never an exception; a missing file, an empty registry."""
    file = file or str(path)
    if not path.exists():
        return {}, []
    raw, issues = read_bounded(path, file)
    data, issues = read_json_object(raw, file) if raw is not None else (None, issues)
    if data is None:
        return {}, issues
    try:
        registry = Registry.model_validate(data)
    except ValidationError as exc:
        return {}, from_validation_error(file, exc, (Registry, Capability))
    titles: dict[str, LocalizedText] = {}
    for k, capability in enumerate(registry.capabilities):
        if capability.id in titles:
            issues.append(Issue(file, f"capabilities[{k}].id", "capabilities.duplicate-id", {"id": capability.id}))
        titles.setdefault(capability.id, capability.title)
    return ({}, issues) if issues else (titles, [])


def matrix(standards: Iterable[Standard]) -> pd.DataFrame:
    """Capabilities x standards: how many criteria of each standard test each capability (0 where none)."""
    rows = [
        {"capability": cap, "standard": s.id, "criterion": c.id}
        for s in standards
        for _, c in s.criteria()
        for cap in c.capabilities
    ]
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    counts = frame.groupby(["capability", "standard"]).size().unstack(fill_value=0)
    shared = (counts > 0).sum(axis=1)
    return counts.loc[shared.sort_values(ascending=False, kind="stable").index]


def shared_capabilities(standards: Iterable[Standard]) -> list[str]:
    """Capabilities tested by two or more standards."""
    table = matrix(standards)
    return [] if table.empty else list(table.index[(table > 0).sum(axis=1) >= 2])


def excluded_by_segments(standard: Standard, segments: Iterable[str]) -> dict[str, list[str]]:
    """Criteria whose applies_to leaves out every segment the company runs: criterion id -> its applies_to.

    A company that named no segment is assumed to run every kind of event; mandatory criteria are never excluded.
    """
    mine = set(segments)
    if not mine:
        return {}
    return {
        c.id: list(c.applies_to)
        for _, c in standard.criteria()
        if c.applies_to and not c.mandatory and not mine & set(c.applies_to)
    }


@dataclass(frozen=True)
class Prefill:
    level: int
    source_standard: str
    source_criterion: str

    @property
    def origin(self) -> str:
        return f"capability:{self.source_standard}/{self.source_criterion}"


def capability_prefill(
    target: Standard, sources: Iterable[tuple[Standard, Mapping[str, Answer]]]
) -> dict[str, Prefill]:
    """For each criterion of `target`, the latest level the company gave to a criterion of another standard with
    the same primary capability (the first one listed: what the criterion mainly tests; the others are context).
    N/A answers and levels that are not on the target's scale are not offered."""
    latest: dict[str, tuple[datetime | None, Prefill]] = {}
    for standard, answers in sources:
        if standard.id == target.id:
            continue
        for _, criterion in standard.criteria():
            answer = answers.get(criterion.id)
            level = answer.level if answer else None
            if not isinstance(level, int) or level not in target.scale.values:
                continue
            for capability in criterion.capabilities[:1]:
                when = answer.updated_at
                seen = latest.get(capability)
                if seen is None or (when is not None and (seen[0] is None or when > seen[0])):
                    latest[capability] = (when, Prefill(level, standard.id, criterion.id))
    offers: dict[str, Prefill] = {}
    for _, criterion in target.criteria():
        found = [latest[cap] for cap in criterion.capabilities[:1] if cap in latest]
        if found:
            newest = max(found, key=lambda pair: pair[0].timestamp() if pair[0] else 0)
            offers[criterion.id] = newest[1]
    return offers
