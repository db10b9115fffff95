"""Name lookup files (`site/search/n/`): find a shop by its name with no place, or far from the place.

The geographic cells answer « what is near me »; a resident who types « Boulangerie Martin » with an
empty « Où ? », or a shop 200 km away, needs the name wherever it is, without loading records from all
over the country. Each analysed word of each name (French analysis, as the full-text index) gives one
row `[key, slug, name, commune, dept, lat, lon]` whose key is the name's analysed words from that one on
(« Boulangerie du Centre » → `boulangeri centr`, `centr`; position rounded to 0.01°, about 1 km: enough
to sort by distance). Rows are sorted by key then slug and cut into chunks of about 12 kB
(`n/<j>.json`); `names.json` lists the first key of each chunk. The page (`NameIndex` in names.js)
loads the chunks of the whole query as typed when they are few (a common first word followed by a rare
one), else those of the query's rarest word, and keeps the rows whose name holds every word.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ccdir.search.frenchtext import analyze
from ccdir.search.prefixfiles import JsonFiles, chunk, dumps

NAME_CHUNK = 12_000
DECIMALS = 2


def name_rows(entries: Iterable[tuple[str, str, str, str, float, float]]) -> list[tuple[str, str]]:
    """(key, row JSON) sorted, from `(slug, name, commune, dept, lat, lon)` of each merchant."""
    rows = []
    for slug, name, commune, dept, lat, lon in entries:
        terms = analyze(name)
        for key in sorted({" ".join(terms[i:]) for i in range(len(terms))}):
            rows.append(
                (key, slug, dumps([key, slug, name, commune, dept, round(lat, DECIMALS), round(lon, DECIMALS)]))
            )
    rows.sort()
    return [(word, text) for word, _, text in rows]


def write_names(
    files: JsonFiles, entries: Iterable[tuple[str, str, str, str, float, float]], budget: int = NAME_CHUNK
) -> None:
    """Write `n/<j>.json` and `names.json` with `files` (a `JsonFiles` of site/search/)."""
    parts = chunk(name_rows(entries), lambda row: len(row[1]) + 1, budget)
    for j, part in enumerate(parts):
        files.write_text(f"n/{j}.json", "[" + ",".join(text for _, text in part) + "]")
    files.write("names.json", {"t": [part[0][0] for part in parts]})


def record_name_fields(record: list[Any]) -> tuple[str, str, str, str, float, float]:
    """`(slug, name, commune, dept, lat, lon)` of a search record (`index.make_record`)."""
    return record[0], record[1], record[4], record[5], record[6], record[7]
