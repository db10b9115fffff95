"""The English pages' scripts speak English (search results' places and hours, « Did you mean », basket,
favourite button, poster), mark what merchants wrote in French with lang="fr", and a missing /en/ page
gets the English « page not found »."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from browser_support import local_page, search_results
from hardening import axe_violations, watched_page

from ccdir.site import dates, i18n

WEDNESDAY_9 = dt.datetime(2026, 12, 9, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


def index_phrases(site: Path) -> list[str]:
    """Every French hours phrase of the demo's search records: pickup hours and points' « when »."""
    found = set()
    for path in (site / "search" / "s").glob("*.json"):
        for record in json.loads(path.read_text(encoding="utf-8")):
            found.update(text for text in (record[15], *record[17:19]) if isinstance(text, str) and text)
    return sorted(found)


TRICKY = [
    "du mardi au samedi 9 h 30 – 19 h ; jours fériés fermé",
    "tous les jours 24 h/24",
    "le 1er mai fermé, sinon lundi 8 h – 12 h",
    "semaines paires mercredi 8 h – 12 h 30, à confirmer",
    "décembre : dimanche 9 h – 12 h ; le dernier samedi du mois 14 h – 18 h",
    "sur rendez-vous le matin (dé-à-coudre, déjà 8 hé)",
]


def test_browser_puts_the_index_hours_in_english_as_the_server_does(chromium, demo_site, demo_url):
    phrases = index_phrases(demo_site) + TRICKY
    assert len(phrases) > 10
    with local_page(chromium) as page:
        page.goto(demo_url + "en/recherche/")
        english = page.evaluate(
            "async (texts) => { const m = await import('/assets/i18n.js'); return texts.map(m.hoursText); }", phrases
        )
        page.goto(demo_url + "recherche/")
        french = page.evaluate(
            "async (texts) => { const m = await import('/assets/i18n.js'); return texts.map(m.hoursText); }", phrases
        )
    assert english == [dates.when_en(p) for p in phrases]
    assert french == phrases
    assert "Wednesday 8:00 – 12:30" in english


def test_english_results_say_where_and_when_in_english(chromium, demo_url):
    with watched_page(chromium) as (page, watch):
        page.goto(demo_url + "en/recherche/?quoi=cheese&ou=Romorantin-Lanthenay")
        slugs = search_results(page)
        assert "chevrerie-des-bords-de-sauldre" in slugs
        card = page.locator('#resultats [data-slug="chevrerie-des-bords-de-sauldre"]')
        assert (
            card.locator(".point")
            .inner_text()
            .startswith("at the Romorantin-Lanthenay market, Wednesday 8:00 – 12:30, ")
        )
        assert card.locator(".point").inner_text().endswith("\u00a0km away")
        pickup = card.locator(".pickup")
        assert (
            pickup.locator("span[lang=fr]").inner_text()
            == "À la ferme, ou au marché de Selles-sur-Cher le jeudi matin."
        )
        assert watch.clean() == {}
        page.goto(demo_url + "en/recherche/?quoi=honey&ou=Nouan-le-Fuzelier")
        search_results(page)
        card = page.locator('#resultats [data-slug="miellerie-des-bruyeres"]')
        assert card.locator(".pickup").inner_text() == (
            "Pickup: Pickup hours: Wednesday 14:00 – 18:00 ; Saturday 09:00 – 12:00."
        )
        assert (
            card.locator(".point")
            .inner_text()
            .startswith("in Nouan-le-Fuzelier, Wednesday 14:00 – 18:00 ; Saturday 9:00 – 12:00, ")
        )
        page.goto(demo_url + "en/recherche/?quoi=fermier&ou=Vierzon")
        search_results(page)
        points = page.locator("#resultats .point").all_inner_texts()
        assert any(p.startswith("at the farm drive-through in Vierzon, Friday 17:00 – 19:00, ") for p in points), points
        assert not any(re.search(r"\b(au|à|chez|mercredi|samedi)\b", p) for p in points), points
        page.goto(demo_url + "en/recherche/?quoi=fermier&ou=Blois")
        search_results(page)
        card = page.locator('#resultats [data-slug="ferme-des-trois-chenes"]')
        assert (
            card.locator(".point")
            .inner_text()
            .startswith("at Le Garde-Manger de Blois, from Tuesday to Saturday 9:30 – 19:00, ")
        )


def test_french_results_keep_the_french_places(chromium, demo_url):
    with local_page(chromium) as page:
        page.goto(demo_url + "recherche/?quoi=fromage&ou=Romorantin-Lanthenay")
        search_results(page)
        card = page.locator('#resultats [data-slug="chevrerie-des-bords-de-sauldre"]')
        assert (
            card.locator(".point")
            .inner_text()
            .startswith("au marché de Romorantin-Lanthenay, mercredi 8 h – 12 h 30, à ")
        )
        assert card.locator(".pickup span[lang]").count() == 0


def test_did_you_mean_offers_english_categories_on_english_pages(chromium, demo_url):
    with local_page(chromium) as page:
        page.goto(demo_url + "en/recherche/?quoi=baakeryy&ou=Tours")
        assert search_results(page) == []
        links = page.locator("#suggestions a").all_inner_texts()
        assert "Bakery" in links and "Boulangerie" not in links, links
        page.click("#suggestions a:text('Bakery')")
        assert search_results(page)
        assert page.input_value("#quoi") == "Bakery"


def test_english_basket_favourite_and_poster_speak_english(chromium, demo_url):
    with local_page(chromium) as page:
        page.clock.set_fixed_time(WEDNESDAY_9)
        page.goto(demo_url + "en/commercants/maison-feuilletee/")
        page.locator("#panier").wait_for(state="visible")
        groups = page.eval_on_selector_all("#panier-retrait optgroup", "gs => gs.map(g => g.label)")
        assert groups == ["Today, Wednesday 9 December", "Tomorrow, Thursday 10 December", "Friday 11 December"]
        assert page.eval_on_selector("#panier-retrait > option", "o => o.textContent") == "To be agreed with the shop"
        page.click("#envoyer-email")
        assert page.inner_text("#panier-erreur") == (
            "Before sending: choose at least one product, give your name, give a full phone number."
        )
        assert page.inner_text("#envoyer-email") == "Send my order by e-mail"
        page.fill("#panier input[data-product='Macarons x12']", "1")
        page.select_option("#panier-retrait", "2026-12-10T10:30")
        # the message is for the merchant: French, and marked so
        assert "Retrait souhaité : jeudi 10 décembre à 10:30" in page.inner_text("#panier-message")
        assert page.get_attribute("#panier-message", "lang") == "fr"
        star = page.locator("#favori")
        assert star.inner_text() == "☆ Add to my favourites"
        star.click()
        assert star.inner_text() == "★ In my favourites"
        label = page.evaluate(
            "async () => (await (await import('/assets/extras/poster.js')).qrSvg('https://x.example/')).getAttribute('aria-label')"
        )
        assert label == "QR code: https://x.example/"


def test_english_pages_mark_the_merchants_french_text(demo_site):
    def page(path: str) -> str:
        return (demo_site / path / "index.html").read_text(encoding="utf-8")

    en, fr = page("en/commercants/chevrerie-des-bords-de-sauldre"), page("commercants/chevrerie-des-bords-de-sauldre")
    assert '<p class="description" dir="auto" lang="fr">' in en and '<p class="description" dir="auto">' in fr
    assert '<p dir="auto" lang="fr">À la ferme, ou au marché de Selles-sur-Cher le jeudi matin.</p>' in en
    assert 'lang="fr">' not in fr.split("</header>", 1)[1]  # French pages: nothing to mark
    basket = page("en/commercants/maison-feuilletee")
    assert '<bdi lang="fr">Pithiviers 8 parts</bdi>' in basket
    assert '<h1 dir="auto">Maison Feuilletée</h1>' in basket  # names stay unmarked


@pytest.mark.parametrize(
    "path", ["en/commercants/chevrerie-des-bords-de-sauldre/", "en/commercants/maison-feuilletee/"]
)
def test_english_merchant_pages_pass_axe(chromium, demo_url, path):
    with watched_page(chromium, bypass_csp=True) as (page, watch):
        page.goto(demo_url + path)
        assert axe_violations(page) == []


def test_hours_words_block_is_on_english_pages_only(demo_site):
    en = (demo_site / "en/recherche/index.html").read_text(encoding="utf-8")
    block = json.loads(re.search(r'<script type="application/json" id="textes">(.*?)</script>', en, re.S)[1])
    assert block[i18n.HOURS_WORDS][0] == ["horaires à confirmer", "hours to be confirmed"]  # longest first
    assert i18n.HOURS_WORDS not in i18n.js_messages("fr")


def test_english_merchant_page_says_the_next_opening_in_english(chromium, demo_url):
    with local_page(chromium) as page:
        page.clock.set_fixed_time(WEDNESDAY_9)  # Wednesday 9 December 2026, 9:00 in France
        page.goto(demo_url + "en/commercants/chevrerie-des-bords-de-sauldre/")
        page.wait_for_selector(".point .next-opening:not([hidden])")
        lines = page.eval_on_selector_all(".point .next-opening", "els => els.map(e => e.textContent)")
        assert "Open now, until 12:30" in lines  # the Romorantin market, Wednesday 8:00 – 12:30
        assert "Next opening: tomorrow at 8:00" in lines  # Selles-sur-Cher market, Thursday
        assert all(line.startswith(("Open now", "Next opening: ")) for line in lines), lines
