"""People & invitations: invite officers, researchers and admins; admins also manage accounts, roles,
memberships and password resets."""

import pandas as pd
import streamlit as st

from services.accounts import Refused
from ui import auth, context
from ui.i18n import lang, t
from ui.invite_form import app_address, invite_form

lg = lang()
actor = context.actor()
app = context.app()
st.title(t("people.title"))
st.write(t("people.intro"))

roles = ["officer", "verifier", "researcher"] + (["admin"] if "admin" in actor.roles or actor.system else [])
with st.container(border=True):
    st.subheader(t("people.invite_role"))
    invite_form("invite-role", roles=roles)
organizations = app.assessing.organizations(actor) if context.may("read", "members") else []
first_member_only = not context.may("write", "members")  # officers: see services/accounts.py
if first_member_only:
    counts = app.accounts.member_counts(actor)
    organizations = [o for o in organizations if o[2] == "association" or not counts.get(o[0])]
if organizations:
    with st.container(border=True):
        st.subheader(t("people.invite_member"))
        if first_member_only:
            st.caption(t("people.first_member_only"))
        chosen = st.selectbox(t("people.organization"), organizations, format_func=lambda o: o[1], key="invite-org")
        invite_form("invite-member", organization_id=chosen[0])

if context.may("read", "accounts"):
    st.subheader(t("people.accounts"))
    users = app.accounts.list_users(actor)
    names = {i: name for i, name, _ in app.assessing.organizations(actor)}
    table = pd.DataFrame([
        {t("people.col_email"): u.email, t("people.col_roles"): ", ".join(t(f"account.role_{r}") for r in u.roles),
         t("people.col_organizations"): ", ".join(names.get(o, str(o)) for o in u.organizations),
         t("people.col_active"): u.active}
        for u in users
    ])  # fmt: skip
    st.dataframe(table, hide_index=True)
    if users:
        with st.container(border=True):
            st.subheader(t("people.change"))
            user = st.selectbox(t("people.col_email"), users, format_func=lambda u: u.email, key="people-user")
            chosen_roles = st.multiselect(t("people.col_roles"), ["officer", "verifier", "researcher", "admin"],
                                          default=list(user.roles), key=f"roles-{user.id}",
                                          format_func=lambda r: t(f"account.role_{r}"), select_all=False)  # fmt: skip
            if st.button(t("people.save_roles"), key=f"save-roles-{user.id}"):
                try:
                    app.accounts.set_roles(actor, user.id, chosen_roles)
                except Refused as refused:
                    st.error(auth.refusal_text(refused.code, refused.params))
                else:
                    st.toast(t("people.saved"), icon=":material/check:")
                    st.rerun()
            member_of = st.selectbox(t("people.add_to"), list(names), format_func=names.get, index=None,
                                     key=f"member-{user.id}", placeholder=t("profile.choose"))  # fmt: skip
            if member_of is not None and st.button(t("people.add_member"), key=f"add-member-{user.id}"):
                app.accounts.add_member(actor, user.id, member_of)
                st.toast(t("people.saved"), icon=":material/check:")
                st.rerun()
            if st.button(t("people.reset"), key=f"reset-{user.id}", icon=":material/lock_reset:"):
                link = app.accounts.reset_link(actor, user.id, base_url=app_address())
                st.info(t("people.reset_copy"), icon=":material/link:")
                st.code(link.url, language=None)
