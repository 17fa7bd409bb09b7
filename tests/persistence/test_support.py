"""Support given to members through the service (services/support.py), on SQLite and PostgreSQL: an intervention is
recorded only when every field is right, an attendance list is taken whole or not at all, the research package's
panel has one row per member × campaign round with the support counted in the right interval, and the with/without
comparison shows each group's change with its count, suppressed under the privacy threshold."""

import io
import json
import zipfile
from datetime import date

import frictionless
import openpyxl
import pandas as pd
import pytest

from scoring.formats import FORMATS
from services.assessing import Refused
from services.personal_data import DATA_FILE
from services.policy import cli_actor
from services.research import Selection
from tests.persistence.people import person
from tests.support_rows import MINI_CRITERIA, at, campaign, campaign_assessment

CLI = cli_actor()


def levels(level: int) -> dict[str, int]:
    return dict.fromkeys(MINI_CRITERIA, level)


@pytest.fixture
def officer(gapura):
    return person(gapura, roles=["officer"])


def companies(gapura, n: int) -> list[int]:
    return [gapura.store.ensure_organization({"name": f"PT Anggota {k:02d}"}) for k in range(n)]


def test_an_intervention_with_a_wrong_field_is_refused_and_nothing_is_stored(gapura, officer):
    [member] = companies(gapura, 1)
    with pytest.raises(Refused) as refused:
        gapura.support.record(officer, "party", "", date(2027, 3, 2), date(2027, 3, 1), ["risk-assessment", "made-up"],
                              organization_ids=[member])  # fmt: skip
    assert [i.code for i in refused.value.issues] == [
        "support.unknown-kind", "support.title", "support.dates", "support.unknown-capability",
    ]  # fmt: skip
    assert refused.value.issues[3].message("id") == "kapabilitas 'made-up' tidak ada di crosswalk"
    with pytest.raises(Refused):
        gapura.support.record(officer, "training", "Pelatihan K3", date(2027, 3, 1), date(2027, 3, 2), [],
                              organization_ids=[member, 987654])  # fmt: skip
    assert gapura.support.interventions(officer) == []


def test_an_intervention_is_listed_with_its_participants(gapura, officer):
    first, second = companies(gapura, 2)
    intervention = gapura.support.record(
        officer, "permit-clinic", "  Klinik\tperizinan OSS ", date(2027, 3, 1), date(2027, 3, 2),
        ["permit-management", "business-licence"], funder="Kemenparekraf", note="Batch 1", organization_ids=[first],
    )  # fmt: skip
    assert gapura.support.add_participants(officer, intervention, [second]) == 1
    [listed] = gapura.support.interventions(officer)
    assert (listed.title, listed.kind, listed.participants) == ("Klinik perizinan OSS", "permit-clinic", 2)
    assert listed.capabilities == ("permit-management", "business-licence")
    assert gapura.support.remove_participant(officer, intervention, first) is True
    assert [name for _, name, _ in gapura.support.participants(officer, intervention)] == ["PT Anggota 01"]


def test_an_attendance_list_is_taken_whole_or_not_at_all(gapura, officer):
    companies(gapura, 3)
    intervention = gapura.support.record(officer, "training", "Pelatihan K3", date(2027, 3, 1), date(2027, 3, 3), [])
    bad = b"organization,days\nPT Anggota 00,2\nPT Tidak Terdaftar,1\npt anggota 01,9\n"
    with pytest.raises(Refused) as refused:
        gapura.support.import_attendance(officer, intervention, bad)
    assert [i.message("id") for i in refused.value.issues] == [
        "baris 3: tidak ada anggota bernama PT Tidak Terdaftar; tulis namanya persis seperti yang tersimpan di Gapura",
        "baris 4: jumlah hari harus bilangan bulat dari 1 sampai 3, bukan 9",
    ]
    assert gapura.support.participants(officer, intervention) == []  # the good row was not kept either
    good = "\ufefforganization,days\nPT Anggota 00,2\n PT  ANGGOTA 01 ,\n".encode()
    assert gapura.support.import_attendance(officer, intervention, good) == 2
    assert [(name, days) for _, name, days in gapura.support.participants(officer, intervention)] == [
        ("PT Anggota 00", 2), ("PT Anggota 01", None),
    ]  # fmt: skip


def test_the_panel_has_a_row_per_member_and_round_with_support_in_the_right_interval(gapura, officer):
    one, two = companies(gapura, 2)
    t0, t1 = campaign(gapura, "T0 2027", date(2027, 1, 15)), campaign(gapura, "T1 2027", date(2027, 6, 15))
    campaign_assessment(gapura, one, t0, 1, levels(2), at(date(2027, 1, 10)))
    campaign_assessment(gapura, one, t1, 2, levels(3), at(date(2027, 6, 10), hour=23))
    campaign_assessment(gapura, two, t0, 1, levels(1), at(date(2027, 1, 12)))
    campaign_assessment(gapura, two, t1, 2, {"A1": 1}, None)  # started, not finished
    record = gapura.support.record
    record(officer, "training", "K3", date(2027, 1, 8), date(2027, 1, 10), ["risk-assessment"], organization_ids=[one])
    mentoring = record(officer, "mentoring", "Pendampingan", date(2027, 1, 11), date(2027, 1, 11), ["legal-register"])
    gapura.support.import_attendance(officer, mentoring, b"organization\nPT Anggota 00\nPT Anggota 01\n")
    clinic = record(officer, "permit-clinic", "Klinik", date(2027, 6, 9), date(2027, 6, 10), ["business-licence"])
    gapura.support.import_attendance(officer, clinic, b"organization,days\nPT Anggota 00,1\n")
    record(officer, "training", "Sesudahnya", date(2027, 6, 11), date(2027, 6, 11), [], organization_ids=[one, two])

    dataset = gapura.research.package(CLI, Selection("mini", "1"), with_names=True).dataset
    panel = dataset.panel.set_index(["organization", "campaign_round"])
    assert len(panel) == 4 and not panel.index.duplicated().any()
    assert panel.loc[(str(one), "T1 2027"), "overall"] == 0.75
    assert panel.loc[(str(two), "T1 2027"), "complete"] == False  # noqa: E712 (a numpy bool)
    assert pd.isna(panel.loc[(str(two), "T1 2027"), "overall"])
    support = {(r.organization, r.campaign_round, r.dimension, r.value): (r.count, r.days)
               for r in dataset.panel_support.itertuples()}  # fmt: skip
    assert support == {
        # ended on T0's submission day: counted in T0
        (str(one), "T0 2027", "kind", "training"): (1, 3), (str(one), "T0 2027", "capability", "risk-assessment"): (1, 3),
        # the day after T0's submission, and T1's submission day: counted in T1 (1 of the clinic's 2 days attended)
        (str(one), "T1 2027", "kind", "mentoring"): (1, 1), (str(one), "T1 2027", "capability", "legal-register"): (1, 1),
        (str(one), "T1 2027", "kind", "permit-clinic"): (1, 1),
        (str(one), "T1 2027", "capability", "business-licence"): (1, 1),
        # member two submitted T0 on 12 January: the mentoring of the 11th is T0's; T1 is not submitted: no interval
        (str(two), "T0 2027", "kind", "mentoring"): (1, 1), (str(two), "T0 2027", "capability", "legal-register"): (1, 1),
    }  # fmt: skip
    documented = set(dataset.codebook.loc[dataset.codebook["table"].isin(["panel", "panel_support"]), "name"])
    assert documented == set(dataset.panel.columns) | set(dataset.panel_support.columns)
    assert {"panel.csv", "panel_support.csv"} <= set(gapura.research.files(gapura.research.package(
        CLI, Selection("mini", "1"), with_names=True), "csv"))  # fmt: skip


def ten_members_in_two_rounds(gapura, officer, supported: int) -> list[int]:
    """Ten members complete in T0 and T1; the first `supported` had training between the rounds and rose from
    level 2 to 3 everywhere, the others stayed at 2."""
    members = companies(gapura, 10)
    t0, t1 = campaign(gapura, "T0 2027", date(2027, 1, 15)), campaign(gapura, "T1 2027", date(2027, 6, 15))
    for k, member in enumerate(members):
        campaign_assessment(gapura, member, t0, 1, levels(2), at(date(2027, 1, 10)))
        campaign_assessment(gapura, member, t1, 2, levels(3 if k < supported else 2), at(date(2027, 6, 10)))
    gapura.support.record(officer, "training", "K3", date(2027, 3, 1), date(2027, 3, 2), ["risk-assessment"],
                          organization_ids=members[:supported])  # fmt: skip
    gapura.support.record(officer, "mentoring", "Sebelum T0", date(2027, 1, 2), date(2027, 1, 2), [],
                          organization_ids=members)  # fmt: skip
    return members


def test_with_and_without_shows_each_groups_change_and_count(gapura, officer):
    ten_members_in_two_rounds(gapura, officer, supported=5)
    assert gapura.support.rounds(officer, "mini", "1") == ["T0 2027", "T1 2027"]
    comparison = gapura.support.effect(officer, "mini", "1", "T0 2027", "T1 2027", "training")
    table = comparison.table.set_index("group")
    assert comparison.capabilities == ()  # the mini standard scores no capability
    assert list(table["measure"]) == ["overall", "overall"]
    assert table.loc["with", "members"] == 5 and round(table.loc["with", "change"], 9) == 0.25
    assert table.loc["without", "members"] == 5 and table.loc["without", "change"] == 0
    # mentoring before T0 falls outside the interval: nobody had it between the rounds
    mentoring = gapura.support.effect(officer, "mini", "1", "T0 2027", "T1 2027", "mentoring").table.set_index("group")
    assert mentoring.loc["with", "members"] == 0 and mentoring.loc["without", "members"] == 10


def test_with_and_without_is_suppressed_under_the_threshold(gapura, officer):
    ten_members_in_two_rounds(gapura, officer, supported=4)
    table = gapura.support.effect(officer, "mini", "1", "T0 2027", "T1 2027", "training").table.set_index("group")
    assert pd.isna(table.loc["with", "members"]) and pd.isna(table.loc["with", "change"])
    assert table.loc["with", "reason"].code == "disclosure.too-few"
    assert table.loc["without", "members"] == 6 and pd.isna(table.loc["without", "change"])
    assert table.loc["without", "reason"].code == "disclosure.secondary"


def test_the_pseudonymous_panel_uses_the_packages_ids(gapura, officer):
    ten_members_in_two_rounds(gapura, officer, supported=5)
    dataset = gapura.research.package(CLI, Selection("mini", "1")).dataset
    assert set(dataset.panel["organization"]) == set(dataset.wide["organization"])
    assert len(dataset.panel) == 20 and not dataset.panel["organization"].str.isdigit().any()
    trained = dataset.panel_support[dataset.panel_support["value"] == "training"]
    assert len(trained) == 5 and set(trained["campaign_round"]) == {"T1 2027"}


def test_the_panel_goes_into_every_format_and_the_data_package_validates(gapura, officer, tmp_path):
    ten_members_in_two_rounds(gapura, officer, supported=5)
    package = gapura.research.package(CLI, Selection("mini", "1"))
    for fmt in FORMATS:
        files = gapura.research.files(package, fmt)
        assert any("panel" in name for name in files) or fmt in ("xlsx",), fmt
    [workbook] = gapura.research.files(package, "xlsx").values()
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert {"panel", "panel_support"} <= set(book.sheetnames)
    for name, content in gapura.research.files(package, "datapackage").items():
        (tmp_path / name).write_bytes(content)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_companys_personal_data_download_lists_the_support_it_took_part_in(gapura, officer):
    one, two = companies(gapura, 2)
    gapura.support.record(officer, "mentoring", "Pendampingan K3", date(2027, 2, 1), date(2027, 2, 3),
                          ["risk-assessment"], funder="Kemenparekraf", organization_ids=[one])  # fmt: skip
    gapura.support.record(officer, "training", "Bukan untuknya", date(2027, 2, 1), date(2027, 2, 1), [],
                          organization_ids=[two])  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(gapura.personal_data.export(CLI, one))) as archive:
        document = json.loads(archive.read(DATA_FILE))
    assert document["support_received"] == [{
        "kind": "mentoring", "title": "Pendampingan K3", "started_on": "2027-02-01", "ended_on": "2027-02-03",
        "capabilities": ["risk-assessment"], "funder": "Kemenparekraf", "days": None,
    }]  # fmt: skip
