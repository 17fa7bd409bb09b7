"""The assessment this browser tab works on: saved through the services answer by answer, reopened from its link."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from scoring.assessment import assessment_document, assessment_json, counted_levels
from scoring.engine import Result, score_one
from scoring.issues import from_validation_error
from scoring.model import Answer, Standard
from services.assessing import OpenAssessment, Refused
from ui import context
from ui.i18n import lang

LOG = logging.getLogger(__name__)
KEY = "work"
GEN = "work-gen"
LINK_PARAM = "a"


def current() -> OpenAssessment | None:
    """The open assessment; opened from the page link (?a=...) when this tab has none yet."""
    work: OpenAssessment | None = st.session_state.get(KEY)
    token = st.query_params.get(LINK_PARAM)
    if work is None and token:
        opened = context.app().assessing.open_link(context.actor(), token)
        if opened is None:
            st.session_state["link-unknown"] = True
            del st.query_params[LINK_PARAM]
            return None
        show(opened)
        work = opened
    elif work is not None and token != work.token:
        st.query_params[LINK_PARAM] = work.token  # page navigation drops it; the address must stay the link
    return work


def show(work: OpenAssessment) -> None:
    """Make `work` this tab's open assessment (fresh widget keys, the link in the address)."""
    st.session_state[KEY] = work
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1
    st.session_state.pop("unsaved", None)
    st.query_params[LINK_PARAM] = work.token


def open_assessment(organization_id: int, assessment_id: int) -> None:
    show(context.app().assessing.open(context.actor(), organization_id, assessment_id))


def set_status(status: str) -> None:
    """Submit the open assessment (read-only from then on) or reopen it."""
    work = current()
    assert work is not None
    context.app().assessing.set_status(context.actor(), work, status)


def may_change() -> bool:
    """The signed-in user may answer, submit and reopen the open assessment (an officer reading a member's may not)."""
    work = current()
    return bool(work and context.may("write", "assessment", work.target))


def read_only() -> bool:
    """Submitted, or opened by someone who may read but not answer it (an officer looking at a member's)."""
    work = current()
    return bool(work and (work.read_only or not context.may("write", "answers", work.target)))


def refresh() -> None:
    """Reload the answers from the store, so this tab shows what other tabs saved (its unsaved ones stay)."""
    work: OpenAssessment | None = st.session_state.get(KEY)
    if work:
        loaded = context.app().assessing.reload(context.actor(), work)
        work.status = loaded.summary.status
        stored = loaded.answers
        for criterion_id in st.session_state.get("unsaved", set()):
            stored[criterion_id] = work.answers[criterion_id]
        work.answers = stored


def standard() -> Standard | None:
    work = current()
    if work is None:
        return None
    return context.app().standard(*work.standard_key)


def start(std: Standard, organization_id: int, profile: dict[str, Any], lang: str) -> None:
    """Open the organization's unfinished draft of this standard (and say so), or a new pre-filled round."""
    started = context.app().assessing.start(context.actor(), std, organization_id, profile, lang)
    show(started.work)
    st.session_state["draft-reopened"] = started.reopened


def close() -> None:
    """Leave the assessment (it stays saved); the tab goes back to the start page."""
    st.session_state.pop(KEY, None)
    st.session_state.pop("unsaved", None)
    st.query_params.pop(LINK_PARAM, None)


def answers() -> dict[str, Answer]:
    work = current()
    return work.answers if work else {}


def set_answer(criterion_id: str, **fields: Any) -> None:
    """Save one answer now. A change the answer model or the standard refuses (a javascript: link, a note too
    long, a level off the scale) is shown on the card and not taken; if the store fails, the answer stays in this
    tab, marked unsaved, and is retried."""
    work = current()
    assert work is not None
    refused = st.session_state.setdefault("answer-refused", {})
    before = work.answers.get(criterion_id)
    try:
        answer = (before or Answer()).but(**fields, origin=None)
    except ValidationError as exc:  # told in the user's language, like every other validation issue
        refused[criterion_id] = from_validation_error("", exc, (Answer,))[0].message(lang())
        return
    refused.pop(criterion_id, None)
    work.answers[criterion_id] = answer
    if not _save(work, criterion_id) and criterion_id in refused:  # refused by the standard: the tab goes back
        if before is None:
            work.answers.pop(criterion_id)
        else:
            work.answers[criterion_id] = before


def refusal(criterion_id: str) -> str | None:
    """Why the last change to this criterion was not taken, if it was not."""
    return st.session_state.get("answer-refused", {}).get(criterion_id)


def _save(work: OpenAssessment, criterion_id: str) -> bool:
    unsaved = st.session_state.setdefault("unsaved", set())
    try:
        context.app().assessing.answer(context.actor(), work, criterion_id, work.answers[criterion_id])
    except Refused as exc:  # the standard refuses it: shown on the card, never retried
        st.session_state.setdefault("answer-refused", {})[criterion_id] = exc.issues[0].message(lang())
        unsaved.discard(criterion_id)
        return False
    except Exception:  # any other failure keeps the answer in the tab, marked unsaved, and is retried
        LOG.exception("saving %s of assessment %s failed", criterion_id, work.assessment_id)
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
    return f"{st.session_state.get(GEN, 0)}:{kind}:{criterion_id}"


def result() -> Result | None:
    std = standard()
    if std is None:
        return None
    return score_one(std, counted_levels(answers()))


def document_builder() -> Callable[[], bytes]:
    """The assessment file, built when the download is clicked: answers given in fragments since the last
    full rerun are included. It closes over the session's own object, so it needs no script context."""
    work, std = current(), standard()
    assert work is not None and std is not None

    def build() -> bytes:
        now = datetime.now(UTC).astimezone()
        return assessment_json(assessment_document(std, work.organization, work.answers, now))

    return build


def file_stem() -> str:
    work = current()
    assert work is not None
    name = "".join(ch if ch.isalnum() else "-" for ch in work.organization.get("name", "assessment").lower())
    name = "-".join(filter(None, name.split("-")))[:40] or "assessment"
    return f"{name}-{work.standard_id}-{work.standard_version}-r{work.round}"
