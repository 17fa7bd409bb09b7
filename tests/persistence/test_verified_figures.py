"""Verified figures on SQLite and PostgreSQL: only finished verifications count, verified-only shared gaps and
benchmarks score verified levels, their release and the release over everyone obey the differencing rule, and the
research package carries both levels and the self-report gap under the threshold."""

from __future__ import annotations

import pandas as pd
import pytest

from services.panels import Filters
from services.policy import cli_actor
from services.research import Selection
from store.db import utcnow
from store.verified import VerifiedLevels
from tests.persistence.test_disclosure_attacks import company, member_actor, researcher
from tests.verified_rows import latest_assessment, verify

# Every company claims the top level (4) everywhere: overall 1, every criterion met. The verifier found A1 (target 3,
# mandatory, weight 3 of domain A's 4) at level 1: verified, domain A = (3·¼ + 1·1)/4 = 7/16, overall
# (2·7/16 + 1)/3 = 5/8, and not ready (a mandatory criterion unmet).
CLAIMED = {"A1": 4, "A2": 4, "B1": 4, "B2": 4}
FOUND = {"A1": 1, "B2": 4}


def members(app, verified: int, total: int = 12) -> list[int]:
    """`total` companies in Jawa Barat claiming CLAIMED, all submitted; the first `verified` of them verified with
    FOUND."""
    orgs = [company(app, f"PT Jabar {i:02}", "Jawa Barat", answers=CLAIMED, submitted=utcnow()) for i in range(total)]
    for org in orgs[:verified]:
        verify(app, latest_assessment(app, org), FOUND)
    return orgs


def version(app) -> str:
    return app.standard("mini", None).version


def test_only_finished_verifications_and_decided_levels_are_read(gapura):
    first, second = members(gapura, 1, total=2)
    verify(gapura, latest_assessment(gapura, second), {"A1": 0}, status="replied")  # not finished yet
    levels = VerifiedLevels(gapura.store).levels("mini", version(gapura))
    assert sorted(zip(levels["criterion"], levels["level"], strict=True)) == [("A1", 1), ("B2", 4)]
    assert set(levels["assessment"]) == {latest_assessment(gapura, first)}


def test_verified_only_shared_gaps_score_verified_levels_of_verified_members_alone(gapura):
    members(gapura, 6)
    own = gapura.aggregates.shared_gaps(cli_actor(), "mini", version(gapura), Filters())
    verified = gapura.aggregates.shared_gaps(cli_actor(), "mini", version(gapura), Filters(), verified_only=True)
    assert own.n == 12 and verified.n == 6
    assert own.criteria.set_index("criterion").loc["A1", "share_unmet"] == 0
    assert verified.criteria.set_index("criterion").loc["A1", "share_unmet"] == 1  # level 1 < target 3
    panel = gapura._panels.require("mini", version(gapura), verified_only=True)
    assert panel.scores.overall.tolist() == [5 / 8] * 6 and set(panel.scores.readiness) == {"not-ready"}
    assert gapura._panels.require("mini", version(gapura)).scores.overall.tolist() == [1.0] * 12  # self levels kept


def test_a_verification_finished_later_reaches_the_cached_panel(gapura):
    orgs = members(gapura, 5)
    assert gapura.aggregates.shared_gaps(cli_actor(), "mini", version(gapura), Filters(), verified_only=True).n == 5
    verify(gapura, latest_assessment(gapura, orgs[5]), FOUND)  # touches no assessment's updated_at
    assert gapura.aggregates.shared_gaps(cli_actor(), "mini", version(gapura), Filters(), verified_only=True).n == 6


@pytest.mark.parametrize("verified_first", [False, True])
def test_verified_only_and_everyone_may_not_differ_by_fewer_than_five_members(gapura, verified_first):
    members(gapura, 10)  # 12 members, 10 verified: the two unverified could be told apart by subtraction
    someone = researcher(gapura, "peneliti@kementerian.test")
    asks = [lambda: gapura.aggregates.shared_gaps(someone, "mini", version(gapura), Filters()),
            lambda: gapura.aggregates.shared_gaps(someone, "mini", version(gapura), Filters(), verified_only=True)]  # fmt: skip
    if verified_first:
        asks.reverse()
    assert asks[0]().suppressed is None
    refused = asks[1]()
    assert refused.suppressed.code == "disclosure.differencing" and refused.criteria.empty and refused.n is None


def test_verified_only_is_released_when_it_differs_from_everyone_by_five_or_more(gapura):
    members(gapura, 6)  # 12 members, 6 verified, 6 not
    someone = researcher(gapura, "peneliti@kementerian.test")
    assert gapura.aggregates.shared_gaps(someone, "mini", version(gapura), Filters()).n == 12
    verified = gapura.aggregates.shared_gaps(someone, "mini", version(gapura), Filters(), verified_only=True)
    assert verified.suppressed is None and verified.n == 6
    parts, reason = gapura.aggregates.breakdown(someone, "mini", version(gapura), Filters(), verified_only=True)
    assert reason is None and parts.loc[parts["total"], "median"].item() == 5 / 8


def test_a_companys_verified_only_benchmark_places_its_verified_score_among_verified_peers(gapura):
    orgs = members(gapura, 7)
    company(gapura, "PT Jabar Jujur", "Jawa Barat", answers={"A1": 3, "A2": 4, "B1": 4, "B2": 4})
    own = gapura.store.find_organization("PT Jabar Jujur")
    verify(gapura, latest_assessment(gapura, own), {"A1": 3})
    actor = member_actor(gapura, "PT Jabar Jujur")
    everyone = gapura.aggregates.benchmark(actor, latest_assessment(gapura, own))
    assert everyone.overall.n == 13 and everyone.overall.percentile == 0  # 3/4 on A1 below 12 claiming 4
    verified = gapura.aggregates.benchmark(actor, latest_assessment(gapura, own), verified_only=True)
    assert verified.suppressed is None and verified.overall.n == 8  # itself and the 7 verified peers
    assert verified.overall.percentile == 100  # its A1 held at 3; theirs fell to 1
    assert len(orgs) == 12


def test_the_research_package_carries_both_levels_and_the_self_report_gap(gapura):
    members(gapura, 6)
    package = gapura.research.package(
        researcher(gapura, "peneliti@kementerian.test"), Selection("mini", version(gapura))
    )
    data = package.dataset
    assert data.wide["verified"].sum() == 6 and data.tidy["verified"].sum() == 6 * 4
    a1 = data.tidy[data.tidy["criterion"] == "A1"]
    assert sorted(a1["verified_level"].dropna().tolist()) == [1] * 6 and set(a1["level"]) == {4}
    gaps = data.self_report_gap.set_index("criterion")
    # A1: 4 − 1 = 3 levels over 6 members = ¾ of L; B2: 4 − 4 = 0; A2 and B1 were not in the sample.
    assert (gaps.loc["A1", "n"], gaps.loc["A1", "gap"], gaps.loc["A1", "gap_levels"]) == (6, 0.75, 3.0)
    assert (gaps.loc["A1", "share_over"], gaps.loc["A1", "share_under"]) == (1.0, 0.0)
    assert (gaps.loc["B2", "n"], gaps.loc["B2", "gap"]) == (6, 0.0) and gaps.loc["A2", "n"] == 0
    assert data.inflation_index == pytest.approx(0.375)  # (6·¾ + 6·0) / 12
    codebook = data.codebook.set_index(["table", "name"])
    assert codebook.loc[("self_report_gap", "gap"), "description_id"].startswith("Selisih laporan mandiri")


def test_a_self_report_gap_of_fewer_verified_members_than_the_threshold_is_suppressed(gapura):
    members(gapura, 3)
    package = gapura.research.package(
        researcher(gapura, "peneliti@kementerian.test"), Selection("mini", version(gapura))
    )
    gaps = package.dataset.self_report_gap.set_index("criterion")
    assert gaps.loc["A1", "suppressed"] and gaps.loc["A1", "n"] is pd.NA and gaps["gap"].isna().all()
    assert package.dataset.inflation_index is None
    assert package.dataset.wide["verified"].sum() == 3  # each row's flag is released like its own levels


def test_the_inflation_index_of_a_cohort_is_the_release_of_its_verified_members(gapura):
    members(gapura, 6)
    someone = researcher(gapura, "peneliti@kementerian.test")
    report = gapura.aggregates.self_report_gap(someone, "mini", version(gapura), Filters())
    gaps = report.gaps.set_index("criterion")
    assert report.n == 6 and report.index == pytest.approx(0.375)  # as the research package's, checked there
    assert (gaps.loc["A1", "n"], gaps.loc["A1", "gap"]) == (6, 0.75)
    # The same members as the verified-only shared gaps: one release, not a second one to difference against.
    assert gapura.aggregates.shared_gaps(someone, "mini", version(gapura), Filters(), verified_only=True).n == 6
    assert len(gapura.aggregates.released(cli_actor())) == 1


def test_no_inflation_index_from_fewer_verified_members_than_the_threshold(gapura):
    members(gapura, 4)
    report = gapura.aggregates.self_report_gap(cli_actor(), "mini", version(gapura), Filters())
    assert report.suppressed.code == "disclosure.too-few" and report.index is None and report.gaps.empty
