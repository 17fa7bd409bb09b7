"""Shared gaps, the research agenda: the criteria most members miss, ranked by the score points the membership
would gain, for any cohort; the same by capability across standards; how members answered each criterion."""

import io
from datetime import date

import pandas as pd
import streamlit as st

from reports.charts import agenda_bars, level_shares
from scoring.export import safe_cell, to_csv
from scoring.formatting import day, decimal, number, percent
from scoring.model import localize
from scoring.profile import ISLAND_GROUP_LABELS
from ui import chart, context
from ui.cohort_filters import cohort, standard_version, suppressed_notice
from ui.i18n import lang, t

TOP = 10

lg = lang()
st.title(t("gaps.title"))
st.write(t("gaps.intro"))

app, actor = context.app(), context.actor()
chosen = standard_version("gaps", app.aggregates.versions(actor))
if chosen is None:
    st.stop()
filters = cohort("gaps")
verified_only = st.toggle(t("gaps.verified_only"), key="gaps-verified", help=t("gaps.verified_only_help"))
gaps = app.aggregates.shared_gaps(actor, *chosen, filters, verified_only=verified_only)
standard = gaps.standard
threshold = app.settings.privacy_threshold


def count(n: int | None, reason=None) -> str:
    """A count as it may be shown: under the threshold only "fewer than k" (the count would tell the group), and
    nothing beside a differencing refusal."""
    if n is None:
        return (
            "—"
            if reason is not None and reason.code == "disclosure.differencing"
            else t("gaps.fewer", threshold=threshold)
        )
    return number(n, lg)


st.caption(
    t(
        "gaps.cohort_line",
        cohort=filters.cohort.describe(lg),
        n=count(gaps.n, gaps.suppressed),
        members=count(gaps.members, gaps.suppressed),
    )
)
if verified_only:
    st.caption(t("gaps.verified_note"))
if gaps.as_of is not None:
    st.info(t("gaps.as_of", date=day(gaps.as_of, lg), threshold=threshold), icon=":material/history:")


levels_used = t("gaps.levels_verified") if verified_only else t("gaps.levels_own")


def about() -> pd.DataFrame:
    """What every downloaded file of this page says about itself: cohort, companies, threshold, date, method."""
    return pd.DataFrame({t("gaps.about_field"): [t("gaps.about_standard"), t("gaps.about_cohort"),
                                                  t("gaps.about_n"), t("gaps.about_threshold"), t("gaps.about_date"),
                                                  t("gaps.about_method"), t("gaps.about_levels")],
                         t("gaps.about_value"): [f"{standard.id} {standard.version}", filters.cohort.describe(lg),
                                                 count(gaps.n), number(threshold, lg), day(date.today(), lg),
                                                 t("gaps.how"), levels_used]})  # fmt: skip


def xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The tables as one workbook; text that a spreadsheet would run as a formula is neutralised."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.map(safe_cell).to_excel(writer, sheet_name=name[:31], index=False)
    return out.getvalue()


if gaps.suppressed is not None:
    suppressed_notice(gaps.suppressed)
else:
    criterion_of = {c.id: (d, c) for d, c in standard.criteria()}
    frame = gaps.criteria
    table = pd.DataFrame({
        t("gaps.col_rank"): range(1, len(frame) + 1),
        t("gaps.col_criterion"): [f"{cid} · {localize(criterion_of[cid][1].title, lg)}" for cid in frame["criterion"]],
        t("results.col_domain"): [localize(criterion_of[cid][0].title, lg) for cid in frame["criterion"]],
        t("gaps.col_agenda"): [decimal(p * 100, lg, 2) for p in frame["agenda"]],  # shown only: id 2,13
        t("gaps.col_share_unmet"): (frame["share_unmet"] * 100).round(0),
        t("gaps.col_count"): frame["count"],
        t("plan.col_planning"): [count(n) for n in frame["planning"]],
    })  # fmt: skip
    # The files name each criterion by id and by title in their own columns, and carry the cohort they describe.
    file_table = pd.DataFrame({
        t("gaps.col_rank"): range(1, len(frame) + 1),
        t("gaps.col_id"): list(frame["criterion"]),
        t("gaps.col_criterion"): [localize(criterion_of[cid][1].title, lg) for cid in frame["criterion"]],
        t("results.col_domain"): [localize(criterion_of[cid][0].title, lg) for cid in frame["criterion"]],
        t("gaps.col_agenda"): (frame["agenda"] * 100).round(2),
        t("gaps.file_share_unmet"): (frame["share_unmet"] * 100).round(1),
        t("gaps.file_unmet"): frame["unmet"],
        t("gaps.file_count"): frame["count"],
        t("plan.col_planning"): [count(n) for n in frame["planning"]],
        t("gaps.about_cohort"): filters.cohort.describe(lg),
        t("gaps.about_n"): gaps.n,
        t("gaps.about_threshold"): threshold,
        t("gaps.about_date"): day(date.today(), lg),
        t("gaps.about_levels"): levels_used,
    })  # fmt: skip
    top = frame.head(TOP)
    first = top.iloc[0] if len(top) else None
    if first is not None and first["agenda"] > 0:
        m1, m2, m3 = st.columns(3)
        m1.metric(t("gaps.benchmark_members"), number(gaps.n, lg), border=True)
        m2.metric(t("gaps.most_shared"), percent(float(frame["share_unmet"].max()), lg), border=True)
        m3.metric(t("gaps.half_or_more"), number(int((frame["share_unmet"] >= 0.5).sum()), lg), border=True)
        title = t("gaps.top_title", criterion=localize(criterion_of[first["criterion"]][1].title, lg),
                  share=percent(float(first["share_unmet"]), lg))  # fmt: skip
        figure = agenda_bars(list(table[t("gaps.col_criterion")].head(TOP)), list(top["agenda"]),
                             list(top["share_unmet"]), "", t("gaps.axis"), t("gaps.col_share_unmet"))  # fmt: skip
        chart.show(title, figure, None, "agenda")  # its data is the table under it
        st.caption(t("gaps.how"))
    else:
        st.success(t("gaps.none"), icon=":material/check_circle:")
    st.dataframe(
        table,
        hide_index=True,
        height=420,
        column_config={
            t("gaps.col_share_unmet"): st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100),
            t("plan.col_planning"): st.column_config.TextColumn(help=t("plan.col_planning_help", threshold=threshold)),
        },
    )
    levels = gaps.levels.set_index("criterion")
    level_names = [c for c in levels.columns]
    shown = [cid for cid in frame["criterion"].head(TOP)]
    label = {"na": "N/A"}
    st.subheader(t("gaps.levels_heading"))
    shown_names = [f"{cid} · {localize(criterion_of[cid][1].title, lg)}" for cid in shown]
    shown_levels = [label.get(name, t("gaps.level", level=name)) for name in level_names]
    level_table = levels.reset_index()
    shown_table = pd.DataFrame(levels.loc[shown].to_numpy(), columns=shown_levels)
    shown_table.insert(0, t("gaps.col_criterion"), shown_names)
    chart.show(t("gaps.levels_title"), level_shares(shown_names, shown_levels, levels.loc[shown].to_numpy().tolist(), "",
                                                   t("gaps.levels_axis"), gaps.n), shown_table, "levels")  # fmt: skip
    st.caption(t("gaps.levels_hidden", threshold=threshold))
    d1, d2 = st.columns(2)
    d1.download_button(t("gaps.download_csv"), data=to_csv(file_table), file_name=f"gapura-agenda-{standard.id}.csv",
                       mime="text/csv", icon=":material/table_view:", on_click="ignore", width="stretch")  # fmt: skip
    d2.download_button(t("gaps.download_xlsx"), data=xlsx({"agenda": file_table, "levels": level_table, "about": about()}),
                       file_name=f"gapura-agenda-{standard.id}.xlsx", icon=":material/grid_on:", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")  # fmt: skip

if verified_only:
    st.divider()
    st.subheader(t("gaps.self_report_heading"))
    report = app.aggregates.self_report_gap(actor, *chosen, filters)
    if report.suppressed is not None:
        suppressed_notice(report.suppressed)
    else:
        st.metric(t("gaps.inflation"), decimal(report.index, lg, 3), border=True)
        shown = report.gaps[report.gaps["n"].fillna(1) > 0]  # a suppressed criterion is listed, saying so
        titles = {c.id: localize(c.title, lg) for _, c in standard.criteria()}
        st.dataframe(pd.DataFrame({
            t("gaps.col_criterion"): [f"{cid} · {titles[cid]}" for cid in shown["criterion"]],
            t("gaps.col_gap"): [decimal(g, lg, 3) for g in shown["gap"]],
            t("gaps.col_gap_levels"): [decimal(g, lg, 2) for g in shown["gap_levels"]],
            t("gaps.col_over"): ["—" if pd.isna(v) else percent(v, lg) for v in shown["share_over"]],
            t("gaps.col_under"): ["—" if pd.isna(v) else percent(v, lg) for v in shown["share_under"]],
            t("gaps.col_verified"): [count(None if pd.isna(n) else int(n)) for n in shown["n"]],
        }), hide_index=True)  # fmt: skip
    st.caption(t("gaps.self_report_how", threshold=threshold))

st.divider()
st.subheader(t("gaps.breakdown_heading"))
parts, reason = app.aggregates.breakdown(actor, *chosen, filters, verified_only=verified_only)
if reason is not None:
    suppressed_notice(reason)
else:
    islands = {k: v[lg] for k, v in ISLAND_GROUP_LABELS.items()}
    st.dataframe(pd.DataFrame({
        t("cohort.island"): [t("gaps.total") if total else islands.get(p) or t("gaps.unknown_place")
                             for p, total in zip(parts["part"], parts["total"], strict=True)],
        t("gaps.col_companies"): ["—" if pd.isna(n) else number(int(n), lg) for n in parts["n"]],
        t("compare.median"): [percent(m, lg) if not pd.isna(m) else "—" for m in parts["median"]],
        t("compare.ready"): [percent(r, lg) if not pd.isna(r) else "—" for r in parts["ready"]],
        t("gaps.col_why"): ["" if r is None else r.message(lg) for r in parts["suppressed"]],
    }), hide_index=True)  # fmt: skip

st.divider()
st.subheader(t("gaps.capabilities_heading"))
st.write(t("gaps.capabilities_intro"))
capabilities, organizations, reason = app.aggregates.capabilities(actor, filters)
st.caption(t("gaps.capabilities_count", n=count(organizations, reason)))
if reason is not None:
    suppressed_notice(reason)
elif capabilities.empty:
    st.info(t("gaps.capabilities_none"), icon=":material/info:")
else:
    registry = {cid: localize(title, lg) for cid, title in context.library().capabilities.items()}
    cap_table = pd.DataFrame({
        t("gaps.col_capability"): [registry.get(c, c) for c in capabilities["capability"]],
        t("gaps.col_share_affected"): (capabilities["share_affected"] * 100).round(0),
        t("gaps.col_agenda"): (capabilities["agenda"] * 100).round(2),
        t("gaps.col_count"): capabilities["count"],
    })  # fmt: skip
    st.dataframe(
        cap_table.assign(**{t("gaps.col_agenda"): [decimal(p, lg, 2) for p in cap_table[t("gaps.col_agenda")]]}),
        hide_index=True,
        height=360,
        column_config={
            t("gaps.col_share_affected"): st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100)
        },
    )
    st.download_button(t("gaps.download_csv"), data=to_csv(cap_table), file_name="gapura-agenda-capabilities.csv",
                       mime="text/csv", icon=":material/table_view:", on_click="ignore", key="download-capabilities")  # fmt: skip
