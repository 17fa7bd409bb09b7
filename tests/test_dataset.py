import json
import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from scoring.dataset import Disclosure, Generalised, build_dataset, domain_columns, scoring_rules, tidy_table
from scoring.engine import answers_frame, score
from scoring.model import Standard
from tests.research import ANSWERS, dataset, details, meta, tiny


def test_tidy_has_every_criterion_of_every_assessment_with_hand_checked_numbers():
    tidy = dataset().tidy.set_index(["organization", "round", "criterion"])
    assert len(tidy) == 3 * 4
    r1 = tidy.loc[("org-1", 1, "R1")]
    assert (r1["level"], r1["score"], r1["target"], r1["gap"], r1["met"]) == (2, 0.5, 3, 0.25, False)
    assert r1["impact"] == pytest.approx(0.125, abs=1e-15)
    assert (r1["mandatory"], r1["weight"], r1["domain_weight"], r1["domain"]) == (True, 3.0, 2.0, "RISK")
    assert r1["capabilities"] == "risk-register;risk-assessment" and r1["origin"] == "self"
    o1 = tidy.loc[("org-1", 1, "O1")]
    assert o1["answered"] and o1["na"] and not o1["scored"]
    assert pd.isna(o1["level"]) and pd.isna(o1["met"]) and math.isnan(o1["score"]) and math.isnan(o1["impact"])
    assert o1["origin"] == "pre-filled"
    assert tidy.loc[("org-1", 1, "O2"), "impact"] == pytest.approx(1 / 12, abs=1e-15)
    assert tidy.loc[("org-2", 1, "R2"), "origin"] == "pre-filled"  # from another standard's capability
    assert tidy.loc[("org-1", 2, "R1"), "origin"] == "carried-over"
    r2 = tidy.loc[("org-1", 2, "R2")]
    assert not r2["answered"] and pd.isna(r2["origin"]) and pd.isna(r2["met"])


def test_tidy_columns_types_and_shared_fields():
    tidy = dataset().tidy
    assert list(tidy.columns[:11]) == [
        "organization", "province", "island_group", "size_band", "segments", "standard_id", "standard_version",
        "round", "status", "submitted", "verified",
    ]  # fmt: skip
    assert list(tidy.columns[-5:]) == ["weight", "domain_weight", "origin", "verified_level", "verified_na"]
    assert str(tidy["level"].dtype) == "Int64" and str(tidy["met"].dtype) == "boolean"
    first = tidy.iloc[0]
    assert (first["standard_id"], first["standard_version"], first["segments"]) == (
        "tiny", "2025.1", "concert-festival;sport"
    )  # fmt: skip
    assert first["submitted"] == "2025-03-01"  # a date only, no time of day
    assert pd.isna(tidy.iloc[4]["province"]) and tidy.iloc[4]["segments"] == ""
    assert pd.isna(tidy.iloc[8]["submitted"])  # a draft


def test_wide_hand_checked():
    wide = dataset().wide.set_index(["organization", "round"])
    a1, a2, a3 = wide.loc[("org-1", 1)], wide.loc[("org-2", 1)], wide.loc[("org-1", 2)]
    assert (a1["overall"], a1["coverage"], a1["readiness"]) == (0.5, 1.0, "not-ready")
    assert (a1["score_RISK"], a1["score_OPS_2"]) == (0.625, 0.25)
    counts = ["criteria", "answered", "na", "scored", "met", "unmet", "unmet_mandatory"]
    assert a1[counts].tolist() == [4, 4, 1, 3, 1, 2, 1]
    assert a2["overall"] == pytest.approx((2 * 0.8125 + 2 / 3) / 3, abs=1e-15) and a2["readiness"] == "ready"
    assert a2["score_OPS_2"] == pytest.approx(2 / 3, abs=1e-15)
    assert a2[counts].tolist() == [4, 4, 0, 4, 4, 0, 0]
    assert (a3["overall"], a3["coverage"], a3["readiness"], a3["score_RISK"]) == (0.25, 0.25, "incomplete", 0.25)
    assert math.isnan(a3["score_OPS_2"])


def test_free_text_and_names_only_when_given():
    plain = dataset()
    assert not {"organization_name", "note", "justification", "evidence"} & set(plain.tidy.columns)
    assert "organization_name" not in plain.wide.columns
    full = dataset(free_text=True, names=True)
    assert list(full.tidy.columns[-4:]) == ["organization_name", "note", "justification", "evidence"]
    row = full.tidy.set_index(["organization", "round", "criterion"]).loc[("org-2", 1, "O2")]
    assert row["note"] == "catatan-rahasia-empat\nbaris kedua" and row["evidence"] == "dokumen-rahasia-lima.pdf"
    assert full.wide["organization_name"].tolist()[1] == "CV Kembang Setaman Abadi"
    described = set(zip(full.codebook["table"], full.codebook["name"], strict=True))
    assert {("tidy", "note"), ("tidy", "organization_name"), ("wide", "organization_name")} <= described


def test_criteria_table_is_the_standard():
    criteria = dataset().criteria
    assert criteria["criterion"].tolist() == ["R1", "R2", "O1", "O2"]
    assert criteria.iloc[0].to_dict() == {
        "criterion": "R1", "domain": "RISK", "title_en": "Risk register kept", "title_id": "Daftar risiko dipelihara",
        "capabilities": "risk-register;risk-assessment", "weight": 3.0, "target": 3, "mandatory": True,
    }  # fmt: skip
    assert criteria["target"].tolist() == [3, 4, 3, 2]


def test_codebook_describes_every_column_of_every_table_in_both_languages():
    ds = dataset(free_text=True, names=True)
    book = ds.codebook
    for table in ("tidy", "wide", "criteria"):
        assert book[book["table"] == table]["name"].tolist() == list(ds.table(table).columns)
    assert (book["description_en"].str.len() > 10).all() and (book["description_id"].str.len() > 10).all()
    assert (book["description_en"] != book["description_id"]).all()
    row = book.set_index(["table", "name"])
    assert row.loc[("wide", "readiness"), "values"] == "incomplete;not-ready;ready;progressing;early"
    assert row.loc[("tidy", "origin"), "values"] == "self;carried-over;pre-filled"
    assert (row.loc[("tidy", "level"), "minimum"], row.loc[("tidy", "level"), "maximum"]) == (0, 4)
    assert (
        "rule 6" in row.loc[("tidy", "impact"), "computed_en"]
        and "aturan 6" in row.loc[("tidy", "impact"), "computed_id"]
    )
    assert row.loc[("wide", "answered"), "type"] == "integer" and row.loc[("tidy", "answered"), "type"] == "boolean"
    # The mapping of a domain id to its column is documented.
    assert "OPS-2" in row.loc[("wide", "score_OPS_2"), "description_en"]
    assert "Operasional" in row.loc[("wide", "score_OPS_2"), "description_id"]


def test_domain_columns_are_valid_stata_names_and_unique():
    ids = ["A.b-c", "A_b_c", "a_b_c", "X" * 64, "X" * 63 + "Y", "1st"]
    standard = Standard.model_validate(
        {"id": "x", "version": "1", "title": "X",
         "domains": [{"id": d, "title": d, "criteria": [{"id": f"C{i}", "title": "C"}]} for i, d in enumerate(ids)]}
    )  # fmt: skip
    columns = domain_columns(standard)
    assert columns["A.b-c"] == "score_A_b_c" and columns["1st"] == "score_1st"
    names = list(columns.values())
    assert len({n.casefold() for n in names}) == len(ids)
    assert all(len(n) <= 32 and n.replace("_", "a").isalnum() and n.isascii() and n[0].isalpha() for n in names)


def test_scoring_rules_are_json_and_complete():
    rules = json.loads(json.dumps(scoring_rules(tiny())))
    assert rules["scale"]["top"] == 4 and [lv["value"] for lv in rules["scale"]["levels"]] == [0, 1, 2, 3, 4]
    assert rules["readiness"] | {"codes": None} == {
        "ready": 0.75, "progressing": 0.5, "codes": None, "tolerance": 1e-9
    }  # fmt: skip
    assert rules["domains"][1] == {"id": "OPS-2", "column": "score_OPS_2", "weight": 1.0, "criteria": ["O1", "O2"]}
    assert rules["criteria"][0] == {
        "id": "R1", "domain": "RISK", "weight": 3.0, "target": 3, "mandatory": True,
        "capabilities": ["risk-register", "risk-assessment"],
    }  # fmt: skip
    assert [f["rule"] for f in rules["formulas"]] == list(range(1, 9))
    assert all(f["en"] and f["id"] and f["en"] != f["id"] for f in rules["formulas"])


def test_inputs_that_do_not_match_are_refused():
    standard = tiny()
    scores = score(standard, answers_frame(ANSWERS), list(ANSWERS))
    with pytest.raises(ValueError, match="order"):
        tidy_table(standard, scores, meta().iloc[::-1])
    with pytest.raises(ValueError, match="status"):
        build_dataset(standard, scores, meta().assign(status=["draft", "done", "draft"]), None)
    with pytest.raises(ValueError, match="same round"):
        build_dataset(standard, scores, meta().assign(round=[1, 1, 1], organization="org-1"), None)
    with pytest.raises(ValueError, match="origin"):
        build_dataset(standard, scores, meta(), details().assign(origin="guess"))


def test_no_details_means_every_answer_is_the_companys_own():
    standard = tiny()
    scores = score(standard, answers_frame(ANSWERS), list(ANSWERS))
    tidy = build_dataset(standard, scores, meta(), None).tidy
    assert set(tidy["origin"].dropna()) == {"self"} and tidy["origin"].isna().sum() == 3


def test_a_disclosure_statement_must_name_columns_of_the_package():
    standard = tiny()
    scores = score(standard, answers_frame(ANSWERS), list(ANSWERS))
    stated = Disclosure("r1", date(2026, 12, 6), 5, (Generalised("province", "to the island group", "ke pulau"),))
    assert build_dataset(standard, scores, meta(), None, stated).disclosure == stated
    assert build_dataset(standard, scores, meta(), None).disclosure is None
    with pytest.raises(ValueError, match="provinsi"):
        build_dataset(standard, scores, meta(), None, replace(stated, suppressed={"provinsi": 1}))
    with pytest.raises(ValueError, match="k must be"):
        build_dataset(standard, scores, meta(), None, replace(stated, k=0))


def test_drafts_and_an_empty_selection_give_every_column_with_missing_dates():
    """As services/research.py passes them: submission times as UTC timestamps, NaT for a draft."""
    standard = tiny()
    scores = score(standard, answers_frame(ANSWERS), list(ANSWERS))
    given = meta().assign(submitted=pd.to_datetime(pd.Series([None, "2025-04-02T23:30:00Z", None]), utc=True))
    ds = build_dataset(standard, scores, given.assign(status=["draft", "submitted", "draft"]), None)
    assert ds.wide["submitted"].tolist()[1] == "2025-04-02" and ds.wide["submitted"].isna().tolist() == [
        True, False, True]  # fmt: skip
    none = build_dataset(standard, score(standard, answers_frame({}), []), meta().iloc[0:0], None)
    assert len(none.tidy) == len(none.wide) == 0 and len(none.criteria) == 4
    for table in ("tidy", "wide"):
        assert list(none.table(table).columns) == list(ds.table(table).columns)
        assert none.codebook[none.codebook["table"] == table]["name"].tolist() == list(ds.table(table).columns)
