"""The action plan as a company works from it (services/plans.py), on SQLite and PostgreSQL: what it tracks carries
into the next round, a step whose criterion reaches its target closes itself with the round, a late step is flagged,
two tabs changing different fields keep both, and nobody outside the company writes it."""

import io
import json
import zipfile
from datetime import date, timedelta

import pytest

from scoring.model import Answer
from services.assessing import Refused
from services.personal_data import DATA_FILE
from services.policy import Denied
from store.plans import PlanRecords
from tests.persistence.people import person


@pytest.fixture
def company(gapura):
    organization_id = gapura.store.ensure_organization({"name": "PT Rencana Acara"})
    actor = person(gapura, organizations=[organization_id])
    work = gapura.assessing.start(actor, gapura.standard("mini", "1"), organization_id, {}, "en").work
    return actor, organization_id, work


def answer_all(gapura, actor, work, **levels):
    for criterion_id in ("A1", "A2", "B1", "B2"):
        gapura.assessing.answer(actor, work, criterion_id, Answer(level=levels.get(criterion_id, 1)))


def test_what_the_company_tracks_carries_into_the_next_round(gapura, company):
    actor, _, work = company
    due = date(2027, 3, 1)
    gapura.plans.track(actor, work, "A1", owner="Budi Santoso", due=due, status="doing", note="Ajukan ke dinas")
    answer_all(gapura, actor, work)  # A1 stays below its target of 3
    gapura.assessing.submit(actor, work)
    second = gapura.assessing.next_round(actor, work, "1")
    assert second.round == 2
    item = gapura.plans.tracking(actor, second)["A1"]
    assert (item.owner, item.due, item.status, item.note, item.closed_round) == (
        "Budi Santoso", due, "doing", "Ajukan ke dinas", None,
    )  # fmt: skip


def test_a_step_whose_criterion_reaches_its_target_closes_itself_with_that_round(gapura, company):
    actor, _, work = company
    gapura.plans.track(actor, work, "A1", owner="Budi")
    gapura.plans.track(actor, work, "B1", owner="Sari")
    answer_all(gapura, actor, work)
    assert gapura.plans.tracking(actor, work)["A1"].closed_round is None
    gapura.assessing.submit(actor, work)
    second = gapura.assessing.next_round(actor, work, "1")
    # Carried answers are proposals until confirmed: they decide nothing.
    assert gapura.plans.tracking(actor, second)["A1"].closed_round is None
    gapura.assessing.answer(actor, second, "A1", Answer(level=3))
    tracked = gapura.plans.tracking(actor, second)
    assert tracked["A1"].closed_round == 2 and tracked["A1"].owner == "Budi"
    assert tracked["B1"].closed_round is None  # still below target
    assert gapura.plans.tracking(actor, work)["A1"].closed_round == 2  # the plan is the company's, not a round's
    gapura.assessing.answer(actor, second, "A1", Answer(level=1))  # below the target again: open again
    assert gapura.plans.tracking(actor, second)["A1"].closed_round is None


def test_a_step_past_its_due_date_and_not_done_is_overdue(gapura, company):
    actor, _, work = company
    today = date.today()
    gapura.plans.track(actor, work, "A1", due=today - timedelta(days=1))
    gapura.plans.track(actor, work, "A2", due=today - timedelta(days=1), status="done")
    gapura.plans.track(actor, work, "B1", due=today + timedelta(days=1))
    tracked = gapura.plans.tracking(actor, work)
    assert [cid for cid, item in sorted(tracked.items()) if item.overdue(today)] == ["A1"]


def test_two_tabs_changing_different_fields_keep_both(gapura, company):
    actor, organization_id, work = company
    other_tab = gapura.assessing.open(actor, organization_id, work.assessment_id)
    gapura.plans.track(actor, work, "B1", owner="Budi", status="todo")
    gapura.plans.track(actor, other_tab, "B1", status="doing")  # this tab never saw the owner
    gapura.plans.track(actor, work, "B1", note="Cek prakiraan BMKG")  # and this one never saw "doing"
    item = gapura.plans.tracking(actor, work)["B1"]
    assert (item.owner, item.status, item.note) == ("Budi", "doing", "Cek prakiraan BMKG")


def test_texts_are_cleaned_and_what_the_plan_cannot_hold_is_refused(gapura, company):
    actor, _, work = company
    item = gapura.plans.track(actor, work, "A1", owner="  Budi\x00 \u200b Santoso\n", note="baris 1\r\nbaris 2\x07 ")
    assert (item.owner, item.note) == ("Budi Santoso", "baris 1\nbaris 2")
    for fields, code in (({"status": "later"}, "plan.status"), ({"owner": "x" * 201}, "plan.too-long"),
                         ({"note": "x" * 5001}, "plan.too-long"), ({"due": "besok"}, "plan.due")):  # fmt: skip
        with pytest.raises(Refused) as refused:
            gapura.plans.track(actor, work, "A2", **fields)
        assert [i.code for i in refused.value.issues] == [code]
    with pytest.raises(Refused) as refused:
        gapura.plans.track(actor, work, "Z9", owner="Budi")
    assert refused.value.issues[0].code == "assessment.unknown-criterion"
    assert set(gapura.plans.tracking(actor, work)) == {"A1"}  # nothing else was written


def test_a_change_is_audited_without_its_text(gapura, company):
    actor, organization_id, work = company
    gapura.plans.track(actor, work, "A1", note="rahasia dagang")
    events = [e for e in gapura.audit.records.events(None) if e.action == "plan.changed"]
    assert [(e.target, e.detail) for e in events] == [
        (f"organization:{organization_id}", {"standard": "mini", "criterion": "A1", "fields": ["note"]})
    ]
    assert "rahasia" not in str(events[0].detail)


def test_another_company_and_a_researcher_are_refused_an_officer_only_reads(gapura, company):
    actor, organization_id, work = company
    gapura.plans.track(actor, work, "A1", owner="Budi")
    other = gapura.store.ensure_organization({"name": "PT Lain"})
    outsider = person(gapura, organizations=[other])
    researcher = person(gapura, roles=["researcher"])
    officer = person(gapura, roles=["officer"])
    for who in (outsider, researcher):
        with pytest.raises(Denied) as denied:
            gapura.plans.tracking(who, work)
        assert (denied.value.resource, denied.value.action) == ("plan", "read")
        with pytest.raises(Denied) as denied:
            gapura.plans.track(who, work, "A1", owner="Saya")
        assert (denied.value.resource, denied.value.action) == ("plan", "write")
    assert gapura.plans.tracking(officer, work)["A1"].owner == "Budi"
    with pytest.raises(Denied):
        gapura.plans.track(officer, work, "A1", owner="Petugas")
    assert gapura.plans.tracking(actor, work)["A1"].owner == "Budi"


def test_the_plan_is_in_the_organizations_data_download_and_erased_with_it(gapura, company):
    actor, organization_id, work = company
    gapura.plans.track(actor, work, "A1", owner="Budi", due=date(2027, 1, 15), note="Ajukan izin")
    with zipfile.ZipFile(io.BytesIO(gapura.personal_data.export(actor, organization_id))) as archive:
        document = json.loads(archive.read(DATA_FILE))
    (item,) = document["action_plan"]
    assert (item["standard"], item["criterion"], item["owner"], item["due"], item["note"]) == (
        "mini", "A1", "Budi", "2027-01-15", "Ajukan izin",
    )  # fmt: skip
    admin = person(gapura, roles=["admin"])
    assert gapura.personal_data.erase(admin, organization_id, "PT Rencana Acara")
    assert PlanRecords(gapura.store).everything(organization_id) == []
