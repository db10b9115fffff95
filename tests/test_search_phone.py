"""The search and every page type on a phone, and with any text typed: Chromium on the built demo site.

Uses the demo site of test_search_browser.py (small index budgets, no request outside 127.0.0.1, and
`local_page` fails a test on any uncaught JavaScript error).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from browser_support import local_page, wait_until
from test_search_browser import browser, open_search, search_site, server, status, wait_results  # noqa: F401 (fixtures)

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 360, "height": 740}

# What residents (and robots) paste: prototype keys, very long text, emoji, right-to-left, control
# characters, markup, lone surrogates' neighbours, regular-expression and URL syntax.
FUZZ = [
    "constructor",
    "__proto__",
    "toString",
    "hasOwnProperty",
    "valueOf",
    "prototype",
    "__defineGetter__",
    "x" * 1000,
    "pain " * 200,
    "🥖🥐🧀",
    "🏳️‍🌈 fleurs",
    "مخبز",
    "לחם ופרחים",
    "\u202epain\u202c",
    "%00",
    "\x00pain",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="x',
    "'; DROP TABLE--",
    ".*",
    "(",
    "[",
    "\\",
    "*",
    "?",
    "^$",
    "a|b",
    "%",
    "%%",
    "&quoi=",
    "#",
    "   ",
    "-",
    "'",
    "l'",
    "d'",
    "1",
    "45000",
    "0.5",
    "NaN",
    "Infinity",
    "undefined",
    "null",
    "true",
    "ÆØÅ ß İı",
    "ﬁ ﬂ",
    "e\u0301picerie",
    "Ⅻ",
    "０１２",
    "𝕡𝕒𝕚𝕟",
    "a" * 60 + " " + "b" * 60,
]
PLACES = [
    "",
    "Tours",
    "constructor",
    "__proto__",
    "45200",
    "(",
    "Olivet (",
    "x" * 1000,
    "%00",
    "🏠",
    "مدينة",
    "<b>Tours</b>",
    "Tours (constructor)",
    "Tours (__proto__)",
    "99999",
    "0",
]


@pytest.fixture
def phone(browser, server):
    with local_page(browser, viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris") as pg:
        pg.base = server
        yield pg


@pytest.fixture
def narrow(browser, server):
    with local_page(browser, viewport=NARROW, locale="fr-FR", timezone_id="Europe/Paris") as pg:
        pg.base = server
        yield pg


def test_any_text_typed_gives_an_answer_and_no_page_error(browser, server):
    for k, quoi in enumerate(FUZZ):
        ou = PLACES[k % len(PLACES)]
        errors: list[str] = []
        with local_page(browser, locale="fr-FR") as page:
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{server}/recherche/?{urlencode({'quoi': quoi, 'ou': ou})}")
            blank = not quoi.strip() and not ou.strip()  # an empty form: nothing to say
            wait_until(
                page,
                "blank => document.querySelector('.answer').getAttribute('aria-busy') === 'false'"
                " && (blank || document.getElementById('etat').textContent.length > 0)",
                arg=blank,
            )
            assert errors == [], (quoi, ou, errors)
            assert "n'a pas pu se faire" not in page.inner_text("#etat"), (quoi, ou)
            page.fill("#quoi", quoi)  # the same through the form
            page.fill("#ou", ou)
            page.click("form.search button[type=submit]")
            wait_until(page, "() => document.querySelector('.answer').getAttribute('aria-busy') === 'false'")
            assert errors == [], (quoi, ou, errors)


def test_results_above_the_fold_on_a_phone(phone):
    assert open_search(phone, quoi="épicerie", ou="Orléans")
    box = phone.locator("#resultats li").first.bounding_box()
    assert box["y"] + 40 < PHONE["height"], f"first result starts at {box['y']} px"
    assert not phone.locator("details.refine").get_attribute("open")  # filters folded
    phone.click("details.refine summary")
    assert phone.locator("#rayon").is_visible()


def test_filters_in_the_url_unfold_the_filters(phone):
    open_search(phone, ou="Tours", livraison="1")
    assert phone.locator("details.refine").get_attribute("open") is not None


def test_radius_menu_shows_the_radius_actually_searched(phone):
    assert open_search(phone, quoi="fleuriste", ou="Montargis", rayon="5") == ["atelier-des-pivoines"]
    assert phone.input_value("#rayon") == "50"


def test_a_match_far_away_is_shown_with_its_distance(phone):
    slugs = open_search(phone, quoi="fleuriste", ou="Bourges")
    assert slugs and slugs[0] == "atelier-des-pivoines"  # Montargis, about 106 km
    text = status(phone)
    assert (
        "Aucun commerce ne correspond à « fleuriste » à moins de 50 km de Bourges. Le plus proche : "
        "L'Atelier des Pivoines, à 106\xa0km (Montargis)." in text
    )
    assert phone.input_value("#rayon") == "200"
    assert phone.locator("#rayon option:checked").text_content() == "200 km"


def test_a_shop_name_without_place(phone):
    for typed in ("Atelier des Pivoines", "atelier des pivoine", "ATELIER DES PIVOINNES", "pivoines montargis"[:8]):
        slugs = open_search(phone, quoi=typed)
        assert slugs and slugs[0] == "atelier-des-pivoines", typed
    assert "Indiquez une commune" in status(phone)
    assert phone.locator("#resultats .where").first.inner_text() == "Montargis (45)"


def test_a_shop_name_far_from_the_place_typed(phone):
    slugs = open_search(phone, quoi="Au Pain des Marais", ou="Tours")  # Bourges, 130 km away
    assert slugs[0] == "au-pain-des-marais"


def test_nothing_anywhere_offers_close_spellings(phone):
    assert open_search(phone, quoi="bouloungerie", ou="Tours") == []
    assert "même loin" in status(phone)
    phone.click("#suggestions a:text('Boulangerie')")
    assert wait_results(phone)
    assert phone.input_value("#quoi") == "Boulangerie"
    assert phone.locator("#suggestions a[href$='/categories/']").count() == 0  # results: no suggestions


def page_types(site) -> list[str]:
    merchant = sorted(p.name for p in (site / "commercants").iterdir())[0]
    commune = sorted(p.name for p in (site / "communes").iterdir() if p.is_dir())[0]
    category = sorted(p.name for p in (site / "categories").iterdir() if p.is_dir())[0]
    return [
        "/",
        "/recherche/",
        "/recherche/?quoi=boulangerie&ou=Tours",
        "/recherche/?quoi=fleuriste&ou=Bourges",
        f"/commercants/{merchant}/",
        f"/communes/{commune}/",
        "/communes/",
        "/categories/",
        f"/categories/{category}/",
        "/donnees/",
        "/statistiques/",
        "/inscription/",
        "/404.html",
    ]


def test_no_page_scrolls_sideways_at_360_px_and_headings_never_skip_a_level(narrow, search_site):
    for path in page_types(search_site):
        narrow.goto(narrow.base + path)
        narrow.wait_for_load_state("networkidle")
        width = narrow.evaluate("() => document.documentElement.scrollWidth")
        assert width <= NARROW["width"], f"{path} is {width} px wide"
        levels = narrow.eval_on_selector_all(
            "main h1, main h2, main h3, main h4, main h5, main h6", "els => els.map(e => Number(e.tagName[1]))"
        )
        assert levels and levels[0] == 1, path
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"


def test_open_data_tables_scroll_inside_their_own_box(narrow):
    narrow.goto(narrow.base + "/donnees/")
    boxes = narrow.eval_on_selector_all(
        ".table-scroll",
        "els => els.map(e => [e.clientWidth, e.scrollWidth, getComputedStyle(e).overflowX, e.tabIndex])",
    )
    assert len(boxes) == 2
    for client, _scroll, overflow, tab in boxes:
        assert client <= NARROW["width"] and overflow == "auto" and tab == 0


def test_commune_page_leads_to_the_nearest_beyond_it(narrow, server):
    narrow.goto(f"{server}/communes/")
    href = narrow.eval_on_selector("a[href*='/communes/bourges']", "a => a.getAttribute('href')")
    narrow.goto(server + href)
    narrow.click("details.more-categories summary")
    narrow.click("details.more-categories a:text-is('Fleuriste')")
    assert wait_results(narrow)[0] == "atelier-des-pivoines"
    assert "Le plus proche : L'Atelier des Pivoines" in status(narrow)


def test_category_page_leads_to_the_search(narrow, server):
    narrow.goto(f"{server}/categories/fleuriste/")
    narrow.click("main a[href*='/recherche/?quoi=Fleuriste']")
    wait_results(narrow)
    assert narrow.input_value("#quoi") == "Fleuriste"
    assert "Indiquez une commune" in status(narrow)


def test_a_filtered_search_stops_at_50_km(phone):
    # No florist is a « producteur »: the search must not load the whole country to say so.
    assert open_search(phone, quoi="fleuriste", ou="Bourges", type="producteur") == []
    assert "à moins de 50 km" in status(phone)
    assert phone.input_value("#rayon") == "50"
