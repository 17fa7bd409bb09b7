"""A standard's texts shown as Markdown: their formatting kept, their images not. An uploaded standard is read in
every member's browser, and an image there would load from whatever host it names."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt

from scoring.model import LocalizedText
from scoring.model import localize as localized
from ui.plain import plain

# CommonMark with GitHub's tables and strikethrough, as Streamlit's Markdown reads it.
_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _has_image(text: str) -> bool:
    return any(child.type == "image" for token in _PARSER.parse(text) for child in token.children or ())


@functools.lru_cache(maxsize=4096)  # a criterion's texts are parsed again at every answer otherwise
def without_images(text: str) -> str:
    """`text` with every image turned into a link to it (nothing loads until someone clicks); text the parser still
    reads an image in (escapes, nesting) is shown as typed."""
    if not _has_image(text):
        return text
    linked = text.replace("![", "[")
    return plain(text) if _has_image(linked) else linked


def localize(text: LocalizedText | None, lang: str) -> str:
    """scoring.model.localize for Markdown: the user's language, with no image."""
    return without_images(localized(text, lang))
