"""File uploaders that speak the user's language. Streamlit 1.67 draws the uploader's own words ("Upload",
"20MB per file • JSON", "Drag and drop a file here", "… files are not allowed.") in English, with no parameter to
change them (checked: st.file_uploader's signature and docs, and the frontend bundle, which hard-codes them). A
tiny script in the page (st.components.v2, no frame) puts the user's words in their place, in the page's text
itself, so screen readers and a copy of the page read them too, and again whenever Streamlit redraws them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.formatting import number
from ui.i18n import lang, t

_JS = """
// written: every text put in, per slot, so a change of language swaps the old language's words too
const S = (window.__gapuraUploads ||= { words: {}, observer: null, written: {} });
const SWAPS = [
  [/^Upload( directories)?$/, "button"],
  [/^Drag and drop /, "drop"],
  [/(files are not allowed|is not allowed|File type not allowed)\\.?$/, "wrong_type"],
  [/(or smaller|File is too large.*)\\.?$/, "too_large"],
];

function translate() {
  for (const box of document.querySelectorAll('[data-testid="stFileUploader"]')) {
    const owner = box.closest('[class*="st-key-"]');
    const key = owner && [...owner.classList].find((c) => c.startsWith("st-key-"));
    const words = key && S.words[key.slice(7)];
    if (!words) continue;
    const hint = box.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
    if (hint && hint.textContent !== words.hint) hint.textContent = words.hint;
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data.trim();
      const swap = SWAPS.find(([pattern, slot]) => pattern.test(text) || S.written[slot]?.has(text));
      if (swap && node.data !== words[swap[1]]) {
        node.data = words[swap[1]];
        (S.written[swap[1]] ||= new Set()).add(words[swap[1]]);
      }
    }
  }
}

export default function ({ data }) {
  S.words[data.key] = data.words;
  if (!S.observer) {
    S.observer = new MutationObserver(translate);
    S.observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  }
  translate();
}
"""

_component = st.components.v2.component("gapura.uploads", js=_JS)


def file_uploader(label: str, types: list[str], *, key: str, limit_mb: int | None = None, **options: Any) -> Any:
    """st.file_uploader with its own words in the user's language: the button, the hint (types and size limit),
    the drag-and-drop and refusal messages. `limit_mb` states a stricter limit our own check applies after upload
    (evidence), so the file still reaches that check and its message."""
    limit = limit_mb or options.get("max_upload_size") or st.get_option("server.maxUploadSize")
    words = {
        "button": t("uploads.button"),
        "hint": t("uploads.hint", types=", ".join(x.upper() for x in types), mb=number(limit, lang())),
        "drop": t("uploads.drop"),
        "wrong_type": t("uploads.wrong_type", types=", ".join(x.upper() for x in types)),
        "too_large": t("uploads.too_large", mb=number(limit, lang())),
    }
    upload = st.file_uploader(label, type=types, key=key, **options)
    _component(data={"key": key, "words": words}, key=f"{key}-words")
    return upload
