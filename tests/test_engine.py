import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring.engine import answers_frame, score, score_one
from scoring.model import Standard

# The hand-computed example (tests/data/standards/mini.json), scale 0–4 so L = 4:
#   domain A, weight 2: A1 weight 3, target 3, mandatory, answer 2 -> s = 0.50, gap = (3-2)/4 = 0.25
#                       A2 weight 1, target 4 (default),   answer 4 -> s = 1.00, gap = 0
#   domain B, weight 1: B1 weight 2, target 3,             answer N/A (not scored)
#                       B2 weight 1, target 2,             answer 1 -> s = 0.25, gap = (2-1)/4 = 0.25
# S_A = (3*0.5 + 1*1.0) / (3+1) = 0.625            G_A = (3*0.25 + 1*0) / 4 = 0.1875
# S_B = (1*0.25) / 1 = 0.25 (B1 is N/A)           G_B = 0.25
# S   = (2*0.625 + 1*0.25) / (2+1) = 0.5
# impact A1 = (2/3)*(3/4)*0.25 = 0.125  (check: A1 at 3 -> S_A = 0.8125, S = (1.625+0.25)/3 = 0.625 = 0.5 + 0.125)
# impact B2 = (1/3)*(1/1)*0.25 = 0.0833…
# coverage = 4/4 = 1; A1 is mandatory and below target -> "not-ready"; actions: A1 (mandatory) then B2.
HAND = {"A1": 2, "A2": 4, "B1": "na", "B2": 1}


def test_hand_computed_example(mini):
    r = score_one(mini, HAND)
    assert r.overall == pytest.approx(0.5)
    assert r.coverage == 1.0
    assert r.verdict.code == "not-ready" and r.verdict.blocking == ("A1",)
    d = r.domains.set_index("domain")
    assert d.loc["A", "score"] == pytest.approx(0.625) and d.loc["A", "gap"] == pytest.approx(0.1875)
    assert d.loc["B", "score"] == pytest.approx(0.25) and d.loc["B", "gap"] == pytest.approx(0.25)
    c = r.criteria.set_index("criterion")
    assert c.loc["A1", "impact"] == pytest.approx(0.125)
    assert c.loc["B2", "impact"] == pytest.approx(1 / 12)
    assert math.isnan(c.loc["B1", "score"]) and c.loc["B1", "level"] == "na"
    assert r.actions == ["A1", "B2"]


def test_hand_example_json_output_matches_the_contract(mini):
    out = score_one(mini, HAND).to_json()
    assert set(out) == {"standard", "overall", "coverage", "readiness", "domains", "criteria", "actions"}
    b1 = next(c for c in out["criteria"] if c["id"] == "B1")
    assert b1 == {"id": "B1", "level": "na", "score": None, "target": 3, "gap": None, "met": None, "impact": None}


def test_met_is_null_where_a_criterion_is_not_scored(mini):
    r = score_one(mini, {"A1": 2, "A2": 4, "B1": "na"})  # B2 unanswered
    met = r.criteria.set_index("criterion")["met"]
    assert str(met.dtype) == "boolean"
    assert met.isna().to_dict() == {"A1": False, "A2": False, "B1": True, "B2": True}
    assert {c["id"]: c["met"] for c in r.to_json()["criteria"]} == {"A1": False, "A2": True, "B1": None, "B2": None}


def test_a_nullable_met_changes_no_number(mini):
    r = score_one(mini, {"A1": 2, "A2": 4, "B1": "na"})
    assert r.scores.met[0].tolist() == [False, True, False, False]  # the internal matrix stays plain bool
    assert r.actions == ["A1"] and r.verdict.code == "incomplete"


def test_readiness_rules_in_order(mini):
    assert score_one(mini, {"A1": 4}).verdict.code == "incomplete"
    assert score_one(mini, {"A1": 3, "A2": 4, "B1": 3, "B2": 2}).verdict.code == "ready"
    assert score_one(mini, {"A1": 3, "A2": 1, "B1": 1, "B2": 1}).verdict.code == "progressing"  # exactly 0.5
    assert score_one(mini, {"A1": 3, "A2": 0, "B1": 0, "B2": 0}).verdict.code == "early"  # 0.375
    assert score_one(mini, {"A1": 2, "A2": 4, "B1": 4, "B2": 4}).verdict.code == "not-ready"


def test_all_na_is_incomplete_not_ready():
    std = Standard.model_validate(
        {"id": "x", "version": "1", "title": "X",
         "domains": [{"id": "D", "title": "D", "criteria": [{"id": "C1", "title": "C1"}]}]}
    )  # fmt: skip
    r = score_one(std, {"C1": "na"})
    assert r.overall is None and r.coverage == 1.0 and r.verdict.code == "incomplete"
    assert "N/A" in r.verdict.explain("en")


def test_verdict_explains_itself_in_both_languages_naming_criteria_by_title(mini):
    v = score_one(mini, HAND).verdict
    assert v.explain("en").startswith("1 mandatory criterion is not yet at target (Permit filed)")
    assert v.explain("id").startswith("1 kriteria wajib belum mencapai target (Izin diajukan)")
    assert "A1" not in v.explain("en") + v.explain("id")
    assert v.blocking == ("A1",)  # the machine form (CLI, JSON) keeps the ids
    assert v.headline("id") == "Belum siap"


def test_unknown_criteria_and_bad_levels_are_refused(mini):
    with pytest.raises(ValueError, match="unknown criteria"):
        score_one(mini, {"Z9": 1})
    with pytest.raises(ValueError, match="not on the scale"):
        score_one(mini, {"A1": 7})


# Property tests on random standards and answers.


@st.composite
def standards(draw):
    top = draw(st.integers(1, 6))
    domains = []
    n = 0
    for d in range(draw(st.integers(1, 4))):
        criteria = []
        for _ in range(draw(st.integers(1, 5))):
            n += 1
            criteria.append({
                "id": f"C{n}", "title": f"C{n}", "weight": draw(st.sampled_from([0.5, 1, 2, 3])),
                "target": draw(st.integers(0, top)), "mandatory": draw(st.booleans()),
            })  # fmt: skip
        domains.append(
            {"id": f"D{d}", "title": f"D{d}", "weight": draw(st.sampled_from([1, 2, 3])), "criteria": criteria}
        )
    levels = [{"value": v, "label": str(v)} for v in range(top + 1)]
    return Standard.model_validate(
        {"id": "s", "version": "1", "title": "S", "scale": {"levels": levels}, "domains": domains}
    )


@st.composite
def standard_and_answers(draw):
    std = draw(standards())
    choices = st.one_of(st.none(), st.just("na"), st.integers(0, std.scale.top))
    answers = {}
    for _, c in std.criteria():
        level = draw(choices)
        if level is not None:
            answers[c.id] = level
    return std, answers


def all_scores(r):
    values = [r.overall] + r.domains["score"].tolist() + r.criteria["score"].tolist()
    return [v for v in values if v is not None and not math.isnan(v)]


@settings(max_examples=200, deadline=None)
@given(standard_and_answers())
def test_scores_are_fractions(case):
    std, answers = case
    r = score_one(std, answers)
    assert all(0 <= v <= 1 + 1e-12 for v in all_scores(r))
    assert 0 <= r.coverage <= 1


@settings(max_examples=200, deadline=None)
@given(standard_and_answers(), st.data())
def test_raising_one_answer_never_lowers_any_score(case, data):
    std, answers = case
    numeric = [cid for cid, lv in answers.items() if lv != "na" and lv < std.scale.top]
    assume(numeric)
    cid = data.draw(st.sampled_from(numeric))
    before = score_one(std, answers)
    after = score_one(std, {**answers, cid: answers[cid] + 1})
    assert (after.overall or 0) >= (before.overall or 0) - 1e-12
    b, a = before.domains["score"].fillna(-1), after.domains["score"].fillna(-1)
    assert (a >= b - 1e-12).all()


@settings(max_examples=200, deadline=None)
@given(standard_and_answers())
def test_closing_a_gap_raises_the_overall_score_by_exactly_its_impact(case):
    std, answers = case
    r = score_one(std, answers)
    for cid in r.actions:
        target = std.target_of(std.criterion(cid))
        impact = r.criteria.set_index("criterion").loc[cid, "impact"]
        closed = score_one(std, {**answers, cid: target})
        assert closed.overall - r.overall == pytest.approx(impact, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(standard_and_answers(), st.data())
def test_na_never_changes_another_criterions_score(case, data):
    std, answers = case
    optional = [c.id for _, c in std.criteria()]
    cid = data.draw(st.sampled_from(optional))
    before = score_one(std, answers).criteria.set_index("criterion")
    after = score_one(std, {**answers, cid: "na"}).criteria.set_index("criterion")
    others = before.index != cid
    assert before.loc[others, "score"].equals(after.loc[others, "score"])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_many_at_once_equals_one_at_a_time(data):
    std = data.draw(standards())
    choices = st.one_of(st.none(), st.just("na"), st.integers(0, std.scale.top))
    batch = {}
    for i in range(data.draw(st.integers(1, 6))):
        batch[f"org{i}"] = {c.id: lv for _, c in std.criteria() if (lv := data.draw(choices)) is not None}
    many = score(std, answers_frame(batch), list(batch))
    for i, answers in enumerate(batch.values()):
        one = score_one(std, answers)
        together = many.result(i)
        assert together.to_json() == one.to_json()
        assert np.array_equal(many.overall_frame().iloc[i][["coverage"]].to_numpy(dtype=float), [one.coverage])


def test_assessments_without_answers_are_scored_as_empty(mini):
    many = score(mini, answers_frame({"a": {"A1": 3}}), ["a", "empty"])
    frame = many.overall_frame().set_index("assessment")
    assert frame.loc["empty", "coverage"] == 0 and frame.loc["empty", "readiness"] == "incomplete"
