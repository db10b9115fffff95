"""Dates on public pages, in French (Babel's CLDR data): « 2 décembre 2026 », « décembre 2026 »; and in English
for the /en/ pages, with the hours' descriptions."""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel.dates import format_date

LOCALE = "fr_FR"


@functools.lru_cache(maxsize=4096)  # a few hundred distinct days across tens of thousands of pages
def long_date(value: dt.date | str) -> str:
    """« 2 décembre 2026 », « 1er mars 2027 »; `value` a date or « AAAA-MM-JJ ».

    CLDR writes « 1 mars 2027 »; French typography writes the first day as an ordinal.
    """
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    text = format_date(day, format="long", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 and text.startswith("1 ") else text


@functools.lru_cache(maxsize=1024)
def month(value: str) -> str:
    """« décembre 2026 » for « 2026-12 »."""
    return format_date(dt.date.fromisoformat(value + "-01"), format="MMMM y", locale=LOCALE)


# --- English pages (/en/): the same values in English ------------------------------------------------
ENGLISH = "en_GB"  # day before month, 24-hour times: closest to what French residents' visitors read


@functools.lru_cache(maxsize=4096)
def long_date_en(value: dt.date | str) -> str:
    """« 2 December 2026 »."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(day, format="long", locale=ENGLISH)


@functools.lru_cache(maxsize=8192)  # Babel takes ~0.1 ms a price; the same prices come back on many pages
def price_en(value: float) -> str:
    """« €4.50 », « €1,200 »."""
    from babel.numbers import format_currency

    return format_currency(value, "EUR", format="¤#,##0" if value == int(value) else "¤#,##0.00", locale=ENGLISH,
                           currency_digits=False)


def km_en(value: float) -> str:
    return f"{value:.1f}\u00a0km" if value < 10 else f"{value:.0f}\u00a0km"


# French words of the hours' descriptions (`content.hours`, `content.outlets`) → English; the times are
# written « 09:30 » or « 8 h 30 ». Longest first: « jours fériés » before « jours ».
_WORDS = {
    "tous les jours": "every day", "jours fériés": "public holidays", "fermé": "closed", "sinon": "otherwise",
    "horaires à confirmer": "hours to be confirmed", "à confirmer": "to be confirmed",
    "fermeture non fixée": "closing time not set", "à partir de": "from", "24 h/24": "24 hours",
    "du mois": "of the month", "dernier": "last", "avant-dernier": "second to last",
    "lundi": "Monday", "mardi": "Tuesday", "mercredi": "Wednesday", "jeudi": "Thursday", "vendredi": "Friday",
    "samedi": "Saturday", "dimanche": "Sunday", "janvier": "January", "février": "February", "mars": "March",
    "avril": "April", "mai": "May", "juin": "June", "juillet": "July", "août": "August",
    "septembre": "September", "octobre": "October", "novembre": "November", "décembre": "December",
    "semaines paires": "even weeks", "semaines impaires": "odd weeks", "et": "and", "au": "to", "à": "to",
    "du": "from", "de": "from", "le": "the", "1er": "1st",
}
WORD_ORDER = sorted(_WORDS, key=len, reverse=True)  # also the browser's order (site.i18n.hours_words)
_WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in WORD_ORDER) + r")(?![\w-])")
_TIME = re.compile(r"\b(\d{1,2}) h(?: (\d{2}))?\b")


@functools.lru_cache(maxsize=4096)
def when_en(text: str) -> str:
    """« mercredi 8 h – 12 h 30 ; du lundi au samedi » → « Wednesday 8:00 – 12:30 ; from Monday to Saturday ».
    Merchants' own comments stay as written."""
    text = _TIME.sub(lambda m: f"{m[1]}:{m[2] or '00'}", text)
    return _WORD.sub(lambda m: _WORDS[m[1]], text)
