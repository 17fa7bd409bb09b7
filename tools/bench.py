"""`python -m gapura bench`: engine timings as ratios against a pandas baseline in the same process."""

from __future__ import annotations

import gc
import math
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scoring.dataset import Dataset, build_dataset
from scoring.engine import Scores, answers_frame, score, score_one
from scoring.formats import render
from scoring.library import load_library
from scoring.model import NA, Answer, Standard

STANDARDS = Path(__file__).resolve().parent.parent / "standards"


def timed(action: Callable[[], object], repeat: int = 7) -> float:
    """Median seconds of `repeat` runs."""
    return timed_together({"action": action}, repeat)["action"]


def timed_together(actions: Mapping[str, Callable[[], object]], repeat: int = 7) -> dict[str, float]:
    """Median seconds of each action over `repeat` rounds that run every action once, so that the ratios between
    them see the same load on a shared machine. The garbage collector is paused during each run (as timeit does):
    a collection of whatever else the process holds is not charged to the run it happens to fall in."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            gc.collect()
            gc.disable()
            try:
                start = time.perf_counter()
                action()
                times[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return {name: statistics.median(values) for name, values in times.items()}


# Each synthetic assessment aims at one verdict in turn, with its levels drawn from a band of the scale (as a share
# of the top level), so that every rule of the verdict and of the action plan is exercised, not mostly one.
AIMS = {"incomplete": (0.0, 1.0), "not-ready": (0.0, 1.0), "early": (0.0, 0.25), "progressing": (0.5, 0.75),
        "ready": (0.75, 1.0)}  # fmt: skip


def random_answers(standard: Standard, n: int, seed: int = 0) -> dict[str, dict[str, int | str]]:
    """n assessments, a fifth aimed at each readiness verdict: incomplete ones miss about a tenth of their answers
    (at least one), not-ready ones leave a mandatory criterion below target, the others meet every mandatory
    target; 5% N/A on criteria that are not mandatory."""
    rng = random.Random(seed)
    values, top = standard.scale.values, standard.scale.top
    criteria = [c for _, c in standard.criteria()]
    mandatory = [c for c in criteria if c.mandatory and standard.target_of(c) > values[0]]
    batch = {}
    for i in range(n):
        aim = list(AIMS)[i % len(AIMS)]
        low, high = AIMS[aim]
        band = [v for v in values if low * top <= v <= high * top] or values
        answers: dict[str, int | str] = {}
        for c in criteria:
            if not c.mandatory and rng.random() < 0.05:
                answers[c.id] = NA
                continue
            level = rng.choice(band)
            answers[c.id] = max(level, standard.target_of(c)) if c.mandatory and aim != "not-ready" else level
        if aim == "incomplete":
            for c in rng.sample(criteria, max(1, len(criteria) // 10)):
                del answers[c.id]
        elif aim == "not-ready" and mandatory:
            short = rng.choice(mandatory)
            answers[short.id] = max(v for v in values if v < standard.target_of(short))
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


# The plain loop: scoring.md read line by line, one assessment at a time, with dicts and floats only. It shares no
# code with the engine, so that the two agreeing checks both (`identical`), and it is the speed a straightforward
# implementation gets (`loop_s`).

# scoring.md §7 compares S with the thresholds on paper; a score that equals one on paper may land a rounding error
# below it in floating point, so both implementations allow a margin far below any visible difference.
PLAIN_MARGIN = 1e-9


def plain_scores(standard: Standard, batch: Mapping[Any, Mapping[str, int | str]]) -> dict[Any, dict[str, Any]]:
    """Every assessment of `batch` scored by a plain loop straight from scoring.md (None where undefined)."""
    top = standard.scale.top
    domains = [(d.id, d.weight, [(c.id, c.weight, standard.target_of(c), c.mandatory) for c in d.criteria])
               for d in standard.domains]  # fmt: skip
    total = sum(len(criteria) for _, _, criteria in domains)
    results = {}
    for assessment, answers in batch.items():
        criteria: dict[str, dict[str, Any]] = {}
        domain_results: dict[str, dict[str, Any]] = {}
        answered = scored_count = 0
        blocking = []
        for domain_id, _, domain_criteria in domains:
            weight_sum = weighted_score = weighted_gap = weighted_target = 0.0
            for criterion_id, weight, target, mandatory in domain_criteria:
                level = answers.get(criterion_id)
                answered += level is not None
                if level is None or level == NA:  # §1: N/A and unanswered criteria are not scored
                    criteria[criterion_id] = {"score": None, "gap": None, "met": None, "impact": None}
                    continue
                scored_count += 1
                gap = max(0, target - level) / top  # §5
                met = level >= target
                if mandatory and not met:
                    blocking.append(criterion_id)
                criteria[criterion_id] = {"score": level / top, "gap": gap, "met": met, "impact": None,
                                          "mandatory": mandatory}  # fmt: skip
                weight_sum += weight
                weighted_score += weight * (level / top)
                weighted_gap += weight * gap
                weighted_target += weight * (target / top)
            has_score = weight_sum > 0  # §2: a domain with no scored criterion has no score
            domain_results[domain_id] = {
                "score": weighted_score / weight_sum if has_score else None,
                "gap": weighted_gap / weight_sum if has_score else None,
                "target": weighted_target / weight_sum if has_score else None,
                "weight_sum": weight_sum,
            }
        scored_domains = [(d, w) for d, w, _ in domains if domain_results[d]["score"] is not None]
        domain_weight_total = sum(w for _, w in scored_domains)
        overall = (
            sum(w * domain_results[d]["score"] for d, w in scored_domains) / domain_weight_total
            if scored_domains
            else None
        )  # §3
        for domain_id, domain_weight, domain_criteria in domains:  # §6: impact over the same scored sets
            for criterion_id, weight, _, _ in domain_criteria:
                if criteria[criterion_id]["gap"] is not None:
                    share = domain_weight / domain_weight_total
                    criterion_share = weight / domain_results[domain_id]["weight_sum"]
                    criteria[criterion_id]["impact"] = share * criterion_share * criteria[criterion_id]["gap"]
        coverage = answered / total  # §4
        if coverage < 1 or scored_count == 0:  # §7, first rule that applies
            readiness = "incomplete"
        elif blocking:
            readiness = "not-ready"
        elif overall >= standard.readiness.ready - PLAIN_MARGIN:
            readiness = "ready"
        elif overall >= standard.readiness.progressing - PLAIN_MARGIN:
            readiness = "progressing"
        else:
            readiness = "early"
        unmet = [c for c, r in criteria.items() if r["met"] is False]  # in the standard's order
        results[assessment] = {
            "criteria": {c: {k: r[k] for k in ("score", "gap", "met", "impact")} for c, r in criteria.items()},
            "domains": {d: {k: r[k] for k in ("score", "gap", "target")} for d, r in domain_results.items()},
            "overall": overall,
            "coverage": coverage,
            "readiness": readiness,
            "blocking": blocking,
            # the action plan: unmet mandatory criteria first, then by impact, ties in the standard's order
            "actions": sorted(unmet, key=lambda c: (not criteria[c]["mandatory"], -criteria[c]["impact"])),
        }
    return results


# Floats agree when within this relative difference (sums taken in another order differ in the last bits);
# None (undefined) must meet NaN, and every other value must be equal.
RELATIVE_TOLERANCE = 1e-12


def differences(plain: Mapping[Any, Mapping[str, Any]], scores: Scores) -> list[str]:
    """Every field where the plain loop and the engine disagree, as 'assessment field: loop vs engine'."""
    found = []
    criterion_ids, domain_ids = scores.layout.criterion_ids, scores.layout.domain_ids
    met = np.where(scores.scored, scores.met, None)
    for i, assessment in enumerate(scores.assessment_ids):
        mine = plain[assessment]
        pairs = [("overall", mine["overall"], scores.overall[i]), ("coverage", mine["coverage"], scores.coverage[i]),
                 ("readiness", mine["readiness"], str(scores.readiness[i]))]  # fmt: skip
        for k, d in enumerate(domain_ids):
            pairs += [(f"{d}.score", mine["domains"][d]["score"], scores.domain_score[i, k]),
                      (f"{d}.gap", mine["domains"][d]["gap"], scores.domain_gap[i, k]),
                      (f"{d}.target", mine["domains"][d]["target"], scores.domain_target[i, k])]  # fmt: skip
        blocking = [criterion_ids[j] for j in np.flatnonzero(scores.blocking[i])]
        pairs.append(("blocking", mine["blocking"], blocking))
        for j, c in enumerate(criterion_ids):
            ours = mine["criteria"][c]
            pairs += [(f"{c}.score", ours["score"], scores.criterion_score[i, j]),
                      (f"{c}.gap", ours["gap"], scores.gap[i, j]),
                      (f"{c}.impact", ours["impact"], scores.impact[i, j]),
                      (f"{c}.met", ours["met"], met[i, j])]  # fmt: skip
        found += [f"{assessment} {field}: {a!r} vs {b!r}" for field, a, b in pairs if not _same(a, b)]
        if not _same_plan(mine, actions := scores.actions(i)):
            found.append(f"{assessment} actions: {mine['actions']!r} vs {actions!r}")
    return found


def _same_plan(plain: Mapping[str, Any], actions: list[str]) -> bool:
    """The engine's action plan is the loop's, or differs only where two impacts are equal within
    RELATIVE_TOLERANCE (sums taken in another order may then come in the other order)."""
    if actions == plain["actions"]:
        return True
    if sorted(actions) != sorted(plain["actions"]):
        return False
    criteria, blocking = plain["criteria"], plain["blocking"]
    return all((a in blocking) == (b in blocking) and _same(criteria[a]["impact"], float(criteria[b]["impact"]))
               for a, b in zip(plain["actions"], actions, strict=True))  # fmt: skip


def _same(plain: Any, engine: Any) -> bool:
    """Equal, numbers within RELATIVE_TOLERANCE; the loop's None meets the engine's NaN (and its None for met)."""
    if isinstance(engine, float):  # numpy's float64 is one
        if plain is None or math.isnan(engine):
            return plain is None and math.isnan(engine)
        return math.isclose(plain, engine, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)
    return plain == engine  # readiness, and met: True, False or None


def force(scores: Scores) -> Scores:
    """Compute every figure the engine gives (its properties are computed on first use)."""
    for name in ("criterion_score", "gap", "met", "impact", "domain_score", "domain_gap", "overall", "coverage",
                 "readiness"):  # fmt: skip
        getattr(scores, name)
    return scores


def research_dataset(standard: Standard, scores: Scores) -> Dataset:
    """The research data package's tables of these assessments, with a synthetic cohort (every member pseudonymous,
    as the Research page exports them)."""
    n = len(scores.assessment_ids)
    provinces = ["DKI Jakarta", "Jawa Barat", "Jawa Timur", "Bali", "Sumatera Utara"]
    meta = pd.DataFrame({
        "assessment": scores.assessment_ids, "organization": [f"O{i:016x}" for i in range(n)],
        "province": [provinces[i % 5] for i in range(n)], "island_group": None, "size_band": "11-50",
        "segments": [["concert-festival"]] * n, "round": 1, "status": "submitted",
        "submitted": pd.Timestamp("2026-11-01", tz="UTC"),
    })  # fmt: skip
    return build_dataset(standard, scores, meta)


def stored_frame(standard: Standard, batch: Mapping[str, Mapping[str, int | str]]) -> tuple[pd.DataFrame, list, dict]:
    """`batch` written to a throwaway SQLite store (bulk inserts), read back as the officers' panel reads it
    (Store.answers_frame, Store.assessment_ids): the frame, the ids, and each stored id's key in `batch`."""
    import tempfile

    from sqlalchemy import insert

    from store import schema
    from store.db import make_engine, utcnow
    from store.repository import Store

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        store, now = Store(engine), utcnow()
        with engine.begin() as c:
            org = c.execute(insert(schema.Organization).values(name="PT Bench", name_key="pt bench", segments=[],
                                                                kind="company", created_at=now, updated_at=now)
                            ).inserted_primary_key[0]  # fmt: skip
            rows = [{"organization_id": org, "standard_id": standard.id, "standard_version": standard.version,
                     "round": n + 1, "status": "draft", "token": f"t{n}", "created_at": now, "updated_at": now}
                    for n in range(len(batch))]  # fmt: skip
            stored = list(c.scalars(insert(schema.Assessment).returning(schema.Assessment.id,
                                                                        sort_by_parameter_order=True), rows))  # fmt: skip
            c.execute(insert(schema.Answer), [
                {"assessment_id": aid, "criterion_id": cid, "level": None if level == NA else level,
                 "na": level == NA, "justification": "x" if level == NA else "", "note": "", "evidence": [],
                 "given": True, "origin": None, "updated_at": now}
                for aid, answers in zip(stored, batch.values(), strict=True) for cid, level in answers.items()
            ])  # fmt: skip
        frame = store.answers_frame(standard.id, standard.version)
        ids = store.assessment_ids(standard.id, standard.version)
        engine.dispose()
    return frame, ids, dict(zip(stored, batch, strict=True))


def json_run(assessments: int = 5000, store: bool = False) -> dict[str, Any]:
    """The figures of `bench --json`: the engine against a pandas floor and a plain loop, agreement and exports."""
    standard = max(load_library(STANDARDS).standards, key=lambda s: s.criteria_count)
    batch = random_answers(standard, assessments)
    frame = answers_frame(batch)
    ids = list(batch)
    panel_frame, panel_ids, key_of = stored_frame(standard, batch)
    numeric = frame[frame["level"] != NA].astype({"level": object}).astype({"level": float})  # numbers, parsed
    seconds = timed_together(
        {
            "floor_s": lambda: numeric.groupby("assessment")["level"].mean(),
            "engine_s": lambda: force(score(standard, panel_frame, panel_ids)),
            "engine_from_dicts_s": lambda: force(score(standard, answers_frame(batch), list(batch))),
            "loop_s": lambda: plain_scores(standard, batch),
        },
        repeat=9,
    )
    scores = force(score(standard, frame, ids))
    dataset = research_dataset(standard, scores)
    plain = plain_scores(standard, batch)
    found = differences(plain, scores)
    found += differences({i: plain[key_of[i]] for i in panel_ids}, force(score(standard, panel_frame, panel_ids)))
    for line in found[:20]:
        print(f"bench: the plain loop and the engine disagree: {line}", file=sys.stderr)
    return {
        "standard": {"id": standard.id, "version": standard.version},
        "assessments": assessments,
        "criteria": standard.criteria_count,
        "answers": len(frame),
        "verdicts": {v: int((scores.readiness == v).sum()) for v in AIMS},
        **seconds,
        "speedup": seconds["loop_s"] / seconds["engine_from_dicts_s"],
        "identical": not found,
        "dataset_s": timed(lambda: research_dataset(standard, scores), repeat=3),
        "export_csv_s": timed(lambda: render(dataset, "csv"), repeat=3),
        "export_parquet_s": timed(lambda: render(dataset, "parquet"), repeat=3),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **({"store": store_figures(assessments)} if store else {}),
    }


def _time_store(url: str, standard: Standard, batch: dict, saves: int) -> dict[str, float]:
    """Seconds, on one database: saving one answer, opening and scoring every stored assessment, the Import &
    export page; each with the baseline it is compared with."""
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
    return {"stored": len(batch) + 1, "empty_transaction_s": baseline, "save_answer_s": save,
            "open_and_score_s": opened, "pivot_s": pivot, **_time_transfer(url)}  # fmt: skip


def _time_transfer(url: str, repeat: int = 3) -> dict[str, float]:
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
    return {"select_answers_s": baseline, "organization_list_s": one, "summary_s": summary, "export_zip_s": archive}


def _store_lines(name: str, t: dict[str, float]) -> list[str]:
    save, baseline, opened, pivot, stored = (t["save_answer_s"], t["empty_transaction_s"], t["open_and_score_s"],
                                             t["pivot_s"], t["stored"])  # fmt: skip
    select, one, summary, archive = t["select_answers_s"], t["organization_list_s"], t["summary_s"], t["export_zip_s"]
    return [
        f"{name}: save one answer (median)        {save * 1000:7.2f} ms  "
        f"({save / baseline:.1f}x an empty transaction, {baseline * 1000:.2f} ms)",
        f"{name}: open + score {stored} assessments {opened * 1000:7.0f} ms  "
        f"({opened / pivot:.1f}x a pandas pivot of the same answers, {pivot * 1000:.0f} ms)",
        f"{name}: one SELECT of every stored answer (baseline)  {select * 1000:8.1f} ms  (1.0x)",
        f"{name}: one organization's list of assessments       {one * 1000:8.1f} ms  ({one / select:.3g}x baseline)",
        f"{name}: Import & export summary, {stored} stored     {summary * 1000:8.1f} ms  ({summary / select:.3g}x baseline)",
        f"{name}: export ZIP of {stored} assessments          {archive * 1000:8.1f} ms  ({archive / select:.3g}x baseline)",
    ] + _aggregate_lines(name, t["aggregates"])


def _aggregate_lines(name: str, a: dict[str, float]) -> list[str]:
    base = a["baseline_read_answers_s"]
    return [
        f"{name}: with {a['organizations']} demo members: read the answers table (baseline) {base * 1000:8.1f} ms",
        f"{name}:   panel of one standard version, cold   {a['panel_cold_s'] * 1000:8.1f} ms "
        f"({a['panel_cold_s'] / base:.2f}x baseline)",
        f"{name}:   Members list, warm                    {a['members_warm_s'] * 1000:8.1f} ms",
        f"{name}:   agenda figures, warm                  {a['agenda_warm_s'] * 1000:8.1f} ms",
        f"{name}:   progress between rounds, warm         {a['progress_warm_s'] * 1000:8.1f} ms",
    ]


def store_figures(assessments: int = 1000, saves: int = 200) -> dict[str, Any]:
    """Seconds per database (SQLite, and PostgreSQL unless none can be started: then the reason under `skipped`)."""
    import os
    import tempfile
    from contextlib import ExitStack

    from tools.devserver import PostgresMissing, throwaway_postgres

    standard = max(load_library(STANDARDS).standards, key=lambda s: s.criteria_count)
    batch = random_answers(standard, assessments, seed=1)
    figures: dict[str, Any] = {"assessments": assessments, "saves": saves}
    with ExitStack() as stack:
        urls = {"SQLite": f"sqlite:///{stack.enter_context(tempfile.TemporaryDirectory())}/bench.db"}
        try:
            urls["PostgreSQL"] = os.environ.get("GAPURA_BENCH_POSTGRES_URL") or stack.enter_context(
                throwaway_postgres()
            )
        except PostgresMissing as exc:
            figures["skipped"] = {"PostgreSQL": str(exc)}
        for name, url in urls.items():
            figures[name] = _time_store(url, standard, batch, saves)
            figures[name]["aggregates"] = _time_aggregates(url, assessments)
    return figures


def _time_aggregates(url: str, organizations: int) -> dict[str, float]:
    """The officers' figures with `organizations` demo members stored (added to this database): building the panel
    of the most answered standard version from the database (cold), the Members list and the research agenda once
    it is built (warm), against reading the answers table once."""
    from dataclasses import replace

    from sqlalchemy import text

    from services.app import Gapura
    from services.panels import Filters
    from services.policy import cli_actor
    from services.settings import load as load_settings

    app = Gapura(replace(load_settings(), database_url=url, standards_dir=STANDARDS))
    try:
        app.demo.load(cli_actor(), organizations=organizations, seed=1, force=True)
        sid, version, _ = max(app.association.versions(cli_actor()), key=lambda v: v[2])

        def cold() -> None:
            app._panels.forget()  # what the first page view after any change does
            app._panels.get(sid, version)

        def baseline() -> None:
            with app.store.engine.connect() as c:
                c.execute(text("SELECT assessment_id, criterion_id, level FROM answers")).all()

        return {
            "organizations": organizations,
            "baseline_read_answers_s": timed(baseline, repeat=3),
            "panel_cold_s": timed(cold, repeat=3),
            "members_warm_s": timed(lambda: app.association.members(cli_actor()), repeat=3),
            "agenda_warm_s": timed(lambda: app.association.agenda_json(cli_actor(), sid, version, Filters()), repeat=3),
            "progress_warm_s": timed(lambda: app.association.progress(cli_actor(), sid, Filters()), repeat=3),
        }
    finally:
        app.close()


def store_run(assessments: int = 1000, saves: int = 200) -> str:
    """Saving one answer and opening an association's stored assessments, on SQLite and PostgreSQL."""
    standard = max(load_library(STANDARDS).standards, key=lambda s: s.criteria_count)
    figures = store_figures(assessments, saves)
    lines = [f"standard: {standard.id} {standard.version}; {assessments} stored assessments; {saves} saves timed"]
    lines += [f"PostgreSQL skipped: {reason}" for reason in figures.get("skipped", {}).values()]
    for name in ("SQLite", "PostgreSQL"):
        if name in figures:
            lines += _store_lines(name, figures[name])
    return "\n".join(lines)


# --- the company report ------------------------------------------------------------------------------------------
REPORT_CRITERIA = 60


def sixty_criteria() -> Standard:
    """A standard of 60 criteria made of shipped domains, with their real titles, guidance and level texts (no
    shipped standard has 60); ids prefixed so that two standards' ids never meet."""
    domains: list = []
    count = 0
    for n, standard in enumerate(s for s in load_library(STANDARDS).standards if s.subject == "organization"):
        for domain in standard.domains:
            take = [c.model_copy(update={"id": f"{n}.{c.id}"}) for c in domain.criteria[: REPORT_CRITERIA - count]]
            if take:
                domains.append(domain.model_copy(update={"id": f"{n}.{domain.id}", "criteria": take}))
                count += len(take)
    return Standard(id="bench-report", version="1", title={"en": "Sixty criteria", "id": "Enam puluh kriteria"},
                    domains=domains)  # fmt: skip


def bench_report(standard: Standard | None = None) -> Any:
    """A report with every section filled: a not-ready assessment (a long action plan) with a note, a link and a
    document on every answer, tracking on every step, two rounds and a cleared benchmark."""
    from datetime import date, datetime

    from reports.report import Peers, Report, RoundScore
    from scoring.compare import Cohort, position
    from scoring.evidence import Document
    from scoring.plan import Tracking

    standard = standard or sixty_criteria()
    levels = list(random_answers(standard, len(AIMS), seed=7).values())[list(AIMS).index("not-ready")]
    answers = {cid: Answer(level=level, justification="Tidak kami jalankan" if level == NA else "",
                           note=f"Catatan {cid}: " + "sudah dibahas dengan tim dan vendor, menunggu dokumen. " * 3,
                           evidence=(f"https://contoh.example/bukti/{cid}",)) for cid, level in levels.items()}  # fmt: skip
    result = score_one(standard, levels)
    today = date(2026, 12, 6)
    tracking = {cid: Tracking(cid, owner="Budi Santoso", due=date(2026, 11 + i % 2, 15), status="doing",
                              note="Dikerjakan bersama konsultan") for i, cid in enumerate(result.actions)}  # fmt: skip
    documents = [Document(i, cid, f"bukti-{cid}.pdf", "application/pdf", 200_000, date(2027, 1, 1),
                          datetime(2026, 11, 1)) for i, cid in enumerate(levels)]  # fmt: skip
    rng = np.random.default_rng(7)
    others = rng.uniform(0.2, 0.9, 40)
    domain_ids = list(result.domains["domain"])
    peers = Peers(Cohort(province="Jawa Barat"), position(float(result.overall), others),
                  {d: position(float(s), others) for d, s in zip(domain_ids, result.domains["score"], strict=True)},
                  {d: position(float(g), others / 3) for d, g in zip(domain_ids, result.domains["gap"], strict=True)})  # fmt: skip
    rounds = [RoundScore(1, float(result.overall) * 0.7, {d: 0.3 for d in domain_ids}),
              RoundScore(2, result.overall, dict(zip(domain_ids, result.domains["score"], strict=True)))]  # fmt: skip
    return Report(standard, result, "PT Contoh Acara Nusantara", 2, False, answers, today, tracking, documents, peers,
                  rounds)  # fmt: skip


def report_figures(repeat: int = 5, draw: Callable[..., bytes | None] | None = None) -> dict[str, Any]:
    """Seconds to build the 60-criterion report: the first PDF (starting the chart browser when none runs yet), the
    median of the next `repeat`, and two baselines of the same data in the same run: the PDF with every chart given
    as "cannot be drawn", and the XLSX."""
    from reports.images import picture
    from reports.pdf import company_pdf
    from reports.workbook import workbook

    draw = draw or picture
    report = bench_report()
    drawn = []
    start = time.perf_counter()
    pdf = company_pdf(report, "id", draw=lambda fig, w, h: _counted(drawn, draw(fig, w, h)))
    first = time.perf_counter() - start
    times = timed_together({
        "pdf": lambda: company_pdf(report, "id", draw=draw),
        "pdf_without_charts": lambda: company_pdf(report, "id", draw=lambda fig, w, h: None),
        "xlsx": lambda: workbook(report, "id"),
    }, repeat)  # fmt: skip
    return {"criteria": report.standard.criteria_count, "steps": len(report.steps), "pdf_bytes": len(pdf),
            "charts_drawn": sum(drawn), "first_s": first, "pdf_s": times["pdf"],
            "pdf_without_charts_s": times["pdf_without_charts"], "xlsx_s": times["xlsx"],
            "pdf_over_without_charts": times["pdf"] / times["pdf_without_charts"],
            "pdf_over_xlsx": times["pdf"] / times["xlsx"]}  # fmt: skip


def _counted(drawn: list[int], image: bytes | None) -> bytes | None:
    drawn.append(image is not None)
    return image


def report_run(repeat: int = 5) -> str:
    f = report_figures(repeat)
    return "\n".join([
        f"company report, {f['criteria']} criteria, {f['steps']} plan steps, Indonesian; {f['charts_drawn']} of 3 "
        f"charts drawn; {f['pdf_bytes'] / 1e6:.1f} MB",
        f"first PDF (chart browser started in it):      {f['first_s']:6.2f} s",
        f"PDF, median of the next {repeat}:                 {f['pdf_s']:6.2f} s  (target: under 5 s)",
        f"baseline: same PDF, charts as 'not drawn':    {f['pdf_without_charts_s']:6.2f} s  "
        f"(PDF is {f['pdf_over_without_charts']:.1f}x)",
        f"baseline: XLSX of the same data:              {f['xlsx_s']:6.2f} s  (PDF is {f['pdf_over_xlsx']:.1f}x)",
    ])  # fmt: skip


def ministry_figures(organizations: int = 200, repeat: int = 3, draw: Callable[..., bytes | None] | None = None,
                     standard_id: str = "event-safety") -> dict[str, Any]:  # fmt: skip
    """Seconds to make the report for the ministry over `organizations` demo members in a new SQLite file: its
    figures (a cold panel, then a warm one, every release through the gate), the first PDF (starting the chart
    browser when none runs yet), the median of the next `repeat` PDFs, and in the same rounds the PDF without charts
    and the XLSX."""
    import tempfile

    from reports.association_report import association_pdf, association_workbook
    from reports.images import picture
    from services.app import Gapura
    from services.policy import cli_actor
    from services.settings import Settings

    draw = draw or picture
    actor = cli_actor()
    with tempfile.TemporaryDirectory() as folder:
        app = Gapura(Settings(database_url=f"sqlite:///{folder}/bench.db", standards_dir=STANDARDS))
        try:
            app.demo.load(actor, organizations=organizations, seed=1)
            start = time.perf_counter()
            report = app.ministry_report.gather(actor, standard_id)
            cold = time.perf_counter() - start
            start = time.perf_counter()
            pdf = association_pdf(report, "id", draw=draw)
            first = time.perf_counter() - start
            times = timed_together({
                "gather": lambda: app.ministry_report.gather(actor, standard_id),
                "pdf": lambda: association_pdf(report, "id", draw=draw),
                "pdf_without_charts": lambda: association_pdf(report, "id", draw=lambda fig, w, h: None),
                "xlsx": lambda: association_workbook(report, "id"),
            }, repeat)  # fmt: skip
        finally:
            app.close()
    return {"organizations": organizations, "benchmark_set": report.n, "pdf_bytes": len(pdf), "gather_cold_s": cold,
            "gather_s": times["gather"], "first_s": first, "pdf_s": times["pdf"],
            "pdf_without_charts_s": times["pdf_without_charts"], "xlsx_s": times["xlsx"]}  # fmt: skip


def ministry_run(organizations: int = 200, repeat: int = 3) -> str:
    f = ministry_figures(organizations, repeat)
    lines = [
        ("figures, cold panel:", f["gather_cold_s"]), (f"figures, median of the next {repeat}:", f["gather_s"]),
        ("first PDF (chart browser started in it):", f["first_s"]), (f"PDF, median of the next {repeat}:", f["pdf_s"]),
        ("baseline: same PDF, charts as 'not drawn':", f["pdf_without_charts_s"]),
        ("baseline: XLSX of the same figures:", f["xlsx_s"]),
    ]  # fmt: skip
    return "\n".join([f"report for the ministry, {f['organizations']} demo members ({f['benchmark_set']} in the "
                      f"benchmark set of event-safety), Indonesian; {f['pdf_bytes'] / 1e6:.1f} MB"]
                     + [f"{name:46}{seconds:6.2f} s" for name, seconds in lines])  # fmt: skip
