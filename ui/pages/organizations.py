"""Organizations (admins): every organization with its people; demo data loaded on a new Gapura and removed in one
action; erasing one organization completely (UU PDP), after a confirmation that names it."""

import streamlit as st

from scoring.formatting import number
from scoring.issues import Issue
from services.assessing import Refused
from ui import context
from ui.auth import serves_choice
from ui.i18n import lang, t

DEMO_COMPANIES = 200

lg = lang()
actor = context.actor()
app = context.app()
st.title(t("organizations.title"))
st.write(t("organizations.intro"))

serves = app.serving.serves()
with st.container(border=True):
    st.subheader(t("serves.heading"), anchor=False)
    st.caption(t("serves.intro"))
    with st.form("serves"):
        chosen = serves_choice("serves-choice", serves)
        if st.form_submit_button(t("serves.save"), icon=":material/save:"):
            app.serving.set_serves(actor, chosen)
            st.toast(t("serves.saved"), icon=":material/check:")
            st.rerun()  # the navigation is drawn before this page: draw it again with the menus that fit

demo = app.demo.status(actor)
if serves == "association":  # demo members mean nothing to one company's Gapura
    with st.container(border=True):
        st.subheader(t("demo.heading"), anchor=False)
        counts = demo.counts
        if not counts.empty:
            st.info(t("demo.present", companies=number(counts.organizations, lg), assessments=number(counts.assessments, lg),
                      answers=number(counts.answers, lg)), icon=":material/science:")  # fmt: skip
            with st.form("demo-remove"):
                sure = st.checkbox(t("demo.remove_confirm"), key="demo-remove-sure")
                if st.form_submit_button(t("demo.remove_button"), icon=":material/delete_sweep:"):
                    if not sure:
                        st.warning(t("demo.remove_unconfirmed"))
                    else:
                        removed = app.demo.remove(actor)
                        st.toast(
                            t("demo.removed", companies=number(removed.counts.organizations, lg)),
                            icon=":material/check:",
                        )
                        st.rerun()
        elif demo.member_assessments:
            issue = Issue("", "", "demo.member-data", {"companies": demo.member_companies,
                                                       "assessments": demo.member_assessments})  # fmt: skip
            st.caption(t("demo.not_offered", reason=issue.message(lg)))
        else:
            st.write(t("demo.explain", n=number(DEMO_COMPANIES, lg)))
            if st.button(
                t("demo.load_button", n=number(DEMO_COMPANIES, lg)), type="primary", icon=":material/science:"
            ):
                try:
                    with st.spinner(t("demo.loading")):
                        loaded = app.demo.load(actor, organizations=DEMO_COMPANIES)
                except Refused as refused:
                    st.error("; ".join(i.message(lg) for i in refused.issues))
                else:
                    st.toast(t("demo.loaded", companies=number(loaded.organizations, lg)), icon=":material/check:")
                    st.rerun()

organizations = app.assessing.organizations(actor)
if not organizations:
    st.info(t("organizations.none"))
    st.stop()
members = app.accounts.member_counts(actor)
without = [name for i, name, _ in organizations if not members.get(i)]
if without:
    st.warning(t("organizations.without_members", n=len(without)), icon=":material/person_off:")
st.dataframe(
    [{t("organizations.col_name"): name, t("organizations.col_kind"): t(f"organizations.kind_{kind}"),
      t("organizations.col_members"): members.get(i, 0),
      t("demo.col_badge"): t("demo.badge") if i in demo.organization_ids else ""} for i, name, kind in organizations],
    hide_index=True,
)  # fmt: skip
look_alikes = app.assessing.look_alikes(actor)
if look_alikes:
    st.warning(t("organizations.look_alikes", n=len(look_alikes)), icon=":material/content_copy:")
    st.dataframe(
        [{t("organizations.col_name"): name, t("organizations.col_number"): i,
          t("organizations.col_members"): members.get(i, 0)} for group in look_alikes for i, name, _ in group],
        hide_index=True,
    )  # fmt: skip

with st.container(border=True):
    st.subheader(t("organizations.erase_heading"))
    st.caption(t("organizations.erase_intro"))
    chosen = st.selectbox(t("organizations.col_name"), organizations, format_func=lambda o: f"{o[1]} (#{o[0]})" + (f" · {t('demo.badge')}" if o[0] in demo.organization_ids else ""), index=None,
                          key="erase-choice", placeholder=t("profile.choose"))  # fmt: skip
    if chosen is not None:
        with st.form("erase", clear_on_submit=True):
            st.text(t("organizations.erase_confirm", name=chosen[1]))
            typed = st.text_input(t("organizations.erase_type"), max_chars=200)
            if st.form_submit_button(t("organizations.erase_button"), type="primary", icon=":material/delete_forever:"):
                if app.personal_data.erase(actor, chosen[0], typed):
                    st.session_state.pop("erase-choice", None)
                    st.toast(t("organizations.erased"), icon=":material/check:")
                    st.rerun()
                else:
                    st.error(t("organizations.erase_mismatch"))
