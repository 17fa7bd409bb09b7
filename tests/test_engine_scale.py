"""The engine at scale: it agrees with an independent plain loop (tools/bench.py), whatever form its input takes."""

import json
import random
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from scoring.engine import answers_frame, score
from scoring.library import load_library
from scoring.model import NA
from tests.conftest import ROOT, STANDARDS
from tests.test_engine import HAND
from tools.bench import differences, plain_scores

SHIPPED = load_library(STANDARDS).standards
FIELDS = ["level", "answered", "na", "criterion_score", "gap", "met", "impact", "domain_score", "domain_gap", "overall",
          "coverage", "readiness"]  # fmt: skip


def varied_answers(standard, n, seed):
    """n assessments that reach every verdict: complete ones at several levels, gaps, N/A, all N/A, empty."""
    rng = random.Random(seed)
    values = standard.scale.values
    batch = {}
    for i in range(n):
        low, high = sorted(rng.sample(range(len(values)), 2)) if len(values) > 1 else (0, 0)
        unanswered, na = rng.choice([0, 0, 0.1, 1]), rng.choice([0, 0.1, 1])
        answers = {}
        for _, c in standard.criteria():
            roll = rng.random()
            if roll < unanswered:
                continue
            answers[c.id] = NA if rng.random() < na else values[rng.randint(low, high)]
        batch[f"org-{i:04d}"] = answers
    return batch


@pytest.mark.parametrize("standard", SHIPPED, ids=lambda s: s.id)
def test_the_plain_loop_and_the_engine_agree_on_every_shipped_standard(standard):
    batch = varied_answers(standard, 300, seed=len(standard.id))
    scores = score(standard, answers_frame(batch), list(batch))
    assert differences(plain_scores(standard, batch), scores) == []
    assert {"ready", "not-ready", "incomplete"} <= set(scores.readiness)


def test_the_plain_loop_reproduces_the_hand_computed_example(mini):
    plain = plain_scores(mini, {"x": HAND})["x"]
    assert plain["overall"] == pytest.approx(0.5) and plain["readiness"] == "not-ready"
    assert plain["criteria"]["A1"]["impact"] == pytest.approx(0.125)
    assert plain["criteria"]["B1"] == {"score": None, "gap": None, "met": None, "impact": None}
    assert differences(plain_scores(mini, {"x": HAND}), score(mini, answers_frame({"x": HAND}), ["x"])) == []


def test_differences_names_the_field_that_disagrees(mini):
    plain = plain_scores(mini, {"x": HAND})
    plain["x"]["criteria"]["A1"]["impact"] *= 1 + 1e-9
    plain["x"]["readiness"] = "ready"
    found = differences(plain, score(mini, answers_frame({"x": HAND}), ["x"]))
    assert [line.split(":")[0] for line in found] == ["x readiness", "x A1.impact"]


def _forms(frame: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, list]]:
    """The same answers as the shells and the store give them: text ids (Arrow and Python objects), integer ids
    from a database, levels as shared ints or as one float object per row, in any row order."""
    ids = list(dict.fromkeys(frame["assessment"]))
    number = {a: 100 + k for k, a in enumerate(ids)}
    from_database = frame.assign(assessment=frame["assessment"].map(number).astype("int64"))
    from_database["level"] = pd.Series([v if v == NA else float(v) for v in frame["level"]], dtype=object)
    as_objects = frame.astype({"assessment": object, "criterion": object})
    return {
        "arrow text": (frame, ids),
        "object text": (as_objects, ids),
        "database": (from_database, [number[a] for a in ids]),
        "shuffled database": (from_database.sample(frac=1, random_state=3), [number[a] for a in ids]),
        "no order given": (frame, None),
    }


@pytest.mark.parametrize("standard", SHIPPED, ids=lambda s: s.id)
def test_every_form_of_the_same_answers_gives_bit_identical_scores(standard):
    frame = answers_frame(varied_answers(standard, 120, seed=7))
    results = {name: score(standard, f, ids) for name, (f, ids) in _forms(frame).items()}
    first = results.pop("arrow text")
    for name, other in results.items():
        for field in FIELDS:
            a, b = getattr(first, field), getattr(other, field)
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), (name, field)


def test_a_member_alone_and_among_thousands_scores_bit_identically():
    standard = max(SHIPPED, key=lambda s: s.criteria_count)
    batch = varied_answers(standard, 2000, seed=11)
    many = score(standard, answers_frame(batch), list(batch))
    for i in range(0, 2000, 97):
        member = list(batch)[i]
        alone = score(standard, answers_frame({member: batch[member]}), [member])
        for field in FIELDS:
            a, b = getattr(many, field)[i], getattr(alone, field)[0]
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), field


@pytest.mark.parametrize("bad", [7, -1, 2.5, "abc", None, "NA"])
def test_a_level_off_the_scale_is_refused_however_levels_are_held(mini, bad):
    frame = answers_frame({"x": {"A1": 2, "A2": bad, "B1": "na"}})
    as_floats = frame.assign(level=pd.Series([2.0, bad, "na"], dtype=object))
    many_objects = pd.concat([as_floats] * 100, ignore_index=True)  # past the few-shared-objects shortcut
    for f in (frame, as_floats, many_objects):
        shown = "nan" if bad is None else f"'{bad}'"  # pandas shows a missing value as nan
        with pytest.raises(ValueError, match=f"levels not on the scale: \\[{shown}\\]"):
            score(mini, f, ["x"])


def test_unknown_assessments_and_criteria_are_refused_on_every_path(mini):
    frame = answers_frame({"x": {"A1": 2}, "y": {"Z9": 1}})
    with pytest.raises(ValueError, match="not in `assessments`"):
        score(mini, frame, ["x"])
    with pytest.raises(ValueError, match="unknown criteria for mini .*: Z9"):
        score(mini, frame.astype({"criterion": object}), ["x", "y"])
    with pytest.raises(ValueError, match="not in `assessments`"):
        score(mini, frame.assign(assessment=[1, 2]), [1])


def test_bench_json_prints_one_object_with_every_figure_and_agreement():
    done = subprocess.run([sys.executable, "-m", "gapura", "bench", "--assessments", "50", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"standard", "assessments", "criteria", "answers", "verdicts", "engine_s",
                            "engine_from_dicts_s", "floor_s", "loop_s", "speedup", "identical", "dataset_s",
                            "export_csv_s", "export_parquet_s", "peak_rss_mb"}  # fmt: skip
    assert figures["identical"] is True and figures["assessments"] == 50
    assert figures["criteria"] == max(s.criteria_count for s in SHIPPED)
    assert all(figures[k] > 0 for k in ("engine_s", "floor_s", "loop_s", "export_csv_s", "peak_rss_mb"))
