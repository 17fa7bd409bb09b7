"""The assessing and transfer services: what a company member does, checked by the core before anything is stored."""

import json

import pytest

from scoring.model import Answer
from services.assessing import Refused
from services.policy import Actor, Denied
from tests.conftest import MINI_ANSWERS
from tests.persistence.people import person


def member_of(gapura, name="PT Uji Acara"):
    organization_id = gapura.store.ensure_organization({"name": name})
    return person(gapura, organizations=[organization_id]), organization_id


def test_starting_a_standard_that_has_a_draft_opens_that_draft(gapura):
    actor, org = member_of(gapura)
    mini = gapura.standard("mini", "1")
    first = gapura.assessing.start(actor, mini, org, {}, "id")
    gapura.assessing.answer(actor, first.work, "A1", Answer(level=2))
    again = gapura.assessing.start(actor, mini, org, {}, "id")
    assert again.reopened and not first.reopened
    assert again.work.assessment_id == first.work.assessment_id and again.work.answers["A1"].level == 2
    assert [s.round for s in gapura.assessing.list(actor, org)] == [1]
    for criterion_id in ("A2", "B1", "B2"):
        gapura.assessing.answer(actor, again.work, criterion_id, Answer(level=1))
    gapura.assessing.submit(actor, again.work)
    third = gapura.assessing.start(actor, mini, org, {}, "id")  # submitted: a new round
    assert not third.reopened and third.work.round == 2


@pytest.mark.parametrize(
    ("criterion", "answer", "code"),
    [
        ("Z9", Answer(level=1), "assessment.unknown-criterion"),
        ("A2", Answer(level=7), "assessment.level-off-scale"),
        ("A1", Answer(level="na", justification="x"), "assessment.mandatory-na"),
    ],
)
def test_an_answer_the_standard_refuses_is_never_stored(gapura, criterion, answer, code):
    actor, org = member_of(gapura)
    work = gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {}, "en").work
    with pytest.raises(Refused) as refused:
        gapura.assessing.answer(actor, work, criterion, answer)
    assert refused.value.issues[0].code == code
    assert criterion not in gapura.assessing.reload(actor, work).answers
    assert gapura.assessing.history(actor, work) == []


def test_resuming_a_downloaded_file_of_a_draft_continues_it(gapura):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    actor, org = member_of(gapura, data["organization"]["name"])
    work = gapura.assessing.start(actor, gapura.standard("mini", "1"), org, {}, "en").work
    gapura.assessing.answer(actor, work, "A1", Answer(level=1, note="kept"))
    asked = gapura.transfer.resume(actor, "mine.json", json.dumps(data).encode())  # A1 was saved after the download
    assert asked.outcome == "confirm" and asked.assessment_id == work.assessment_id
    assert gapura.assessing.reload(actor, work).answers["A1"].level == 1  # nothing written before the user says so
    line = gapura.transfer.resume(actor, "mine.json", json.dumps(data).encode(), confirmed=True)
    assert line.outcome == "continued" and line.assessment_id == work.assessment_id
    stored = gapura.assessing.reload(actor, work)
    assert stored.answers["A1"].level == data["answers"]["A1"]["level"]
    assert [s.round for s in gapura.assessing.list(actor, org)] == [1]  # no second round


def test_a_file_of_another_company_is_not_resumed_and_says_nothing_about_it(gapura):
    data = json.loads(MINI_ANSWERS.read_text(encoding="utf-8"))
    _, theirs = member_of(gapura, data["organization"]["name"])
    mine, _ = member_of(gapura, "PT Saya Sendiri")
    for name in (data["organization"]["name"], "PT Tidak Ada"):
        data["organization"]["name"] = name
        line = gapura.transfer.resume(mine, "theirs.json", json.dumps(data).encode())
        assert line.outcome == "skipped" and [i.code for i in line.issues] == ["resume.not-yours"]
    assert gapura.assessing.list(Actor("cli", system=True), theirs) == []


def test_a_member_cannot_open_or_answer_another_companys_assessment(gapura):
    theirs, their_org = member_of(gapura, "PT Lain")
    mine, _ = member_of(gapura, "PT Saya")
    work = gapura.assessing.start(theirs, gapura.standard("mini", "1"), their_org, {}, "en").work
    assert gapura.assessing.open_link(mine, work.token) is None
    assert gapura.assessing.open_link(theirs, work.token).assessment_id == work.assessment_id
    with pytest.raises(Denied):
        gapura.assessing.open(mine, their_org, work.assessment_id)
    with pytest.raises(Denied):
        gapura.assessing.answer(mine, work, "A2", Answer(level=4))
    with pytest.raises(Denied):
        gapura.assessing.start(mine, gapura.standard("mini", "1"), their_org, {}, "en")


def test_an_assessment_opens_scores_and_exports_from_its_stored_standard_after_the_file_is_removed(gapura, tmp_path):
    import io
    import shutil
    import zipfile
    from dataclasses import replace

    from scoring.assessment import counted_levels
    from scoring.engine import score_one
    from services.app import Gapura
    from tests.conftest import MINI

    folder = tmp_path / "standards"
    folder.mkdir()
    shutil.copy(MINI, folder / "mini.json")
    app = Gapura(replace(gapura.settings, standards_dir=folder))
    actor, org = member_of(app)
    work = app.assessing.start(actor, app.standard("mini", "1"), org, {}, "en").work
    app.assessing.answer(actor, work, "A1", Answer(level=3))
    (folder / "mini.json").unlink()  # the folder is only the seed: the published version stays in the library
    assert app.library().get("mini", "1") is not None
    reopened = app.assessing.open(actor, org, work.assessment_id)
    standard = app.standard(*reopened.standard_key)
    assert standard is not None and standard.criteria_count == 4
    assert (
        score_one(standard, counted_levels(reopened.answers)).criteria.set_index("criterion").loc["A1", "score"] == 0.75
    )
    app.assessing.answer(actor, reopened, "A2", Answer(level=1))  # still answerable against its copy
    archive, count = app.transfer.export_zip(Actor("cli", system=True))
    assert count == 1 and zipfile.ZipFile(io.BytesIO(archive)).namelist() == [f"pt-uji-acara-{org}/mini-1-r1.json"]
    app.close()
