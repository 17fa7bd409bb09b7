"""What changed between two versions of a standard, and which answers can be carried over."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scoring.model import Criterion, Standard

# What an answer means depends on these: if one changes, the old answer may no longer be true.
MEANING = ("title", "description", "levels", "target", "mandatory")


def version_key(version: str) -> tuple:
    """The one version order: numbers compare as numbers ("2026.9" < "2026.10"), then the text breaks ties."""
    # Digit runs and words apart ("10a" is 10 then "a"); the raw text last so two spellings of one number
    # ("2026.010", "2026.10") are still two versions, in a fixed order.
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|[^\d.\-_ ]+", version))
    return parts, version


def newest(versions: Iterable[str]) -> str | None:
    """The newest of some versions in the one version order; None when there are none."""
    return max(versions, key=version_key, default=None)


@dataclass(frozen=True)
class VersionDiff:
    added: list[str]
    removed: list[str]
    changed: list[str]
    unchanged: list[str]
    scale_changed: bool

    @property
    def carried(self) -> list[str]:
        """Criterion ids whose answers keep their meaning in the new version."""
        return [] if self.scale_changed else self.unchanged


def _meaning(standard: Standard, criterion: Criterion) -> dict[str, Any]:
    data = criterion.model_dump(include=set(MEANING))
    data["target"] = standard.target_of(criterion)
    return data


def compare(old: Standard, new: Standard) -> VersionDiff:
    """Criteria added, removed, changed in meaning, and unchanged, in the new (or old) standard's order."""
    before = {c.id: c for _, c in old.criteria()}
    after = {c.id: c for _, c in new.criteria()}
    changed, unchanged = [], []
    for cid, criterion in after.items():
        if cid in before:
            same = _meaning(old, before[cid]) == _meaning(new, criterion)
            (unchanged if same else changed).append(cid)
    return VersionDiff(
        added=[cid for cid in after if cid not in before],
        removed=[cid for cid in before if cid not in after],
        changed=changed,
        unchanged=unchanged,
        scale_changed=old.scale.values != new.scale.values,
    )
