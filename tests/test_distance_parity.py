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
