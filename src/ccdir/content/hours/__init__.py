"""Opening hours: the subset of OpenStreetMap ``opening_hours`` that merchants write, with French errors.

Modules: `words` (day codes, French explanations of mistakes), `syntax` (parser, errors with a column),
`times` (time spans, extended and open ends), `modifiers` (« unknown », comments, open ends), `years`,
`dates` (months, dates, ISO weeks, n-th weekday and day offsets), `dead` (rules a later rule replaces),
`week` (evaluation as opening_hours.js does it: open, closed or unknown; French descriptions, normalised
text, schema.org), `holidays` (France's public holidays), `french` (French free
text → clauses), `french_dates` (« du 1er au 15 août »), `french_osm` (clauses → OSM rules).

Why our own engine rather than `opening-hours-py` (Rust-backed, maintained): both were held against
the answers of opening_hours.js, the OSM community's library (tests/hours_reference/: 1,049 values,
765 from its own test suite and 284 as French shops write them; about 2 million instants over 70 days
of 2026 chosen for DST changes and every French public holiday). opening-hours-py 2.1.4 accepts
656 values (62.5 %) but answers wrongly on 117 of them (108,765 wrong instants): open ends, comments,
school holidays, and nights past midnight followed by a rule for the next day (`Fr 22:00-04:00;
Sa 21:00-04:00`, where the reference closes Saturday's early hours) among them. Filtering those out
would leave a narrower subset than ours, and its errors are English grammar errors without a column.
Ours accepts 527 values (50.2 %: 277 of the 284 French ones, 250 of the 765 test-suite ones; left out:
mostly school holidays, sun times, Easter, tolerated misspellings and other languages) and answers exactly
like the reference on every one (1.7 million instants, 0 wrong answers, « unknown » included: comments
without `open`, `unknown`, open ends `+`, fallbacks `||`; the test checks it), explains refusals in
French with the column, and its model is what the search index and the browser evaluate (« unknown » is
not « ouvert maintenant »).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ccdir.content.hours.french import from_french, looks_french
from ccdir.content.hours.syntax import parse_rules
from ccdir.content.hours.week import OpeningHours
from ccdir.content.hours.words import HoursError

_OSM_LIKE = re.compile(r"\b(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b|\b\d\d:\d\d\b")

__all__ = ["HoursError", "OpeningHours", "interpret", "parse", "rewritten_notes", "validate_hours"]


@lru_cache(maxsize=4096)
def parse(text: str) -> OpeningHours:
    """Parse an opening_hours string; raises HoursError (French message, 1-based column).

    Results are cached: many merchants share the same hours, and OpeningHours is immutable.
    """
    return OpeningHours(parse_rules(text))


def validate_hours(text: str) -> str:
    """Pydantic AfterValidator: the OSM value (French rewritten, see `interpret`), or HoursError (a ValueError)
    ending with « (colonne N) ». What forms, the bot and imports store is therefore always OSM syntax."""
    return interpret(text)[0]


HOURS_FIELDS: tuple[tuple[str, ...], ...] = (("opening_hours",), ("click_and_collect", "pickup_hours"))


def rewritten_notes(data: object) -> list[tuple[tuple[str, ...], str]]:
    """(location, French warning) for each hours field of a merchant document written in French.

    The value is understood and used, but the file should say it in OSM syntax: the warning shows it."""
    notes: list[tuple[tuple[str, ...], str]] = []
    for loc in HOURS_FIELDS:
        value = data
        for key in loc:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, str):
            continue
        try:
            osm, rewritten = interpret(value)
        except HoursError:
            continue
        if rewritten:
            notes.append(
                (
                    loc,
                    f"horaires « {value.strip()} » compris comme « {osm} » : écrivez « {osm} » dans la "
                    "fiche (syntaxe OpenStreetMap, voir docs/horaires.md)",
                )
            )
    return notes


@lru_cache(maxsize=4096)
def interpret(text: str) -> tuple[str, bool]:
    """(OSM value, whether it was rewritten from French or loose writing) for hours as people type them.

    OSM syntax is kept as written (stripped). Anything else goes through the French reader
    (`french.from_french`); when that fails too, the error is the French reader's if the text reads
    as French (« lundi », « 9h »…), else the OSM parser's. Raises HoursError.
    """
    try:
        parse(text)
        return text.strip(), False
    except HoursError as exc:
        osm_error = exc
    french = looks_french(text)
    if not french and _OSM_LIKE.search(text):
        raise osm_error  # OSM written with a mistake: its own message says what to fix
    try:
        return from_french(text), True
    except HoursError as exc:
        raise exc if french else osm_error from None
