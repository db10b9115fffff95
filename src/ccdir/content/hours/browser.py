"""Hours as the browser evaluates them (`templates/assets/search/hours.js`): the search records' `hours`
(`search.hours`) and the basket's pickup moments (`site.basket`) share this form, so both agree with the
engine on public holidays and dated rules.

- weekly masks `[[mask, start, end, start, end…]…]`: bit n of mask (n = weekday, 0 = Monday) says the
  spans apply that weekday; when the hours name public holidays (PH), bits 7–13, 14–20 and 21–27 give
  the same for a public holiday, the day after one, and a public holiday after one (`holidays.day_kind`);
- `{"r": rules}` when some rule applies on some dates only (months, weeks, n-th weekday): the browser
  evaluates the rules as `ccdir.content.hours` does (`OpeningHours.rules_json`).
"""

from __future__ import annotations

from typing import Any

from ccdir.content.hours import parse

__all__ = ["browser_hours", "names_holidays"]


def browser_hours(text: str | None) -> Any:
    """The browser's form of `text` (see the module docstring); [] when no hours are known."""
    if not text:
        return []
    hours = parse(text)
    if hours.date_dependent:
        return {"r": hours.rules_json()}
    timelines = hours.timelines() if hours.holiday_dependent else hours.timelines()[:1]
    masks: dict[tuple[int, ...], int] = {}
    for kind, days in enumerate(timelines):
        for day, spans in enumerate(days):
            if spans:
                key = tuple(m for span in spans for m in span)
                masks[key] = masks.get(key, 0) | (1 << (day + 7 * kind))
    return sorted([mask, *spans] for spans, mask in masks.items())


def names_holidays(text: str | None) -> bool:
    """Whether public holidays change `text`'s hours (a `PH` rule): the browser then needs their dates.
    Without one, a public holiday keeps the weekday's hours (docs/horaires.md)."""
    return bool(text) and parse(text).holiday_dependent
