"""Campaigns: ask members to assess one standard by a deadline, invite them, and follow where each one stands."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from scoring.campaign import STAGES
from scoring.export import to_csv
from scoring.formatting import day, number
from scoring.model import localize
from scoring.roster import parse_roster
from services.assessing import Refused
from services.campaigns import COUNTED
from ui import context
from ui.i18n import DATE_COLUMN, lang, t
from ui.invite_form import app_address
from ui.plain import plain
from ui.uploads import file_uploader

lg = lang()
st.title(t("campaigns.title"))
st.write(t("campaigns.intro"))
app, actor = context.app(), context.actor()
today = datetime.now(UTC).date()
REMIND_OPTIONS = (1, 2, 3, 5, 7, 14, 21, 30)


def stage_label(stage: str) -> str:
    return t(f"campaigns.stage_{stage}")


def new_campaign() -> None:
    standards = sorted(context.offered("organization"), key=lambda s: localize(s.title, lg).casefold())
    if not standards:
        st.warning(t("assess.no_standards"))
        return
    c1, c2, c3 = st.columns([3, 2, 2])
    choice = c1.selectbox(t("campaigns.standard"), range(len(standards)), key="campaign-standard",
                          format_func=lambda i: f"{localize(standards[i].title, lg)} ({standards[i].version})")  # fmt: skip
    round_name = c2.text_input(t("campaigns.round"), max_chars=100, placeholder="T0 2027", key="campaign-round")
    deadline = c3.date_input(t("campaigns.deadline"), value=today + timedelta(days=30), min_value=today,
                             format=DATE_COLUMN, key="campaign-deadline")  # fmt: skip
    c1, c2, c3 = st.columns([3, 2, 2])
    remind = c1.multiselect(t("campaigns.remind_days"), REMIND_OPTIONS, default=[7, 1], key="campaign-remind",
                            format_func=lambda d: t("campaigns.days_before", n=d))  # fmt: skip
    sample = c2.number_input(t("campaigns.sample_size"), 1, 50, 5, help=t("campaigns.sample_help"), key="campaign-n")
    reply = c3.number_input(t("campaigns.reply_days"), 1, 90, 14, key="campaign-reply")
    m1, m2 = st.columns(2)
    message_id = m1.text_area(t("campaigns.message_id"), max_chars=2000, key="campaign-message-id")
    message_en = m2.text_area(t("campaigns.message_en"), max_chars=2000, key="campaign-message-en")

    st.subheader(t("campaigns.members"))
    signed_up = app.accounts.member_counts(actor)  # one picked from the list is written to at its first member
    companies = [
        (i, name) for i, name, kind in app.assessing.organizations(actor) if kind == "company" and i in signed_up
    ]
    names = dict(companies)
    picked = st.multiselect(t("campaigns.pick"), [i for i, _ in companies], format_func=names.get,
                            placeholder=t("campaigns.pick_placeholder"), key="campaign-picked")  # fmt: skip
    st.caption(t("campaigns.csv_help"))
    upload = file_uploader(t("campaigns.csv"), ["csv"], key="campaign-csv")
    invitees = []
    if upload is not None:
        roster = parse_roster(upload.getvalue(), upload.name)
        if roster.issues:
            st.error(t("campaigns.csv_refused", n=len(roster.issues)), icon=":material/block:")
            st.dataframe(pd.DataFrame({t("campaigns.col_line"): [i.path for i in roster.issues],
                                       t("campaigns.col_reason"): [i.message(lg) for i in roster.issues]}),
                         hide_index=True)  # fmt: skip
        else:
            invitees = roster.invitees
            st.success(t("campaigns.csv_taken", n=len(invitees)), icon=":material/check_circle:")
    if not st.button(t("campaigns.create"), type="primary", icon=":material/campaign:",
                     disabled=upload is not None and not invitees):  # fmt: skip
        return
    standard = standards[choice]
    try:
        campaign_id, links = app.campaigns.create(
            actor, standard.id, standard.version, round_name, deadline, [*picked, *invitees], message_id=message_id,
            message_en=message_en, remind_days=remind, sample_size=int(sample), reply_days=int(reply),
            base_url=app_address(),
        )  # fmt: skip
    except Refused as refused:
        for issue in refused.issues:
            st.error(issue.message(lg), icon=":material/block:")
        return
    st.session_state["campaign-made"] = (campaign_id, links)
    st.session_state["campaign-shown"] = campaign_id
    st.rerun()


def made() -> None:
    """What the last campaign created here sent, or the links to copy (shown once: they are single-use)."""
    campaign_id, links = st.session_state.pop("campaign-made", (None, []))
    if campaign_id is None:
        return
    st.success(t("campaigns.created", n=len(links)), icon=":material/campaign:")
    waiting = [link for link in links if not link.sent]
    if waiting:
        st.info(t("campaigns.copy_links", days=context.settings().invitation_days), icon=":material/link:")
        frame = pd.DataFrame({t("campaigns.col_email"): [link.email for link in waiting],
                              t("campaigns.col_link"): [link.url for link in waiting]})  # fmt: skip
        st.dataframe(frame, hide_index=True)
        st.download_button(t("campaigns.download_links"), data=to_csv(frame), file_name="gapura-invitations.csv",
                           mime="text/csv", icon=":material/download:", on_click="ignore")  # fmt: skip


def campaign_list(campaigns) -> None:
    with st.expander(t("campaigns.all", n=len(campaigns)), icon=":material/list:"):
        st.dataframe(pd.DataFrame({
            t("campaigns.round"): [c.round_name for c in campaigns],
            t("campaigns.standard"): [f"{c.standard_id} {c.standard_version}" for c in campaigns],
            t("campaigns.deadline"): pd.to_datetime([c.deadline for c in campaigns]),
            t("campaigns.col_created"): pd.to_datetime([c.created_at for c in campaigns], utc=True),
        }), hide_index=True, column_config={
            t("campaigns.deadline"): st.column_config.DateColumn(format=DATE_COLUMN),
            t("campaigns.col_created"): st.column_config.DatetimeColumn(format=DATE_COLUMN),
        })  # fmt: skip


def tracker_view(campaigns) -> None:
    ids = [c.id for c in campaigns]
    shown = st.session_state.get("campaign-shown")
    by_id = {c.id: c for c in campaigns}
    chosen = st.selectbox(t("campaigns.campaign"), ids, index=ids.index(shown) if shown in ids else 0,
                          format_func=lambda i: t("campaigns.option", round=by_id[i].round_name,
                                                  deadline=day(by_id[i].deadline, lg)))  # fmt: skip
    tracker = app.campaigns.tracker(actor, chosen, today)
    campaign = tracker.campaign
    standard = context.app().standard(campaign.standard_id, campaign.standard_version)
    title = localize(standard.title, lg) if standard else campaign.standard_id
    st.caption(t("campaigns.summary", standard=plain(title), version=plain(campaign.standard_version),
                 deadline=day(campaign.deadline, lg)))  # fmt: skip
    for column, name in zip(st.columns(len(COUNTED)), COUNTED, strict=True):
        label = t("campaigns.overdue") if name == "overdue" else stage_label(name)
        column.metric(label, number(tracker.counts[name], lg), border=True)

    f1, f2, f3 = st.columns([2, 1, 2], vertical_alignment="bottom")
    every = t("cohort.all")
    stage = f1.selectbox(t("campaigns.stage"), [None, *STAGES], format_func=lambda s: every if s is None
                         else stage_label(s), key="campaign-filter-stage")  # fmt: skip
    only_overdue = f2.toggle(t("campaigns.only_overdue"), key="campaign-filter-overdue")
    search = f3.text_input(t("campaigns.search"), key="campaign-filter-name").strip().casefold()
    rows = [r for r in tracker.rows
            if (stage is None or r.stage == stage) and (not only_overdue or r.overdue)
            and (not search or search in r.organization.casefold())]  # fmt: skip
    table = pd.DataFrame({
        t("campaigns.col_organization"): [r.organization for r in rows],
        t("campaigns.col_email"): [r.email for r in rows],
        t("campaigns.stage"): [stage_label(r.stage) for r in rows],
        t("campaigns.overdue"): [r.overdue for r in rows],
        t("campaigns.col_submitted"): pd.to_datetime([r.submitted_at for r in rows], utc=True),
        t("campaigns.col_last_activity"): pd.to_datetime([r.last_activity for r in rows], utc=True),
        t("campaigns.col_withdrawn"): [r.withdrawn for r in rows],
    })  # fmt: skip
    st.dataframe(
        table, hide_index=True, height=min(38 * (len(table) + 1), 600),
        column_config={
            t("campaigns.col_submitted"): st.column_config.DatetimeColumn(format=DATE_COLUMN),
            t("campaigns.col_last_activity"): st.column_config.DatetimeColumn(format=DATE_COLUMN),
        },
    )  # fmt: skip
    st.download_button(t("campaigns.download"), data=to_csv(table), file_name=f"gapura-campaign-{campaign.id}.csv",
                       mime="text/csv", icon=":material/table_view:", on_click="ignore")  # fmt: skip
    remind_now(campaign.id, tracker.rows)
    staying = {r.organization_id: r.organization for r in tracker.rows if not r.withdrawn}
    if staying:
        with st.expander(t("campaigns.withdraw_heading"), icon=":material/person_remove:"):
            leaving = st.selectbox(t("campaigns.col_organization"), list(staying), format_func=staying.get,
                                   key="campaign-withdraw")  # fmt: skip
            if st.button(t("campaigns.withdraw"), key="campaign-withdraw-button"):
                app.campaigns.withdraw(actor, campaign.id, leaving)
                st.rerun()


def remind_now(campaign_id: int, rows) -> None:
    """An officer's reminder on demand, to members still to submit: each at most once a day, never after submission."""
    waiting = {r.organization_id: r.organization for r in rows
               if not r.withdrawn and STAGES.index(r.stage) < STAGES.index("submitted")}  # fmt: skip
    if not waiting:
        return
    with st.expander(t("campaigns.remind_heading"), icon=":material/notifications:"):
        if context.settings().smtp is None:
            st.warning(t("campaigns.remind_no_smtp"), icon=":material/mail_lock:")
            return
        chosen = st.multiselect(t("campaigns.remind_who"), list(waiting), default=list(waiting),
                                format_func=waiting.get, key=f"campaign-remind-{campaign_id}")  # fmt: skip
        if st.button(t("campaigns.remind_send"), icon=":material/send:", disabled=not chosen,
                     key=f"campaign-remind-send-{campaign_id}"):  # fmt: skip
            sent = app.reminders.remind_now(actor, campaign_id, chosen, datetime.now(UTC))
            st.success(t("campaigns.remind_sent", n=number(sent, lg), skipped=number(len(chosen) - sent, lg)),
                       icon=":material/mark_email_read:")  # fmt: skip


made()
campaigns = app.campaigns.campaigns(actor)
follow, create = st.tabs([t("campaigns.tab_tracker"), t("campaigns.tab_new")])
with follow:
    if campaigns:
        tracker_view(campaigns)
        campaign_list(campaigns)
    else:
        st.info(t("campaigns.none"), icon=":material/info:")
with create:
    new_campaign()
