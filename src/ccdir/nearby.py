"""Distances and a grid index to find points near a place without comparing every pair."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")
EARTH_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class GridIndex(Generic[T]):
    """Points bucketed in cells of `cell_deg` degrees; `within` only looks at nearby cells."""

    def __init__(self, points: Iterable[tuple[float, float, T]], cell_deg: float = 0.1):
        self.cell = cell_deg
        self.cells: dict[tuple[int, int], list[tuple[float, float, T]]] = defaultdict(list)
        for lat, lon, item in points:
            self.cells[self._key(lat, lon)].append((lat, lon, item))

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell), math.floor(lon / self.cell)

    def within(self, lat: float, lon: float, km: float) -> Iterator[tuple[float, T]]:
        """(distance, item) for every point within `km` of (lat, lon), in no particular order."""
        dlat = km / 111.0
        dlon = km / max(1e-6, 111.0 * math.cos(math.radians(lat)))
        (r0, c0), (r1, c1) = self._key(lat - dlat, lon - dlon), self._key(lat + dlat, lon + dlon)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                for plat, plon, item in self.cells.get((r, c), ()):
                    d = distance_km(lat, lon, plat, plon)
                    if d <= km:
                        yield d, item
