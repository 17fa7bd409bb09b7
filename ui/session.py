"""The assessment this browser tab works on: saved to the store answer by answer, reopened from its link."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from sqlalchemy.engine import make_url

from scoring.assessment import assessment_document, assessment_json, counted_levels
from scoring.crosswalk import capability_prefill, excluded_by_segments
from scoring.engine import Result, score_one
from scoring.model import AssessmentFile, Standard
from scoring.profile import SEGMENTS
from store.db import make_engine
from store.repository import Imported, Store, Workspace
from store.settings import database_url
from ui.i18n import t
from ui.library import library

LOG = logging.getLogger(__name__)
KEY = "work"
LINK_PARAM = "a"


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(make_engine(url))


def store() -> Store:
    """One store per database URL and server process, migrated to the latest schema on first use.

    If the database cannot be reached, the page says so (without the password) and stops: no answer is taken
    that could not be saved."""
    url = database_url()
    try:
        return _store(url)
    except Exception as exc:  # any driver error: the user needs the same message
        LOG.exception("cannot open the database")
        shown = make_url(url).render_as_string(hide_password=True)
        st.error(t("db.unreachable", url=shown, error=str(exc).splitlines()[0][:200]), icon=":material/cloud_off:")
        st.stop()


def tab_id() -> str:
    """Names this tab in the change log, so two tabs editing one assessment can be told apart."""
    if "tab-id" not in st.session_state:
        st.session_state["tab-id"] = "tab-" + secrets.token_hex(4)
    return st.session_state["tab-id"]


def current() -> dict[str, Any] | None:
    """The open assessment; opened from the page link (?a=...) when this tab has none yet."""
    work = st.session_state.get(KEY)
    token = st.query_params.get(LINK_PARAM)
    if work is None and token:
        opened = store().open_link(token)
        if opened is None:
            st.session_state["link-unknown"] = True
            del st.query_params[LINK_PARAM]
            return None
        workspace, assessment_id = opened
        open_assessment(workspace.organization_id, assessment_id)
        work = st.session_state.get(KEY)
    elif work is not None and token != work.get("token"):
        st.query_params[LINK_PARAM] = work["token"]  # page navigation drops it; the address must stay the link
    return work


def open_assessment(organization_id: int, assessment_id: int) -> None:
    workspace = store().workspace(organization_id)
    stored = workspace.load(assessment_id)
    st.session_state[KEY] = {
        "organization_id": organization_id,
        "assessment_id": assessment_id,
        "round": stored.summary.round,
        "status": stored.summary.status,
        "standard": [stored.summary.standard_id, stored.summary.standard_version],
        "organization": stored.organization,
        "answers": stored.answers,
        "gen": st.session_state.get(KEY, {}).get("gen", 0) + 1,
    }
    st.session_state[KEY]["token"] = workspace.token(assessment_id)
    st.query_params[LINK_PARAM] = st.session_state[KEY]["token"]


def set_status(status: str) -> None:
    """Submit the open assessment (read-only from then on) or reopen it."""
    work = current()
    assert work is not None
    store().workspace(work["organization_id"]).set_status(work["assessment_id"], status, by=tab_id())
    work["status"] = status


def read_only() -> bool:
    work = current()
    return bool(work and work.get("status") == "submitted")


def refresh() -> None:
    """Reload the answers from the store, so this tab shows what other tabs saved (its unsaved ones stay)."""
    work = st.session_state.get(KEY)
    if work:
        loaded = store().workspace(work["organization_id"]).load(work["assessment_id"])
        work["status"] = loaded.summary.status
        stored = loaded.answers
        for criterion_id in st.session_state.get("unsaved", set()):
            stored[criterion_id] = work["answers"][criterion_id]
        work["answers"] = stored


def standard() -> Standard | None:
    work = current()
    if work is None:
        return None
    return library().get(*work["standard"])


def start(std: Standard, organization: dict[str, Any], lang: str) -> None:
    """A new assessment, pre-filled where the company's profile or its other assessments already answer."""
    organization_id = store().ensure_organization(organization)
    workspace = store().workspace(organization_id)
    segments = store().profile(organization_id)["segments"]  # the stored profile, if the form left them out
    first = prefill(std, workspace, segments, lang)
    assessment_id = workspace.start(std.id, std.version, answers=first, by=tab_id())
    open_assessment(organization_id, assessment_id)


def prefill(std: Standard, workspace: Workspace, segments: list[str], lang: str) -> dict[str, dict[str, Any]]:
    """N/A for criteria outside the company's event segments (with the reason), then answers to the same
    capability in the company's latest assessment of each other standard; each marked with its origin."""
    answers: dict[str, dict[str, Any]] = {}
    mine = ", ".join(SEGMENTS[s][lang] for s in segments if s in SEGMENTS)
    for criterion_id, applies in excluded_by_segments(std, segments).items():
        only = ", ".join(SEGMENTS[s][lang] for s in applies if s in SEGMENTS)
        reason = TEXT["segment_reason"][lang].format(only=only, mine=mine)
        answers[criterion_id] = {"level": "na", "justification": reason, "origin": "segment"}
    latest = {}
    for summary in workspace.assessments():  # newest first
        latest.setdefault(summary.standard_id, summary)
    sources = [
        (source, workspace.load(summary.id).answers)
        for summary in latest.values()
        if (source := library().get(summary.standard_id, summary.standard_version)) is not None
    ]
    for criterion_id, offer in capability_prefill(std, sources).items():
        answers.setdefault(criterion_id, {"level": offer.level, "origin": offer.origin})
    return answers


# Stored with the answer, so written in the language the company used when it started.
TEXT = {
    "segment_reason": {
        "en": "Applies only to: {only}. Your event segments: {mine}.",
        "id": "Hanya berlaku untuk: {only}. Jenis acara Anda: {mine}.",
    }
}


def resume(assessment: AssessmentFile) -> Imported:
    """Import an assessment file (checked against its standard) and open it."""
    imported = store().import_assessment(assessment, by=f"{tab_id()}:upload")
    open_assessment(imported.organization_id, imported.assessment_id)
    return imported


def close() -> None:
    """Leave the assessment (it stays saved); the tab goes back to the start page."""
    st.session_state.pop(KEY, None)
    st.session_state.pop("unsaved", None)
    st.query_params.pop(LINK_PARAM, None)


def answers() -> dict[str, dict[str, Any]]:
    work = current()
    return work["answers"] if work else {}


def set_answer(criterion_id: str, **fields: Any) -> None:
    """Save one answer now. If the store fails, the answer stays in this tab and the error is shown."""
    work = current()
    assert work is not None
    answer = {"level": None, "justification": "", "note": "", "evidence": []} | work["answers"].get(criterion_id, {})
    answer.update(fields)
    answer["origin"] = None
    work["answers"][criterion_id] = answer
    _save(work, criterion_id)


def _save(work: dict[str, Any], criterion_id: str) -> bool:
    unsaved = st.session_state.setdefault("unsaved", set())
    try:
        workspace = store().workspace(work["organization_id"])
        workspace.save_answer(work["assessment_id"], criterion_id, work["answers"][criterion_id], by=tab_id())
    except Exception:  # any failure keeps the answer in the tab, marked unsaved, and is retried
        LOG.exception("saving %s of assessment %s failed", criterion_id, work["assessment_id"])
        unsaved.add(criterion_id)
        return False
    unsaved.discard(criterion_id)
    return True


def retry_unsaved() -> list[str]:
    """Save again what could not be saved; returns what is still unsaved."""
    work = st.session_state.get(KEY)
    unsaved = st.session_state.get("unsaved", set())
    if work:
        for criterion_id in sorted(unsaved):
            _save(work, criterion_id)
    return sorted(st.session_state.get("unsaved", set()))


def widget_key(kind: str, criterion_id: str) -> str:
    """Widget keys change with each opened assessment so stale widget state never shows."""
    work = st.session_state.get(KEY)
    return f"{work['gen'] if work else 0}:{kind}:{criterion_id}"


def result() -> Result | None:
    std = standard()
    if std is None:
        return None
    return score_one(std, counted_levels(answers()))


def document_builder() -> Callable[[], bytes]:
    """The assessment file, built when the download is clicked: answers given in fragments since the last
    full rerun are included. It closes over the session's own dict, so it needs no script context."""
    work, std = current(), standard()
    assert work is not None and std is not None

    def build() -> bytes:
        now = datetime.now(UTC).astimezone()
        return assessment_json(assessment_document(std, work["organization"], work["answers"], now))

    return build


def file_stem() -> str:
    work = current()
    assert work is not None
    name = "".join(ch if ch.isalnum() else "-" for ch in work["organization"].get("name", "assessment").lower())
    name = "-".join(filter(None, name.split("-")))[:40] or "assessment"
    return f"{name}-{work['standard'][0]}-{work['standard'][1]}-r{work.get('round', 1)}"
