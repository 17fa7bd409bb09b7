"""Read untrusted JSON bytes safely: size, encoding, emptiness, syntax, nesting and duplicate keys."""

from __future__ import annotations

import codecs
import json
from typing import Any

from scoring.issues import Issue, json_type, shown

MAX_BYTES = 10 * 1024 * 1024


class DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def decode(raw: bytes, file: str) -> tuple[str | None, list[Issue]]:
    """UTF-8 text, with or without a byte-order mark; anything else is reported with how to fix it."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return None, [Issue(file, "", "json.utf16")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        return None, [Issue(file, "", "json.not-utf8", {"byte": byte, "position": exc.start})]


def too_large_issue(file: str, size: int, max_bytes: int = MAX_BYTES) -> Issue:
    """A file over the size limit, said the same way wherever a size is checked."""
    return Issue(file, "", "json.too-large", {"mb": size / 1_048_576, "limit": max_bytes / 1_048_576})


def too_large(size: int, max_bytes: int = MAX_BYTES) -> str:
    """The English sentence of too_large_issue, for callers that report in plain text."""
    return too_large_issue("", size, max_bytes).message()


def read_json(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[Any, list[Issue]]:
    """Parse `raw` as JSON, or return why not. Never raises for bad content."""
    if len(raw) > max_bytes:
        return None, [too_large_issue(file, len(raw), max_bytes)]
    text, issues = decode(raw, file)
    if text is None:
        return None, issues
    if not text.strip():
        return None, [Issue(file, "", "json.empty")]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates), []
    except json.JSONDecodeError as exc:
        return None, [Issue(file, "", "json.syntax", {"detail": exc.msg, "line": exc.lineno, "column": exc.colno})]
    except RecursionError:
        return None, [Issue(file, "", "json.too-deep")]
    except DuplicateKey as exc:
        return None, [Issue(file, "", "json.duplicate-key", {"key": shown(str(exc), quote=False)})]


def read_json_object(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[dict[str, Any] | None, list[Issue]]:
    data, issues = read_json(raw, file, max_bytes)
    if issues:
        return None, issues
    if not isinstance(data, dict):
        return None, [Issue(file, "", "json.not-object", {"kind": json_type(data)})]
    return data, []
