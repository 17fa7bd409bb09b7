"""The members of a campaign from a CSV (columns `organization` and `email`): the rows to invite, and per bad row
its line and reason, so a file is taken whole or not at all."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import ValidationError

from scoring.issues import Issue
from scoring.model import Organization

COLUMNS = ("organization", "email")
MAX_BYTES = 1_000_000  # 5,000 rows of long names and emails fit; a bigger file is not a members list
MAX_ROWS = 5000
MAX_EMAIL = 254  # RFC 5321, and the accounts' column
MAX_SHOWN_ISSUES = 50  # a wrong file (another table) gets its first reasons, not thousands
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def email_key(email: str) -> str:
    """Emails are the same when they differ only in case, surrounding spaces and control characters (invisible when
    pasted, and PostgreSQL refuses a NUL even in a query)."""
    return "".join(c for c in email if unicodedata.category(c) != "Cc").strip().casefold()


def is_email(key: str) -> bool:
    """Whether an email, as email_key gives it, can be stored and written to."""
    return len(key) <= MAX_EMAIL and EMAIL.match(key) is not None


@dataclass(frozen=True)
class Invitee:
    line: int
    organization: str  # cleaned as the store keeps an organization's name
    email: str  # as email_key gives it


@dataclass(frozen=True)
class Roster:
    invitees: list[Invitee] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # none: every row may be taken


def parse_roster(raw: bytes, file: str = "members.csv") -> Roster:
    """The file's invitees, or its issues (then no invitee: nothing of a rejected file is taken)."""
    if len(raw) > MAX_BYTES:
        return Roster(issues=[Issue(file, "", "roster.too-large", {"mb": MAX_BYTES // 1_000_000})])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Roster(issues=[Issue(file, "", "roster.not-utf8")])
    lines = text.splitlines()
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Roster(issues=[Issue(file, "", "roster.empty")])
    # Excel in an Indonesian locale writes ";" between columns; the header says which one this file uses.
    delimiter = ";" if lines[first].count(";") > lines[first].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    invitees: list[Invitee] = []
    issues: list[Issue] = []
    seen_names: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    columns: dict[str, int] | None = None
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                header = [email_key(cell) for cell in row]
                missing = [c for c in COLUMNS if c not in header]
                if missing:
                    return Roster(
                        issues=[Issue(file, f"{start}", "roster.header", {"line": start, "missing": missing})]
                    )
                columns = {c: header.index(c) for c in COLUMNS}
                continue
            if len(invitees) + len(issues) >= MAX_ROWS:
                return Roster(issues=[Issue(file, "", "roster.too-many-rows", {"max": MAX_ROWS})])
            cells = {c: row[i] if i < len(row) else "" for c, i in columns.items()}
            found = _row_issues(file, start, cells, seen_names, seen_emails)
            if found:
                issues += found
            else:
                name = Organization.clean(cells["organization"])
                invitees.append(Invitee(start, name, email_key(cells["email"])))
    except csv.Error as exc:
        issues.append(Issue(file, f"{line}", "roster.csv", {"line": line, "detail": str(exc)[:80]}))
    if columns is None:
        return Roster(issues=[Issue(file, "", "roster.empty")])
    if issues:
        return Roster(issues=issues[:MAX_SHOWN_ISSUES])
    if not invitees:
        return Roster(issues=[Issue(file, "", "roster.no-rows")])
    return Roster(invitees=invitees)


def _row_issues(
    file: str, line: int, cells: dict[str, str], seen_names: dict[str, int], seen_emails: dict[str, int]
) -> list[Issue]:
    """Why one row cannot be taken (none: it can), remembering its name and email for the rows after it."""
    issues = []
    name = Organization.clean(cells["organization"])
    if not name:
        issues.append(Issue(file, f"{line}", "roster.organization-empty", {"line": line}))
    else:
        try:
            Organization.model_validate({"name": name})
        except ValidationError:
            issues.append(Issue(file, f"{line}", "roster.organization-too-long", {"line": line, "max": 200}))
        key = name.casefold()
        if key in seen_names:
            issues.append(Issue(file, f"{line}", "roster.duplicate-organization",
                                {"line": line, "first": seen_names[key], "name": name[:80]}))  # fmt: skip
        seen_names.setdefault(key, line)
    email = email_key(cells["email"])
    if not is_email(email):
        issues.append(Issue(file, f"{line}", "roster.email", {"line": line, "value": email[:80]}))
    elif email in seen_emails:
        issues.append(Issue(file, f"{line}", "roster.duplicate-email",
                            {"line": line, "first": seen_emails[email], "value": email[:80]}))  # fmt: skip
    else:
        seen_emails[email] = line
    return issues
