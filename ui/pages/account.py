"""My account: who I am, my password, inviting colleagues into my organization, my organization's data, sign out."""

import streamlit as st

from services.accounts import Refused
from services.policy import Target
from ui import auth, context
from ui.i18n import lang, t
from ui.invite_form import invite_form
from ui.plain import plain

lg = lang()
actor = context.actor()
app = context.app()
st.title(t("account.title"))
if st.query_params.get("notice") == "password-changed":  # back from the server's session route
    st.success(t("account.password_changed"), icon=":material/check:")
    del st.query_params["notice"]
st.text(t("account.signed_in_as", email=actor.email))
roles = [t(f"account.role_{r}") for r in ("officer", "researcher", "admin") if r in actor.roles]
places = app.assessing.workplaces(actor)
if places:
    roles.insert(0, t("account.member_of", names=", ".join(p.name for p in places)))
if roles:
    st.text(" · ".join(roles))
st.button(t("account.sign_out"), icon=":material/logout:", on_click=auth.sign_out, key="sign-out")

with (
    st.expander(t("account.password_heading"), icon=":material/password:"),
    st.form("change-password", clear_on_submit=True),
):
    current = st.text_input(t("account.current_password"), type="password", autocomplete="current-password")
    new = st.text_input(t("auth.new_password"), type="password", help=t("auth.password_help"),
                            autocomplete="new-password")  # fmt: skip
    again = st.text_input(t("auth.again"), type="password", autocomplete="new-password")
    if st.form_submit_button(t("account.change_password"), type="primary"):
        try:
            if new != again:
                raise Refused("password.mismatch")
            changed = app.accounts.change_password(actor, current, new)
        except Refused as refused:
            st.error(auth.refusal_text(refused.code, refused.params), icon=":material/block:")
        else:
            # The browser's cookie still holds the session just ended: the server sets the new one, and the browser
            # comes back to this page; nothing more is drawn for the session handed over.
            auth.signed_in(changed.token, "account", notice="password-changed")
            st.stop()

for place in places:
    target = Target(place.id, place.association)
    if context.may("write", "members", target):
        with st.expander(t("account.invite_heading", name=plain(place.name)), icon=":material/group_add:"):
            st.caption(t("account.invite_intro"))
            invite_form(f"invite-{place.id}", organization_id=place.id)
    if context.may("read", "personal_data", target):
        with st.expander(t("account.data_heading", name=plain(place.name)), icon=":material/download:"):
            st.caption(t("account.data_intro"))
            st.download_button(
                t("account.data_download"), data=lambda pid=place.id: app.personal_data.export(actor, pid),
                file_name=f"gapura-organization-{place.id}.zip", mime="application/zip", on_click="ignore",
                icon=":material/download:", key=f"data-{place.id}",
            )  # fmt: skip
