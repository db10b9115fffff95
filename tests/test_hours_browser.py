"""« Ouvert maintenant » on the search page honours public holidays and periods of the year (Chromium).

A scratch site with four florists in Montargis; the page's clock is set with Playwright to 1 May 2026
(a Friday, a public holiday) and to the Monday after; the results must be exactly the shops open then.
"""

from __future__ import annotations

import functools
import http.server
import threading
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from browser_support import chromium, local_page, search_results
from conftest import make_project

from ccdir.build.pipeline import BuildOptions, build

pytestmark = pytest.mark.browser

SHOP = """name: {name}
kind: commerce
categories: [fleuriste]
address:
  postcode: "45200"
  city: Montargis
  lat: 47.99{n}
  lon: 2.73{n}
contact:
  phone: "+33 2 61 91 00 1{n}"
click_and_collect:
  order: [phone]
opening_hours: "{hours}"
updated: 2020-11-05
"""
SHOPS = {
    "ferie-ferme": "Mo-Sa 09:00-19:00; PH off",
    "ferie-matin": "Mo-Sa 09:00-19:00; PH 10:00-12:00",
    "sans-ferie": "Mo-Sa 09:00-19:00",
    "conges-mai": "du lundi au samedi 9h-19h, fermé du 1er au 10 mai",  # French, normalised by the build
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hours-site")
    merchants = {
        f"45-loiret/{slug}.yaml": SHOP.format(name=f"Fleurs {slug}", n=n, hours=hours)
        for n, (slug, hours) in enumerate(SHOPS.items(), start=1)
    }
    project = make_project(root, merchants)
    build(project, BuildOptions(offline=True))
    return project.output


@pytest.fixture(scope="module")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def open_now(browser, server, when: str) -> list[str]:
    with local_page(browser, locale="fr-FR", timezone_id="Europe/Paris") as page:
        page.clock.set_fixed_time(datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Europe/Paris")))
        page.goto(f"{server}/recherche/?{urlencode({'quoi': 'fleuriste', 'ou': 'Montargis', 'ouvert': '1'})}")
        return sorted(search_results(page))


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2026-05-01T09:30", ["sans-ferie"]),  # 1 May (a Friday): PH off closed all day, PH hours from 10:00
        ("2026-05-01T11:00", ["ferie-matin", "sans-ferie"]),
        ("2026-05-01T15:00", ["sans-ferie"]),
        ("2026-05-04T10:00", ["ferie-ferme", "ferie-matin", "sans-ferie"]),  # Monday, not a holiday; leave until 10 May
        ("2026-05-11T10:00", ["conges-mai", "ferie-ferme", "ferie-matin", "sans-ferie"]),
        ("2026-05-03T10:00", []),  # a Sunday
    ],
)
def test_open_now_on_public_holidays_and_periods(browser, server, when, expected):
    assert open_now(browser, server, when) == expected
