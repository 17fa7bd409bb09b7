"""The assessment this browser tab works on: saved through the services answer by answer, reopened from its link."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from scoring.assessment import assessment_document, assessment_json, counted_levels
from scoring.engine import Result, score_one
from scoring.issues import from_validation_error
from scoring.model import Answer, Standard
from services.app import disk_full, unavailable
from services.assessing import TEXTS, OpenAssessment, Refused, Stale, text_of
from services.policy import Denied, SignedOut
from ui import context
from ui.i18n import lang, t

LOG = logging.getLogger(__name__)
KEY = "work"
GEN = "work-gen"
SALT = "work-salt"
REDRAWN = "work-redrawn"
UNSAVED = "unsaved"  # criterion id -> {"fields": what this tab changed, "base": when the answer it changed was written}
NOTICES = "answer-notices"
CONFLICTS = "text-conflicts"  # criterion id -> {text field: this tab's text, refused as a colleague saved another}
FAILED = "save-failed"
OFFLINE = "offline"
NO_ROOM = "no-room"
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
    st.session_state.pop(UNSAVED, None)
    st.query_params[LINK_PARAM] = work.token


def open_assessment(organization_id: int, assessment_id: int) -> None:
    show(context.app().assessing.open(context.actor(), organization_id, assessment_id))


def set_status(status: str) -> None:
    """Submit the open assessment ("submitted": read-only from then on) or reopen it ("draft"); a step the
    assessing service refuses (incomplete, moved by another tab) is said, and nothing changes."""
    work = current()
    assert work is not None
    assessing = context.app().assessing
    try:
        (assessing.submit if status == "submitted" else assessing.reopen)(context.actor(), work)
    except Refused as exc:
        st.toast(exc.issues[0].message(lang()), icon=":material/block:")


def confirm(criterion_ids: list[str]) -> None:
    """Confirm the proposals (carried over, pre-filled) among these criteria as the company's answers."""
    work = current()
    assert work is not None
    context.app().assessing.confirm(context.actor(), work, criterion_ids)
    for criterion_id in criterion_ids:
        redraw(criterion_id)


def may_change() -> bool:
    """The signed-in user may answer, submit and reopen the open assessment (an officer reading a member's may not)."""
    work = current()
    return bool(work and context.may("write", "assessment", work.target))


def read_only() -> bool:
    """Submitted, or opened by someone who may read but not answer it (an officer looking at a member's)."""
    work = current()
    return bool(work and (work.read_only or not context.may("write", "answers", work.target)))


def refresh() -> None:
    """Reload the answers from the store, so this tab shows what other tabs saved (its unsaved ones stay); a card
    whose stored answer differs from what the tab showed is drawn afresh. With the database unreachable the tab
    keeps what it has (see offline())."""
    work: OpenAssessment | None = st.session_state.get(KEY)
    if not work:
        return
    try:
        loaded = context.app().assessing.reload(context.actor(), work)
    except Denied:  # its access was taken away (a removed membership) since the tab opened it
        close()
        st.warning(t("assess.access_ended"), icon=":material/lock:")
        st.stop()
    except Exception as exc:
        if not unavailable(exc):
            raise
        _offline(exc)
        return
    st.session_state.pop(OFFLINE, None)
    work.status = loaded.summary.status
    stored = loaded.answers
    unsaved = pending()
    for criterion_id in unsaved:
        if criterion_id in work.answers:
            stored[criterion_id] = work.answers[criterion_id]
    for criterion_id in set(stored) | set(work.answers):
        if criterion_id not in unsaved and not same(stored.get(criterion_id), work.answers.get(criterion_id)):
            redraw(criterion_id)
    work.answers = stored


def same(a: Answer | None, b: Answer | None) -> bool:
    """The same answer as a card shows it (when it was written does not matter)."""
    a, b = a or Answer(), b or Answer()
    return a.model_dump() == b.model_dump() and a.origin == b.origin


def redraw(criterion_id: str) -> None:
    """Draw this criterion's widgets afresh from the tab's answer (new keys), so none shows a value not stored."""
    redrawn = st.session_state.setdefault(REDRAWN, {})
    redrawn[criterion_id] = redrawn.get(criterion_id, 0) + 1


def offline() -> bool:
    """The database could not be reached on this tab's last try."""
    return bool(st.session_state.get(OFFLINE))


def no_room() -> bool:
    """This tab's last save failed because the database's disk is full (reads still work meanwhile)."""
    return bool(st.session_state.get(NO_ROOM))


def _offline(exc: BaseException) -> None:
    full = disk_full(exc)
    if not st.session_state.get(OFFLINE):
        why = "has no room left" if full else "is unreachable"
        LOG.warning("the database %s (%s); answers stay in the tab", why, type(exc).__name__)
    st.session_state[OFFLINE] = True
    st.session_state[NO_ROOM] = full


def standard() -> Standard | None:
    work = current()
    if work is None:
        return None
    return work.standard or context.app().standard(*work.standard_key)


def start(std: Standard, organization_id: int, profile: dict[str, Any], lang: str) -> None:
    """Open the organization's unfinished draft of this standard (and say so), or a new pre-filled round."""
    started = context.app().assessing.start(context.actor(), std, organization_id, profile, lang)
    show(started.work)
    st.session_state["draft-reopened"] = started.reopened


def close() -> None:
    """Leave the assessment (it stays saved); the tab goes back to the start page."""
    st.session_state.pop(KEY, None)
    st.session_state.pop(UNSAVED, None)
    st.query_params.pop(LINK_PARAM, None)


def answers() -> dict[str, Answer]:
    work = current()
    return work.answers if work else {}


def set_answer(criterion_id: str, **fields: Any) -> None:
    """Save this change now: only the fields given, onto the stored answer (so a stale tab never reverts another
    tab's level), and a text only if nobody saved another one since this tab showed it (else the newer text is
    shown and this tab's kept to copy, see conflict()). A change the answer model or the standard refuses (a
    javascript: link, a note too long, a level off the scale) is shown on the card and not taken; a refused text
    stays in its box to be corrected. If the store fails, the change stays in this tab (and in the browser, see
    ui/browser_journal.py), marked unsaved, and is saved when the store is back."""
    work = current()
    assert work is not None
    refused = st.session_state.setdefault("answer-refused", {})
    before = work.answers.get(criterion_id)
    try:
        shown = (before or Answer()).but(**fields, origin=None)
    except ValidationError as exc:  # told in the user's language, like every other validation issue
        refused[criterion_id] = from_validation_error("", exc, (Answer,))[0].message(lang())
        if "level" in fields:
            redraw(criterion_id)
        return
    refused.pop(criterion_id, None)
    st.session_state.setdefault(CONFLICTS, {}).pop(criterion_id, None)
    earlier = pending().get(criterion_id)
    since = {name: text_of(before, name) for name in fields if name in TEXTS}
    change = {
        "fields": (earlier["fields"] if earlier else {}) | fields,
        "base": earlier["base"] if earlier else _when(before),
        "since": since | (earlier.get("since") or {} if earlier else {}),  # what the first unsaved change replaced
    }
    work.answers[criterion_id] = shown
    if not _save(work, criterion_id, change) and criterion_id in refused:  # refused by the standard: undone
        _take(work, criterion_id, before)


def conflict(criterion_id: str) -> dict[str, str]:
    """This tab's texts of a criterion that were not saved because a colleague had saved another meanwhile."""
    return st.session_state.get(CONFLICTS, {}).get(criterion_id, {})


def pending() -> dict[str, dict[str, Any]]:
    """This tab's changes not saved yet: criterion id -> {"fields", "base"}."""
    return st.session_state.setdefault(UNSAVED, {})


def refusal(criterion_id: str) -> str | None:
    """Why the last change to this criterion was not taken, if it was not."""
    return st.session_state.get("answer-refused", {}).get(criterion_id)


def notice(criterion_id: str) -> str | None:
    """What happened to this criterion's answer that the card should say (changed in another tab, kept newer)."""
    return st.session_state.get(NOTICES, {}).get(criterion_id)


def saved_failure() -> bool:
    """A save failed since the last call (so the page should redraw the save status and the browser's copy)."""
    return bool(st.session_state.pop(FAILED, False))


def _when(answer: Answer | None) -> str | None:
    return answer.updated_at.isoformat() if answer is not None and answer.updated_at else None


def _save(work: OpenAssessment, criterion_id: str, change: dict[str, Any], check_base: bool = False) -> bool:
    """Write one change through the service. Refused: told on the card, never retried. Stale (only when
    `check_base`, for changes restored from the browser): the newer stored answer is kept and the card says so.
    Any other failure keeps the change, marked unsaved, to be retried."""
    unsaved, notices = pending(), st.session_state.setdefault(NOTICES, {})
    shown = work.answers.get(criterion_id)
    base: Any = datetime.fromisoformat(change["base"]) if change.get("base") else None
    since = change.get("since") if isinstance(change.get("since"), dict) else None
    try:
        saved = context.app().assessing.change(
            context.actor(),
            work,
            criterion_id,
            change["fields"],
            **({"base": base} if check_base else {}),
            since=since,
        )
    except Refused as exc:  # the standard refuses it: shown on the card, never retried
        st.session_state.setdefault("answer-refused", {})[criterion_id] = exc.issues[0].message(lang())
        unsaved.pop(criterion_id, None)
        return False
    except Stale as exc:
        unsaved.pop(criterion_id, None)
        _take(work, criterion_id, exc.current)
        if check_base:
            notices[criterion_id] = "assess.kept_newer"
        else:  # a text a colleague saved meanwhile: shown, and this tab's own text kept to copy
            typed = {name: change["fields"].get(name, "") for name in since or {}}
            mine = {name: v if isinstance(v, str) else "\n".join(map(str, v)) for name, v in typed.items()}
            st.session_state.setdefault(CONFLICTS, {})[criterion_id] = mine
            notices.pop(criterion_id, None)
        return False
    except Denied as exc:  # signed out elsewhere, deactivated or no longer a member: nothing kept to retry
        unsaved.pop(criterion_id, None)
        if not isinstance(exc, SignedOut):  # the page it was on may be gone from the navigation
            close()
            context.notice("assess.access_ended")
        st.session_state[FAILED] = True  # the full run that follows shows the sign-in page or the start page
        return False
    except Exception as exc:  # the store failed: the change stays in the tab, marked unsaved, and is retried
        if unavailable(exc):
            _offline(exc)
        else:
            LOG.exception("saving %s of assessment %s failed", criterion_id, work.assessment_id)
        unsaved[criterion_id] = change
        st.session_state[FAILED] = True
        return False
    st.session_state.pop(OFFLINE, None)
    st.session_state.pop(NO_ROOM, None)
    unsaved.pop(criterion_id, None)
    notices.pop(criterion_id, None)
    if shown is not None and not same(shown, saved.answer):  # another tab had changed other fields meanwhile
        notices[criterion_id] = "assess.changed_elsewhere"
        redraw(criterion_id)
    return True


def _take(work: OpenAssessment, criterion_id: str, answer: Answer | None) -> None:
    """Show `answer` (None: unanswered) on this criterion's card, its widgets drawn afresh."""
    if answer is None:
        work.answers.pop(criterion_id, None)
    else:
        work.answers[criterion_id] = answer
    redraw(criterion_id)


def retry_unsaved() -> list[str]:
    """Save again what could not be saved, stopping at the first sign the database is still away; returns what
    is still unsaved."""
    work = st.session_state.get(KEY)
    if work:
        for criterion_id, change in sorted(pending().items()):
            if not _save(work, criterion_id, change) and offline():
                break
    return sorted(pending())


def restore(entries: dict[str, Any]) -> None:
    """Changes this browser kept but the server never confirmed (a reload, a server restart, the database away):
    each is saved unless the stored answer was written after the change was made, which is kept and said."""
    work = st.session_state.get(KEY)
    std = standard()
    if not work or std is None or not isinstance(entries, dict) or read_only():
        return
    ids = {c.id for _, c in std.criteria()}
    for criterion_id, change in entries.items():
        if criterion_id not in ids or criterion_id in pending() or not isinstance(change, dict):
            continue
        given = change.get("fields")
        fields = {k: v for k, v in given.items() if k in CHANGEABLE} if isinstance(given, dict) else {}
        if not fields:
            continue
        try:
            shown = (work.answers.get(criterion_id) or Answer()).but(**fields, origin=None)
        except ValidationError:
            continue
        base = change.get("base") if isinstance(change.get("base"), str) else None
        try:
            if base:
                datetime.fromisoformat(base)
        except ValueError:  # not a time this server wrote
            continue
        work.answers[criterion_id] = shown
        redraw(criterion_id)
        _save(work, criterion_id, {"fields": fields, "base": base}, check_base="base" in change)


CHANGEABLE = ("level", "justification", "note", "evidence")


def widget_key(kind: str, criterion_id: str) -> str:
    """Widget keys change with each opened assessment, each browser session and each redraw of a card, so a
    widget never shows a value the tab does not hold: after a server restart the page's old widget values are
    not taken for new clicks. Letters, digits and "_" before the kind keep it readable in the page's classes."""
    salt = st.session_state.setdefault(SALT, secrets.token_hex(3))
    redrawn = st.session_state.get(REDRAWN, {}).get(criterion_id, 0)
    return f"w{salt}_{st.session_state.get(GEN, 0)}_{redrawn}__{kind}__{criterion_id}"


def text_field(name: str) -> tuple[str, str] | None:
    """(kind, criterion id) of a text widget named by its page class after the kind ("note__PLAN-01"): the page
    turns every character of a key but letters, digits, "_" and "-" into "-"."""
    kind, _, shown = name.partition("__")
    std = standard()
    if kind not in ("note", "evidence", "justification") or std is None:
        return None
    for _, criterion in std.criteria():
        if re.sub(r"[^a-zA-Z0-9_-]", "-", criterion.id) == shown:
            return kind, criterion.id
    return None


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
