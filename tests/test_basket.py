"""The reservation basket on merchant pages: quantities, a pickup moment within the pickup hours, name and
phone become a prefilled e-mail or SMS to the merchant; the basket survives a reload; without JavaScript
the page still lists the products and how to order."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from browser_support import local_page
from conftest import make_project
from hardening import axe_violations, parse_page, serve_dir, watched_page

from ccdir.build.pipeline import BuildOptions, build

TUESDAY_9 = dt.datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
PAGE = "commercants/maison-feuilletee/"
EXPECTED = """Bonjour,

Je souhaite commander chez Maison Feuilletée, pour un retrait en boutique :
- 2 × Pithiviers 8 parts : 56,00 €
- 1 × Macarons x12 : 14,00 €
- 1 × Entremets sur mesure (prix selon le nombre de parts) (prix à confirmer)
Total : 70,00 € (sans les articles au prix à confirmer)

Retrait souhaité : mercredi 9 décembre à 10:30
Nom : Marie Dupont
Téléphone : 06 12 34 56 78

Merci de me confirmer la commande."""


def body_of(href: str) -> str:
    query = urlsplit(href).query
    return unquote(dict(part.split("=", 1) for part in query.split("&"))["body"])


def fill(page) -> None:
    page.fill("#panier input[data-product='Pithiviers 8 parts']", "2")
    page.fill("#panier input[data-product='Macarons x12']", "1")
    page.fill("#panier input[data-product^='Entremets']", "1")
    page.select_option("#panier-retrait", "2026-12-09T10:30")
    page.fill("#panier-nom", "Marie Dupont")
    page.fill("#panier-tel", "06 12 34 56 78")


def test_basket_writes_the_exact_email_and_survives_a_reload(chromium, demo_url):
    with local_page(chromium) as page:
        page.clock.set_fixed_time(TUESDAY_9)
        page.goto(demo_url + PAGE)
        page.locator("#panier").wait_for(state="visible")
        groups = page.eval_on_selector_all("#panier-retrait optgroup", "gs => gs.map(g => g.label)")
        assert groups == [
            "Demain, mercredi 9 décembre",
            "Jeudi 10 décembre",
            "Vendredi 11 décembre",
        ]  # closed on Tuesdays
        first = page.eval_on_selector_all(
            "#panier-retrait optgroup:first-child option", "os => os.map(o => o.textContent)"
        )
        assert first == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"]  # 08:00-12:30
        page.click("#envoyer-email")  # nothing chosen yet: says what is missing instead of sending
        assert page.inner_text("#panier-erreur") == (
            "Avant d'envoyer : choisissez au moins un produit, indiquez "
            "votre nom, indiquez un numéro de téléphone complet."
        )
        fill(page)
        assert page.inner_text("#panier-erreur") == ""
        assert page.inner_text("#panier-message") == EXPECTED
        href = page.get_attribute("#envoyer-email", "href")
        subject = quote("Commande click & collect — Maison Feuilletée")
        assert href.startswith(f"mailto:bonjour@maison-feuilletee.example.org?subject={subject}&body=")
        assert body_of(href) == EXPECTED.replace("\n", "\r\n")
        page.reload()
        page.locator("#panier").wait_for(state="visible")
        assert page.input_value("#panier input[data-product='Pithiviers 8 parts']") == "2"
        assert page.input_value("#panier-retrait") == "2026-12-09T10:30"
        assert body_of(page.get_attribute("#envoyer-email", "href")) == EXPECTED.replace("\n", "\r\n")
        page.click("#panier-vider")
        assert "- " not in page.inner_text("#panier-message")


def test_pickup_today_starts_after_now(chromium, demo_url):
    with local_page(chromium) as page:
        page.clock.set_fixed_time(TUESDAY_9 + dt.timedelta(days=1, hours=1, minutes=10))  # Wednesday 10:10
        page.goto(demo_url + PAGE)
        page.locator("#panier").wait_for(state="visible")
        label = page.eval_on_selector("#panier-retrait optgroup", "g => g.label")
        times = page.eval_on_selector_all(
            "#panier-retrait optgroup:first-child option", "os => os.map(o => o.textContent)"
        )
        assert label == "Aujourd'hui, mercredi 9 décembre" and times == ["11:00", "11:30", "12:00"]


def test_without_javascript_products_and_order_contacts_remain(chromium, demo_site, demo_url):
    html = (demo_site / PAGE / "index.html").read_text(encoding="utf-8")
    parsed = parse_page(html)
    basket = [attrs for tag, attrs in parsed.elements if attrs.get("id") == "panier"]
    assert basket and "hidden" in basket[0]
    with local_page(chromium, java_script_enabled=False) as page:
        page.goto(demo_url + PAGE)
        assert page.locator("#panier").is_hidden()
        assert "Pithiviers 8 parts — 28\u00a0€" in page.inner_text(".products")
        assert page.get_attribute("a:text('Commander par e-mail')", "href").startswith(
            "mailto:bonjour@maison-feuilletee.example.org"
        )


def test_no_basket_without_a_message_channel(demo_site):
    # Au Panier de La Source takes orders online and by phone only
    assert 'id="panier"' not in (demo_site / "commercants/panier-de-la-source/index.html").read_text(encoding="utf-8")


SMS_MERCHANT = """\
name: Fromagerie du Marché
kind: commerce
categories: [fromagerie]
address:
  postcode: "45200"
  city: Montargis
contact:
  phone: "06 12 34 56 78"
click_and_collect:
  order: [sms]
  pickup_hours: "Mo-Su 09:00-10:00"
products:
  - name: Crottin de Chavignol
    price: 2.5
"""


def test_sms_order(chromium, tmp_path):
    project = make_project(tmp_path, {"45/fromagerie.yaml": SMS_MERCHANT})
    build(project, BuildOptions(offline=True))
    with serve_dir(project.output) as url, local_page(chromium) as page:
        page.clock.set_fixed_time(TUESDAY_9)
        page.goto(url + "commercants/fromagerie/")
        page.fill("#panier input[data-product='Crottin de Chavignol']", "3")
        page.select_option("#panier-retrait", "2026-12-08T09:30")
        page.fill("#panier-nom", "Paul")
        page.fill("#panier-tel", "0612345679")
        href = page.get_attribute("#envoyer-sms", "href")
        assert href.startswith("sms:+33612345678?body=")
        assert body_of(href) == (
            "Bonjour,\n\nJe souhaite commander chez Fromagerie du Marché, pour un retrait en boutique :\n"
            "- 3 × Crottin de Chavignol : 7,50 €\nTotal : 7,50 €\n\nRetrait souhaité : mardi 8 décembre à 09:30\n"
            "Nom : Paul\nTéléphone : 0612345679\n\nMerci de me confirmer la commande."
        )
        assert page.locator("#envoyer-email").count() == 0


def test_basket_passes_axe(chromium, demo_url):
    with watched_page(chromium, bypass_csp=True) as (page, watch):
        page.goto(demo_url + PAGE)
        page.locator("#panier").wait_for(state="visible")
        assert axe_violations(page) == []
        assert watch.clean() == {}


HOLIDAY_MERCHANT = """\
name: {name}
kind: commerce
categories: [fromagerie]
address:
  postcode: "45200"
  city: Montargis
contact:
  email: {email}
click_and_collect:
  order: [email]
  pickup_hours: "{hours}"
products:
  - name: Crottin de Chavignol
    price: 2.5
"""
CHRISTMAS_EVE_9 = dt.datetime(2026, 12, 24, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.mark.slow
def test_no_pickup_on_a_public_holiday_when_the_hours_say_ph_off(chromium, tmp_path):
    from ccdir.content.hours import parse

    closed, usual = "Mo-Sa 09:00-10:00; PH off", "Mo-Sa 09:00-10:00"
    # the engine's answer, which the page must follow: closed on Christmas with « PH off », open without
    assert parse(closed).day_spans(dt.date(2026, 12, 25)) == () and parse(usual).day_spans(dt.date(2026, 12, 25))
    project = make_project(
        tmp_path,
        {
            "45/ferie.yaml": HOLIDAY_MERCHANT.format(
                name="Fromagerie Fériée", email="a@ferie.example.org", hours=closed
            ),
            "45/ouverte.yaml": HOLIDAY_MERCHANT.format(
                name="Crèmerie Ouverte", email="b@ouverte.example.org", hours=usual
            ),
        },
    )
    build(project, BuildOptions(offline=True))
    page_of = {
        slug: (project.output / f"commercants/{slug}/index.html").read_text(encoding="utf-8")
        for slug in ("ferie", "ouverte")
    }
    assert "data-holidays='[" in page_of["ferie"] and '"2026-12-25"' in page_of["ferie"]
    assert "data-holidays" not in page_of["ouverte"]  # without PH, a public holiday keeps its weekday's hours
    with serve_dir(project.output) as url, local_page(chromium) as page:
        page.clock.set_fixed_time(CHRISTMAS_EVE_9)
        page.goto(url + "commercants/ferie/")
        page.locator("#panier").wait_for(state="visible")
        groups = page.eval_on_selector_all("#panier-retrait optgroup", "gs => gs.map(g => g.label)")
        assert groups == ["Aujourd'hui, jeudi 24 décembre", "Samedi 26 décembre", "Lundi 28 décembre"]
        assert page.eval_on_selector_all(
            "#panier-retrait optgroup:first-child option", "os => os.map(o => o.value)"
        ) == ["2026-12-24T09:30"]
        page.fill("#panier input[data-product='Crottin de Chavignol']", "2")
        page.select_option("#panier-retrait", "2026-12-26T09:00")
        page.fill("#panier-nom", "Marie Dupont")
        page.fill("#panier-tel", "06 12 34 56 78")
        assert page.inner_text("#panier-message") == (
            "Bonjour,\n\nJe souhaite commander chez Fromagerie Fériée, pour un retrait en boutique :\n"
            "- 2 × Crottin de Chavignol : 5,00 €\nTotal : 5,00 €\n\nRetrait souhaité : samedi 26 décembre à 09:00\n"
            "Nom : Marie Dupont\nTéléphone : 06 12 34 56 78\n\nMerci de me confirmer la commande."
        )
        page.goto(url + "commercants/ouverte/")
        page.locator("#panier").wait_for(state="visible")
        groups = page.eval_on_selector_all("#panier-retrait optgroup", "gs => gs.map(g => g.label)")
        assert groups == ["Aujourd'hui, jeudi 24 décembre", "Demain, vendredi 25 décembre", "Samedi 26 décembre"]
