"""Validation findings: each with a file, a JSON path, a stable code and the parameters of its message.

The sentence is not stored: `message(lang)` fills the code's template (scoring/messages.toml) in English or
Indonesian, so the same finding reads well in the CLI, the app and an import report.
"""

from __future__ import annotations

import difflib
import math
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

Severity = Literal["error", "warning"]
MESSAGES = Path(__file__).resolve().parent / "messages.toml"
SHOWN_CHARS = 80


@cache
def _catalog() -> dict[str, Any]:
    with MESSAGES.open("rb") as f:
        return tomllib.load(f)


def codes() -> list[str]:
    """Every known issue code, in the order of messages.toml."""
    return list(_catalog()["codes"])


def template(code: str, lang: str) -> str:
    """The message template of `code` in `lang` (English when the language has none)."""
    entry = _catalog()["codes"][code]
    return entry.get(lang) or entry["en"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Filler(string.Formatter):
    """str.format with two additions: a spec naming a term table shows the term, `or` joins a list."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        terms = _catalog()["terms"]
        if format_spec == "or":
            items = [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
            word = terms["or"]["word"][self.lang]
            return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"
        if format_spec in terms:
            return terms[format_spec].get(str(value), {}).get(self.lang, str(value))
        text = super().format_field(value, format_spec)
        return text.replace(".", ",") if self.lang == "id" and isinstance(value, float) else text


def shown(value: Any, quote: bool = True) -> str:
    """A value as it appears in a message: its repr (or text), cut to ~80 characters so it never floods one."""
    if isinstance(value, int) and abs(value) >= 10**SHOWN_CHARS:  # past 4,300 digits repr() even raises
        return f"{'-' if value < 0 else ''}~10^{int(math.log10(abs(value)))}"
    text = repr(value) if quote else str(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


@dataclass(frozen=True)
class Issue:
    file: str
    path: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    def __post_init__(self) -> None:
        # Lists become tuples so that an Issue stays hashable and cannot change after it is made.
        frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in self.params.items()}
        object.__setattr__(self, "params", frozen)

    def __hash__(self) -> int:
        return hash((self.file, self.path, self.code, tuple(self.params.items()), self.severity))

    def message(self, lang: str = "en") -> str:
        """The sentence for people in `lang`; an unknown code (from a newer version) is shown as it is."""
        if self.code not in _catalog()["codes"]:
            return self.code
        return _Filler(lang).format(template(self.code, lang), **self.params)

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '$'}: {self.message()}"


def render(issue: Issue, lang: str = "en") -> str:
    return issue.message(lang)


def json_path(loc: tuple[Any, ...]) -> str:
    """('domains', 2, 'criteria', 5, 'target') -> 'domains[2].criteria[5].target'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            part = shown(part, quote=False)  # a key can be anything a file holds, e.g. 5,000 digits
            path += f".{part}" if path else part
    return path


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the member type of a union to the location, e.g. 'str' or 'dict[str,str]'.
    return isinstance(part, str) and (
        part in {"str", "int", "float", "bool", "list", "dict"}
        or "[" in part
        or part.startswith(("literal", "constrained-", "function-"))
    )


TEXT_FIELDS = {"title", "description", "guidance", "label", "evidence", "levels"}
BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def json_type(value: Any) -> str:
    """The key of a value's JSON type in the `json-type` terms of messages.toml."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "list", str: "text", type(None): "null"}.get(type(value), type(value).__name__)


def _code_of(error: dict[str, Any], field_names: set[str]) -> tuple[str, dict[str, Any]]:
    kind = error["type"]
    loc = [p for p in error["loc"] if not _is_union_tag(p)]
    if error["loc"][-1:] == ("[key]",):  # a bad key of a mapping: the field is the mapping, not the key
        loc = loc[:-1]
    name = shown(next((p for p in reversed(loc) if isinstance(p, str)), ""), quote=False)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind in _catalog()["codes"]:  # raised by our own models (PydanticCustomError)
        return kind, dict(ctx)
    if kind == "missing":
        return "field.missing", {"field": name}
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(name), sorted(field_names), n=1, cutoff=0.7)
        if close:
            return "field.unknown-suggest", {"field": name, "suggestion": close[0]}
        return "field.unknown", {"field": name}
    if kind == "string_pattern_mismatch":
        text = shown(value, quote=False)
        if name == "id" and len(loc) == 1:
            return "field.pattern-standard-id", {"value": text}
        if name == "capabilities" or (loc and loc[-2:-1] == ["capabilities"]):
            return "field.pattern-capability", {"value": text}
        return "field.pattern", {"value": text}
    if kind in BOUNDS:
        limit = ctx.get("gt", ctx.get("ge", ctx.get("lt", ctx.get("le"))))
        limit = int(limit) if isinstance(limit, float) and limit.is_integer() else limit
        return "value.bound", {"field": name, "bound": BOUNDS[kind], "limit": limit, "value": shown(value)}
    if kind == "finite_number":
        return "value.not-finite", {"field": name, "value": shown(value)}
    if kind == "int_parsing_size":
        return "value.int-too-large", {"field": name, "value": shown(value, quote=False)}
    simple = {"int_parsing": "value.int", "int_type": "value.int", "int_from_float": "value.int",
              "float_parsing": "value.number", "float_type": "value.number",
              "bool_parsing": "value.bool", "bool_type": "value.bool"}  # fmt: skip
    if kind in simple:
        return simple[kind], {"field": name, "value": shown(value)}
    if kind.startswith(("datetime_", "date_", "time_")):
        return "value.datetime", {"field": name, "value": shown(value)}
    if kind == "string_type":
        return "value.text", {"field": name, "kind": json_type(value)}
    if kind == "string_too_short" or (kind == "too_short" and isinstance(value, str)):
        return "value.empty", {"field": name}
    if kind == "too_short":
        return "value.too-few", {"field": name, "min": ctx.get("min_length")}
    if kind in {"too_long", "string_too_long"}:
        return "value.too-long", {"field": name, "max": ctx.get("max_length")}
    if kind == "list_type":
        return "value.list", {"field": name, "kind": json_type(value)}
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        if not name:
            return "value.object-root", {"kind": json_type(value)}
        return "value.object", {"field": name, "kind": json_type(value)}
    if kind == "value_error":
        return "value.error", {"detail": shown(ctx.get("error", error["msg"]), quote=False)}
    if kind == "literal_error":
        expected = tuple(re.split(r", | or ", str(ctx.get("expected", ""))))
        return "value.literal", {"field": name, "expected": expected, "value": shown(value)}
    if name:
        return "value.invalid", {"field": name, "detail": error["msg"]}
    return "value.error", {"detail": error["msg"]}


def from_validation_error(file: str, exc: ValidationError, models: tuple[type[BaseModel], ...]) -> list[Issue]:
    """One Issue per place: union alternatives that all failed are folded into one plain message."""
    field_names = {name for model in models for name in model.model_fields} | {"$schema"}
    by_path: dict[str, list[dict[str, Any]]] = {}
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        by_path.setdefault(json_path(loc), []).append(error)
    issues = []
    for path, errors in by_path.items():
        name = path.rsplit(".", 1)[-1].split("[")[0]
        if len(errors) > 1 and (name in TEXT_FIELDS or path.endswith("]")) and name != "level":
            code, params = "value.text-or-languages", {"field": shown(name, quote=False)}
        elif len(errors) > 1 and name == "level":
            code, params = "value.level", {"value": shown(errors[0].get("input"))}
        else:
            code, params = _code_of(errors[0], field_names)
        issues.append(Issue(file, path, code, params))
    return issues
