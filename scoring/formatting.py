"""Percentages, numbers and dates in the user's language (id: 72%, 1.234, 26 November 2026)."""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALES = {"id": "id_ID", "en": "en_GB"}


def percent(value: float | None, lang: str) -> str:
    """A 0–1 fraction as a whole percentage; '—' when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_percent(value, format="#,##0%", locale=LOCALES.get(lang, "en_GB"))


def day(value: date | datetime, lang: str) -> str:
    return format_date(value, "d MMMM y", locale=LOCALES.get(lang, "en_GB"))


def number(value: int, lang: str) -> str:
    """A whole number with the language's grouping (id: 1.234, en: 1,234)."""
    return format_decimal(value, locale=LOCALES.get(lang, "en_GB"))


def points(value: float | None, lang: str) -> str:
    """A 0–1 fraction as points of 100 with one decimal (id: 2,1; en: 2.1), as impacts are shown; '—' when
    undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_decimal(value * 100, format="#,##0.0", locale=LOCALES.get(lang, "en_GB"))
