"""Compare members: a heatmap of members × domains, a ranking, the cohort's distributions and a radar of a few."""

import numpy as np
import pandas as pd
import streamlit as st

from reports.charts import boxes, heatmap, radar_many, ranking
from scoring.export import to_csv
from scoring.formatting import number, percent
from scoring.model import localize
from ui import chart, context
from ui.cohort_filters import cohort, standard_version, suppressed_notice
from ui.i18n import lang, t

SHOWN = 100  # members drawn in the heatmap and the ranking; the table and the download hold them all

lg = lang()
st.title(t("compare.title"))
st.write(t("compare.intro"))

app, actor = context.app(), context.actor()
chosen = standard_version("compare", app.association.versions(actor))
if chosen is None:
    st.stop()
filters = cohort("compare")
panel, rows = app.association.compare(actor, *chosen, filters)
standard, s = panel.standard, panel.scores
st.caption(t("compare.cohort_line", cohort=filters.cohort.describe(lg), n=len(rows)))
if not len(rows):
    st.info(t("compare.empty"), icon=":material/info:")
    st.stop()

domains = [localize(d.title, lg) for d in standard.domains]
order = rows[np.argsort(-np.nan_to_num(s.overall[rows], nan=-1), kind="stable")]
names = panel.frame["organization"].to_numpy()


def table(values: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(np.round(values * 100, 1), columns=domains)
    frame.insert(0, t("compare.col_overall"), np.round(s.overall[order] * 100, 1))
    frame.insert(0, t("members.col_organization"), names[order])
    return frame


def shown(frame: pd.DataFrame, height: int | None = None) -> None:
    """A table of scores on the page: whole percentages, as everywhere (the sprintf format has no decimal comma;
    the CSV keeps the decimals)."""
    scores = [c for c in frame.columns if frame[c].dtype.kind == "f"]
    st.dataframe(frame, hide_index=True, height=height or "auto",
                 column_config={c: st.column_config.NumberColumn(format="%.0f%%") for c in scores})  # fmt: skip


def download(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button(t("compare.download"), data=to_csv(frame), file_name=f"gapura-{name}.csv", mime="text/csv",
                       icon=":material/table_view:", on_click="ignore", key=key)  # fmt: skip


cohort_figures = app.association.spread(actor, panel, rows)
m1, m2, m3 = st.columns(3)
m1.metric(t("compare.members"), number(len(rows), lg), border=True)
m2.metric(t("compare.median"), "—" if cohort_figures.median is None else percent(cohort_figures.median, lg), border=True,
          help=None if cohort_figures.suppressed is None else cohort_figures.suppressed.message(lg))  # fmt: skip
m3.metric(t("compare.ready"), number(cohort_figures.ready, lg), border=True)

tab_heat, tab_rank, tab_box, tab_radar = st.tabs(
    [t("compare.heatmap_tab"), t("compare.ranking_tab"), t("compare.boxes_tab"), t("compare.radar_tab")]
)
with tab_heat:
    mode = st.segmented_control(t("compare.show"), ["score", "gap"], default="score", key="compare-mode",
                                format_func=lambda m: t(f"compare.mode_{m}")) or "score"  # fmt: skip
    values = s.domain_score[order] if mode == "score" else s.domain_score[order] - s.domain_target[order]
    weakest = domains[int(np.nanargmin(np.nanmean(s.domain_score[order] - s.domain_target[order], axis=0)))]
    title = t("compare.heatmap_title", domain=weakest)
    if len(order) > SHOWN:
        st.caption(t("compare.first_shown", n=SHOWN, total=len(order)))
    chart.show(title, heatmap(list(names[order][:SHOWN]), domains, values[:SHOWN].tolist(), "",
                              None if mode == "score" else 0.0, t(f"compare.mode_{mode}")), table(values), "heatmap")  # fmt: skip
    download(table(values), f"{standard.id}-{mode}-by-domain", "download-heatmap")
with tab_rank:
    top = order[:SHOWN]
    chart.show(t("compare.ranking_title", name=names[order[0]]),
               ranking(list(names[top]), list(s.overall[top]), "", t("compare.col_overall")), None, "ranking")  # fmt: skip
    ranked = table(s.domain_score[order])
    ranked.insert(0, t("compare.col_rank"), range(1, len(ranked) + 1))
    shown(ranked, height=360)
    download(ranked, f"{standard.id}-ranking", "download-ranking")
with tab_box:
    if cohort_figures.suppressed is not None:
        suppressed_notice(cohort_figures.suppressed)
    else:
        member = st.selectbox(t("compare.highlight"), [None, *order], key="compare-highlight",
                              format_func=lambda i: t("compare.nobody") if i is None else names[i])  # fmt: skip
        highlight = None if member is None else list(s.domain_score[member])
        spread = [list(s.domain_score[rows, k][~np.isnan(s.domain_score[rows, k])]) for k in range(len(domains))]
        widest = domains[int(np.argmax([np.ptp(v) if v else 0 for v in spread]))]
        chart.show(
            t("compare.boxes_title", domain=widest),
            boxes(domains, spread, highlight, "", t("compare.cohort"), names[member] if member is not None else ""),
            None,
            "boxes",
        )  # the quartiles' table is under it
        q = cohort_figures.domains
        stats = pd.DataFrame({t("results.col_domain"): domains, "Q1": (q["q1"] * 100).round(1).to_numpy(),
                              t("compare.median"): (q["median"] * 100).round(1).to_numpy(),
                              "Q3": (q["q3"] * 100).round(1).to_numpy(), "n": q["n"].to_numpy()})  # fmt: skip
        shown(stats)
        download(stats, f"{standard.id}-distribution", "download-boxes")
with tab_radar:
    picked = st.multiselect(t("compare.pick"), list(order), default=list(order[:2]), max_selections=5,
                            key="compare-radar", format_func=lambda i: names[i], select_all=False)  # fmt: skip
    if len(picked) < 2:
        st.info(t("compare.pick_two"), icon=":material/info:")
    else:
        series = {str(names[i]): list(s.domain_score[i]) for i in picked}
        chart.show(t("compare.radar_title", n=len(picked)), radar_many(domains, series, ""), None, "radar-many")
        chosen_table = pd.DataFrame({name: np.round(np.array(v) * 100, 1) for name, v in series.items()},
                                    index=domains).rename_axis(t("results.col_domain")).reset_index()  # fmt: skip
        shown(chosen_table)
        download(chosen_table, f"{standard.id}-radar", "download-radar")
