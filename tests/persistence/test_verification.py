"""Verifying a submitted assessment (services/verification.py), on SQLite and PostgreSQL: the whole life from the
sample to "verified", the refusals on the way, the company's own answers untouched by any of it, a company seeing
only its own verification and only once the comments are sent, and a verifier who verifies but sees no aggregates."""

import io
import json
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest

from scoring.engine import score_one
from scoring.model import Answer
from scoring.verification import draw_sample
from services.assessing import Refused
from services.panels import Filters
from services.personal_data import DATA_FILE
from services.policy import Denied, cli_actor
from services.research import Selection
from store import schema
from store.db import utcnow
from store.repository import Submitted
from tests.evidence_files import pdf
from tests.persistence.people import person

TODAY = date(2027, 3, 1)


@pytest.fixture
def submitted(gapura):
    """A member company's complete, submitted assessment of the mini standard, with a document behind A1."""
    organization_id = gapura.store.ensure_organization({"name": "PT Acara Terverifikasi"})
    member = person(gapura, organizations=[organization_id])
    work = gapura.assessing.start(member, gapura.standard("mini", "1"), organization_id, {}, "en").work
    for criterion_id, level in {"A1": 3, "A2": 2, "B1": 3, "B2": 1}.items():
        gapura.assessing.answer(member, work, criterion_id, Answer(level=level, note=f"catatan {criterion_id}"))
    gapura.evidence.attach(member, work, "A1", "izin.pdf", pdf(), None)
    gapura.assessing.submit(member, work)
    return member, organization_id, work


@pytest.fixture
def verifier(gapura):
    return person(gapura, roles=["verifier"])


def in_campaign(gapura, assessment_id: int, sample_size: int, reply_days: int) -> None:
    with gapura.store.session.begin() as s:
        campaign = schema.Campaign(standard_id="mini", standard_version="1", round_name="T0 2027",
                                   deadline=TODAY, sample_size=sample_size, reply_days=reply_days,
                                   created_by="tests", created_at=utcnow())  # fmt: skip
        s.add(campaign)
        s.flush()
        s.get(schema.Assessment, assessment_id).campaign_id = campaign.id


def own_answers(gapura, member, work):
    """The company's answers and their change log (the status steps logged beside them left out)."""
    stored = gapura.assessing.reload(member, work)
    changes = [c for c in gapura.assessing.history(member, work) if c["criterion"] != "*status*"]
    return stored.answers, changes


def test_the_whole_life_from_the_sample_to_verified(gapura, submitted, verifier):
    member, _, work = submitted
    before = own_answers(gapura, member, work)
    in_campaign(gapura, work.assessment_id, sample_size=1, reply_days=10)
    waiting = {w.assessment_id: w for w in gapura.verification.queue(verifier)}
    assert waiting[work.assessment_id].status is None and waiting[work.assessment_id].campaign == "T0 2027"

    started = gapura.verification.start(verifier, work.assessment_id)
    with pytest.raises(Refused) as refused:  # the levels being checked stay as submitted
        gapura.assessing.reopen(member, work)
    assert [i.code for i in refused.value.issues] == ["lifecycle.under-verification"]
    assert started.sample == draw_sample(gapura.standard("mini", "1"), 1, started.seed)  # redrawn from the seed
    assert "A1" in started.sample and len(started.sample) == 2  # the mandatory one plus one drawn
    assert gapura.verification.start(verifier, work.assessment_id) == started  # a second start keeps the draw
    assert gapura.verification.view(member, work.assessment_id) is None  # nothing for the company yet

    drawn = next(c for c in started.sample if c != "A1")
    gapura.verification.record(verifier, work.assessment_id, "A1", 2, "Izin belum ditandatangani dinas")
    gapura.verification.record(verifier, work.assessment_id, drawn, "na", "")
    seen = gapura.verification.view(verifier, work.assessment_id)
    a1 = seen.rows[0]
    assert (a1.criterion_id, a1.own.level, a1.verified, a1.documents) == ("A1", 3, 2, 1)
    assert a1.own.note == "catatan A1"

    due = gapura.verification.send_comments(verifier, work.assessment_id, TODAY)
    assert due == TODAY + timedelta(days=10)  # the campaign's reply days
    mine = gapura.verification.view(member, work.assessment_id)
    assert mine.rows[0].comment == "Izin belum ditandatangani dinas" and mine.may_reply(due)
    gapura.verification.reply(member, work.assessment_id, "A1", "Sudah diajukan, \x07tanda tangan minggu depan", due)
    assert gapura.verification.view(verifier, work.assessment_id).rows[0].reply == (
        "Sudah diajukan, tanda tangan minggu depan"
    )  # control characters stripped

    gapura.verification.finish(verifier, work.assessment_id)
    done = gapura.verification.view(member, work.assessment_id)
    assert done.status == "verified" and done.verified_at is not None and not done.may_reply(TODAY)
    assert gapura.store.summary(work.assessment_id).status == "verified"
    assert gapura.store.summary(work.assessment_id).submitted_at is not None  # still counts as submitted
    assert work.assessment_id not in {w.assessment_id for w in gapura.verification.queue(verifier)}
    assert own_answers(gapura, member, work) == before  # the company's levels and change log as they were
    step = gapura.assessing.history(member, work)[-1]
    assert (step["old"], step["new"], step["by"]) == ({"status": "submitted"}, {"status": "verified"}, verifier.label)
    actions = [e.action for e in gapura.audit.events(person(gapura, roles=["admin"]))]
    assert {"verification.started", "verification.comments-sent", "verification.finished"} <= set(actions)


def test_a_verified_assessment_is_final_and_the_next_round_starts_from_it(gapura, submitted, verifier):
    member, organization_id, work = submitted
    verify_all(gapura, verifier, work.assessment_id)
    opened = gapura.assessing.open(member, organization_id, work.assessment_id)
    assert opened.read_only
    with pytest.raises(Refused) as refused:
        gapura.assessing.reopen(member, opened)
    assert [i.code for i in refused.value.issues] == ["lifecycle.verified"]
    assert "cannot be reopened" in refused.value.issues[0].message("en")
    assert "tidak bisa dibuka kembali" in refused.value.issues[0].message("id")
    with pytest.raises(Submitted):
        gapura.assessing.answer(member, opened, "A2", Answer(level=0))
    second = gapura.assessing.next_round(member, opened, "1")
    assert second.round == 2 and second.status == "draft"


def verify_all(gapura, verifier, assessment_id):
    started = gapura.verification.start(verifier, assessment_id)
    for criterion_id in started.sample:
        gapura.verification.record(verifier, assessment_id, criterion_id, 1, "")
    gapura.verification.finish(verifier, assessment_id)


def codes(refused) -> list[str]:
    return [i.code for i in refused.value.issues]


def test_refusals_leave_everything_as_it_was(gapura, submitted, verifier):
    member, organization_id, work = submitted
    before = own_answers(gapura, member, work)
    aid = work.assessment_id
    with pytest.raises(Refused) as refused:
        gapura.verification.record(verifier, aid, "A1", 2, "")
    assert codes(refused) == ["verification.not-started"]
    started = gapura.verification.start(verifier, aid)  # default size 5: all four of mini
    assert started.sample == ["A1", "A2", "B1", "B2"]
    for level, code in ((7, "assessment.level-off-scale"), ("na", "assessment.mandatory-na")):
        with pytest.raises(Refused) as refused:
            gapura.verification.record(verifier, aid, "A1", level, "")
        assert codes(refused) == [code]
    with pytest.raises(Refused) as refused:
        gapura.verification.record(verifier, aid, "Z9", 1, "")
    assert codes(refused) == ["assessment.unknown-criterion"]
    with pytest.raises(Refused) as refused:
        gapura.verification.record(verifier, aid, "A1", 1, "x" * 5001)
    assert codes(refused) == ["verification.comment-too-long"]
    assert gapura.verification.view(verifier, aid).levels() == dict.fromkeys(started.sample)  # nothing written

    gapura.verification.record(verifier, aid, "A1", 2, "Mohon unggah izin yang ditandatangani")
    with pytest.raises(Refused) as refused:
        gapura.verification.reply(member, aid, "A1", "sudah", TODAY)
    assert codes(refused) == ["verification.not-sent"]
    due = gapura.verification.send_comments(verifier, aid, TODAY)
    assert due == TODAY + timedelta(days=14)  # outside a campaign: the default
    with pytest.raises(Refused) as refused:
        gapura.verification.reply(member, aid, "A2", "tidak ada komentar", TODAY)
    assert codes(refused) == ["verification.no-comment"]
    with pytest.raises(Refused) as refused:
        gapura.verification.reply(member, aid, "A1", "terlambat", due + timedelta(days=1))
    assert codes(refused) == ["verification.reply-closed"]
    with pytest.raises(Refused) as refused:
        gapura.verification.finish(verifier, aid)
    assert codes(refused) == ["verification.undecided"]

    for criterion_id in started.sample:
        gapura.verification.record(verifier, aid, criterion_id, 1 if criterion_id == "A1" else "na", "")
    gapura.verification.finish(verifier, aid)
    for step in (
        lambda: gapura.verification.record(verifier, aid, "A1", 3, ""),
        lambda: gapura.verification.send_comments(verifier, aid, TODAY),
        lambda: gapura.verification.finish(verifier, aid),
        lambda: gapura.verification.reply(member, aid, "A1", "masih", TODAY),
    ):
        with pytest.raises(Refused) as refused:
            step()
        assert codes(refused) == ["verification.finished"]
    assert own_answers(gapura, member, work) == before


def test_only_a_submitted_assessment_is_verified(gapura, verifier):
    organization_id = gapura.store.ensure_organization({"name": "PT Masih Draf"})
    member = person(gapura, organizations=[organization_id])
    work = gapura.assessing.start(member, gapura.standard("mini", "1"), organization_id, {}, "en").work
    assert work.assessment_id not in {w.assessment_id for w in gapura.verification.queue(verifier)}
    with pytest.raises(Refused) as refused:
        gapura.verification.start(verifier, work.assessment_id)
    assert codes(refused) == ["verification.not-submitted"]


def test_a_company_sees_only_its_own_verification_and_writes_only_replies(gapura, submitted, verifier):
    member, _, work = submitted
    other_org = gapura.store.ensure_organization({"name": "PT Tetangga"})
    other = person(gapura, organizations=[other_org])
    gapura.verification.start(verifier, work.assessment_id)
    gapura.verification.record(verifier, work.assessment_id, "A1", 2, "Komentar")
    gapura.verification.send_comments(verifier, work.assessment_id, TODAY)
    for step in (
        lambda: gapura.verification.view(other, work.assessment_id),
        lambda: gapura.verification.reply(other, work.assessment_id, "A1", "bukan milik saya", TODAY),
        lambda: gapura.verification.queue(member),
        lambda: gapura.verification.record(member, work.assessment_id, "A1", 3, "naikkan"),
        lambda: gapura.verification.finish(member, work.assessment_id),
        lambda: gapura.verification.reply(verifier, work.assessment_id, "A1", "atas nama perusahaan", TODAY),
    ):
        with pytest.raises(Denied):
            step()
    assert gapura.verification.view(member, work.assessment_id).rows[0].comment == "Komentar"


def test_a_verifier_reads_evidence_but_no_aggregates_or_names_of_members(gapura, submitted, verifier):
    _, organization_id, work = submitted
    document = gapura.evidence.documents(verifier, work)[0]
    assert gapura.evidence.content(verifier, document.id).data.startswith(b"%PDF")
    for step in (
        lambda: gapura.aggregates.shared_gaps(verifier, "mini", "1", Filters()),
        lambda: gapura.association.members(verifier),
        lambda: gapura.aggregates.benchmark(verifier, work.assessment_id),
        lambda: gapura.assessing.answer(verifier, work, "A1", Answer(level=0)),
    ):
        with pytest.raises(Denied):
            step()


def test_the_verifier_is_named_when_the_account_has_a_name(gapura, submitted):
    member, _, work = submitted
    verifier = person(gapura, roles=["verifier"])
    with gapura.store.session.begin() as s:
        s.get(schema.User, verifier.user_id).name = "Rina Verifikator"
    verify_all(gapura, verifier, work.assessment_id)
    assert gapura.verification.view(member, work.assessment_id).verifier == "Rina Verifikator"


def test_the_companys_data_download_carries_its_verification_once_the_comments_are_sent(gapura, submitted, verifier):
    member, organization_id, work = submitted

    def verification_in_download():
        with zipfile.ZipFile(io.BytesIO(gapura.personal_data.export(member, organization_id))) as archive:
            (assessment,) = json.loads(archive.read(DATA_FILE))["assessments"]
        return assessment["verification"]

    gapura.verification.start(verifier, work.assessment_id)
    gapura.verification.record(verifier, work.assessment_id, "A1", 2, "Belum ditandatangani")
    assert verification_in_download() is None  # the verifier's draft is not the company's yet
    gapura.verification.send_comments(verifier, work.assessment_id, TODAY)
    sent = verification_in_download()
    assert sent["status"] == "commented" and sent["reply_due"] == "2027-03-15"
    assert sent["criteria"]["A1"] == {"level": 2, "comment": "Belum ditandatangani", "reply": ""}


def test_a_verified_assessment_counts_as_submitted_in_the_members_list_and_the_research_files(gapura, verifier):
    mini = gapura.standard("mini", "1")
    gapura.standards.remember(mini)
    ids = []
    for k in range(5):
        organization_id = gapura.store.ensure_organization({"name": f"PT Anggota {k}", "region": "Jawa Barat"})
        workspace = gapura.store.workspace(organization_id)
        answers = {cid: Answer(level=2) for cid in ("A1", "A2", "B1", "B2")}
        ids.append(workspace.start("mini", "1", answers=answers))
        workspace.set_status(ids[-1], "submitted")
    verify_all(gapura, verifier, ids[0])

    members = gapura.association.members(cli_actor())
    assert sorted(members["progress"]) == ["submitted"] * 4 + ["verified"]
    wide = gapura.research.package(cli_actor(), Selection("mini", "1")).dataset.wide
    assert sorted(wide["status"]) == ["submitted"] * 4 + ["verified"]
    assert wide["submitted"].astype(bool).all()  # the verified one keeps its submission date


def test_the_company_report_is_scored_on_verified_levels_once_verified_and_says_so(gapura, submitted, verifier):
    member, _, work = submitted

    def cover() -> dict[str, object]:
        book = openpyxl.load_workbook(io.BytesIO(gapura.reports.company_report(member, work, "en", "xlsx")))
        sheet = book.worksheets[0]
        return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0]}

    before = cover()
    assert before["Scores based on"] == "The company's own assessment"
    verify_all(gapura, verifier, work.assessment_id)  # every sampled criterion verified at level 1
    after = cover()
    assert after["Scores based on"] == "Verified levels where the association checked, the company's own elsewhere"
    assert after["Status"].startswith("Verified")
    mini = gapura.standard("mini", "1")
    assert after["Overall score"] == pytest.approx(score_one(mini, dict.fromkeys(("A1", "A2", "B1", "B2"), 1)).overall)
    assert after["Overall score"] < before["Overall score"]
