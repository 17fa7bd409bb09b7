"""The action plan: one step per unmet criterion in the scoring contract's order (unmet mandatory first, then by
impact), each saying where the company stands, where it must get, what it is worth and how to go up a level; and
what the company tracks on each step (owner, due date, status, note), which carries from round to round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scoring.engine import Result
from scoring.model import Criterion, LocalizedText, Standard

STATUSES = ("todo", "doing", "done")


@dataclass(frozen=True)
class Step:
    rank: int
    criterion_id: str
    domain_id: str
    title: LocalizedText
    mandatory: bool
    level: int
    target: int
    impact: float  # overall-score points (0–1) gained by reaching the target
    next_level: int  # the level just above the current one
    next_level_text: LocalizedText | None  # what that level looks like, from the standard's level descriptions
    guidance: LocalizedText | None  # the standard's guidance on how to get there
    evidence: tuple[LocalizedText, ...]  # documents the standard suggests as proof


@dataclass(frozen=True)
class Tracking:
    """What the company records on a step; kept per organization, standard and criterion, not per round."""

    criterion_id: str
    owner: str = ""
    due: date | None = None
    status: str = "todo"  # one of STATUSES
    note: str = ""
    closed_round: int | None = None  # the round whose answer reached the target: the step closed by itself

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and self.status != "done" and self.closed_round is None


def steps(standard: Standard, result: Result) -> list[Step]:
    """The plan of one scored assessment, in the order of `result.actions` (docs/scoring.md)."""
    criteria = result.criteria.set_index("criterion")
    found: dict[str, tuple[str, Criterion]] = {c.id: (d.id, c) for d, c in standard.criteria()}
    plan = []
    for rank, cid in enumerate(result.actions, start=1):
        domain_id, criterion = found[cid]
        row = criteria.loc[cid]
        level = int(row["level"])
        above = [v for v in standard.scale.values if v > level]
        next_level = above[0] if above else level
        plan.append(
            Step(
                rank=rank,
                criterion_id=cid,
                domain_id=domain_id,
                title=criterion.title,
                mandatory=criterion.mandatory,
                level=level,
                target=int(row["target"]),
                impact=float(row["impact"]),
                next_level=next_level,
                next_level_text=criterion.levels.get(next_level),
                guidance=criterion.guidance,
                evidence=tuple(criterion.evidence),
            )
        )
    return plan
