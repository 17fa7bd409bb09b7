"""Validation findings: each with a file, a JSON path and a sentence a committee member understands."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    file: str
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}: {self.path or '$'}: {self.message}"


def json_path(loc: tuple[Any, ...]) -> str:
    """('domains', 2, 'criteria', 5, 'target') -> 'domains[2].criteria[5].target'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _is_union_tag(part: Any) -> bool:
    # pydantic adds the member type of a union to the location, e.g. 'str' or 'dict[str,str]'.
    return isinstance(part, str) and (
        part in {"str", "int", "float", "bool", "list", "dict"}
        or "[" in part
        or part.startswith(("literal", "constrained-str", "function-"))
    )


TEXT_FIELDS = {"title", "description", "guidance", "label", "evidence", "levels"}


def _friendly(error: dict[str, Any], field_names: set[str]) -> str:
    kind = error["type"]
    loc = [p for p in error["loc"] if not _is_union_tag(p)]
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"required field '{field}' is missing"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(field), sorted(field_names), n=1, cutoff=0.7)
        hint = f"; did you mean '{close[0]}'?" if close else "; remove it or check its spelling"
        return f"unknown field '{field}'{hint}"
    if kind == "string_pattern_mismatch":
        if field == "id" and len(loc) == 1:
            return (
                f"'{value}' is not a valid standard id: use lowercase letters, digits and hyphens (e.g. 'event-safety')"
            )
        if field == "capabilities" or (loc and loc[-2:-1] == ["capabilities"]):
            return f"'{value}' is not a valid capability id: use lowercase letters, digits and hyphens"
        return f"'{value}' is not a valid id: use letters, digits, '-', '_' or '.', starting with a letter or digit"
    if kind in {"greater_than", "greater_than_equal", "less_than_equal"}:
        bound = {"greater_than": "greater than", "greater_than_equal": "at least", "less_than_equal": "at most"}[kind]
        limit = ctx.get("gt", ctx.get("ge", ctx.get("le")))
        return f"{field} must be {bound} {limit}, not {value!r}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{field} must be a whole number, not {value!r}"
    if kind in {"float_parsing", "float_type"}:
        return f"{field} must be a number, not {value!r}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{field} must be true or false, not {value!r}"
    if kind == "too_short":
        if isinstance(value, str):
            return f"{field} must not be empty"
        return f"{field} needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long" or kind == "string_too_long":
        return f"{field} is too long (at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return f"{field} must not be empty"
    if kind in {"list_type"}:
        return f"{field} must be a list [...], not {type(value).__name__}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"{field or 'this'} must be an object {{...}}, not {_json_type(value)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "literal_error":
        return f"{field} must be {ctx.get('expected')}, not {value!r}"
    return f"{field}: {error['msg']}" if field else error["msg"]


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def from_validation_error(file: str, exc: ValidationError, models: tuple[type[BaseModel], ...]) -> list[Issue]:
    """One Issue per place: union alternatives that all failed are folded into one plain message."""
    field_names = {name for model in models for name in model.model_fields} | {"$schema"}
    by_path: dict[str, list[dict[str, Any]]] = {}
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
        by_path.setdefault(json_path(loc), []).append(error)
    issues = []
    for path, errors in by_path.items():
        field = path.rsplit(".", 1)[-1].split("[")[0]
        if len(errors) > 1 and (field in TEXT_FIELDS or path.endswith("]")) and field != "level":
            message = f'{field} must be text or an object of language code to text, e.g. {{"en": "...", "id": "..."}}'
        elif len(errors) > 1 and field == "level":
            message = f'level must be a level value of the scale or "na", not {errors[0].get("input")!r}'
        else:
            message = _friendly(errors[0], field_names)
        issues.append(Issue(file, path, message))
    return issues
