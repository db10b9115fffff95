"""Points of sale in the search index: one more record per point, sharing its merchant's slug.

A producer at the farm on Saturday and at two markets in the week must be found from each place. Each
point gets the merchant's record (same slug, name, categories, order links, indexed words) with the
point's own position and hours, and three trailing fields (`POINT_FIELDS`): where (« au marché de
Romorantin-Lanthenay »), when (« mercredi 8 h – 12 h 30 ») and the kind of point (`pk`, for English pages,
which write where from it and the commune, and when with the hours' words of `site.dates`); its main record
gets them too (« à Selles-sur-Cher », its opening or pickup hours, `MAIN`). The page keeps, for each slug, the
nearest record that passes the filters (`engine.js`), so the nearest point gives the distance and
« ouvert maintenant » applies to each point's own hours. Merchants without points are unchanged.
"""

from __future__ import annotations

import json
from typing import Any

import pygeohash

from ccdir.content.markets import hours_phrase
from ccdir.content.model import POINT_KINDS
from ccdir.geo.gazetteer import with_a

POINT_FIELDS = ("at", "when", "pk")
MAIN = -1  # `pk` of the main address; else the index of the point's kind in `content.model.POINT_KINDS`


def point_entries(
    item: Any, main: tuple | None, cell_bits: Any, hours_masks: Any, geohash_chars: int, dumps: Any
) -> tuple | None:
    """The memo value of a merchant: `main` (its `Entry` fields) when it has no point of sale, else a
    tuple of entry-field tuples, the main one first (see `entries_of`)."""
    points = getattr(item, "points", None)
    if not points or main is None:
        return main
    bits, slug, cats, lat, lon, text, *words = main  # words: the entry's term fields (see search.index.Entry)
    base = json.loads(text)
    m = item.merchant  # the main address is a point too: where and when, like the others
    out = [
        (
            bits,
            slug,
            cats,
            lat,
            lon,
            dumps(
                [
                    *base,
                    with_a(item.place.name),
                    hours_phrase(m.opening_hours or m.click_and_collect.pickup_hours),
                    MAIN,
                ]
            ),
            *words,
        )
    ]
    for outlet in points:
        if outlet.lat is None:
            continue
        lat, lon = round(outlet.lat, 5), round(outlet.lon, 5)
        record = list(base)
        record[4:8] = [outlet.city, outlet.dept, lat, lon]
        record[14] = hours_masks(outlet.hours) if outlet.hours else record[14]
        record[15] = ""  # the merchant's pickup hours are not this place's: `when` says them
        record[16] = 1 if outlet.precision == "commune" else 0
        record += [outlet.where, outlet.when, POINT_KINDS.index(outlet.kind)]
        gh = pygeohash.encode(outlet.lat, outlet.lon, geohash_chars)
        out.append((cell_bits(gh), slug, cats, lat, lon, dumps(record), *words))
    return tuple(out)


def entries_of(value: tuple | None) -> list[tuple]:
    """The entry-field tuples in a memo value of `point_entries` (none, one, or one per point)."""
    if value is None:
        return []
    return list(value) if isinstance(value[0], tuple) else [value]
