"""`python -m gapura COMMAND`: every command, the pure ones of `python -m scoring` and those that use the
database. The command line runs with the server's own rights and is audited as cli:<OS user>."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from scoring.cli import add_pure_commands
from scoring.cli import cmd_validate as validate_files
from scoring.library import load_library
from services import settings as settings_module
from services.app import Gapura
from services.policy import cli_actor
from services.standards import Standards


def _app(args: argparse.Namespace) -> Gapura:
    settings = settings_module.load()
    if getattr(args, "standards", None):
        settings = settings.__class__(**{**settings.__dict__, "standards_dir": Path(args.standards)})
    return Gapura(settings)


def _has_database(url: str) -> bool:
    """A database to compare with: any server URL, or a SQLite file that already exists (none is created)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return bool(parsed.database) and parsed.database != ":memory:" and Path(parsed.database).exists()


def cmd_validate(args: argparse.Namespace) -> int:
    """The pure validation, then every file changed since assessments were made with its id and version."""
    status = validate_files(args)
    paths = [Path(p) for p in args.paths]
    settings = settings_module.load()
    if not all(p.exists() for p in paths) or not _has_database(settings.database_url):
        return status
    library = load_library(*paths)
    try:
        app = _app(args)
    except Exception as exc:  # any driver error: say which database, without its password
        shown = make_url(settings.database_url).render_as_string(hide_password=True)
        print(f"{shown}: $: cannot compare with this database: {str(exc).splitlines()[0][:200]}", file=sys.stderr)
        return 2
    try:
        changed = Standards(app.store, lambda: library).changed()
    finally:
        app.close()
    for c in changed:
        print(f"{c.file}: $: changed since assessments were made with '{c.standard_id}' version '{c.version}'; "
              "give it a new version", file=sys.stderr)  # fmt: skip
    return 2 if changed else status


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
    sub.choices["validate"].set_defaults(func=cmd_validate)
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
