"""`python -m gapura bench`: engine timings as ratios against a pandas baseline in the same process."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from scoring.engine import answers_frame, score, score_one
from scoring.library import load_library
from scoring.model import NA, Answer, Standard

STANDARDS = Path(__file__).resolve().parent.parent / "standards"


def timed(action: Callable[[], object], repeat: int = 7) -> float:
    """Median seconds of `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_answers(standard: Standard, n: int, seed: int = 0) -> dict[str, dict[str, int | str]]:
    rng = random.Random(seed)
    levels = standard.scale.values
    batch = {}
    for i in range(n):
        answers: dict[str, int | str] = {}
        for _, c in standard.criteria():
            roll = rng.random()
            if roll < 0.05 and not c.mandatory:
                answers[c.id] = NA
            elif roll < 0.97:
                answers[c.id] = rng.choice(levels)
        batch[f"org-{i:05d}"] = answers
    return batch


def run(assessments: int = 1000) -> str:
    standards = load_library(STANDARDS).standards
    standard = max(standards, key=lambda s: s.criteria_count)
    batch = random_answers(standard, assessments)
    frame = answers_frame(batch)
    ids = list(batch)
    baseline = timed(
        lambda: frame.pivot_table(index="assessment", columns="criterion", values="level", aggfunc="first")
    )
    at_once = timed(lambda: score(standard, frame, ids).overall_frame())
    sample = ids[:100]
    one_by_one = timed(lambda: [score_one(standard, batch[i]).overall for i in sample], repeat=3) * assessments / 100
    lines = [
        f"standard: {standard.id} {standard.version} ({standard.criteria_count} criteria); {assessments} assessments, "
        f"{len(frame):,} answers",
        f"baseline  pandas pivot_table of the same answers: {baseline * 1000:8.1f} ms  (1.0x)",
        f"score all at once (vectorised):                  {at_once * 1000:8.1f} ms  ({at_once / baseline:.1f}x baseline)",
        f"score one at a time (from 100, extrapolated):    {one_by_one * 1000:8.1f} ms  ({one_by_one / baseline:.1f}x baseline)",
        f"vectorised speed-up over one at a time: {one_by_one / at_once:.0f}x",
    ]
    return "\n".join(lines)


def _time_store(name: str, url: str, standard: Standard, batch: dict, saves: int) -> list[str]:
    from sqlalchemy import text

    from store.db import make_engine
    from store.repository import Store

    engine = make_engine(url)
    store = Store(engine)

    def empty_transaction() -> None:
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))

    baseline = timed(empty_transaction, repeat=saves)
    workspace = store.workspace(store.ensure_organization({"name": "PT Bench"}))
    aid = workspace.start(standard.id, standard.version)
    ids = [c.id for _, c in standard.criteria()]
    counter = iter(range(10**9))

    def save_one() -> None:
        n = next(counter)
        workspace.save_answer(
            aid, ids[n % len(ids)], Answer(level=standard.scale.values[n % len(standard.scale.values)])
        )

    save = timed(save_one, repeat=saves)
    for i, answers in enumerate(batch.values()):
        org = store.ensure_organization({"name": f"PT Anggota {i:05d}"})
        given = {c: Answer(level=v, justification="x") for c, v in answers.items()}
        store.workspace(org).start(standard.id, standard.version, answers=given)

    def open_all() -> None:
        frame = store.answers_frame(standard.id, standard.version)
        score(standard, frame, store.assessment_ids(standard.id, standard.version)).overall_frame()

    opened = timed(open_all, repeat=3)
    frame = store.answers_frame(standard.id, standard.version)
    pivot = timed(lambda: frame.pivot_table(index="assessment", columns="criterion", values="level", aggfunc="first"),
                  repeat=3)  # fmt: skip
    engine.dispose()
    return [
        f"{name}: save one answer (median)        {save * 1000:7.2f} ms  "
        f"({save / baseline:.1f}x an empty transaction, {baseline * 1000:.2f} ms)",
        f"{name}: open + score {len(batch) + 1} assessments {opened * 1000:7.0f} ms  "
        f"({opened / pivot:.1f}x a pandas pivot of the same answers, {pivot * 1000:.0f} ms)",
        *_time_transfer(name, url, len(batch) + 1),
    ]


def _time_transfer(name: str, url: str, stored: int, repeat: int = 3) -> list[str]:
    """The Import & export page over the same database: its summary (how many assessments are stored) and the ZIP of
    every assessment; and one organization's list of assessments. Against one plain SELECT of every stored answer."""
    from sqlalchemy import text

    from services.app import Gapura
    from services.policy import cli_actor
    from services.settings import Settings

    app = Gapura(Settings(database_url=url, standards_dir=STANDARDS))
    actor = cli_actor()

    def read_answers() -> None:
        with app.store.engine.connect() as connection:
            connection.execute(text("SELECT * FROM answers")).fetchall()

    baseline = timed(read_answers, repeat=repeat)
    workspace = app.store.workspace(app.store.find_organization("PT Anggota 00000"))
    one = timed(workspace.assessments, repeat=repeat)
    summary = timed(lambda: app.transfer.stored_count(actor), repeat=repeat)
    archive = timed(lambda: app.transfer.export_zip(actor), repeat=repeat)
    app.close()
    return [
        f"{name}: one SELECT of every stored answer (baseline)  {baseline * 1000:8.1f} ms  (1.0x)",
        f"{name}: one organization's list of assessments       {one * 1000:8.1f} ms  ({one / baseline:.3g}x baseline)",
        f"{name}: Import & export summary, {stored} stored     {summary * 1000:8.1f} ms  ({summary / baseline:.3g}x baseline)",
        f"{name}: export ZIP of {stored} assessments          {archive * 1000:8.1f} ms  ({archive / baseline:.3g}x baseline)",
    ]


def store_run(assessments: int = 1000, saves: int = 200) -> str:
    """Saving one answer and opening an association's stored assessments, on SQLite and PostgreSQL."""
    import os
    import tempfile
    from contextlib import ExitStack

    from tools.devserver import PostgresMissing, throwaway_postgres

    standard = max(load_library(STANDARDS).standards, key=lambda s: s.criteria_count)
    batch = random_answers(standard, assessments, seed=1)
    lines = [f"standard: {standard.id} {standard.version}; {assessments} stored assessments; {saves} saves timed"]
    with ExitStack() as stack:
        urls = {"SQLite": f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/bench.db"}
        try:
            urls["PostgreSQL"] = os.environ.get("GAPURA_BENCH_POSTGRES_URL") or stack.enter_context(
                throwaway_postgres()
            )
        except PostgresMissing as exc:
            lines.append(f"PostgreSQL skipped: {exc}")
        for name, url in urls.items():
            lines += _time_store(name, url, standard, batch, saves)
    return "\n".join(lines)
