"""The line that says whether every answer is saved; while some are not, it retries every few seconds and keeps
the browser's copy (ui/browser_journal.py) up to date, and redraws the page once all are saved. With everything
saved only this line looks in, every 20 s, so the page settles: a timer that redrew it every few seconds kept a
loaded machine's browser chasing elements being replaced."""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.browser_journal import browser_journal, restored_now
from ui.i18n import t

RETRY_SECONDS = 4


def save_status() -> None:
    (_retrying if session.pending() else _settled)()


@st.fragment(run_every=RETRY_SECONDS)
def _retrying() -> None:
    if restored_now() or not session.retry_unsaved():
        st.rerun(scope="app")  # every card shows its saved state again, and the timer stops
    _status()


# With everything saved the line still looks in now and then: a page whose server was restarted is not run again
# until it sends something, and only a run lets the browser's journal offer what was typed as the server died.
HEARTBEAT_SECONDS = 20


@st.fragment(run_every=HEARTBEAT_SECONDS)
def _settled() -> None:
    if restored_now() or session.pending():
        st.rerun(scope="app")  # restored changes to show, or a change not saved: retried on the timer from now on
    _status()


def _status() -> None:
    session.saved_failure()  # this fragment shows what is unsaved: the cards need not redraw the page for it
    browser_journal()
    if unsaved := session.pending():
        ids = ", ".join(sorted(unsaved))
        said = t("assess.unsaved_full", ids=ids) if session.no_room() else t("assess.unsaved", ids=ids)
        st.error(said, icon=":material/cloud_off:")
    elif not session.read_only():  # a submitted round is final: nothing is being saved
        st.caption(t("assess.autosave"))
