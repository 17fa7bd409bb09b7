"""Bring an element of the page into view from the server: Streamlit has no call for it, so a tiny custom
component (st.components.v2, drawn in the page itself, no frame) scrolls to the element with the key's class."""

from __future__ import annotations

import secrets

import streamlit as st

# Each jump has its own number, so a rerun for another reason (an answer, the save-status timer) never scrolls
# again; the element may be drawn just after the component, so it is looked for over a few frames.
_JS = """
const S = (window.__gapuraScroll ||= { done: {} });
export default function ({ data }) {
  if (S.done[data.jump]) return;
  S.done[data.jump] = true;
  let tries = 0;
  const look = () => {
    const el = document.querySelector(".st-key-" + CSS.escape(data.key));
    if (el) {
      el.style.scrollMarginTop = "4rem";  // below Streamlit's header bar, which overlays the page's top
      el.scrollIntoView({ block: "start", behavior: "instant" });
    } else if (++tries < 60) {
      requestAnimationFrame(look);
    }
  };
  look();
}
"""

_component = st.components.v2.component("gapura.scroll_to", js=_JS)


def scroll_to(key: str, jump: int) -> None:
    """Scroll the browser to the element drawn with `key` (its class `st-key-<key>`), once for each `jump`."""
    # The page keeps what it scrolled for across server sessions (a reconnect after a restart): name each session's
    # jumps apart.
    tab = st.session_state.setdefault("scroll-session", secrets.token_hex(4))
    _component(data={"key": key, "jump": f"{tab}-{jump}"}, key="scroll-to")
