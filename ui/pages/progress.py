"""Progress between rounds: per member and per cohort, how overall and domain scores changed from one round to the
next, counting only members with both rounds."""

import numpy as np
import pandas as pd
import streamlit as st

from reports.charts import gap_bars
from scoring.export import to_csv
from scoring.formatting import number, percent
from scoring.model import localize
from ui import chart, context
from ui.cohort_filters import cohort, suppressed_notice
from ui.i18n import lang, t

lg = lang()
st.title(t("progress.title"))
st.write(t("progress.intro"))

app, actor = context.app(), context.actor()
library = context.library()
counts: dict[str, int] = {}
for sid, _, n in app.association.versions(actor):
    counts[sid] = counts.get(sid, 0) + n
if not counts:
    st.info(t("cohort.no_assessments"), icon=":material/info:")
    st.stop()
in_use = sorted(counts)
titles = {sid: localize(library.get(sid).title, lg) if library.get(sid) else sid for sid in in_use}
standard_id = st.selectbox(t("cohort.standard"), in_use, format_func=titles.get, key="progress-standard",
                           index=in_use.index(max(counts, key=counts.get)))  # fmt: skip
filters = cohort("progress")
pairs = app.association.progress(actor, standard_id, filters)
if pairs.empty:
    st.info(t("progress.none"), icon=":material/info:")
    st.stop()

directions = ("improved", "unchanged", "declined")
counts = pairs["direction"].value_counts()
members = pairs["organization_id"].nunique()
reason = app.association.distribution_suppressed(members)
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("progress.members"), number(members, lg), border=True)
if reason is None:
    m2.metric(t("progress.improved"), number(int(counts.get("improved", 0)), lg), border=True)
    m3.metric(t("progress.declined"), number(int(counts.get("declined", 0)), lg), border=True)
    mean = float(pairs["change"].mean())
    m4.metric(t("progress.mean_change"), f"{mean * 100:+.0f}", border=True,
              help=t("progress.points_help"))  # fmt: skip
    by_domain = pd.DataFrame(list(pairs["domain_change"])).mean()
    if len(by_domain):
        standard = library.get(standard_id)
        names = {d.id: localize(d.title, lg) for d in standard.domains} if standard else {}
        best = by_domain.idxmax()
        changes = pd.DataFrame({t("results.col_domain"): [names.get(d, d) for d in by_domain.index],
                                t("progress.axis"): (by_domain.to_numpy() * 100).round(1)})  # fmt: skip
        chart.show(t("progress.domain_title", domain=names.get(best, best), points=f"{by_domain[best] * 100:.0f}"),
                   gap_bars([names.get(d, d) for d in by_domain.index], list(np.maximum(by_domain.values, 0)), "",
                            t("progress.axis")), changes, "progress-domains")  # fmt: skip
else:
    suppressed_notice(reason)

which = st.segmented_control(t("progress.show"), directions, selection_mode="multi", default=list(directions),
                             format_func=lambda d: t(f"progress.{d}"), key="progress-direction")  # fmt: skip
shown = pairs[pairs["direction"].isin(which or directions)]
table = pd.DataFrame({
    t("members.col_organization"): shown["organization"],
    t("progress.col_rounds"): [f"{a} → {b}" for a, b in zip(shown["from_round"], shown["to_round"], strict=True)],
    t("progress.col_from"): (shown["from_overall"] * 100).round(0),
    t("progress.col_to"): (shown["to_overall"] * 100).round(0),
    t("progress.col_change"): (shown["change"] * 100).round(1),
    t("progress.col_direction"): [t(f"progress.{d}") if d in directions else "—" for d in shown["direction"]],
    t("members.col_coverage"): [percent(c, lg) for c in shown["to_coverage"]],
})  # fmt: skip
st.dataframe(table, hide_index=True, height=420, column_config={
    t("progress.col_from"): st.column_config.NumberColumn(format="%.0f%%"),
    t("progress.col_to"): st.column_config.NumberColumn(format="%.0f%%"),
    t("progress.col_change"): st.column_config.NumberColumn(format="%+.0f")})  # fmt: skip
st.download_button(t("compare.download"), data=to_csv(table), file_name=f"gapura-progress-{standard_id}.csv",
                   mime="text/csv", icon=":material/table_view:", on_click="ignore")  # fmt: skip
