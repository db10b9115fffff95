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
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ccdir.core.textnorm import commune_key
from ccdir.geo.nearby import KM_PER_DEGREE, distance_km
from ccdir.search.prefixfiles import TOP_KEY, JsonFiles, chunk, crowded_prefixes, dumps

CHUNK_BUDGET = 12_000  # bytes of JSON per name file (about 3 kB gzipped)
MAX_CHUNKS = 2  # a text whose names span more chunks than this uses its list of best communes instead
TOP = 10
# A commune is also found by the words of its name from the second on (« braye », « jean de braye »),
# but not from a linking word (« de braye », « sur loire »).
_LINKING = frozenset("de du des d la le les l sur sous en et aux au a".split())
WHOLE, SUFFIX, ALIAS, POSTCODE = 1, 0, 2, 3


def communes_within(gazetteer: Any, points: Iterable[tuple[float, float]], reach_km: float) -> list[Any]:
    """Communes of `gazetteer` within `reach_km` of at least one of `points`, in gazetteer order.

    Points and communes are put in cells of 0.1°. A commune cell entirely within reach of a cell that
    holds a point is taken whole; the distance of each commune to each point is computed only in
    cells at the edge of the reach.
    """
    cell = 0.1
    margin = reach_km + 1.0  # the points are rounded to 0.01° (≤ 1 km)
    occupied: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon in {(round(lat, 2), round(lon, 2)) for lat, lon in points}:
        occupied[math.floor(lat / cell), math.floor(lon / cell)].append((lat, lon))
    towns: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for commune in gazetteer:
        towns[math.floor(commune.lat / cell), math.floor(commune.lon / cell)].append(commune)
    covered: set[tuple[int, int]] = set()  # commune cells wholly within reach
    edges: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # commune cell → point cells to check
    rows = math.ceil(margin / KM_PER_DEGREE / cell) + 1
    for r, k in occupied:
        # km per degree of longitude at the cell's latitude farthest from the equator (lower bound) and
        # nearest to it (upper bound), over the rows that may be reached
        far = max(abs((r - rows) * cell), abs((r + rows + 1) * cell))
        near = 0.0 if (r - rows) * (r + rows + 1) <= 0 else min(abs((r - rows) * cell), abs((r + rows + 1) * cell))
        low, high = KM_PER_DEGREE * math.cos(math.radians(min(far, 89.9))), KM_PER_DEGREE * math.cos(math.radians(near))
        cols = math.ceil(margin / max(low, 1e-6) / cell) + 1
        for i in range(-rows, rows + 1):
            for j in range(-cols, cols + 1):
                key = (r + i, k + j)
                if key not in towns or key in covered:
                    continue
                dy_min, dy_max = max(0, abs(i) - 1) * cell * KM_PER_DEGREE, (abs(i) + 1) * cell * KM_PER_DEGREE
                dx_min, dx_max = max(0, abs(j) - 1) * cell * low, (abs(j) + 1) * cell * high
                if math.hypot(dy_max, dx_max) * 1.01 <= margin:
                    covered.add(key)
                elif math.hypot(dy_min, dx_min) * 0.99 <= margin:
                    edges[key].append((r, k))
    found = set()
    for key, sources in edges.items():
        if key in covered:
            continue
        for commune in towns[key]:
            if any(
                distance_km(commune.lat, commune.lon, lat, lon) <= margin
                for source in sources
                for lat, lon in occupied[source]
            ):
                found.add(id(commune))
    return [c for c in gazetteer if id(c) in found or (math.floor(c.lat / cell), math.floor(c.lon / cell)) in covered]


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


def write_places(
    gazetteer: Any, target: Path, points: Iterable[tuple[float, float]], reach_km: float, region: str, memo: Any = None
) -> int:
    """Write the « Où ? » files into `target` (a folder); returns the number of files written.

    `memo` (`ccdir.content.stage.StageMemo`): the files of the last build are reused while the places of the
    merchants (to 0.01°) are the same."""
    distinct = sorted({(round(lat, 2), round(lon, 2)) for lat, lon in points})
    inputs = hashlib.blake2b(repr((distinct, reach_km, region)).encode(), digest_size=16).hexdigest()

    def compute() -> dict[str, str]:
        key = (id(gazetteer), inputs)
        if key not in _RECENT:  # the last result, kept for the next build of this process (`ccdir serve`)
            _RECENT.clear()
            _RECENT[key] = (gazetteer, place_files(gazetteer, distinct, reach_km, region))
        return _RECENT[key][1]

    texts = compute() if memo is None else memo.shared("places", inputs, compute)
    files = JsonFiles(target, memo, "search/places/")
    for rel, text in texts.items():
        files.write_text(rel, text)
    return files.count


def place_files(gazetteer: Any, points: list[tuple[float, float]], reach_km: float, region: str) -> dict[str, str]:
    """{path: JSON text} of the « Où ? » files."""
    communes = communes_within(gazetteer, points, reach_km)
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
        {"v": 1, "region": region, "reach": reach_km, "depts": depts, "first": firsts, "tops": tops, "max": MAX_CHUNKS}
    )
    return texts
