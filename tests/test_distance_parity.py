"""One distance for the whole product: the browser's `distanceKm` (engine.js) agrees with Python's
`ccdir.geo.nearby.distance_km`, which the build uses for commune pages and the search index."""

from __future__ import annotations

import random

from search_support import node_calls

from ccdir.geo.nearby import distance_km


def test_browser_and_build_measure_the_same_distance():
    rng = random.Random(7)
    pairs = [
        (47.9029, 1.9093, 47.9029, 1.9093),
        (47.9029, 1.9093, 48.2, 3.28),
        (-21.1, 55.5, 16.2, -61.5),
        (0.0, 179.9, 0.0, -179.9),
        (89.9, 0.0, -89.9, 180.0),
    ]
    pairs += [(rng.uniform(41, 51), rng.uniform(-5, 9), rng.uniform(41, 51), rng.uniform(-5, 9)) for _ in range(200)]
    got = node_calls([["distanceKm", *pair] for pair in pairs])
    for pair, js in zip(pairs, got, strict=True):
        assert abs(js - distance_km(*pair)) < 1e-9, pair
    assert round(distance_km(47.9029, 1.9093, 48.2, 3.28)) == 107  # Orléans → Sens, as a map measures it


def test_nearest_passing_over_a_group_finds_what_filtering_one_by_one_finds():
    """Commune pages' « Aux alentours »: skipping the commune's own merchants by group (one test a cell or
    spot) gives the same merchants, distances and order as testing each merchant."""
    from ccdir.geo.nearby import GridIndex

    rng = random.Random(3)
    centres = [(47.9 + rng.uniform(-0.2, 0.2), 1.9 + rng.uniform(-0.2, 0.2)) for _ in range(12)]
    points = []
    for n in range(3000):
        town = rng.randrange(len(centres))
        lat, lon = centres[town]
        if rng.random() < 0.7:  # most have their own address, the others share their commune's centre
            lat, lon = lat + rng.gauss(0, 0.01), lon + rng.gauss(0, 0.01)
        points.append((lat, lon, (f"m{n:05d}", town)))
    grid = GridIndex(points, cell_deg=0.01, order=lambda item: item[0], group=lambda item: item[1])
    for town, (lat, lon) in enumerate(centres):
        for count in (1, 60, 400):
            filtered = grid.nearest(lat, lon, count, 10.0, lambda item: item[1] == town)
            assert grid.nearest(lat, lon, count, 10.0, lambda item: False, skip_group=town) == filtered
            assert all(item[1] != town for _, item in filtered)
