"""The association's figures from a real database (SQLite and PostgreSQL), on the six members of tests/test_compare.py
checked by hand: the agenda command, benchmarks with widening cohorts, progress between rounds, and one engine."""

from __future__ import annotations

import pandas as pd
import pytest

from scoring.disclosure import pseudonym
from scoring.engine import score_one
from scoring.model import Answer
from services.panels import Filters
from services.policy import cli_actor
from tests.test_compare import MEMBERS

# Where each of the six is and what it does; m5 and m6 are elsewhere, so the cohorts widen.
PROFILES = {
    "m1": ("Jawa Barat", "11-50", ["concert-festival"]),
    "m2": ("Jawa Barat", "11-50", ["concert-festival"]),
    "m3": ("Jawa Barat", "11-50", ["concert-festival", "sport"]),
    "m4": ("Banten", "11-50", ["concert-festival"]),
    "m5": ("Bali", "51-100", ["mice-meeting"]),
    "m6": ("Sumatera Utara", "1-4", ["wedding-social"]),
}


def answer(level) -> Answer:
    return Answer(level="na", justification="tidak relevan") if level == "na" else Answer(level=level)


def stored(gapura, name: str, answers: dict, round_: int = 1, version: str | None = None) -> int:
    province, size, segments = PROFILES[name]
    org = gapura.store.ensure_organization({"name": f"PT {name}", "region": province, "size": size,
                                            "segments": segments})  # fmt: skip
    work = gapura.store.workspace(org)
    mini = gapura.standard("mini", version)
    gapura.standards.remember(mini)
    if round_ == 1:
        return work.start("mini", mini.version, answers={c: answer(v) for c, v in answers.items()})
    previous = work.rounds("mini")[-1].summary.id
    new = work.next_round(previous, mini.version, carry=[])
    for c, v in answers.items():
        work.save_answer(new, c, answer(v))
    return new


@pytest.fixture
def six(gapura):
    ids = {name: stored(gapura, name, answers) for name, answers in MEMBERS.items()}
    # m2 also has an incomplete second round: it stays out of the benchmark set, which keeps its first.
    stored(gapura, "m2", {"A1": 4}, round_=2)
    return ids


def test_agenda_json_gives_the_figures_of_scoring_md(gapura, six):
    out = gapura.association.agenda_json(cli_actor(), "mini", None, Filters(), with_names=True)
    assert out["standard"] == {"id": "mini", "version": gapura.standard("mini", None).version}
    assert (out["members"], out["benchmark_set"], out["threshold"]) == (6, 6, 5)
    assert out["percentile_overall"] == pytest.approx({
        "PT m1": 100.0, "PT m2": 0.0, "PT m3": 50.0, "PT m4": 80.0, "PT m5": 20.0, "PT m6": 50.0})  # fmt: skip
    # Without --with-names (the file that reaches the ministry) the keys are the research files' pseudonyms.
    anonymous = gapura.association.agenda_json(cli_actor(), "mini", None, Filters())
    secret = gapura._pseudonym_secret()
    expected = {pseudonym(secret, "organization", gapura.store.find_organization(name)): value
                for name, value in out["percentile_overall"].items()}  # fmt: skip
    assert anonymous["percentile_overall"] == pytest.approx(expected)
    assert not any("PT" in key for key in anonymous["percentile_overall"])
    assert [row["id"] for row in out["agenda"]] == ["A1", "B1", "A2", "B2"]
    first = out["agenda"][0]
    assert first == {"id": "A1", "agenda": pytest.approx(1 / 6), "share_unmet": pytest.approx(4 / 6), "count": 6}
    assert out["agenda"][1]["count"] == 4  # B1 is N/A for m3 and m6
    assert out["capabilities"] == []  # mini's criteria carry no capability


def test_a_cohort_below_the_threshold_prints_counts_and_suppressed(gapura, six):
    out = gapura.association.agenda_json(cli_actor(), "mini", None, Filters(province="Jawa Barat"))
    assert out == {"standard": out["standard"], "members": 3, "benchmark_set": 3, "threshold": 5, "suppressed": True}


def test_a_members_benchmark_widens_until_five_and_names_the_cohort(gapura, six):
    bench = gapura.aggregates.benchmark(cli_actor(), six["m4"])
    # Banten, 11-50, concerts: itself 1 -> Java (m1–m3 + itself) 4 -> national concerts 11-50: still 4 ->
    # national 11-50: 4 -> neighbouring bands (5-10, 11-50, 51-100): + m5 = 5.
    assert [r.n for r in bench.rungs] == [1, 4, 4, 4, 5, 6]
    assert bench.cohort.n == 5 and bench.cohort.cohort.size_bands == ("5-10", "11-50", "51-100")
    # m4 = 2/3 against m1 1, m2 0, m3 0.5, m5 1/3: lower 3 of 4
    assert bench.overall.percentile == pytest.approx(75.0) and bench.overall.n == 5
    assert bench.overall.median == pytest.approx(0.5)
    # A narrower cohort that is too small cannot be chosen: the widened one stays.
    assert gapura.aggregates.benchmark(cli_actor(), six["m4"], choice=1).cohort.n == 5
    assert gapura.aggregates.benchmark(cli_actor(), six["m4"], choice=5).cohort.n == 6


def test_an_incomplete_assessment_gets_no_benchmark(gapura, six):
    draft = gapura.store.workspace(gapura.store.find_organization("PT m2")).rounds("mini")[-1].summary.id
    assert gapura.aggregates.benchmark(cli_actor(), draft).suppressed.code == "benchmark.incomplete"


def test_the_compare_score_is_the_results_score(gapura, six):
    panel, rows = gapura.association.compare(cli_actor(), "mini", gapura.standard("mini", None).version, Filters())
    mini = gapura.standard("mini", None)
    for i in rows:
        aid = int(panel.frame["assessment"].iloc[i])
        name = panel.frame["organization"].iloc[i]
        own = score_one(mini, MEMBERS[name.removeprefix("PT ")])
        assert panel.scores.overall[i] == own.overall  # identical, not approximately: one engine
        assert aid == six[name.removeprefix("PT ")]


def test_progress_counts_only_members_with_two_complete_rounds(gapura, six):
    version = gapura.standard("mini", None).version
    stored(gapura, "m3", {"A1": 4, "A2": 4, "B1": "na", "B2": 2}, round_=2)  # m3 improves
    stored(gapura, "m1", {"A1": 3, "A2": 4, "B1": 4, "B2": 4}, round_=2)  # m1 declines
    frame = gapura.association.progress(cli_actor(), "mini", Filters())
    by = frame.set_index("organization")
    # m2's second round is a draft (1 of 4 answered): an unfinished round is not progress, nor a decline.
    assert set(by.index) == {"PT m1", "PT m3"}
    assert by.loc["PT m3", "direction"] == "improved" and by.loc["PT m1", "direction"] == "declined"
    # m3: S_A = (12 + 4)/16 = 1, S_B = 2/4·... B2 = 2 -> 0.5: S = (2 + 0.5)/3 = 5/6, from 0.5
    assert by.loc["PT m3", "change"] == pytest.approx(5 / 6 - 0.5)
    assert by.loc["PT m3", "from_version"] == by.loc["PT m3", "to_version"] == version
    assert by.loc["PT m3", "domain_change"]["A"] == pytest.approx(1 - 0.625)


def test_members_lists_every_assessment_with_its_status(gapura, six):
    frame = gapura.association.members(cli_actor())
    assert len(frame) == 7
    m2 = frame[frame["organization"] == "PT m2"].sort_values("round")
    assert list(m2["progress"]) == ["in-progress", "in-progress"] and list(m2["coverage"]) == [1.0, 0.25]


def test_the_agenda_command_prints_the_json_of_scoring_md(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from services.app import Gapura
    from services.settings import Settings
    from tests.conftest import MINI, ROOT

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    app = Gapura(Settings(database_url=url, standards_dir=MINI.parent))
    for name, answers in MEMBERS.items():
        stored(app, name, answers)
    app.close()
    env = os.environ | {"DATABASE_URL": url, "GAPURA_STANDARDS_DIR": str(MINI.parent)}

    def agenda(*args):
        return subprocess.run([sys.executable, "-m", "gapura", "agenda", "--standard", "mini", *args, "--format",
                               "json"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # fmt: skip

    out = agenda()
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout)
    assert set(figures) == {"standard", "members", "benchmark_set", "threshold", "percentile_overall", "agenda",
                            "capabilities"}  # fmt: skip
    assert not any(key.startswith("PT") for key in figures["percentile_overall"])  # pseudonymous by default
    assert sorted(figures["percentile_overall"].values()) == pytest.approx([0, 20, 50, 50, 80, 100])
    named = json.loads(agenda("--with-names").stdout)
    assert named["percentile_overall"]["PT m4"] == pytest.approx(80.0)
    assert figures["agenda"][0] == {"id": "A1", "agenda": pytest.approx(1 / 6), "share_unmet": pytest.approx(4 / 6),
                                    "count": 6}  # fmt: skip
    small = json.loads(agenda("--province", "Jawa Barat").stdout)
    assert small["suppressed"] is True and small["members"] == 3 and "agenda" not in small
    missing = subprocess.run([sys.executable, "-m", "gapura", "agenda", "--standard", "nope"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)  # fmt: skip
    assert missing.returncode == 2 and "nope" in missing.stderr


def test_a_benchmark_takes_the_companys_own_score_now_and_its_peers_from_a_recent_panel(gapura, six):
    before = gapura.aggregates.benchmark(cli_actor(), six["m4"])
    assert before.overall.value == pytest.approx(2 / 3)
    org = gapura.store.find_organization("PT m4")
    gapura.store.workspace(org).save_answer(six["m4"], "B1", answer(4))  # S_B = (8 + 0)/12: S = (2 + 2/3)/3 = 8/9
    after = gapura.aggregates.benchmark(cli_actor(), six["m4"])
    assert after.overall.value == pytest.approx(8 / 9)  # as its Results page shows it, at once
    # peers m1 1, m2 0, m3 0.5, m5 1/3 (the same panel): still above three of four; the cohort's q3 is its own score
    assert after.overall.percentile == pytest.approx(75.0)
    assert before.overall.q3 == pytest.approx(2 / 3) and after.overall.q3 == pytest.approx(8 / 9)


def test_a_split_by_island_group_hides_a_lone_small_part_and_the_next_smallest(gapura, six):
    from dataclasses import replace

    from services.app import Gapura

    for name, province in (("PT m4", "Kalimantan Timur"), ("PT m6", "Kalimantan Barat")):
        org = gapura.store.find_organization(name)
        gapura.store.update_profile(org, {**gapura.store.profile(org), "region": province})
    strict = Gapura(replace(gapura.settings, privacy_threshold=2))  # parts: Java 3, Kalimantan 2, Bali 1
    try:
        parts, reason = strict.aggregates.breakdown(cli_actor(), "mini", gapura.standard("mini", None).version,
                                                     Filters())  # fmt: skip
    finally:
        strict.close()
    assert reason is None
    by = {("total" if row.total else row.part): row for row in parts.itertuples()}
    assert by["jawa"].n == 3 and by["jawa"].median == pytest.approx(0.5) and by["jawa"].suppressed is None
    assert by["bali-nusa-tenggara"].suppressed.code == "disclosure.too-few" and pd.isna(by["bali-nusa-tenggara"].n)
    # Bali alone hidden, the total (6) minus Java (3) minus Kalimantan would give it: Kalimantan goes too.
    assert by["kalimantan"].suppressed.code == "disclosure.secondary" and pd.isna(by["kalimantan"].median)
    assert by["total"].n == 6
