"""Support given to members: record an intervention, who took part (by hand or from an attendance list), and the
descriptive change between two campaign rounds for members with and without a kind of support."""

import pandas as pd
import streamlit as st

from reports.charts import with_without
from scoring.export import to_csv
from scoring.formatting import day, decimal, number
from scoring.model import localize
from scoring.support import KINDS
from services.assessing import Refused
from ui import chart, context
from ui.i18n import lang, t
from ui.uploads import file_uploader

TAKEN = "support-attendance-taken"
lg = lang()
st.title(t("support.title"))
st.write(t("support.intro"))

app, actor = context.app(), context.actor()
capabilities = {cid: localize(title, lg) for cid, title in context.library().capabilities.items()}
members = dict(app.support.members(actor))
listed = app.support.interventions(actor)


def kind_name(kind: str) -> str:
    return t(f"support.kind_{kind.replace('-', '_')}")


c1, c2, c3 = st.columns(3)
c1.metric(t("support.interventions"), number(len(listed), lg), border=True)
c2.metric(t("support.participations"), number(sum(i.participants for i in listed), lg), border=True)
c3.metric(t("support.members"), number(len(members), lg), border=True)

record, given, effect = st.tabs([t("support.tab_record"), t("support.tab_list"), t("support.tab_effect")])

with record, st.form("support-record", clear_on_submit=True):
    kind = st.selectbox(t("support.kind"), KINDS, format_func=kind_name)
    title = st.text_input(t("support.name"), max_chars=200)
    start_col, end_col = st.columns(2)
    started_on = start_col.date_input(t("support.started_on"), format="DD/MM/YYYY")
    ended_on = end_col.date_input(t("support.ended_on"), format="DD/MM/YYYY")
    addressed = st.multiselect(t("support.capabilities"), list(capabilities), format_func=capabilities.get,
                               help=t("support.capabilities_help"), placeholder=t("profile.choose"))  # fmt: skip
    funder = st.text_input(t("support.funder"), max_chars=200)
    note = st.text_area(t("support.note"))
    chosen = st.multiselect(t("support.participants"), list(members), format_func=members.get,
                            placeholder=t("profile.choose"))  # fmt: skip
    if st.form_submit_button(t("support.save"), type="primary", icon=":material/add:"):
        try:
            app.support.record(actor, kind, title, started_on, ended_on, addressed, funder, note, chosen)
        except Refused as refused:
            for issue in refused.issues:
                st.error(issue.message(lg), icon=":material/block:")
        else:
            st.toast(t("support.saved"), icon=":material/task_alt:")
            st.rerun()

with given:
    if not listed:
        st.info(t("support.none"), icon=":material/info:")
    else:
        table = pd.DataFrame({
            t("support.name"): [i.title for i in listed],
            t("support.kind"): [kind_name(i.kind) for i in listed],
            t("support.started_on"): [day(i.started_on, lg) for i in listed],
            t("support.ended_on"): [day(i.ended_on, lg) for i in listed],
            t("support.capabilities"): [", ".join(capabilities.get(c, c) for c in i.capabilities) for i in listed],
            t("support.funder"): [i.funder for i in listed],
            t("support.participants"): [i.participants for i in listed],
        })  # fmt: skip
        st.dataframe(table, hide_index=True)
        st.download_button(t("support.download"), data=to_csv(table), file_name="gapura-support.csv",
                           mime="text/csv", icon=":material/table_view:", on_click="ignore")  # fmt: skip
        by_id = {i.id: i for i in listed}
        picked = st.selectbox(t("support.pick"), list(by_id), key="support-pick",
                              format_func=lambda i: f"{by_id[i].title} · {day(by_id[i].started_on, lg)}")  # fmt: skip
        people = app.support.participants(actor, picked)
        st.dataframe(pd.DataFrame({t("support.organization"): [name for _, name, _ in people],
                                   t("support.days"): [number(d, lg) if d is not None else t("support.all_days")
                                                       for _, _, d in people]}), hide_index=True)  # fmt: skip
        add_col, remove_col = st.columns(2)
        with add_col:
            adding = st.multiselect(t("support.add"), [m for m in members if m not in {p[0] for p in people}],
                                    format_func=members.get, key=f"support-add-{picked}",
                                    placeholder=t("profile.choose"))  # fmt: skip
            if st.button(t("support.add_button"), disabled=not adding, key=f"support-add-button-{picked}"):
                app.support.add_participants(actor, picked, adding)
                st.rerun()
        with remove_col:
            names = {i: name for i, name, _ in people}
            removing = st.selectbox(t("support.remove"), list(names), format_func=names.get, index=None,
                                    key=f"support-remove-{picked}", placeholder=t("profile.choose"))  # fmt: skip
            if st.button(t("support.remove_button"), disabled=removing is None, key=f"support-remove-button-{picked}"):
                app.support.remove_participant(actor, picked, removing)
                st.rerun()
        st.markdown(f"##### {t('support.attendance')}")
        st.caption(t("support.attendance_help"))
        upload = file_uploader(t("support.attendance_file"), ["csv"], key=f"support-attendance-{picked}")
        if st.button(t("support.attendance_button"), disabled=upload is None, icon=":material/upload:",
                     key=f"support-attendance-button-{picked}"):  # fmt: skip
            try:
                taken = app.support.import_attendance(actor, picked, upload.getvalue())
            except Refused as refused:
                st.error(t("support.attendance_refused", n=len(refused.issues)), icon=":material/block:")
                st.dataframe(pd.DataFrame({t("support.line"): [i.params.get("line", "") for i in refused.issues],
                                           t("support.reason"): [i.message(lg) for i in refused.issues]}),
                             hide_index=True)  # fmt: skip
            else:
                st.session_state[TAKEN] = taken  # said after the rerun that shows the new participants
                st.rerun()
        if TAKEN in st.session_state:
            st.success(t("support.attendance_taken", n=number(st.session_state.pop(TAKEN), lg)),
                       icon=":material/task_alt:")  # fmt: skip

with effect:
    st.write(t("support.effect_intro"))
    st.info(t("support.not_causal"), icon=":material/info:")
    versions = [(sid, version) for sid, version, _ in app.association.versions(actor)]
    with_rounds = [(sid, v, rounds) for sid, v in versions if len(rounds := app.support.rounds(actor, sid, v)) >= 2]
    if not with_rounds:
        st.info(t("support.no_rounds"), icon=":material/info:")
        st.stop()
    library = context.library()

    def version_name(k: int) -> str:
        sid, version, _ = with_rounds[k]
        standard = library.get(sid)
        return f"{localize(standard.title, lg) if standard else sid} {version}"

    which = st.selectbox(t("support.standard"), range(len(with_rounds)), format_func=version_name, key="effect-std")
    sid, version, rounds = with_rounds[which]
    left, right, kind_col = st.columns(3)
    first = left.selectbox(t("support.from_round"), rounds[:-1], key="effect-from")
    later = rounds[rounds.index(first) + 1 :]
    second = right.selectbox(t("support.to_round"), later, index=len(later) - 1, key="effect-to")
    kind = kind_col.selectbox(t("support.kind"), KINDS, format_func=kind_name, key="effect-kind")
    comparison = app.support.effect(actor, sid, version, first, second, kind)
    rows = comparison.table
    measure_name = {"overall": t("support.overall"), **capabilities}
    group_name = {"with": t("support.with", kind=kind_name(kind)), "without": t("support.without")}
    shown = pd.DataFrame({
        t("support.measure"): [measure_name.get(m, m) for m in rows["measure"]],
        t("support.group"): [group_name[g] for g in rows["group"]],
        t("support.count"): [number(int(n), lg) if pd.notna(n) else t("support.few") for n in rows["members"]],
        t("support.change"): [t("support.points", points=("+" if c > 0 else "") + decimal(c * 100, lg))
                              if pd.notna(c) else "—" for c in rows["change"]],
        t("support.why_hidden"): [r.message(lg) if r is not None else "" for r in rows["reason"]],
    })  # fmt: skip
    measures = list(dict.fromkeys(rows["measure"]))
    values = {g: [rows.loc[(rows["group"] == g) & (rows["measure"] == m), "change"].iloc[0] for m in measures]
              for g in ("with", "without")}  # fmt: skip
    figure = with_without([measure_name.get(m, m) for m in measures],
                          [None if pd.isna(v) else v for v in values["with"]],
                          [None if pd.isna(v) else v for v in values["without"]], "", t("support.axis"),
                          group_name["with"], group_name["without"])  # fmt: skip
    st.dataframe(shown, hide_index=True)
    if rows["change"].notna().any():
        chart.show(t("support.chart_title", first=first, second=second), figure, None, "support-effect")
    else:
        st.info(t("support.all_hidden"), icon=":material/visibility_off:")
