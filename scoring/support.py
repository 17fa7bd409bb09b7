"""Support the association gave its members (interventions) and what changed around it: the kinds of support, the
attendance list as a CSV, the support each member received between two of its campaign rounds, and the descriptive
with/without comparison of two rounds. Pure: the service reads the rows and passes them in."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from scoring.disclosure import shown_count, suppress_parts
from scoring.engine import Scores
from scoring.issues import Issue
from scoring.model import Standard

KINDS = ("training", "mentoring", "permit-clinic", "conference", "research", "other")
MAX_NAME = 200  # an organization's name, as the column holds it
MAX_ROWS = 5000  # an attendance list longer than any event the association runs is a wrong file
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# The long table of support received: one row per organization × round × (kind or capability) with any support.
RECEIVED = ["organization_id", "round", "dimension", "value", "count", "days"]
# The with/without comparison: one row per group × measure (overall, or a capability the support addresses).
EFFECT = ["group", "measure", "members", "change", "reason"]
GROUPS = ("with", "without")


@dataclass(frozen=True)
class Attendance:
    """A member on an attendance list, and its days there (None: the whole intervention)."""

    organization_id: int
    days: int | None


def length(started_on: date, ended_on: date) -> int:
    """The days an intervention lasts, both ends counted."""
    return (ended_on - started_on).days + 1


def parse_attendance(
    data: bytes, members: Mapping[str, int], key: Callable[[str], str], longest: int
) -> tuple[list[Attendance], list[Issue]]:
    """An attendance list (columns `organization`, optional `days`): the members on it, or every bad row with its line
    and reason. `members` maps each organization's key (`key` of its stored name) to its id; `longest` is the
    intervention's length in days. A list with any issue is to be refused whole."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [Issue("", "", "support.not-utf8")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if len(lines) > MAX_ROWS:
                return [], [Issue("", f"line {reader.line_num}", "support.too-many-rows", {"max": MAX_ROWS})]
            lines.append((reader.line_num, row))
    except csv.Error:  # a quote never closed, a cell past the csv module's limit
        return [], [Issue("", f"line {reader.line_num}", "support.csv", {"line": reader.line_num})]
    columns = [c.strip().casefold() for c in lines[0][1]] if lines else []
    if "organization" not in columns:
        return [], [Issue("", "line 1", "support.no-organization-column", {"line": 1})]
    at_name, at_days = columns.index("organization"), columns.index("days") if "days" in columns else None
    found: list[Attendance] = []
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for line, row in lines[1:]:
        if not any(cell.strip() for cell in row):
            continue  # a blank row, as spreadsheets leave them
        name = row[at_name] if at_name < len(row) else ""
        days = row[at_days].strip() if at_days is not None and at_days < len(row) else ""
        issue, attendance = _row(name, days, line, members, key, longest, seen)
        if issue is not None:
            issues.append(issue)
        else:
            found.append(attendance)
    if not found and not issues:
        issues.append(Issue("", "", "support.empty"))
    return ([], issues) if issues else (found, [])


def _row(
    name: str, days_text: str, line: int, members: Mapping[str, int], key: Callable[[str], str], longest: int,
    seen: dict[str, int],
) -> tuple[Issue | None, Attendance | None]:  # fmt: skip
    """One row of an attendance list: its member, or why it is bad; `seen` remembers each member's first line."""

    def bad(code: str, **params: object) -> tuple[Issue, None]:
        return Issue("", f"line {line}", code, {"line": line, **params}), None

    if _CONTROL.search(name) or _CONTROL.search(days_text):
        return bad("support.control-characters")
    name = name.strip()
    if not name:
        return bad("support.no-organization")
    if len(name) > MAX_NAME:
        return bad("support.too-long", max=MAX_NAME)
    organization = key(name)
    if organization not in members:
        return bad("support.unknown-organization", name=name)
    if organization in seen:
        return bad("support.duplicate", name=name, first=seen[organization])
    days = None
    if days_text:
        if not re.fullmatch(r"[0-9]{1,4}", days_text) or not 1 <= int(days_text) <= longest:
            return bad("support.bad-days", value=days_text[:20], max=longest)
        days = int(days_text)
    seen[organization] = line
    return None, Attendance(members[organization], days)


def received(participation: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """The support each organization received in each interval, as RECEIVED rows: per kind and per capability, how
    many interventions and how many days. `participation` has organization_id, kind, capabilities, started_on,
    ended_on and days (None: all of it); `intervals` has organization_id, round, after (None: from the start) and
    until. An intervention counts in the interval holding its last day: after < ended_on ≤ until (calendar days)."""
    if participation.empty or intervals.empty:
        return pd.DataFrame(columns=RECEIVED)
    joined = participation.merge(intervals, on="organization_id")
    ended = pd.to_datetime(joined["ended_on"])
    inside = ended <= pd.to_datetime(joined["until"])
    after = pd.to_datetime(joined["after"])
    inside &= after.isna() | (ended > after)
    joined = joined[inside.to_numpy()].copy()
    if joined.empty:
        return pd.DataFrame(columns=RECEIVED)
    full = [length(s, e) for s, e in zip(joined["started_on"], joined["ended_on"], strict=True)]
    joined["days"] = [int(f if pd.isna(d) else d) for d, f in zip(joined["days"], full, strict=True)]
    by_kind = joined.assign(dimension="kind", value=joined["kind"])
    by_capability = joined.assign(value=joined["capabilities"].map(list)).explode("value").dropna(subset=["value"])
    long = pd.concat([by_kind, by_capability.assign(dimension="capability")], ignore_index=True)
    out = (
        long.groupby(["organization_id", "round", "dimension", "value"], sort=True)
        .agg(count=("days", "size"), days=("days", "sum"))
        .reset_index()
    )
    return out[RECEIVED].astype({"count": "int64", "days": "int64"})


def between_rounds(rounds: pd.DataFrame) -> pd.DataFrame:
    """The interval of each submitted round of each organization (organization_id, round, submitted): from its
    previous submitted round's day (exclusive, None for its first) to its own (inclusive)."""
    done = rounds.dropna(subset=["submitted"]).sort_values(["organization_id", "submitted"])
    until = pd.to_datetime(done["submitted"], utc=True).dt.date
    return pd.DataFrame({
        "organization_id": done["organization_id"].to_numpy(),
        "round": done["round"].to_numpy(),
        "after": until.groupby(done["organization_id"].to_numpy()).shift(1).to_numpy(),
        "until": until.to_numpy(),
    })  # fmt: skip


def capability_scores(standard: Standard, scores: Scores, capabilities: Iterable[str]) -> pd.DataFrame:
    """Per assessment (rows in `scores` order) and capability (columns): the weighted mean criterion score over its
    scored criteria that carry the capability (rule 2's weighting within a domain, across domains); NaN when none."""
    tags = [set(c.capabilities) for _, c in standard.criteria()]
    weight = scores.layout.weight
    scored = scores.scored
    values = np.where(scored, scores.criterion_score, 0.0)
    out = {}
    for capability in capabilities:
        carried = np.array([capability in t for t in tags], dtype=bool) * weight
        total = (scored * carried).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[capability] = np.where(total > 0, (values * carried).sum(axis=1) / total, np.nan)
    return pd.DataFrame(out, index=range(len(scores.assessment_ids)), columns=list(capabilities))


def effect(
    before: pd.DataFrame, after: pd.DataFrame, supported: set[int], measures: list[str], threshold: int
) -> pd.DataFrame:
    """With/without, descriptive: for organizations in both `before` and `after` (indexed by organization id, a
    column per measure: "overall" and capability ids), the mean change per group (with: in `supported`) and measure,
    with its count. The two groups are parts of one total, suppressed as such (disclosure.suppress_parts): a group
    under the threshold hides its figure and count, and then the other group's figure too."""
    both = before.index.intersection(after.index)
    change = after.loc[both, measures] - before.loc[both, measures]
    with_support = change.index.isin(list(supported))
    rows = []
    for measure in measures:
        values = {"with": change.loc[with_support, measure].dropna(),
                  "without": change.loc[~with_support, measure].dropna()}  # fmt: skip
        hidden = suppress_parts({g: len(v) for g, v in values.items()}, threshold)
        for group in GROUPS:
            n, reason = len(values[group]), hidden.get(group)
            shown = reason is None and n > 0
            rows.append({"group": group, "measure": measure, "members": shown_count(n, threshold),
                         "change": float(values[group].mean()) if shown else None, "reason": reason})  # fmt: skip
    return pd.DataFrame(rows, columns=EFFECT)


@dataclass(frozen=True)
class Comparison:
    """The with/without comparison of two campaign rounds for one kind of support: the capabilities that support
    addressed (those the standard scores) and the EFFECT table."""

    kind: str
    capabilities: tuple[str, ...]
    table: pd.DataFrame


def compare_rounds(
    standard: Standard, scores: Scores, rounds: pd.DataFrame, participation: pd.DataFrame, from_round: str,
    to_round: str, kind: str, threshold: int,
) -> Comparison:  # fmt: skip
    """Members complete and submitted in both rounds (`rounds`: organization_id, round, coverage, overall, submitted,
    one row per `scores` row): the change in overall score and on each capability the `kind` of support they
    received between the two submissions addressed, with that support and without it."""
    done = rounds["submitted"].notna().to_numpy() & (rounds["coverage"] >= 1).to_numpy()
    first = rounds[done & (rounds["round"] == from_round).to_numpy()].drop_duplicates("organization_id")
    second = rounds[done & (rounds["round"] == to_round).to_numpy()].drop_duplicates("organization_id")
    both = first.merge(second, on="organization_id", suffixes=("_from", "_to"))
    intervals = pd.DataFrame({
        "organization_id": both["organization_id"], "round": to_round,
        "after": pd.to_datetime(both["submitted_from"], utc=True).dt.date,
        "until": pd.to_datetime(both["submitted_to"], utc=True).dt.date,
    })  # fmt: skip
    got = received(participation[participation["kind"] == kind], intervals)
    scored = {cap for _, c in standard.criteria() for cap in c.capabilities}
    capabilities = sorted(set(got.loc[got["dimension"] == "capability", "value"]) & scored)
    by_capability = capability_scores(standard, scores, capabilities)

    def measured(chosen: pd.DataFrame) -> pd.DataFrame:
        rows = rounds.index.get_indexer(chosen.index)
        frame = by_capability.iloc[rows].set_axis(chosen["organization_id"].to_numpy())
        return frame.assign(overall=chosen["overall"].to_numpy())

    supported = set(got["organization_id"])
    table = effect(measured(first), measured(second), supported, ["overall", *capabilities], threshold)
    return Comparison(kind, tuple(capabilities), table)
