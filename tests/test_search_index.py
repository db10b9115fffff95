"""The search index as files: cells, term chunks, category cells, « Où ? » data, and the JavaScript that
reads them (run under Node) agreeing with the Python that wrote them."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pygeohash
import pytest
from conftest import make_project
from hypothesis import given, settings
from hypothesis import strategies as st
from search_support import node_calls

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.hours import parse
from ccdir.core.problems import UserError
from ccdir.search import index as search_index
from ccdir.search.cells import cell_bbox, geo_cells
from ccdir.search.index import hours_masks
from ccdir.search.postings import gaps, ungaps, unpack_lunr
from ccdir.search.prefixfiles import chunk, covering, crowded_prefixes
from ccdir.search.scoring import decode_row, encode_row


@pytest.fixture(scope="module")
def index_site(tmp_path_factory) -> Path:
    """The demo content with small budgets: several cells, category cells and term chunks."""
    from conftest import REPO

    out = tmp_path_factory.mktemp("index") / "site"
    saved = search_index.LIMITS
    search_index.LIMITS = search_index.Limits(shard=2000, category=500, terms=2000)
    try:
        from ccdir.content.config import Project

        build(Project.load(REPO, output=out), BuildOptions(offline=True))
    finally:
        search_index.LIMITS = saved
    return out / "search"


def load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


# --- cells ---------------------------------------------------------------------------------------------


def random_points(n: int, seed: int) -> list[tuple[str, tuple[float, float]]]:
    rnd = random.Random(seed)
    pts = []
    for _ in range(n):  # a dense town and a sparse countryside
        lat, lon = (
            (47.9 + rnd.gauss(0, 0.01), 1.9 + rnd.gauss(0, 0.01))
            if rnd.random() < 0.6
            else (rnd.uniform(46.5, 48.8), rnd.uniform(0.0, 3.0))
        )
        pts.append((pygeohash.encode(lat, lon, 9), (lat, lon)))
    return sorted(pts)


def test_cells_partition_the_points_and_respect_the_budget():
    pts = random_points(2000, 1)
    cells = geo_cells(pts, lambda value: 10, budget=500, max_bits=30)
    assert sum(len(members) for _, members in cells) == len(pts)
    for cell, members in cells:
        s, w, n, e = cell_bbox(cell)
        assert all(s <= lat <= n and w <= lon <= e for lat, lon in members)
        assert len(members) * 10 <= 500 or len(cell.replace(".", "")) == 6  # smallest cell: cannot split
    sizes = sorted(len(m) for _, m in cells)
    assert sizes[len(sizes) // 2] >= 15  # halving keeps dense cells reasonably full (a 32-way split would not)


def test_points_at_one_place_stop_at_the_smallest_cell():
    gh = pygeohash.encode(47.9, 1.9, 9)
    cells = geo_cells([(gh, i) for i in range(100)], lambda value: 10, budget=50, max_bits=30)
    assert len(cells) == 1 and len(cells[0][1]) == 100
    assert len(cells[0][0].replace(".", "")) >= 6


def test_javascript_reads_cells_like_python():
    cells = ["", "u", "u0b", "u0b.1", "gbz.0110", "ezs42"]
    got = node_calls([["cellBox", c] for c in cells])
    for cell, box in zip(cells, got):
        assert box == pytest.approx(list(cell_bbox(cell)))
    assert cell_bbox("u0b") == pytest.approx(tuple(pygeohash.get_bounding_box("u0b")[i] for i in (0, 1, 2, 3)))


# --- chunks --------------------------------------------------------------------------------------------

words = st.text(alphabet="abe@ 1", min_size=0, max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=60), words, st.integers(1, 5))
def test_covering_finds_every_chunk_holding_a_prefix(keys, prefix, budget):
    keys.sort()
    parts = chunk([(k, None) for k in keys], lambda e: 1, budget)
    firsts = [p[0][0] for p in parts]
    lo, hi = covering(firsts, prefix).start, covering(firsts, prefix).stop
    holding = {i for i, p in enumerate(parts) for k, _ in p if k.startswith(prefix)}
    assert holding <= set(range(lo, hi))


def test_javascript_covering_and_fuzzy_match_like_python():
    firsts = ["", "ab", "ab", "b", "ba", "c"]
    prefixes = ["", "a", "ab", "abc", "b", "bz", "d", "@"]
    got = node_calls([["covering", firsts, p] for p in prefixes])
    assert got == [[covering(firsts, p).start, covering(firsts, p).stop] for p in prefixes]
    pairs = [
        ["fleurist", "fleuritse"],
        ["fleurist", "fleurist"],
        ["fleurist", "flerist"],
        ["fleurist", "fleuristes"],
        ["fleurist", "flauriste"],
        ["pain", "bain"],
        ["pain", "pian"],
        ["pain", "paint"],
        ["pain", "pa"],
    ]
    assert node_calls([["withinOneEdit", a, b] for a, b in pairs]) == [
        False,
        True,
        True,
        False,
        False,
        True,
        True,
        True,
        False,
    ]


def test_crowded_prefixes_get_a_best_list():
    firsts = ["a", "sa", "saint a", "saint m", "saint p", "t"]
    assert "saint" in crowded_prefixes(firsts, 3) and "t" not in crowded_prefixes(firsts, 3)


# --- full text -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_term_chunks_cover_every_document_and_load_in_lunr_js(index_site):
    text = load(index_site / "text.json")
    assert text["pipeline"] == ["ccdir-fold-fr", "ccdir-stopwords-fr", "ccdir-stemmer-fr"]
    cells = load(index_site / "cells.json")
    assert len(text["t"]) > 1 and len(cells["s"]) > 1
    records = [r for i in range(len(cells["s"])) for r in load(index_site / "s" / f"{i}.json")]
    assert [len(load(index_site / "s" / f"{i}.json")) for i in range(len(cells["s"]))] == cells["n"]
    slugs = [r[0] for r in records]
    rows = [row for j in range(len(text["t"])) for row in load(index_site / "t" / f"{j}.json")]
    terms = {row[0]: decode_row(row) for row in rows}
    assert [slugs[d] for d in terms["tessel"][0]] == ["atelier-emaux-et-tesselles"]  # in its name
    assert [slugs[d] for d in terms["cabernet"][1]] == ["domaine-de-la-vienne-douce"]  # only in its description
    # A word naming a category (« pivoines », lexicon → fleuriste) leaves out that category's shops:
    # the page always adds them through the category.
    assert terms["pivoin"] == ([], [])
    assert "fournil-d-amilly" in [slugs[d] for d in ungaps(next(r for r in rows if r[0] == "@boulangerie")[1:])]
    # lunr.js loads a chunk as the page does and finds a word with one typo (edit distance 1).
    j = covering(text["t"], "tessel").start
    chunk_rows = load(index_site / "t" / f"{j}.json")
    (fuzzy, exact) = node_calls(
        [["lunrChunk", text, chunk_rows, "tesel", {"editDistance": 1}], ["lunrChunk", text, chunk_rows, "tessel", {}]]
    )
    assert [slugs[d] for d in fuzzy] == [slugs[d] for d in exact] == ["atelier-emaux-et-tesselles"]
    packed = [(r[0], sorted(sum(decode_row(r), []))) if r[0][0] != "@" else (r[0], ungaps(r[1:])) for r in chunk_rows]
    assert node_calls([["unpackLunr", text, chunk_rows]]) == [unpack_lunr(text, packed)]


def test_term_rows_mark_description_only_documents_the_same_in_python_and_javascript():
    row = encode_row("vel", strong=[0, 7, 8], weak=[3, 20])
    assert row == ["vel", 0, ~3, 4, 1, ~12]
    assert decode_row(row) == ([0, 7, 8], [3, 20])
    assert node_calls([["rowDocs", row]]) == [[[0, False], [3, True], [7, False], [8, False], [20, True]]]


def test_gaps_round_trip():
    assert gaps([3, 7, 8]) == [3, 4, 1] and ungaps([3, 4, 1]) == [3, 7, 8]
    assert node_calls([["ungaps", ["t", 3, 4, 1], 1]]) == [[3, 7, 8]]


def test_category_cells_and_synonyms(index_site):
    man = load(index_site / "manifest.json")
    cats = [c[0] for c in man["cats"]]
    k = cats.index("boulangerie")
    assert k in man["syn"]["baguet"] and k in man["syn"]["boulanger"] and k in man["syn"]["pain chocolat"]
    records = [
        r
        for j in range(len(load(index_site / "c" / f"{k}.json")))
        for r in load(index_site / "c" / str(k) / f"{j}.json")
    ]
    assert len(records) == man["cats"][k][2] and all(k in r[3] for r in records)
    assert len(load(index_site / "c" / f"{k}.json")) > 1  # small budget: several cells


# --- records -------------------------------------------------------------------------------------------


def test_record_has_what_a_result_shows(index_site):
    man = load(index_site / "manifest.json")
    cells = load(index_site / "cells.json")
    rows = [r for i in range(len(cells["s"])) for r in load(index_site / "s" / f"{i}.json")]
    rec = dict(zip(man["fields"], next(r for r in rows if r[0] == "atelier-des-pivoines")))
    assert rec["name"] == "L'Atelier des Pivoines" and rec["commune"] == "Montargis" and rec["dept"] == "45"
    assert [man["orders"][o] for o in rec["order"]] == ["phone", "email"]
    assert rec["phone"] == "+33261912237" and rec["delivery"] == 1
    assert rec["pickup"] == "Retrait en boutique, entrée rue Dorée."
    assert rec["pickupHours"] == "du mardi au samedi 10:00 – 12:00, 14:00 – 18:00"
    assert rec["lat"] == 48.0034 and rec["approx"] == 0


def test_hours_masks_say_the_same_as_the_hours_parser():
    text = "Tu-Sa 09:30-19:00; Su 09:30-12:30; Fr 22:00-02:00"
    masks = hours_masks(text)
    # Tuesday to Thursday share their hours; Friday closes late and Saturday begins with Friday's night.
    assert [m[0] for m in masks if m[1:] == [570, 1140]] == [0b0001110]
    moments = [
        "2024-06-04T10:00:00+02:00",
        "2024-06-03T10:00:00+02:00",
        "2024-06-09T12:00:00+02:00",
        "2024-06-09T13:00:00+02:00",
        "2024-06-08T01:30:00+02:00",
        "2024-12-07T18:59:00+01:00",
        "2024-12-07T19:00:00+01:00",
    ]
    got = node_calls([["isOpenAt", masks, m] for m in moments])
    assert got == [parse(text).is_open(dt.datetime.fromisoformat(m)) for m in moments]
    assert got == [True, False, True, False, True, True, False]


# --- « Où ? » -------------------------------------------------------------------------------------------


def places_entries(site: Path) -> list[list]:
    idx = load(site / "places" / "index.json")
    return [e for i in range(len(idx["first"])) for e in load(site / "places" / "n" / f"{i}.json")]


def test_places_by_postcode_name_suffix_and_every_commune(index_site):
    entries = places_entries(index_site)
    keys = {(e[0], e[1]) for e in entries}
    assert ("45200", "Montargis") in keys and ("45200", "Amilly") in keys
    assert ("saint jean de braye", "Saint-Jean-de-Braye") in keys and ("jean de braye", "Saint-Jean-de-Braye") in keys
    assert not any(k == "de braye" for k, _ in keys)  # no suffix from a linking word
    assert any(e[1] == "Ajaccio" for e in entries)  # 700 km from every merchant: still a place to search from
    assert [e[0] for e in entries] == sorted(e[0] for e in entries)


def test_a_directory_without_merchants_still_builds_its_search(tmp_path):
    project = make_project(tmp_path)
    build(project)
    search = project.output / "search"
    assert load(search / "text.json")["t"] == [] and load(search / "manifest.json")["count"] == 0
    assert load(search / "places" / "index.json")["first"] == []


def test_missing_node_modules_is_a_french_error(tmp_path, valid_yaml, monkeypatch):
    project = make_project(tmp_path, {"a.yaml": valid_yaml})
    monkeypatch.setattr(search_index, "VENDOR", (("absent/lib.js", "lib.js"),))
    with pytest.raises(UserError) as err:
        build(project)
    assert "npm ci" in err.value.message and "node_modules/absent/lib.js" in err.value.message
    assert not project.output.exists()  # nothing half-written


def test_name_rows_key_each_name_from_each_of_its_words():
    from ccdir.search.names import name_rows

    rows = name_rows(
        [
            ("b-1", "Boulangerie du Centre", "Tours", "37", 47.39361, 0.68921),
            ("a-2", "Le Fournil", "Amboise", "37", 47.41, 0.98),
        ]
    )
    assert [key for key, _ in rows] == ["boulangeri centr", "centr", "fournil"]
    assert json.loads(rows[0][1]) == ["boulangeri centr", "b-1", "Boulangerie du Centre", "Tours", "37", 47.39, 0.69]
