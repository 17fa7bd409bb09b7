"""Verification, pure: which criteria a verifier checks (every mandatory one plus a reproducible random draw), and
the levels a score "based on verified levels" uses."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping

from scoring.model import Standard

Level = int | str  # a level on the scale, or "na"


def new_seed() -> str:
    """A fresh seed for one assessment's sample, stored with it so the draw can be repeated anywhere."""
    return secrets.token_hex(16)


def _rank(seed: str, criterion_id: str) -> str:
    return hashlib.sha256(f"{seed}\x1f{criterion_id}".encode()).hexdigest()


def draw_sample(standard: Standard, n: int, seed: str) -> list[str]:
    """Every mandatory criterion plus `n` others drawn from the seed, in the standard's order. The draw orders the
    others by sha256(seed, id), not by `random`, whose algorithm may change between Python versions."""
    criteria = [criterion for _, criterion in standard.criteria()]
    others = sorted((c.id for c in criteria if not c.mandatory), key=lambda cid: _rank(seed, cid))
    drawn = set(others[: max(0, n)])
    return [c.id for c in criteria if c.mandatory or c.id in drawn]


def verified_levels(own: Mapping[str, Level], verified: Mapping[str, Level | None]) -> dict[str, Level]:
    """The company's levels with the verifier's in place wherever one was recorded (None: not decided yet, the
    company's stays); what a score "based on verified levels" passes to the engine."""
    levels = dict(own)
    levels.update({cid: level for cid, level in verified.items() if level is not None})
    return levels
