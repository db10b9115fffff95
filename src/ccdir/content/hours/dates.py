"""Date selectors in front of a rule: months and month days (`Jul-Aug`, `Dec 24-Jan 01`, `Dec 25`), ISO weeks
(`week 01-26`, `week 1-53/2`), and the n-th weekday of the month (`Sa[1,3]`, `Sa[-1]`).

Parsing functions take the rule parser (`syntax._Parser`) and raise its French errors; matching follows
opening_hours.js: a month-day range that ends before it starts runs over the new year; a week range
with `/2` takes every second week from its first.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import NamedTuple

from ccdir.content.hours.words import HoursError

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_INDEX = {m: i + 1 for i, m in enumerate(MONTHS)}
FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


class MonthDays(NamedTuple):
    """Inclusive range of (month, day); day 0 = whole month (first day / last day)."""

    first: tuple[int, int]
    last: tuple[int, int]


class Weeks(NamedTuple):
    first: int
    last: int
    step: int


def starts_date_selector(tok) -> bool:
    return tok.kind == "word" and (tok.text in MONTH_INDEX or tok.text == "week")


def parse_date_selector(p) -> tuple:
    """`Jan-Mar,Dec 24-26` or `week 01-26,30`: a tuple of MonthDays or Weeks."""
    out: list = []
    if p.tok.text == "week":
        p.advance()
        while True:
            first = _number(p, 1, 53, "un numéro de semaine de 01 à 53, par exemple week 01-26")
            last, step = first, 1
            if p.is_punct("-"):
                p.advance()
                last = _number(p, first, 53, "la dernière semaine, de 01 à 53, par exemple week 01-26")
                if p.tok.kind == "other" and p.tok.text == "/":
                    p.advance()
                    step = _number(p, 1, 52, "un pas, par exemple week 1-53/2 (une semaine sur deux)")
            out.append(Weeks(first, last, step))
            if not (p.is_punct(",") and p.peek().kind == "time"):
                return tuple(out)
            p.advance()
    while True:
        start = _month_day(p)
        end = start if start[1] else (start[0], 0)
        if p.is_punct("-"):
            p.advance()
            if p.tok.kind == "time" and start[1]:  # Dec 24-26
                end = (
                    start[0],
                    _number(p, 1, monthrange(2024, start[0])[1], "le dernier jour, par exemple Dec 24-26"),
                )
            else:
                end = _month_day(p)
        out.append(MonthDays(start, end))
        if not (p.is_punct(",") and p.peek().kind == "word" and p.peek().text in MONTH_INDEX):
            return tuple(out)
        p.advance()


def _month_day(p) -> tuple[int, int]:
    tok = p.tok
    if not (tok.kind == "word" and tok.text in MONTH_INDEX):
        raise p.unexpected(
            tok, "un mois en anglais sur trois lettres (Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)"
        )
    p.advance()
    month = MONTH_INDEX[tok.text]
    if p.tok.kind == "time" and p.tok.text.isdigit() and len(p.tok.text) <= 2 and not _next_is_time_range(p):
        return month, _number(p, 1, monthrange(2024, month)[1], f"un jour du mois, par exemple {tok.text} 15")
    return month, 0


def _next_is_time_range(p) -> bool:
    """`Dec 25 off` vs `Jul 09:00-12:00`: a bare number is a day; an HH:MM is a time."""
    return ":" in p.tok.text


def _number(p, low: int, high: int, expected: str) -> int:
    tok = p.tok
    if tok.kind != "time" or not tok.text.isdigit():
        raise p.unexpected(tok, expected)
    value = int(tok.text)
    if not low <= value <= high:
        raise HoursError(f"« {tok.text} » hors limites : attendu {expected}", tok.col)
    p.advance()
    return value


def parse_nth(p) -> frozenset[int]:
    """`[1]`, `[1,3]`, `[-1]`, `[4-5]` after a weekday: which of its occurrences in the month."""
    p.advance()  # "["
    found: set[int] = set()
    while True:
        sign = 1
        if p.is_punct("-"):
            p.advance()
            sign = -1
        first = sign * _number(p, 1, 5, "un rang de 1 à 5 ou -1, par exemple Sa[1] (premier samedi du mois)")
        last = first
        if p.is_punct("-") and sign > 0:
            p.advance()
            last = _number(p, first, 5, "un rang de 1 à 5, par exemple We[4-5]")
        found.update(range(first, last + 1))
        if p.is_punct(","):
            p.advance()
            continue
        if p.tok.kind == "other" and p.tok.text == "]":
            p.advance()
            return frozenset(found)
        raise p.unexpected(p.tok, "« ] » pour fermer, par exemple Sa[1]")


def nth_matches(ranks: frozenset[int], day: date) -> bool:
    forward = (day.day - 1) // 7 + 1
    backward = -((monthrange(day.year, day.month)[1] - day.day) // 7 + 1)
    return forward in ranks or backward in ranks


def _md_key(md: tuple[int, int], end: bool, year: int) -> tuple[int, int]:
    month, day = md
    if day == 0:
        day = monthrange(year, month)[1] if end else 1
    return month, day


def date_matches(selector: tuple, day: date) -> bool:
    for cond in selector:
        if isinstance(cond, Weeks):
            week = day.isocalendar()[1]
            if cond.first <= week <= cond.last and (week - cond.first) % cond.step == 0:
                return True
            continue
        first, last = _md_key(cond.first, False, day.year), _md_key(cond.last, True, day.year)
        here = (day.month, day.day)
        if (first <= here <= last) if first <= last else (here >= first or here <= last):
            return True
    return False


def describe_dates(selector: tuple) -> str:
    """French wording: « de juillet à août », « du 24 décembre au 1er janvier », « semaines 1 à 26 »."""
    parts = []
    for cond in selector:
        if isinstance(cond, Weeks):
            text = f"semaine {cond.first}" if cond.first == cond.last else f"semaines {cond.first} à {cond.last}"
            parts.append(text + (f", une sur {cond.step}" if cond.step > 1 else ""))
        elif cond.first[1] == 0 and cond.last[1] == 0:
            a, b = FR_MONTHS[cond.first[0] - 1], FR_MONTHS[cond.last[0] - 1]
            parts.append(f"en {a}" if a == b else f"de {a} à {b}")
        elif cond.first == cond.last:
            parts.append(f"le {_fr_day(cond.first)}")
        else:
            parts.append(f"du {_fr_day(cond.first)} au {_fr_day(cond.last, end=True)}")
    return ", ".join(parts)


def _fr_day(md: tuple[int, int], end: bool = False) -> str:
    month, day = md
    if day == 0:
        day = monthrange(2024, month)[1] if end else 1
    return f"{'1er' if day == 1 else day} {FR_MONTHS[month - 1]}"


def dates_json(selector: tuple) -> list:
    """Compact form for the browser: [[0, m1, d1, m2, d2] | [1, first week, last week, step]…]."""
    return [[1, *cond] if isinstance(cond, Weeks) else [0, *cond.first, *cond.last] for cond in selector]
