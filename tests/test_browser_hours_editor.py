"""The day-by-day hours editor of the registration form (templates/assets/inscription/hours-editor.js), in
Chromium on the demo site: a merchant fills it (rows, shortcuts, lunch closure, public holidays) and
the OSM value it writes is the one Python accepts; an existing value comes back into the rows on an
edit; French free text is normalised; a value rows cannot show leaves the text field alone."""

from __future__ import annotations

import pytest
from hardening import axe_violations, watched_page
from playwright.sync_api import expect

from ccdir.content.hours import parse, validate_hours

pytestmark = pytest.mark.browser


def next_step(page):
    page.get_by_role("button", name="Suivant").click()


def to_hours_step(page):
    """A new entry, filled up to the hours step (each step must be valid to go on)."""
    page.get_by_label("Nom du commerce").fill("Fleurs du Mail")
    next_step(page)
    page.get_by_label("Chercher une catégorie").fill("bouquet")
    page.get_by_label("Fleuriste").check()
    next_step(page)
    page.get_by_label("Numéro et rue").fill("3 rue Royale")
    page.get_by_label("Code postal").fill("45000")
    page.get_by_label("Commune").fill("Orléans")
    next_step(page)
    page.get_by_role("textbox", name="Téléphone (facultatif)").fill("02 38 11 22 33")
    page.get_by_label("Par téléphone").check()
    next_step(page)
    page.get_by_role("heading", name="5. Horaires").wait_for()


def day(page, name):
    return box(page).get_by_role("group", name=name, exact=True)


def opening(page):
    return page.locator('[name="opening_hours"]')


def box(page):
    """The opening hours field and its editor (the pickup hours field has its own)."""
    return page.locator('[data-field="opening_hours"]')


def summary(page):
    return page.locator('[data-field="opening_hours"] .he-summary')


def test_a_merchant_fills_the_week_and_python_accepts_what_is_written(chromium, demo_url):
    with watched_page(chromium, viewport={"width": 360, "height": 800}) as (page, watch):
        page.goto(demo_url + "inscription/")
        to_hours_step(page)
        expect(page.get_by_text("Mo", exact=True)).to_have_count(0)  # French day names only
        monday = day(page, "Lundi")
        monday.get_by_label("Ce jour-là").select_option(label="matin et après-midi")
        monday.get_by_label("ouverture", exact=True).fill("09:00")
        monday.get_by_label("fermeture", exact=True).fill("12:30")
        monday.get_by_label("réouverture").fill("14:00")
        monday.get_by_label("fermeture le soir").fill("19:00")
        box(page).get_by_role("button", name="Du lundi au samedi comme le lundi").click()
        sunday = day(page, "Dimanche")
        sunday.get_by_label("Ce jour-là").select_option(label="journée continue")
        sunday.get_by_label("ouverture", exact=True).fill("09:00")
        sunday.get_by_label("fermeture", exact=True).fill("12:30")
        box(page).get_by_role("group", name="Jours fériés").get_by_label("fermé").check()

        value = opening(page).input_value()
        assert value == "Mo-Sa 09:00-12:30,14:00-19:00; Su 09:00-12:30; PH off"
        assert validate_hours(value) == value  # Python takes it as written, nothing to rewrite
        assert parse(value).schema_org()  # and can evaluate it
        assert summary(page).inner_text() == (
            "Du lundi au samedi, 9 h – 12 h 30 et 14 h – 19 h ; le dimanche, "
            "9 h – 12 h 30 ; fermé les jours fériés. Enregistré ainsi : " + value
        )
        assert page.locator('[data-error-for="opening_hours"]').is_hidden()

        # « Fermé le midi » off: every open day becomes one span; on again: the lunch break comes back.
        lunch = box(page).get_by_label("Fermé le midi")
        expect(lunch).to_be_checked()
        lunch.uncheck()
        assert opening(page).input_value() == "Mo-Sa 09:00-19:00; Su 09:00-12:30; PH off"
        lunch.check()  # Sunday morning has no lunch break to add
        assert opening(page).input_value() == "Mo-Sa 09:00-12:30,14:00-19:00; Su 09:00-12:30; PH off"

        # Keyboard only: Wednesday closed, then Saturday's hours copied to every day.
        wednesday = day(page, "Mercredi").get_by_label("Ce jour-là")
        wednesday.focus()
        page.keyboard.press("Home")  # « fermé », the first choice
        value = opening(page).input_value()
        assert value == "Mo,Tu,Th-Sa 09:00-12:30,14:00-19:00; Su 09:00-12:30; PH off"
        assert validate_hours(value) == value
        day(page, "Samedi").get_by_role("button", name="Copier sur les autres jours").focus()
        page.keyboard.press("Enter")
        assert opening(page).input_value() == "Mo-Su 09:00-12:30,14:00-19:00; PH off"

        # Times out of order: a French message, and the field keeps the last good value.
        day(page, "Lundi").get_by_label("fermeture le soir").fill("11:00")
        expect(box(page).get_by_role("alert")).to_contain_text("Lundi : chaque heure doit suivre la précédente")
        assert opening(page).input_value() == "Mo-Su 09:00-12:30,14:00-19:00; PH off"
        day(page, "Lundi").get_by_label("fermeture le soir").fill("19:00")
        expect(box(page).get_by_role("alert")).to_be_hidden()

        # Mobile first: nothing wider than a 360 px screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert watch.clean() == {}


def test_an_existing_value_comes_back_into_the_rows(chromium, demo_url):
    with watched_page(chromium) as (page, watch):
        page.goto(demo_url + "inscription/?modifier=au-pain-des-marais")
        page.get_by_role("heading", name="Modifier la fiche « Au Pain des Marais »").wait_for()
        assert opening(page).input_value() == "Mo,Tu,Th,Fr,Sa 06:30-13:30,15:00-19:30; Su 07:00-13:00; We off"
        for _ in range(4):
            next_step(page)
        monday = day(page, "Lundi")
        expect(monday.get_by_label("Ce jour-là")).to_have_value("split")
        assert [
            monday.get_by_label(name, exact=True).input_value()
            for name in ("ouverture", "fermeture", "réouverture", "fermeture le soir")
        ] == ["06:30", "13:30", "15:00", "19:30"]
        expect(day(page, "Mercredi").get_by_label("Ce jour-là")).to_have_value("closed")
        expect(day(page, "Dimanche").get_by_label("Ce jour-là")).to_have_value("continuous")
        expect(day(page, "Dimanche").get_by_label("fermeture", exact=True)).to_have_value("13:00")
        expect(summary(page)).to_contain_text(
            "Lundi, mardi et du jeudi au samedi, 6 h 30 – 13 h 30 et 15 h – 19 h 30 ; le dimanche, 7 h – 13 h."
        )
        # Opening on Wednesday like Monday regroups the days.
        day(page, "Mercredi").get_by_label("Ce jour-là").select_option("split")
        day(page, "Mercredi").get_by_label("ouverture", exact=True).fill("06:30")
        day(page, "Mercredi").get_by_label("fermeture", exact=True).fill("13:30")
        day(page, "Mercredi").get_by_label("réouverture").fill("15:00")
        day(page, "Mercredi").get_by_label("fermeture le soir").fill("19:30")
        assert opening(page).input_value() == "Mo-Sa 06:30-13:30,15:00-19:30; Su 07:00-13:00"
        assert watch.clean() == {}


def test_french_free_text_is_normalised_and_shown(chromium, demo_url):
    with watched_page(chromium, bypass_csp=True) as (page, watch):  # bypass only to inject axe at the end
        page.goto(demo_url + "inscription/")
        to_hours_step(page)
        opening(page).fill("du mardi au samedi 9h-12h / 14h-19h, fermé les jours fériés")
        expect(summary(page)).to_have_text(
            "Du mardi au samedi, 9 h – 12 h et 14 h – 19 h ; fermé les jours fériés. "
            "Enregistré ainsi : Tu-Sa 09:00-12:00,14:00-19:00; PH off"
        )
        expect(day(page, "Mardi").get_by_label("Ce jour-là")).to_have_value("split")  # the rows follow
        expect(day(page, "Lundi").get_by_label("Ce jour-là")).to_have_value("closed")
        assert validate_hours(opening(page).input_value()) == "Tu-Sa 09:00-12:00,14:00-19:00; PH off"

        # A value the rows cannot show: free text mode, the field alone, its normalised value still shown.
        opening(page).fill("Mo-Fr 08:00-18:00; Dec 24 08:00-12:00")
        expect(
            box(page).get_by_text("Texte libre : ces horaires ne peuvent pas être affichés jour par jour")
        ).to_be_visible()
        expect(day(page, "Lundi")).to_be_hidden()
        expect(summary(page)).to_have_text("Enregistré ainsi : Mo-Fr 08:00-18:00; Dec 24 08:00-12:00")
        box(page).get_by_role("button", name="Saisir jour par jour").click()
        expect(day(page, "Lundi")).to_be_visible()  # starting over, day by day
        assert axe_violations(page) == []
        assert watch.clean() == {}
