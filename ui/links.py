"""Evidence lines (links or document names) as Markdown: an http(s) link becomes a link, anything else stays text."""

from __future__ import annotations

import re
from urllib.parse import quote

from ui.plain import plain

_LINK = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Kept as they are in the link's target; everything else (brackets, parentheses, quotes, non-ASCII) is
# percent-encoded, so the target cannot close the Markdown link early or carry another one.
_SAFE = "/:?#@!$&*+,;=%~-._"


def link(url: str) -> str:
    """One http(s) address as a Markdown link showing the address as typed."""
    return f"[{plain(url)}]({quote(url, safe=_SAFE)})"


def evidence_markdown(lines: tuple[str, ...] | list[str]) -> str:
    """A Markdown list of evidence lines; within a line, every http(s) address is a link and the rest is text."""
    items = []
    for line in lines:
        parts, start = [], 0
        for found in _LINK.finditer(line):
            parts += [plain(line[start : found.start()]), link(found.group())]
            start = found.end()
        parts.append(plain(line[start:]))
        items.append("- " + "".join(parts))
    return "\n".join(items)
