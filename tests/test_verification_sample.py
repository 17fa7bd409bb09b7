"""The verification sample: reproducible from its seed, every mandatory criterion in it, the right size, nothing
outside the standard; and the levels a score "based on verified levels" uses."""

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import score_one
from scoring.verification import draw_sample, new_seed, verified_levels
from tests.test_engine import standard_and_answers, standards

seeds = st.text(min_size=1, max_size=40)


@given(standards(), st.integers(0, 30), seeds)
def test_the_sample_is_reproducible_complete_and_of_the_right_size(std, n, seed):
    sample = draw_sample(std, n, seed)
    criteria = [c for _, c in std.criteria()]
    mandatory = [c.id for c in criteria if c.mandatory]
    others = len(criteria) - len(mandatory)
    assert sample == draw_sample(std, n, seed)
    assert set(mandatory) <= set(sample)
    assert len(sample) == len(mandatory) + min(n, others)
    order = [c.id for c in criteria]
    assert sample == [cid for cid in order if cid in sample]  # the standard's order, nothing outside it


@given(standards(), st.integers(0, 5), seeds)
def test_a_larger_sample_keeps_every_criterion_of_a_smaller_one(std, n, seed):
    assert set(draw_sample(std, n, seed)) <= set(draw_sample(std, n + 1, seed))


def test_the_draw_is_the_same_on_every_machine(mini):
    # Pinned values: a change of algorithm would redraw every stored sample differently.
    assert draw_sample(mini, 1, "gapura") == ["A1", "B2"]
    assert draw_sample(mini, 1, "x") == ["A1", "B1"]
    assert draw_sample(mini, 0, "x") == ["A1"]
    assert draw_sample(mini, 99, "x") == ["A1", "A2", "B1", "B2"]


def test_seeds_differ():
    assert len({new_seed() for _ in range(50)}) == 50


@given(standard_and_answers(), st.data())
def test_verified_levels_replace_only_the_checked_criteria(case, data):
    std, own = case
    checked = data.draw(st.lists(st.sampled_from([c.id for _, c in std.criteria()]), unique=True))
    verified = {cid: data.draw(st.one_of(st.none(), st.integers(0, std.scale.top))) for cid in checked}
    levels = verified_levels(own, verified)
    for cid in set(own) | set(verified):
        expected = verified.get(cid) if verified.get(cid) is not None else own.get(cid)
        assert levels.get(cid) == expected
    assert own == case[1]  # the company's levels are not touched
    score_one(std, levels)  # the engine scores them like any assessment


def test_a_lower_verified_level_lowers_the_score(mini):
    own = {"A1": 3, "A2": 3, "B1": 3, "B2": 3}
    assert score_one(mini, verified_levels(own, {"B1": 1})).overall < score_one(mini, own).overall
    assert score_one(mini, verified_levels(own, {"B1": None})).overall == score_one(mini, own).overall
