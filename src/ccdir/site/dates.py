"""Dates on public pages, in French (Babel's CLDR data): « 2 décembre 2026 », « décembre 2026 »."""

from __future__ import annotations

import datetime as dt
import functools

from babel.dates import format_date

LOCALE = "fr_FR"


@functools.lru_cache(maxsize=4096)  # a few hundred distinct days across tens of thousands of pages
def long_date(value: dt.date | str) -> str:
    """« 2 décembre 2026 », « 1er mars 2027 »; `value` a date or « AAAA-MM-JJ ».

    CLDR writes « 1 mars 2027 »; French typography writes the first day as an ordinal.
    """
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    text = format_date(day, format="long", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 and text.startswith("1 ") else text


@functools.lru_cache(maxsize=1024)
def month(value: str) -> str:
    """« décembre 2026 » for « 2026-12 »."""
    return format_date(dt.date.fromisoformat(value + "-01"), format="MMMM y", locale=LOCALE)
