"""The campaign's pure rules: a member's stage, overdue, and which reminder is due on a day."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from scoring.campaign import due_reminder, is_overdue, reminder_kinds, stage

DEADLINE = date(2027, 3, 31)


def test_stage_follows_the_member():
    assert stage(False, None) == "invited"
    assert stage(True, None) == "signed_up"
    assert stage(True, "draft") == "started"
    assert stage(True, "submitted") == "submitted"
    assert stage(True, "verified") == "verified"


def test_overdue_only_after_the_deadline_and_before_submission():
    assert not is_overdue("started", DEADLINE, DEADLINE)
    assert is_overdue("started", DEADLINE, DEADLINE + timedelta(days=1))
    assert not is_overdue("submitted", DEADLINE, DEADLINE + timedelta(days=1))


def test_reminders_on_their_days():
    assert reminder_kinds([1, 7, 7]) == ["before-7", "before-1", "deadline"]
    assert due_reminder([7, 1], DEADLINE, DEADLINE - timedelta(days=8)) is None
    assert due_reminder([7, 1], DEADLINE, DEADLINE - timedelta(days=7)) == "before-7"
    assert due_reminder([7, 1], DEADLINE, DEADLINE - timedelta(days=3), sent=["before-7"]) is None
    assert due_reminder([7, 1], DEADLINE, DEADLINE - timedelta(days=1), sent=["before-7"]) == "before-1"
    assert due_reminder([7, 1], DEADLINE, DEADLINE, sent=["before-7", "before-1"]) == "deadline"
    # A run missed for a week sends only the latest reminder, never the stale ones after it.
    assert due_reminder([7, 1], DEADLINE, DEADLINE - timedelta(days=1)) == "before-1"
    assert due_reminder([7, 1], DEADLINE, DEADLINE - timedelta(days=2), sent=["before-1"]) is None
    assert due_reminder([7, 1], DEADLINE, DEADLINE + timedelta(days=3)) is None


@given(st.lists(st.integers(1, 60), max_size=5), st.integers(-70, 10))
def test_day_by_day_each_reminder_at_most_once_in_order(days, start):
    sent: list[str] = []
    for offset in range(start, 11):
        kind = due_reminder(days, DEADLINE, DEADLINE + timedelta(days=offset), sent)
        if kind:
            sent.append(kind)
    kinds = reminder_kinds(days)
    assert len(sent) == len(set(sent))
    assert sent == sorted(sent, key=kinds.index)
    if start <= 0:
        assert sent[-1] == "deadline"
