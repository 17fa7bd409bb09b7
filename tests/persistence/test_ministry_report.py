"""The report for the ministry from a real database (SQLite and PostgreSQL): every figure passes the disclosure gate
as a file that leaves the association (differencing applies to officers too), small groups and their covers show no
figure, the programme's figures are held to the same threshold, and only officers (and the command line) make it."""

from __future__ import annotations

import io

import openpyxl
import pytest

from reports.association_report import Completion, Support, SupportChange, SupportKind, Verified
from reports.report import label
from services.app import Gapura
from services.ministry_report import MinistryReport
from services.panels import Filters
from services.policy import Denied, cli_actor
from services.settings import Settings
from store.repository import NotFound
from tests.conftest import ROOT
from tests.persistence.people import person
from tests.persistence.test_association import (
    MEMBERS,
    answer,
    six,  # noqa: F401  (the six members checked by hand)
)
from tests.test_reports import pdf_text, squash

CLI = cli_actor()


@pytest.fixture
def demo(database_url):
    """40 demo members on the shipped standards: event-safety has a second round."""
    app = Gapura(Settings(database_url=database_url, standards_dir=ROOT / "standards"))
    app.demo.load(CLI, organizations=40, seed=3)
    yield app
    app.close()


def test_an_officer_gets_the_membership_figures_and_every_small_group_is_hidden(demo):
    officer = person(demo, roles=["officer"])
    report = demo.ministry_report.gather(officer, "event-safety")
    assert report.refused is None and report.n >= 5
    assert sum(n for n in report.readiness.values() if n is not None) <= report.n
    assert len(report.agenda) and report.agenda["count"].max() <= report.n
    for row in report.cohorts:
        if row.n is None:  # a group not shown: a reason, and no figure at all
            assert row.why is not None and all(m is None for m in row.medians)
        else:
            assert row.n >= 5 and row.why is None
    islands = [r for r in report.cohorts if r.field == "island_group"]
    assert {r.key for r in islands} and any(r.n is None for r in islands)  # 40 companies over seven island groups
    assert report.changes and all(c.n is None or c.n >= 5 for c in report.changes)  # the demo's second round
    text = pdf_text(demo.ministry_report.report(officer, "event-safety", None, "en", "pdf"))
    assert squash(label("m_heatmap_heading", "en")) in text and squash(f"{report.n} member companies") in text
    events = demo.audit.events(CLI)
    assert events[0].action == "association_report.made" and events[0].detail["format"] == "pdf"


def test_a_researcher_a_member_and_an_admin_are_denied(demo):
    org = demo.store.organizations(kind="company")[0][0]
    for who in (person(demo, roles=["researcher"]), person(demo, organizations=[org]), person(demo, roles=["admin"])):
        with pytest.raises(Denied):
            demo.ministry_report.report(who, "event-safety", None, "id", "pdf")


def test_the_gate_pins_the_membership_released_before_and_hides_every_group_of_six(gapura, six):  # noqa: F811
    officer = person(gapura, roles=["officer"])
    first = gapura.ministry_report.gather(officer, "mini")
    assert first.n == 6 and first.readiness and first.cohorts
    # Six companies in groups of 4, 1 and 1 (island groups, size bands; segments likewise): no group shows.
    assert all(r.n is None and r.why.code == "disclosure.too-few" for r in first.cohorts)
    # A seventh company completes: on the officers' own pages it counts at once ...
    org = gapura.store.ensure_organization({"name": "PT m7", "region": "Bali", "size": "1-4", "segments": []})
    mini = gapura.standard("mini", None)
    gapura.store.workspace(org).start("mini", mini.version, answers={c: answer(v) for c, v in MEMBERS["m1"].items()})
    assert gapura.association.agenda_json(officer, "mini", None, Filters())["benchmark_set"] == 7
    # ... but a file that leaves the association keeps the six released before: the two would tell the seventh.
    assert gapura.ministry_report.gather(officer, "mini").n == 6
    book = openpyxl.load_workbook(io.BytesIO(gapura.ministry_report.report(officer, "mini", None, "id", "xlsx")))
    cohorts = list(book["Domain per kelompok"].iter_rows(min_row=2, values_only=True))
    assert cohorts and all(set(row[2:-1]) == {"—"} and row[-1] for row in cohorts)


def test_the_programme_figures_are_held_to_the_threshold(gapura, six):  # noqa: F811
    def campaign(actor, campaign_id):
        return "T0 2027", Completion(invited=30, signed_up=20, started=12, submitted=8, verified=3, overdue=0)

    def support(actor, standard_id, version):
        return Support([SupportKind("training", 2, 4, 3.0), SupportKind("mentoring", 5, 12, 10.0)],
                       [SupportChange("training", 0.1, 4, 0.02, 12), SupportChange("mentoring", 0.05, 9, 0.01, 7)])  # fmt: skip

    def verified(actor, standard_id, version):
        return Verified(0.4, 6, 0.35, [("A1", "Izin", 0.5, 6), ("A2", "Rencana", 1.0, 2)])

    reports = MinistryReport(gapura.store, gapura._panels, gapura._gate, gapura.association, gapura.audit,
                             campaign=campaign, support=support, verified=verified)  # fmt: skip
    report = reports.gather(CLI, "mini", campaign=1)
    assert report.campaign == "T0 2027"
    assert report.completion == Completion(30, 20, 12, 8, None, 0)  # 3 verified: "fewer than 5"; none overdue: 0
    assert [r.members for r in report.support.rows] == [None, 12]
    training, mentoring = report.support.changes
    assert (training.with_change, training.with_n, training.without_n) == (None, None, 12)
    assert (mentoring.with_change, mentoring.without_change) == (0.05, 0.01)
    assert report.verified.index == 0.35 and report.verified.rows[1][2:] == (None, None)
    text = pdf_text(reports.report(CLI, "mini", None, "id", "pdf", campaign=1))
    assert squash("T0 2027") in text and squash(label("m_causal", "id")) in text


def test_an_unknown_standard_or_version_is_not_found(gapura, six):  # noqa: F811
    for standard_id, version in (("nope", None), ("mini", "9.9")):
        with pytest.raises(NotFound):
            gapura.ministry_report.gather(CLI, standard_id, version)


def test_the_campaign_and_the_support_given_reach_the_report_from_their_services(demo):
    """Wired in the application object: a campaign's members per stage (from its tracker) and each kind of support
    given (interventions, companies reached, days), held to the threshold; a campaign nobody chose stays out."""
    from datetime import UTC, date, datetime, timedelta

    from scoring.roster import Invitee

    officer = person(demo, roles=["officer"])
    members = [(i, name) for i, name, kind in demo.store.organizations() if kind == "company"][:12]
    companies = [i for i, _ in members]
    invitees = [Invitee(line, name, f"kontak{line}@contoh.test") for line, (_, name) in enumerate(members, start=2)]
    version = demo.ministry_report.gather(officer, "event-safety").standard.version
    deadline = datetime.now(UTC).date() + timedelta(days=30)
    campaign, _ = demo.campaigns.create(officer, "event-safety", version, "T1 2027", deadline, invitees)
    demo.support.record(officer, "training", "Pelatihan manajemen kerumunan", date(2026, 11, 2), date(2026, 11, 3),
                        [], organization_ids=companies[:6])  # fmt: skip
    demo.support.record(officer, "permit-clinic", "Klinik perizinan", date(2026, 11, 9), date(2026, 11, 9), [],
                        organization_ids=companies[:3])  # fmt: skip

    report = demo.ministry_report.gather(officer, "event-safety", campaign=campaign)
    assert report.campaign == "T1 2027" and report.completion.invited == 12
    assert [(r.kind, r.interventions, r.members, r.days) for r in report.support.rows] == [
        ("training", 1, 6, 12), ("permit-clinic", 1, None, 3)  # three companies: "fewer than 5"
    ]  # fmt: skip
    whole = demo.ministry_report.gather(officer, "event-safety")
    assert whole.completion is None
    # The demo verifies a fifth of submissions: the share is of submitted latest assessments; the index and the
    # per-criterion gaps are those of "Verified levels only" on Shared gaps, or hidden under the threshold.
    shared = demo.aggregates.self_report_gap(officer, "event-safety", version, Filters())
    assert whole.verified is not None and 0 < whole.verified.share < 1
    assert whole.verified.index == (shared.index if shared.n is not None and shared.n >= 5 else None)
    text = pdf_text(demo.ministry_report.report(officer, "event-safety", None, "id", "pdf", campaign))
    assert squash("T1 2027") in text
