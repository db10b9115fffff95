"""In Chromium: every page of the site built from the hostile corpus's valid cases loads with no dialog, no
script execution, no console error and no request to another host; the CSP meta tag really is enforced."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_support import wait_until
from hardening import serve_dir, watched_page


def test_every_nasty_page_loads_quietly(chromium, nasty_site, nasty_url):
    pages = [p.relative_to(nasty_site.root).as_posix() for p in nasty_site.pages()]
    assert len(pages) > 40
    with watched_page(chromium) as (page, watch):
        for rel in pages:
            response = page.goto(nasty_url + rel.removesuffix("index.html"))
            assert response is not None and response.status == 200, rel
            # Let anything deferred (onload/onerror handlers, timers) run before looking.
            page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        assert watch.clean() == {}


def test_nasty_names_show_as_text(chromium, nasty_url):
    with watched_page(chromium) as (page, watch):
        page.goto(nasty_url + "commercants/markup-name-script/")
        assert page.locator("h1").inner_text() == "Boutique <script>alert(1)</script>"
        page.goto(nasty_url + "commercants/markup-description-html/")
        assert "<iframe" in page.locator(".description").inner_text()
        assert page.locator("iframe, .description b, .description a").count() == 0
        assert watch.clean() == {}


def test_right_to_left_text_reads_right_to_left_without_upsetting_the_page(chromium, nasty_url):
    """An Arabic name or a Hebrew description is laid out right to left (`dir="auto"`); the page stays
    left to right around it."""
    direction = "el => getComputedStyle(el).direction"
    with watched_page(chromium) as (page, watch):
        page.goto(nasty_url + "commercants/rtl-arabic-name/")
        assert page.locator("h1").evaluate(direction) == "rtl"
        assert page.locator("main h2").first.evaluate(direction) == "ltr"
        page.goto(nasty_url + "commercants/rtl-hebrew-description/")
        assert page.locator(".description").evaluate(direction) == "rtl"
        assert page.locator("h1").evaluate(direction) == "ltr"  # its name is written in Latin letters
        page.goto(nasty_url + "categories/fleuriste/")
        card = page.locator('[data-slug="rtl-arabic-name"] h3 a')
        assert card.evaluate(direction) == "rtl"
        assert watch.clean() == {}


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "%3Cscript%3E",
        "{{7*7}}",
        "\u202eevil",
    ],
)
def test_search_page_with_hostile_query(chromium, nasty_url, query):
    with watched_page(chromium) as (page, watch):
        page.goto(f"{nasty_url}recherche/?quoi={quote(query)}&ou={quote(query)}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(100)
        assert watch.clean() == {}


def test_the_policy_is_enforced_and_the_watch_sees_it(chromium, nasty_site, tmp_path):
    """A page with the site's meta CSP and inline code: Chromium refuses to run it, and we notice."""
    home = (nasty_site.root / "index.html").read_text(encoding="utf-8")
    head = home.split("<title>", 1)[0]
    (tmp_path / "index.html").write_text(
        head + "<title>t</title></head><body><script>alert('inline')</script>"
        '<img src=x onerror="alert(\'handler\')"><p style="color:red">x</p>'
        '<img src="https://tiles.example.org/1/1/1.png" alt=""><img src="https://evil.example.org/x.png" alt="">'
        "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "nocsp.html").write_text(
        "<!doctype html><title>t</title><script>alert('nocsp')</script>", encoding="utf-8"
    )
    with serve_dir(tmp_path) as url, watched_page(chromium) as (page, watch):
        page.goto(url)
        page.wait_for_timeout(200)
        assert watch.dialogs == []
        refused = " ".join(watch.errors)
        assert "Content Security Policy" in refused and "inline" in refused
        assert "https://evil.example.org/x.png" in refused  # not in img-src: refused by the browser itself
        assert watch.foreign == ["https://tiles.example.org/1/1/1.png"]  # allowed tile server: blocked by the test
        page.goto(url + "nocsp.html")
        page.wait_for_timeout(100)
        assert watch.dialogs == ["alert: nocsp"]  # the watch does see scripts that run


def test_edit_and_removal_forms_prefilled_with_nasty_merchants(chromium, nasty_site, nasty_url):
    """The registration form fills itself from fiche.json: nasty names must stay text there too."""
    from hardening import safe_cases

    from ccdir.content.validate import read_entry

    nasty = [c for c in safe_cases() if c.stem.startswith(("markup-", "homoglyph-", "emoji-", "rtl-"))]
    if not (nasty_site.root / "inscription" / "index.html").exists():
        pytest.skip("pas de formulaire d'inscription dans le site")
    with watched_page(chromium) as (page, watch):
        for case in nasty:
            entry, _ = read_entry(case, case.name, None)
            name = entry.merchant.name
            page.goto(f"{nasty_url}inscription/?modifier={case.stem}")
            wait_until(page, "() => document.getElementById('titre').textContent.startsWith('Modifier')")
            assert page.locator("#titre").inner_text() == f"Modifier la fiche « {name} »"
            assert page.locator("[name=name]").input_value() == name
            page.goto(f"{nasty_url}inscription/?retirer={case.stem}")
            wait_until(page, "() => document.getElementById('titre').textContent.startsWith('Retirer')")
            assert page.locator("#titre").inner_text() == f"Retirer la fiche « {name} »"
        page.goto(f"{nasty_url}inscription/?modifier={quote('<img src=x onerror=alert(1)>')}")
        page.wait_for_load_state("networkidle")
        assert watch.clean() == {}


def _search_site(nasty_site) -> None:
    if not (nasty_site.root / "search" / "manifest.json").exists():
        pytest.skip("pas encore d'index de recherche dans le site")


def test_search_results_show_nasty_merchants_as_text(chromium, nasty_site, nasty_url):
    from hardening import safe_cases, wait_for_search

    from ccdir.content.validate import read_entry

    _search_site(nasty_site)
    names = {c.stem: read_entry(c, c.name, None)[0].merchant.name for c in safe_cases()}
    with watched_page(chromium) as (page, watch):
        page.goto(f"{nasty_url}recherche/?quoi=boutique&ou=Montargis")
        slugs = wait_for_search(page)
        assert len(slugs) >= 10
        while page.locator("#plus").is_visible():  # every result, not only the first page of them
            page.click("#plus")
            wait_until(page, f"() => document.querySelectorAll('#resultats [data-slug]').length > {len(slugs)}")
            slugs = page.eval_on_selector_all("#resultats [data-slug]", "els => els.map(e => e.dataset.slug)")
        shown = dict(
            zip(slugs, page.eval_on_selector_all("#resultats [data-slug] h3", "els => els.map(e => e.textContent)"))
        )
        assert {slug: shown[slug] for slug in shown if slug in names} == {
            slug: names[slug] for slug in shown if slug in names
        }
        assert len(shown) > len(names) // 2
        for payload in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>'):
            page.goto(f"{nasty_url}recherche/?quoi={quote(payload)}&ou=Montargis")
            wait_for_search(page)
        assert page.locator("#resultats img, #resultats svg, #resultats script").count() == 0
        assert watch.clean() == {}


def test_map_loads_only_from_the_configured_tile_server(chromium, nasty_site, nasty_url):
    from hardening import wait_for_search

    _search_site(nasty_site)
    with watched_page(chromium, fake_hosts=("tiles.example.org",)) as (page, watch):
        page.goto(f"{nasty_url}recherche/?quoi=boutique&ou=Montargis")
        wait_for_search(page)
        page.click("#voir-carte")
        wait_until(page, "() => document.querySelectorAll('#carte img').length > 0")
        page.wait_for_load_state("networkidle")
        assert watch.faked and all(url.startswith("https://tiles.example.org/") for url in watch.faked)
        assert watch.clean() == {}  # no CSP refusal, no other host
