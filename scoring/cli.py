"""The pure commands (`python -m scoring validate|score|schema`): no database; `python -m gapura` has them all."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from scoring.assessment import check_answers, parse_assessment
from scoring.engine import score_one
from scoring.issues import Issue
from scoring.jsonfile import read_bounded
from scoring.library import load_library, load_standard_file, standard_files
from scoring.model import AssessmentFile, Standard, json_schema

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "standards" / "standard.schema.json"


def _fail(issues: list) -> int:
    for issue in issues:
        print(issue, file=sys.stderr)
    return 2


def report_missing(paths: list[str]) -> bool:
    """Print a `PATH: $: no such file or folder` line for each path that does not exist; True if any."""
    missing = [p for p in paths if not Path(p).exists()]
    for path in missing:
        print(f"{path}: $: no such file or folder", file=sys.stderr)
    return bool(missing)


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    if report_missing(args.paths):
        return 2
    if not standard_files(paths):
        print(f"{', '.join(args.paths)}: $: no standard files (*.json) found", file=sys.stderr)
        return 2
    library = load_library(*paths)
    errors = [i for r in library.reports for i in r.errors]
    warnings = [i for r in library.reports for i in r.warnings]
    if args.strict:
        errors += warnings
    else:
        for issue in warnings:
            print(f"{issue} (warning)", file=sys.stderr)
    if errors:
        return _fail(errors)
    print(f"{len(library.standards)} standard(s) valid: {sum(s.criteria_count for s in library.standards)} criteria")
    return 0


def load_assessment(standard_path: str, answers_path: str) -> tuple[Standard, AssessmentFile] | list[Issue]:
    """A standard file and an assessment file checked against it (as downloaded from the app), or the issues that
    stop them: what `score` and `python -m gapura report` both read."""
    report = load_standard_file(Path(standard_path), standard_path)
    if not report.valid or report.standard is None:
        return report.errors
    raw, issues = read_bounded(Path(answers_path), answers_path)
    if raw is None:
        return issues
    assessment, issues = parse_assessment(raw, answers_path)
    if assessment is None:
        return issues
    return check_answers(assessment, report.standard, answers_path) or (report.standard, assessment)


def cmd_score(args: argparse.Namespace) -> int:
    loaded = load_assessment(args.standard, args.answers)
    if isinstance(loaded, list):
        return _fail(loaded)
    standard, assessment = loaded
    result = score_one(standard, {cid: a.level for cid, a in assessment.answers.items()})
    if args.format == "csv":
        out = io.StringIO()
        frame = result.criteria
        frame.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        sys.stdout.write(out.getvalue())
    else:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    return 0


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCHEMA_PATH}: $: out of date; run `python -m scoring schema`", file=sys.stderr)
            return 2
        return 0
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


def add_pure_commands(sub) -> None:
    """validate, score and schema, shared by `python -m scoring` and `python -m gapura`."""
    p = sub.add_parser("validate", help="validate standard files or folders")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="lint findings are errors (the rule for the shipped library)")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("score", help="score one assessment file against a standard")
    p.add_argument("--standard", required=True, metavar="FILE")
    p.add_argument("--answers", required=True, metavar="FILE")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("schema", help="write standards/standard.schema.json from the models")
    p.add_argument("--check", action="store_true", help="exit 2 if the file is out of date")
    p.set_defaults(func=cmd_schema)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring", description="Gapura standards and scoring")
    add_pure_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)
