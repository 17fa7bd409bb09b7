"""`python -m gapura bench --load`: the load run of tests/load at full length (50 members for five minutes, a replica
killed, PostgreSQL restarted); prints its summary and writes it as JSON."""

from __future__ import annotations

from pathlib import Path

from tests.load.run import Plan, describe, run_load


def run(members: int = Plan.members, seconds: float = Plan.seconds, out: Path = Path("load-summary.json")) -> str:
    summary = run_load(Plan(members=members, seconds=seconds), out)
    return f"{describe(summary)}\nsummary: {out}"
