"""User text (company names, file names) shown as text where Streamlit would read Markdown (labels, captions)."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def plain(text: str) -> str:
    """`text` with every Markdown character escaped, so `![p](http://...)` shows as typed and loads nothing."""
    return _MARKDOWN.sub(r"\\\1", text)
