"""The English version (/en/): rendered from the same templates through the gettext catalogue, with language
links both ways, English words understood by the search, and a catalogue that cannot silently drift."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from ccdir.site import dates, i18n
from ccdir.site.render import describe_hours_en

REPO = Path(__file__).resolve().parent.parent


def html(site: Path, path: str) -> str:
    return (
        (site / path / "index.html").read_text(encoding="utf-8")
        if not path.endswith(".html")
        else (site / path).read_text(encoding="utf-8")
    )


def a_merchant(site: Path) -> str:
    return sorted(p.parent.name for p in (site / "commercants").glob("*/index.html"))[0]


def test_every_source_message_has_an_english_translation():
    spec = importlib.util.spec_from_file_location("update_catalogue", REPO / "scripts" / "update_catalogue.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in module.source_messages() if m.id}
    catalogue = i18n.catalogue()
    missing = sorted(
        str(w)
        for w in wanted
        if w not in catalogue
        or not all(catalogue[w].string if isinstance(catalogue[w].string, tuple) else [catalogue[w].string])
    )
    assert missing == [], "lancez scripts/update_catalogue.py puis traduisez ces messages"
    assert len(wanted) > 150


def test_placeholders_survive_translation():
    for message in i18n.catalogue():
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for msgid, text in zip(ids, strings):
            for pattern in (r"%\(\w+\)s", r"\{\w+\}"):
                assert sorted(re.findall(pattern, msgid)) == sorted(re.findall(pattern, text)), msgid


def test_home_in_both_languages_links_the_other(demo_site):
    fr, en = html(demo_site, ""), html(demo_site, "en/")
    assert '<html lang="fr">' in fr and '<html lang="en">' in en
    for page in (fr, en):
        assert '<link rel="alternate" hreflang="fr" href="http://127.0.0.1:8000/">' in page
        assert '<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/en/">' in page
        assert '<link rel="alternate" hreflang="x-default" href="http://127.0.0.1:8000/">' in page
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in fr
    assert '<a href="/" hreflang="fr" lang="fr">Français</a>' in en
    assert "Par catégorie" in fr and "By category" in en and "Par catégorie" not in en
    assert 'href="/en/recherche/"' in en and 'href="/assets/style.css"' in en  # pages in English, assets shared


def test_merchant_page_in_english_keeps_the_merchants_words(demo_site):
    slug = a_merchant(demo_site)
    fr, en = html(demo_site, f"commercants/{slug}/"), html(demo_site, f"en/commercants/{slug}/")
    name = re.search(r'<h1 dir="auto">(.*?)</h1>', fr)[1]
    assert f'<h1 dir="auto">{name}</h1>' in en
    assert ">Address</h2>" in en and ">Adresse</h2>" in fr
    assert f'hreflang="fr" href="http://127.0.0.1:8000/commercants/{slug}/"' in en
    assert f'<a href="/commercants/{slug}/" hreflang="fr" lang="fr">Français</a>' in en


def test_the_shop_window_poster_stays_french_on_english_pages(demo_site):
    """The poster hangs in a French shop window: same French text, hours and QR target (the French page)."""
    slug = "la-page-blanche"  # demo merchant with pickup hours, holidays included

    def poster(page: str) -> str:
        return re.search(r'<section id="affiche".*?</section>', page, re.S).group(0)

    fr, en = poster(html(demo_site, f"commercants/{slug}/")), poster(html(demo_site, f"en/commercants/{slug}/"))
    assert en == fr.replace('aria-label="Affiche de vitrine">', 'aria-label="Affiche de vitrine" lang="fr">')
    assert f'data-url="http://127.0.0.1:8000/commercants/{slug}/"' in en and "Du mardi au samedi" in en


def test_english_pages_give_the_scripts_their_words(demo_site):
    en, fr = html(demo_site, "en/recherche/"), html(demo_site, "recherche/")
    block = re.search(r'<script type="application/json" id="textes">(.*?)</script>', en, re.S)
    texts = json.loads(block[1])
    assert texts["Recherche en cours…"] == "Searching…"
    assert texts["Appeler le"] == "Call"  # the model's labels, written in the search manifest in French
    assert 'id="textes"' not in fr


def test_staff_pages_stay_french_only(demo_site):
    assert not (demo_site / "en" / "inscription").exists()
    assert "hreflang" not in html(demo_site, "statistiques/")


def test_sitemap_lists_the_english_pages(demo_site):
    sitemap = (demo_site / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("en/", "en/recherche/", "en/favoris/", f"en/commercants/{a_merchant(demo_site)}/"):
        assert f"http://127.0.0.1:8000/{path}<" in sitemap


def test_dates_prices_and_hours_in_english():
    assert dates.long_date_en("2026-12-01") == "1 December 2026"
    assert dates.price_en(4.5) == "€4.50" and dates.price_en(12) == "€12"
    assert dates.when_en("mercredi 8 h – 12 h 30 ; samedi 9 h") == "Wednesday 8:00 – 12:30 ; Saturday 9:00"
    assert describe_hours_en("Tu-Sa 09:30-19:00; PH off") == (
        ("from Tuesday to Saturday", "09:30 – 19:00"),
        ("Sunday and Monday", "closed"),
        ("public holidays", "closed"),
    )


def test_english_words_name_the_same_categories(demo_site):
    manifest = json.loads((demo_site / "search" / "manifest.json").read_text(encoding="utf-8"))
    ids = [c[0] for c in manifest["cats"]]
    from ccdir.search.frenchtext import analyze

    def cats(word: str) -> set[str]:
        return {ids[k] for k in manifest["syn"].get(" ".join(analyze(word)), [])}

    assert "boulangerie" in cats("bakery") and "boulangerie" in cats("bread")
    assert "fleuriste" in cats("florist") and "fromagerie" in cats("cheese") and "caviste" in cats("wine")
    assert [c[3] for c in manifest["cats"] if c[0] == "boulangerie"] == ["Bakery"]


@pytest.mark.browser
@pytest.mark.slow
def test_english_search_finds_bakeries_in_english(chromium, demo_url):
    from hardening import wait_for_search, watched_page

    with watched_page(chromium) as (page, watch):  # the site's CSP on
        page.goto(demo_url + "en/recherche/?quoi=bakery&ou=Orl%C3%A9ans")
        slugs = wait_for_search(page)
        french = []
        with watched_page(chromium) as (page_fr, _):
            page_fr.goto(demo_url + "recherche/?quoi=boulangerie&ou=Orl%C3%A9ans")
            french = wait_for_search(page_fr)
        status = page.inner_text("#etat")
        assert slugs and slugs == french
        assert "boulangerie-du-loiret" in slugs
        assert "within" in status and "nearest first" in status, status
        assert page.inner_text("#resultats .tag >> nth=0") == "Bakery"
        assert page.get_attribute(f'#resultats [data-slug="{slugs[0]}"] h3 a', "href") == f"/en/commercants/{slugs[0]}/"
        assert page.inner_text("label[for=quoi]") == "What?"
        assert watch.clean() == {}
