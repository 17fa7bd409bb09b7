"""The language of the pages: chosen in the sidebar, kept in the page address, and remembered with the account, so
a sign-in on any device opens in the language the user chose last."""

from __future__ import annotations

import streamlit as st

from services.app import unavailable
from services.policy import ANONYMOUS, Actor, SignedOut
from ui import context
from ui.i18n import LANGUAGES

APPLIED = "lang-of-account"  # the account whose stored language this tab has applied


def choose(language: str) -> None:
    """Show the pages in `language` from now on (the address keeps it across reloads)."""
    st.session_state["lang"] = language
    st.query_params["lang"] = language


def remember(language: str) -> None:
    """Store the choice with the signed-in account; a signed-out tab or an unreachable database keeps it only here."""
    actor: Actor = st.session_state.get(context.ACTOR, ANONYMOUS)
    if not actor.signed_in or not context.may("write", "preferences"):
        return
    try:
        context.app().accounts.set_language(context.actor(), language)
    except SignedOut:
        return  # the sign-in page follows at this run's gate
    except Exception as exc:
        if not unavailable(exc):
            raise


def apply_stored(actor: Actor) -> None:
    """Once per tab and account: the account's stored language, when it differs from the tab's, and the page again
    (the language picker above is drawn already)."""
    if not actor.signed_in or st.session_state.get(APPLIED) == actor.user_id:
        return
    st.session_state[APPLIED] = actor.user_id
    stored = context.app().accounts.language(context.actor()) if context.may("read", "preferences") else None
    if stored in LANGUAGES and stored != st.session_state.get("lang"):
        choose(stored)
        st.rerun()
