"""Results: the verdict in plain words, domain scores against the target, gaps and the action plan."""

import pandas as pd
import streamlit as st

from reports.charts import gap_bars, radar, trend
from scoring.assessment import counted_levels
from scoring.engine import score_one
from scoring.formatting import percent
from services.assessing import VERIFIED
from services.reports import MEDIA_TYPES
from services.verification import scored_levels
from ui import chart, context, domain_gaps, session
from ui.action_plan import action_plan
from ui.benchmark import CHOICE as BENCHMARK_CHOICE
from ui.benchmark import benchmark, medians
from ui.benchmark import show as show_benchmark
from ui.evidence_warning import expired_evidence_warning
from ui.i18n import lang, t
from ui.markdown import localize  # a standard's text as Markdown, without images
from ui.plain import plain
from ui.verification_card import load as load_verification
from ui.verification_card import verification_card

lg = lang()
st.title(t("results.title"))
st.write(t("results.intro"))

result = session.result()
std = session.standard()
work = session.current()
if result is None or std is None or work is None:
    st.info(t("results.nothing_yet"), icon=":material/info:")
    st.page_link("ui/pages/assess.py", label=t("results.go_assess"), icon=":material/edit_note:")
    st.stop()

# Once the association verified the assessment, its score uses the verified levels where it checked (the company's
# own answers stay as they were).
checked = load_verification(work)
levels, verified = scored_levels(session.answers(), checked)
if verified:
    result = score_one(std, levels)
verdict = result.verdict
domain_title = {d.id: localize(d.title, lg) for d in std.domains}

st.subheader(localize(std.title, lg))
st.caption(t("assess.for_org_round", org=plain(work.organization["name"]), version=std.version, round=work.round))
tone = {"ready": st.success, "not-ready": st.error, "incomplete": st.warning}.get(verdict.code, st.info)
tone(f"**{verdict.headline(lg)}** — {verdict.explain(lg)}")
st.caption(t("results.based_verified" if verified else "results.based_own"))
expired_evidence_warning(work, std, result)

if not session.may_change():
    st.info(t("submit.view_only"), icon=":material/visibility:")
elif session.read_only():
    st.success(t("submit.verified" if work.status == VERIFIED else "submit.done"), icon=":material/lock:")
elif verdict.code != "incomplete":
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.caption(t("submit.hint"))
    right.button(t("submit.button"), on_click=session.set_status, args=("submitted",), type="primary",
                 icon=":material/send:", width="stretch", key="submit")  # fmt: skip

if checked is not None:
    verification_card(checked, std, work)

col1, col2, col3 = st.columns(3)
col1.metric(t("results.overall"), percent(result.overall, lg), border=True)
col2.metric(t("results.coverage"), percent(result.coverage, lg), border=True)
col3.metric(t("results.open_actions"), len(result.actions), border=True)

bench = benchmark(work)
domains = result.domains
cohort_median = medians(bench, list(domains["domain"]))
names = [domain_title[d] for d in domains["domain"]]
scored = domains.dropna(subset=["score"])
if scored.empty:
    st.info(t("results.no_scores"))
else:
    largest = scored.loc[scored["gap"].idxmax()]
    charts = st.container(), st.container()
    with charts[0]:
        best = scored.loc[scored["score"].idxmax()]
        fig = radar(names, domains["score"].tolist(), domains["target"].tolist(), "", t("results.current"),
                    t("results.target"), cohort_median, t("benchmark.median"))  # fmt: skip
        shown = {t("results.col_domain"): names, t("results.current"): [percent(v, lg) for v in domains["score"]],
                 t("results.target"): [percent(v, lg) for v in domains["target"]]}  # fmt: skip
        if cohort_median is not None:
            shown[t("benchmark.median")] = [percent(v, lg) for v in cohort_median]
        chart.show(t("results.radar_title", domain=domain_title[best["domain"]]), fig, pd.DataFrame(shown), "radar")
    with charts[1]:
        title = (
            t("results.gap_title", domain=domain_title[largest["domain"]])
            if largest["gap"] > 0
            else t("results.gap_title_none")
        )
        median_gaps = medians(bench, list(scored["domain"]), "gaps")
        fig = gap_bars([domain_title[d] for d in scored["domain"]], scored["gap"].tolist(), "", t("results.gap_axis"),
                       median_gaps, t("benchmark.median_gap"),
                       [domain_gaps.hover(std, result, d, domain_title[d]) for d in scored["domain"]])  # fmt: skip
        shown = {t("results.col_domain"): [domain_title[d] for d in scored["domain"]],
                 t("results.col_gap"): [percent(v, lg) for v in scored["gap"]]}  # fmt: skip
        if median_gaps is not None:
            shown[t("benchmark.median_gap")] = [percent(v, lg) for v in median_gaps]
        chart.show(title, fig, pd.DataFrame(shown), "gaps")
if bench is not None:
    show_benchmark(bench, std)

rounds = context.app().assessing.rounds(context.actor(), work)
if len(rounds) > 1:
    st.subheader(t("rounds.trend_heading"))
    labels, overall, by_domain = [], [], {}
    for stored in rounds:
        round_std = context.app().standard(stored.summary.standard_id, stored.summary.standard_version)
        if round_std is None:
            continue
        scored_round = score_one(round_std, counted_levels(stored.answers))
        labels.append(t("rounds.round_label", n=stored.summary.round))
        overall.append(scored_round.overall)
        for row in scored_round.domains.itertuples():
            by_domain.setdefault(domain_title.get(row.domain, row.domain), {})[labels[-1]] = row.score
    domain_series = {name: [values.get(label) for label in labels] for name, values in by_domain.items()}
    known = [(label, value) for label, value in zip(labels, overall, strict=True) if value is not None]
    change = t("rounds.trend_flat", first=rounds[0].summary.round)
    if len(known) > 1:
        points = round((known[-1][1] - known[0][1]) * 100)
        first_round = known[0][0].split()[-1]
        change = t("rounds.trend_up" if points > 0 else "rounds.trend_down" if points < 0 else "rounds.trend_flat",
                   points=abs(points), first=first_round)  # fmt: skip
    by_round = pd.DataFrame({t("charts.round"): labels, t("rounds.overall"): [percent(v, lg) for v in overall]}
                            | {name: [percent(v, lg) for v in values] for name, values in domain_series.items()})  # fmt: skip
    chart.show(t("rounds.trend_title", change=change),
               trend(labels, overall, domain_series, "", t("rounds.overall"), t("charts.domains")), by_round, "trend")  # fmt: skip

# Two tabs: a table's toolbar floats over the right end of the tab row, where a third tab was hidden on a phone.
tab_plan, tab_domains = st.tabs([t("results.plan_tab"), t("results.domains_tab")])
with tab_plan:
    action_plan(std, result, work)
with tab_domains:
    st.dataframe(
        {
            t("results.col_domain"): names,
            t("results.col_score"): (domains["score"] * 100).round(0),
            t("results.col_target"): (domains["target"] * 100).round(0),
            t("results.col_gap"): (domains["gap"] * 100).round(0),
            t("domain_gap.col_below"): domain_gaps.table_column(std, result, domains["domain"]),
        },
        hide_index=True,
        column_config={
            t("results.col_score"): st.column_config.ProgressColumn(format="%d%%", min_value=0, max_value=100),
            t("results.col_target"): st.column_config.NumberColumn(format="%d%%"),
            t("results.col_gap"): st.column_config.NumberColumn(format="%d%%"),
        },
    )
    st.caption(t("domain_gap.caption"))
with st.expander(t("results.how_tab"), icon=":material/calculate:"):
    st.markdown(t("results.how_text", ready=percent(std.readiness.ready, lg),
                  progressing=percent(std.readiness.progressing, lg), top=std.scale.top))  # fmt: skip

st.divider()
st.subheader(t("results.downloads"))
app, actor, cohort = context.app(), context.actor(), st.session_state.get(BENCHMARK_CHOICE)


def report_builder(fmt: str):
    """The file, built from what is stored when its button is clicked (it needs no script context); its benchmark
    in the cohort chosen above."""
    return lambda: app.reports.company_report(actor, work, lg, fmt, cohort)


stem = session.file_stem()
(d1, d2), (d3, d4) = st.columns(2), st.columns(2)  # four in a row cut the longest label at 1366 px
d1.download_button(t("report.download_pdf"), data=report_builder("pdf"), file_name=stem + "-report.pdf",
                   mime="application/pdf", icon=":material/picture_as_pdf:", width="stretch", on_click="ignore",
                   help=t("report.help_pdf"), type="primary")  # fmt: skip
d2.download_button(t("report.download_xlsx"), data=report_builder("xlsx"), file_name=stem + "-results.xlsx",
                   mime=MEDIA_TYPES["xlsx"], icon=":material/grid_on:", width="stretch", on_click="ignore")  # fmt: skip
d3.download_button(t("report.download_csv"), data=report_builder("csv"), file_name=stem + "-results.csv",
                   mime="text/csv", icon=":material/table_view:", width="stretch", on_click="ignore")  # fmt: skip
d4.download_button(t("assess.download_json"), data=session.document_builder(), file_name=stem + ".json",
                   mime="application/json", icon=":material/download:", width="stretch", on_click="ignore")  # fmt: skip
