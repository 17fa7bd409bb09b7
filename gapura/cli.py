"""`python -m gapura COMMAND`: every command, the pure ones of `python -m scoring` and those that use the
database. The command line runs with the server's own rights and is audited as cli:<OS user>."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from scoring.cli import add_pure_commands, load_assessment, report_missing
from scoring.cli import cmd_validate as validate_files
from scoring.formats import FORMATS
from scoring.jsonfile import read_bounded
from scoring.library import load_library
from scoring.versions import newest
from services import assessing
from services import settings as settings_module
from services.accounts import Refused, email_key
from services.app import Gapura
from services.policy import cli_actor
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
    """The pure validation, then every file that differs from the published version of its id and version."""
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
        changed = app.standards.changed(library)
    finally:
        app.close()
    for c in changed:
        print(f"{plain(c.file)}: $: differs from the published version of '{plain(c.standard_id)}' version "
              f"'{plain(c.version)}'; give it a new version", file=sys.stderr)  # fmt: skip
    return 2 if changed else status


def plain(text: object) -> str:
    """Names from files and users as inert text: control and format characters escaped, never sent to a terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


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
                print(f"{plain(p)}: skipped: {plain('; '.join(i.message() for i in issues))}", file=sys.stderr)
            else:
                files.append((str(p), raw))
    app = _app(args)
    for line in app.transfer.import_files(cli_actor(), files):
        counts[line.outcome] += 1
        print(f"{plain(line.file)}: {line.outcome}" + (f": {plain(line.reason())}" if line.issues else ""),
              file=sys.stderr if line.outcome == "skipped" else sys.stdout)  # fmt: skip
    app.close()
    print(f"{counts['imported']} imported, {counts['duplicate']} already there, {counts['skipped']} skipped")
    return 2 if counts["skipped"] else 0


def cmd_report(args: argparse.Namespace) -> int:
    """The company report (or its workbook or CSV) of an assessment file, with no database: what the file holds
    (answers, notes, evidence links); no plan tracking, documents, rounds or benchmark. Bad input: the reasons in
    the chosen language, exit 2. With --association: the association's report for the ministry instead."""
    if args.association:
        return _association_report(args)
    if not args.answers:
        print("report: $: --answers is needed (or --association for the report for the ministry)", file=sys.stderr)
        return 2
    from reports.pdf import company_pdf
    from reports.report import Report
    from reports.workbook import people_csv, workbook
    from scoring.assessment import counted_levels
    from scoring.engine import score_one

    def refuse(issues: list) -> int:
        for issue in issues:
            print(
                f"{plain(issue.file)}: {plain(issue.path or '$')}: {plain(issue.message(args.lang))}", file=sys.stderr
            )
        return 2

    fmt = args.format or (
        Path(args.out).suffix.lstrip(".").lower() if Path(args.out).suffix.lower() in (".xlsx", ".csv") else "pdf"
    )
    loaded = load_assessment(args.standard, args.answers)
    if isinstance(loaded, list):
        return refuse(loaded)
    standard, assessment = loaded
    answers = dict(assessment.answers)
    report = Report(standard=standard, result=score_one(standard, counted_levels(answers)),
                    organization=assessment.organization.name, round=None, final=None, answers=answers,
                    made_on=date.today())  # fmt: skip
    build = {"pdf": company_pdf, "xlsx": workbook, "csv": people_csv}[fmt]
    try:
        Path(args.out).write_bytes(build(report, args.lang))
    except OSError as exc:
        print(f"{plain(args.out)}: $: {plain(exc.strerror or exc)}", file=sys.stderr)
        return 2
    print(f"{plain(args.out)}: {report.headline(args.lang)}")
    return 0


def _association_report(args: argparse.Namespace) -> int:
    """The association's report for the ministry of one standard version from the database, as PDF or XLSX by
    --out's extension; every figure under the disclosure rules; audited."""
    from services.app import NotFound

    fmt = Path(args.out).suffix.lstrip(".").lower()
    if fmt not in ("pdf", "xlsx"):
        print(f"{plain(args.out)}: $: the report for the ministry is a .pdf or an .xlsx file", file=sys.stderr)
        return 2
    app = _app(args)
    try:
        content = app.ministry_report.report(cli_actor(), args.standard, args.version, args.lang, fmt, args.campaign)
    except assessing.Refused as refused:  # an unknown campaign
        for issue in refused.issues:
            print(f"--campaign: $: {plain(issue.message())}", file=sys.stderr)
        return 2
    except NotFound:
        version = f" version {args.version}" if args.version else ""
        print(f"{plain(args.standard)}: $: no stored assessment of this standard{plain(version)}", file=sys.stderr)
        return 2
    finally:
        app.close()
    try:
        Path(args.out).write_bytes(content)
    except OSError as exc:
        print(f"{plain(args.out)}: $: {plain(exc.strerror or exc)}", file=sys.stderr)
        return 2
    print(f"{plain(args.out)}: the report for the ministry ({plain(args.standard)})")
    return 0


# `bench --X` flags that time one thing only: the flag, its module in tools/, and what its run() is given.
ONLY_BENCHES = (
    ("report", "tools.bench", "report_run", lambda a: {}),
    ("ministry", "tools.bench", "ministry_run", lambda a: {"organizations": a.assessments}),
    ("serving", "tools.serving_bench", "run", lambda a: {}),
    ("exports", "tools.exports_bench", "run", lambda a: {"organizations": a.assessments}),
    ("locks", "tools.lock_bench", "run", lambda a: {"organizations": a.assessments}),
    ("officers", "tools.bench_officers", "run", lambda a: {"organizations": a.assessments}),
    ("load", "tools.load_bench", "run", lambda a: {"members": a.members, "seconds": a.seconds}),
    ("pages", "tools.pages_bench", "run", lambda a: {"organizations": a.assessments}),
)


def cmd_bench(args: argparse.Namespace) -> int:
    import importlib

    from tools.bench import json_run, run, store_run

    for flag, module, function, arguments in ONLY_BENCHES:
        if getattr(args, flag):
            print(getattr(importlib.import_module(module), function)(**arguments(args)))
            return 0
    if args.json:
        figures = json_run(assessments=args.assessments, store=args.store)
        print(json.dumps(figures))
        return 0 if figures["identical"] else 1
    print(run(assessments=args.assessments))
    if args.store:
        print(store_run(assessments=args.assessments))
    if args.ui:
        from tools.ui_bench import run as ui_run

        print(ui_run())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """`--format files`: every stored assessment as a ZIP of assessment files (with names). Any other format: the
    research data package of one standard version, pseudonymous unless --with-names. Audited."""
    from services.keys import KeyProblem

    app = _app(args)
    try:
        if args.format == "files":
            archive, count = app.transfer.export_zip(cli_actor(), args.standard)
            Path(args.out).write_bytes(archive)
            print(f"{count} assessment(s) written to {args.out}")
            return 0
        return _export_research(app, args)
    except KeyProblem as problem:  # the key of research ids is missing or not the one in use: what to do
        print(f"export: $: {problem}", file=sys.stderr)
        return 2
    finally:
        app.close()


def _export_research(app: Gapura, args: argparse.Namespace) -> int:
    from services.panels import Filters
    from services.research import Selection, zipped

    if not args.standard:
        print("export: $: --standard is needed for a research format", file=sys.stderr)
        return 2
    version = args.version or newest(v for sid, v, _ in app.research.versions(cli_actor()) if sid == args.standard)
    if version is None:
        print(f"{args.standard}: $: no stored assessment of this standard", file=sys.stderr)
        return 2
    filters = Filters(province=args.province, island_group=args.island, size_band=args.size, segment=args.segment)
    selection = Selection(args.standard, version, args.round, filters, args.submitted_from, args.submitted_to)
    package = app.research.package(cli_actor(), selection, with_names=args.with_names)
    if package.refused is not None:
        print(f"{args.standard}: $: {package.refused.message()}", file=sys.stderr)
        return 2
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as folder:
        paths = app.research.write(package, args.format, Path(folder))
        if len(paths) == 1:
            shutil.move(paths[0], out)
        elif out.suffix.lower() == ".zip":
            zipped(paths, out, out.stem)
        else:
            out.mkdir(parents=True, exist_ok=True)
            for path in paths:
                shutil.move(path, out / path.name)
    shown = "with names and free text" if args.with_names else "pseudonymous"
    print(f"{len(package.dataset.wide)} assessment(s) of {package.organizations} organization(s), {shown}, "
          f"written to {out}")  # fmt: skip
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    """The association's figures for one standard version and cohort (scoring.md, "The command line")."""
    import json

    from services.app import NotFound
    from services.panels import Filters

    app = _app(args)
    try:
        filters = Filters(province=args.province, size_band=args.size, segment=args.segment)
        out = app.association.agenda_json(cli_actor(), args.standard, args.version, filters, args.with_names)
    except NotFound:
        print(f"{args.standard}: $: no stored assessment of this standard{' version ' + args.version if args.version else ''}",
              file=sys.stderr)  # fmt: skip
        return 2
    finally:
        app.close()
    if args.format == "json":
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"{out['standard']['id']} {out['standard']['version']}: {out['members']} members, "
          f"{out['benchmark_set']} in the benchmark set (threshold {out['threshold']})")  # fmt: skip
    if out.get("suppressed"):
        print("too few organizations in this cohort: no statistics")
        return 0
    for row in out["agenda"]:
        print(f"{row['id']}\t{row['agenda'] * 100:.2f} points\t{row['share_unmet'] * 100:.0f}% unmet of {row['count']}")
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
                print(f"{plain(user.email)}\t{','.join(user.roles) or '-'}\t{plain(orgs) or '-'}{state}")
            return 0
        if args.action == "invite":
            organization_id = None
            if args.organization:
                wanted = args.organization.casefold().strip()
                organization_id = next((i for i, name, _ in app.assessing.organizations(actor)
                                        if name.casefold().strip() == wanted), None)  # fmt: skip
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
            print(f"{plain(user.email)}: {', '.join(args.roles) or 'no roles'}")
        else:
            print(app.accounts.reset_link(actor, user.id, base_url=args.base_url).url)
        return 0
    except Refused as refused:
        print(f"{args.email if hasattr(args, 'email') else ''}: refused: {refused.code} {refused.params or ''}",
              file=sys.stderr)  # fmt: skip
        return 2
    finally:
        app.close()


def cmd_demo(args: argparse.Namespace) -> int:
    """Load (or with --remove, delete) synthetic member companies; refused on a database with real members'
    assessments unless --force (a staging copy), and always while demo data is loaded."""
    app, actor = _app(args), cli_actor()
    try:
        if args.remove:
            removed = app.demo.remove(actor)
            c = removed.counts
            print(f"removed {c.organizations} demo companies, {c.associations} demo association, {c.assessments} "
                  f"assessments, {c.answers} answers" + (f"; kept {removed.kept} worked in since" if removed.kept else ""))  # fmt: skip
            return 0
        started = time.perf_counter()
        c = app.demo.load(actor, organizations=args.organizations, seed=args.seed, force=args.force)
        print(f"loaded {c.organizations} demo companies, {c.associations} demo association, {c.assessments} "
              f"assessments, {c.answers} answers in {time.perf_counter() - started:.1f} s (seed {args.seed}); "
              "remove with: python -m gapura demo --remove")  # fmt: skip
        return 0
    except assessing.Refused as refused:
        print("demo: refused: " + "; ".join(i.message() for i in refused.issues), file=sys.stderr)
        return 2
    finally:
        app.close()


def cmd_keys(args: argparse.Namespace) -> int:
    """`keys rotate-pseudonym`: says what rotating breaks, and rotates only with --yes."""
    from services.keys import ROTATION_BREAKS, KeyProblem

    print(f"Rotating the pseudonym key: {ROTATION_BREAKS}")
    if not args.yes:
        print("Nothing changed; run again with --yes to rotate.", file=sys.stderr)
        return 2
    app = _app(args)
    try:
        where = app.keys.rotate(cli_actor())
    except KeyProblem as problem:
        print(f"keys: $: {problem}", file=sys.stderr)
        return 2
    finally:
        app.close()
    print(f"The new key is in use: {where}. Back it up apart from the database; give every replica the same key.")
    return 0


def cmd_jobs(args: argparse.Namespace) -> int:
    """`jobs run`: send the campaign reminders due at this moment (or at --now, UTC), one line per email."""
    try:
        now = datetime.strptime(args.now, "%Y-%m-%dT%H:%M").replace(tzinfo=UTC) if args.now else datetime.now(UTC)
    except ValueError:
        print(f"--now {plain(args.now)}: $: not a time as YYYY-MM-DDTHH:MM (UTC)", file=sys.stderr)
        return 2
    app = _app(args)
    try:
        if app.settings.smtp is None:
            print("jobs: no SMTP server configured (GAPURA_SMTP_HOST or [smtp]): no reminder sent", file=sys.stderr)
            return 0
        deliveries = app.reminders.run(cli_actor(), now)
    finally:
        app.close()
    for d in deliveries:
        line = f"{d.kind}\t{plain(d.round_name)}\t{plain(d.organization)}\t{plain(d.email)}"
        print(f"{line}\t{plain(d.error)}" if d.error else line, file=sys.stderr if d.error else sys.stdout)
    failed = sum(d.error is not None for d in deliveries)
    print(f"{len(deliveries) - failed} reminders sent at {now:%Y-%m-%d %H:%M} UTC"
          + (f"; {failed} failed, retried by a later run" if failed else ""))  # fmt: skip
    return 1 if failed else 0


def cmd_campaign(args: argparse.Namespace) -> int:
    """`campaign create`: a campaign from a members CSV (a bad row: its line and reason, exit 2, nothing stored);
    `campaign status`: its counts and every member's stage today."""
    from scoring.roster import MAX_BYTES, parse_roster
    from services.campaigns import COUNTED

    if args.action == "create":
        if report_missing([args.members]):
            return 2
        raw, issues = read_bounded(Path(args.members), args.members, MAX_BYTES)
        roster = parse_roster(raw, args.members) if raw is not None else None
        issues = issues if roster is None else roster.issues
        for issue in issues:
            print(f"{plain(issue.file)}: {plain(issue.message())}", file=sys.stderr)
        if issues:
            return 2
    app, actor = _app(args), cli_actor()
    try:
        if args.action == "create":
            campaign_id, links = app.campaigns.create(
                actor, args.standard, args.version, args.round, args.deadline, roster.invitees,
                message_id=args.message_id, message_en=args.message_en, remind_days=args.remind_days,
                base_url=args.base_url,
            )  # fmt: skip
            print(f"campaign {campaign_id}: {len(links)} invitations" + (" (emailed)" if any(link.sent for link in links)
                                                                          else ""))  # fmt: skip
            for link in links:
                if not link.sent:
                    print(f"{plain(link.email)}\t{link.url}")
            return 0
        tracker = app.campaigns.tracker(actor, args.id, datetime.now(UTC).date())
        rows = [{"organization": r.organization, "email": r.email, "stage": r.stage, "overdue": r.overdue,
                 "withdrawn": r.withdrawn} for r in tracker.rows]  # fmt: skip
        if args.format == "json":
            print(json.dumps({"campaign": tracker.campaign.id, "round": tracker.campaign.round_name,
                              "deadline": tracker.campaign.deadline.isoformat(), "counts": tracker.counts,
                              "members": rows}, ensure_ascii=False, indent=2))  # fmt: skip
            return 0
        print(f"{plain(tracker.campaign.round_name)} (deadline {tracker.campaign.deadline.isoformat()})")
        print("  ".join(f"{name} {tracker.counts[name]}" for name in COUNTED))
        for row in rows:
            flags = " overdue" * row["overdue"] + " withdrawn" * row["withdrawn"]
            print(f"{plain(row['organization'])}\t{plain(row['email'])}\t{row['stage']}{flags}")
        return 0
    except assessing.Refused as refused:
        for issue in refused.issues:
            print(f"campaign: {plain(issue.path or '$')}: {plain(issue.message())}", file=sys.stderr)
        return 2
    finally:
        app.close()


def _copied(copy) -> str:
    return f"{len(copy.rows)} tables, {sum(copy.rows.values())} rows, {copy.bytes} bytes, schema {copy.revision}"


def cmd_backup(args: argparse.Namespace) -> int:
    """A copy of the whole database of DATABASE_URL at --out, taken while the app runs; audited."""
    from services.backup import CopyFailed, ToolMissing

    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        print(f"{plain(out)}: $: give a file in an existing folder", file=sys.stderr)
        return 2
    app = _app(args)
    try:
        copy = app.backups.back_up(cli_actor(), out)
    except (ToolMissing, ValueError) as refused:  # no pg_dump; --out is the database itself
        print(f"backup: $: {plain(refused)}", file=sys.stderr)
        return 2
    except (CopyFailed, OSError) as exc:
        print(f"backup: $: {plain(exc)}", file=sys.stderr)
        return 1
    finally:
        app.close()
    print(f"{plain(out)}: {_copied(copy)}; it holds every company's answers and evidence: keep it encrypted, "
          "never email it")  # fmt: skip
    return 0


def _confirmed(question: str) -> bool:
    """A typed "yes" at a terminal; a script (no terminal) never confirms."""
    return sys.stdin.isatty() and input(f"{question} Type yes: ").strip().lower() == "yes"


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database of DATABASE_URL with a backup; one that holds data only after --yes or a typed yes."""
    from services.backup import CopyFailed, NotACopy, ToolMissing, WouldReplace

    path = Path(args.path)
    if report_missing([args.path]):
        return 2
    app, actor = _app(args), cli_actor()
    shown = make_url(app.settings.database_url).render_as_string(hide_password=True)
    try:
        try:
            copy = app.backups.restore(actor, path, replace=args.yes)
        except WouldReplace as would:  # the file is a good backup: at a terminal, ask before replacing
            if not _confirmed(f"{shown}: {would}; replace it all with {plain(path)}?"):
                raise
            copy = app.backups.restore(actor, path, replace=True)
    except WouldReplace as would:
        print(f"restore: $: {shown}: {would}; nothing changed (run again with --yes to replace it)", file=sys.stderr)
        return 2
    except (NotACopy, ToolMissing) as refused:
        print(f"{plain(path)}: $: {plain(refused)}; nothing changed", file=sys.stderr)
        return 2
    except (CopyFailed, OSError) as exc:
        print(f"restore: $: {plain(exc)}", file=sys.stderr)
        return 1
    finally:
        app.close()
    migrated = f"; migrated from schema {copy.revision} to {copy.migrated_to}" if copy.migrated_to else ""
    print(f"{shown}: restored from {plain(path)}: {_copied(copy)}{migrated}")
    return 0


def _days(text: str) -> list[int]:
    try:
        return [int(day) for day in text.split(",") if day.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not days, e.g. 7,1: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gapura", description="Gapura: standards, assessments, accounts")
    sub = parser.add_subparsers(dest="command", required=True)
    add_pure_commands(sub)
    sub.choices["validate"].set_defaults(func=cmd_validate)
    p = sub.add_parser("import", help="import assessment files or ZIPs into the database (DATABASE_URL)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser(
        "export",
        help="the research data package of a standard version (pseudonymous), or "
        "--format files: every stored assessment as assessment files (with names)",
    )
    p.add_argument("--out", required=True, metavar="PATH", help="a file; a folder (or .zip) for several files")
    p.add_argument("--format", default="files", choices=["files", *FORMATS])
    p.add_argument("--standard", metavar="ID", help="the standard (needed for research formats)")
    p.add_argument("--version", metavar="V", help="default: the newest version with stored assessments")
    p.add_argument("--round", type=int, metavar="N")
    p.add_argument("--province", metavar="P")
    p.add_argument("--island", metavar="GROUP", help="an island group id, e.g. jawa")
    p.add_argument("--size", metavar="S", help="a size band, e.g. 11-50")
    p.add_argument("--segment", metavar="G", help="an event segment id")
    p.add_argument("--submitted-from", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--submitted-to", type=date.fromisoformat, metavar="YYYY-MM-DD")
    p.add_argument("--with-names", action="store_true", help="add names, notes and evidence (admin's own use)")
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("agenda", help="the research agenda and percentiles of the stored members (officers' figures)")
    p.add_argument("--standard", required=True, metavar="ID")
    p.add_argument("--version", metavar="V", help="default: the library's latest version that has assessments")
    p.add_argument("--province", metavar="P")
    p.add_argument("--size", metavar="S", help="a size band, e.g. 11-50")
    p.add_argument("--segment", metavar="G", help="an event segment id, e.g. concert-festival")
    p.add_argument("--format", choices=["json", "text"], default="text")
    p.add_argument(
        "--with-names",
        action="store_true",
        help="key percentiles by organization name (the server's own use), not by pseudonymous id",
    )
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.set_defaults(func=cmd_agenda)
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
    p = sub.add_parser("report", help="the company report (PDF), results workbook (XLSX) or CSV of an assessment "
                       "file; with --association, the association's report for the ministry (PDF or XLSX)")  # fmt: skip
    p.add_argument("--association", action="store_true", help="the report for the ministry, from the database "
                   "(--standard is then a standard's id; the format is --out's extension)")  # fmt: skip
    p.add_argument("--standard", required=True, metavar="FILE|ID")
    p.add_argument("--campaign", type=int, metavar="ID", help="with --association: the campaign whose completion the "
                   "report shows (its id, as 'campaign create' printed it)")  # fmt: skip
    p.add_argument("--answers", metavar="FILE", help="an assessment file as downloaded from the app")
    p.add_argument("--version", metavar="V", help="with --association: default the newest version in use")
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.add_argument("--lang", choices=["id", "en"], default="id")
    p.add_argument("--out", required=True, metavar="PATH")
    p.add_argument("--format", choices=["pdf", "xlsx", "csv"], help="default: from --out's extension, else pdf")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("bench", help="time the engine against a baseline in the same process")
    p.add_argument("--assessments", type=int, default=1000)
    p.add_argument("--store", action="store_true", help="also time the database (SQLite and a throwaway PostgreSQL)")
    p.add_argument("--ui", action="store_true", help="also time a rerun after one answer (AppTest and chromium)")
    p.add_argument("--locks", action="store_true", help="only: on SQLite with --assessments N demo members, reads "
                   "while another process holds the write lock, against the same reads idle")  # fmt: skip
    p.add_argument("--pages", action="store_true", help="only: with --assessments N demo members stored, the Members "
                   "and Compare pages against a Results page, in chromium")  # fmt: skip
    p.add_argument("--officers", action="store_true", help="only: with --assessments N demo members stored, the "
                   "officers' view after one answer against a warm one and against a Results page")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object only: engine, floor, loop, exports")
    p.add_argument("--report", action="store_true", help="only: time the 60-criterion company report (PDF) against "
                   "the same PDF without charts and its XLSX")  # fmt: skip
    p.add_argument("--ministry", action="store_true", help="only: with --assessments N demo members (say 200), the "
                   "report for the ministry: its figures, its PDF against the same without charts, its XLSX")  # fmt: skip
    p.add_argument("--load", action="store_true", help="only: two replicas behind HAProxy on a throwaway PostgreSQL, "
                   "--members simulated members answering for --seconds, a replica killed and PostgreSQL restarted "
                   "mid-run; writes load-summary.json")  # fmt: skip
    p.add_argument("--members", type=int, default=50, help="with --load (default 50)")
    p.add_argument("--seconds", type=float, default=300, help="with --load: answering time (default 300)")
    p.add_argument("--serving", action="store_true", help="only: cold start to the first page and server CPU per "
                   "answer in chromium, against a trivial Streamlit app")  # fmt: skip
    p.add_argument("--exports", action="store_true", help="only: with --assessments N demo members, the research XLSX "
                   "against the CSV of the same data, and each format's peak memory")  # fmt: skip
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser("demo", help="load synthetic member companies (flagged demo), or remove them")
    p.add_argument("--organizations", type=int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--force", action="store_true", help="load even beside real members' assessments")
    p.add_argument("--remove", action="store_true", help="delete every demo organization instead")
    p.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("keys", help="the key of pseudonymous research ids")
    keys = p.add_subparsers(dest="action", required=True)
    q = keys.add_parser("rotate-pseudonym", help="a new key: ids of earlier research files no longer match (audited)")
    q.add_argument("--yes", action="store_true", help="rotate (without it: only say what rotating breaks)")
    p.set_defaults(func=cmd_keys)
    p = sub.add_parser("jobs", help="scheduled work, for cron or a systemd timer: campaign reminders")
    jobs = p.add_subparsers(dest="action", required=True)
    q = jobs.add_parser("run", help="send the reminders due now (each once, whatever runs beside it)")
    q.add_argument("--now", metavar="YYYY-MM-DDTHH:MM", help="act as if it were this time, UTC (tests and drills)")
    p.set_defaults(func=cmd_jobs)
    p = sub.add_parser("campaign", help="campaigns: create one from a members CSV, or show where its members stand")
    campaign = p.add_subparsers(dest="action", required=True)
    q = campaign.add_parser("create", help="invite the members of a CSV (columns organization, email) to assess")
    q.add_argument("--standard", required=True, metavar="ID")
    q.add_argument("--version", metavar="V", help="default: the library's latest version")
    q.add_argument("--round", required=True, metavar="NAME", help='the round across the membership, e.g. "T0 2027"')
    q.add_argument("--deadline", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    q.add_argument("--members", required=True, metavar="CSV")
    q.add_argument("--remind-days", type=_days, default=[7, 1], metavar="7,1", help="days before the deadline")
    q.add_argument("--message-id", default="", metavar="TEXT", help="the message in Indonesian")
    q.add_argument("--message-en", default="", metavar="TEXT", help="the message in English")
    q.add_argument("--base-url", default="http://localhost:8501", help="the app's address, for links")
    q.add_argument("--standards", metavar="FOLDER", help="the standards folder (default: GAPURA_STANDARDS_DIR)")
    q = campaign.add_parser("status", help="invited, signed up, started, submitted, verified, overdue; per member")
    q.add_argument("id", type=int)
    q.add_argument("--format", choices=["json", "text"], default="text")
    p.set_defaults(func=cmd_campaign)
    kept = "it holds every company's answers and evidence: keep it like the database (encrypted at rest, never emailed)"
    p = sub.add_parser("backup", help=f"a copy of the whole database of DATABASE_URL, taken while the app runs; {kept}")
    p.add_argument("--out", required=True, metavar="PATH", help="the file to write (SQLite file, or pg_dump's custom "
                   "format for PostgreSQL)")  # fmt: skip
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="replace the database of DATABASE_URL with a backup (an older one is then "
                       "migrated; one from a newer Gapura is refused)")  # fmt: skip
    p.add_argument("path", metavar="PATH", help="a file written by `backup`")
    p.add_argument("--yes", action="store_true", help="replace a database that holds data without asking")
    p.set_defaults(func=cmd_restore)
    args = parser.parse_args(argv)
    return args.func(args)
