"""The benchmark is honest: its synthetic data reaches every verdict, and `identical` checks the action plan, the
domain targets and the blocking criteria too."""

import pytest

from scoring.engine import answers_frame, score
from tests.test_engine import HAND
from tests.test_engine_scale import SHIPPED
from tools.bench import AIMS, differences, plain_scores, random_answers, stored_frame

BENCHED = max(SHIPPED, key=lambda s: s.criteria_count)


@pytest.mark.parametrize("standard", SHIPPED, ids=lambda s: s.id)
def test_the_synthetic_data_spans_every_readiness_verdict(standard):
    batch = random_answers(standard, 50)
    verdicts = set(score(standard, answers_frame(batch), list(batch)).readiness)
    expected = set(AIMS) if any(c.mandatory for _, c in standard.criteria()) else set(AIMS) - {"not-ready"}
    assert verdicts == expected, standard.id


def test_the_loop_and_the_engine_agree_on_plans_targets_and_blocking_from_dicts_and_from_the_store():
    batch = random_answers(BENCHED, 60, seed=3)
    plain = plain_scores(BENCHED, batch)
    assert differences(plain, score(BENCHED, answers_frame(batch), list(batch))) == []
    frame, ids, key_of = stored_frame(BENCHED, batch)
    assert differences({i: plain[key_of[i]] for i in ids}, score(BENCHED, frame, ids)) == []
    assert any(len(p["actions"]) > 3 and p["blocking"] for p in plain.values())


def test_differences_name_a_wrong_action_order_target_or_blocking_list(mini):
    engine = score(mini, answers_frame({"x": HAND}), ["x"])
    for change, field in [
        (lambda p: p["actions"].reverse(), "actions"),
        (lambda p: p["domains"]["A"].update(target=0.5), "A.target"),
        (lambda p: p["blocking"].clear(), "blocking"),
    ]:
        plain = plain_scores(mini, {"x": HAND})
        assert len(plain["x"]["actions"]) > 1 and plain["x"]["blocking"]
        change(plain["x"])
        assert [line.split(":")[0] for line in differences(plain, engine)] == [f"x {field}"]


def test_the_report_bench_builds_a_60_criterion_report_with_every_section_and_gives_its_figures():
    from tools.bench import bench_report, report_figures

    report = bench_report()
    assert report.standard.criteria_count == 60 and len(report.steps) > 20
    assert report.peers is not None and len(report.rounds) == 2 and report.tracking and report.documents
    # Shape only (a test never times): charts given as "not drawn", so no browser is started here.
    figures = report_figures(repeat=1, draw=lambda fig, width, height: None)
    assert figures["criteria"] == 60 and figures["charts_drawn"] == 0 and figures["pdf_bytes"] > 0
    assert {"first_s", "pdf_s", "pdf_without_charts_s", "xlsx_s", "pdf_over_without_charts", "pdf_over_xlsx"} <= set(
        figures
    )


def test_the_ministry_bench_makes_the_report_over_demo_members_and_gives_its_figures():
    from tools.bench import ministry_figures

    # Shape only (a test never times): 40 members, charts given as "not drawn", so no browser is started here.
    figures = ministry_figures(organizations=40, repeat=1, draw=lambda fig, width, height: None)
    assert figures["organizations"] == 40 and 5 <= figures["benchmark_set"] <= 40 and figures["pdf_bytes"] > 0
    assert {"gather_cold_s", "gather_s", "first_s", "pdf_s", "pdf_without_charts_s", "xlsx_s"} <= set(figures)


def test_the_peak_memory_of_an_export_is_its_own_not_the_benchmark_process(tmp_path):
    from tools.exports_bench import _prepare, peak_memory_mb

    standard_id, version = _prepare(tmp_path / "demo.db", organizations=30)
    ballast = bytearray(1024**3)  # the benchmark's own gigabyte: ru_maxrss after fork and exec would count it
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched, so resident
    peak = peak_memory_mb(tmp_path / "demo.db", standard_id, version, "xlsx", tmp_path / "package.xlsx")
    assert 50 < peak < 700 and (tmp_path / "package.xlsx").stat().st_size > 0


def test_the_ui_bench_answers_a_criterion_of_the_largest_domain_through_apptest(monkeypatch):
    from tools.ui_bench import apptest

    monkeypatch.setenv("DATABASE_URL", "sqlite://")  # apptest() sets its own file database; restored afterwards
    trivial, page = apptest(2)  # it found the card's radio by a key the page had stopped drawing
    assert trivial > 0 and page > 0
