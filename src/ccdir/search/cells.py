"""Adaptive geographic cells of the search index: geohash prefixes halved one bit at a time while a cell
holds too much (`geo_cells`), written as geohash characters then the remaining bits (`cell_id`: ``u0b.01``).
`cell_bbox` decodes an id, as `cellBox` in engine.js does (docs/search-index.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ccdir.search.prefixfiles import split_by_prefix

BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"  # the geohash alphabet
T = TypeVar("T")


def cell_bits(geohash: str) -> str:
    """The 5 bits of each geohash character, as a string of 0 and 1 (longitude bit first)."""
    return "".join(format(BASE32.index(ch), "05b") for ch in geohash)


def cell_id(bits: str) -> str:
    """A cell written as geohash characters, then ``.`` and the remaining bits: ``u0b.01``."""
    whole = len(bits) - len(bits) % 5
    chars = "".join(BASE32[int(bits[i : i + 5], 2)] for i in range(0, whole, 5))
    return chars + ("." + bits[whole:] if whole < len(bits) else "")


def cell_bbox(cell: str) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a cell id (`cellBox` in engine.js does the same)."""
    chars, _, rest = cell.partition(".")
    s, w, n, e = -90.0, -180.0, 90.0, 180.0
    for i, bit in enumerate(cell_bits(chars) + rest):
        if i % 2 == 0:  # longitude
            mid = (w + e) / 2
            w, e = (mid, e) if bit == "1" else (w, mid)
        else:
            mid = (s + n) / 2
            s, n = (mid, n) if bit == "1" else (s, mid)
    return s, w, n, e


def geo_cells(
    items: list[tuple[str, T]], cost: Callable[[T], int], budget: int, max_bits: int
) -> list[tuple[str, list[T]]]:
    """Adaptive cells: `(cell id, items)`, a cell being halved while its items cost more than `budget`.

    `items` are `(geohash, value)` sorted by geohash. Halving (one geohash bit at a time, rather than a
    32-way split by character) keeps cells between half and all of the budget where the data is dense.
    """
    return bit_cells([(cell_bits(gh), value) for gh, value in items], cost, budget, max_bits)


def bit_cells(
    keyed: list[tuple[str, T]], cost: Callable[[T], int], budget: int, max_bits: int
) -> list[tuple[str, list[T]]]:
    """`geo_cells` of items keyed by `cell_bits` of their geohash."""
    leaves = split_by_prefix(keyed, lambda it: cost(it[1]), budget, max_depth=max_bits)
    return [(cell_id(bits), [v for _, v in members]) for bits, members in leaves]
