"""The browser's copy of what this tab has not saved yet, so a reload, a server restart or a database outage loses
nothing: changes the server could not save, and text being typed (sent while typing, after a short pause).

Built on Streamlit's own custom components (st.components.v2): a script with no view of its own that keeps
localStorage["gapura:unsaved:<assessment>"] equal to the server's unsaved changes, and
localStorage["gapura:typed:<assessment>"] with texts typed but not confirmed. After a reload it offers both back
once (`restore`); the server saves each (ui/session.py restore) unless a newer answer was stored meanwhile."""

from __future__ import annotations

import secrets
from typing import Any

import streamlit as st

from ui import session

TYPING_PAUSE_MS = 800  # a note is sent this long after the last key press (blur still sends it at once)

_JS = """
const S = (window.__gapuraJournal ||= { offered: {}, waiting: {}, timers: {}, listening: false, data: null, api: null });
const read = (k) => { try { return JSON.parse(window.localStorage.getItem(k) || "{}") || {}; } catch (e) { return {}; } };
const write = (k, v) => {
  try {
    if (v && Object.keys(v).length) window.localStorage.setItem(k, JSON.stringify(v));
    else window.localStorage.removeItem(k);
  } catch (e) { /* storage full or refused: the server copy still holds */ }
};
const TEXT = /(?:^|\\s)st-key-w[0-9a-f]+_\\d+_\\d+__(note|evidence|justification)__(\\S+)/;

function onInput(event) {
  const el = event.target, data = S.data;
  if (!data || !(el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement)) return;
  let node = el, match = null;
  while (node && node !== document.body && !(match = TEXT.exec(node.className || ""))) node = node.parentElement;
  if (!match) return;
  const name = match[1] + "__" + match[2], key = "gapura:typed:" + data.assessment, value = el.value;
  const typed = read(key);
  typed[name] = value;
  write(key, typed);
  clearTimeout(S.timers[name]);
  S.timers[name] = setTimeout(() => S.api && S.api("typed", { name: name, value: value }), data.pause);
}

export default function ({ data, setTriggerValue }) {
  S.data = data;
  S.api = setTriggerValue;
  if (!S.listening) {
    document.addEventListener("input", onInput, true);
    S.listening = true;
  }
  const unsavedKey = "gapura:unsaved:" + data.assessment, typedKey = "gapura:typed:" + data.assessment;
  // Offered once to each server session: a page that reconnects to a restarted server (same page, new session)
  // offers its copy again, as a reload does.
  const offer = data.assessment + "@" + data.session;
  if (!S.offered[offer]) {
    S.offered[offer] = true;
    const unsaved = read(unsavedKey), typed = read(typedKey);
    if (Object.keys(unsaved).length || Object.keys(typed).length) {
      S.waiting[offer] = true;
      setTriggerValue("restore", { unsaved: unsaved, typed: typed });
      return;
    }
  }
  if (S.waiting[offer] && !data.restored) return;  // keep the browser's copy until the server has it
  S.waiting[offer] = false;
  write(unsavedKey, data.unsaved);
  const typed = read(typedKey);
  for (const name of Object.keys(typed)) if (data.typed[name] === typed[name]) delete typed[name];
  write(typedKey, typed);
}
"""

_component = st.components.v2.component("gapura.browser_journal", js=_JS)
RESTORED = "journal-restored"
REDRAW = "journal-redraw"
SESSION = "journal-session"  # this server session, as the browser tells a reconnected page from the same one
TYPED = "journal-typed"  # text field ("note__PLAN-01") -> the text last saved from typing, so the browser can forget it


def _on_restore() -> None:
    offered = st.session_state.get("browser-journal", {}).get("restore")
    offered = offered if isinstance(offered, dict) else {}  # the browser's storage: anything may be in it
    unsaved, typed = offered.get("unsaved"), offered.get("typed")
    changes = dict(unsaved) if isinstance(unsaved, dict) else {}
    for name, value in typed.items() if isinstance(typed, dict) else ():
        if isinstance(name, str) and isinstance(value, str) and (found := session.text_field(name)):
            kind, criterion_id = found
            entry = changes.get(criterion_id)
            entry = entry if isinstance(entry, dict) else {}
            fields = entry.get("fields") if isinstance(entry.get("fields"), dict) else {}
            changes[criterion_id] = entry | {"fields": fields | {kind: value}}
            st.session_state.setdefault(TYPED, {})[name] = value
    session.restore(changes)
    st.session_state[RESTORED] = True
    st.session_state[REDRAW] = bool(changes)  # the cards show what was restored


def _on_typed() -> None:
    typed = st.session_state.get("browser-journal", {}).get("typed") or {}
    name, value = typed.get("name"), typed.get("value")
    if not isinstance(name, str) or not isinstance(value, str):
        return
    found = session.text_field(name)
    if found is None or session.read_only():
        return
    kind, criterion_id = found
    current = session.answers().get(criterion_id)
    shown = "\n".join(current.evidence) if current and kind == "evidence" else getattr(current, kind, "") or ""
    if value != shown:
        session.set_answer(criterion_id, **{kind: value})
        # Refused, or a colleague's newer text: the card (another fragment) must say so now, not at the next click.
        if session.conflict(criterion_id) or session.refusal(criterion_id):
            st.session_state[REDRAW] = True
    st.session_state.setdefault(TYPED, {})[name] = value


def restored_now() -> bool:
    """Changes were just restored from the browser, or a typed text was refused (the page should be drawn again
    to show it)."""
    return bool(st.session_state.pop(REDRAW, False))


def browser_journal() -> None:
    """Mount the journal for the open assessment (once per page, inside the save-status fragment)."""
    work = session.current()
    if work is None:
        return
    data: dict[str, Any] = {
        "assessment": str(work.assessment_id) + "-" + work.token[:8],
        "unsaved": session.pending(),
        "typed": st.session_state.get(TYPED, {}),
        "restored": bool(st.session_state.get(RESTORED)),
        "pause": TYPING_PAUSE_MS,
        "session": st.session_state.setdefault(SESSION, secrets.token_hex(4)),
    }
    _component(data=data, key="browser-journal", on_restore_change=_on_restore, on_typed_change=_on_typed)
