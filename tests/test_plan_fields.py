"""What a company types into its plan (services/plans.py `checked`), for any text: an owner on one line with no
control or invisible characters and a note without control characters, each stored only within its length, and a
status only from the list; anything else refused with the field's own code, never stored half-cleaned."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.model import MAX_NOTE
from scoring.plan import STATUSES
from services.assessing import Refused
from services.plans import MAX_OWNER, checked

CONTROLS = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0))}


@given(st.text(max_size=300))
def test_an_owner_is_one_clean_line_within_its_length_or_refused(text):
    try:
        owner = checked({"owner": text})["owner"]
    except Refused as refused:
        assert [i.code for i in refused.issues] == ["plan.too-long"]
        return
    assert len(owner) <= MAX_OWNER and "\n" not in owner and not CONTROLS & set(owner)
    assert owner == owner.strip()


@given(st.text(max_size=200))
def test_a_note_keeps_its_lines_and_loses_its_control_characters(text):
    note = checked({"note": text})["note"]
    assert not (CONTROLS - {"\t", "\n"}) & set(note) and "\r" not in note


def test_limits_status_and_due_date():
    assert checked({"note": "x" * MAX_NOTE})["note"] == "x" * MAX_NOTE
    with pytest.raises(Refused):
        checked({"note": "x" * (MAX_NOTE + 1)})
    assert [checked({"status": s})["status"] for s in STATUSES] == list(STATUSES)
    with pytest.raises(Refused):
        checked({"status": "DONE"})
    assert checked({"due": datetime(2027, 1, 2, 9, 30)})["due"] == date(2027, 1, 2)
    assert checked({"due": None})["due"] is None
    with pytest.raises(TypeError):
        checked({"level": 3})  # not a field of the plan: a bug in the caller, not the company's input
