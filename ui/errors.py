"""The one error handler of every page: a refusal or a denial says why in the user's language; anything else gets
a general message with a reference to the server log. Never a class name or a traceback."""

from __future__ import annotations

import contextlib

import streamlit as st
from streamlit.errors import StreamlitAPIException

from services import accounts, assessing
from services.app import disk_full, unavailable
from services.policy import Denied
from ui import auth, context
from ui.i18n import lang, t


def show(exc: Exception) -> bool:
    """Draw what went wrong where the page stopped; True: Streamlit shows nothing more (st.App's on_script_error)."""
    if isinstance(exc, Denied):
        st.error(t("access.denied"), icon=":material/block:")
    elif isinstance(exc, accounts.Refused):
        st.error(auth.refusal_text(exc.code, exc.params), icon=":material/block:")
    elif isinstance(exc, assessing.Refused):
        for issue in exc.issues:
            st.error(issue.message(lang()), icon=":material/block:")
    elif disk_full(exc):
        st.error(t("db.full", ref=context.reference(exc, "the database's disk is full")), icon=":material/hard_drive:")
    elif unavailable(exc):
        st.error(t("db.unreachable", ref=context.reference(exc, "a page could not reach the database")),
                 icon=":material/cloud_off:")  # fmt: skip
        with contextlib.suppress(StreamlitAPIException):  # where no fragment may start, the next click reruns
            context.wait_for_database()
    else:
        st.error(t("errors.unexpected", ref=context.reference(exc, "a page failed")), icon=":material/error:")
    return True
