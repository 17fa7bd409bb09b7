"""The access matrix, through the services: every guarded service call, made by each kind of actor on organization
A's data (or the association's), is allowed or denied as the product rules say.

The expectations are written out below, from the rules, not derived from `policy.POLICY`: a test that read the
policy to decide what to expect could never fail. Where the code disagrees with a rule, the rule stays in the table
and the case is marked xfail(strict=True), so fixing the code (or changing the rule) is a visible decision.

The rules:
- a company member reads and writes only its own organization's profile, assessments, answers, results, action plan,
  change log, personal-data download and members;
- an officer reads every organization and assessment (answers, results, action plan, change log included), imports,
  bulk-exports, invites (not to admin; into a member company only its first member), and writes only the
  association's own assessments and plan: a company's are read-only to them;
- a researcher gets none of these resources: only aggregates above the privacy threshold (shared gaps) and
  pseudonymous research data;
- officers read every member's standing by name (members, compare, progress, the agenda command) and aggregates;
  a company member reads its own benchmark (aggregates of the others only), an officer any;
- an admin manages accounts, roles, members, standards admin, the audit log, the personal-data erase and demo data,
  and reads organization names, but neither reads nor writes a company's answers unless also its member;
- whom this Gapura serves (one company or an association: the menus everyone sees) is the admin's to change;
- rotating the key of research ids is for the command line only (the server's operator), no role;
- backing up and restoring the whole database (every company's answers and evidence) is for the command line only
  (the server's operator), no role;
- support given to members (interventions, attendance, the with/without comparison): officers only;
- evidence files: a company member reads and writes its own organization's, an officer reads every member's and
  writes only the association's own; researchers and admins (unless members) see none;
- verification: an officer or a verifier starts it, records verified levels and comments, sends them and marks the
  assessment verified, and lists the queue; the company reads its own verification and writes only its replies; a
  verifier otherwise only reads organizations, assessments, answers and evidence (what it checks), never results,
  plans, change logs, names in bulk or aggregates, and writes nothing of a company's;
- campaign reminders (the scheduled run, an officer's "remind now") are sent by officers and the command line only;
- the report for the ministry (every figure under the disclosure rules) is made by officers only;
- campaigns: officers create them, follow the tracker and withdraw members; a company member reads only its own
  organization's campaign rows (its open campaigns, the round its assessments answer); the links a campaign gives
  new companies are an officer's invitations (the accounts grant);
- the command line may do everything; an anonymous visitor nothing.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from scoring.model import Answer
from services import accounts as accounts_service
from services import assessing as assessing_service
from services import policy
from services.app import Gapura
from services.panels import Filters
from services.policy import Actor, Denied
from services.research import Selection
from services.settings import Settings
from tests.conftest import MINI, MINI_ANSWERS
from tests.evidence_files import pdf
from tests.persistence.conftest import fresh_database

ORG_A = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))["organization"]["name"]  # resume needs its name
ORG_B = "PT Lain Sekali"
ASSOCIATION = "Asosiasi Uji"
ACTORS = ("anonymous", "member_a", "member_b", "officer", "researcher", "verifier", "admin", "cli")
# Accounts' emails; each has its own password, so using another's proves nothing.
EMAILS = {
    name: f"{name.replace('_', '-')}@gapura.test"
    for name in ("member_a", "member_b", "officer", "researcher", "verifier")
}
ADMIN_EMAIL = "admin@gapura.test"


def password(name: str) -> str:
    return f"kata-sandi-{name}-123"


# The world: one database of each kind per module, built through the services


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix_url(request, tmp_path_factory):
    with fresh_database(request, request.param, tmp_path_factory.mktemp("matrix")) as url:
        yield url


def _signed_in(app: Gapura, token: str) -> Actor:
    actor = app.accounts.actor_for_session(token)
    assert actor is not None
    return actor


@pytest.fixture(scope="module")
def world(matrix_url, tmp_path_factory):
    """Organizations A and B, the association, a draft of each, and the actors as real accounts."""
    standards = tmp_path_factory.mktemp("standards")  # retire and publish write here, not into tests/data
    shutil.copy(MINI, standards / MINI.name)
    key_file = tmp_path_factory.mktemp("keys") / "pseudonym.key"  # rotated by the matrix: not the checkout's
    app = Gapura(Settings(database_url=matrix_url, standards_dir=standards, key_file=key_file))
    accounts, cli = app.accounts, policy.cli_actor()

    first = accounts.first_run(ADMIN_EMAIL, password("admin"))  # admin and officer
    org_a = app.store.ensure_organization({"name": ORG_A, "region": "DI Yogyakarta", "segments": ["wedding"]})
    org_b = app.store.ensure_organization({"name": ORG_B})
    org_new = app.store.ensure_organization({"name": "PT Belum Beranggota"})  # a member company nobody joined yet
    association = app.assessing.association(cli, ASSOCIATION)

    invitations = {
        "member_a": {"organization_id": org_a},
        "member_b": {"organization_id": org_b},
        "officer": {"role": "officer"},
        "researcher": {"role": "researcher"},
        "verifier": {"role": "verifier"},
    }
    actors: dict[str, Actor] = {"anonymous": policy.ANONYMOUS, "cli": cli}
    ids: dict[str, int] = {}
    for name, scope in invitations.items():
        link = accounts.invite(first, EMAILS[name], **scope)
        signed = accounts.accept_invitation(link.token, password(name), name=name)
        actors[name] = _signed_in(app, signed.token)
        ids[name] = signed.actor.user_id
    # The admin of the matrix is the first account, with its officer role taken away: an admin only.
    accounts.set_roles(first, first.user_id, ["admin"])
    signed = accounts.sign_in(ADMIN_EMAIL, password("admin"), "tests")
    actors["admin"] = _signed_in(app, signed.token)
    ids["admin"] = first.user_id
    assert actors["admin"].roles == {"admin"} and not actors["admin"].organizations
    assert actors["officer"].roles == {"officer"} and actors["member_a"].organizations == {org_a}

    mini = app.standard("mini", None)
    work = app.assessing.start(actors["member_a"], mini, org_a, {}, "en").work
    app.assessing.answer(actors["member_a"], work, "A1", Answer(level=2))
    document = app.evidence.attach(actors["member_a"], work, "A1", "izin.pdf", pdf(), None)
    theirs = app.assessing.start(actors["member_b"], mini, org_b, {}, "en").work
    own = app.assessing.start(actors["officer"], mini, association, {}, "en").work
    intervention = app.support.record(cli, "training", "Klinik izin", date(2027, 1, 4), date(2027, 1, 5), [],
                                      organization_ids=[org_a])  # fmt: skip
    resume_file = MINI_ANSWERS.read_bytes()
    copies = tmp_path_factory.mktemp("copies")  # backups of the matrix's database, and a file that is none
    (copies / "not-a-backup").write_bytes(b"not a backup")
    yield SimpleNamespace(app=app, actors=actors, ids=ids, org_a=org_a, org_b=org_b, association=association,
                          mini=mini, work=work, theirs=theirs, own=own, resume_file=resume_file,
                          org_new=org_new, document=document, intervention=intervention, copies=copies)  # fmt: skip
    app.close()


# The calls: each a real service call, with how a denial shows


@dataclass(frozen=True)
class Call:
    qualname: str  # as in policy.GUARDED
    resource: str  # the grant this call exercises
    action: str
    run: Callable[[Any, Actor], Any]
    # How a denial shows: "raises" Denied; "none" returned (a link that looks unknown); "absent": the result leaves
    # out the organization `present` looks for; "not-yours": the resume line says the file is not the actor's.
    denial: str = "raises"
    present: Callable[[Any, Any], bool] = field(default=lambda w, result: True)


def _has(organization: str) -> Callable[[Any, Any], bool]:
    def present(w, result) -> bool:
        wanted = getattr(w, organization)
        return any((row.id if hasattr(row, "id") else row[0]) == wanted for row in result)

    return present


def _not_yours(line) -> bool:
    return line.outcome == "skipped" and [i.code for i in line.issues] == ["resume.not-yours"]


INVALID_STANDARD = b'{"id": "broken"}'
REMINDER_TIME = datetime(2027, 3, 24, 8, tzinfo=UTC)

CALLS: dict[str, Call] = {
    # organization profile
    "profile": Call("Assessing.profile", "organization", "read", lambda w, a: w.app.assessing.profile(a, w.org_a)),
    "start_with_profile": Call("Assessing.start", "organization", "write",
                               lambda w, a: w.app.assessing.start(a, w.mini, w.org_a, {"region": "DI Yogyakarta"}, "en")),
    "organizations": Call("Assessing.organizations", "members", "read",
                          lambda w, a: w.app.assessing.organizations(a), "absent", _has("org_a")),
    "look_alikes": Call("Assessing.look_alikes", "members", "read", lambda w, a: w.app.assessing.look_alikes(a)),
    "workplaces": Call("Assessing.workplaces", "organization", "read",
                       lambda w, a: w.app.assessing.workplaces(a), "absent", _has("org_a")),
    # assessment
    "open": Call("Assessing.open", "assessment", "read",
                 lambda w, a: w.app.assessing.open(a, w.org_a, w.work.assessment_id)),
    "open_link": Call("Assessing.open_link", "assessment", "read",
                      lambda w, a: w.app.assessing.open_link(a, w.work.token), "none"),
    "list": Call("Assessing.list", "assessment", "read", lambda w, a: w.app.assessing.list(a, w.org_a)),
    "start": Call("Assessing.start", "assessment", "write",
                  lambda w, a: w.app.assessing.start(a, w.mini, w.org_a, {}, "en")),
    "submit": Call("Assessing.submit", "assessment", "write",  # incomplete: Refused
                   lambda w, a: w.app.assessing.submit(a, w.work)),
    "reopen": Call("Assessing.reopen", "assessment", "write",  # a draft: Refused
                   lambda w, a: w.app.assessing.reopen(a, w.work)),
    "next_round": Call("Assessing.next_round", "assessment", "write",  # a version that does not exist: Refused
                       lambda w, a: w.app.assessing.next_round(a, w.work, "no-such-version")),
    "confirm": Call("Assessing.confirm", "answers", "write",  # no proposal: nothing to confirm
                    lambda w, a: w.app.assessing.confirm(a, w.work, ["A1"])),
    # answers
    "reload": Call("Assessing.reload", "answers", "read", lambda w, a: w.app.assessing.reload(a, w.work)),
    "answer": Call("Assessing.answer", "answers", "write",  # an unknown criterion: Refused, nothing stored
                   lambda w, a: w.app.assessing.answer(a, w.work, "Z9", Answer(level=1))),
    "change": Call("Assessing.change", "answers", "write",  # an unknown criterion: Refused, nothing stored
                   lambda w, a: w.app.assessing.change(a, w.work, "Z9", {"note": "x"})),
    "resume": Call("Transfer.resume", "answers", "write",
                   lambda w, a: w.app.transfer.resume(a, "ours.json", w.resume_file), "not-yours"),
    # results and change log
    "rounds": Call("Assessing.rounds", "results", "read", lambda w, a: w.app.assessing.rounds(a, w.work)),
    "saved": Call("Assessing.saved", "results", "read", lambda w, a: w.app.assessing.saved(a, w.org_a)),
    "history": Call("Assessing.history", "changelog", "read", lambda w, a: w.app.assessing.history(a, w.work)),
    "company_report": Call("Reports.company_report", "results", "read",  # the CSV: no chart, no browser
                           lambda w, a: w.app.reports.company_report(a, w.work, "id", "csv")),
    # the action plan: what the company tracks on each step
    "plan_tracking": Call("Plans.tracking", "plan", "read", lambda w, a: w.app.plans.tracking(a, w.work)),
    "plan_track": Call("Plans.track", "plan", "write",  # a status the plan does not know: Refused, nothing stored
                       lambda w, a: w.app.plans.track(a, w.work, "A1", status="later")),
    "association_plan_track": Call("Plans.track", "plan", "write",
                                   lambda w, a: w.app.plans.track(a, w.own, "A1", status="later")),
    # import and bulk export
    "import_files": Call("Transfer.import_files", "import", "write",
                         lambda w, a: list(w.app.transfer.import_files(a, []))),  # a generator: checked when read
    "export_zip": Call("Transfer.export_zip", "bulk_export", "read", lambda w, a: w.app.transfer.export_zip(a)),
    "stored_count": Call("Transfer.stored_count", "bulk_export", "read", lambda w, a: w.app.transfer.stored_count(a)),
    # personal data
    "personal_data_export": Call("PersonalData.export", "personal_data", "read",
                                 lambda w, a: w.app.personal_data.export(a, w.org_a)),
    "personal_data_erase": Call("PersonalData.erase", "personal_data", "write",  # wrong confirmation: erases nothing
                                lambda w, a: _no_erase(w.app.personal_data.erase(a, w.org_a, "not its name"))),
    # members
    "organization_members": Call("Accounts.organization_members", "members", "read",
                                 lambda w, a: w.app.accounts.organization_members(a, w.org_a)),
    "member_counts": Call("Accounts.member_counts", "members", "read", lambda w, a: w.app.accounts.member_counts(a)),
    "organizations_without_members": Call("Accounts.organizations_without_members", "members", "read",
                                          lambda w, a: w.app.accounts.organizations_without_members(a)),
    "invite_member": Call("Accounts.invite", "members", "write",
                          lambda w, a: w.app.accounts.invite(a, "colleague@gapura.test", organization_id=w.org_a)),
    "invite_first_member": Call("Accounts.invite", "members", "write",  # officers: a company's first member only
                                lambda w, a: w.app.accounts.invite(a, "first@gapura.test", organization_id=w.org_new)),
    "add_member": Call("Accounts.add_member", "accounts", "write",  # a member already: no change
                       lambda w, a: w.app.accounts.add_member(a, w.ids["member_a"], w.org_a)),
    "remove_member": Call("Accounts.remove_member", "members", "write",  # no member: no change
                          lambda w, a: w.app.accounts.remove_member(a, w.ids["researcher"], w.org_a)),
    # standards admin (the folder is the module's own copy)
    "check_standard": Call("LibraryAdmin.check", "standards_admin", "read",
                           lambda w, a: w.app.library_admin.check(a, "broken.json", INVALID_STANDARD)),
    "publish_standard": Call("LibraryAdmin.publish", "standards_admin", "write",
                             lambda w, a: w.app.library_admin.publish(a, "broken.json", INVALID_STANDARD)),
    "retire_standard": Call("LibraryAdmin.retire", "standards_admin", "write",
                            lambda w, a: w.app.library_admin.retire(a, "mini", "1", retire=False)),  # offered: no change
    # accounts
    "list_users": Call("Accounts.list_users", "accounts", "read", lambda w, a: w.app.accounts.list_users(a)),
    "set_roles": Call("Accounts.set_roles", "accounts", "write",  # the roles it has: no change
                      lambda w, a: w.app.accounts.set_roles(a, w.ids["researcher"], ["researcher"])),
    "reset_link": Call("Accounts.reset_link", "accounts", "write",
                       lambda w, a: w.app.accounts.reset_link(a, w.ids["researcher"])),
    "invite_to_role": Call("Accounts.invite", "accounts", "write",
                           lambda w, a: w.app.accounts.invite(a, "new-officer@gapura.test", role="officer")),
    "invite_to_admin": Call("Accounts.invite", "accounts", "write",
                            lambda w, a: w.app.accounts.invite(a, "new-admin@gapura.test", role="admin")),
    "set_active": Call("Accounts.set_active", "accounts", "write",  # active already: no change
                       lambda w, a: w.app.accounts.set_active(a, w.ids["researcher"], True)),
    # audit log
    "audit_events": Call("Audit.events", "audit_log", "read", lambda w, a: w.app.audit.events(a)),
    "audit_csv": Call("Audit.csv", "audit_log", "read", lambda w, a: w.app.audit.csv(a)),
    # demo data (the world has real members' assessments: a load is refused after the policy let it through)
    "demo_status": Call("Demo.status", "demo_data", "read", lambda w, a: w.app.demo.status(a)),
    "demo_load": Call("Demo.load", "demo_data", "write", lambda w, a: w.app.demo.load(a, organizations=5)),
    "demo_remove": Call("Demo.remove", "demo_data", "write", lambda w, a: w.app.demo.remove(a)),  # none: no change
    # the association's own assessments
    "association": Call("Assessing.association", "assessment", "write",
                        lambda w, a: w.app.assessing.association(a, ASSOCIATION)),
    "association_workplaces": Call("Assessing.workplaces", "assessment", "write",
                                   lambda w, a: w.app.assessing.workplaces(a, association=True), "absent",
                                   _has("association")),
    "association_start": Call("Assessing.start", "assessment", "write",
                              lambda w, a: w.app.assessing.start(a, w.mini, w.association, {}, "en")),
    "association_answer": Call("Assessing.answer", "answers", "write",  # an unknown criterion: Refused
                               lambda w, a: w.app.assessing.answer(a, w.own, "Z9", Answer(level=1))),
    "association_reload": Call("Assessing.reload", "answers", "read", lambda w, a: w.app.assessing.reload(a, w.own)),
    # the association's side and research
    "versions_in_use": Call("Aggregates.versions", "aggregates", "read", lambda w, a: w.app.aggregates.versions(a)),
    "releases": Call("Aggregates.released", "audit_log", "read", lambda w, a: w.app.aggregates.released(a)),
    "member_versions": Call("Association.versions", "member_overview", "read",
                            lambda w, a: w.app.association.versions(a)),
    "spread": Call("Association.spread", "member_overview", "read",
                   lambda w, a: w.app.association.spread(a, w.app._panels.require("mini", w.mini.version),
                                                         np.arange(0))),
    "members_overview": Call("Association.members", "member_overview", "read",
                             lambda w, a: w.app.association.members(a)),
    "compare": Call("Association.compare", "member_overview", "read",
                    lambda w, a: w.app.association.compare(a, "mini", w.mini.version, Filters())),
    "progress": Call("Association.progress", "member_overview", "read",
                     lambda w, a: w.app.association.progress(a, "mini", Filters())),
    "agenda_json": Call("Association.agenda_json", "member_overview", "read",
                        lambda w, a: w.app.association.agenda_json(a, "mini", None, Filters())),
    "shared_gaps": Call("Aggregates.shared_gaps", "aggregates", "read",
                        lambda w, a: w.app.aggregates.shared_gaps(a, "mini", w.mini.version, Filters())),
    "shared_gaps_verified": Call("Aggregates.shared_gaps", "aggregates", "read",
                                 lambda w, a: w.app.aggregates.shared_gaps(a, "mini", w.mini.version, Filters(),
                                                                           verified_only=True)),
    "self_report_gap": Call("Aggregates.self_report_gap", "aggregates", "read",
                            lambda w, a: w.app.aggregates.self_report_gap(a, "mini", w.mini.version, Filters())),
    "breakdown": Call("Aggregates.breakdown", "aggregates", "read",
                      lambda w, a: w.app.aggregates.breakdown(a, "mini", w.mini.version, Filters())),
    "capabilities": Call("Aggregates.capabilities", "aggregates", "read",
                         lambda w, a: w.app.aggregates.capabilities(a, Filters())),
    "benchmark": Call("Aggregates.benchmark", "benchmark", "read",
                      lambda w, a: w.app.aggregates.benchmark(a, w.work.assessment_id)),
    "benchmark_verified": Call("Aggregates.benchmark", "benchmark", "read",
                               lambda w, a: w.app.aggregates.benchmark(a, w.work.assessment_id, verified_only=True)),
    "research_versions": Call("Research.versions", "research_data", "read",
                              lambda w, a: w.app.research.versions(a)),
    "research_rounds": Call("Research.rounds", "research_data", "read",
                            lambda w, a: w.app.research.rounds(a, "mini", w.mini.version)),
    "research_package": Call("Research.package", "research_data", "read",
                             lambda w, a: w.app.research.package(a, Selection("mini", w.mini.version))),
    "research_with_names": Call("Research.package", "research_names", "read",
                                lambda w, a: w.app.research.package(a, Selection("mini", w.mini.version), True)),
    "set_language": Call("Accounts.set_language", "preferences", "write",
                         lambda w, a: w.app.accounts.set_language(a, "en")),
    "language": Call("Accounts.language", "preferences", "read", lambda w, a: w.app.accounts.language(a)),
    "rotate_pseudonym_key": Call("PseudonymKey.rotate", "pseudonym_key", "write", lambda w, a: w.app.keys.rotate(a)),
    # a copy of the whole database (a restore that gets past the policy is refused: the file is no backup)
    "back_up_database": Call("Backups.back_up", "database_copy", "read",
                             lambda w, a: w.app.backups.back_up(a, w.copies / "gapura.backup")),
    "restore_database": Call("Backups.restore", "database_copy", "write",
                             lambda w, a: w.app.backups.restore(a, w.copies / "not-a-backup", replace=True)),
    # whom this Gapura serves (one company or an association): the menus everyone sees
    "set_serves": Call("Serving.set_serves", "app_settings", "write",
                       lambda w, a: w.app.serving.set_serves(a, "association")),  # the default: no change
    # evidence files (writes that get past the policy are refused after it: an unknown criterion or document)
    "evidence_organizations": Call("Evidence.organizations", "evidence", "read",
                                   lambda w, a: w.app.evidence.organizations(a), "absent", _has("org_a")),
    "evidence_register": Call("Evidence.register", "evidence", "read", lambda w, a: w.app.evidence.register(a, w.org_a)),
    "evidence_documents": Call("Evidence.documents", "evidence", "read",
                               lambda w, a: w.app.evidence.documents(a, w.work)),
    "evidence_content": Call("Evidence.content", "evidence", "read",
                             lambda w, a: w.app.evidence.content(a, w.document.id)),
    "evidence_attach": Call("Evidence.attach", "evidence", "write",
                            lambda w, a: w.app.evidence.attach(a, w.work, "Z9", "izin.pdf", pdf(), None)),
    "evidence_set_expiry": Call("Evidence.set_expiry", "evidence", "write",
                                lambda w, a: w.app.evidence.set_expiry(a, w.work, -1, None)),
    "evidence_remove": Call("Evidence.remove", "evidence", "write", lambda w, a: w.app.evidence.remove(a, w.work, -1)),
    "association_evidence_attach": Call("Evidence.attach", "evidence", "write",
                                        lambda w, a: w.app.evidence.attach(a, w.own, "Z9", "izin.pdf", pdf(), None)),
    # verification (A's assessment is a draft: a step past the policy is refused, nothing started)
    "verification_queue": Call("Verifying.queue", "verification", "read", lambda w, a: w.app.verification.queue(a)),
    "verification_view": Call("Verifying.view", "verification", "read",
                              lambda w, a: w.app.verification.view(a, w.work.assessment_id)),
    "verification_start": Call("Verifying.start", "verification", "write",
                               lambda w, a: w.app.verification.start(a, w.work.assessment_id)),
    "verification_record": Call("Verifying.record", "verification", "write",
                                lambda w, a: w.app.verification.record(a, w.work.assessment_id, "A1", 2, "")),
    "verification_send": Call("Verifying.send_comments", "verification", "write",
                              lambda w, a: w.app.verification.send_comments(a, w.work.assessment_id, date(2027, 3, 1))),
    "verification_finish": Call("Verifying.finish", "verification", "write",
                                lambda w, a: w.app.verification.finish(a, w.work.assessment_id)),
    "verification_reply": Call("Verifying.reply", "verification_reply", "write",
                               lambda w, a: w.app.verification.reply(a, w.work.assessment_id, "A1", "x", date(2027, 3, 1))),
    # campaign reminders (no SMTP in the world: nothing is sent, nothing claimed)
    "reminders_run": Call("Reminders.run", "campaign", "write", lambda w, a: w.app.reminders.run(a, REMINDER_TIME)),
    "reminders_remind_now": Call("Reminders.remind_now", "campaign", "write",
                                 lambda w, a: w.app.reminders.remind_now(a, -1, [w.org_a], REMINDER_TIME)),
    # the report for the ministry (the workbook: no chart, no browser)
    "ministry_versions": Call("MinistryReport.versions", "association_report", "read",
                              lambda w, a: w.app.ministry_report.versions(a)),
    "ministry_gather": Call("MinistryReport.gather", "association_report", "read",
                            lambda w, a: w.app.ministry_report.gather(a, "mini")),
    "ministry_report": Call("MinistryReport.report", "association_report", "read",
                            lambda w, a: w.app.ministry_report.report(a, "mini", None, "id", "xlsx")),
    # support given to members (writes that get past the policy are refused after it: an unknown kind or member)
    "support_interventions": Call("Support.interventions", "support", "read",
                                  lambda w, a: w.app.support.interventions(a)),
    "support_members": Call("Support.members", "support", "read", lambda w, a: w.app.support.members(a)),
    "support_record": Call("Support.record", "support", "write",
                           lambda w, a: w.app.support.record(a, "party", "x", date(2027, 1, 1), date(2027, 1, 1), [])),
    "support_participants": Call("Support.participants", "support", "read",
                                 lambda w, a: w.app.support.participants(a, w.intervention)),
    "support_add_participants": Call("Support.add_participants", "support", "write",
                                     lambda w, a: w.app.support.add_participants(a, w.intervention, [-1])),
    "support_remove_participant": Call("Support.remove_participant", "support", "write",  # not on it: no change
                                       lambda w, a: w.app.support.remove_participant(a, w.intervention, w.org_b)),
    "support_import_attendance": Call("Support.import_attendance", "support", "write",
                                      lambda w, a: w.app.support.import_attendance(a, w.intervention, b"nama\n")),
    "support_given": Call("Support.given", "support", "read", lambda w, a: w.app.support.given(a)),
    "support_rounds": Call("Support.rounds", "support", "read",
                           lambda w, a: w.app.support.rounds(a, "mini", w.mini.version)),
    "support_effect": Call("Support.effect", "support", "read",
                           lambda w, a: w.app.support.effect(a, "mini", w.mini.version, "T0", "T1", "training")),
    # campaigns (writes that get past the policy are refused after it: no members, an unknown campaign)
    "campaign_create": Call("Campaigns.create", "campaign", "write",
                            lambda w, a: w.app.campaigns.create(a, "mini", None, "T0", date(2099, 1, 1), [])),
    "campaigns": Call("Campaigns.campaigns", "campaign", "read", lambda w, a: w.app.campaigns.campaigns(a)),
    "campaign_tracker": Call("Campaigns.tracker", "campaign", "read",
                             lambda w, a: w.app.campaigns.tracker(a, -1, date(2099, 1, 1))),
    "campaign_withdraw": Call("Campaigns.withdraw", "campaign", "write",
                              lambda w, a: w.app.campaigns.withdraw(a, -1, w.org_a)),
    "open_campaigns": Call("Campaigns.open_for", "campaign", "read",
                           lambda w, a: w.app.campaigns.open_for(a, date(2099, 1, 1))),
    "campaign_round_names": Call("Campaigns.round_names", "campaign", "read",
                                 lambda w, a: w.app.campaigns.round_names(a, w.org_a, [w.work.assessment_id])),
    "every_round_name": Call("Campaigns.every_round_name", "campaign", "read",
                             lambda w, a: w.app.campaigns.every_round_name(a)),
    "first_member_links": Call("Accounts.first_member_links", "accounts", "write",  # not an email: Refused
                               lambda w, a: w.app.accounts.first_member_links(a, ["bukan email"])),
    "deliver_invitations": Call("Accounts.deliver", "accounts", "write", lambda w, a: w.app.accounts.deliver(a, [])),
}  # fmt: skip


def _no_erase(erased: bool) -> bool:
    assert erased is False
    return erased


# The expectations, from the rules. Columns: anonymous, member of A, member of B, officer, researcher, verifier,
# admin, CLI. Y: allowed past the policy; N: denied.
#                                          anon  mA  mB  off  res  ver  adm  cli
EXPECTED: dict[str, str] = {
    "profile":                            "N    Y   N   Y    N    Y    N    Y",  # admin: names only
    "start_with_profile":                 "N    Y   N   N    N    N    N    Y",
    "organizations":                      "N    Y   N   Y    N    N    Y    Y",
    "look_alikes":                        "N    N   N   Y    N    N    Y    Y",
    "workplaces":                         "N    Y   N   N    N    N    N    Y",
    "open":                               "N    Y   N   Y    N    Y    N    Y",
    "open_link":                          "N    Y   N   Y    N    Y    N    Y",
    "list":                               "N    Y   N   Y    N    Y    N    Y",
    "start":                              "N    Y   N   N    N    N    N    Y",
    "submit":                             "N    Y   N   N    N    N    N    Y",
    "reopen":                             "N    Y   N   N    N    N    N    Y",
    "confirm":                            "N    Y   N   N    N    N    N    Y",
    "next_round":                         "N    Y   N   N    N    N    N    Y",
    "reload":                             "N    Y   N   Y    N    Y    N    Y",
    "answer":                             "N    Y   N   N    N    N    N    Y",
    "change":                             "N    Y   N   N    N    N    N    Y",
    "resume":                             "N    Y   N   N    N    N    N    Y",
    "rounds":                             "N    Y   N   Y    N    N    N    Y",
    "saved":                              "N    Y   N   Y    N    N    N    Y",
    "history":                            "N    Y   N   Y    N    N    N    Y",
    "company_report":                     "N    Y   N   Y    N    N    N    Y",
    "plan_tracking":                      "N    Y   N   Y    N    N    N    Y",
    "plan_track":                         "N    Y   N   N    N    N    N    Y",  # officer: reads, never writes
    "association_plan_track":             "N    N   N   Y    N    N    N    Y",
    "import_files":                       "N    N   N   Y    N    N    N    Y",
    "export_zip":                         "N    N   N   Y    N    N    N    Y",
    "stored_count":                       "N    N   N   Y    N    N    N    Y",
    "personal_data_export":               "N    Y   N   N    N    N    N    Y",  # admin: no answers
    "personal_data_erase":                "N    N   N   N    N    N    Y    Y",
    "organization_members":               "N    Y   N   Y    N    N    Y    Y",
    "member_counts":                      "N    N   N   Y    N    N    Y    Y",  # every organization's: not a member's
    "organizations_without_members":      "N    N   N   Y    N    N    Y    Y",
    "invite_member":                      "N    Y   N   N    N    N    Y    Y",  # officer: never into members' company
    "invite_first_member":                "N    N   N   Y    N    N    Y    Y",
    "add_member":                         "N    N   N   N    N    N    Y    Y",  # others invite: the person accepts
    "remove_member":                      "N    Y   N   N    N    N    Y    Y",  # officer: invites only
    "check_standard":                     "N    N   N   N    N    N    Y    Y",
    "publish_standard":                   "N    N   N   N    N    N    Y    Y",
    "retire_standard":                    "N    N   N   N    N    N    Y    Y",
    "list_users":                         "N    N   N   N    N    N    Y    Y",
    "set_roles":                          "N    N   N   N    N    N    Y    Y",
    "reset_link":                         "N    N   N   N    N    N    Y    Y",
    "invite_to_role":                     "N    N   N   Y    N    N    Y    Y",
    "invite_to_admin":                    "N    N   N   N    N    N    Y    Y",
    "set_active":                         "N    N   N   N    N    N    Y    Y",
    "audit_events":                       "N    N   N   N    N    N    Y    Y",
    "audit_csv":                          "N    N   N   N    N    N    Y    Y",
    "demo_status":                        "N    N   N   N    N    N    Y    Y",
    "demo_load":                          "N    N   N   N    N    N    Y    Y",
    "demo_remove":                        "N    N   N   N    N    N    Y    Y",
    "association":                        "N    N   N   Y    N    N    N    Y",
    "association_workplaces":             "N    N   N   Y    N    N    N    Y",
    "association_start":                  "N    N   N   Y    N    N    N    Y",
    "association_answer":                 "N    N   N   Y    N    N    N    Y",
    "association_reload":                 "N    N   N   Y    N    Y    N    Y",
    "versions_in_use":                    "N    N   N   Y    Y    N    N    Y",
    "members_overview":                   "N    N   N   Y    N    N    N    Y",
    "member_versions":                    "N    N   N   Y    N    N    N    Y",
    "releases":                           "N    N   N   N    N    N    Y    Y",
    "spread":                             "N    N   N   Y    N    N    N    Y",
    "compare":                            "N    N   N   Y    N    N    N    Y",
    "progress":                           "N    N   N   Y    N    N    N    Y",
    "agenda_json":                        "N    N   N   Y    N    N    N    Y",
    "shared_gaps":                        "N    N   N   Y    Y    N    N    Y",
    "capabilities":                       "N    N   N   Y    Y    N    N    Y",
    "breakdown":                          "N    N   N   Y    Y    N    N    Y",
    "benchmark":                          "N    Y   N   Y    N    N    N    Y",
    "research_versions":                  "N    N   N   Y    Y    N    Y    Y",
    "research_rounds":                    "N    N   N   Y    Y    N    Y    Y",
    "research_package":                   "N    N   N   Y    Y    N    Y    Y",
    "research_with_names":                "N    N   N   N    N    N    Y    Y",
    "rotate_pseudonym_key":               "N    N   N   N    N    N    N    Y",  # the command line only
    "back_up_database":                   "N    N   N   N    N    N    N    Y",  # the command line only
    "restore_database":                   "N    N   N   N    N    N    N    Y",
    "set_serves":                         "N    N   N   N    N    N    Y    Y",
    "evidence_organizations":             "N    Y   N   Y    N    Y    N    Y",
    "evidence_register":                  "N    Y   N   Y    N    Y    N    Y",
    "evidence_documents":                 "N    Y   N   Y    N    Y    N    Y",
    "evidence_content":                   "N    Y   N   Y    N    Y    N    Y",  # admin: no company's documents
    "evidence_attach":                    "N    Y   N   N    N    N    N    Y",  # officer: members' are read-only
    "evidence_set_expiry":                "N    Y   N   N    N    N    N    Y",
    "evidence_remove":                    "N    Y   N   N    N    N    N    Y",
    "association_evidence_attach":        "N    N   N   Y    N    N    N    Y",
    "set_language":                       "N    Y   Y   Y    Y    Y    Y    Y",  # one's own account only
    "language":                           "N    Y   Y   Y    Y    Y    Y    Y",
    "verification_queue":                 "N    N   N   Y    N    Y    N    Y",
    "verification_view":                  "N    Y   N   Y    N    Y    N    Y",  # a company: its own only
    "verification_start":                 "N    N   N   Y    N    Y    N    Y",
    "verification_record":                "N    N   N   Y    N    Y    N    Y",
    "verification_send":                  "N    N   N   Y    N    Y    N    Y",
    "verification_finish":                "N    N   N   Y    N    Y    N    Y",
    "verification_reply":                 "N    Y   N   N    N    N    N    Y",  # the company's own replies only
    "ministry_versions":                  "N    N   N   Y    N    N    N    Y",  # officers: it leaves the association
    "ministry_gather":                    "N    N   N   Y    N    N    N    Y",
    "ministry_report":                    "N    N   N   Y    N    N    N    Y",
    "reminders_run":                      "N    N   N   Y    N    N    N    Y",
    "reminders_remind_now":               "N    N   N   Y    N    N    N    Y",
    "support_interventions":              "N    N   N   Y    N    N    N    Y",  # officers: the association's work
    "support_members":                    "N    N   N   Y    N    N    N    Y",
    "support_record":                     "N    N   N   Y    N    N    N    Y",
    "support_participants":               "N    N   N   Y    N    N    N    Y",
    "support_add_participants":           "N    N   N   Y    N    N    N    Y",
    "support_remove_participant":         "N    N   N   Y    N    N    N    Y",
    "support_import_attendance":          "N    N   N   Y    N    N    N    Y",
    "support_given":                      "N    N   N   Y    N    N    N    Y",
    "support_rounds":                     "N    N   N   Y    N    N    N    Y",
    "support_effect":                     "N    N   N   Y    N    N    N    Y",  # named members' support: not research
    "campaign_create":                    "N    N   N   Y    N    N    N    Y",
    "campaigns":                          "N    N   N   Y    N    N    N    Y",
    "campaign_tracker":                   "N    N   N   Y    N    N    N    Y",  # every member's row: not a member's
    "campaign_withdraw":                  "N    N   N   Y    N    N    N    Y",
    "open_campaigns":                     "N    Y   Y   Y    N    N    N    Y",  # each its own organizations' only
    "campaign_round_names":               "N    Y   N   Y    N    N    N    Y",
    "every_round_name":                   "N    N   N   Y    N    N    N    Y",  # every member's: not a member's
    "first_member_links":                 "N    N   N   Y    N    N    Y    Y",  # an officer's invitations grant
    "deliver_invitations":                "N    N   N   Y    N    N    Y    Y",
    "shared_gaps_verified":               "N    N   N   Y    Y    N    N    Y",
    "self_report_gap":                    "N    N   N   Y    Y    N    N    Y",
    "benchmark_verified":                 "N    Y   N   Y    N    N    N    Y",
}  # fmt: skip

# Where the code disagrees with the rules: (call, actor) -> what the code does instead.
XFAIL: dict[tuple[str, str], str] = {}


def _expected(call: str, actor: str) -> bool:
    marks = EXPECTED[call].split()
    assert len(marks) == len(ACTORS) and set(marks) <= {"Y", "N"}, call
    return marks[ACTORS.index(actor)] == "Y"


def _cases():
    for call in CALLS:
        for actor in ACTORS:
            reason = XFAIL.get((call, actor))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(call, actor, id=f"{call}-{actor}", marks=marks)


@pytest.mark.parametrize(("call", "actor"), list(_cases()))
def test_access(world, call, actor):
    spec, who, allowed = CALLS[call], world.actors[actor], _expected(call, actor)
    grants = {(spec.resource, spec.action), policy.GUARDED[spec.qualname], policy.ALSO.get(spec.qualname)}
    try:
        result = spec.run(world, who)
    except Denied as denied:
        assert not allowed, f"{actor} was denied {call}: {denied}"
        # The specific refusal: the grant this call is guarded by, not some other error on the way.
        assert (denied.resource, denied.action) in grants, f"{call}: denied as {denied.resource}/{denied.action}"
        return
    except (assessing_service.Refused, accounts_service.Refused, ValueError):
        assert allowed, f"{actor} got past the policy on {call}"
        return  # refused by validation, after the policy let it through
    assert spec.denial != "raises" or allowed, f"{actor} got {call}: {result!r}"
    if spec.denial == "raises":
        return
    if spec.denial == "none":
        shown = result is not None
    elif spec.denial == "absent":
        shown = spec.present(world, result)
    else:
        shown = not _not_yours(result)
    assert shown == allowed, f"{actor} {'was refused' if allowed else 'got'} {call}: {result!r}"


# The matrix covers the guarded services, and only them


def test_every_guarded_service_function_is_in_the_matrix():
    missing = sorted(set(policy.GUARDED) - {c.qualname for c in CALLS.values()})
    assert not missing, f"guarded but not in the access matrix: {missing}"


def test_every_matrix_row_names_a_guarded_function_with_its_own_grant_exercised():
    unknown = sorted({c.qualname for c in CALLS.values()} - set(policy.GUARDED))
    assert not unknown, f"in the access matrix but not guarded: {unknown}"
    for qualname, grant in policy.GUARDED.items():
        exercised = {(c.resource, c.action) for c in CALLS.values() if c.qualname == qualname}
        assert grant in exercised, f"{qualname} is guarded as {grant}; the matrix exercises {exercised}"


def test_the_table_has_a_row_for_every_call_and_xfails_only_real_cases():
    assert set(EXPECTED) == set(CALLS)
    for call, actor in XFAIL:
        assert call in CALLS and actor in ACTORS


# Passwords: no policy grant, only the caller's own account


def test_anonymous_and_the_command_line_cannot_change_a_password(world):
    for actor in (policy.ANONYMOUS, policy.cli_actor()):
        with pytest.raises(Denied):
            world.app.accounts.change_password(actor, password("member_a"), "a-new-password-123")


def test_a_member_changes_only_their_own_password(world):
    accounts, admin = world.app.accounts, world.actors["admin"]
    people = {}
    for name in ("first", "second"):
        link = accounts.invite(admin, f"{name}-colleague@gapura.test", organization_id=world.org_a)
        people[name] = _signed_in(world.app, accounts.accept_invitation(link.token, password(name)).token)
    first, second = people["first"], people["second"]

    with pytest.raises(accounts_service.Refused) as refused:  # the other's password is no use: it is not theirs
        accounts.change_password(first, password("second"), "taken-over-123")
    assert refused.value.code == "password.wrong"

    signed = accounts.change_password(first, password("first"), "a-new-password-123")
    assert signed.actor.user_id == first.user_id
    assert hasattr(accounts.sign_in("first-colleague@gapura.test", "a-new-password-123", "tests"), "token")
    assert not hasattr(accounts.sign_in("first-colleague@gapura.test", password("first"), "tests"), "token")
    assert hasattr(accounts.sign_in("second-colleague@gapura.test", password("second"), "tests"), "token")
    assert not hasattr(accounts.sign_in("second-colleague@gapura.test", "taken-over-123", "tests"), "token")
    assert second.user_id != first.user_id
