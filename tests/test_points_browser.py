"""Points of sale in the search page (Chromium): a producer with a farm and two markets is found from
each place's commune as the nearest result, with the right place and day (issue #18)."""

from __future__ import annotations

import functools
import http.server
import threading
from urllib.parse import urlencode

import pytest
from browser_support import SEARCH_ANSWERED, chromium, local_page, wait_until
from conftest import CASES
from test_points import PRODUCER, project_with

from ccdir.build.pipeline import BuildOptions, build

# Another cheese maker in Selles-sur-Cher's area, nearer Romorantin and Vierzon than the farm is.
OTHER = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")


def other_cheese(name: str, postcode: str, city: str, lat: float, lon: float) -> str:
    return (
        f'name: {name}\nkind: producteur\ncategories: [fromagerie]\naddress:\n  postcode: "{postcode}"\n'
        f'  city: {city}\n  lat: {lat}\n  lon: {lon}\ncontact:\n  phone: "02 54 00 00 00"\n'
        'click_and_collect:\n  order: [phone]\n  pickup_hours: "Mo-Sa 09:00-18:00"\n'
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    farm = PRODUCER.replace(
        "click_and_collect:\n  order: [phone]\n",
        'click_and_collect:\n  order: [phone]\n  pickup_hours: "Mo-Sa 17:30-19:00"\n',
    )
    # Halfway between the farm and each market: nearer each market than the farm, farther than the market.
    project = project_with(
        tmp_path_factory.mktemp("points-browser"),
        producer=farm,
        **{
            "41-loir-et-cher/fromages-de-gy.yaml": other_cheese(
                "Fromages de Gy", "41230", "Gy-en-Sologne", 47.3431, 1.6048
            ),
            "18-cher/chevres-de-mery.yaml": other_cheese("Chèvres de Méry", "18100", "Méry-sur-Cher", 47.2503, 1.9900),
        },
    )
    build(project, BuildOptions(offline=True, strict=True))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(project.output)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, server):
    with local_page(browser, locale="fr-FR", timezone_id="Europe/Paris") as pg:
        pg.base = server
        yield pg


def first_result(page, **params) -> tuple[str, str, str]:
    """(slug, commune shown, point line) of the first result."""
    page.goto(f"{page.base}/recherche/?{urlencode(params)}")
    wait_until(page, SEARCH_ANSWERED)
    first = page.locator("#resultats [data-slug]").first
    return (
        first.get_attribute("data-slug"),
        first.locator(".where").inner_text(),
        first.locator(".point").inner_text(),
    )


@pytest.mark.parametrize(
    "commune, where, point",
    [
        ("Selles-sur-Cher", "Selles-sur-Cher (41)", "à Selles-sur-Cher, du lundi au samedi 17 h 30 – 19 h, à "),
        (
            "Romorantin-Lanthenay",
            "Romorantin-Lanthenay (41)",
            "au marché de Romorantin-Lanthenay, mercredi 8 h – 12 h 30, à ",
        ),
        ("Vierzon", "Vierzon (18)", "au marché de Vierzon, samedi 8 h – 12 h, à "),
    ],
)
def test_found_from_each_place_with_its_place_and_day(page, commune, where, point):
    slug, shown, line = first_result(page, quoi="fromagerie", ou=commune)
    assert (slug, shown) == ("chevrerie", where)
    assert line.startswith(point) and line.endswith("\u00a0km")
    assert page.locator('#resultats [data-slug="chevrerie"]').count() == 1  # one result per merchant


def test_open_now_applies_to_each_point(page):
    page.clock.set_fixed_time("2024-06-05T09:00:00+02:00")  # a Wednesday, 9:00: only the Romorantin market is open
    slug, shown, line = first_result(page, quoi="chevrerie", ou="Vierzon", ouvert="1", rayon="50")
    assert (slug, shown) == ("chevrerie", "Romorantin-Lanthenay (41)")
    assert line.startswith("au marché de Romorantin-Lanthenay, mercredi 8 h – 12 h 30, à ")


def test_merchant_page_shows_the_next_opening_of_each_point(page):
    page.clock.set_fixed_time("2024-06-05T07:00:00+02:00")  # a Wednesday, 7:00 in France
    page.goto(f"{page.base}/commercants/chevrerie/")
    page.wait_for_selector(".point .next-opening:not([hidden])")
    assert page.eval_on_selector_all(".point .next-opening", "els => els.map(e => e.textContent)") == [
        "Prochaine ouverture : aujourd'hui à 8 h",  # Romorantin, Wednesday
        "Prochaine ouverture : samedi à 8 h",  # Vierzon market
        "Prochaine ouverture : vendredi à 17 h",  # the drive
        "Prochaine ouverture : dimanche à 8 h",  # Salbris
    ]
    page.clock.set_fixed_time("2024-06-05T09:00:00+02:00")
    page.reload()
    page.wait_for_selector(".point .next-opening:not([hidden])")
    assert page.inner_text(".point .next-opening") == "Ouvert maintenant, jusqu'à 12 h 30"
