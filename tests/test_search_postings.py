"""The search index's term lists come from the French analysis directly: the same as lunr.py's index."""

from __future__ import annotations

import pytest
from conftest import REPO

from ccdir.content.categories import load_catalog
from ccdir.demodata import generate
from ccdir.geo.gazetteer import Gazetteer
from ccdir.search.postings import lunr_index, postings, term_postings, terms, text_header

TRICKY = [
    "L'Épicerie du Marché — « bio » & vrac",
    "BOULANGÈRE-PÂTISSIÈRE à Saint-Jean-de-Braye",
    "Œufs, bœuf, Ægir",
    "pain\tau levain\n100 % sarrasin",
    "Aux 3 Gâteaux",
    "",
    "   ",
    "s-s x",
    "İstanbul kebab",
    "fleuristes,fleurs",
]


@pytest.mark.slow
def test_postings_match_a_lunr_index_of_the_same_texts():
    catalog = load_catalog(REPO / "content/categories.yaml")
    texts = TRICKY + [text for _, text in generate(300, 5, Gazetteer.load(), catalog)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "content/merchants").rglob("*.yaml"))]
    index = lunr_index(texts)
    assert term_postings(terms(text).split() for text in texts) == postings(index)  # as the build makes them
    assert text_header() == {k: index[k] for k in ("version", "fields", "pipeline")}
