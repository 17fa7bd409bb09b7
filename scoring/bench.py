"""`python -m scoring bench`: engine timings as ratios against a pandas baseline in the same process."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from scoring.engine import answers_frame, score, score_one
from scoring.library import load_library
from scoring.model import NA, Standard

STANDARDS = Path(__file__).resolve().parent.parent / "standards"


def timed(action: Callable[[], object], repeat: int = 7) -> float:
    """Median seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_answers(standard: Standard, n: int, seed: int = 0) -> dict[str, dict[str, int | str]]:
    rng = random.Random(seed)
    levels = standard.scale.values
    batch = {}
    for i in range(n):
        answers: dict[str, int | str] = {}
        for _, c in standard.criteria():
            roll = rng.random()
            if roll < 0.05 and not c.mandatory:
                answers[c.id] = NA
            elif roll < 0.97:
                answers[c.id] = rng.choice(levels)
        batch[f"org-{i:05d}"] = answers
    return batch


def run(assessments: int = 1000) -> str:
    standards = load_library(STANDARDS).standards
    standard = max(standards, key=lambda s: s.criteria_count)
    batch = random_answers(standard, assessments)
    frame = answers_frame(batch)
    ids = list(batch)
    baseline = timed(
        lambda: frame.pivot_table(index="assessment", columns="criterion", values="level", aggfunc="first")
    )
    at_once = timed(lambda: score(standard, frame, ids).overall_frame())
    sample = ids[:100]
    one_by_one = timed(lambda: [score_one(standard, batch[i]).overall for i in sample], repeat=3) * assessments / 100
    lines = [
        f"standard: {standard.id} {standard.version} ({standard.criteria_count} criteria); {assessments} assessments, "
        f"{len(frame):,} answers",
        f"baseline  pandas pivot_table of the same answers: {baseline * 1000:8.1f} ms  (1.0x)",
        f"score all at once (vectorised):                  {at_once * 1000:8.1f} ms  ({at_once / baseline:.1f}x baseline)",
        f"score one at a time (from 100, extrapolated):    {one_by_one * 1000:8.1f} ms  ({one_by_one / baseline:.1f}x baseline)",
        f"vectorised speed-up over one at a time: {one_by_one / at_once:.0f}x",
    ]
    return "\n".join(lines)
