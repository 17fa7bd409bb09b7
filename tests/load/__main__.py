"""`python -m tests.load`: the load run with its options; prints the summary and writes it as JSON."""

import argparse
from pathlib import Path

from tests.load.run import Plan, describe, run_load


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__)
    parser.add_argument("--members", type=int, default=Plan.members)
    parser.add_argument("--seconds", type=float, default=Plan.seconds, help="answering time after the ramp-up")
    parser.add_argument("--think", type=float, default=Plan.think, help="mean seconds between one member's answers")
    parser.add_argument("--no-kill", action="store_true", help="keep both replicas alive")
    parser.add_argument("--no-restart", action="store_true", help="keep PostgreSQL running")
    parser.add_argument("--no-browser", action="store_true", help="no chromium member (its journal is not checked)")
    parser.add_argument("--out", type=Path, default=Path("load-summary.json"))
    args = parser.parse_args()
    plan = Plan(
        args.members,
        args.seconds,
        args.think,
        kill=not args.no_kill,
        restart=not args.no_restart,
        browser=not args.no_browser,
    )
    print(describe(run_load(plan, args.out)))
    print(f"summary: {args.out}")


main()
