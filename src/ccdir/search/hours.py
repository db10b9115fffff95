"""Opening hours in the search index, for « ouvert maintenant » in the browser (templates/assets/search/hours.js).

A record's `hours` (`content.hours.browser`, shared with the basket of merchant pages) is one of:
- weekly masks `[[mask, start, end, start, end…]…]`: bit n of mask (n = weekday, 0 = Monday) says the
  spans apply that weekday; when the hours name public holidays (PH), bits 7–13, 14–20 and 21–27 give
  the same for a public holiday, the day after one, and a public holiday after one (`holidays.day_kind`);
- `{"r": rules}` when some rule applies on some dates only (months, weeks, n-th weekday): the browser
  evaluates the rules as `ccdir.content.hours` does (`OpeningHours.rules_json`).

`search/holidays.json` lists France's public holidays over `holidays.INDEX_YEARS`, a fixed span written
in the code (never the build date): two builds of the same content are identical, any day.
"""

from __future__ import annotations

from typing import Any

from ccdir.content.hours.browser import browser_hours
from ccdir.content.hours.holidays import INDEX_YEARS, holiday_dates

__all__ = ["hours_field", "holidays_data", "HOLIDAYS_FILE"]

HOLIDAYS_FILE = "holidays.json"


def hours_field(text: str | None) -> Any:
    """The `hours` of a search record (see the module docstring); [] when no hours are known."""
    return browser_hours(text)


def holidays_data() -> dict:
    """search/holidays.json: {"years": [first, last], "dates": ["YYYY-MM-DD"…]}."""
    return {"years": [INDEX_YEARS[0], INDEX_YEARS[-1]], "dates": holiday_dates()}
