"""Opening-hours parser: accepted subset, effective weekly hours, French errors with columns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pytest

from ccdir.content.hours import HoursError, parse, validate_hours

MO, TU, WE, TH, FR, SA, SU = range(7)
WEEK = range(7)


def m(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def iv(days, *spans: str) -> list[tuple[int, int, int]]:
    """Weekly intervals for `days`, each span written "HH:MM-HH:MM" (same day, end ≤ 24:00)."""
    out = []
    for day in days:
        for span in spans:
            start, end = span.split("-")
            out.append((day, m(start), m(end)))
    return out


# (text, expected weekly intervals), computed by hand.
VALID = [
    ("Tu-Sa 09:30-19:00", iv([TU, WE, TH, FR, SA], "09:30-19:00")),
    (
        "Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; PH off",
        iv([MO, TU, WE, TH, FR], "08:00-12:30", "14:00-19:00") + iv([SA], "08:00-13:00"),
    ),
    (
        "Mo-Fr 08:00-12:30,14:00-19:00;Sa 08:00-13:00",
        iv([MO, TU, WE, TH, FR], "08:00-12:30", "14:00-19:00") + iv([SA], "08:00-13:00"),
    ),
    ("  Mo 09:00-12:00  ", iv([MO], "09:00-12:00")),
    ("Mo-Fr 09:00-18:00;", iv([MO, TU, WE, TH, FR], "09:00-18:00")),
    ("Mo-Fr 09:00-18:00 ; ", iv([MO, TU, WE, TH, FR], "09:00-18:00")),
    ("24/7", iv(WEEK, "00:00-24:00")),
    ("09:00-18:00", iv(WEEK, "09:00-18:00")),
    ("09:00-12:00,14:00-18:00", iv(WEEK, "09:00-12:00", "14:00-18:00")),
    ("Sa-Mo 10:00-12:00", iv([MO, SA, SU], "10:00-12:00")),
    ("Fr-Mo 10:00-12:00", iv([MO, FR, SA, SU], "10:00-12:00")),
    ("Su-Tu 10:00-11:00", iv([MO, TU, SU], "10:00-11:00")),
    ("Mo,We,Fr 09:00-12:00", iv([MO, WE, FR], "09:00-12:00")),
    ("Mo-We,Fr 09:00-12:00", iv([MO, TU, WE, FR], "09:00-12:00")),
    ("Mo-We,Fr-Su 09:00-12:00", iv([MO, TU, WE, FR, SA, SU], "09:00-12:00")),
    ("Mo-Mo 10:00-11:00", iv([MO], "10:00-11:00")),
    ("Mo,Mo-Tu 10:00-11:00", iv([MO, TU], "10:00-11:00")),
    ("Mo - Fr 09:00-18:00", iv([MO, TU, WE, TH, FR], "09:00-18:00")),
    ("Mo-Fr 09:00 - 12:00 , 14:00 - 18:00", iv([MO, TU, WE, TH, FR], "09:00-12:00", "14:00-18:00")),
    ("Mo-Fr 14:00-18:00,09:00-12:00", iv([MO, TU, WE, TH, FR], "09:00-12:00", "14:00-18:00")),
    ("Mo-Fr 07:00-09:00,11:30-14:00,17:00-20:00", iv(range(5), "07:00-09:00", "11:30-14:00", "17:00-20:00")),
    # adjacent spans are one interval for the "open now" filter
    ("Mo 08:00-12:00,12:00-14:00", iv([MO], "08:00-14:00")),
    # overnight spans are split at midnight onto the next day
    ("Fr-Sa 18:00-02:00", iv([FR, SA], "18:00-24:00") + iv([SA, SU], "00:00-02:00")),
    ("Su 22:00-03:00", iv([SU], "22:00-24:00") + iv([MO], "00:00-03:00")),
    ("We 13:30-05:30", iv([WE], "13:30-24:00") + iv([TH], "00:00-05:30")),
    ("Mo-Sa 11:00-01:00", iv(range(6), "11:00-24:00") + iv([TU, WE, TH, FR, SA, SU], "00:00-01:00")),
    ("Mo 10:00-00:30", iv([MO], "10:00-24:00") + iv([TU], "00:00-00:30")),
    ("Mo-Fr 12:00-06:00", iv(range(5), "12:00-24:00") + iv([TU, WE, TH, FR, SA], "00:00-06:00")),
    ("Mo 23:00-01:00,08:00-10:00", iv([MO], "08:00-10:00", "23:00-24:00") + iv([TU], "00:00-01:00")),
    # as opening_hours.js: a later rule for Sunday wipes Saturday's night (the two spans merge at 01:00-02:00 no more)
    ("Sa 22:00-02:00; Su 01:00-04:00", iv([SA], "22:00-24:00") + iv([SU], "01:00-04:00")),
    ("Mo-Su 12:00-00:00", iv(WEEK, "12:00-24:00")),
    ("Mo 18:00-24:00", iv([MO], "18:00-24:00")),
    ("Mo 00:00-24:00", iv([MO], "00:00-24:00")),
    ("Mo-Fr 00:00-24:00; Sa 10:00-24:00", iv(range(5), "00:00-24:00") + iv([SA], "10:00-24:00")),
    # later rules replace the hours of the days they name
    ("Mo-Sa 09:00-19:00; We off", iv([MO, TU, TH, FR, SA], "09:00-19:00")),
    ("Mo-Sa 09:00-19:00; We closed", iv([MO, TU, TH, FR, SA], "09:00-19:00")),
    ("Mo-Sa 09:00-19:00; We 09:00-12:00", iv([MO, TU, TH, FR, SA], "09:00-19:00") + iv([WE], "09:00-12:00")),
    ("10:00-18:00; Su off", iv(range(6), "10:00-18:00")),
    ("24/7; Su off", iv(range(6), "00:00-24:00")),
    ("24/7; PH off", iv(WEEK, "00:00-24:00")),
    ("Mo off; Tu-Sa 09:30-19:00", iv([TU, WE, TH, FR, SA], "09:30-19:00")),
    ("Mo-Su 09:00-12:00; Su off; PH off", iv(range(6), "09:00-12:00")),
    # the night of a day that is not overridden still spills past midnight
    ("Fr 18:00-02:00; Sa off", iv([FR], "18:00-24:00")),  # « Sa off » closes all of Saturday (opening_hours.js)
    ("Fr-Sa 20:00-02:00; Sa 10:00-12:00", iv([FR], "20:00-24:00") + iv([SA], "10:00-12:00") + iv([SU], "00:00-02:00")),
    # public holidays are recorded but never evaluated
    ("Mo-Sa,PH 10:00-12:00", iv(range(6), "10:00-12:00")),
    ("PH 10:00-12:00; Mo 09:00-10:00", iv([MO], "09:00-10:00")),
    ("Mo-Fr 09:00-18:00; PH off", iv(range(5), "09:00-18:00")),
    ("Mo-Fr 09:00-18:00; Sa,Su 10:00-12:00; PH closed", iv(range(5), "09:00-18:00") + iv([SA, SU], "10:00-12:00")),
    ("PH off", []),
    ("Mo-Su off", []),
]


@pytest.mark.parametrize(("text", "expected"), VALID, ids=[t for t, _ in VALID])
def test_weekly(text, expected):
    assert parse(text).weekly() == sorted(expected)


@pytest.mark.parametrize("text", [t for t, _ in VALID])
def test_normalized_round_trips(text):
    hours = parse(text)
    again = parse(hours.normalized())
    assert again.weekly() == hours.weekly()
    assert again.normalized() == hours.normalized()
    assert again.describe_fr() == hours.describe_fr()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tu-Sa 09:30-19:00", "Tu-Sa 09:30-19:00"),
        ("Mo off; Tu-Sa 09:30-19:00", "Tu-Sa 09:30-19:00"),
        ("Mo-Fr 09:00 - 12:00 , 14:00 - 18:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("Mo-Fr 14:00-18:00,09:00-12:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("Mo-Sa 09:00-19:00; We off", "Mo,Tu,Th-Sa 09:00-19:00"),
        ("Fr-Sa 18:00-02:00", "Fr,Sa 18:00-02:00"),
        ("Mo-Su 12:00-00:00", "Mo-Su 12:00-24:00"),
        ("Sa-Mo 10:00-12:00", "Sa-Mo 10:00-12:00"),
        ("Mo-Fr 09:00-18:00; PH closed", "Mo-Fr 09:00-18:00; PH off"),
        ("Mo-Fr 09:00-18:00; Sa 09:00-18:00", "Mo-Sa 09:00-18:00"),
        ("Mo-Sa,PH 10:00-12:00", "Mo-Sa,PH 10:00-12:00"),
        ("24/7", "24/7"),
        ("24/7; PH off", "24/7; PH off"),
        ("Mo-Su 00:00-24:00", "24/7"),
        ("Mo-Su off", "Mo-Su off"),
        ("PH off", "PH off"),
        # additional rules (« , » before days: adds, never replaces) and closed times, as opening_hours.js
        ("Mo-Fr 09:00-18:00, Sa 09:00-12:00", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"),
        ("Mo-Fr 09:00-12:00, Mo,We 14:00-18:00", "Mo,We 09:00-12:00,14:00-18:00; Tu,Th,Fr 09:00-12:00"),
        ("Mo-Fr 10:00-16:00, We 12:00-18:00", "Mo,Tu,Th,Fr 10:00-16:00; We 10:00-18:00"),
        ("Mo-Fr 09:00-19:00; 12:00-14:00 off", "Mo-Fr 09:00-12:00,14:00-19:00"),
        ("Mo-Sa 09:00-19:00; We 12:00-19:00 off", "Mo,Tu,Th-Sa 09:00-19:00; We 09:00-12:00"),
    ],
)
def test_normalized(text, expected):
    assert parse(text).normalized() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tu-Sa 09:30-19:00", [("du mardi au samedi", "09:30 – 19:00"), ("dimanche et lundi", "fermé")]),
        (
            "Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; PH off",
            [
                ("du lundi au vendredi", "08:00 – 12:30, 14:00 – 19:00"),
                ("samedi", "08:00 – 13:00"),
                ("dimanche", "fermé"),
                ("jours fériés", "fermé"),
            ],
        ),
        (
            "Mo,We,Fr 09:00-12:00",
            [("lundi, mercredi et vendredi", "09:00 – 12:00"), ("mardi, jeudi, samedi et dimanche", "fermé")],
        ),
        (
            "Mo-Sa 09:00-19:00; We 09:00-12:00",
            [
                ("lundi, mardi et du jeudi au samedi", "09:00 – 19:00"),
                ("mercredi", "09:00 – 12:00"),
                ("dimanche", "fermé"),
            ],
        ),
        ("Fr-Sa 18:00-02:00", [("vendredi et samedi", "18:00 – 02:00"), ("du dimanche au jeudi", "fermé")]),
        ("Sa-Mo 10:00-12:00", [("du samedi au lundi", "10:00 – 12:00"), ("du mardi au vendredi", "fermé")]),
        ("10:00-18:00", [("tous les jours", "10:00 – 18:00")]),
        ("10:00-18:00; Su off", [("du lundi au samedi", "10:00 – 18:00"), ("dimanche", "fermé")]),
        ("24/7", [("tous les jours", "24 h/24")]),
        ("24/7; PH off", [("tous les jours", "24 h/24"), ("jours fériés", "fermé")]),
        (
            "Mo-Sa,PH 10:00-12:00",
            [("du lundi au samedi", "10:00 – 12:00"), ("dimanche", "fermé"), ("jours fériés", "10:00 – 12:00")],
        ),
        # nothing open: no list of closed days
        ("Mo-Su off", []),
        ("PH off", [("jours fériés", "fermé")]),
        # periods of the year: the weekly hours, then each period as written
        (
            "Mo-Sa 09:00-19:00; Aug off",
            [("du lundi au samedi", "09:00 – 19:00"), ("dimanche", "fermé"), ("en août", "fermé")],
        ),
        (
            "Jul-Aug Mo-Su 09:00-20:00; Sep-Jun Mo-Sa 09:00-19:00",
            [
                ("de juillet à août, tous les jours", "09:00 – 20:00"),
                ("de septembre à juin, du lundi au samedi", "09:00 – 19:00"),
            ],
        ),
        (
            "Mo-Fr 09:00-17:00; Dec 24-Jan 01 off",
            [
                ("du lundi au vendredi", "09:00 – 17:00"),
                ("samedi et dimanche", "fermé"),
                ("du 24 décembre au 1er janvier", "fermé"),
            ],
        ),
        (
            "Sa[1,3] 08:00-12:00; Sa[-1] 10:00-12:00",
            [("1er et 3e samedi du mois", "08:00 – 12:00"), ("dernier samedi du mois", "10:00 – 12:00")],
        ),
        ("week 1-53/2 Sa 08:00-12:00", [("semaines 1 à 53, une sur 2, samedi", "08:00 – 12:00")]),
        # a night wiped by the next day's rule is shown ending at midnight (as it is evaluated)
        (
            "Fr 22:00-04:00; Sa 21:00-04:00",
            [("vendredi", "22:00 – 24:00"), ("samedi", "21:00 – 04:00"), ("du dimanche au jeudi", "fermé")],
        ),
    ],
)
def test_describe_fr(text, expected):
    assert parse(text).describe_fr() == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Mo-Fr 09:00-18:00 "sur rendez-vous"',
            [("du lundi au vendredi", "09:00 – 18:00 à confirmer : sur rendez-vous")],
        ),
        ("Fr 22:00+", [("vendredi", "à partir de 22:00, fermeture non fixée")]),
        (
            'Mo-Fr 09:00-12:00 || "sur rendez-vous"',
            [
                ("du lundi au vendredi", "09:00 – 12:00"),
                ("samedi et dimanche", "fermé"),
                ("sinon", "horaires à confirmer : sur rendez-vous"),
            ],
        ),
        ("2026 Dec 24 off", [("le 24 décembre 2026", "fermé")]),
        ("2026-2027 Sa 10:00-12:00", [("de 2026 à 2027, samedi", "10:00 – 12:00")]),
    ],
)
def test_describe_fr_of_comments_open_ends_fallbacks_years(text, expected):
    """What the merchant page says; the value is kept as written (regrouping would lose the comment)."""
    hours = parse(text)
    assert hours.normalized() == text
    assert parse(text).describe_fr() == expected


def spec(days: list[str], opens: str, closes: str) -> dict:
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [f"https://schema.org/{d}" for d in days],
        "opens": opens,
        "closes": closes,
    }


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tu-Sa 09:30-19:00", [spec(WEEKDAYS[1:] + ["Saturday"], "09:30", "19:00")]),
        (
            "Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; PH off",
            [
                spec(WEEKDAYS, "08:00", "12:30"),
                spec(WEEKDAYS, "14:00", "19:00"),
                spec(["Saturday"], "08:00", "13:00"),
            ],
        ),
        # grouped by identical hours, in week order
        (
            "Sa 10:00-12:00; Mo,We 10:00-12:00; Tu 08:00-09:00",
            [spec(["Monday", "Wednesday", "Saturday"], "10:00", "12:00"), spec(["Tuesday"], "08:00", "09:00")],
        ),
        ("Fr-Sa 18:00-02:00", [spec(["Friday", "Saturday"], "18:00", "02:00")]),
        ("Mo 00:00-24:00", [spec(["Monday"], "00:00", "23:59")]),
        ("Mo-Sa,PH 10:00-12:00", [spec(WEEKDAYS + ["Saturday", "PublicHolidays"], "10:00", "12:00")]),
        ("Mo-Su off", []),
    ],
)
def test_schema_org(text, expected):
    assert parse(text).schema_org() == expected


# 2024-01-01 is a Monday.
@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("Fr-Sa 18:00-02:00", "2024-01-05 17:59", False),  # Friday before opening
        ("Fr-Sa 18:00-02:00", "2024-01-05 18:00", True),
        ("Fr-Sa 18:00-02:00", "2024-01-05 23:59", True),
        ("Fr-Sa 18:00-02:00", "2024-01-06 00:00", True),  # Friday night, after midnight
        ("Fr-Sa 18:00-02:00", "2024-01-06 01:59", True),
        ("Fr-Sa 18:00-02:00", "2024-01-06 02:00", False),
        ("Fr-Sa 18:00-02:00", "2024-01-07 01:30", True),  # Saturday night spills into Sunday
        ("Fr-Sa 18:00-02:00", "2024-01-07 18:30", False),
        ("Fr-Sa 18:00-02:00", "2024-01-05 01:00", False),  # no Thursday night
        ("Su 22:00-03:00", "2024-01-08 02:59", True),  # Sunday night wraps to Monday
        ("Su 22:00-03:00", "2024-01-01 02:00", True),  # same week, Monday morning
        ("Mo 18:00-24:00", "2024-01-01 23:59", True),
        ("Mo 18:00-24:00", "2024-01-02 00:00", False),
        ("Mo-Fr 09:00-19:00", "2024-01-03 18:59:59", True),
        ("Mo-Fr 09:00-19:00", "2024-01-03 19:00", False),
        ("Mo-Sa 09:00-19:00; We 09:00-12:00", "2024-01-03 15:00", False),  # override
        ("Mo-Sa 09:00-19:00; We 09:00-12:00", "2024-01-03 11:00", True),
        ("Mo-Sa 09:00-19:00; We 09:00-12:00", "2024-01-02 15:00", True),
        ("Mo-Sa 09:00-19:00; We off", "2024-01-03 10:00", False),
        ("Fr 18:00-02:00; Sa off", "2024-01-06 01:00", False),  # « Sa off » closes Friday's night too (reference)
        ("Fr 18:00-02:00; Sa off", "2024-01-06 10:00", False),
        ("24/7; Su off", "2024-01-07 12:00", False),
        ("24/7; Su off", "2024-01-06 23:59", True),
        # public holidays (2024-12-25 is a Wednesday, 2024-05-01 too; 2024-05-02 is not a holiday)
        ("Mo-Fr 09:00-18:00; PH off", "2024-12-25 10:00", False),
        ("Mo-Fr 09:00-18:00; PH off", "2024-12-24 10:00", True),
        ("Mo-Fr 09:00-18:00; PH 10:00-12:00", "2024-05-01 11:00", True),
        ("Mo-Fr 09:00-18:00; PH 10:00-12:00", "2024-05-01 15:00", False),
        ("Mo-Fr 09:00-18:00; PH 10:00-12:00", "2024-05-02 15:00", True),
        ("PH off; Mo-Fr 09:00-18:00", "2024-12-25 10:00", True),  # a later weekday rule wins
        ("Mo-Su 18:00-02:00; PH off", "2024-12-26 01:00", True),  # opening_hours.js: Mo-Su still carries the night
        ("24/7; PH off", "2024-12-25 23:00", False),
        # dates, weeks, n-th weekday
        ("Mo-Sa 09:00-19:00; Aug off", "2024-08-14 10:00", False),
        ("Mo-Sa 09:00-19:00; Aug off", "2024-09-02 10:00", True),
        ("Jul-Aug Mo-Su 09:00-20:00; Sep-Jun Mo-Sa 09:00-19:00", "2024-07-07 19:30", True),
        ("Jul-Aug Mo-Su 09:00-20:00; Sep-Jun Mo-Sa 09:00-19:00", "2024-10-06 10:00", False),
        ("Mo-Fr 09:00-17:00; Dec 24-Jan 01 off", "2024-12-31 10:00", False),
        ("Mo-Fr 09:00-17:00; Dec 24-Jan 01 off", "2025-01-02 10:00", True),
        ("week 1-53/2 Sa 08:00-12:00", "2024-01-06 09:00", True),  # ISO week 1
        ("week 1-53/2 Sa 08:00-12:00", "2024-01-13 09:00", False),  # week 2
        ("Sa[1] 09:00-12:00", "2024-01-06 10:00", True),
        ("Sa[1] 09:00-12:00", "2024-01-13 10:00", False),
        ("Sa[-1] 10:00-17:00", "2024-01-27 11:00", True),
    ],
)
def test_is_open(text, when, expected):
    fmt = "%Y-%m-%d %H:%M:%S" if when.count(":") == 2 else "%Y-%m-%d %H:%M"
    assert parse(text).is_open(datetime.strptime(when, fmt)) is expected


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        # a comment without « open » means « maybe »: neither open nor closed (as opening_hours.js)
        ('Mo-Fr 09:00-18:00 "sur rendez-vous"', "2024-01-08 10:00", None),
        ('Mo-Fr 09:00-18:00 "sur rendez-vous"', "2024-01-08 19:00", False),
        ('Mo-Fr 09:00-18:00 open "appeler avant"', "2024-01-08 10:00", True),
        ('Mo-Fr 09:00-18:00; Sa 10:00-12:00 "sur rendez-vous"', "2024-01-08 10:00", True),
        ("Mo-Fr 09:00-18:00; We unknown", "2024-01-10 10:00", None),
        ('"sur rendez-vous"', "2024-01-10 03:00", None),
        # open end: unknown from 22:00 until 06:00 (8 hours), from 17:00 for 10 hours, else until midnight
        ("Fr 22:00+", "2024-01-12 23:00", None),
        ("Fr 22:00+", "2024-01-13 05:59", None),
        ("Fr 22:00+", "2024-01-13 06:00", False),
        ("Fr 22:00+; Sa 10:00-12:00", "2024-01-13 01:00", False),  # Saturday's rule wipes the night
        ("Mo 10:00-12:00+", "2024-01-08 11:00", True),
        ("Mo 10:00-12:00+", "2024-01-08 23:00", None),
        ("Mo 18:00+", "2024-01-09 03:30", None),
        # a period of the year without times: open all day then
        ("Mo-Fr 09:00-18:00; Dec 24-26", "2024-12-24 03:00", True),
        ("Mo,We: 09:00-12:00", "2024-01-10 10:00", True),
        ("week 01,03: 00:00-24:00", "2024-01-17 10:00", True),
        ("Jan week 02 Mo-Fr 09:00-12:00", "2024-01-10 10:00", True),
        ("Jan week 02 Mo-Fr 09:00-12:00", "2024-01-17 10:00", False),
        ("2024 Dec 24,Dec 31 10:00-12:00", "2025-12-31 11:00", True),  # Dec 31 of every year (OSM)
        ("2024 Dec 24,Dec 31 10:00-12:00", "2025-12-24 11:00", False),
        ("2024-2026/2 Mo 10:00-12:00", "2026-01-05 11:00", True),
        ("2024-2026/2 Mo 10:00-12:00", "2025-01-06 11:00", False),
        ("2025+ Mo 10:00-12:00", "2024-01-08 11:00", False),
        ("09:00-18:00; 2024 Dec 31-2025 Jan 02 off", "2025-01-01 10:00", False),
        ("off", "2024-01-10 10:00", False),
        ('Mo-Fr 09:00-12:00 || "sur rendez-vous"', "2024-01-10 10:00", True),
        ('Mo-Fr 09:00-12:00 || "sur rendez-vous"', "2024-01-10 15:00", None),  # the fallback fills what is closed
        ("Mo-Fr 09:00-12:00 || Sa 10:00-11:00", "2024-01-13 10:30", True),
        ("Mo 17:00+ off", "2024-01-08 18:00", False),
        ("Sa[-1] +3 days 10:00-12:00", "2024-01-30 11:00", True),  # last Saturday of January 2024: the 27th
        ("Sa[-1] +3 days 10:00-12:00", "2024-01-27 11:00", False),
        ("Su[1] -1 day 10:00-12:00", "2024-03-02 11:00", True),  # the day before the first Sunday of March
        ("We 22:00-26:00", "2024-01-11 01:30", True),
        ("Mo-Fr 09:00-12:00, Sa 10:00-12:00, Su 10:00-11:00", "2024-01-14 10:30", True),
        ("24/7 closed", "2024-01-10 10:00", False),
    ],
)
def test_state(text, when, expected):
    hours = parse(text)
    moment = datetime.strptime(when, "%Y-%m-%d %H:%M")
    assert hours.state(moment) is expected
    assert hours.is_open(moment) is (expected is True)  # « ouvert maintenant »: open for sure only


# (text, 1-based column, phrase the French message must contain)
INVALID = [
    ("", 1, "horaires vides"),
    ("   ", 1, "horaires vides"),
    ("lundi 09:00-12:00", 1, "jour inconnu « lundi » : utilisez Mo Tu We Th Fr Sa Su (Mo = lundi, Tu = mardi…)"),
    ("Lu-Sa 09:00-12:00", 1, "jour inconnu « Lu »"),
    ("Mo-Ma 09:00-12:00", 4, "ici, écrivez « Tu » (mardi)"),
    ("  Di 10:00-12:00", 3, "ici, écrivez « Su » (dimanche)"),
    ("Mon-Fri 09:00-18:00", 1, "ici, écrivez « Mo »"),
    ("mo 09:00-10:00", 1, "écrivez « Mo »"),
    ("Mo-fr 09:00-10:00", 4, "écrivez « Fr »"),
    ("ph off", 1, "écrivez « PH »"),
    ("Mo-Fr 9h-12h", 7, "heure « 9h » invalide : écrivez HH:MM, par exemple 09:00"),
    ("Mo-Fr 9:00-12:00", 7, "heure « 9:00 » invalide : écrivez HH:MM, par exemple 09:00"),
    ("Mo-Fr 09h00-12h00", 7, "heure « 09h00 » invalide"),
    ("Mo-Fr 09:00-18h30", 13, "par exemple 18:30"),
    ("Mo-Fr 9am-5pm", 7, "écrivez HH:MM"),
    ("Mo 09:60-10:00", 7, "minutes « 60 » invalides"),
    ("Mo 25:00-26:00", 4, "les heures vont de 00 à 24"),
    ("Mo 24:00-10:00", 4, "ne peut être qu'une heure de fin"),
    ("Mo 10:00-24:30", 10, "par exemple 00:30"),
    ("Mo 14:00-12:00", 4, "finit avant de commencer"),
    ("Mo 08:00-05:00", 4, "finit avant de commencer"),  # 17:00 written as 05:00
    ("Mo-Fr 20:00-08:00", 7, "finir à 06:00 au plus tard"),
    ("Mo-Fr 09:00-03:00", 7, "finir à 02:00 au plus tard"),  # 15:00 written as 03:00
    ("Mo 09:00-09:00", 4, "vide"),
    ("Mo 00:00-00:00", 4, "écrivez 00:00-24:00"),
    ("Mo 09:00", 4, "plage horaire incomplète « 09:00 »"),
    ("Mo 09:00-", 10, "ajoutez l'heure de fin"),
    ("Mo 09:00-12:00 14:00-18:00", 16, "il manque une virgule"),
    ("Mo 08:00-12:00,11:00-13:00", 16, "se chevauchent"),
    ("Mo-Fr 09:00-18:00 Sa 09:00-12:00", 19, "il manque « ; » avant « Sa »"),
    ("Mo-Fr 09:00-18:00, samedi 09:00-12:00", 18, "pour commencer une nouvelle règle, utilisez « ; »"),
    ("Mo-Fr 09:00-18:00; Sa off, 10:00-12:00", 26, "« , » ne sépare pas les règles"),
    ("Mo-Fr 09:00-18:00,", 18, "« , » en trop à la fin"),
    ("Mo-Fr", 6, "horaires manquants après « Mo-Fr »"),
    ("Mo-Fr; Sa 09:00-12:00", 6, "horaires manquants"),
    ("Mo,Fr, 09:00-12:00", 6, "« , » en trop entre les jours et les heures"),
    ("Mo Fr 09:00-12:00", 4, "il manque une virgule avant « Fr »"),
    ("Mo- 09:00-12:00", 5, "plage de jours incomplète"),
    ("Mo-PH 09:00-12:00", 4, "PH (jours fériés) ne peut pas faire partie d'une plage"),
    ("Mo-Fr 09:00–18:00", 12, "tiret « – »"),
    ("Mo-Fr 24/7", 7, "24/7 s'écrit seul"),
    ("Mo-Fr OFF", 7, "écrivez « off » en minuscules"),
    ("Mo-Fr fermé", 7, "écrivez « off »"),
    ("Mo-Fr 09:00-18:00 off off", 23, "« off » en trop"),
    (";Mo 09:00-10:00", 1, "« ; » en trop"),
    ("Mo 09:00-10:00;; Tu 09:00-10:00", 16, "« ; » en trop"),
    ("SH 09:00-10:00", 1, "vacances scolaires non prises en charge"),
    ("Mo-Fr sunrise-sunset", 7, "lever/coucher du soleil non pris en charge : écrivez des heures"),
    ("Mo-Fr 09:00-dusk", 13, "lever/coucher du soleil non pris en charge"),
    ("easter off", 1, "Pâques n'est pas prise en charge"),
    ('Mo-Fr 09:00-18:00 "sur rendez-vous', 19, 'guillemet « " » non fermé'),
    ('Mo-Fr 09:00-18:00 ""', 19, "commentaire vide"),
    ("Mo-Fr 09:00-18:00 open unknown", 24, "gardez un seul des deux états"),
    ("Mo 09:00-+", 10, "se place juste après une heure"),
    ("week 30-40/1 Mo 10:00-12:00", 12, "pas « /1 » impossible"),
    ("week 30-31/2 Mo 10:00-12:00", 12, "pas « /2 » inutile"),
    ("Mo 09:00-12:00 ||", 16, "« || » en trop"),
    ("Mo 22:00-49:00", 10, "jusqu'à 48 pour une fin le lendemain"),
    ("Mo 25:00-26:00", 4, "les heures vont de 00 à 24"),
    ("Sa[-1] +31 days 10:00-12:00", 9, "un nombre de jours de 0 à 30"),
    ("Dec 20-Dec Su[-1] 10:00-12:00", 8, "date mobile"),
    ("2020-2022", 1, "des années ou des heures ? Pour des heures, écrivez HH:MM, par exemple 20:20"),
    ("2027-2026 Mo 10:00-12:00", 1, "années « 2027-2026 » à l'envers"),
    ("2026 Dec 31-2025 Jan 02 off", 13, "la période finit avant de commencer"),
    ("du lundi au vendredi de 9h à 18h", 1, "mot « du » en trop"),
    # a rule wholly replaced by a later one is a mistake: the column points at the later rule
    ("Mo-Fr 09:00-12:00; 14:00-18:00", 20, "par exemple Mo-Fr 09:00-12:00,14:00-18:00"),
    ("Mo 08:00-12:00; Mo 14:00-18:00", 17, "par exemple Mo 08:00-12:00,14:00-18:00"),
    ("Su off; Mo-Su 09:00-12:00", 9, "placez « Su off » après « Mo-Su 09:00-12:00 »"),
    ("PH off; 24/7", 9, "n'a aucun effet"),
]


@pytest.mark.parametrize(("text", "column", "phrase"), INVALID, ids=[t or "<empty>" for t, _, _ in INVALID])
def test_invalid(text, column, phrase):
    with pytest.raises(HoursError) as info:
        parse(text)
    assert phrase in info.value.message
    assert info.value.column == column
    assert str(info.value) == f"{info.value.message} (colonne {column})"


def test_error_is_raised_again_for_cached_text():
    for _ in range(2):
        with pytest.raises(HoursError):
            parse("Lu 09:00-12:00")


def test_validate_hours_strips_rewrites_or_raises():
    assert validate_hours("  Tu-Sa 09:30-19:00 ") == "Tu-Sa 09:30-19:00"
    assert validate_hours("Mo 9h-12h") == "Mo 09:00-12:00"  # French hours: the model holds OSM syntax
    with pytest.raises(ValueError, match=r"heure « 25h » impossible.*\(colonne 7\)"):
        validate_hours("Mo 9h-25h")


def test_validate_hours_as_pydantic_after_validator():
    pydantic = pytest.importorskip("pydantic")

    class Merchant(pydantic.BaseModel):
        opening_hours: Annotated[str, pydantic.AfterValidator(validate_hours)]

    assert Merchant(opening_hours=" Mo 09:00-12:00 ").opening_hours == "Mo 09:00-12:00"
    with pytest.raises(pydantic.ValidationError) as info:
        Merchant(opening_hours="Mo-Fr 09:00-18:00 Sa 09:00-12:00")
    error = info.value.errors()[0]
    assert "il manque « ; » avant « Sa »" in error["msg"] and "(colonne 19)" in error["msg"]
    # the column is reachable for callers that map it back to a file position
    assert error["ctx"]["error"].column == 19


def test_public_holidays_of_the_index_cover_the_next_24_months():
    """search/holidays.json holds a fixed span of years (reproducible builds): this fails in time to extend it."""
    from datetime import date

    from ccdir.content.hours.holidays import INDEX_YEARS, holiday_dates

    today = date.today()
    assert INDEX_YEARS[0] <= today.year and date(today.year + 2, today.month, 1) <= date(INDEX_YEARS[-1], 12, 31)
    dates = holiday_dates()
    assert len(dates) == 11 * len(INDEX_YEARS)  # metropolitan France: eleven a year
    assert {"2026-05-01", "2026-04-06", "2026-05-14", "2026-05-25", "2026-12-25"} <= set(dates)
