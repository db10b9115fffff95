"""Name lookup files (`site/search/n/`): find a shop by its name with no place, or far from the place.

The geographic cells answer « what is near me »; a resident who types « Boulangerie Martin » with an
empty « Où ? », or a shop 200 km away, needs the name wherever it is, without loading records from all
over the country. Each analysed word of each name (French analysis, as the full-text index) gives one
row `[word, slug, name, commune, dept, lat, lon]` (position rounded to 0.01°, about 1 km: enough to sort
by distance). Rows are sorted by word then slug and cut into chunks of about 12 kB (`n/<j>.json`);
`names.json` lists the first word of each chunk. The page loads the chunks of the query's rarest name
word only (`NameIndex` in engine.js) and keeps the rows whose name holds every word of the query.
"""

from __future__ import annotations

from typing import Any, Iterable

from ccdir.search.frenchtext import analyze
from ccdir.search.prefixfiles import JsonFiles, chunk, dumps

NAME_CHUNK = 12_000
DECIMALS = 2


def name_rows(entries: Iterable[tuple[str, str, str, str, float, float]]) -> list[tuple[str, str]]:
    """(word, row JSON) sorted, from `(slug, name, commune, dept, lat, lon)` of each merchant."""
    rows = []
    for slug, name, commune, dept, lat, lon in entries:
        for word in sorted(set(analyze(name))):
            rows.append((word, slug, dumps([word, slug, name, commune, dept, round(lat, DECIMALS),
                                            round(lon, DECIMALS)])))
    rows.sort()
    return [(word, text) for word, _, text in rows]


def write_names(files: JsonFiles, entries: Iterable[tuple[str, str, str, str, float, float]],
                budget: int = NAME_CHUNK) -> None:
    """Write `n/<j>.json` and `names.json` with `files` (a `JsonFiles` of site/search/)."""
    parts = chunk(name_rows(entries), lambda row: len(row[1]) + 1, budget)
    for j, part in enumerate(parts):
        files.write_text(f"n/{j}.json", "[" + ",".join(text for _, text in part) + "]")
    files.write("names.json", {"t": [part[0][0] for part in parts]})


def record_name_fields(record: list[Any]) -> tuple[str, str, str, str, float, float]:
    """`(slug, name, commune, dept, lat, lon)` of a search record (`index.make_record`)."""
    return record[0], record[1], record[4], record[5], record[6], record[7]
