"""Read untrusted JSON bytes safely: size, encoding, emptiness, syntax, nesting and duplicate keys."""

from __future__ import annotations

import codecs
import json
from typing import Any

from scoring.issues import Issue

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
        return None, [Issue(file, "", "the file is saved as UTF-16/UTF-32; save it again as UTF-8")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        return None, [
            Issue(
                file,
                "",
                f"the file is not UTF-8 text (byte 0x{byte:02x} at position {exc.start}); "
                "it may be in a Windows or Latin-1 encoding: save it again as UTF-8",
            )
        ]


def too_large(size: int, max_bytes: int = MAX_BYTES) -> str:
    """The message for a file over the size limit, said the same way wherever a size is checked."""
    return f"the file is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB"


def read_json(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[Any, list[Issue]]:
    """Parse `raw` as JSON, or return why not. Never raises for bad content."""
    if len(raw) > max_bytes:
        return None, [Issue(file, "", too_large(len(raw), max_bytes))]
    text, issues = decode(raw, file)
    if text is None:
        return None, issues
    if not text.strip():
        return None, [Issue(file, "", "the file is empty")]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates), []
    except json.JSONDecodeError as exc:
        return None, [Issue(file, "", f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
    except RecursionError:
        return None, [Issue(file, "", "the JSON is nested too deeply to be a standard or an assessment file")]
    except DuplicateKey as exc:
        return None, [Issue(file, "", f"the key '{exc}' appears twice in the same object; keep only one")]


def read_json_object(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[dict[str, Any] | None, list[Issue]]:
    data, issues = read_json(raw, file, max_bytes)
    if issues:
        return None, issues
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"{type(data).__name__}"
        return None, [Issue(file, "", f"the top level must be a JSON object {{...}}, but this file holds {kind}")]
    return data, []
