"""Property-based tests (hypothesis): whatever the input, the pipeline answers with a merchant or French
problems, never an exception; whatever valid text a merchant writes, pages show it as text.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import make_project
from hardening import REPO, audit_html, parse_page
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ccdir.content import reader
from ccdir.content.categories import load_catalog
from ccdir.content.model import Merchant
from ccdir.content.validate import Entry, check_document
from ccdir.core.problems import Problem
from ccdir.site.render import Renderer, json_ld, make_listings

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RENDERING = settings(PROPERTY, max_examples=60)  # each example renders a whole small site

CATALOG = load_catalog(REPO / "content" / "categories.yaml")
BASE: dict[str, Any] = {
    "name": "Fleurs de Loire",
    "kind": "commerce",
    "categories": ["fleuriste"],
    "description": "Bouquets et plantes de saison.",
    "address": {"street": "12 rue Dorée", "postcode": "45200", "city": "Montargis", "lat": 47.9978, "lon": 2.7331},
    "contact": {"phone": "02 61 91 00 12", "email": "contact@example.org", "website": "https://example.org"},
    "click_and_collect": {"order": ["phone", "email"], "pickup": "Retrait en boutique.", "delivery": False},
    "opening_hours": "Tu-Sa 09:30-19:00",
    "products": [{"name": "Bouquet", "price": 25, "available": True}],
    "siret": "73282932000074",
    "updated": dt.date(2020, 11, 5),
}
FIELDS = sorted(
    {
        "name",
        "kind",
        "categories",
        "description",
        "address",
        "contact",
        "click_and_collect",
        "opening_hours",
        "products",
        "siret",
        "updated",
        "street",
        "postcode",
        "city",
        "lat",
        "lon",
        "phone",
        "email",
        "website",
        "facebook",
        "instagram",
        "order",
        "order_url",
        "pickup",
        "pickup_hours",
        "delivery",
        "price",
        "available",
    }
)

# Text built from what breaks HTML, JSON, URLs and Jinja, plus any character at all.
NASTY_PIECES = [
    "<",
    ">",
    '"',
    "'",
    "&",
    "&amp;",
    "&#60;",
    "/",
    "\\",
    "=",
    "`",
    "zzx",
    "<zzx ",
    " zzxattr=",
    "<script>",
    "</script>",
    "<!--",
    "-->",
    "]]>",
    "javascript:",
    "onerror=",
    "{{",
    "}}",
    "{%",
    "%}",
    "\u00e9",
    "\u202e",
    "\u200b",
    "\u0301",
    "\U0001f338",
    " ",
    "\t",
    "\n",
    "é",
    "Ω",
    "Д",
    "x",
    "1",
]
nasty_text = st.one_of(
    st.lists(st.sampled_from(NASTY_PIECES), max_size=12).map("".join),
    st.text(max_size=40),
)
# The same, limited to what a valid name may contain (one letter guaranteed): reaches the templates.
_printable = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))
valid_nasty_text = st.one_of(
    st.lists(st.sampled_from([p for p in NASTY_PIECES if p not in ("\u202e", "\u200b", "\t", "\n")]), max_size=12).map(
        lambda pieces: "x" + "".join(pieces)
    ),
    st.text(_printable, max_size=40).map(lambda text: text + "x"),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), nasty_text), inner, max_size=4),
    ),
    max_leaves=20,
)


def check(data: Any) -> tuple[Merchant | None, list[Problem]]:
    return check_document(reader.Document("x.yaml", data), CATALOG)


def assert_answered(merchant: Merchant | None, problems: list[Problem]) -> None:
    assert all(isinstance(p, Problem) and p.message and p.format() for p in problems)
    if merchant is None:
        assert any(p.is_error for p in problems)
    else:
        assert not any(p.is_error for p in problems)


@PROPERTY
@given(st.dictionaries(st.one_of(st.sampled_from(FIELDS), nasty_text), values, max_size=12))
def test_any_mapping_gives_a_merchant_or_problems(data):
    assert_answered(*check(data))


@PROPERTY
@given(st.data())
def test_any_field_of_a_valid_merchant_replaced_gives_a_merchant_or_problems(data):
    doc = json.loads(json.dumps(BASE, default=str))
    doc["updated"] = BASE["updated"]
    for _ in range(data.draw(st.integers(1, 3))):
        block = data.draw(st.sampled_from([None, "address", "contact", "click_and_collect"]))
        target = doc if block is None or not isinstance(doc.get(block), dict) else doc[block]
        key = data.draw(st.sampled_from(sorted(target) or FIELDS))
        target[key] = data.draw(values)
    assert_answered(*check(doc))


@PROPERTY
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "name:",
                    " ",
                    "\n",
                    "- ",
                    "&a",
                    "*a",
                    "!!",
                    "!x",
                    "[",
                    "]",
                    "{",
                    "}",
                    ":",
                    "'",
                    '"',
                    "\\",
                    "#",
                    "%",
                    "---",
                    "...",
                    "?",
                    "|",
                    ">",
                    "\t",
                    "é",
                    "\ufeff",
                    "\x85",
                    "\u2028",
                    "1",
                    "~",
                    "yes",
                    "<<",
                ]
            ),
            max_size=40,
        ).map("".join),
    )
)
def test_any_text_parses_or_gives_a_read_error(text):
    try:
        doc = reader.parse(text, "x.yaml")
    except reader.ReadError as exc:
        assert exc.message and exc.line >= 0 and exc.col >= 0
        return
    assert_answered(*check_document(doc, CATALOG)) if isinstance(doc.data, dict) else None


@PROPERTY
@given(st.binary(max_size=300))
def test_any_bytes_read_or_give_a_read_error(raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_bytes(raw)
        try:
            reader.read_file(path)
        except reader.ReadError as exc:
            assert exc.message


# --- rendering ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def renderer(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("props"))
    return Renderer(project, CATALOG)


TEXT_FIELDS = [
    ("name",),
    ("description",),
    ("address", "street"),
    ("click_and_collect", "pickup"),
    ("products", 0, "name"),
]


@RENDERING
@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), valid_nasty_text, min_size=1))
def test_valid_nasty_text_is_rendered_as_text(renderer, replacements):
    doc = json.loads(json.dumps(BASE, default=str))
    for path, text in replacements.items():
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = text
    merchant, problems = check(doc)
    assume(merchant is not None)
    entry = Entry("fleurs-de-loire", "x.yaml", merchant)
    listings = make_listings([entry], {}, CATALOG)
    pages = dict(renderer.render_all(listings))
    page = pages["commercants/fleurs-de-loire/index.html"]
    for path, html in pages.items():
        if path.endswith(".html"):
            assert audit_html(html) == [], path
            parsed = parse_page(html)
            assert not [t for t, a in parsed.elements if "zzx" in t or any("zzx" in k for k in a)], path
    parsed = parse_page(page)
    assert parsed.text["h1"] == [merchant.name]
    ld = [json.loads(body) for attrs, body in parsed.scripts if attrs.get("type") == "application/ld+json"][0]
    assert ld == json.loads(json.dumps(json_ld(listings[0], renderer.project.settings.base_url)))


@settings(RENDERING, max_examples=30)
@given(
    st.lists(
        st.tuples(valid_nasty_text, st.floats(46.0, 49.0), st.floats(0.5, 3.5)),
        min_size=1,
        max_size=8,
        unique_by=lambda t: t[0],
    )
)
def test_rendering_many_nasty_merchants_never_fails(renderer, rows):
    entries = []
    for i, (name, lat, lon) in enumerate(rows):
        doc = json.loads(json.dumps(BASE, default=str))
        doc["name"], doc["address"]["lat"], doc["address"]["lon"] = name, lat, lon
        merchant, _ = check(doc)
        if merchant is not None:
            entries.append(Entry(f"m{i}", f"m{i}.yaml", merchant))
    pages = dict(renderer.render_all(make_listings(entries, {}, CATALOG)))
    assert len([p for p in pages if p.startswith("commercants/")]) == len(entries)
    assert all(audit_html(html) == [] for path, html in pages.items() if path.endswith(".html"))
