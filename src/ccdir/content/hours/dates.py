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

from ccdir.content.hours.words import DAY_INDEX, HoursError
from ccdir.content.hours.years import is_year

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
    year: int = 0  # « 2026 Dec 24 »: that year only (0: every year)
    year_last: int = 0  # « 2026 Dec 31-2027 Jan 05 »: the year of the last day, when written


class Weeks(NamedTuple):
    first: int
    last: int
    step: int


class Both(NamedTuple):
    """« Jan week 02 »: one of `months` (MonthDays) and one of `weeks` (Weeks) at once."""

    months: tuple
    weeks: tuple


def date_word(tok) -> bool:
    return tok.kind == "word" and (tok.text in MONTH_INDEX or tok.text == "week")


def starts_date_selector(p) -> bool:
    """Months, « week », or a year then a month (« 2026 Dec 24 ») at the parser's token."""
    return date_word(p.tok) or _year_then_month(p)


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
                    step_tok = p.tok
                    step = _number(p, 1, 52, "un pas, par exemple week 1-53/2 (une semaine sur deux)")
                    if not 2 <= step <= last - first:
                        raise HoursError(
                            f"pas « /{step} » impossible pour les semaines {first} à {last} : il va de 2 à "
                            f"{last - first}, par exemple week {first}-{last}/2 (une semaine sur deux)"
                            if last - first >= 2
                            else f"pas « /{step} » inutile : retirez-le, par exemple week {first}-{last}",
                            step_tok.col,
                        )
            out.append(Weeks(first, last, step))
            if not (p.is_punct(",") and p.peek().kind == "time"):
                return tuple(out)
            p.advance()
    while True:
        year = _year_before_month(p)
        start = _month_day(p)
        end = start if start[1] else (start[0], 0)
        year_last = 0
        end_tok = p.tok
        if p.is_punct("-"):
            p.advance()
            end_tok = p.tok
            year_last = _year_before_month(p)
            if year_last and not year:
                raise HoursError(
                    f"année « {year_last} » seulement à la fin de la période : écrivez-la aussi au début, "
                    f"par exemple {year_last} Dec 24-{year_last} Dec 31",
                    p.tokens[p.i - 1].col,
                )
            if p.tok.kind == "time" and start[1] and not year_last:  # Dec 24-26
                end = (
                    start[0],
                    _number(p, 1, monthrange(2024, start[0])[1], "le dernier jour, par exemple Dec 24-26"),
                )
            else:
                end = _month_day(p)
                if not end[1] and p.tok.text in DAY_INDEX and p.peek().text == "[":
                    raise HoursError(
                        f"date mobile « {p.tokens[p.i - 1].text} {p.tok.text}[…] » non prise en charge en fin de "
                        "période : écrivez la date, par exemple Dec 20-Dec 28",
                        p.tokens[p.i - 1].col,
                    )
        if year and (year_last or year + (end[0] < start[0]), end[0], end[1] or 31) < (year, start[0], start[1] or 1):
            raise HoursError(
                f"la période finit avant de commencer : vérifiez les années, par exemple {year} Dec 24-{year + 1} Jan 05",
                end_tok.col,
            )
        out.append(MonthDays(start, end, year, year_last))
        nxt = p.peek()
        if not (p.is_punct(",") and ((nxt.kind == "word" and nxt.text in MONTH_INDEX) or _year_then_month(p, 1))):
            if p.tok.kind == "word" and p.tok.text == "week":  # « Jan week 02 »: both at once
                return (Both(tuple(out), parse_date_selector(p)),)
            return tuple(out)
        p.advance()


def _year_then_month(p, ahead: int = 0) -> bool:
    """A year (2000–2099) then a month, `ahead` tokens on: « 2026 Dec 24 »."""
    tok = p.tokens[min(p.i + ahead, len(p.tokens) - 1)]
    nxt = p.tokens[min(p.i + ahead + 1, len(p.tokens) - 1)]
    return is_year(tok) and nxt.kind == "word" and nxt.text in MONTH_INDEX


def _year_before_month(p) -> int:
    if not _year_then_month(p):
        return 0
    year = int(p.tok.text)
    p.advance()
    return year


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


def parse_day_offset(p) -> int:
    """« +3 days », « -1 day » after `Sa[-1]`: that many days after (before) it; 0 when absent."""
    sign = p.tok
    if not ((sign.kind == "other" and sign.text == "+") or p.is_punct("-")):
        return 0
    number, unit = p.peek(), p.tokens[min(p.i + 2, len(p.tokens) - 1)]
    if not (number.kind == "time" and number.text.isdigit() and unit.kind == "word" and unit.text in ("day", "days")):
        return 0
    p.advance()
    value = _number(p, 0, 30, "un nombre de jours de 0 à 30, par exemple Sa[-1] +3 days")
    p.advance()
    return value if sign.text == "+" else -value


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
        if isinstance(cond, Both):
            if date_matches(cond.months, day) and date_matches(cond.weeks, day):
                return True
            continue
        if isinstance(cond, Weeks):
            week = day.isocalendar()[1]
            if cond.first <= week <= cond.last and (week - cond.first) % cond.step == 0:
                return True
            continue
        if cond.year:
            last_year = cond.year_last or (cond.year + (cond.last[0] < cond.first[0]))
            span = (
                (cond.year, *_md_key(cond.first, False, cond.year)),
                (last_year, *_md_key(cond.last, True, last_year)),
            )
            if span[0] <= (day.year, day.month, day.day) <= span[1]:
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
        if isinstance(cond, Both):
            parts.append(f"{describe_dates(cond.months)}, {describe_dates(cond.weeks)}")
        elif isinstance(cond, Weeks):
            text = f"semaine {cond.first}" if cond.first == cond.last else f"semaines {cond.first} à {cond.last}"
            parts.append(text + (f", une sur {cond.step}" if cond.step > 1 else ""))
        elif cond.first[1] == 0 and cond.last[1] == 0:
            a, b = FR_MONTHS[cond.first[0] - 1], FR_MONTHS[cond.last[0] - 1]
            parts.append(f"en {a}" if a == b else f"de {a} à {b}")
        elif cond.first == cond.last and cond.year_last in (0, cond.year):
            parts.append(f"le {_fr_day(cond.first)}{_fr_year(cond.year)}")
        else:
            last_year = cond.year_last or (cond.year and cond.year + (cond.last[0] < cond.first[0]))
            parts.append(
                f"du {_fr_day(cond.first)}{_fr_year(cond.year)} au {_fr_day(cond.last, end=True)}{_fr_year(last_year)}"
            )
    return ", ".join(parts)


def _fr_year(year: int) -> str:
    return f" {year}" if year else ""


def _fr_day(md: tuple[int, int], end: bool = False) -> str:
    month, day = md
    if day == 0:
        day = monthrange(2024, month)[1] if end else 1
    return f"{'1er' if day == 1 else day} {FR_MONTHS[month - 1]}"


def dates_json(selector: tuple) -> list:
    """Compact form for the browser: [[0, m1, d1, m2, d2 (, year, year of the last day or 0)] | [1, first week,
    last week, step] | [2, months, weeks] (both at once)…]."""
    return [
        [2, dates_json(cond.months), dates_json(cond.weeks)]
        if isinstance(cond, Both)
        else [1, *cond]
        if isinstance(cond, Weeks)
        else [0, *cond.first, *cond.last] + ([cond.year, cond.year_last] if cond.year else [])
        for cond in selector
    ]
