"""The one place pages get the application (services, settings, library) and the acting user."""

from __future__ import annotations

import gc
import logging
import secrets
import threading
from dataclasses import replace
from datetime import timedelta
from typing import NoReturn

import streamlit as st

from scoring.library import Library
from scoring.model import Standard
from services import settings as settings_module
from services.app import Gapura
from services.policy import ANONYMOUS, Action, Actor, Target, allowed
from services.settings import Settings
from services.standards import shown_path as standards_shown_path
from ui.i18n import t

LOG = logging.getLogger(__name__)
ACTOR = "actor"
NOTICE = "notice"
RETRY_SECONDS = 5  # how often a tab that opened during an outage asks whether the database is back


_APPS: dict[Settings, Gapura] = {}
_LOCK = threading.Lock()


def _app(settings: Settings) -> Gapura:
    with _LOCK:
        if settings not in _APPS:
            first = not _APPS
            _APPS[settings] = Gapura(settings)
            if first:
                # Streamlit runs a full garbage collection after every script run (runner.postScriptGC), a
                # fragment's included: ~100 ms per answer spent walking the modules, the library and the
                # application, which live as long as the process. Frozen, each collection walks only what was made
                # since. Once per process: a frozen object is still freed by reference counting, but a cycle it
                # turns into later stays until the process ends.
                gc.collect()
                gc.freeze()
        return _APPS[settings]


def settings() -> Settings:
    return settings_module.load()


def app() -> Gapura:
    """One application per settings and server process, its database migrated on first use.

    If the database cannot be reached, the page says so (without the password) and stops: no answer is taken
    that could not be saved."""
    current = settings()
    try:
        return _app(current)
    except Exception as exc:  # any driver error: the user needs the same message, and no server detail
        unreachable(exc, "cannot open the database")


def unreachable(exc: BaseException, what: str) -> NoReturn:
    """Say the database cannot be reached (without the password), and open the page by itself once it answers."""
    st.error(t("db.unreachable", ref=reference(exc, what)), icon=":material/cloud_off:")
    wait_for_database()
    st.stop()


@st.fragment(run_every=RETRY_SECONDS)
def wait_for_database() -> None:
    """A tab that opened while the database was away has no page of its own to retry from (a replica that died or
    restarted during an outage sends its tabs here): it reruns as soon as the database answers at its schema."""
    try:
        ready = _app(settings()).health.unready() is None
    except Exception:  # still away: wait for the next tick
        return
    if ready:
        st.rerun(scope="app")


def shared_app() -> Gapura:
    """The same application outside a page (the server's routes); raises when the database cannot be opened."""
    return _app(settings())


def reference(exc: BaseException, what: str) -> str:
    """Log a failure with its detail for whoever runs Gapura, under a short reference the page can show."""
    ref = secrets.token_hex(4)
    LOG.error("%s (reference %s)", what, ref, exc_info=exc)  # the detail stays in the server log
    return ref


def library() -> Library:
    """The standards library as published in the database; when it cannot be read, the page's error handler says
    the database is away (the sign-in page reads no library)."""
    return app().library()


def offered(subject: str) -> list[Standard]:
    """The standards a new assessment can start with: the latest version of each, retired versions left out."""
    return app().standards_library.offered(subject)


def shown_path(file: str) -> str:
    """A standards file as users see it: relative to the standards folder."""
    return standards_shown_path(file, settings().standards_dir)


def tab_id() -> str:
    """Names this tab in the change log, so two tabs editing one assessment can be told apart."""
    if "tab-id" not in st.session_state:
        st.session_state["tab-id"] = "tab-" + secrets.token_hex(4)
    return st.session_state["tab-id"]


def actor() -> Actor:
    """The signed-in user of this tab (set by the sign-in gate on every full run), named with the tab in logs."""
    signed_in: Actor = st.session_state.get(ACTOR, ANONYMOUS)
    return replace(signed_in, label=f"{signed_in.label}/{tab_id()}")


def may(action: Action, resource: str, target: Target | None = None) -> bool:
    """What the policy allows this tab's user: pages use it to hide what would be denied, never to decide."""
    return allowed(actor(), action, resource, target)


def session_length() -> timedelta:
    return timedelta(days=settings().session_days)


def notice(key: str) -> None:
    """A message (i18n key) for the next full run to show, whatever page it lands on."""
    st.session_state[NOTICE] = key


def show_notice() -> None:
    """Shows the message left for this run, as a toast (the page it was about may be gone from the navigation)."""
    if key := st.session_state.pop(NOTICE, None):
        st.toast(t(key), icon=":material/info:")
