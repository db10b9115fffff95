"""How the search ranks what it found: one table, written into the manifest, applied by engine.js.

A query is cut into groups (a run of words naming a category, or one word: `parseQuery` in engine.js).
A merchant's score is the sum over the groups of the best way it matches that group:

    field weight (where the word was found) × quality (how it was found)

Fields: its name, its categories (the group names one of them through a category label, synonym or a
word of the lexicon), its products and category labels, its description and kind. Quality: the exact
word (after French analysis: accents, plural, feminine), a completion of what was typed (« boulang »),
or one typo (« fleuritse »). Results are ordered by score, then by distance, then by identifier: within
the radius the best match wins, and among equal matches the nearest. The build writes `SCORING` into
`manifest.json` (`w`) so that the page never has a second copy of these numbers.

The build decides the « products » / « description » split: a term row lists each document once, the
documents where the term is only in the description or kind being marked (`encode_row`).
"""

from __future__ import annotations

from collections.abc import Iterable

SCORING = {
    "name": 4,  # the word is in the merchant's name
    "category": 3,  # the merchant is in a category the group names (label, synonym, lexicon)
    "product": 2,  # in a product name or a category label of the merchant
    "text": 1,  # only in the description or the kind (« producteur »)
    "exact": 1.0,
    "prefix": 0.75,  # a completion of 3+ letters typed
    "typo": 0.5,  # one edit away, words of 5+ letters
}


def encode_row(term: str, strong: Iterable[int], weak: Iterable[int]) -> list:
    """`[term, gap, gap…]` over the sorted union of documents; a weak document's gap is written `~gap`
    (negative: -gap - 1), so the row costs no more than before and `decode_row` gets both sets back."""
    marked = sorted([(d, False) for d in strong] + [(d, True) for d in weak])
    row: list = [term]
    last = 0
    for d, is_weak in marked:
        row.append(~(d - last) if is_weak else d - last)
        last = d
    return row


def decode_row(row: list) -> tuple[list[int], list[int]]:
    """(strong documents, weak documents) of a row written by `encode_row` (= `rowDocs` in engine.js)."""
    strong, weak, total = [], [], 0
    for value in row[1:]:
        if value < 0:
            total += ~value
            weak.append(total)
        else:
            total += value
            strong.append(total)
    return strong, weak
