"""Inviting someone by email: into an organization (a colleague) or to a role (officers, researchers, admins).
The link is single-use and expires; it is emailed when SMTP is configured, else shown to copy."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from services.accounts import Refused
from services.policy import Denied
from ui import auth, context
from ui.i18n import t


def app_address() -> str:
    """Where links point: the configured public address, else the address this browser used."""
    configured = context.settings().base_url
    if configured:
        return configured
    url = urlsplit(st.context.url or "http://localhost:8501")
    return f"{url.scheme}://{url.netloc}"


def invite_form(key: str, organization_id: int | None = None, roles: list[str] | None = None) -> None:
    with st.form(key, clear_on_submit=True):
        email = st.text_input(t("invite.email"), max_chars=254, placeholder="nama@perusahaan.co.id")
        role = None
        if roles:
            role = st.selectbox(t("invite.role"), roles, format_func=lambda r: t(f"account.role_{r}"))
        submitted = st.form_submit_button(t("invite.send"), type="primary", icon=":material/send:")
    if not submitted:
        return
    try:
        link = context.app().accounts.invite(
            context.actor(), email, role=role, organization_id=organization_id, base_url=app_address()
        )
    except Denied:
        st.error(t("access.denied"))
        return
    except Refused as refused:
        st.error(auth.refusal_text(refused.code, refused.params))
        return
    days = context.settings().invitation_days
    if link.sent:
        st.success(t("invite.sent", email=link.email, days=days), icon=":material/mark_email_read:")
    else:
        st.info(t("invite.copy", days=days), icon=":material/link:")
        st.code(link.url, language=None)
