"""Distances and a grid index to find points near a place without comparing every pair."""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from itertools import islice
from typing import Any, Generic, TypeVar

T = TypeVar("T")
EARTH_KM = 6371.0088
KM_PER_DEGREE = EARTH_KM * math.pi / 180  # of latitude (and of longitude at the equator)
_SLACK_KM = 1e-6  # lower bounds are lowered by a millimetre, so that rounding never hides a point
_distance_then_rank = operator.itemgetter(0, 1)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class GridIndex(Generic[T]):
    """Points bucketed in cells of `cell_deg` degrees; `within` and `nearest` only look at nearby cells.

    Items at the same coordinates (merchants placed at their commune's centre) share one distance;
    `order` ranks them, and ranks equally distant items in `nearest` (default: the order given).
    With `group` (a merchant's commune), items at the same coordinates are kept apart by group, and
    `nearest` can pass over a whole group (`skip_group`) one spot, or one cell, at a time.
    """

    def __init__(
        self,
        points: Iterable[tuple[float, float, T]],
        cell_deg: float = 0.1,
        order: Callable[[T], Any] | None = None,
        group: Callable[[T], Hashable] | None = None,
    ):
        self.cell = cell_deg
        ranked = list(points)
        if order is not None:
            ranked.sort(key=lambda point: order(point[2]))
        spots: dict[tuple[float, float, Hashable], list[tuple[int, T]]] = defaultdict(list)
        for rank, (lat, lon, item) in enumerate(ranked):
            spots[lat, lon, group(item) if group is not None else None].append((rank, item))
        self.cells: dict[tuple[int, int], list[tuple[float, float, list[tuple[int, T]], Hashable]]] = defaultdict(list)
        groups: dict[tuple[int, int], set[Hashable]] = defaultdict(set)
        for (lat, lon, kind), items in spots.items():
            key = self._key(lat, lon)
            self.cells[key].append((lat, lon, items, kind))
            groups[key].add(kind)
        # The group of a cell whose spots all belong to one group (`nearest` passes over it in one test).
        self.cell_group: dict[tuple[int, int], Hashable] = {
            key: next(iter(kinds)) for key, kinds in groups.items() if len(kinds) == 1 and group is not None
        }

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell), math.floor(lon / self.cell)

    def _box(self, lat: float, lon: float, km: float) -> tuple[tuple[int, int], tuple[int, int]]:
        """The first and last cells of a box around the disc of `km` around (lat, lon)."""
        dlat = km / 111.0
        dlon = km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        return self._key(lat - dlat, lon - dlon), self._key(lat + dlat, lon + dlon)

    def within(self, lat: float, lon: float, km: float) -> Iterator[tuple[float, T]]:
        """(distance, item) for every point within `km` of (lat, lon), in no particular order."""
        (r0, c0), (r1, c1) = self._box(lat, lon, km)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                for plat, plon, items, _ in self.cells.get((r, c), ()):
                    d = distance_km(lat, lon, plat, plon)
                    if d <= km:
                        for _, item in items:
                            yield d, item

    def nearest(
        self,
        lat: float,
        lon: float,
        count: int,
        km: float,
        skip: Callable[[T], bool],
        skip_group: Hashable | None = None,
    ) -> list[tuple[float, T]]:
        """The `count` nearest items within `km` of (lat, lon) for which `skip` is false, as (distance, item),
        nearest first, equally distant items in their order. Items of `skip_group` (see `group`) are
        skipped too, without looking at them one by one: a dense town's own merchants cost one test a cell.

        Cells are visited ring by ring around the point's cell, and the search stops as soon as the next
        ring cannot hold anything nearer than the `count`-th item found: in a town, a few cells suffice.
        """
        row, col = self._key(lat, lon)
        box = (r0, c0), (r1, c1) = self._box(lat, lon, km)  # where `within` looks
        last_ring = max(row - r0, r1 - row, col - c0, c1 - col)
        found: list[tuple[float, int, T]] = []
        limit = km  # once `count` items are found, the distance of the farthest of them
        for ring in range(last_ring + 1):
            for key in self._ring(row, col, ring, box):
                if skip_group is not None and self.cell_group.get(key) == skip_group:
                    continue
                for plat, plon, items, kind in self.cells.get(key, ()):
                    if skip_group is not None and kind == skip_group:
                        continue
                    if abs(plat - lat) * KM_PER_DEGREE > limit + _SLACK_KM:
                        continue  # farther north or south than `limit` (a cheap test before the exact one)
                    d = distance_km(lat, lon, plat, plon)
                    if d <= limit:
                        found.extend(islice(((d, rank, item) for rank, item in items if not skip(item)), count))
            if len(found) >= count:
                found.sort(key=_distance_then_rank)
                del found[count:]
                limit = found[-1][0]
            if self._ring_bound(lat, lon, row, col, ring + 1, km) > limit:
                break
        found.sort(key=_distance_then_rank)
        return [(d, item) for d, _, item in found]

    @staticmethod
    def _ring(row: int, col: int, ring: int, box: tuple[tuple[int, int], tuple[int, int]]) -> Iterator[tuple[int, int]]:
        """The cells of `box` `ring` steps away from (row, col): a square's outline (the cell itself for 0)."""
        (r0, c0), (r1, c1) = box
        top, bottom, left, right = row - ring, row + ring, col - ring, col + ring
        for r in (top, bottom) if ring else (row,):
            if r0 <= r <= r1:
                for c in range(max(left, c0), min(right, c1) + 1):
                    yield r, c
        for c in (left, right) if ring else ():
            if c0 <= c <= c1:
                for r in range(max(top + 1, r0), min(bottom - 1, r1) + 1):
                    yield r, c

    def _ring_bound(self, lat: float, lon: float, row: int, col: int, ring: int, km: float) -> float:
        """A distance no point within `km` of (lat, lon) and `ring` or more cells away can be nearer than."""
        # Such a point is `ring` rows away (its latitude differs by at least `gap_lat` degrees: a meridian
        # is the shortest way between two parallels) or `ring` columns away (its longitude differs by at
        # least `gap_lon`; the haversine's a ≥ cos φ1 · cos φ2 · sin²(Δλ/2), with |φ2| ≤ |φ1| + km/R).
        cell = self.cell
        gap_lat = max(0.0, min((row + ring) * cell - lat, lat - (row - ring + 1) * cell))
        gap_lon = max(0.0, min((col + ring) * cell - lon, lon - (col - ring + 1) * cell))
        far_lat = min(math.pi / 2, math.radians(abs(lat)) + km / EARTH_KM)
        cos_product = max(0.0, math.cos(math.radians(lat)) * math.cos(far_lat))
        by_lon = 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(cos_product) * math.sin(math.radians(gap_lon) / 2)))
        return min(gap_lat * KM_PER_DEGREE, by_lon) - _SLACK_KM
