"""Dates on public pages in French: « 2 décembre 2026 », months as « décembre 2026 »."""

from __future__ import annotations

import datetime as dt

from ccdir.site.dates import long_date, month


def test_long_dates_are_french():
    assert long_date(dt.date(2026, 12, 2)) == "2 décembre 2026"
    assert long_date("2027-03-01") == "1er mars 2027"
    assert long_date(dt.date(2026, 8, 15)) == "15 août 2026"


def test_months_are_french():
    assert month("2026-02") == "février 2026"
