"""The demo generator (scoring/demo.py): a realistic spread, the weaknesses members share, rounds that mostly
improve, and the same set for the same seed."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from scoring.demo import PROVINCE_SHARES, SHARED_WEAKNESSES, generate
from scoring.engine import score
from scoring.library import load_library
from scoring.profile import ISLAND_GROUP_LABELS, ISLAND_GROUPS, PROVINCES, SEGMENTS, SIZE_BANDS
from tests.conftest import ROOT

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LIBRARY = load_library(ROOT / "standards")


@pytest.fixture(scope="module")
def demo():
    return generate(LIBRARY.standards, 500, 1, now=NOW)


def test_every_province_has_an_island_group_with_labels_in_both_languages():
    assert list(ISLAND_GROUPS) == PROVINCES
    assert set(ISLAND_GROUPS.values()) == set(ISLAND_GROUP_LABELS)
    assert all(set(label) == {"en", "id"} for label in ISLAND_GROUP_LABELS.values())
    assert set(PROVINCE_SHARES) <= set(PROVINCES)


def test_companies_spread_over_provinces_sizes_and_segments_as_members_do(demo):
    orgs = demo.organizations
    groups = Counter(ISLAND_GROUPS[o.region] for o in orgs)
    assert 0.55 <= groups["jawa"] / 500 <= 0.60
    assert 0.10 <= Counter(o.region for o in orgs)["Bali"] / 500 <= 0.14
    assert 0.13 <= groups["sumatera"] / 500 <= 0.17
    assert len(groups) == 7  # the rest spread, every island group present
    sizes = Counter(o.size for o in orgs)
    assert set(sizes) <= set(SIZE_BANDS) and (sizes["1-4"] + sizes["5-10"] + sizes["11-50"]) / 500 >= 0.8
    assert all(1 <= len(o.segments) <= 3 and set(o.segments) <= set(SEGMENTS) for o in orgs)
    names = [o.name for o in orgs]
    assert len(set(names)) == 500 and all(n.split()[0] in ("PT", "CV") and n.split()[1] == "Demo" for n in names)


def test_most_answer_licensing_and_safety_fewer_the_others_and_only_exhibitors_the_exhibition_standard(demo):
    taken = Counter(a.standard_id for o in demo.organizations for a in o.assessments if a.round == 1)
    assert taken["id-licensing"] > 0.7 * 500 and taken["event-safety"] > 0.6 * 500
    assert all(taken[s] < 0.4 * 500 for s in ("quality-client", "iso-20121", "eic-sustainable-events"))
    assert "association-readiness" not in taken
    for o in demo.organizations:
        if any(a.standard_id == "exhibition-data" for a in o.assessments):
            assert "exhibition" in o.segments
    assert demo.association is not None and demo.association.standard_id == "association-readiness"
    assert demo.association.status == "submitted" and len(demo.association.answers) == 51


def _scores(standard_id, assessments):
    standard = LIBRARY.get(standard_id)
    rows = [(k, cid, a.level) for k, one in enumerate(assessments) for cid, a in one.answers.items()]
    return standard, score(standard, pd.DataFrame(rows, columns=["assessment", "criterion", "level"]),
                           list(range(len(assessments))))  # fmt: skip


@pytest.mark.parametrize("standard_id", ["id-licensing", "event-safety"])
def test_the_shared_weaknesses_are_unmet_clearly_more_often_than_the_rest(demo, standard_id):
    done = [a for o in demo.organizations for a in o.assessments if a.standard_id == standard_id and a.round == 1]
    standard, scores = _scores(standard_id, done)
    unmet = (scores.scored & ~scores.met).sum(axis=0) / np.maximum(scores.scored.sum(axis=0), 1)
    weak = np.array([bool(set(c.capabilities) & SHARED_WEAKNESSES) for _, c in standard.criteria()])
    assert weak.any()
    assert unmet[weak].mean() > unmet.mean() + 0.2
    assert unmet[weak].mean() > 0.7  # most members


def test_larger_companies_score_higher(demo):
    done = [(o.size, a) for o in demo.organizations for a in o.assessments
            if a.standard_id == "id-licensing" and a.round == 1 and a.status == "submitted"]  # fmt: skip
    _, scores = _scores("id-licensing", [a for _, a in done])
    by_size = pd.Series(scores.overall).groupby([size for size, _ in done]).mean()
    assert by_size["1-4"] < by_size["11-50"] < by_size["101+"]


def test_some_incomplete_some_na_with_a_reason_and_dates_in_the_last_year(demo):
    assessments = [a for o in demo.organizations for a in o.assessments]
    drafts = [a for a in assessments if a.status == "draft"]
    assert 0.10 <= len(drafts) / len(assessments) <= 0.20
    for a in drafts:
        assert a.submitted_at is None and len(a.answers) < LIBRARY.get(a.standard_id).criteria_count
    for a in assessments:
        standard = LIBRARY.get(a.standard_id)
        if a.status == "submitted":
            assert a.submitted_at == a.updated_at and len(a.answers) == standard.criteria_count
        assert NOW - timedelta(days=366) <= a.created_at <= a.updated_at < NOW
        for cid, answer in a.answers.items():
            assert answer.given and answer.origin is None
            if answer.is_na:
                assert answer.justification and not standard.criterion(cid).mandatory
    na = [x.is_na for a in assessments for x in a.answers.values()]
    assert 0.02 <= np.mean(na) <= 0.08


def test_about_a_third_take_a_second_round_later_and_most_of_them_improve(demo):
    twice = [o for o in demo.organizations if any(a.round == 2 for a in o.assessments)]
    assert 0.25 <= len(twice) / 500 <= 0.35
    changes = []
    for o in twice:
        second = next(a for a in o.assessments if a.round == 2)
        first = next(a for a in o.assessments if a.round == 1 and a.standard_id == second.standard_id)
        assert second.standard_id in ("id-licensing", "event-safety")
        assert first.status in ("submitted", "verified") and first.submitted_at < second.created_at
        if second.status in ("submitted", "verified"):
            _, scores = _scores(second.standard_id, [first, second])
            changes.append(np.sign(round(scores.overall[1] - scores.overall[0], 9)))
    counted = Counter(changes)
    assert counted[1] > 0.6 * len(changes) and counted[0] and counted[-1]  # mostly better, some same, a few worse


def test_the_same_seed_gives_the_same_set_and_another_seed_another():
    again = generate(LIBRARY.standards, 50, 7, now=NOW)
    assert again == generate(LIBRARY.standards, 50, 7, now=NOW)
    assert again != generate(LIBRARY.standards, 50, 8, now=NOW)


def test_a_fifth_of_submitted_assessments_are_verified_and_their_claims_mostly_run_high(demo):
    submitted = [a for o in demo.organizations for a in o.assessments if a.status in ("submitted", "verified")]
    verified = [a for a in submitted if a.verified]
    assert all(a.status == "verified" for a in verified)  # final, as the Verify page leaves a verified one
    assert 0.15 <= len(verified) / len(submitted) <= 0.25
    assert not [a for o in demo.organizations for a in o.assessments if a.verified and a.status != "verified"]
    assert all(len(a.verified) == 5 and not any(a.answers[c].is_na for c in a.verified) for a in verified)
    differences = np.array([a.answers[c].level - level for a in verified for c, level in a.verified.items()])
    assert 0.2 <= differences.mean() <= 0.35  # a third of a level over-reported on average
    assert (differences > 0).mean() > 3 * (differences < 0).mean()
