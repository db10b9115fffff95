"""Property test of the search index builder: any set of valid (nasty) merchants, anywhere on Earth, gives
an index whose every file is JSON and whose manifest counts them all; it never crashes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import BASE, CATALOG, PROPERTY, check, valid_nasty_text

from ccdir.content.validate import Entry
from ccdir.site.render import make_listings

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

search_index = pytest.importorskip("ccdir.search.index")

CATEGORY_IDS = [c.id for c in CATALOG]


@settings(PROPERTY, max_examples=60)
@given(
    st.lists(
        st.tuples(
            valid_nasty_text,
            st.floats(-89.9, 89.9),
            st.floats(-179.9, 179.9),
            st.lists(st.sampled_from(CATEGORY_IDS), min_size=1, max_size=3, unique=True),
        ),
        max_size=15,
    ),
    st.integers(150, 2000),
)
def test_index_builder_never_crashes(rows, budget):
    entries = []
    for i, (name, lat, lon, cats) in enumerate(rows):
        doc = json.loads(json.dumps(BASE, default=str))
        doc.update(name=name, categories=cats, description=name)
        doc["address"].update(lat=lat, lon=lon)
        doc["products"] = [{"name": name}]
        merchant, _ = check(doc)
        if merchant is not None:
            entries.append(Entry(f"m{i}", f"m{i}.yaml", merchant))
    listings = make_listings(entries, {}, CATALOG)
    index_entries = search_index.make_entries(listings, {c.id: k for k, c in enumerate(CATALOG)})
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp)
        written = search_index.write_index(
            target, index_entries, CATALOG, search_index.Limits(shard=budget, category=budget, terms=budget)
        )
        files = sorted(target.rglob("*.json"))
        assert written == len(files)
        for path in files:
            json.loads(path.read_text(encoding="utf-8"))
        assert json.loads((target / "manifest.json").read_text(encoding="utf-8"))["count"] == len(entries)
