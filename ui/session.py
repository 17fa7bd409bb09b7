"""The assessment being worked on, kept in the browser session until persistence lands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from scoring.assessment import assessment_document, assessment_json, counted_levels
from scoring.engine import Result, score_one
from scoring.model import AssessmentFile, Standard
from ui.library import library

KEY = "work"


def current() -> dict[str, Any] | None:
    return st.session_state.get(KEY)


def standard() -> Standard | None:
    work = current()
    if work is None:
        return None
    return library().get(*work["standard"])


def start(std: Standard, organization: dict[str, Any]) -> None:
    st.session_state[KEY] = {
        "standard": [std.id, std.version],
        "organization": organization,
        "answers": {},
        "gen": st.session_state.get(KEY, {}).get("gen", 0) + 1,
    }


def resume(assessment: AssessmentFile) -> None:
    """Replace the session's assessment with one read from a file (already checked against its standard)."""
    gen = st.session_state.get(KEY, {}).get("gen", 0) + 1
    st.session_state[KEY] = {
        "standard": [assessment.standard.id, assessment.standard.version],
        "organization": assessment.organization.model_dump(exclude_none=True),
        "answers": {cid: a.model_dump() for cid, a in assessment.answers.items()},
        "gen": gen,
    }


def clear() -> None:
    st.session_state.pop(KEY, None)


def answers() -> dict[str, dict[str, Any]]:
    work = current()
    return work["answers"] if work else {}


def set_answer(criterion_id: str, **fields: Any) -> None:
    answer = answers().setdefault(criterion_id, {"level": None, "justification": "", "note": "", "evidence": []})
    answer.update(fields)


def widget_key(kind: str, criterion_id: str) -> str:
    """Widget keys change with each new or resumed assessment so stale widget state never shows."""
    work = current()
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
    return f"{name}-{work['standard'][0]}-{work['standard'][1]}"
