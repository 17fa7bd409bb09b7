"""Every write checked by the service that makes it, nothing overwritten silently (issue 15): resumed files, stale
texts, proposals that count only once confirmed, and an assessment's life as the assessing service's state machine.
On SQLite and PostgreSQL."""

import json
import shutil
from datetime import UTC, datetime

import pytest

from scoring.assessment import assessment_document, assessment_json
from scoring.model import Answer
from services.app import Gapura
from services.assessing import Refused, Stale
from services.policy import Actor
from services.settings import Settings
from services.transfer import Change
from tests.conftest import MINI
from tests.persistence.people import person

LEVELS = {"A1": 3, "A2": 2, "B1": 1, "B2": 2}


@pytest.fixture
def library(tmp_path):
    """A standards folder with mini 1 and mini 2 (A2 removed, B2's target moved, B3 added)."""
    folder = tmp_path / "standards"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.json")
    data = json.loads(MINI.read_text(encoding="utf-8"))
    data["version"] = "2"
    data["domains"][0]["criteria"].pop()  # A2
    data["domains"][1]["criteria"][1]["target"] = 3
    data["domains"][1]["criteria"].append({"id": "B3", "title": {"en": "Report", "id": "Laporan"}})
    (folder / "mini-2.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


@pytest.fixture
def app(database_url, library):
    gapura = Gapura(Settings(database_url=database_url, standards_dir=library))
    yield gapura
    gapura.close()


def member(app, name="PT Uji Acara", **profile):
    """A company member with a real account (every guarded call re-reads its actor from the database)."""
    organization_id = app.store.ensure_organization({"name": name, **profile})
    return person(app, organizations=[organization_id]), organization_id


def submitted_round(app, actor, org):
    """Round 1 of mini 1, every criterion answered (LEVELS) and submitted."""
    work = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    for criterion_id, level in LEVELS.items():
        app.assessing.answer(actor, work, criterion_id, Answer(level=level))
    app.assessing.submit(actor, work)
    return work


def download(app, work) -> bytes:
    """The assessment file as the page's download button builds it now."""
    stored = app.assessing.reload(Actor("cli", system=True), work)
    document = assessment_document(work.standard, stored.organization, stored.answers, datetime.now(UTC))
    return assessment_json(document)


def refusal(call) -> str:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.issues[0].code


# Uploads open as what they are, never over newer answers without a confirmation.


def test_an_older_rounds_file_opens_that_round_and_leaves_the_newer_draft_alone(app):
    actor, org = member(app)
    first = submitted_round(app, actor, org)
    old_file = download(app, first)  # A2 at 2
    second = app.assessing.next_round(actor, first, "1")
    app.assessing.answer(actor, second, "A2", Answer(level=3))  # the company improved
    line = app.transfer.resume(actor, "round-1.json", old_file)
    assert line.outcome == "duplicate" and line.assessment_id == first.assessment_id  # it opens as round 1
    assert app.assessing.reload(actor, second).answers["A2"].level == 3
    assert app.assessing.history(actor, second)[-1]["new"]["level"] == 3  # no revert in the log


def test_a_file_older_than_the_drafts_answers_changes_nothing_until_confirmed_and_names_each_change(app):
    actor, org = member(app)
    work = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    app.assessing.answer(actor, work, "A2", Answer(level=2))
    edited = json.loads(download(app, work))
    edited["answers"]["A2"]["level"], edited["answers"]["B1"] = 1, {"level": 4}
    edited["assessed_at"] = "2026-01-01T00:00:00+07:00"  # before the draft's answer was saved
    app.assessing.answer(actor, work, "A2", Answer(level=3))
    raw = json.dumps(edited).encode()
    line = app.transfer.resume(actor, "old.json", raw)
    assert line.outcome == "confirm" and line.assessment_id == work.assessment_id
    assert line.changes == (Change("A2", 3, 1), Change("B1", None, 4))
    assert app.assessing.reload(actor, work).answers["A2"].level == 3
    confirmed = app.transfer.resume(actor, "old.json", raw, confirmed=True)
    assert confirmed.outcome == "continued"
    assert {c: a.level for c, a in app.assessing.reload(actor, work).answers.items()} == {"A2": 1, "B1": 4}


# A stale tab never overwrites a colleague's text.


def test_a_note_saved_from_a_stale_tab_is_refused_with_the_newer_note(app):
    actor, org = member(app)
    tab_a = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    tab_b = app.assessing.open(actor, org, tab_a.assessment_id)  # its note box is empty
    app.assessing.change(actor, tab_a, "A1", {"note": "note from A"}, since={"note": ""})
    with pytest.raises(Stale) as stale:
        app.assessing.change(actor, tab_b, "A1", {"note": "note from B"}, since={"note": ""})
    assert stale.value.current.note == "note from A"
    assert app.assessing.reload(actor, tab_a).answers["A1"].note == "note from A"
    app.assessing.change(actor, tab_b, "A1", {"note": "note from B"}, since={"note": "note from A"})  # seen: taken
    assert app.assessing.reload(actor, tab_a).answers["A1"].note == "note from B"


def test_a_stale_tab_may_still_change_a_level_or_a_text_nobody_else_changed(app):
    actor, org = member(app)
    tab_a = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    tab_b = app.assessing.open(actor, org, tab_a.assessment_id)
    app.assessing.change(actor, tab_a, "A1", {"level": 2})
    app.assessing.change(actor, tab_b, "A1", {"evidence": "https://drive.test/a"}, since={"evidence": ""})
    stored = app.assessing.reload(actor, tab_a).answers["A1"]
    assert (stored.level, stored.evidence) == (2, ("https://drive.test/a",))


# Proposals count once confirmed, for the company and for the officers' figures alike.


def test_carried_over_answers_count_only_once_confirmed_everywhere(app):
    actor, org = member(app)
    second = app.assessing.next_round(actor, submitted_round(app, actor, org), "1")
    assert set(second.answers) == set(LEVELS) and all(a.origin == "round" for a in second.answers.values())
    assert app.store.summary(second.assessment_id).answered == 0
    frame = app.store.answers_frame("mini", "1")
    assert set(frame[frame["assessment"] == second.assessment_id]["criterion"]) == set()
    assert refusal(lambda: app.assessing.submit(actor, second)) == "lifecycle.incomplete"
    assert app.assessing.confirm(actor, second, ["A1", "A2"]) == 2  # one click: domain A
    assert app.store.summary(second.assessment_id).answered == 2
    frame = app.store.answers_frame("mini", "1")
    assert set(frame[frame["assessment"] == second.assessment_id]["criterion"]) == {"A1", "A2"}
    assert app.assessing.confirm(actor, second, ["A1", "B1", "B2"]) == 2  # A1 is confirmed already
    app.assessing.submit(actor, second)
    assert app.store.summary(second.assessment_id).status == "submitted"


def test_pre_filled_answers_from_the_segments_are_proposals(app):
    actor, org = member(app, segments=["wedding-social"])
    data = json.loads(MINI.read_text(encoding="utf-8"))
    data.update(version="3")
    data["domains"][1]["criteria"][0]["applies_to"] = ["concert-festival"]  # B1: outdoor events only
    (app.settings.standards_dir / "mini-3.json").write_text(json.dumps(data), encoding="utf-8")
    work = app.assessing.start(actor, app.standard("mini", "3"), org, {}, "en").work
    assert work.answers["B1"].origin == "segment" and work.answers["B1"].given
    assert app.store.summary(work.assessment_id).answered == 0


# The assessment's life: the rules live in the assessing service and refuse with a code.


def test_submission_and_reopening_follow_the_life_of_an_assessment(app):
    actor, org = member(app)
    work = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    assert refusal(lambda: app.assessing.reopen(actor, work)) == "lifecycle.not-submitted"
    app.assessing.answer(actor, work, "A1", Answer(level=3))
    assert refusal(lambda: app.assessing.submit(actor, work)) == "lifecycle.incomplete"
    assert refusal(lambda: app.assessing.next_round(actor, work, "1")) == "lifecycle.next-needs-submitted"
    for criterion_id, level in LEVELS.items():
        app.assessing.answer(actor, work, criterion_id, Answer(level=level))
    app.assessing.submit(actor, work)
    stale_tab = app.assessing.open(actor, org, work.assessment_id)
    stale_tab.status = "draft"  # a tab that has not seen the submission
    assert refusal(lambda: app.assessing.submit(actor, stale_tab)) == "lifecycle.not-draft"
    app.assessing.reopen(actor, work)
    assert app.store.summary(work.assessment_id).status == "draft" and work.status == "draft"
    app.assessing.submit(actor, work)
    statuses = [c["new"] for c in app.assessing.history(actor, work) if c["criterion"] == "*status*"]
    assert statuses == [{"status": "submitted"}, {"status": "draft"}, {"status": "submitted"}]


def test_a_next_round_starts_once_from_the_latest_submitted_round(app):
    actor, org = member(app)
    first = submitted_round(app, actor, org)
    second = app.assessing.next_round(actor, first, "1")
    assert second.next_round_refusal().code == "lifecycle.next-needs-submitted"  # the page offers no round 3
    assert refusal(lambda: app.assessing.next_round(actor, first, "1")) == "lifecycle.later-round"  # a second click
    assert refusal(lambda: app.assessing.reopen(actor, first)) == "lifecycle.later-round"
    assert [s.round for s in app.assessing.list(actor, org)] == [2, 1]


def test_a_next_round_on_a_newer_version_carries_only_what_that_version_accepts(app):
    actor, org = member(app)
    first = submitted_round(app, actor, org)
    second = app.assessing.next_round(actor, first, "2")  # A2 removed, B2 changed in meaning
    assert second.standard_key == ("mini", "2") and set(second.answers) == {"A1", "B1"}
    app.assessing.confirm(actor, second, ["A1", "B1"])
    assert set(app.store.answers_frame("mini", "2")["criterion"]) == {"A1", "B1"}  # nothing the version lacks


def test_a_next_round_never_goes_back_to_an_older_version(app):
    actor, org = member(app)
    work = app.assessing.start(actor, app.standard("mini", "2"), org, {}, "en").work
    for criterion_id in ("A1", "B1", "B2", "B3"):
        app.assessing.answer(actor, work, criterion_id, Answer(level=1))
    app.assessing.submit(actor, work)
    assert refusal(lambda: app.assessing.next_round(actor, work, "1")) == "lifecycle.older-version"


def test_an_officers_import_never_stores_a_profile_value_off_the_lists(app):
    _, org = member(app, region="Bali", size="5-10", segments=["corporate"])
    officer = person(app, roles=["officer"])
    data = {"format": "gapura.assessment/1", "standard": {"id": "mini", "version": "1"},
            "organization": {"name": "PT Uji Acara", "region": "Jakarta Raya", "size": "huge",
                             "segments": ["corporate", "rave"]},
            "answers": {"A1": {"level": 2}}}  # fmt: skip
    (line,) = app.transfer.import_files(officer, [("theirs.json", json.dumps(data).encode())])
    assert line.outcome == "imported"
    assert [i.code for i in line.issues] == [
        "profile.unknown-region",
        "profile.unknown-size",
        "profile.unknown-segment",
    ]
    assert "Jakarta Raya" in line.reason("en") and "Jakarta Raya" in line.reason("id")
    profile = app.store.profile(org)
    assert (profile["region"], profile["size"], profile["segments"]) == ("Bali", "5-10", ["corporate"])


def test_two_next_rounds_from_one_round_at_once_store_one(app):
    """Both tabs passed the service's check before either wrote: the store's own guard keeps round 3 out."""
    from store.repository import RoundTaken

    actor, org = member(app)
    first = submitted_round(app, actor, org)
    workspace = app.store.workspace(org)
    workspace.next_round(first.assessment_id, "1")
    with pytest.raises(RoundTaken):
        workspace.next_round(first.assessment_id, "1")
    assert [s.round for s in app.assessing.list(actor, org)] == [2, 1]
