"""Members: every member organization's assessments, their status, coverage and readiness, and completion over time."""

import pandas as pd
import streamlit as st

from reports.charts import completion
from scoring.export import to_csv
from scoring.formatting import month, number, percent
from scoring.model import localize
from scoring.readiness import HEADLINES
from scoring.versions import version_key
from ui import chart, context, pager
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
standards = {sid: library.get(sid) for sid in members["standard_id"].unique()}
titles = {sid: localize(found.title, lg) if found else sid for sid, found in standards.items()}
every = t("cohort.all")
STATUSES = ("not-started", "in-progress", "submitted", "verified")
# How the rows may be ordered before paging: column, ascending (the newest activity first by default).
ORDERS = {"activity": ("updated_at", False), "organization": ("organization", True), "coverage": ("coverage", True),
          "overall": ("overall", False)}  # fmt: skip

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
    c1, c2 = st.columns([3, 1])
    search = c1.text_input(t("members.search"), key="members-search", placeholder=t("members.search_hint"))
    order = c2.selectbox(
        t("members.order"), list(ORDERS), key="members-order", format_func=lambda o: t(f"members.order_{o}")
    )

shown = members[filters.cohort.mask(members)]
for column, value in (("standard_id", standard), ("standard_version", version), ("round", round_),
                      ("progress", status)):  # fmt: skip
    if value is not None:
        shown = shown[shown[column] == value]
if needle := search.strip():
    shown = shown[shown["organization"].str.contains(needle, case=False, regex=False)]
column, ascending = ORDERS[order]
shown = shown.sort_values(column, ascending=ascending, kind="stable", na_position="last")

m1, m2, m3, m4 = st.columns(4)
m1.metric(t("members.organizations"), number(shown["organization_id"].nunique(), lg), border=True)
m2.metric(t("members.assessments"), number(len(shown), lg), border=True)
m3.metric(t("members.submitted"), number(int(shown["progress"].isin(["submitted", "verified"]).sum()), lg), border=True)
m4.metric(t("members.median_coverage"), percent(shown["coverage"].median() if len(shown) else None, lg), border=True)

campaign_rounds = app.campaigns.every_round_name(actor) if context.may("read", "campaign") else {}
statuses = {s: t(f"members.status_{s}") for s in STATUSES}
table = pd.DataFrame({
    t("members.col_organization"): shown["organization"],
    t("members.col_demo"): shown["synthetic"],
    t("cohort.standard"): shown["standard_id"].map(titles),
    t("members.version"): shown["standard_version"],
    t("members.round"): shown["round"],
    t("members.col_campaign"): shown["assessment"].map(campaign_rounds).astype("string").fillna(""),
    t("members.status"): shown["progress"].map(statuses),
    t("members.col_coverage"): shown["coverage"] * 100,
    t("members.col_overall"): shown["overall"] * 100,
    t("members.col_readiness"): shown["readiness"].map({r: text[lg] for r, text in HEADLINES.items()}),
    t("cohort.province"): shown["province"],
    t("cohort.size"): shown["size_band"],
    t("members.col_last_activity"): shown["updated_at"],
})  # fmt: skip
rows = pager.page(table, "members-page", among=(standard, version, round_, status, filters, search, order))
st.dataframe(
    rows, hide_index=True, height=min(38 * (len(rows) + 1), 600),
    column_config={
        t("members.col_coverage"): st.column_config.ProgressColumn(format="%.0f%%", min_value=0, max_value=100),
        t("members.col_overall"): st.column_config.NumberColumn(format="%.0f%%"),
        t("members.col_demo"): st.column_config.CheckboxColumn(help=t("members.col_demo_help")),
        t("members.col_last_activity"): st.column_config.DatetimeColumn(format=DATE_COLUMN),
    },
)  # fmt: skip
# Every row the filters chose, not only the page; written when the officer asks for it, not on every run.
st.download_button(t("members.download"), data=lambda: to_csv(table), file_name="gapura-members.csv", mime="text/csv",
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
