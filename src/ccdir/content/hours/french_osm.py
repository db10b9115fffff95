"""French clauses (what `french._French` reads) → OSM rules.

French clauses add up (« lundi au vendredi 9h-12h, lundi 14h-18h »); « fermé » wins; a night carries into
the next morning even when that day has its own hours (written out, since an OSM rule for that day would
drop it); periods of the year (« fermé en août ») come after the weekly hours they change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ccdir.content.hours.french_dates import dates_osm
from ccdir.content.hours.syntax import parse_rules
from ccdir.content.hours.week import OpeningHours, _selector_osm
from ccdir.content.hours.words import DAY_MINUTES, _fmt

__all__ = ["Clause", "to_osm"]

PH = 7


@dataclass
class Clause:
    days: set[int] | None  # None: every day; 7 = PH
    spans: list[tuple[int, int]] = field(default_factory=list)
    off: bool = False
    dates: tuple = ()  # dates.MonthDays: only in these periods of the year


def to_osm(clauses: list[Clause], ph_off: bool, lunch: list[tuple[int, int]]) -> str:
    """French clauses add up (« lundi au vendredi 9h-12h, lundi 14h-18h »); « fermé » wins; a night
    carries into the next morning even when that day has its own hours (written out: OSM would drop it)."""
    dated = [clause for clause in clauses if clause.dates]
    clauses = [clause for clause in clauses if not clause.dates]
    own: dict[int, list[tuple[int, int]]] = {}
    for clause in clauses:
        days = set(range(7)) if clause.days is None else clause.days
        if clause.off:
            for day in days:
                own.pop(day, None)
            continue
        spans: list[tuple[int, int]] = clause.spans
        for cut_start, cut_end in lunch:
            spans = [
                piece
                for s, e in spans
                for piece in ((s, min(e, cut_start)), (max(s, cut_end), e))
                if piece[0] < piece[1]
            ]
        for day in days:
            own.setdefault(day, []).extend(spans)
    for clause in clauses:  # « fermé » wins over hours written before or after it
        if clause.off:
            for day in set(range(7)) if clause.days is None else clause.days:
                own.pop(day, None)
    if ph_off:
        own.pop(PH, None)
    intended = _intended(own)
    for _ in range(7):  # a night that the next day's own rule would wipe is written out in that day's morning
        rules = _rules(own)
        got = OpeningHours(parse_rules("; ".join(rules))).timelines()[0] if rules else ((),) * 7
        lost = [day for day in range(7) if got[day] != intended[day]]
        if not lost:
            break
        for day in lost:
            night = max((e - DAY_MINUTES for s, e in own.get((day - 1) % 7, ()) if e > DAY_MINUTES), default=0)
            own[day] = list(_merge(own.get(day, []) + [(0, night)])) if night else own.get(day, [])
    closed = {
        day for clause in clauses if clause.off for day in (set(range(7)) if clause.days is None else clause.days)
    }
    if not rules and closed:  # « fermé le lundi » alone
        rules.append(f"{_selector_osm(closed)} off")
    for clause in dated:  # periods of the year come after the weekly hours they change
        selector = dates_osm(clause.dates)
        if clause.days is not None:
            selector += " " + _selector_osm(clause.days - {PH})
        if clause.off:
            rules.append(f"{selector} off")
        else:
            rules.append(f"{selector} " + ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in _merge(clause.spans)))
    if ph_off:
        rules.append("PH off")
    return "; ".join(rules)


def _rules(own: dict[int, list[tuple[int, int]]]) -> list[str]:
    groups: dict[tuple[tuple[int, int], ...], set[int]] = {}
    for day, day_spans in own.items():
        groups.setdefault(_merge(day_spans), set()).add(day)
    rules = []
    for merged, days in sorted(groups.items(), key=lambda g: min(g[1])):
        selector = ",".join(filter(None, (_selector_osm(days - {PH}), "PH" if PH in days else "")))
        rules.append(f"{selector} " + ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in merged))
    return rules


def _intended(own: dict[int, list[tuple[int, int]]]) -> list[tuple[tuple[int, int], ...]]:
    """What the French says for each weekday: its own hours up to midnight, plus the previous day's night."""
    out = []
    for day in range(7):
        pieces = [(s, min(e, DAY_MINUTES)) for s, e in own.get(day, ())]
        pieces += [(0, e - DAY_MINUTES) for s, e in own.get((day - 1) % 7, ()) if e > DAY_MINUTES]
        out.append(_merge(pieces))
    return out


def _merge(spans) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)
