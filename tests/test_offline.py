"""Installable and offline: manifest, icons, service worker; ★ favourites kept in localStorage and listed on
/favoris/; once visited, pages, favourites and searches open without a connection."""

from __future__ import annotations

import json

from browser_support import wait_until
from hardening import axe_violations, wait_for_search, watched_page

PAGE = "commercants/maison-feuilletee/"
SEARCH = "recherche/?quoi=primeur&ou=Orl%C3%A9ans"


def test_manifest_icons_and_worker_are_published(demo_site):
    manifest = json.loads((demo_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["lang"] == "fr"
    for icon in manifest["icons"]:
        assert (demo_site / icon["src"].lstrip("/")).is_file(), icon
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="manifest" href="/manifest.webmanifest">' in home
    assert '<script type="module" src="/assets/extras/offline.js"></script>' in home
    worker = (demo_site / "sw.js").read_text(encoding="utf-8")
    assert '"/recherche/", "/favoris/"' in worker and "/assets/search/engine.js" in worker


def cached(page, path: str) -> bool:
    return page.evaluate("async (path) => !!(await caches.match(path, { ignoreSearch: true }))", path)


def test_favourites_and_visited_pages_offline(chromium, demo_url):
    context = chromium.new_context(locale="fr-FR", service_workers="allow")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(demo_url)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.goto(demo_url + PAGE)
        wait_until(page, "navigator.serviceWorker.controller !== null")
        star = page.locator("#favori")
        assert star.inner_text() == "☆ Ajouter à mes favoris" and star.get_attribute("aria-pressed") == "false"
        star.click()
        assert star.inner_text() == "★ Dans mes favoris" and star.get_attribute("aria-pressed") == "true"
        page.goto(demo_url + SEARCH)
        online = wait_for_search(page)
        assert online, "the search finds primeurs near Orléans"
        page.goto(demo_url + "favoris/")
        page.locator("#favoris li").first.wait_for()
        wait_until(
            page,
            """async () => !!(await caches.match('/commercants/maison-feuilletee/'))
            && !!(await caches.match('/favoris/')) && !!(await caches.match('/recherche/'))""",
        )

        context.set_offline(True)
        page.reload()
        assert page.locator("#favoris li a").all_inner_texts() == ["Maison Feuilletée"]
        assert page.inner_text("#favoris-etat") == "1 commerce en favori."
        page.click("#favoris li a")
        page.wait_for_url("**/" + PAGE)
        assert page.inner_text("h1") == "Maison Feuilletée"
        assert page.locator("#favori").get_attribute("aria-pressed") == "true"
        page.goto(demo_url + SEARCH)
        assert wait_for_search(page) == online  # the shards already used
        page.goto(demo_url + "commercants/cave-saint-marceau/")  # never visited
        assert page.inner_text("h1") == "Hors connexion"
        page.goto(demo_url + "favoris/")
        page.click("#favoris li button")
        assert page.inner_text("#favoris-etat").startswith("Aucun favori pour l'instant")
    finally:
        context.close()
    assert errors == []


def test_favourites_page_passes_axe(chromium, demo_url):
    with watched_page(chromium, bypass_csp=True) as (page, watch):
        page.goto(demo_url + PAGE)
        page.click("#favori")
        for path in ("favoris/", "hors-ligne/"):
            page.goto(demo_url + path)
            page.wait_for_load_state("networkidle")
            assert axe_violations(page) == [], path
        assert watch.clean() == {}
