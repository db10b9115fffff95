"""Periods of the year in French hours: « en août », « de juillet à septembre », « juillet et août »,
« du 1er au 15 août », « du 15 juillet au 15 août », « le 25 décembre », « les 24 et 31 décembre ».

Functions take the French reader (`french._French`) and give `dates.MonthDays`; `dates_osm` writes them
in OSM syntax (`Jul-Aug`, `Aug 01-Aug 15`, `Dec 24,Dec 31`).
"""

from __future__ import annotations

from calendar import monthrange

from ccdir.content.hours.dates import MONTHS, MonthDays
from ccdir.content.hours.words import HoursError

FR_MONTHS = {
    **dict.fromkeys(("janvier", "janv"), 1),
    **dict.fromkeys(("fevrier", "fev", "fevr"), 2),
    "mars": 3,
    **dict.fromkeys(("avril", "avr"), 4),
    "mai": 5,
    "juin": 6,
    **dict.fromkeys(("juillet", "juil"), 7),
    "aout": 8,
    **dict.fromkeys(("septembre", "sept"), 9),
    **dict.fromkeys(("octobre", "oct"), 10),
    **dict.fromkeys(("novembre", "nov"), 11),
    **dict.fromkeys(("decembre", "dec"), 12),
}
_RANGE = ("au", "a", "jusqu", "jusqua")
_PERIOD_WORDS = ("mois",)
_LEADING = ("au", "en", "le", "les", "du", "de", "d", "annuels", "annuelles", "ete", "hiver")


def starts_period(p) -> bool:
    """At a month, « mois d'août », or a day number followed by a month (« 1er … août »)."""
    j = p.i
    toks = p.toks
    while j < len(toks) and toks[j].kind == "word" and toks[j].text in _LEADING:
        j += 1
    if j < len(toks) and toks[j].kind == "word" and toks[j].text in _PERIOD_WORDS:
        j += 1
        while j < len(toks) and toks[j].kind == "word" and toks[j].text in ("d", "de"):
            j += 1
    if j < len(toks) and toks[j].kind == "word" and toks[j].text in FR_MONTHS:
        return True
    if j < len(toks) and toks[j].kind == "num":
        k = j + 1
        while k < len(toks) and k < j + 6:
            if toks[k].kind == "word" and toks[k].text in FR_MONTHS:
                return True
            if toks[k].kind in ("time", "allday") or (toks[k].kind == "word" and toks[k].text in ("h",)):
                return False
            k += 1
    return False


def period(p) -> tuple[MonthDays, ...]:
    """Dates as a tuple of MonthDays (OR)."""
    raw: list[list[tuple[int | None, int]]] = []
    while True:
        first = _point(p)
        last = first
        if p.at("word", _RANGE) or p.at("dash"):
            save = p.i
            p.i += 1
            p.skip_fillers()
            if p.tok is not None and (p.tok.kind == "num" or p.at("word", tuple(FR_MONTHS))):
                last = _point(p)
            else:
                p.i = save
        raw.append([first, last])
        save = p.i
        if p.at("sep", (",",)) or p.at("word", ("et",)):
            p.i += 1
            p.skip_fillers()
            if starts_period(p):
                continue
            p.i = save
        return _fill_months(raw, p)


def _point(p) -> tuple[int | None, int]:
    """« 15 août » → (8, 15); « août » → (8, 0); « 1er » alone → (None, 1)."""
    while p.at("word", _LEADING):
        p.i += 1
    if p.at("word", _PERIOD_WORDS):
        p.i += 1
        while p.at("word", _LEADING):
            p.i += 1
    day = 0
    if p.tok is not None and p.tok.kind == "num":
        tok = p.tok
        day = int(tok.text)
        p.i += 1
        if p.at("word", ("er", "eme")):
            p.i += 1
        if not 1 <= day <= 31:
            raise HoursError(f"jour « {tok.raw} » impossible : les jours du mois vont de 1 à 31", tok.col)
    if p.at("word", tuple(FR_MONTHS)):
        month = FR_MONTHS[p.tok.text]
        if day > monthrange(2024, month)[1]:
            raise HoursError(f"le {day} {p.tok.raw} n'existe pas", p.tok.col)
        p.i += 1
        return month, day
    return None, day


def _fill_months(raw, p) -> tuple[MonthDays, ...]:
    """« du 1er au 15 août », « les 24 et 31 décembre »: a day without a month takes the next month written."""
    following = None
    for item in reversed(raw):
        for k in (1, 0):
            month, day = item[k]
            if month is None:
                if following is None:
                    raise HoursError(
                        "date incomplète : écrivez le mois, par exemple « du 1er au 15 août »",
                        p.tok.col if p.tok else len(p.text.rstrip()) + 1,
                    )
                item[k] = (following, day)
            following = item[k][0]
    return tuple(MonthDays(first, last) for first, last in raw)


def dates_osm(conds) -> str:
    parts = []
    for cond in conds:
        (m1, d1), (m2, d2) = cond.first, cond.last
        if not d1 and not d2:
            parts.append(MONTHS[m1 - 1] if m1 == m2 else f"{MONTHS[m1 - 1]}-{MONTHS[m2 - 1]}")
        else:
            first = f"{MONTHS[m1 - 1]} {d1 or 1:02d}"
            last = f"{MONTHS[m2 - 1]} {d2 or monthrange(2024, m2)[1]:02d}"
            parts.append(first if first == last else f"{first}-{last}")
    return ",".join(parts)
