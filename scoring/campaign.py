"""A campaign's rules, pure: where a member stands in it, and which reminder is due on a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

# Where a member stands, in the order it moves; "overdue" is a flag beside the stage, not a stage.
STAGES = ("invited", "signed_up", "started", "submitted", "verified")
# A deadline reminder is still sent this many days after the deadline when the jobs did not run on the day itself;
# later than that, nothing is sent by itself (an officer may still remind on demand).
DEADLINE_GRACE_DAYS = 2


def stage(signed_up: bool, status: str | None) -> str:
    """The member's stage from whether its organization has an account and its campaign assessment's status
    (None: not started)."""
    if status == "verified":
        return "verified"
    if status == "submitted":
        return "submitted"
    if status is not None:
        return "started"
    return "signed_up" if signed_up else "invited"


def is_overdue(stage_now: str, deadline: date, today: date) -> bool:
    """Past the deadline and not yet submitted."""
    return today > deadline and STAGES.index(stage_now) < STAGES.index("submitted")


def reminder_kinds(remind_days: Iterable[int]) -> list[str]:
    """Every scheduled reminder of a campaign, earliest first: "before-7", "before-1", ..., then "deadline"."""
    days = sorted({int(d) for d in remind_days if int(d) > 0}, reverse=True)
    return [f"before-{d}" for d in days] + ["deadline"]


def reminder_day(kind: str, deadline: date) -> date:
    if kind == "deadline":
        return deadline
    return deadline - timedelta(days=int(kind.removeprefix("before-")))


def due_reminder(remind_days: Iterable[int], deadline: date, today: date, sent: Iterable[str] = ()) -> str | None:
    """The one scheduled reminder due today for a member not yet submitted: the latest whose day has come, unless it
    or a later one was sent already (a missed run never sends a pile of stale reminders at once); none past the
    deadline's grace."""
    if today > deadline + timedelta(days=DEADLINE_GRACE_DAYS):
        return None
    kinds = reminder_kinds(remind_days)
    come = [k for k in kinds if reminder_day(k, deadline) <= today]
    if not come:
        return None
    latest = come[-1]
    done = set(sent)
    if any(k in done for k in kinds[kinds.index(latest) :]):
        return None
    return latest
