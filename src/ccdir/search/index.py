"""Search stage: a geo-sharded index that the search page (`/recherche/`) loads piece by piece.

Everything lands in `site/search/` (format and algorithms: docs/search-index.md):

- `manifest.json`: record layout, kinds, categories and their synonyms (analysed like the index);
- `c/<k>.json` and `c/<k>/<j>.json`: category `k`'s adaptive geographic cells and their compact records:
  a category query (« fleuriste ») loads only these, never the full-text index nor other categories;
- `s/<i>.json`: general cell `i`: the compact records of every merchant of an adaptive geographic cell;
- `t/<j>.json`: the full-text index (lunr.py, French pipeline of `ccdir.search.frenchtext`) split by term:
  `[[term, first document, gap, gap…]…]` (`gaps`), documents numbered in geohash order (cell `i` holds
  `n[i]` documents, following those of cells 0 to i-1);
  ``@<category id>`` lists a category's documents. The browser turns a chunk back into a lunr.js index
  (`unpack_lunr`, `unpackLunr` in engine.js) and queries it (edit distance, wildcard);
- `text.json`: lunr header and first term of each chunk (`t`); `cells.json`: general cells (`s`) and their
  sizes (`n`);
- `places/`: the « Où ? » communes (`ccdir.search.places`).

A free-text query loads the chunks of its words, then the records of the nearest cells that hold
matching documents: bytes depend on the words and the density around the resident, not on the size of
the directory. A geographically sharded lunr index was measured 3–10× heavier per query (docs/search-index.md).

The stage also copies the browser libraries (lunr.js, Leaflet) from `node_modules/` into
`site/assets/vendor/`. Output is deterministic: two builds of the same content give the same bytes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pygeohash

from ccdir.content.categories import CategoryCatalog
from ccdir.content.labels import KIND_LABELS, ORDER_ACTIONS
from ccdir.content.listing import Listing
from ccdir.content.model import KINDS, ORDER_METHODS
from ccdir.content.phones import phone_e164
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.core.resources import copy_vendor_files
from ccdir.geo.gazetteer import load_gazetteer
from ccdir.search.cells import bit_cells, cell_bits
from ccdir.search.frenchtext import analyze
from ccdir.search.hours import HOLIDAYS_FILE, holidays_data
from ccdir.search.hours import hours_field as hours_masks
from ccdir.search.names import record_name_fields, write_names
from ccdir.search.outlets import POINT_FIELDS, entries_of, point_entries
from ccdir.search.places import write_places
from ccdir.search.postings import CATEGORY_TERM, gaps, terms, text_header
from ccdir.search.prefixfiles import JsonFiles, chunk, dumps
from ccdir.search.scoring import SCORING, encode_row

FORMAT = 1
RADII = (5, 10, 20, 50)  # km; the page widens the radius along this list until MIN_RESULTS are found
WIDEN = (100, 200, 400, 20_000)  # km; then along this one (the last: anywhere) until one result is found
MIN_RESULTS = 5
FIELDS = (
    "slug",
    "name",
    "kind",
    "cats",
    "commune",
    "dept",
    "lat",
    "lon",
    "order",
    "phone",
    "email",
    "url",
    "pickup",
    "delivery",
    "hours",
    "pickupHours",
    "approx",
)
PICKUP_CHARS = 160
GEOHASH_CHARS = 9


@dataclass(frozen=True)
class Limits:
    """Size budgets, in bytes of JSON (about 4× the gzipped size)."""

    shard: int = 16_000  # records of one general cell
    category: int = 16_000  # records of one category cell
    terms: int = 12_000  # one term directory chunk
    max_bits: int = 30  # smallest cell: 30 bits = 6 geohash characters, about 1.2 × 0.6 km


LIMITS = Limits()

# Files copied from node_modules/ into site/assets/vendor/ (source, destination).
VENDOR = (
    ("lunr/lunr.min.js", "lunr.min.js"),
    ("lunr/LICENSE", "lunr.LICENSE.txt"),
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("leaflet/dist/images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("leaflet/dist/images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("leaflet/LICENSE", "leaflet/LICENSE.txt"),
    ("uqr/dist/index.mjs", "uqr.js"),  # the shop-window poster's QR code (assets/extras/poster.js)
    ("uqr/LICENSE", "uqr.LICENSE.txt"),
)


# --- records ------------------------------------------------------------------------------------------


def hours_text(text: str | None) -> str:
    """French summary of weekly hours for a result: « du mardi au samedi 10:00 – 12:00 ; dimanche 09:30 – 12:30 »."""
    if not text:
        return ""
    from ccdir.content.hours import parse

    return " ; ".join(f"{days} {spans}" for days, spans in parse(text).describe_fr() if spans != "fermé")


def make_record(item: Listing, lat: float, lon: float, cat_index: dict[str, int], approx: bool = False) -> list[Any]:
    """The compact record of a merchant (`FIELDS`): exactly what a search result shows.

    `hours` (for « ouvert maintenant ») are the opening hours, or the pickup hours when only those are known.
    `approx`: the position is the commune's, not the shop's (the page shows « ≈ » before the distance).
    """
    m = item.merchant
    cc = m.click_and_collect
    pickup = cc.pickup or ""
    if len(pickup) > PICKUP_CHARS:
        pickup = pickup[: PICKUP_CHARS - 1].rstrip() + "…"
    flag = 1 if approx or item.precision == "commune" else 0
    return [
        item.slug,
        m.name,
        KINDS.index(m.kind),
        [cat_index[c.id] for c in item.categories],
        item.place.name,
        item.place.dept,
        round(lat, 5),
        round(lon, 5),
        [ORDER_METHODS.index(o) for o in cc.order],
        phone_e164(m.contact.phone) if m.contact.phone else "",
        m.contact.email or "",
        cc.order_url or "",
        pickup,
        1 if cc.delivery else 0,
        hours_masks(m.opening_hours or cc.pickup_hours),
        hours_text(cc.pickup_hours),
        flag,
    ]


def document(item: Listing) -> str:
    """What lunr indexes (one field): name, description, products, category labels and kind."""
    return " ".join(document_parts(item))


def document_parts(item: Any) -> tuple[str, str]:
    """(name, products and category labels; description and kind): the second part's words score less
    (`scoring.SCORING`: « text » rather than « product »)."""

    m = item.merchant
    strong = " ".join([m.name, *(p.name for p in m.products), *(c.label for c in item.categories)])
    return strong, " ".join([m.description or "", KIND_LABELS[m.kind]])


class Entry(NamedTuple):
    """A merchant in the index: what the files need of it, computed once (and kept by the build cache)."""

    bits: str  # `cell_bits` of its geohash (sorted like the geohash)
    slug: str
    cats: tuple[int, ...]  # category indices, as in the record
    lat: float  # as in the record (5 decimals)
    lon: float
    json: str  # the record (`make_record`) as compact JSON
    terms: str  # `terms()` of the name, products and category labels
    weak: str  # the other terms of `document(item)` (description, kind)


def _position(item: Listing) -> tuple[float, float] | None:
    """Its own position, else its commune's."""
    if item.lat is not None and item.lon is not None:
        return item.lat, item.lon
    if item.place.lat is not None and item.place.lon is not None:
        return item.place.lat, item.place.lon
    return None


def make_entry(item: Listing, cat_index: dict[str, int]) -> tuple | None:
    """The fields of `Entry` for one merchant, as a plain tuple (None without any position)."""
    pos = _position(item)
    if pos is None:
        return None
    lat, lon = pos
    geohash = item.geohash if item.lat is not None else None
    geohash = geohash or pygeohash.encode(lat, lon, GEOHASH_CHARS)
    record = make_record(item, lat, lon, cat_index, approx=item.lat is None)
    strong, weak = (terms(part) for part in document_parts(item))
    weak = " ".join(sorted(set(weak.split()) - set(strong.split())))
    main = (cell_bits(geohash), item.slug, tuple(record[3]), record[6], record[7], dumps(record), strong, weak)
    return point_entries(item, main, cell_bits, hours_masks, GEOHASH_CHARS, dumps)  # main, or one per point too


def make_entries(listings: Iterable[Listing], cat_index: dict[str, int], memo: StageMemo | None = None) -> list[Entry]:
    """One entry per merchant that has a position (and per point of sale), sorted by geohash then slug.

    `memo`: entries of unchanged merchants come from the last build.
    """
    entries: list[Entry] = []
    for item in listings:
        compute = functools.partial(make_entry, item, cat_index)
        fields = memo.get(item.slug, compute) if memo is not None else compute()
        entries.extend(Entry._make(f) for f in entries_of(fields))
    entries.sort(key=lambda e: (e.bits, e.slug, e.json))
    return entries


def synonyms(catalog: CategoryCatalog, cat_index: dict[str, int]) -> dict[str, list[int]]:
    """Analysed word or phrase (« pain au chocolat » → ``pain chocolat``) → category indices: ids, labels,
    synonyms and the words of the lexicon (`catalog.lexicon`); then the English labels and words
    (`catalog.lexicon_en`, for the /en/ pages: harmless on French ones, where they name the same shops)."""
    named: list[tuple[str, list[str]]] = []
    for cat in catalog:
        named.extend((word, [cat.id]) for word in (cat.id.replace("-", " "), cat.label, *cat.synonyms))
    named.extend((word, list(ids)) for word, ids in catalog.lexicon.items())
    named.extend((cat.label_en, [cat.id]) for cat in catalog)
    named.extend((word, list(ids)) for word, ids in catalog.lexicon_en.items())
    syn: dict[str, list[int]] = {}
    for word, ids in named:
        key = " ".join(analyze(word))
        for cid in ids:
            if key and cat_index[cid] not in syn.setdefault(key, []):
                syn[key].append(cat_index[cid])
    return dict(sorted(syn.items()))


def write_index(
    target: Path, entries: list[Entry], catalog: CategoryCatalog, limits: Limits = LIMITS, memo: StageMemo | None = None
) -> int:
    """Write the manifest, category cells, general cells and term directory into `target` (site/search/).

    `memo`: files identical to those of the last build are not written again."""

    files = JsonFiles(target, memo, "search/")
    write = files.write
    cats = list(catalog)
    keyed = [(e.bits, e) for e in entries]
    by_cat: list[list[tuple[str, Entry]]] = [[] for _ in cats]
    for bits, e in keyed:
        for k in e.cats:
            by_cat[k].append((bits, e))
    for k, members in enumerate(by_cat):
        if members:
            cells = bit_cells(members, _record_bytes, limits.category, limits.max_bits)
            write(f"c/{k}.json", [cell for cell, _ in cells])
            for j, (_, group) in enumerate(cells):
                files.write_text(f"c/{k}/{j}.json", _records(group))

    # General cells: every merchant once; a document's number (lunr ref) is its rank in geohash order,
    # so cell i holds the n[i] documents that follow those of the cells before it.
    shards = bit_cells(keyed, _record_bytes, limits.shard, limits.max_bits)
    for i, (_, group) in enumerate(shards):
        files.write_text(f"s/{i}.json", _records(group))

    cat_index = {c.id: k for k, c in enumerate(cats)}
    syn = synonyms(catalog, cat_index)
    rows = term_rows(entries, cats, syn)
    parts = chunk(rows, lambda row: len(row[1]) + 1, limits.terms)
    for j, part in enumerate(parts):
        files.write_text(f"t/{j}.json", "[" + ",".join(text for _, text in part) + "]")
    index = text_header()
    write(
        "text.json",
        {
            "version": index["version"],
            "fields": index["fields"],
            "pipeline": index["pipeline"],
            "t": [part[0][0] for part in parts],
        },
    )
    # Apart from text.json: a category query whose words no other shop mentions never needs it.
    write("cells.json", {"s": [cell for cell, _ in shards], "n": [len(group) for _, group in shards]})

    write_names(files, (record_name_fields(json.loads(e.json)) for e in entries))
    write(
        "manifest.json",
        {
            "v": FORMAT,
            "count": len(entries),
            "fields": [*FIELDS, *POINT_FIELDS],
            "radii": list(RADII),
            "min": MIN_RESULTS,
            "widen": list(WIDEN),
            "w": SCORING,
            "kinds": [[k, KIND_LABELS[k]] for k in KINDS],
            "orders": list(ORDER_METHODS),
            "orderActions": [ORDER_ACTIONS[o] for o in ORDER_METHODS],
            "cats": [[c.id, c.label, len(members), c.label_en] for c, members in zip(cats, by_cat)],
            "syn": syn,
        },
    )
    write(HOLIDAYS_FILE, holidays_data())  # « ouvert maintenant » and PH rules (search/hours.py)
    return files.count


def term_rows(entries: list[Entry], cats: list[Any], syn: dict[str, list[int]]) -> list[tuple[str, str]]:
    """`(term, row JSON)` of the term directory, in term order (`scoring.encode_row`).

    A term that names categories by itself (« fleuriste », « vélo », « tarte ») does not list the
    documents of those categories: the page always adds a group's categories (`c/` cells or `@` rows),
    so a category query loads only the other shops that mention the word. ``@<category id>`` rows list
    a category's documents."""
    strong: dict[str, list[int]] = {}
    weak: dict[str, list[int]] = {}
    for n, e in enumerate(entries):
        for bucket, words in ((strong, e.terms), (weak, e.weak)):
            for term in words.split():
                bucket.setdefault(term, []).append(n)
    rows = []
    for term in sorted(set(strong) | set(weak)):
        named = set(syn.get(term, ()))
        keep = (lambda refs: [d for d in refs if not named.intersection(entries[d].cats)]) if named else list
        rows.append((term, dumps(encode_row(term, keep(strong.get(term, [])), keep(weak.get(term, []))))))
    in_cat: dict[int, list[int]] = {}
    for n, e in enumerate(entries):
        for k in e.cats:
            in_cat.setdefault(k, []).append(n)
    rows.extend(
        (CATEGORY_TERM + cats[k].id, dumps([CATEGORY_TERM + cats[k].id, *gaps(refs)])) for k, refs in in_cat.items()
    )
    rows.sort()
    return rows


def _record_bytes(entry: Entry) -> int:
    return len(entry.json) + 1


def _records(group: list[Entry]) -> str:
    """The JSON list of the records of `group` (as `dumps` would write it)."""
    return "[" + ",".join(e.json for e in group) + "]"


# --- the build stage ----------------------------------------------------------------------------------


class SearchStage:
    """Build stage (`ccdir.build.stages.STAGES`): `site/search/` and the browser libraries it needs."""

    name = "search"
    pages: tuple[str, ...] = ()
    merchant_files: Mapping[str, MerchantFile] = {}
    memo = True

    def __init__(self, limits: Limits | None = None):
        self.limits = limits  # None: `LIMITS` as it is when the stage runs

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        """Write the index into `folder`; returns the number of files published. `memo`: the entries of
        unchanged merchants, from the last build."""
        project, catalog = context.project, context.catalog
        cat_index = {c.id: k for k, c in enumerate(catalog)}
        entries = make_entries(context.listings, cat_index, memo)
        files = copy_vendor_files(VENDOR, project.root, folder / "assets" / "vendor", "de la recherche")
        files += write_index(folder / "search", entries, catalog, self.limits or LIMITS, memo)
        gazetteer = load_gazetteer()  # every commune, for « Où ? »
        if gazetteer is not None:
            files += write_places(gazetteer, folder / "search" / "places", project.settings.region, memo, not entries)
        return files


__all__ = [
    "SearchStage",
    "write_index",
    "make_entries",
    "make_record",
    "hours_masks",
    "hours_text",
    "Limits",
    "LIMITS",
    "FIELDS",
    "RADII",
]
