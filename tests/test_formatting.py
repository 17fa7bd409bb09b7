"""Numbers, percentages and dates in the user's language (scoring/formatting.py, and every message through t())."""

from datetime import date

import pytest
import streamlit as st
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st_

from scoring.formatting import LOCALES, day, decimal, month, number, percent, separators
from ui.i18n import t


def test_each_language_writes_numbers_percentages_and_dates_its_own_way():
    assert (number(1234, "id"), number(1234, "en")) == ("1.234", "1,234")
    assert (percent(0.72, "id"), percent(0.72, "en"), percent(None, "id")) == ("72%", "72%", "—")
    assert (day(date(2026, 11, 26), "id"), day(date(2026, 11, 26), "en")) == ("26 November 2026", "26 November 2026")
    assert (day(date(2026, 8, 17), "id"), month(date(2026, 12, 1), "id")) == ("17 Agustus 2026", "Des 2026")
    assert month(date(2026, 12, 1), "en") == "Dec 2026"
    assert (decimal(2.125, "id", 2), decimal(1234.5, "id"), decimal(2.1, "en"), decimal(None, "id")) == (
        "2,12",  # half to even, as Babel rounds
        "1.234,5",
        "2.1",
        "—",
    )
    assert (separators("id"), separators("en")) == (",.", ".,")  # a chart's decimal and grouping marks


@given(st_.integers(min_value=-(10**12), max_value=10**12), st_.sampled_from(sorted(LOCALES)))
def test_a_whole_number_reads_back_as_itself(value, lang):
    assert parse_decimal(number(value, lang), locale=LOCALES[lang]) == value


@pytest.fixture
def language():
    """Set the language a message is written in, as the sidebar does; restored afterwards."""
    before = st.session_state.get("lang")
    yield lambda lang: st.session_state.__setitem__("lang", lang)
    st.session_state["lang"] = before or "id"


def test_whole_numbers_in_a_message_are_written_the_languages_way(language):
    language("id")
    assert "1.234 perusahaan" in t("demo.explain", n=1234)
    assert t("assess.progress", done=1200, total=1500) == "1.200 dari 1.500 kriteria sudah dijawab"
    language("en")
    assert t("assess.progress", done=1200, total=1500) == "1,200 of 1,500 criteria answered"
