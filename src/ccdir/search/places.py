"""« Où ? » data for the browser: communes by name prefix and by postcode, in many small files.

Written by the search stage into `site/search/places/`:

- `index.json`: the département names and régions, the preferred région, the first key of each name
  chunk (`first`), the texts that have a list of best communes (`tops`);
- `n/<i>.json`: chunk `i`, entries `[key, name, dept, "postcode postcode…", lat, lon, population, how]`
  sorted by key, where `key` is `commune_key` of the name or of one of its word suffixes
  (« jean de braye ») or a postcode, and `how` is 1 for the whole name, 0 for a suffix, 2 for a former
  commune's name, 3 for a postcode (digits sort first: « 45200 » is found like a name);
- `top/<j>.json`: the best communes for the text `tops[j]`, whose names span more than `max` chunks
  (« sa », « saint »: too many to load);

Every commune of the gazetteer is listed, however far from the merchants: the search widens up to the
whole index (no border), so a resident of a place 150 km from any shop still learns where the nearest
one is. The files depend on the gazetteer and the preferred région only, so they are computed once per
process and reused by every later build (2.2 MB gzipped in all for France's 35,000 communes; a resident
loads `index.json` and one or two chunks of about 3 kB).
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ccdir.core.textnorm import commune_key
from ccdir.search.prefixfiles import TOP_KEY, JsonFiles, chunk, crowded_prefixes, dumps

CHUNK_BUDGET = 12_000  # bytes of JSON per name file (about 3 kB gzipped)
MAX_CHUNKS = 2  # a text whose names span more chunks than this uses its list of best communes instead
TOP = 10
# A commune is also found by the words of its name from the second on (« braye », « jean de braye »),
# but not from a linking word (« de braye », « sur loire »).
_LINKING = frozenset("de du des d la le les l sur sous en et aux au a".split())
WHOLE, SUFFIX, ALIAS, POSTCODE = 1, 0, 2, 3


def _entries(gazetteer: Any, communes: list[Any]) -> list[tuple[str, list[Any]]]:
    entries = []
    for c in communes:
        row = [c.name, c.dept, " ".join(c.postcodes), round(c.lat, 4), round(c.lon, 4), c.population]
        words = gazetteer.key_of(c).split()
        for i in range(len(words)):
            if i == 0 or words[i] not in _LINKING:
                key = " ".join(words[i:])
                entries.append((key, [key, *row, WHOLE if i == 0 else SUFFIX]))
        for alias in gazetteer.aliases(c):
            key = commune_key(alias)
            if key:
                entries.append((key, [key, *row, ALIAS]))
        for pc in c.postcodes:
            entries.append((pc, [pc, *row, POSTCODE]))
    entries.sort(key=lambda e: (e[0], -e[1][6], e[1][1], e[1][2], e[1][7]))
    return entries


def rank(
    entries: Iterable[list[Any]], text: str, region_of: dict[str, str], region: str, limit: int = TOP
) -> list[list[Any]]:
    """The `limit` best distinct communes for `text` (a commune key prefix), as Gazetteer.search ranks
    them: exact name first, then the preferred région, then names that start with the text, then
    population. The same order as `rankPlaces` in templates/assets/search/places.js."""
    ranked = sorted(
        entries, key=lambda e: (e[0] != text, region_of.get(e[2]) != region, e[7] != WHOLE, -e[6], e[1], e[2])
    )
    seen, best = set(), []
    for e in ranked:
        if (e[1], e[2]) not in seen:
            seen.add((e[1], e[2]))
            best.append(e)
            if len(best) == limit:
                break
    return best


_RECENT: dict[tuple[int, str], tuple[Any, dict[str, str]]] = {}  # (the gazetteer kept alive: its id is the key)


def write_places(gazetteer: Any, target: Path, region: str, memo: Any = None, empty: bool = False) -> int:
    """Write the « Où ? » files into `target` (a folder); returns the number of files written. `empty`: the
    directory has no merchant yet, so no place is listed.

    `memo` (`ccdir.content.stage.StageMemo`): the files of the last build are reused (they change only
    with the gazetteer and the région)."""
    inputs = hashlib.blake2b(repr((empty, region)).encode(), digest_size=16).hexdigest()

    def compute() -> dict[str, str]:
        key = (id(gazetteer), inputs)
        if key not in _RECENT:  # the last result, kept for the next build of this process (`ccdir serve`, tests)
            _RECENT.clear()
            _RECENT[key] = (gazetteer, place_files(gazetteer, [] if empty else list(gazetteer), region))
        return _RECENT[key][1]

    texts = compute() if memo is None else memo.shared("places", inputs, compute)
    files = JsonFiles(target, memo, "search/places/")
    for rel, text in texts.items():
        files.write_text(rel, text)
    return files.count


def place_files(gazetteer: Any, communes: list[Any], region: str) -> dict[str, str]:
    """{path: JSON text} of the « Où ? » files listing `communes`."""
    region_of = {code: reg for code, (_, reg) in gazetteer.departements.items()}
    entries = _entries(gazetteer, communes)
    chunks = chunk(entries, lambda e: len(dumps(e[1])) + 1, CHUNK_BUDGET)
    firsts = [c[0][0] for c in chunks]
    texts = {}
    for i, part in enumerate(chunks):
        texts[f"n/{i}.json"] = dumps([e for _, e in part])
    keys = [k for k, _ in entries]
    tops = crowded_prefixes(firsts, MAX_CHUNKS + 1)
    for j, prefix in enumerate(tops):
        lo, hi = bisect.bisect_left(keys, prefix), bisect.bisect_left(keys, prefix + TOP_KEY)
        texts[f"top/{j}.json"] = dumps(rank((e for _, e in entries[lo:hi]), prefix, region_of, region))

    depts = {code: [name, reg] for code, (name, reg) in sorted(gazetteer.departements.items())}
    texts["index.json"] = dumps(
        {"v": 1, "region": region, "depts": depts, "first": firsts, "tops": tops, "max": MAX_CHUNKS}
    )
    return texts
