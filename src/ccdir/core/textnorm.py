"""Text folding shared by the gazetteer, the geocoder and the search index.

`fold` is what two spellings of the same thing have in common: « Saint-Jean-de-Braye »,
« SAINT JEAN DE BRAYE » and « saint-jean-de-braye » all fold to ``saint jean de braye``.
`commune_key` adds what only makes sense for commune names (« St » → « saint », « Mans (Le) » → « le mans »).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "slugify", "commune_key", "ARTICLES"]

# Letters that NFKD does not decompose into an ASCII base letter.
_SPECIAL = {
    "œ": "oe",
    "Œ": "oe",
    "æ": "ae",
    "Æ": "ae",
    "ß": "ss",
    "ø": "o",
    "Ø": "o",
    "đ": "d",
    "Đ": "d",
    "ł": "l",
    "Ł": "l",
    "ı": "i",
    "þ": "th",
    "Þ": "th",
    "ð": "d",
    "Ð": "d",
}


def _build_table() -> dict[int, str]:
    """Latin-1 and Latin Extended-A/B folded to ASCII once, so that `fold` is a `str.translate` call."""
    table: dict[int, str] = {}
    for cp in range(0x80, 0x250):
        ch = chr(cp)
        if ch in _SPECIAL:
            table[cp] = _SPECIAL[ch]
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        table[cp] = base if base.isascii() and base.isalnum() else " "
    for ch in "\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u2009":
        table[ord(ch)] = " "  # typographic apostrophes, dashes and spaces
    return table


_TABLE = _build_table()
_NON_ALNUM_ASCII = re.compile(r"[^0-9a-z]+")
_NON_ALNUM = re.compile(r"[\W_]+")


def fold(s: str) -> str:
    """Lowercase, strip accents, turn apostrophes, hyphens and punctuation into spaces, collapse spaces."""
    s = s.translate(_TABLE).lower()
    if s.isascii():
        return _NON_ALNUM_ASCII.sub(" ", s).strip()
    # Rare: letters outside Latin (Greek, Cyrillic…) or combining marks typed separately.
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", s.translate(_TABLE).lower()).strip()


def slugify(s: str) -> str:
    """`fold` with hyphens: « L'Île-Bouchard » → ``l-ile-bouchard``."""
    return fold(s).replace(" ", "-")


ARTICLES = frozenset({"le", "la", "les", "l"})
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_TRAILING_ARTICLE = re.compile(r"^(.*?)\s*\(\s*(le|la|les|l['’]?)\s*\)\s*$", re.I)
_SUR = re.compile(r"(?<![^\s\-'’])s/\s*", re.I)


def commune_key(s: str) -> str:
    """`fold` for commune names, tolerant of common ways to write them.

    « St-Jean-de-Braye » → ``saint jean de braye``; « Ste Maure » → ``sainte maure``;
    « Mans (Le) » → ``le mans``; « Châteauneuf s/ Loire » → ``chateauneuf sur loire``.
    """
    if "(" in s:
        m = _TRAILING_ARTICLE.match(s)
        if m:
            s = f"{m.group(2)} {m.group(1)}"
    if "/" in s:
        s = _SUR.sub("sur ", s)
    words = fold(s).split()
    return " ".join(_SAINTS.get(w, w) for w in words)
