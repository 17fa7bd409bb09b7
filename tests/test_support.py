"""Support given to members, the pure rules (scoring/support.py): the attendance list (every bad row named by line,
nothing taken from a list with one), the support counted in the interval between a member's rounds (boundary days
included), capability scores and the with/without comparison suppressed under the threshold."""

import csv
import io
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import score
from scoring.support import between_rounds, capability_scores, effect, parse_attendance, received
from tests.test_lint_crosswalk import full, make

MEMBERS = {"pt satu": 1, "cv dua": 2, "pt tiga jaya": 3}


def key(name: str) -> str:
    return " ".join(name.split()).casefold()


def csv_bytes(rows, header=("organization", "days")) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_good_list_gives_every_member_with_its_days():
    found, issues = parse_attendance(csv_bytes([("PT Satu", "2"), ("  cv  DUA ", "")]), MEMBERS, key, 3)
    assert issues == []
    assert [(a.organization_id, a.days) for a in found] == [(1, 2), (2, None)]


def test_a_list_without_days_and_with_extra_columns_is_taken():
    data = "nama kontak,Organization\nBudi,PT Tiga Jaya\n".encode("utf-8-sig")
    found, issues = parse_attendance(data, MEMBERS, key, 1)
    assert issues == [] and [a.organization_id for a in found] == [3]


def test_every_bad_row_is_named_by_line_in_both_languages_and_nothing_is_taken():
    rows = [("PT Satu", "1"), ("PT Tidak Ada", ""), ("pt satu", ""), ("CV Dua", "4"), ("CV Dua", "dua"),
            ("PT\x07Tiga Jaya", ""), ("x" * 201, ""), ("", "1")]  # fmt: skip
    found, issues = parse_attendance(csv_bytes(rows), MEMBERS, key, 3)
    assert found == []
    assert [(i.params["line"], i.code) for i in issues] == [
        (3, "support.unknown-organization"), (4, "support.duplicate"), (5, "support.bad-days"),
        (6, "support.bad-days"), (7, "support.control-characters"), (8, "support.too-long"),
        (9, "support.no-organization"),
    ]  # fmt: skip
    stored = "write the name as it is stored in Gapura"
    assert issues[0].message("en") == f"line 3: no member is called PT Tidak Ada; {stored}"
    assert issues[1].message("id") == "baris 4: pt satu sudah ada di baris 2"
    assert issues[2].message("id") == "baris 5: jumlah hari harus bilangan bulat dari 1 sampai 3, bukan 4"


def test_a_file_that_is_not_a_list_is_refused_with_a_reason():
    assert parse_attendance(b"\xff\xfe\x00", MEMBERS, key, 1)[1][0].code == "support.not-utf8"
    assert parse_attendance(b"nama\nPT Satu\n", MEMBERS, key, 1)[1][0].code == "support.no-organization-column"
    assert parse_attendance(b"organization\n\n", MEMBERS, key, 1)[1][0].code == "support.empty"
    assert parse_attendance(b'organization\n"PT Satu\n', MEMBERS, key, 1)[1][0].code == "support.csv"


NAMES = st.sampled_from(["PT Satu", "pt  satu", "CV Dua", "PT Tiga Jaya", "PT Lain", "", "PT\x00X", "a" * 250])
DAYS = st.sampled_from(["", "1", "2", "3", "4", "0", "-1", "x", "1.5", " 2 "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(NAMES, DAYS), max_size=12), st.integers(min_value=1, max_value=3))
def test_the_parser_takes_a_list_whole_or_names_exactly_its_bad_lines(rows, longest):
    found, issues = parse_attendance(csv_bytes(rows), MEMBERS, key, longest)
    expected_bad, seen, expected = [], set(), []
    for line, (name, days) in enumerate(rows, start=2):
        if not (name.strip() or days.strip()):
            continue  # a blank row is skipped, as a spreadsheet leaves them
        k = key(name)
        bad = (not name.strip() or "\x00" in name or len(name) > 200 or k not in MEMBERS or k in seen
               or (days.strip() and not (days.strip().isdigit() and 1 <= int(days) <= longest)))  # fmt: skip
        if bad:
            expected_bad.append(line)
        else:
            seen.add(k)
            expected.append((MEMBERS[k], int(days) if days.strip() else None))
    assert [i.params["line"] for i in issues if "line" in i.params] == expected_bad
    if expected_bad:
        assert found == []
    else:
        assert [(a.organization_id, a.days) for a in found] == expected
        assert (issues == []) == bool(expected)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_list_or_reasons_never_an_error(data):
    found, issues = parse_attendance(data, MEMBERS, key, 5)
    assert bool(found) != bool(issues)
    assert all(i.message("id") and i.message("en") for i in issues)


def day(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 9, 30, tzinfo=UTC)


def test_support_counts_in_the_interval_holding_its_last_day_on_the_boundaries_too():
    rounds = pd.DataFrame({
        "organization_id": [1, 1, 1, 2],
        "round": ["T0", "T1", "T2", "T1"],
        "submitted": [day(date(2027, 1, 10)), day(date(2027, 6, 10)), None, day(date(2027, 6, 1))],
    })  # fmt: skip
    intervals = between_rounds(rounds)
    assert list(intervals["round"]) == ["T0", "T1", "T1"]  # an unsubmitted round has no interval
    participation = pd.DataFrame({
        "organization_id": [1, 1, 1, 1, 2],
        "kind": ["training", "mentoring", "training", "training", "training"],
        "capabilities": [("risk-assessment",), (), ("risk-assessment", "crowd-flow"), (), ("crowd-flow",)],
        "started_on": [date(2027, 1, 8), date(2027, 1, 11), date(2027, 6, 8), date(2027, 6, 11), date(2027, 6, 1)],
        "ended_on": [date(2027, 1, 10), date(2027, 1, 11), date(2027, 6, 10), date(2027, 6, 11), date(2027, 6, 2)],
        "days": [None, None, 2, None, None],
    })  # fmt: skip
    got = received(participation, intervals)
    rows = {(r.organization_id, r.round, r.dimension, r.value): (r.count, r.days) for r in got.itertuples()}
    assert rows == {
        # ended on T0's submission day: T0's (inclusive), not T1's
        (1, "T0", "kind", "training"): (1, 3), (1, "T0", "capability", "risk-assessment"): (1, 3),
        # the day after T0's submission and T1's submission day: both T1's; 2 of the 3 days attended
        (1, "T1", "kind", "mentoring"): (1, 1), (1, "T1", "kind", "training"): (1, 2),
        (1, "T1", "capability", "risk-assessment"): (1, 2), (1, "T1", "capability", "crowd-flow"): (1, 2),
        # organization 2 submitted T1 on 1 June: support ending on 2 June is after it
    }  # fmt: skip


def capability_standard():
    return make("cap", [full("A", "Risk", capabilities=["risk-assessment"], weight=1),
                        full("B", "Flow", capabilities=["risk-assessment", "crowd-flow"], weight=3),
                        full("C", "Other")])  # fmt: skip


def test_a_capability_score_is_the_weighted_mean_of_the_criteria_carrying_it():
    standard = capability_standard()
    answers = pd.DataFrame({"assessment": [1, 1, 1, 2], "criterion": ["A", "B", "C", "C"], "level": [4, 2, 0, 3],
                            "na": [False] * 4})  # fmt: skip
    scores = score(standard, answers, [1, 2])
    table = capability_scores(standard, scores, ["risk-assessment", "crowd-flow"])
    assert table.loc[0, "risk-assessment"] == (1 * 4 / 4 + 3 * 2 / 4) / 4
    assert table.loc[0, "crowd-flow"] == 0.5
    assert np.isnan(table.loc[1, "risk-assessment"])  # nothing carrying it is scored


def test_each_group_under_the_threshold_is_suppressed_and_then_the_other_too():
    before = pd.DataFrame({"overall": [0.5] * 8}, index=range(1, 9))
    after = pd.DataFrame({"overall": [0.6] * 5 + [0.4] * 3}, index=range(1, 9))
    shown = effect(before, after, {1, 2, 3, 4, 5}, ["overall"], threshold=3).set_index("group")
    assert shown.loc["with", "members"] == 5 and round(shown.loc["with", "change"], 9) == 0.1
    assert shown.loc["without", "members"] == 3 and round(shown.loc["without", "change"], 9) == -0.1
    hidden = effect(before, after, {1, 2, 3, 4, 5}, ["overall"], threshold=4).set_index("group")
    assert pd.isna(hidden.loc["without", "members"]) and pd.isna(hidden.loc["without", "change"])
    assert hidden.loc["without", "reason"].code == "disclosure.too-few"
    # the total is known elsewhere (the progress page): the other group would give the small one away
    assert pd.isna(hidden.loc["with", "change"]) and hidden.loc["with", "reason"].code == "disclosure.secondary"
    assert hidden.loc["with", "members"] == 5
