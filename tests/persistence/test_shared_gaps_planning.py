"""Shared gaps say how many members plan work on each gap (services/aggregates.py), on SQLite and PostgreSQL: counted
over the members the gate cleared, only those who miss the criterion and have an open step on it, and shown only
from the privacy threshold up (under it: None, "fewer than 5" on the page)."""

from __future__ import annotations

from services.panels import Filters
from services.policy import cli_actor
from tests.persistence.test_disclosure_attacks import company, researcher

MISSING = {"A1": 1, "A2": 1, "B1": 1, "B2": 1}  # every criterion below its target
MEETING = {"A1": 4, "A2": 4, "B1": 4, "B2": 4}


def plan_step(app, organization_id: int, criterion_id: str, **fields) -> None:
    """The company's own step, written through the plan service (the command line's rights stand in for a member)."""
    (summary,) = app.assessing.list(cli_actor(), organization_id)
    work = app.assessing.open(cli_actor(), organization_id, summary.id)
    app.plans.track(cli_actor(), work, criterion_id, **fields)


def planning(gaps) -> dict[str, int | None]:
    return dict(zip(gaps.criteria["criterion"], gaps.criteria["planning"], strict=True))


def test_members_planning_work_are_counted_from_the_threshold_up(gapura):
    missing = [company(gapura, f"PT Kurang {i}", "Jawa Barat", answers=MISSING) for i in range(8)]
    meeting = [company(gapura, f"PT Cukup {i}", "Jawa Barat", answers=MEETING) for i in range(4)]
    for org in missing[:6]:
        plan_step(gapura, org, "A1", owner="Budi")  # six plan the gap they have
    for org in missing[:3]:
        plan_step(gapura, org, "B1", status="doing")  # three: fewer than five
    for org in missing[:5]:
        plan_step(gapura, org, "A2", status="done")  # done: no longer planned work
    for org in meeting:
        plan_step(gapura, org, "B2", owner="Sari")  # met already: not planning work on a gap
    plan_step(gapura, missing[0], "B2", owner="Sari")

    version = gapura.standard("mini", None).version
    gaps = gapura.aggregates.shared_gaps(researcher(gapura, "peneliti@kementerian.test"), "mini", version, Filters())
    assert gaps.suppressed is None and gaps.n == 12
    assert planning(gaps) == {"A1": 6, "B1": None, "A2": 0, "B2": None}


def test_the_count_is_made_over_the_cohort_chosen(gapura):
    java = [company(gapura, f"PT Jawa {i}", "Jawa Barat", answers=MISSING) for i in range(6)]
    sumatra = [company(gapura, f"PT Sumatera {i}", "Sumatera Utara", answers=MISSING) for i in range(5)]
    for org in java + sumatra[:2]:
        plan_step(gapura, org, "A1", owner="Budi")
    version = gapura.standard("mini", None).version
    everyone = gapura.aggregates.shared_gaps(cli_actor(), "mini", version, Filters())
    assert planning(everyone)["A1"] == 8
    sumatra_only = gapura.aggregates.shared_gaps(cli_actor(), "mini", version, Filters(island_group="sumatera"))
    assert sumatra_only.n == 5 and planning(sumatra_only)["A1"] is None  # two in the cohort: fewer than five
