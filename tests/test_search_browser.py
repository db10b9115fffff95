"""The search page in a real browser (Debian's Chromium driven by Playwright) on the built demo site.

The site is built once with small index budgets, so that queries cross several cells and term chunks,
and with a tile URL on the test server. Every request that is not to 127.0.0.1 is blocked, and fails the
test that made it (`browser_support.local_page`).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import chromium, local_page, search_results, wait_until
from search_support import REPO

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.config import Project
from ccdir.geo.gazetteer import Gazetteer
from ccdir.geo.nearby import distance_km
from ccdir.search import index as search_index

TOURS = (47.3936, 0.6892)


@pytest.fixture(scope="session")
def search_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search-demo")
    shutil.copytree(REPO / "content", root / "content")
    settings = (root / "content" / "site.yaml").read_text(encoding="utf-8")
    (root / "content" / "site.yaml").write_text(settings + '\ntile_url: "/tuiles/{z}/{x}/{y}.png"\n', encoding="utf-8")
    project = Project.load(root, output=root / "site")
    saved = search_index.LIMITS
    search_index.LIMITS = search_index.Limits(shard=1500, category=400, terms=1500)
    try:
        build(project, BuildOptions(offline=True))
    finally:
        search_index.LIMITS = saved
    return project.output


@pytest.fixture(scope="session")
def server(search_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(search_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, server):
    with local_page(
        browser,
        geolocation={"latitude": TOURS[0], "longitude": TOURS[1]},
        permissions=["geolocation"],
        locale="fr-FR",
        timezone_id="Europe/Paris",
    ) as pg:
        pg.base = server
        yield pg


def open_search(page, **params) -> list[str]:
    from urllib.parse import urlencode

    page.goto(f"{page.base}/recherche/?{urlencode(params)}")
    return wait_results(page)


def wait_results(page) -> list[str]:
    return search_results(page)


def status(page) -> str:
    return page.inner_text("#etat")


@functools.lru_cache
def records(site: Path) -> dict[str, dict]:
    man = json.loads((site / "search" / "manifest.json").read_text())
    out = {}
    for path in (site / "search" / "s").glob("*.json"):
        for row in json.loads(path.read_text()):
            rec = dict(zip(man["fields"], row))
            rec["cat_ids"] = [man["cats"][k][0] for k in rec["cats"]]
            out[rec["slug"]] = rec
    return out


def nearest(site: Path, lat: float, lon: float, keep, radius: float) -> list[str]:
    """What the page must show, computed independently: matching merchants within `radius`, nearest first."""
    found = [(distance_km(lat, lon, r["lat"], r["lon"]), slug) for slug, r in records(site).items() if keep(r)]
    return [slug for d, slug in sorted(found) if d <= radius]


def commune(name: str, dept: str):
    return next(c for c in Gazetteer.load().named(name) if c.dept == dept)


# --- ranking ---------------------------------------------------------------------------------------------


def test_category_and_commune_nearest_first(page, search_site):
    slugs = open_search(page, quoi="épicerie", ou="Orléans")
    orleans = commune("Orléans", "45")
    radius = int(status(page).split("moins de ")[-1].split(" km")[0])
    assert slugs == nearest(search_site, orleans.lat, orleans.lon, lambda r: "epicerie" in r["cat_ids"], radius)
    assert slugs[0] == "cave-saint-marceau"
    distances = page.eval_on_selector_all("#resultats .distance", "els => els.map(e => e.textContent)")
    assert distances[0].endswith("km")


def test_no_accents_and_capitals_change_nothing(page):
    assert open_search(page, quoi="EPICERIE", ou="orleans") == open_search(page, quoi="épicerie", ou="Orléans")


def test_plurals_find_the_singular(page):
    assert open_search(page, quoi="fleuristes", ou="Montargis")[0] == "atelier-des-pivoines"
    assert open_search(page, quoi="pralines", ou="Montargis")[0] == "pralines-du-loing"  # name has « Pralines »
    assert "pralines-du-loing" in open_search(page, quoi="praline", ou="Montargis")


def test_synonyms_resolve_to_their_category(page, search_site):
    slugs = open_search(page, quoi="baguette", ou="Montargis")
    assert slugs[0] == "fournil-d-amilly"
    assert all("boulangerie" in records(search_site)[s]["cat_ids"] for s in slugs)
    assert open_search(page, quoi="boulanger", ou="Montargis") == slugs


def test_shop_name_comes_first(page):
    assert open_search(page, quoi="Au Pain des Marais", ou="Bourges")[0] == "au-pain-des-marais"
    assert open_search(page, quoi="pivoines", ou="Montargis") == ["atelier-des-pivoines"]


def test_one_typo_on_long_words(page):
    assert open_search(page, quoi="fleuritse", ou="Montargis")[0] == "atelier-des-pivoines"
    assert open_search(page, quoi="chocolatiere", ou="Montargis")[0] == "pralines-du-loing"


def test_postcode_as_place(page):
    assert open_search(page, quoi="boulangerie", ou="45200") == open_search(page, quoi="boulangerie", ou="Montargis")
    assert "de Montargis" in status(page)


def test_geolocation_around_me(page):
    page.goto(f"{page.base}/recherche/")
    page.fill("#quoi", "librairie")
    page.click("button.locate")
    slugs = wait_results(page)
    assert slugs[0] == "bulles-de-loire"  # Tours
    query = parse_qs(urlsplit(page.url).query)
    assert float(query["lat"][0]) == pytest.approx(TOURS[0], abs=1e-3)
    assert float(query["lon"][0]) == pytest.approx(TOURS[1], abs=1e-3)
    assert "de vous" in status(page)


def test_no_regional_border(page, search_site):
    # Montargis (Centre-Val de Loire): Nemours is in Île-de-France, Sens in Bourgogne-Franche-Comté.
    assert "pizzeria-du-loing" in open_search(page, quoi="pizza", ou="Montargis", rayon="50")
    slugs = open_search(page, quoi="vrac", ou="Montargis", rayon="50")
    assert slugs == ["bocaux-et-compagnie"] and records(search_site)[slugs[0]]["dept"] == "89"


def test_radius_widens_and_says_so(page):
    slugs = open_search(page, quoi="fleuriste", ou="Montargis", rayon="5")
    assert slugs == ["atelier-des-pivoines"]  # 0.7 km away, and the only florist within 50 km
    assert "Seulement 1 commerce à moins de 5 km : rayon élargi à 50 km" in status(page)
    # Ferrières-en-Gâtinais is about 11 km from that florist: nothing within 5 km, too few within 20 km.
    assert open_search(page, quoi="fleuriste", ou="Ferrières-en-Gâtinais", rayon="5") == ["atelier-des-pivoines"]
    assert "Aucun commerce à moins de 5 km : rayon élargi à 50 km" in status(page)


def test_filters(page, search_site):
    slugs = open_search(page, ou="Orléans", type="producteur", rayon="50")
    assert slugs and all(records(search_site)[s]["kind"] == 2 for s in slugs)
    slugs = open_search(page, ou="Orléans", livraison="1", rayon="50")
    assert slugs and all(records(search_site)[s]["delivery"] for s in slugs)


def test_open_now_keeps_merchants_open_at_that_time(page, search_site):
    page.clock.set_fixed_time("2024-06-04T09:15:00+02:00")  # a Tuesday, 9:15 in France

    def open_tuesday_915(r):
        return any(
            mask & 2 and any(s <= 555 < e for s, e in zip(spans[::2], spans[1::2])) for mask, *spans in r["hours"]
        )

    slugs = open_search(page, ou="Tours", ouvert="1", rayon="50")
    tours = commune("Tours", "37")
    radius = int(status(page).split("moins de ")[-1].split(" km")[0])
    assert slugs == nearest(search_site, tours.lat, tours.lon, open_tuesday_915, radius)[:20]
    assert 0 < len(slugs) < len(open_search(page, ou="Tours", rayon=str(radius)))


# --- URL state -------------------------------------------------------------------------------------------


def test_url_round_trip_and_back_button(page):
    page.goto(f"{page.base}/")
    page.fill("#quoi", "fromage")
    page.fill("#ou", "Tours")
    page.click("form.search button[type=submit]")
    first = wait_results(page)
    assert urlsplit(page.url).path == "/recherche/"
    assert parse_qs(urlsplit(page.url).query) == {"quoi": ["fromage"], "ou": ["Tours"]}
    first_url = page.url

    page.fill("#quoi", "librairie")
    page.click("form.search button[type=submit]")
    second = wait_results(page)
    assert second != first and "quoi=librairie" in page.url

    page.go_back()
    wait_until(page, "() => document.getElementById('quoi').value === 'fromage'")
    assert wait_results(page) == first
    assert page.url == first_url

    page.goto(first_url)  # a shared link
    assert wait_results(page) == first
    assert page.input_value("#ou") == "Tours"


# --- « Où ? » -------------------------------------------------------------------------------------------


def test_autocomplete_by_keyboard_without_accents_or_hyphens(page):
    page.goto(f"{page.base}/recherche/")
    page.click("#ou")
    page.keyboard.type("st jean de b")
    # the list follows each keystroke: wait for the answer to the whole text, not to « st » (every commune
    # of France is a place now, so the first letters already have suggestions)
    first = "() => document.querySelector('#ou-liste li')?.textContent.includes('Saint-Jean-de-Braye')"
    wait_until(page, first, timeout=30_000)  # fails the test if the whole text never puts it first
    assert page.get_attribute("#ou", "aria-expanded") == "true"
    assert "Saint-Jean-de-Braye" in page.inner_text("#ou-liste li:first-child")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#ou", "aria-activedescendant") == "ou-liste-0"
    page.keyboard.press("Enter")
    assert page.input_value("#ou") == "Saint-Jean-de-Braye (Loiret)"
    assert page.get_attribute("#ou", "aria-expanded") == "false"
    page.fill("#quoi", "jouets")
    page.click("form.search button[type=submit]")
    assert wait_results(page)[0] == "grenier-a-jeux"


def test_homonyms_show_their_departement(page):
    page.goto(f"{page.base}/recherche/")
    page.click("#ou")
    page.keyboard.type("amilly")
    page.wait_for_selector("#ou-liste li:nth-child(2)")
    options = page.eval_on_selector_all("#ou-liste li", "els => els.map(e => e.textContent)")
    assert any("Loiret (45)" in o for o in options) and any("Eure-et-Loir (28)" in o for o in options)
    assert open_search(page, quoi="boulangerie", ou="Amilly")[0] == "fournil-d-amilly"  # the most populous
    assert "Amilly (Eure-et-Loir)" in page.inner_text("#homonymes")  # the other one is offered
    page.click("#homonymes a")
    wait_results(page)
    assert page.input_value("#ou") == "Amilly (Eure-et-Loir)" and "d'Amilly" in status(page)


def test_home_page_form_submits_to_search(page):
    page.goto(f"{page.base}/")
    page.fill("#quoi", "caviste")
    page.fill("#ou", "Chartres")
    page.click("form.search button[type=submit]")
    assert wait_results(page)[0] == "cave-de-la-porte-guillaume"


# --- map and network ---------------------------------------------------------------------------------------


def test_map_loads_leaflet_only_when_asked(page):
    leaflet = []
    page.on("request", lambda r: leaflet.append(r.url) if "leaflet" in r.url else None)
    open_search(page, quoi="fromagerie", ou="Tours")
    assert not leaflet
    page.click("#voir-carte")
    page.wait_for_selector("#carte .leaflet-marker-icon")
    assert any(u.endswith("/assets/vendor/leaflet/leaflet.js") for u in leaflet)
    assert page.get_attribute("#voir-carte", "aria-expanded") == "true"
    markers = page.eval_on_selector_all("#carte .leaflet-marker-icon", "els => els.length")
    assert markers == len(page.eval_on_selector_all("#resultats [data-slug]", "els => els"))


def test_a_place_far_from_every_merchant_still_gets_the_nearest(page, search_site):
    """Brest is more than 300 km from every demo merchant: « Où ? » finds it, and the answer is the nearest
    florist anywhere, with its distance, never « introuvable »."""
    slugs = open_search(page, quoi="fleuriste", ou="Brest")
    brest = commune("Brest", "29")
    florists = nearest(search_site, brest.lat, brest.lon, lambda r: "fleuriste" in r["cat_ids"], 20_000)
    assert slugs and slugs[0] == florists[0]
    far = distance_km(
        brest.lat, brest.lon, records(search_site)[slugs[0]]["lat"], records(search_site)[slugs[0]]["lon"]
    )
    assert far > 300
    said = status(page)
    assert "à moins de 50 km de Brest" in said and "Le plus proche" in said and "introuvable" not in said
