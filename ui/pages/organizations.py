"""Organizations (admins): every organization with its people; erasing one completely (UU PDP), after a
confirmation that names it."""

import streamlit as st

from ui import context
from ui.i18n import lang, t

lg = lang()
actor = context.actor()
app = context.app()
st.title(t("organizations.title"))
st.write(t("organizations.intro"))

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
      t("organizations.col_members"): members.get(i, 0)} for i, name, kind in organizations],
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
    chosen = st.selectbox(t("organizations.col_name"), organizations, format_func=lambda o: f"{o[1]} (#{o[0]})", index=None,
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
