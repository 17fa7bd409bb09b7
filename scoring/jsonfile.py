"""Read untrusted JSON bytes safely: size, encoding, emptiness, syntax, nesting and duplicate keys."""

from __future__ import annotations

import codecs
import json
import math
import re
import stat
from pathlib import Path
from typing import Any

from scoring.issues import Issue, json_type, shown

MAX_BYTES = 10 * 1024 * 1024
# No number in a standard or an assessment needs more characters; Python refuses ints over 4,300 digits anyway.
MAX_NUMBER_CHARS = 100
# Strings first, so that a number-like text inside quotes is skipped when looking for where a number is.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?Infinity|NaN|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')


class DuplicateKey(ValueError):
    pass


class RefusedNumber(ValueError):
    """A number JSON can write but a file of ours must not hold: too long, or not finite."""

    def __init__(self, literal: str, code: str) -> None:
        super().__init__(literal)
        self.literal = literal
        self.code = code


def _int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_CHARS:
        raise RefusedNumber(literal, "json.number-too-long")
    return int(literal)


def _float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_CHARS:
        raise RefusedNumber(literal, "json.number-too-long")
    value = float(literal)
    if not math.isfinite(value):  # 1e999 overflows to infinity
        raise RefusedNumber(literal, "json.number-not-finite")
    return value


def _constant(literal: str) -> Any:
    raise RefusedNumber(literal, "json.number-not-finite")


def _place(text: str, literal: str) -> tuple[int, int]:
    """Line and column of the first number token `literal` outside strings (json's hooks do not say where)."""
    offset = next((m.start() for m in _TOKENS.finditer(text) if m.group() == literal), max(text.find(literal), 0))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refused_number_issue(file: str, text: str, exc: RefusedNumber) -> Issue:
    line, column = _place(text, exc.literal)
    number = exc.literal if len(exc.literal) <= 20 else exc.literal[:12] + "…"
    params = {"number": number, "line": line, "column": column}
    if exc.code == "json.number-too-long":
        params |= {"chars": len(exc.literal), "max": MAX_NUMBER_CHARS}
    return Issue(file, "", exc.code, params)


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


def read_bounded(path: Path, file: str, max_bytes: int = MAX_BYTES) -> tuple[bytes | None, list[Issue]]:
    """At most `max_bytes` of the file at `path`, or why not. A device such as /dev/zero says its size is 0 and
    never ends, so the size is checked by reading one byte past the limit, not by trusting stat alone."""
    try:
        info = path.stat()
        if stat.S_ISFIFO(info.st_mode) or stat.S_ISSOCK(info.st_mode):  # opening one can wait forever
            return None, [Issue(file, "", "file.unreadable", {"reason": "not a regular file"})]
        if info.st_size > max_bytes:
            return None, [too_large_issue(file, info.st_size, max_bytes)]
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        return None, [Issue(file, "", "file.unreadable", {"reason": exc.strerror or str(exc)})]
    if len(raw) > max_bytes:
        return None, [Issue(file, "", "json.over-limit", {"limit": max_bytes / 1_048_576})]
    return raw, []


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
        data = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_int=_int, parse_float=_float, parse_constant=_constant
        )
        return data, []
    except json.JSONDecodeError as exc:
        return None, [Issue(file, "", "json.syntax", {"detail": exc.msg, "line": exc.lineno, "column": exc.colno})]
    except RecursionError:
        return None, [Issue(file, "", "json.too-deep")]
    except DuplicateKey as exc:
        return None, [Issue(file, "", "json.duplicate-key", {"key": shown(str(exc), quote=False)})]
    except RefusedNumber as exc:
        return None, [_refused_number_issue(file, text, exc)]


def read_json_object(raw: bytes, file: str, max_bytes: int = MAX_BYTES) -> tuple[dict[str, Any] | None, list[Issue]]:
    data, issues = read_json(raw, file, max_bytes)
    if issues:
        return None, issues
    if not isinstance(data, dict):
        return None, [Issue(file, "", "json.not-object", {"kind": json_type(data)})]
    return data, []
