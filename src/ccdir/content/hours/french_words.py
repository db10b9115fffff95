"""The words of French opening hours: day names, closing words, fillers, and the tokenizer that keeps
each word's column (used by `ccdir.content.hours.french`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ccdir.content.hours.french_dates import FR_MONTHS
from ccdir.content.hours.words import DAY_CODES

_DAYS = {
    **dict.fromkeys(("lundi", "lundis", "lun"), 0),
    **dict.fromkeys(("mardi", "mardis", "mar"), 1),
    **dict.fromkeys(("mercredi", "mercredis", "mer", "merc"), 2),
    **dict.fromkeys(("jeudi", "jeudis", "jeu"), 3),
    **dict.fromkeys(("vendredi", "vendredis", "ven", "vend"), 4),
    **dict.fromkeys(("samedi", "samedis", "sam"), 5),
    **dict.fromkeys(("dimanche", "dimanches", "dim"), 6),
}
_PH = 7
_CLOSED = frozenset("ferme fermee fermes fermees fermeture off closed".split())
_FILLERS = frozenset(
    "le les la l du de des d en ouvert ouverte ouverts ouvertes ouverture horaires horaire "
    "uniquement seulement aussi egalement nous sommes est sont on".split()
)
_RANGE = frozenset("au a jusqu jusqua".split())
_AND = frozenset("et puis".split())
_EXCEPT = frozenset("sauf excepte hors".split())
_TOKEN_RE = re.compile(
    r"(?P<allday>24\s*h?\s*(?:/|sur)\s*24(?:\s*h)?\b|\bh\s*24\b)"
    r"|(?P<alldays>7\s*j?(?:ours)?\s*(?:/|sur)\s*7(?:\s*j(?:ours)?)?\b|\btljs?\b)"
    r"|(?P<time>\d{1,2}\s*(?:h|:)\s*\d{2}(?!\d)|\d{1,2}\s*h(?![a-z])|\d{1,2}\.\d{2}(?!\d))"
    r"|(?P<num>\d+)"
    r"|(?P<word>[a-z]+)\.?"
    r"|(?P<dash>[-–—‐‑])"
    r"|(?P<sep>[;,/:&.\n])"
    r"|(?P<ws>[\s'’]+)"
    r"|(?P<other>.)"
)
_OSM_CODES = {code: i for i, code in enumerate(DAY_CODES)}


def _fold(text: str) -> str:
    """Lowercase without accents, one character for one (columns stay those of the original)."""
    return "".join(unicodedata.normalize("NFKD", c)[0].lower() if c.strip() else c for c in text)


@dataclass
class _Tok:
    kind: str
    text: str  # folded
    raw: str
    col: int


_FRENCH_WORDS = (
    frozenset(_DAYS)
    | (_CLOSED - {"off", "closed"})
    | (_FILLERS - {"d", "l"})
    | _EXCEPT
    | frozenset(
        "tous toute jours feries ferie midi minuit matin soir apres semaine week weekend sur rendez rdv et puis "
        "quand entre deux conges vacances mois".split()
    )
    | frozenset(FR_MONTHS)
)


def looks_french(text: str) -> bool:
    """Whether `text` reads as French hours rather than (mistaken) OSM syntax: a French word, or « 9h »."""
    return any(
        t.kind in ("time", "allday", "alldays")
        and not re.fullmatch(r"\d\d:\d\d", t.raw)
        or t.kind == "word"
        and t.text in _FRENCH_WORDS
        for t in _tokenize(text)
    )


def _tokenize(text: str) -> list[_Tok]:
    folded = _fold(text)
    out = []
    for m in _TOKEN_RE.finditer(folded):
        if m.lastgroup != "ws":
            out.append(_Tok(m.lastgroup or "other", m.group().rstrip("."), text[m.start() : m.end()], m.start() + 1))
    return out
