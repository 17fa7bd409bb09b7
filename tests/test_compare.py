"""Benchmarks, cohorts, the research agenda and disclosure control on small datasets checked by hand."""

import numpy as np
import pandas as pd
import pytest

from scoring.compare import (
    Cohort,
    Part,
    agenda,
    benchmark_set,
    capability_agenda,
    level_distribution,
    neighbouring,
    percentile,
    position,
    quartiles,
    widen,
)
from scoring.disclosure import pseudonym, suppress_parts, too_few
from scoring.engine import answers_frame, score
from scoring.model import Standard

# Six members of tests/data/standards/mini.json (scale 0–4; A weight 2: A1 w3 t3 mandatory, A2 w1 t4;
# B weight 1: B1 w2 t3, B2 w1 t2). S_A = (3·a1 + a2)/16, S_B = (2·b1 + b2)/12, S = (2·S_A + S_B)/3.
MEMBERS = {
    "m1": {"A1": 4, "A2": 4, "B1": 4, "B2": 4},  # S = 1
    "m2": {"A1": 0, "A2": 0, "B1": 0, "B2": 0},  # S = 0
    "m3": {"A1": 2, "A2": 4, "B1": "na", "B2": 1},  # S = 0.5 (the engine's hand example)
    "m4": {"A1": 4, "A2": 4, "B1": 0, "B2": 0},  # S_A = 1, S_B = 0: S = 2/3
    "m5": {"A1": 0, "A2": 0, "B1": 4, "B2": 4},  # S_A = 0, S_B = 1: S = 1/3
    "m6": {"A1": 2, "A2": 4, "B1": "na", "B2": 1},  # S = 0.5, a tie with m3
}


@pytest.fixture
def scores(mini):
    return score(mini, answers_frame(MEMBERS), list(MEMBERS))


def test_the_six_overall_scores(scores):
    assert scores.overall == pytest.approx([1, 0, 0.5, 2 / 3, 1 / 3, 0.5])


def test_percentile_counts_lower_others_and_ties_half(scores):
    overall = scores.overall
    # m3 = 0.5 against [1, 0, 2/3, 1/3, 0.5]: lower 0 and 1/3, one tie -> (2 + 0.5) / 5
    assert percentile(overall[2], np.delete(overall, 2)) == pytest.approx(50.0)
    # m4 = 2/3: lower 0, 0.5, 1/3, 0.5 -> 4 / 5
    assert percentile(overall[3], np.delete(overall, 3)) == pytest.approx(80.0)
    assert percentile(overall[0], np.delete(overall, 0)) == pytest.approx(100.0)
    assert percentile(overall[1], np.delete(overall, 1)) == pytest.approx(0.0)


def test_quartiles_interpolate_linearly(scores):
    # sorted [0, 1/3, 0.5, 0.5, 2/3, 1]: q1 at position 1.25 = 1/3 + 0.25·(1/6), median 0.5, q3 at 3.75 = 0.5 + 0.75·(1/6)
    assert quartiles(scores.overall) == pytest.approx((0.375, 0.5, 0.625))


def test_a_position_counts_the_member_and_needs_the_threshold(scores):
    overall = scores.overall
    p = position(overall[3], np.delete(overall, 3), threshold=5)
    assert (p.n, p.percentile, p.q1, p.median, p.q3, p.suppressed) == (6, pytest.approx(80.0), pytest.approx(0.375),
                                                                        0.5, pytest.approx(0.625), None)  # fmt: skip
    small = position(overall[3], overall[:3], threshold=5)  # the member and 3 others: 4 < 5
    assert small.n == 4 and small.percentile is None and small.median is None
    assert small.suppressed.code == "disclosure.too-few"
    assert "4" not in small.suppressed.message("en") and "kurang dari 5 perusahaan" in small.suppressed.message("id")
    assert position(overall[3], overall[:4], threshold=5).suppressed is None  # exactly 5 is enough


def test_a_domain_without_a_score_is_left_out_of_its_cohort(scores):
    b = scores.domain_score[:, 1]  # S_B: m3 and m6 have B1 N/A but B2 scored, so every member has one here
    assert b == pytest.approx([1, 0, 0.25, 0, 1, 0.25])
    with_gaps = np.array([1.0, np.nan, 0.25, 0.0, np.nan, 0.25])
    p = position(0.25, np.delete(with_gaps, 2), threshold=3)
    assert p.n == 4 and p.percentile == pytest.approx(100 * (1 + 0.5) / 3)


def test_the_research_agenda_by_hand(scores):
    # impacts: A1 = (2/3)(3/4)·gap: m2, m5 gap 3/4 -> 0.375; m3, m6 gap 1/4 -> 0.125; mean over 6 = 1/6
    # A2 = (2/3)(1/4)·1 for m2, m5 -> 1/6 each; mean 1/18. B1 scored for 4 (m3, m6 N/A): (1/3)(2/3)(3/4) for m2, m4
    # -> mean (2/6)/4 = 1/12. B2: m2, m4 (1/3)(1/3)(1/2) = 1/18; m3, m6 (1/3)(1/1)(1/4) = 1/12; mean 0.27778/6.
    frame = agenda(scores).set_index("criterion")
    assert list(frame.index) == ["A1", "B1", "A2", "B2"]
    assert frame.loc["A1", "agenda"] == pytest.approx(1 / 6)
    assert frame.loc["B1", "agenda"] == pytest.approx(1 / 12)
    assert frame.loc["A2", "agenda"] == pytest.approx(1 / 18)
    assert frame.loc["B2", "agenda"] == pytest.approx((2 / 18 + 2 / 12) / 6)
    assert frame["share_unmet"].to_dict() == pytest.approx({"A1": 4 / 6, "B1": 2 / 4, "A2": 2 / 6, "B2": 4 / 6})
    assert frame["count"].to_dict() == {"A1": 6, "B1": 4, "A2": 6, "B2": 6}
    # A cohort of rows: m1, m3, m4 only. A1: m3 0.125 / 3; B1 scored for m1, m4: m4 1/6 / 2.
    some = agenda(scores, np.array([0, 2, 3])).set_index("criterion")
    assert some.loc["A1", "agenda"] == pytest.approx(0.125 / 3)
    assert some.loc["B1", "agenda"] == pytest.approx(1 / 12) and some.loc["B1", "count"] == 2


def test_agenda_ties_go_to_the_share_unmet_then_the_standards_order(mini):
    tied = {"x": {"A1": 3, "A2": 4, "B1": 3, "B2": 2}, "y": {"A1": 3, "A2": 4, "B1": 3, "B2": 2}}
    frame = agenda(score(mini, answers_frame(tied), list(tied)))
    assert list(frame["criterion"]) == ["A1", "A2", "B1", "B2"] and (frame["agenda"] == 0).all()


def test_capabilities_across_standards_by_hand(mini):
    data = mini.model_dump(mode="json", by_alias=True, exclude_none=True)
    caps = {"A1": ["risk-assessment"], "A2": ["permit-management"], "B2": ["risk-assessment"]}
    for domain in data["domains"]:
        for criterion in domain["criteria"]:
            criterion["capabilities"] = caps.get(criterion["id"], [])
    standard = Standard.model_validate(data)
    s = score(standard, answers_frame(MEMBERS), list(MEMBERS))
    frame = capability_agenda([Part(standard, s, list(MEMBERS))]).set_index("capability")
    # risk-assessment (A1, B2): everyone but m1 misses one of them; agenda 1/6 + 0.046296
    assert frame.loc["risk-assessment", "share_affected"] == pytest.approx(5 / 6)
    assert frame.loc["risk-assessment", "agenda"] == pytest.approx(1 / 6 + (2 / 18 + 2 / 12) / 6)
    assert frame.loc["permit-management", "share_affected"] == pytest.approx(2 / 6)
    assert frame.loc["permit-management", "count"] == 6
    # The same organizations in a second standard count once: m2 answered both, m1 only the first.
    second = Part(standard, s, ["m7", "m2", "m8", "m9", "m10", "m11"], rows=np.array([1]))
    both = capability_agenda([Part(standard, s, list(MEMBERS)), second]).set_index("capability")
    assert both.loc["risk-assessment", "count"] == 6 and both.loc["risk-assessment", "affected"] == 5


def test_level_distribution_counts_each_level_and_na(scores):
    frame = level_distribution(scores).set_index("criterion")
    assert frame.loc["B1"].to_dict() == {"0": 2, "1": 0, "2": 0, "3": 0, "4": 2, "na": 2}
    assert frame.loc["A1"].to_dict() == {"0": 2, "1": 0, "2": 2, "3": 0, "4": 2, "na": 0}


def test_the_benchmark_set_is_each_organizations_latest_complete_assessment():
    assessments = pd.DataFrame(
        [(1, "x", 1, 1.0), (2, "x", 2, 0.5), (3, "y", 1, 1.0), (4, "y", 2, 1.0), (5, "z", 1, 0.9)],
        columns=["assessment", "organization", "round", "coverage"],
    )
    assert benchmark_set(assessments) == [1, 4]


PEERS = pd.DataFrame(
    [("Jawa Barat", "jawa", "11-50", ["concert-festival"])] * 2
    + [("Banten", "jawa", "11-50", ["concert-festival", "sport"])] * 2
    + [("Bali", "bali-nusa-tenggara", "11-50", ["concert-festival"])]
    + [("Bali", "bali-nusa-tenggara", "51-100", ["mice-meeting"])] * 3
    + [("Sumatera Utara", "sumatera", "1-4", ["mice-meeting"])] * 4,
    columns=["province", "island_group", "size_band", "segments"],
)


def test_a_cohort_widens_place_then_segment_then_size_until_it_is_large_enough():
    rungs, chosen = widen(PEERS, "Jawa Barat", "11-50", ["concert-festival"], threshold=5)
    assert [r.n for r in rungs] == [2, 4, 5, 5, 8, 12]
    assert chosen.cohort == Cohort(segments=("concert-festival",), size_bands=("11-50",)) and chosen.n == 5
    assert chosen.cohort.describe("en") == "EO companies across Indonesia; Concerts & festivals; 11-50 staff"
    assert rungs[1].cohort.describe("id") == "EO di Jawa; segmen Konser & festival; 11-50 karyawan"
    _, six = widen(PEERS, "Jawa Barat", "11-50", ["concert-festival"], threshold=6)
    assert six.cohort == Cohort(size_bands=("5-10", "11-50", "51-100")) and six.n == 8
    _, none = widen(PEERS, "Jawa Barat", "11-50", ["concert-festival"], threshold=13)
    assert none is None
    assert neighbouring("1-4") == ("1-4", "5-10") and neighbouring("101+") == ("51-100", "101+")


def test_a_profile_with_no_province_or_size_skips_the_repeated_rungs():
    rungs, chosen = widen(PEERS, None, None, [], threshold=5)
    assert [r.cohort for r in rungs] == [Cohort()] and chosen.n == 12


def test_the_threshold():
    assert too_few(4, 5).code == "disclosure.too-few" and too_few(5, 5) is None and too_few(2, 3) is not None


def test_secondary_suppression_covers_a_lone_suppressed_part():
    counts = {"Jawa": 20, "Bali": 3, "Sumatera": 6, "Kalimantan": 0, "Sulawesi": 7}
    reasons = suppress_parts(counts, threshold=5)
    assert {part: r.code for part, r in reasons.items()} == {
        "Bali": "disclosure.too-few", "Sumatera": "disclosure.secondary"}  # fmt: skip
    # Jawa 20 = total 36 - 6 - 7 - 3: with Bali and Sumatera both hidden, only their sum (9) can be recovered.
    two = suppress_parts({"Jawa": 20, "Bali": 3, "Papua": 2, "Sumatera": 6}, threshold=5)
    assert set(two) == {"Bali", "Papua"}
    assert suppress_parts({"Jawa": 20, "Bali": 3}, threshold=5, total_shown=False).keys() == {"Bali"}
    assert suppress_parts({"Jawa": 20, "Sumatera": 9}, threshold=5) == {}


def test_pseudonyms_are_stable_keyed_and_say_nothing():
    one = pseudonym("secret", "organization", 42)
    assert one == pseudonym("secret", "organization", 42) and one.startswith("O") and len(one) == 17
    assert one != pseudonym("other", "organization", 42) and one != pseudonym("secret", "organization", 43)
    assert "42" not in one[1:] or one != "O42"
