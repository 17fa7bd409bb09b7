"""Members: every member organization's assessments, their status, coverage and readiness, and completion over time."""

import pandas as pd
import streamlit as st

from reports.charts import completion
from scoring.export import to_csv
from scoring.formatting import month, number, percent
from scoring.model import localize
from scoring.readiness import HEADLINES
from scoring.versions import version_key
from ui import chart, context
from ui.cohort_filters import cohort
from ui.i18n import DATE_COLUMN, lang, t

lg = lang()
st.title(t("members.title"))
st.write(t("members.intro"))

app, actor = context.app(), context.actor()
members = app.association.members(actor)
if members.empty:
    st.info(t("cohort.no_assessments"), icon=":material/info:")
    st.stop()

library = context.library()
titles = {sid: localize(library.get(sid).title, lg) if library.get(sid) else sid for sid in members["standard_id"]}
every = t("cohort.all")
STATUSES = ("not-started", "in-progress", "submitted", "verified")

with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    standard = c1.selectbox(t("cohort.standard"), [None, *sorted(titles, key=titles.get)], key="members-standard",
                            format_func=lambda s: every if s is None else titles[s])  # fmt: skip
    chosen = members.loc[members["standard_id"] == standard, "standard_version"]
    versions = sorted(chosen.unique(), key=version_key) if standard else []
    version = c2.selectbox(t("members.version"), [None, *versions], key="members-version",
                           format_func=lambda v: every if v is None else v, disabled=not standard)  # fmt: skip
    rounds = sorted(members["round"].unique())
    round_ = c3.selectbox(t("members.round"), [None, *rounds], key="members-round",
                          format_func=lambda r: every if r is None else t("rounds.round_label", n=r))  # fmt: skip
    status = c4.selectbox(t("members.status"), [None, *STATUSES], key="members-status",
                          format_func=lambda s: every if s is None else t(f"members.status_{s}"))  # fmt: skip
    filters = cohort("members")

shown = members[filters.cohort.mask(members)]
for column, value in (("standard_id", standard), ("standard_version", version), ("round", round_),
                      ("progress", status)):  # fmt: skip
    if value is not None:
        shown = shown[shown[column] == value]

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("members.organizations"), number(shown["organization_id"].nunique(), lg), border=True)
m2.metric(t("members.assessments"), number(len(shown), lg), border=True)
m3.metric(t("members.submitted"), number(int(shown["progress"].isin(["submitted", "verified"]).sum()), lg), border=True)
m4.metric(t("members.median_coverage"), percent(shown["coverage"].median() if len(shown) else None, lg), border=True)

campaign_rounds = app.campaigns.every_round_name(actor) if context.may("read", "campaign") else {}
table = pd.DataFrame({
    t("members.col_organization"): shown["organization"],
    t("members.col_demo"): shown["synthetic"],
    t("cohort.standard"): [titles[s] for s in shown["standard_id"]],
    t("members.version"): shown["standard_version"],
    t("members.round"): shown["round"],
    t("members.col_campaign"): [campaign_rounds.get(a, "") for a in shown["assessment"]],
    t("members.status"): [t(f"members.status_{s}") for s in shown["progress"]],
    t("members.col_coverage"): shown["coverage"] * 100,
    t("members.col_overall"): shown["overall"] * 100,
    t("members.col_readiness"): [HEADLINES[r][lg] for r in shown["readiness"]],
    t("cohort.province"): shown["province"],
    t("cohort.size"): shown["size_band"],
    t("members.col_last_activity"): shown["updated_at"],
})  # fmt: skip
st.dataframe(
    table, hide_index=True, height=min(38 * (len(table) + 1), 600),
    column_config={
        t("members.col_coverage"): st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100),
        t("members.col_overall"): st.column_config.NumberColumn(format="%.0f%%"),
        t("members.col_demo"): st.column_config.CheckboxColumn(help=t("members.col_demo_help")),
        t("members.col_last_activity"): st.column_config.DatetimeColumn(format=DATE_COLUMN),
    },
)  # fmt: skip
st.download_button(t("members.download"), data=to_csv(table), file_name="gapura-members.csv", mime="text/csv",
                   icon=":material/table_view:", on_click="ignore")  # fmt: skip

if len(shown):
    started = shown["created_at"].dt.tz_convert(None).dt.to_period("M")
    done = shown["submitted_at"].dropna().dt.tz_convert(None).dt.to_period("M")
    months = pd.period_range(started.min(), max(started.max(), done.max() if len(done) else started.max()), freq="M")
    counts_started = started.value_counts().reindex(months, fill_value=0).cumsum()
    counts_done = done.value_counts().reindex(months, fill_value=0).cumsum()
    labels = [month(m.to_timestamp(), lg) for m in months]
    share = percent(counts_done.iloc[-1] / max(1, len(shown)), lg)
    by_month = pd.DataFrame({t("charts.month"): labels, t("members.started"): counts_started.tolist(),
                             t("members.submitted"): counts_done.tolist()})  # fmt: skip
    chart.show(t("members.completion_title", share=share), completion(labels, counts_started.tolist(),
               counts_done.tolist(), "", t("members.started"), t("members.submitted")), by_month, "completion")  # fmt: skip
