"""The town-hall widget (/widget/): a commune's shops in a page other sites may frame, and the staff page
that writes the <iframe> snippet. Browser tests serve the site with its HTTP security headers
(`ccdir.site.security.headers_for`) and frame it from another loopback origin."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

from browser_support import local_page, wait_until
from hardening import axe_violations, watched_page

from ccdir.content.config import Settings
from ccdir.site.security import content_security_policy, headers_config, headers_for

SETTINGS = Settings()


@contextlib.contextmanager
def serve(root: Path, host: str, headers: bool) -> Iterator[str]:
    """Serve `root` on `host` (a free port), with the site's security headers when `headers`."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            if headers:
                for name, value in headers_for(SETTINGS, self.path.split("?")[0]).items():
                    self.send_header(name, value)
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def host_page(folder: Path, src: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="fr"><head><title>Mairie</title></head><body><h1>Mairie d\'Orléans</h1>'
        f'<iframe src="{src}" title="Commerces" width="600" height="600"></iframe></body></html>',
        encoding="utf-8",
    )
    return folder


def test_per_commune_files(demo_site):
    orleans = json.loads((demo_site / "widget/communes/45234.json").read_text(encoding="utf-8"))
    assert orleans["name"] == "Orléans" and orleans["dept"] == "45"
    panier = next(m for m in orleans["merchants"] if m["name"] == "Au Panier de La Source")
    assert panier == {
        "categories": ["primeur", "produits-fermiers"],
        "delivery": False,
        "labels": ["Primeur", "Produits fermiers"],
        "name": "Au Panier de La Source",
        "url": "/commercants/panier-de-la-source/",
        "pickup": "vendredi 15:00 – 19:00",
        "order": [
            ["Commander en ligne", "https://marche-local.example.net/boutiques/panier-de-la-source"],
            ["Appeler le 02 61 91 74 84", "tel:+33261917484"],
        ],
    }
    assert [m["name"] for m in orleans["merchants"]] == sorted(m["name"] for m in orleans["merchants"])


def test_only_the_widget_may_be_framed():
    assert headers_for(SETTINGS, "/communes/orleans-45/")["X-Frame-Options"] == "DENY"
    widget = headers_for(SETTINGS, "/widget/")
    assert "X-Frame-Options" not in widget
    assert widget["Content-Security-Policy"] == content_security_policy(SETTINGS, meta=False, frame_ancestors="*")
    only = Settings(widget_hosts=["https://www.ville-orleans.fr", "https://www.orleans-metropole.fr"])
    assert headers_for(only, "/widget/")["Content-Security-Policy"].endswith(
        "frame-ancestors https://www.ville-orleans.fr https://www.orleans-metropole.fr"
    )
    nginx = headers_config(only, "nginx")
    assert nginx.count("frame-ancestors 'none'") == 1 and "location /widget/ {\n" in nginx


def test_widget_in_an_iframe_on_another_origin(chromium, demo_site, tmp_path):
    with serve(demo_site, "127.0.0.1", headers=True) as site:
        host = host_page(tmp_path / "mairie", f"{site}widget/?commune=45234,45232&categorie=primeur,caviste")
        with serve(host, "localhost", headers=False) as mairie, local_page(chromium) as page:
            page.goto(mairie)
            frame = page.frame_locator("iframe")
            frame.locator("#widget-liste li.card").first.wait_for()
            names = frame.locator("#widget-liste h2").all_inner_texts()
            assert names == ["Au Panier de La Source", "Cave Saint-Marceau"]  # caviste or primeur, Orléans and Olivet
            assert frame.locator("#widget-etat").inner_text() == "2 commerces : commandez, puis retirez sur place."
            first = frame.locator("#widget-liste li.card").first
            assert first.locator("p.meta").inner_text() == "Primeur · Produits fermiers — Orléans"
            assert first.locator("a", has_text="Appeler le 02 61 91 74 84").get_attribute("href") == "tel:+33261917484"
            assert first.locator("h2 a").get_attribute("target") == "_blank"
            assert page.frames[1].url.startswith(site)


def test_other_pages_refuse_to_be_framed(chromium, demo_site, tmp_path):
    with serve(demo_site, "127.0.0.1", headers=True) as site:
        host = host_page(tmp_path / "mairie", f"{site}communes/orleans-45/")
        with serve(host, "localhost", headers=False) as mairie, local_page(chromium) as page:
            page.goto(mairie)
            page.wait_for_timeout(500)
            frame = page.frames[1]
            assert not frame.url.startswith(site)  # Chromium's error page instead
            assert "Orléans" not in frame.content()


def test_one_commune_title_and_empty_answers(chromium, demo_site):
    with serve(demo_site, "127.0.0.1", headers=True) as site, local_page(chromium) as page:
        page.set_default_timeout(90_000)  # three pages in a row on a loaded machine
        page.goto(f"{site}widget/?commune=45234")
        page.locator("#widget-liste li").first.wait_for()
        assert page.locator("h1").inner_text() == "Commerces en click & collect à Orléans"
        page.goto(f"{site}widget/?commune=45208&categorie=pizzeria")
        wait_until(page, "document.getElementById('widget-etat').textContent !== 'Chargement…'")
        assert page.locator("#widget-etat").inner_text() == "Aucun commerce inscrit pour l'instant."
        page.goto(f"{site}widget/")
        wait_until(page, "document.getElementById('widget-etat').textContent !== 'Chargement…'")
        assert (
            page.locator("#widget-etat").inner_text()
            == "Indiquez une commune dans l'adresse : ?commune= suivi de son code INSEE."
        )


def test_staff_page_writes_the_snippet(chromium, demo_site):
    with serve(demo_site, "127.0.0.1", headers=True) as site, local_page(chromium) as page:
        page.goto(f"{site}widget/integrer/")
        page.select_option("#widget-commune", ["45234", "45232"])
        page.select_option("#widget-categorie", "primeur")
        page.fill("#widget-hauteur", "450")
        assert page.input_value("#widget-code") == (
            '<iframe src="http://127.0.0.1:8000/widget/?commune=45232,45234&amp;categorie=primeur" '
            'title="Commerces en click &amp; collect" width="100%" height="450" loading="lazy"></iframe>'
        )
        page.select_option("#widget-commune", ["45234"])
        assert 'title="Commerces en click &amp; collect à Orléans"' in page.input_value("#widget-code")
        preview = page.locator("#widget-apercu iframe")
        assert preview.get_attribute("src") == "/widget/?commune=45234&categorie=primeur"  # served from here
        preview.content_frame.locator("h1", has_text="Commerces en click & collect à Orléans").wait_for()


def test_widget_pages_pass_axe(chromium, demo_site):
    with serve(demo_site, "127.0.0.1", headers=False) as site:
        for path in ("widget/?commune=45234", "widget/integrer/"):
            with watched_page(chromium, bypass_csp=True) as (page, watch):
                page.goto(site + path)
                page.wait_for_load_state("networkidle")
                assert axe_violations(page) == [], path
                assert watch.clean() == {}
