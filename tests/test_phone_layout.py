"""On a phone, what docs/screenshots/ shows (scripts/screenshots.py takes them): the first result above the fold at
390×844, and no page type that scrolls sideways at 360 px."""

from __future__ import annotations

import sys

import pytest
from conftest import REPO
from hardening import watched_page

sys.path.append(str(REPO / "scripts"))
sys.path.append(str(REPO / "benchmarks"))
from lighthouse import PAGE_TYPES, page_paths
from screenshots import PHONE, RESULTS_QUERY, first_result_top, settle, shots, sideways_overflow

NARROW = {**PHONE, "viewport": {"width": 360, "height": 800}}


def test_the_first_result_shows_without_scrolling(chromium, demo_url):
    with watched_page(chromium, **{k: v for k, v in PHONE.items() if k != "locale"}) as (page, watch):
        page.goto(demo_url + RESULTS_QUERY)
        settle(page)
        top = first_result_top(page)
        assert top is not None, "the query of the screenshot has results"
        assert top < PHONE["viewport"]["height"], f"first result at y = {top:.0f} px, below the fold"
        assert watch.clean() == {}


@pytest.mark.parametrize("name", [name for name, _ in PAGE_TYPES])
def test_no_page_type_scrolls_sideways_at_360px(chromium, demo_site, demo_url, name):
    with watched_page(chromium, **{k: v for k, v in NARROW.items() if k != "locale"}) as (page, watch):
        page.goto(demo_url + page_paths(demo_site)[name])
        settle(page)
        overflow = sideways_overflow(page, NARROW["viewport"]["width"])
        assert overflow["scrollWidth"] <= overflow["width"], overflow
        assert watch.clean() == {}


def test_the_screenshots_are_committed_and_small(demo_site):
    folder = REPO / "docs" / "screenshots"
    for name in shots(demo_site):
        found = [p for p in (folder / f"{name}.png", folder / f"{name}.jpg") if p.exists()]
        assert len(found) == 1, f"docs/screenshots/{name}.png: run python scripts/screenshots.py"
        assert found[0].stat().st_size < 150_000


def test_the_sideways_check_sees_a_page_wider_than_the_phone(chromium, tmp_path):
    from hardening import serve_dir

    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta name="viewport" content="width=device-width"><title>t</title>'
        "</head><body><table><tr><td>commerces_geojson_nom_de_fichier_bien_trop_long_pour_un_telephone</td>"
        "<td>2 Mio</td></tr></table></body></html>",
        encoding="utf-8",
    )
    with (
        serve_dir(tmp_path) as url,
        watched_page(chromium, **{k: v for k, v in NARROW.items() if k != "locale"}) as (page, _),
    ):
        page.goto(url)
        overflow = sideways_overflow(page, 360)
    assert overflow["scrollWidth"] > 360
    assert any(w.startswith("td ") for w in overflow["wide"]), overflow
