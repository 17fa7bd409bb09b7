"""`python -m gapura COMMAND`: every command, the pure ones of `python -m scoring` and those that use the
database. The command line runs with the server's own rights and is audited as cli:<OS user>."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import make_url

from scoring.cli import add_pure_commands, report_missing
from scoring.cli import cmd_validate as validate_files
from scoring.jsonfile import read_bounded
from scoring.library import load_library
from services import settings as settings_module
from services.accounts import Refused, email_key
from services.app import Gapura
from services.policy import cli_actor
from services.standards import Standards
from services.transfer import LIMITS


def _app(args: argparse.Namespace) -> Gapura:
    settings = settings_module.load()
    if getattr(args, "standards", None):
        settings = replace(settings, standards_dir=Path(args.standards))
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
    if report_missing(args.paths):
        return 2
    counts = {"imported": 0, "duplicate": 0, "skipped": 0}
    for path in map(Path, args.paths):
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in {".json", ".zip"}) if path.is_dir() else [path]
        for p in found:  # never read forever (/dev/zero) nor more than one upload may hold
            raw, issues = read_bounded(p, str(p), LIMITS.total_bytes)
            if raw is None:
                counts["skipped"] += 1
                print(f"{p}: skipped: {'; '.join(i.message() for i in issues)}", file=sys.stderr)
            else:
                files.append((str(p), raw))
    app = _app(args)
    for line in app.transfer.import_files(cli_actor(), files):
        counts[line.outcome] += 1
        print(f"{line.file}: {line.outcome}" + (f": {line.reason()}" if line.issues else ""),
              file=sys.stderr if line.outcome == "skipped" else sys.stdout)  # fmt: skip
    app.close()
    print(f"{counts['imported']} imported, {counts['duplicate']} already there, {counts['skipped']} skipped")
    return 2 if counts["skipped"] else 0


def cmd_bench(args: argparse.Namespace) -> int:
    from tools.bench import json_run, run, store_run

    if args.json:
        print(json.dumps(json_run(assessments=args.assessments, store=args.store)))
        return 0
    print(run(assessments=args.assessments))
    if args.store:
        print(store_run(assessments=args.assessments))
    if args.ui:
        from tools.ui_bench import run as ui_run

        print(ui_run())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Every stored assessment (of one standard, or all) as a ZIP of assessment files; audited."""
    app = _app(args)
    archive, count = app.transfer.export_zip(cli_actor(), args.standard)
    app.close()
    Path(args.out).write_bytes(archive)
    print(f"{count} assessment(s) written to {args.out}")
    return 0


def _user(app: Gapura, email: str):
    found = [u for u in app.accounts.list_users(cli_actor()) if u.email == email_key(email)]
    if not found:
        print(f"{email}: no such account", file=sys.stderr)
    return found[0] if found else None


def cmd_users(args: argparse.Namespace) -> int:
    """Accounts from the server's shell: list them, invite, set roles, make a reset link."""
    app, actor = _app(args), cli_actor()
    try:
        if args.action == "list":
            names = {i: name for i, name, _ in app.assessing.organizations(actor)}
            for user in app.accounts.list_users(actor):
                orgs = "; ".join(names.get(o, str(o)) for o in user.organizations)
                state = "" if user.active else " (inactive)"
                print(f"{user.email}\t{','.join(user.roles) or '-'}\t{orgs or '-'}{state}")
            return 0
        if args.action == "invite":
            organization_id = None
            if args.organization:
                organization_id = app.store.find_organization(args.organization)
                if organization_id is None:
                    print(f"{args.organization}: no such organization", file=sys.stderr)
                    return 2
            link = app.accounts.invite(actor, args.email, role=args.role, organization_id=organization_id,
                                       base_url=args.base_url)  # fmt: skip
            print(link.url + ("  (emailed)" if link.sent else ""))
            return 0
        user = _user(app, args.email)
        if user is None:
            return 2
        if args.action == "roles":
            app.accounts.set_roles(actor, user.id, args.roles)
            print(f"{user.email}: {', '.join(args.roles) or 'no roles'}")
        else:
            print(app.accounts.reset_link(actor, user.id, base_url=args.base_url).url)
        return 0
    except Refused as refused:
        print(f"{args.email if hasattr(args, 'email') else ''}: refused: {refused.code} {refused.params or ''}",
              file=sys.stderr)  # fmt: skip
        return 2
    finally:
        app.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gapura", description="Gapura: standards, assessments, accounts")
    sub = parser.add_subparsers(dest="command", required=True)
    add_pure_commands(sub)
    sub.choices["validate"].set_defaults(func=cmd_validate)
    p = sub.add_parser("import", help="import assessment files or ZIPs into the database (DATABASE_URL)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser("export", help="write every stored assessment as a ZIP of assessment files (with names)")
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--standard", metavar="ID", help="only assessments of this standard")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("users", help="accounts: list, invite, roles, reset")
    users = p.add_subparsers(dest="action", required=True)
    users.add_parser("list", help="every account with its roles and organizations")
    q = users.add_parser("invite", help="print a single-use invitation link (emailed when [smtp] is set)")
    q.add_argument("email")
    q.add_argument("--role", choices=["officer", "researcher", "admin"])
    q.add_argument("--organization", metavar="NAME", help="invite as a member of this organization")
    q = users.add_parser("roles", help="set an account's roles (none: company member only)")
    q.add_argument("email")
    q.add_argument("roles", nargs="*", choices=["officer", "researcher", "admin"])
    q = users.add_parser("reset", help="print a one-time password reset link (24 hours)")
    q.add_argument("email")
    for q in users.choices.values():
        q.add_argument("--base-url", default="http://localhost:8501", help="the app's address, for links")
    p.set_defaults(func=cmd_users)
    p = sub.add_parser("bench", help="time the engine against a baseline in the same process")
    p.add_argument("--assessments", type=int, default=1000)
    p.add_argument("--store", action="store_true", help="also time the database (SQLite and a throwaway PostgreSQL)")
    p.add_argument("--ui", action="store_true", help="also time a rerun after one answer (AppTest and chromium)")
    p.add_argument("--json", action="store_true", help="print one JSON object only: engine, floor, loop, exports")
    p.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    return args.func(args)
