"""The disclosure rules themselves (scoring/disclosure.py), by hand and by property: complete secondary suppression,
small cells, differencing, and the generalisation of quasi-identifiers measured as k-anonymity."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.disclosure import (
    QUASI_IDENTIFIERS,
    class_sizes,
    conflict,
    generalise,
    period_bounds,
    shown_count,
    suppress_cells,
    suppress_parts,
)
from scoring.profile import ISLAND_GROUPS, PROVINCES, SEGMENTS, SIZE_BANDS


def test_two_small_parts_that_together_hold_fewer_than_k_take_a_cover_with_them():
    # The finding: Maluku 1 and Papua 1 both hidden, but the total minus the shown parts gave their sum, 2.
    counts = {"jawa": 30, "sumatera": 8, "kalimantan": 6, "maluku": 1, "papua": 1}
    hidden = suppress_parts(counts, threshold=5)
    assert {"maluku", "papua"} <= set(hidden)
    assert sum(counts[p] for p in hidden) >= 5
    assert hidden["kalimantan"].code == "disclosure.secondary" and "jawa" not in hidden


@given(st.dictionaries(st.sampled_from(list(ISLAND_GROUPS.values())), st.integers(0, 40), min_size=1))
def test_the_hidden_parts_of_a_total_always_hold_k_together_or_everything(counts):
    hidden = suppress_parts(counts, threshold=5)
    shown = {p: n for p, n in counts.items() if p not in hidden}
    total_hidden = sum(counts.values()) - sum(shown.values())
    assert all(n == 0 or n >= 5 for n in shown.values())
    if hidden:  # what subtraction recovers is only the sum of the hidden parts: never a small group, never one part
        assert total_hidden >= 5 or not any(n > 0 for n in shown.values())
        assert len(hidden) >= 2 or not any(n > 0 for n in shown.values())


def test_a_level_chosen_by_fewer_than_k_members_is_hidden_with_a_cover():
    table = pd.DataFrame({"0": [1, 10], "1": [2, 10], "2": [12, 10], "3": [10, 0], "na": [0, 0]}, index=["A-1", "A-2"])
    out = suppress_cells(table, threshold=5)
    assert out.loc["A-1", "0"] is None and out.loc["A-1", "1"] is None and out.loc["A-1", "3"] is None
    assert out.loc["A-1", "2"] == 12
    assert list(out.loc["A-2"]) == [10, 10, 10, 0, 0]


def test_a_count_under_the_threshold_is_not_printed():
    assert shown_count(1, 5) is None and shown_count(4, 5) is None and shown_count(5, 5) == 5
    assert shown_count(0, 5) == 0


def test_differencing_refuses_a_set_that_differs_by_fewer_than_k_from_any_release():
    released = [frozenset(range(1, 21)), frozenset(range(1, 11))]
    assert conflict(frozenset(range(1, 21)), released, 5) is None  # the same set again reveals nothing new
    refused = conflict(frozenset(range(1, 18)), released, 5)
    assert refused.code == "disclosure.differencing" and refused.params["differ"] == 3
    assert conflict(frozenset(range(1, 14)), released, 5).params["differ"] == 3  # 3 more than 1..10
    assert conflict(frozenset(range(30, 40)), released, 5) is None


def test_periods_give_their_first_and_last_day():
    first, last = period_bounds(["2026-07", "2026-Q1", "2025", None, ""])
    assert first == [date(2026, 7, 1), date(2026, 1, 1), date(2025, 1, 1), None, None]
    assert last == [date(2026, 7, 31), date(2026, 3, 31), date(2025, 12, 31), None, None]


def members(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["organization_id", "province", "size_band", "segments", "submitted_at"]).assign(
        island_group=lambda f: f["province"].map(ISLAND_GROUPS)
    )


def test_generalisation_coarsens_only_the_small_classes_and_withholds_what_stays_small():
    day = datetime(2026, 7, 14, tzinfo=UTC)
    rows = [(i, "Jawa Barat", "11-50", ["concert-festival"], day) for i in range(6)]
    rows += [(10 + i, "Banten", "11-50", ["concert-festival"], day) for i in range(2)]
    rows += [(20 + i, "DKI Jakarta", "11-50", ["concert-festival"], day) for i in range(3)]
    rows += [(30, "Papua", "101+", ["sport", "exhibition"], datetime(2024, 1, 2, tzinfo=UTC))]
    out = generalise(members(rows), threshold=5)
    values = out.values
    assert list(values.loc[:5, "province"]) == ["Jawa Barat"] * 6 and values.loc[0, "submitted"] == "2026-07"
    assert list(values.loc[6:10, "province"]) == [None] * 5 and set(values.loc[6:10, "island_group"]) == {"jawa"}
    assert out.withheld.tolist() == [False] * 11 + [True]  # alone on every field: never released
    assert "2026-07-14" not in values.astype(str).to_numpy().ravel()  # an exact date never is


def test_a_filtered_release_is_never_finer_than_the_whole():
    day = datetime(2026, 7, 14, tzinfo=UTC)
    rows = [(i, "Bali", "1-4", ["wedding-social"], day) for i in range(3)]
    rows += [(10 + i, "Nusa Tenggara Barat", "1-4", ["wedding-social"], day) for i in range(3)]
    rows += [(20 + i, "Jawa Barat", "1-4", ["wedding-social"], day) for i in range(8)]
    frame = members(rows)
    whole = generalise(frame, threshold=5)
    part = generalise(frame.iloc[:6], threshold=5, start=whole.levels)
    assert (part.levels.to_numpy() >= whole.levels.iloc[:6].to_numpy()).all()
    assert set(whole.values.loc[:5, "province"]) == {None}  # Bali's 3 and NTB's 3 lose their province nationally
    assert set(part.values["province"]) == {None}  # and a filter to those six does not give it back


profiles = st.tuples(
    st.sampled_from(PROVINCES + [None]), st.sampled_from(SIZE_BANDS + [None]),
    st.lists(st.sampled_from(list(SEGMENTS)), max_size=3, unique=True),
    st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31))),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles, min_size=1, max_size=80), st.integers(2, 6))
def test_every_released_class_holds_k_organizations(rows, k):
    frame = members([
        (i, p, s, g, None if d is None else datetime(d.year, d.month, d.day, tzinfo=UTC))
        for i, (p, s, g, d) in enumerate(rows)
    ])  # fmt: skip
    out = generalise(frame, threshold=k)
    kept = ~out.withheld
    if kept.any():
        sizes = class_sizes(out.values[kept], frame["organization_id"][kept])
        assert sizes.min() >= k
    assert len(QUASI_IDENTIFIERS) == out.values.shape[1]
    assert np.all(out.levels.to_numpy() >= 0)
