"""The one place pages get the application (services, settings, library) and the acting user."""

from __future__ import annotations

import logging
import secrets
import threading

import streamlit as st
from sqlalchemy.engine import make_url

from scoring.library import Library
from services import settings as settings_module
from services.app import Gapura
from services.policy import Actor
from services.settings import Settings
from services.standards import library_from
from ui.i18n import t

LOG = logging.getLogger(__name__)


_APPS: dict[Settings, Gapura] = {}
_LOCK = threading.Lock()


def _app(settings: Settings) -> Gapura:
    with _LOCK:
        if settings not in _APPS:
            _APPS[settings] = Gapura(settings)
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
    except Exception as exc:  # any driver error: the user needs the same message
        LOG.exception("cannot open the database")
        shown = make_url(current.database_url).render_as_string(hide_password=True)
        st.error(t("db.unreachable", url=shown, error=str(exc).splitlines()[0][:200]), icon=":material/cloud_off:")
        st.stop()


def library() -> Library:
    """The standards library; it needs no database, so the start page shows even when the database is down."""
    return library_from(settings().standards_dir)


def tab_id() -> str:
    """Names this tab in the change log, so two tabs editing one assessment can be told apart."""
    if "tab-id" not in st.session_state:
        st.session_state["tab-id"] = "tab-" + secrets.token_hex(4)
    return st.session_state["tab-id"]


def actor() -> Actor:
    return Actor(label=tab_id())
