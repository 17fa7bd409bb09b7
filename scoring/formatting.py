"""Percentages, numbers and dates in the user's language (id: 72%, 1.234, 26 November 2026)."""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

LOCALES = {"id": "id_ID", "en": "en_GB"}


def percent(value: float | None, lang: str) -> str:
    """A 0–1 fraction as a whole percentage; '—' when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return format_percent(value, format="#,##0%", locale=LOCALES.get(lang, "en_GB"))


def day(value: date | datetime, lang: str) -> str:
    return format_date(value, "d MMMM y", locale=LOCALES.get(lang, "en_GB"))


def decimal(value: float | None, lang: str, digits: int = 1) -> str:
    """A number with `digits` decimals (id: 2,1; en: 2.1); '—' when undefined."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALES.get(lang, "en_GB"))


def separators(lang: str) -> str:
    """The decimal and grouping marks of `lang` (id: ",.", en: ".,"), as a plotly figure's layout.separators takes
    them, so a chart's 2,1 reads like the page's."""
    locale = LOCALES.get(lang, "en_GB")
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def month(value: date | datetime, lang: str) -> str:
    """A month and its year, as a chart's axis shows it (id: Des 2026, en: Dec 2026)."""
    return format_date(value, "MMM y", locale=LOCALES.get(lang, "en_GB"))


def number(value: int, lang: str) -> str:
    """A whole number with the language's grouping (id: 1.234, en: 1,234)."""
    return format_decimal(value, locale=LOCALES.get(lang, "en_GB"))


def megabytes(size: int, lang: str) -> str:
    """A file size in MB with one decimal at most (id: 1,5 MB; en: 1.5 MB); under 0.1 MB in kB."""
    locale = LOCALES.get(lang, "en_GB")
    if size < 100 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)), locale=locale)} kB"
    return f"{format_decimal(size / (1024 * 1024), format='#,##0.#', locale=locale)} MB"
