"""A company's benchmark on its Results page: its percentile among similar companies, the cohort used (widened
until it is large enough, or a narrower one the company picks) and the cohort's median and quartiles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring.formatting import number, percent
from scoring.model import Standard, localize
from services.aggregates import Benchmark
from ui import context
from ui.i18n import lang, t

CHOICE = "benchmark-choice"
VERIFIED = "benchmark-verified"


def benchmark(work) -> Benchmark | None:
    """The tab's assessment against similar companies, or None where the page shows no benchmark."""
    if work.association or not context.may("read", "benchmark", work.target):
        return None
    return context.app().aggregates.benchmark(context.actor(), work.assessment_id, st.session_state.get(CHOICE),
                                              verified_only=bool(st.session_state.get(VERIFIED)))  # fmt: skip


def show(bench: Benchmark, standard: Standard) -> None:
    lg = lang()
    st.subheader(t("benchmark.heading"))
    if st.toggle(t("benchmark.verified_only"), key=VERIFIED, help=t("benchmark.verified_only_help")):
        st.caption(t("benchmark.verified_note"))
    threshold = context.settings().privacy_threshold
    large = [i for i, rung in enumerate(bench.rungs) if rung.large_enough(threshold)]
    if bench.cohort is not None and len(large) > 1:
        current = bench.rungs.index(bench.cohort)
        st.selectbox(t("benchmark.cohort"), large, index=large.index(current), key=CHOICE,
                     format_func=lambda i: t("benchmark.rung", cohort=bench.rungs[i].cohort.describe(lg),
                                             n=bench.rungs[i].n))  # fmt: skip
    if bench.suppressed is not None or bench.overall is None or bench.overall.percentile is None:
        reason = bench.suppressed or bench.overall.suppressed
        st.info(reason.message(lg) if reason else t("benchmark.none"), icon=":material/visibility_off:")
        return
    overall = bench.overall
    st.write(t("benchmark.sentence", share=percent(overall.percentile / 100, lg),
               cohort=bench.cohort.cohort.describe(lg), n=overall.n))  # fmt: skip
    c1, c2, c3 = st.columns(3)
    c1.metric(t("benchmark.percentile"), percent(overall.percentile / 100, lg), border=True,
              help=t("benchmark.percentile_help"))  # fmt: skip
    c2.metric(t("benchmark.median"), percent(overall.median, lg), border=True)
    c3.metric(t("benchmark.quartiles"), f"{percent(overall.q1, lg)} – {percent(overall.q3, lg)}", border=True,
              help=t("benchmark.quartiles_help"))  # fmt: skip
    rows = []
    for domain in standard.domains:
        p = bench.domains.get(domain.id)
        if p is None:
            continue
        rows.append({
            t("results.col_domain"): localize(domain.title, lg),
            t("benchmark.col_you"): percent(p.value, lg),
            t("benchmark.col_percentile"): "—" if p.percentile is None else percent(p.percentile / 100, lg),
            t("benchmark.median"): percent(p.median, lg),
            "Q1 – Q3": "—" if p.q1 is None else f"{percent(p.q1, lg)} – {percent(p.q3, lg)}",
            "n": "—" if p.suppressed is not None else number(p.n, lg),  # a count under the threshold is not printed either
        })  # fmt: skip
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def medians(bench: Benchmark | None, domain_ids: list[str], of: str = "domains") -> list[float | None] | None:
    """The cohort's median score (or gap, `of="gaps"`) per domain, in the order given, for the radar and the gap
    chart; None when the cohort's figures are not shown."""
    if bench is None or bench.suppressed is not None or bench.overall is None or bench.overall.median is None:
        return None
    positions = getattr(bench, of)
    return [positions[d].median if d in positions else None for d in domain_ids]
