"""Accessibility in Chromium: axe-core finds no serious or critical violation on the main pages; the search
(and the registration form, once published) can be completed with the keyboard alone; focus is visible;
every page is in French, but those under /en/, which are in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening import axe_violations, parse_page, wait_for_search, watched_page


def first(site: Path, folder: str) -> str:
    pages = sorted((site / folder).glob("*/index.html"))
    assert pages, folder
    return pages[0].parent.relative_to(site).as_posix() + "/"


PAGES = [
    "accueil",
    "recherche",
    "commerce",
    "categories",
    "categorie",
    "communes",
    "commune",
    "introuvable",
    "inscription",
    "statistiques",
    "en-accueil",
    "en-recherche",
    "en-commerce",
    "en-commune",
    "en-favoris",
]


def pages_to_audit(site: Path) -> dict[str, str]:
    return {
        "accueil": "",
        "recherche": "recherche/?quoi=fleuriste&ou=Montargis",
        "commerce": first(site, "commercants"),
        "categories": "categories/",
        "categorie": first(site, "categories"),
        "communes": "communes/",
        "commune": first(site, "communes"),
        "introuvable": "404.html",
        "inscription": "inscription/",
        "statistiques": "statistiques/",
        "en-accueil": "en/",
        "en-recherche": "en/recherche/?quoi=bakery&ou=Orl%C3%A9ans",
        "en-commerce": "en/" + first(site, "commercants"),
        "en-commune": "en/" + first(site, "communes"),
        "en-favoris": "en/favoris/",
    }


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_axe_violation(chromium, demo_site, demo_url, name):
    path = pages_to_audit(demo_site)[name]
    if not (demo_site / path.split("?")[0]).exists():
        pytest.skip(f"pas encore de page {path} dans le site")
    with watched_page(chromium, bypass_csp=True) as (page, watch):  # the CSP would block the injected axe
        page.goto(demo_url + path)
        page.wait_for_load_state("networkidle")
        if name.endswith("recherche") and page.locator("script[src*='search']").count():
            assert wait_for_search(page), "the search shows results before the audit"
        assert axe_violations(page) == []
        assert watch.clean() == {}


def test_axe_does_find_violations(chromium, tmp_path):
    """The audit is not vacuous: a page with known faults gets reported."""
    from hardening import serve_dir

    (tmp_path / "index.html").write_text(
        '<!doctype html><html><head><title>t</title></head><body><img src="x.png">'
        '<p style="color:#ccc;background:#fff">gris pâle</p><input type="text"></body></html>',
        encoding="utf-8",
    )
    with serve_dir(tmp_path) as url, watched_page(chromium, bypass_csp=True) as (page, _):
        page.goto(url)
        found = " ".join(axe_violations(page))
    for rule in ("html-has-lang", "image-alt", "color-contrast", "label"):
        assert rule in found


@pytest.mark.slow
def test_every_page_is_in_french(demo_site):
    wrong = []
    for path in demo_site.rglob("*.html"):
        elements = parse_page(path.read_text(encoding="utf-8")).elements
        lang = "en" if path.relative_to(demo_site).parts[0] == "en" else "fr"
        if not elements or elements[0] != ("html", {"lang": lang}):
            wrong.append(path.relative_to(demo_site).as_posix())
    assert wrong == []


def focus_report(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').slice(0, 40),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                shadow: style.boxShadow !== 'none',
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
                         && box.top < innerHeight + scrollY + 10000 && box.left < innerWidth};
    }""")


def test_focus_is_always_visible_on_the_home_page(chromium, demo_url):
    with watched_page(chromium) as (page, watch):
        page.goto(demo_url)
        seen = []
        for _ in range(25):
            page.keyboard.press("Tab")
            report = focus_report(page)
            if report["tag"] == "body":
                break
            seen.append(report)
        assert len(seen) >= 10
        invisible = [r for r in seen if not (r["visible"] and (r["outline"] or r["shadow"]))]
        assert invisible == []
        assert seen[0]["text"] == "Aller au contenu"  # the skip link comes first, and shows when focused
        assert watch.clean() == {}


def test_skip_link_moves_to_the_content(chromium, demo_url):
    with watched_page(chromium) as (page, _):
        page.goto(demo_url + "categories/")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**#contenu")  # the link is followed once the key is handled, not before
        page.keyboard.press("Tab")
        inside_main = page.evaluate("() => !!document.activeElement.closest('main')")
        assert inside_main


def test_search_with_the_keyboard_alone(chromium, demo_url):
    with watched_page(chromium) as (page, watch):
        page.goto(demo_url + "recherche/")
        label_to_field = {}
        for _ in range(30):
            page.keyboard.press("Tab")
            report = focus_report(page)
            if report["tag"] == "input" and report["id"] in ("quoi", "ou"):
                label_to_field[report["id"]] = True
                page.keyboard.type("fleuriste" if report["id"] == "quoi" else "Montargis")
            if len(label_to_field) == 2:
                break
        assert set(label_to_field) == {"quoi", "ou"}
        page.keyboard.press("Enter")
        page.wait_for_url("**/recherche/?*quoi=fleuriste*")
        assert "Montargis" in page.url
        if wait_for_search(page):  # with the search script: the results are reachable with Tab
            for _ in range(40):
                page.keyboard.press("Tab")
                if page.evaluate("() => !!document.activeElement.closest('#resultats')"):
                    break
            else:
                pytest.fail("no result reached with the Tab key")
            assert focus_report(page)["outline"] or focus_report(page)["shadow"]
        assert watch.clean() == {}
