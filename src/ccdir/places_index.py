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

Only communes within `reach_km` of some merchant are listed: any other place has no result at the
largest search radius, so it would only make the files bigger.
"""

from __future__ import annotations

import bisect
import math
from pathlib import Path
from typing import Any, Iterable

from ccdir.nearby import GridIndex
from ccdir.prefixfiles import TOP_KEY, JsonFiles, chunk, crowded_prefixes, dumps
from ccdir.textnorm import commune_key

CHUNK_BUDGET = 12_000  # bytes of JSON per name file (about 3 kB gzipped)
MAX_CHUNKS = 2  # a text whose names span more chunks than this uses its list of best communes instead
TOP = 10
# A commune is also found by the words of its name from the second on (« braye », « jean de braye »),
# but not from a linking word (« de braye », « sur loire »).
_LINKING = frozenset("de du des d la le les l sur sous en et aux au a".split())
WHOLE, SUFFIX, ALIAS, POSTCODE = 1, 0, 2, 3


def communes_within(gazetteer: Any, points: Iterable[tuple[float, float]], reach_km: float) -> list[Any]:
    """Communes of `gazetteer` within `reach_km` of at least one of `points`, in gazetteer order."""
    distinct = {(round(lat, 2), round(lon, 2)) for lat, lon in points}
    cell = 0.25
    grid = GridIndex(((lat, lon, None) for lat, lon in distinct), cell_deg=cell)
    margin = reach_km + 1.0  # the points were rounded to 0.01° (≤ 1 km)
    near: set[tuple[int, int]] = set()  # grid cells that may hold a commune within reach of a point
    dlat = math.ceil(margin / 111.0 / cell)
    for lat, lon in distinct:
        dlon = math.ceil(margin / (111.0 * max(0.1, math.cos(math.radians(abs(lat) + dlat * cell)))) / cell)
        r, c = math.floor(lat / cell), math.floor(lon / cell)
        near.update((r + i, c + j) for i in range(-dlat, dlat + 1) for j in range(-dlon, dlon + 1))
    return [c for c in gazetteer if (math.floor(c.lat / cell), math.floor(c.lon / cell)) in near
            and next(grid.within(c.lat, c.lon, margin), None) is not None]


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


def rank(entries: Iterable[list[Any]], text: str, region_of: dict[str, str], region: str,
         limit: int = TOP) -> list[list[Any]]:
    """The `limit` best distinct communes for `text` (a commune key prefix), as Gazetteer.search ranks
    them: exact name first, then the preferred région, then names that start with the text, then
    population. The same order as `rankPlaces` in templates/assets/search/places.js."""
    ranked = sorted(entries, key=lambda e: (e[0] != text, region_of.get(e[2]) != region, e[7] != WHOLE, -e[6],
                                            e[1], e[2]))
    seen, best = set(), []
    for e in ranked:
        if (e[1], e[2]) not in seen:
            seen.add((e[1], e[2]))
            best.append(e)
            if len(best) == limit:
                break
    return best


def write_places(gazetteer: Any, target: Path, points: Iterable[tuple[float, float]], reach_km: float,
                 region: str) -> int:
    """Write the « Où ? » files into `target` (a folder); returns the number of files written."""
    communes = communes_within(gazetteer, points, reach_km)
    region_of = {code: reg for code, (_, reg) in gazetteer.departements.items()}
    entries = _entries(gazetteer, communes)
    chunks = chunk(entries, lambda e: len(dumps(e[1])) + 1, CHUNK_BUDGET)
    firsts = [c[0][0] for c in chunks]
    files = JsonFiles(target)
    write = files.write
    for i, part in enumerate(chunks):
        write(f"n/{i}.json", [e for _, e in part])
    keys = [k for k, _ in entries]
    tops = crowded_prefixes(firsts, MAX_CHUNKS + 1)
    for j, prefix in enumerate(tops):
        lo, hi = bisect.bisect_left(keys, prefix), bisect.bisect_left(keys, prefix + TOP_KEY)
        write(f"top/{j}.json", rank((e for _, e in entries[lo:hi]), prefix, region_of, region))

    depts = {code: [name, reg] for code, (name, reg) in sorted(gazetteer.departements.items())}
    write("index.json", {"v": 1, "region": region, "reach": reach_km, "depts": depts, "first": firsts,
                         "tops": tops, "max": MAX_CHUNKS})
    return files.count
