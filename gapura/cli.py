"""`python -m gapura COMMAND`: every command, the pure ones of `python -m scoring` and those that use the
database. The command line runs with the server's own rights and is audited as cli:<OS user>."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scoring.cli import add_pure_commands
from services import settings as settings_module
from services.app import Gapura
from services.policy import cli_actor


def _app(args: argparse.Namespace) -> Gapura:
    settings = settings_module.load()
    if getattr(args, "standards", None):
        settings = settings.__class__(**{**settings.__dict__, "standards_dir": Path(args.standards)})
    return Gapura(settings)


def cmd_import(args: argparse.Namespace) -> int:
    """Import assessment files (or ZIPs of them) into the database of DATABASE_URL (default: the SQLite file)."""
    files = []
    for path in map(Path, args.paths):
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in {".json", ".zip"}) if path.is_dir() else [path]
        files += [(str(p), p.read_bytes()) for p in found]
    counts = {"imported": 0, "duplicate": 0, "skipped": 0}
    app = _app(args)
    for line in app.transfer.import_files(cli_actor(), files):
        counts[line.outcome] += 1
        print(f"{line.file}: {line.outcome}" + (f": {line.reason()}" if line.issues else ""),
              file=sys.stderr if line.outcome == "skipped" else sys.stdout)  # fmt: skip
    app.close()
    print(f"{counts['imported']} imported, {counts['duplicate']} already there, {counts['skipped']} skipped")
    return 2 if counts["skipped"] else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from tools.bench import run, store_run

    print(run(assessments=args.assessments))
    if args.store:
        print(store_run(assessments=args.assessments))
    if args.ui:
        from tools.ui_bench import run as ui_run

        print(ui_run())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gapura", description="Gapura: standards, assessments, accounts")
    sub = parser.add_subparsers(dest="command", required=True)
    add_pure_commands(sub)
    p = sub.add_parser("import", help="import assessment files or ZIPs into the database (DATABASE_URL)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("bench", help="time the engine against a baseline in the same process")
    p.add_argument("--assessments", type=int, default=1000)
    p.add_argument("--store", action="store_true", help="also time the database (SQLite and a throwaway PostgreSQL)")
    p.add_argument("--ui", action="store_true", help="also time a rerun after one answer (AppTest and chromium)")
    p.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    return args.func(args)
