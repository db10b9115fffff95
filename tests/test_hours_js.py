"""« Ouvert maintenant » in the browser (templates/assets/search/hours.js) answers as Python does.

The same values (French shops' hours and the OSM test values we accept) at the same instants — every
hour of weeks holding each French public holiday of 2026, the DST changes and the new year — through
`search.hours.hours_field` → hours.js `openAt`, and through `OpeningHours.is_open`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hours_reference import compare
from search_support import node_calls

from ccdir.content.hours import HoursError, interpret, parse
from ccdir.content.hours.holidays import holiday_dates
from ccdir.search.hours import hours_field

pytestmark = pytest.mark.slow  # about a minute: `make test-fast` leaves these out

PARIS = ZoneInfo("Europe/Paris")


def _values() -> list[str]:
    out = []
    for row in compare.load()["values"]:
        try:
            out.append(interpret(row["value"])[0])
        except HoursError:
            continue
    return sorted(set(out))


def _instants() -> list[datetime]:
    """Wall-clock Paris times, every 30 minutes of the reference windows, minus DST's missing/doubled hour."""
    out = []
    for first, last in compare.load()["windows"]:
        day = date.fromisoformat(first)
        while day < date.fromisoformat(last):
            for minute in range(0, 1440, 30):
                local = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
                aware = local.replace(tzinfo=PARIS)
                if aware.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != local or (
                    aware.utcoffset() != local.replace(tzinfo=PARIS, fold=1).utcoffset()
                ):
                    continue  # does not exist, or happens twice
                out.append(local)
            day += timedelta(days=1)
    return out


@pytest.fixture(scope="module")
def cases():
    return _values(), _instants()


def test_parisnow_reads_the_french_wall_clock(cases):
    _, instants = cases
    sample = instants[::97]
    got = node_calls([["parisNows", [t.replace(tzinfo=PARIS).astimezone(UTC).isoformat() for t in sample]]])[0]
    for local, now in zip(sample, got, strict=True):
        assert now == {
            "day": local.weekday(),
            "minute": local.hour * 60 + local.minute,
            "date": local.date().isoformat(),
            "prev": (local.date() - timedelta(days=1)).isoformat(),
        }


def test_browser_and_python_agree_on_every_value_and_instant(cases):
    values, instants = cases
    assert len(values) > 300 and len(instants) > 3000
    utc = [t.replace(tzinfo=PARIS).astimezone(UTC).isoformat() for t in instants]
    holidays = holiday_dates()
    # 527 values × about 3,000 instants: a few seconds alone, minutes on a loaded machine
    got = node_calls([["openAtMany", hours_field(v), utc, holidays] for v in values], timeout=600)
    wrong = []
    for value, answers in zip(values, got, strict=True):
        hours = parse(value)
        for local, js in zip(instants, answers, strict=True):
            if js != hours.is_open(local):
                wrong.append((value, local.isoformat(), js))
    assert not wrong, f"{len(wrong)} disagreements, first: {wrong[:5]}"


def test_public_holiday_rules_in_the_browser():
    """`PH off` and `PH 10:00-12:00` on 1 May 2026 (a Friday), and a day that is not a holiday."""

    def at(text, local):
        utc = datetime.fromisoformat(local).replace(tzinfo=PARIS).astimezone(UTC).isoformat()
        return node_calls([["openAtMany", hours_field(text), [utc], holiday_dates()]])[0][0]

    assert at("Mo-Sa 09:00-19:00; PH off", "2026-05-01T10:00") is False
    assert at("Mo-Sa 09:00-19:00; PH off", "2026-05-02T10:00") is True
    assert at("Mo-Sa 09:00-19:00; PH 10:00-12:00", "2026-05-01T11:00") is True
    assert at("Mo-Sa 09:00-19:00; PH 10:00-12:00", "2026-05-01T15:00") is False
    assert at("Mo-Sa 09:00-19:00; Aug off", "2026-08-12T10:00") is False
