"""The self-report gap and the inflation index, checked by hand on three companies, and their bounds."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import answers_frame, score
from scoring.inflation import inflation_index, paired, self_report_gap, with_verified
from tests.research import tiny

# The tiny standard's scale is 0–4 (L = 4).
OWN = {"A": {"R1": 3, "R2": 4, "O1": 2}, "B": {"R1": 2, "R2": "na"}, "C": {"R1": 1, "R2": 4}}
VERIFIED = {"A": {"R1": 2, "R2": 4}, "B": {"R1": 2, "R2": 1}, "C": {"R1": 2, "R2": 2}}
# By hand: R1 differences 1, 0, −1 → n 3, gap 0, one over (1/3), one under (1/3).
#          R2 differences 0 (A), 2 (C); B's own N/A is not scored → n 2, 1 level = 1/4 of L, over 1/2, under 0.
#          O1, O2 were not verified → n 0. Index = (3·0 + 2·¼) / 5 = 0.1.


def gaps(threshold: int = 1) -> pd.DataFrame:
    standard = tiny()
    scores = score(standard, answers_frame(OWN), list(OWN))
    return self_report_gap(standard, paired(scores, answers_frame(VERIFIED)), threshold).set_index("criterion")


def test_the_self_report_gap_and_the_inflation_index_match_the_hand_computation():
    table = gaps()
    r1, r2 = table.loc["R1"], table.loc["R2"]
    assert (r1["n"], r1["gap"], r1["gap_levels"]) == (3, 0.0, 0.0)
    assert r1["share_over"] == pytest.approx(1 / 3) and r1["share_under"] == pytest.approx(1 / 3)
    assert (r2["n"], r2["gap"], r2["gap_levels"], r2["share_over"], r2["share_under"]) == (2, 0.25, 1.0, 0.5, 0.0)
    assert table.loc["O1", "n"] == 0 and math.isnan(table.loc["O1", "gap"]) and not table["suppressed"].any()
    assert inflation_index(gaps()) == pytest.approx(0.1)


def test_a_criterion_with_fewer_verified_members_than_the_threshold_is_suppressed_and_left_out_of_the_index():
    table = gaps(threshold=3)
    assert table.loc["R2", "suppressed"] and pd.isna(table.loc["R2", "n"]) and math.isnan(table.loc["R2", "gap"])
    assert not table.loc["R1", "suppressed"] and table.loc["R1", "n"] == 3
    assert inflation_index(table.reset_index()) == 0.0
    assert inflation_index(gaps(threshold=4).reset_index()) is None


def test_verified_levels_replace_the_companys_own_and_fill_what_it_left_unanswered():
    standard = tiny()
    own = {"A": {"R1": 3, "R2": 4}}
    replaced = with_verified(answers_frame(own), answers_frame({"A": {"R1": 1, "O1": "na"}}))
    scores = score(standard, replaced, ["A"])
    expected = score(standard, answers_frame({"A": {"R1": 1, "R2": 4, "O1": "na"}}), ["A"])
    assert scores.overall[0] == expected.overall[0] and scores.readiness[0] == expected.readiness[0] == "incomplete"
    assert scores.level[0].tolist()[:2] == [1.0, 4.0] and scores.na[0].tolist() == [False, False, True, False]
    assert sorted(replaced["criterion"]) == ["O1", "R1", "R2"]


LEVELS = st.sampled_from([0, 1, 2, 3, 4, "na"])
CRITERIA = ("R1", "R2", "O1", "O2")
COMPANIES = st.dictionaries(
    st.sampled_from("ABCDEFGH"), st.fixed_dictionaries(dict.fromkeys(CRITERIA, LEVELS)), min_size=1
)


@given(COMPANIES)
def test_equal_levels_have_no_gap(levels):
    standard = tiny()
    scores = score(standard, answers_frame(levels), list(levels))
    table = self_report_gap(standard, paired(scores, answers_frame(levels)))
    assert (table["gap"].dropna() == 0).all() and inflation_index(table) in (0.0, None)


@given(COMPANIES, COMPANIES)
def test_the_index_and_every_gap_lie_between_minus_one_and_one(own, verified):
    standard = tiny()
    scores = score(standard, answers_frame(own), list(own))
    table = self_report_gap(standard, paired(scores, answers_frame(verified)))
    index = inflation_index(table)
    assert table["gap"].dropna().between(-1, 1).all()
    assert index is None or -1 <= index <= 1
    assert (table["share_over"].dropna() + table["share_under"].dropna() <= 1 + 1e-12).all()
