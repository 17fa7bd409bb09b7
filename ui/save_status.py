"""The line that says whether every answer is saved; while some are not, it retries every few seconds and keeps
the browser's copy (ui/browser_journal.py) up to date, and redraws the page once all are saved."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.browser_journal import browser_journal, restored_now
from ui.i18n import t

RETRY_SECONDS = 4


@st.fragment(run_every=RETRY_SECONDS)
def save_status() -> None:
    if restored_now() or (session.pending() and not session.retry_unsaved()):
        st.rerun(scope="app")  # every card shows its saved state again
    session.saved_failure()  # this fragment shows what is unsaved: the cards need not redraw the page for it
    browser_journal()
    if unsaved := session.pending():
        st.error(t("assess.unsaved", ids=", ".join(sorted(unsaved))), icon=":material/cloud_off:")
    else:
        st.caption(t("assess.autosave"))
