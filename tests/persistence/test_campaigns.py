"""Campaigns (services/campaigns.py) on SQLite and PostgreSQL: an officer invites existing and new companies in one
go, the tracker follows each member from invited to verified, a refused campaign stores nothing, a member sees
only its own campaign rows, and the assessment a member starts answers its campaign."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from scoring.model import Answer
from scoring.roster import Invitee, parse_roster
from services.app import Gapura
from services.assessing import Refused
from services.policy import Denied
from services.settings import Smtp
from store import schema
from store.db import utcnow
from tests.persistence.people import person
from tests.persistence.test_mail import smtp_server  # noqa: F401

TODAY = utcnow().date()
DEADLINE = TODAY + timedelta(days=30)


@pytest.fixture
def officer(gapura):
    return person(gapura, roles=["officer"], email="petugas@asosiasi.test")


@pytest.fixture
def mini(gapura):
    return gapura.standard("mini", "1")


def counts(gapura) -> dict[str, int]:
    with gapura.store.session() as s:
        return {
            table.__tablename__: s.scalar(select(func.count()).select_from(table))
            for table in (schema.Organization, schema.Invitation, schema.Campaign, schema.CampaignMember)
        }


def roster(text: str) -> list[Invitee]:
    parsed = parse_roster(text.encode("utf-8"))
    assert not parsed.issues
    return parsed.invitees


def create(gapura, officer, members, round_name="T0 2027", **options):
    return gapura.campaigns.create(officer, "mini", "1", round_name, options.pop("deadline", DEADLINE), members,
                                   message_id="Mohon isi sebelum tenggat.", message_en="Please answer by the deadline.",
                                   **options)  # fmt: skip


def answer_all(gapura, actor, work):
    for criterion_id in ("A1", "A2", "B1", "B2"):
        gapura.assessing.answer(actor, work, criterion_id, Answer(level=2))


def test_existing_members_are_linked_and_new_companies_get_their_first_members_link(gapura, officer):
    with_member = gapura.store.ensure_organization({"name": "PT Sudah Ada"})
    person(gapura, organizations=[with_member], email="pemilik@sudahada.test")
    nobody_yet = gapura.store.ensure_organization({"name": "CV Belum Daftar"})
    rows = roster("organization,email\nPT Baru Sekali,owner@baru.test\ncv belum daftar,kontak@belum.test\n")

    campaign_id, links = create(gapura, officer, [with_member, *rows])

    assert sorted(link.email for link in links) == ["kontak@belum.test", "owner@baru.test"]
    assert all(link.url.startswith("/?invite=") and not link.sent for link in links)  # no SMTP: to copy
    created = gapura.store.find_organization("PT Baru Sekali")
    assert {link.email: link.organization_id for link in links} == {"owner@baru.test": created,
                                                                   "kontak@belum.test": nobody_yet}  # fmt: skip
    tracker = gapura.campaigns.tracker(officer, campaign_id, TODAY)
    assert {(r.organization, r.email, r.stage) for r in tracker.rows} == {
        ("PT Sudah Ada", "pemilik@sudahada.test", "signed_up"),
        ("CV Belum Daftar", "kontak@belum.test", "invited"),
        ("PT Baru Sekali", "owner@baru.test", "invited"),
    }
    # The link makes its email the company's first member.
    signed = gapura.accounts.accept_invitation(links[0].token, "kata-sandi-baru-123")
    assert signed.actor.organizations == {links[0].organization_id}
    assert gapura.campaigns.tracker(officer, campaign_id, TODAY).counts["signed_up"] == 2


def test_a_campaign_of_300_members_is_created_with_300_invitations(gapura, officer):
    rows = [Invitee(n + 2, f"PT Anggota {n:03d}", f"kontak{n}@anggota.test") for n in range(300)]
    campaign_id, links = create(gapura, officer, rows)
    assert len(links) == len({link.token for link in links}) == 300
    tracker = gapura.campaigns.tracker(officer, campaign_id, TODAY)
    assert len(tracker.rows) == 300 and tracker.counts["invited"] == 300 and tracker.counts["signed_up"] == 0
    assert counts(gapura)["organizations"] == 300


def test_the_tracker_moves_as_a_member_signs_up_starts_submits_and_is_verified(gapura, officer, mini):
    campaign_id, (link,) = create(gapura, officer, roster("organization;email\nPT Jalan Terus;a@jalan.test\n"))

    def seen(today=TODAY):
        tracker = gapura.campaigns.tracker(officer, campaign_id, today)
        (row,) = tracker.rows
        return row.stage, row.overdue, tracker.counts

    assert seen()[0] == "invited"
    member = gapura.accounts.accept_invitation(link.token, "kata-sandi-baru-123").actor
    assert seen()[0] == "signed_up"
    work = gapura.assessing.start(member, mini, link.organization_id, {}, "id").work
    assert seen()[0] == "started"
    assert seen(DEADLINE + timedelta(days=1))[:2] == ("started", True)  # past the deadline, not submitted
    answer_all(gapura, member, work)
    gapura.assessing.submit(member, work)
    stage, overdue, reached = seen(DEADLINE + timedelta(days=1))
    assert (stage, overdue) == ("submitted", False)
    assert reached == {"invited": 1, "signed_up": 1, "started": 1, "submitted": 1, "verified": 0, "overdue": 0}
    with gapura.store.session.begin() as s:  # what the verification service records when it ends
        s.add(schema.Verification(assessment_id=work.assessment_id, seed="s", sample_size=1, sample=["A1"],
                                  status="verified", started_by="user:1", started_at=utcnow()))  # fmt: skip
    assert seen()[0] == "verified"


def test_overdue_counts_only_members_still_in_the_campaign_and_not_submitted(gapura, officer):
    rows = roster("organization,email\nPT Satu,satu@x.test\nPT Dua,dua@x.test\n")
    campaign_id, links = create(gapura, officer, rows)
    late = DEADLINE + timedelta(days=3)
    assert gapura.campaigns.tracker(officer, campaign_id, DEADLINE).counts["overdue"] == 0  # the day itself
    assert gapura.campaigns.tracker(officer, campaign_id, late).counts["overdue"] == 2
    assert gapura.campaigns.withdraw(officer, campaign_id, links[0].organization_id) is True
    assert gapura.campaigns.withdraw(officer, campaign_id, links[0].organization_id) is False
    tracker = gapura.campaigns.tracker(officer, campaign_id, late)
    assert tracker.counts["overdue"] == 1 and tracker.counts["invited"] == 1
    assert [r.withdrawn for r in tracker.rows] == [False, True]  # listed, by name, not counted


@pytest.mark.parametrize(
    "change, code",
    [
        ({"round_name": "  "}, "campaign.round-empty"),
        ({"deadline": TODAY - timedelta(days=1)}, "campaign.deadline-past"),
        ({"remind_days": (7, 0)}, "campaign.remind-days"),
        ({"sample_size": 0}, "campaign.sample-size"),
        ({"members": "same email"}, "campaign.email-twice"),
    ],
)
def test_a_refused_campaign_stores_nothing(gapura, officer, change, code):
    rows = roster("organization,email\nPT Baru,owner@baru.test\n")
    change = dict(change)
    if change.pop("members", None):
        rows += [Invitee(3, "PT Lain", "owner@baru.test")]
    before = counts(gapura)
    with pytest.raises(Refused) as refused:
        create(gapura, officer, rows, **change)
    assert code in [i.code for i in refused.value.issues]
    assert all(i.message("id") and i.message("en") for i in refused.value.issues)
    assert counts(gapura) == before


def test_a_round_name_is_used_once_and_a_bad_csv_never_reaches_the_store(gapura, officer):
    create(gapura, officer, roster("organization,email\nPT Satu,satu@x.test\n"))
    before = counts(gapura)
    with pytest.raises(Refused) as refused:
        create(gapura, officer, roster("organization,email\nPT Dua,dua@x.test\n"), round_name="t0 2027")
    assert [i.code for i in refused.value.issues] == ["campaign.round-taken"]
    bad = parse_roster(b"organization,email\nPT Tiga,tiga@x.test\nPT Empat,bukan-email\n")
    assert bad.invitees == [] and [(i.path, i.code) for i in bad.issues] == [("3", "roster.email")]
    assert counts(gapura) == before


def test_an_organization_picked_from_the_list_needs_somebody_to_write_to(gapura, officer):
    nobody = gapura.store.ensure_organization({"name": "PT Tanpa Orang"})
    with pytest.raises(Refused) as refused:
        create(gapura, officer, [nobody])
    assert [i.code for i in refused.value.issues] == ["campaign.needs-email"]


def test_a_member_sees_only_its_own_campaign_rows(gapura, officer, mini):
    a = gapura.store.ensure_organization({"name": "PT Anggota A"})
    b = gapura.store.ensure_organization({"name": "PT Anggota B"})
    member_a = person(gapura, organizations=[a])
    member_b = person(gapura, organizations=[b])
    campaign_id, _ = create(gapura, officer, [a, b])
    gapura.assessing.start(member_b, mini, b, {}, "en")

    (mine,) = gapura.campaigns.open_for(member_a, TODAY)
    assert (mine.organization_id, mine.round_name, mine.stage, mine.days_left) == (a, "T0 2027", "signed_up", 30)
    assert gapura.campaigns.open_for(member_b, DEADLINE + timedelta(days=2))[0].overdue is True
    with pytest.raises(Denied):
        gapura.campaigns.tracker(member_a, campaign_id, TODAY)
    with pytest.raises(Denied):
        gapura.campaigns.campaigns(member_a)
    with pytest.raises(Denied):
        gapura.campaigns.round_names(member_a, b, [1])
    assert gapura.campaigns.open_for(officer, TODAY) == []  # an officer belongs to no member company


def test_the_assessment_a_member_starts_answers_its_open_campaign(gapura, officer, mini):
    early = gapura.store.ensure_organization({"name": "PT Sudah Mulai"})
    other = gapura.store.ensure_organization({"name": "PT Lain Versi"})
    left = gapura.store.ensure_organization({"name": "PT Keluar"})
    actors = {o: person(gapura, organizations=[o]) for o in (early, other, left)}
    draft = gapura.assessing.start(actors[early], mini, early, {}, "en").work  # before the campaign
    campaign_id, _ = create(gapura, officer, [early, other, left])
    gapura.campaigns.withdraw(officer, campaign_id, left)

    again = gapura.assessing.start(actors[early], mini, early, {}, "en")
    assert again.reopened and again.work.assessment_id == draft.assessment_id
    names = gapura.campaigns.round_names(actors[early], early, [draft.assessment_id])
    assert names == {draft.assessment_id: "T0 2027"}
    work = gapura.assessing.start(actors[left], mini, left, {}, "en").work
    assert gapura.campaigns.round_names(officer, left, [work.assessment_id]) == {}  # it left the campaign
    tracker = gapura.campaigns.tracker(officer, campaign_id, TODAY)
    assert {r.organization: r.stage for r in tracker.rows} == {
        "PT Sudah Mulai": "started", "PT Lain Versi": "signed_up", "PT Keluar": "signed_up",
    }  # fmt: skip
    # A next round after submitting is the company's own: the campaign is answered once.
    answer_all(gapura, actors[early], again.work)
    gapura.assessing.submit(actors[early], again.work)
    second = gapura.assessing.next_round(actors[early], again.work, "1")
    assert gapura.campaigns.round_names(officer, early, [second.assessment_id]) == {}
    assert {r.organization: r.stage for r in gapura.campaigns.tracker(officer, campaign_id, TODAY).rows}[
        "PT Sudah Mulai"
    ] == "submitted"


def test_a_campaign_on_a_version_that_does_not_exist_is_refused(gapura, officer):
    with pytest.raises(Refused) as refused:
        gapura.campaigns.create(officer, "mini", "9", "T1", DEADLINE, [Invitee(2, "PT X", "x@x.test")])
    assert [i.code for i in refused.value.issues] == ["campaign.unknown-standard"]


def test_with_smtp_each_new_company_gets_its_link_with_the_campaigns_message(gapura, smtp_server):  # noqa: F811
    controller, inbox = smtp_server
    smtp = Smtp(host=controller.hostname, port=controller.port, sender="gapura@asosiasi.example", starttls=False)
    app = Gapura(replace(gapura.settings, smtp=smtp, base_url="https://gapura.example"))
    try:
        officer = person(app, roles=["officer"])
        rows = roster("organization,email\nPT Satu,satu@x.test\nPT Dua,dua@x.test\n")
        _, links = create(app, officer, rows)
        assert all(link.sent for link in links)
        assert sorted(m["To"] for m in inbox.messages) == ["dua@x.test", "satu@x.test"]
        body = next(m for m in inbox.messages if m["To"] == "satu@x.test").get_content().replace("\r\n", "\n")
        assert body.startswith("Mohon isi sebelum tenggat.\n\nPlease answer by the deadline.\n\nAnda diundang")
        (token,) = set(re.findall(r"https://gapura\.example/\?invite=([\w-]+)", body))
        member = app.accounts.accept_invitation(token, "kata-sandi-baru-123").actor
        assert member.organizations == {app.store.find_organization("PT Satu")}
    finally:
        app.close()


def test_a_campaign_that_meets_a_name_stored_meanwhile_leaves_nothing_behind(gapura, officer):
    """Two officers at once: the store's transaction is the last line; nothing of the loser is kept."""
    from store.campaigns import CampaignRecords, NewInvitation, NewMember, Taken

    create(gapura, officer, roster("organization,email\nPT Satu,satu@x.test\n"))
    before = counts(gapura)
    fields = {"standard_id": "mini", "standard_version": "1", "round_name": "T0 2027", "deadline": DEADLINE,
              "remind_days": [7], "created_by": "user:1"}  # fmt: skip
    invitation = NewInvitation("0" * 64, utcnow() + timedelta(days=14), "user:1")
    with pytest.raises(Taken):
        CampaignRecords(gapura.store).create(fields, [NewMember("baru@x.test", None, "PT Baru", invitation)])
    assert counts(gapura) == before


def test_the_tracker_reads_as_many_queries_at_300_members_as_at_3(gapura, officer):
    from tests.persistence.test_query_counts import counted

    def members(n: int, tag: str) -> list[Invitee]:
        return [Invitee(k + 2, f"PT {tag} {k:03d}", f"{tag}{k}@anggota.test") for k in range(n)]

    small, _ = create(gapura, officer, members(3, "kecil"), round_name="Kecil")
    large, links = create(gapura, officer, members(300, "besar"), round_name="Besar")
    for link in links[:50]:  # some signed up, so every kind of row is read
        gapura.accounts.accept_invitation(link.token, "kata-sandi-baru-123")
    queries = {}
    for campaign_id in (small, large):
        with counted(gapura) as statements:
            tracker = gapura.campaigns.tracker(officer, campaign_id, TODAY)
        queries[len(tracker.rows)] = len(statements)
    assert tracker.counts["signed_up"] == 50
    assert queries[3] == queries[300], queries
