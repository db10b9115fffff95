"""French text analysis for the search index, identical to `templates/assets/search/frenchtext.js`.

The browser must turn a query into exactly the terms that lunr.py put in the index, so this module and
its JavaScript twin implement the same three steps, registered in both lunr.py and lunr.js under the
same pipeline labels (`PIPELINE`):

1. ``ccdir-fold-fr``: `ccdir.core.textnorm.fold` (lowercase, no accents, apostrophes and hyphens are spaces),
   which may split one lunr token into several (« l'épicerie » → ``l``, ``epicerie``);
2. ``ccdir-stopwords-fr``: drop French stop words and elided articles (`STOP_WORDS`, shipped: nothing is
   downloaded at run time), numbers and single characters;
3. ``ccdir-stemmer-fr``: a light stemmer (`stem`) that only joins plural and feminine forms
   (« fleuristes » → ``fleurist``, « boulangères » → ``boulanger``, « gâteaux » → ``gateau``).

Why not Snowball: the Snowball French stemmers available on each side are different generations of the
algorithm and disagree on hundreds of words (see docs/search-index.md); a query stemmed differently from
the index finds nothing. A light stemmer written twice from the same rule tables (`PLURAL_RULES`,
`GENDER_RULES`) is predictable, and tests/test_search_frenchtext.py runs both on tens of thousands of
words. Category synonyms (« baguette » → boulangerie) do what an aggressive stemmer would do badly.
"""

from __future__ import annotations

import functools
import re

from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.token import Token

from ccdir.core.textnorm import fold

__all__ = [
    "STOP_WORDS",
    "PLURAL_RULES",
    "GENDER_RULES",
    "PIPELINE",
    "stem",
    "is_stop",
    "words",
    "analyze",
    "make_builder",
    "register",
]

# Folded (no accents). Elided forms (l', d', qu'…) come out of `fold` as separate words. Words that can
# carry meaning in a shop search ("sans" gluten, "bio", "vin") are deliberately not here.
STOP_WORDS = frozenset(
    """
a ai au aux avec c ce ces cet cette chez comme d dans de des du elle elles en entre est et eux il ils j je
jusqu l la le les leur leurs lorsqu lui m ma mais me mes moi mon n ne nos notre nous on ont ou par pas plus
pour puisqu qu que quel quelle quelles quels qui s sa se ses son sont sur t ta te tes toi ton tous tout
toute toutes tres tu un une vos votre vous y
""".split()
)

# (suffix, replacement): the first rule that matches applies, if at least MIN_STEM letters remain.
PLURAL_RULES = (("eaux", "eau"), ("aux", "al"), ("x", ""), ("s", ""))
GENDER_RULES = (
    ("euse", "eur"),
    ("trice", "teur"),
    ("ive", "if"),
    ("enne", "en"),
    ("onne", "on"),
    ("elle", "el"),
    ("ette", "et"),
    ("ere", "er"),
    ("ee", "e"),
)
MIN_STEM = 3

PIPELINE = ("ccdir-fold-fr", "ccdir-stopwords-fr", "ccdir-stemmer-fr")
_LETTERS = re.compile(r"[a-z]+")
_DIGITS = re.compile(r"[0-9]+")


def _apply(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    for suffix, replacement in rules:
        if word.endswith(suffix):
            if suffix == "s" and word.endswith("ss"):
                return word
            stemmed = word[: len(word) - len(suffix)] + replacement
            return stemmed if len(stemmed) >= MIN_STEM else word
    return word


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Light French stem of a folded word: plural, then feminine, then a final « e » (words of 5+ letters).

    Words with digits or non-ASCII letters, and words of 3 letters or fewer, are left as they are.
    """
    if len(word) <= MIN_STEM or not _LETTERS.fullmatch(word):
        return word
    word = _apply(_apply(word, PLURAL_RULES), GENDER_RULES)
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def is_stop(word: str) -> bool:
    """Stop words, numbers and single characters (« 500 g », « 30 cm »: nobody searches a shop by them)."""
    return word in STOP_WORDS or len(word) == 1 or _DIGITS.fullmatch(word) is not None


def words(text: str) -> list[str]:
    """Folded words of `text` without stop words: « L'Épicerie du Marché » → ``["epicerie", "marche"]``."""
    return [w for w in fold(text or "").split() if not is_stop(w)]


def analyze(text: str) -> list[str]:
    """The index terms of `text`, in order (what lunr stores and what a query must look up)."""
    return [stem(w) for w in words(text)]


# --- lunr.py pipeline functions ----------------------------------------------------------------------


def _fold(token: Token, i: int = 0, tokens: list | None = None) -> list[Token]:
    return [Token(part, dict(token.metadata)) for part in fold(str(token)).split()]


def _stop(token: Token, i: int = 0, tokens: list | None = None) -> Token | None:
    return None if is_stop(str(token)) else token


def _stem(token: Token, i: int = 0, tokens: list | None = None) -> Token:
    return token.update(lambda s, metadata: stem(s))


_FUNCTIONS = dict(zip(PIPELINE, (_fold, _stop, _stem)))


def register() -> None:
    """Register the pipeline functions with lunr.py (needed to serialise or load an index)."""
    for label, fn in _FUNCTIONS.items():
        if Pipeline.registered_functions.get(label) is not fn:
            Pipeline.register_function(fn, label)


def make_builder() -> Builder:
    """A lunr.py Builder whose index and search pipelines are the French pipeline."""
    register()
    builder = Builder()
    builder.pipeline.add(*_FUNCTIONS.values())
    builder.search_pipeline.add(*_FUNCTIONS.values())
    return builder
