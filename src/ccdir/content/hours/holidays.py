"""France's public holidays (« jours fériés »), from the maintained `holidays` package.

Metropolitan France's eleven national holidays; Alsace-Moselle's two extra days (Good Friday,
26 December) are not included: the directory serves Centre-Val de Loire and its neighbours.

The search index carries a fixed span of years, `INDEX_YEARS`, so that two builds of the same content
are byte for byte identical whatever the build date (the build clock never reaches an output). The span
covers far more than the 24 months ahead that « ouvert maintenant » needs; a test fails when fewer than
24 months are left (tests/test_hours.py), so that a maintainer extends it in time.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = ["INDEX_YEARS", "is_holiday", "holiday_dates", "day_kind"]

INDEX_YEARS = range(2024, 2041)  # written into the search index (search/holidays.json); extend before 2039


@lru_cache(maxsize=64)
def _year(year: int) -> frozenset[date]:
    # Imported when a date is first asked for: the package takes a quarter of a second to import (all its
    # countries), and most commands (validate, stats…) never need a holiday.
    import holidays

    return frozenset(holidays.country_holidays("FR", years=year))


def is_holiday(day: date) -> bool:
    return day in _year(day.year)


def day_kind(day: date) -> int:
    """0 ordinary day, 1 public holiday, 2 the day after one, 3 both (how the index encodes hours)."""
    return int(is_holiday(day)) + 2 * int(is_holiday(day - timedelta(days=1)))


def holiday_dates(years=INDEX_YEARS) -> list[str]:
    """ISO dates of the public holidays of `years`, sorted."""
    return sorted(d.isoformat() for year in years for d in _year(year))
