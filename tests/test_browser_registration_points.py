"""The registration form's points of sale (issue #18), in Chromium, through the bot to one new file."""

from __future__ import annotations

from botkit import changes, show
from test_browser_registration import browser, fill_new_entry, next_step, page, static_server, world  # noqa: F401

from ccdir.content import reader
from ccdir.content.model import Merchant


def test_new_entry_with_a_market_and_a_drive(world, page):
    page.goto(world["site"] + "inscription/")
    fill_new_entry(page, name="Chèvrerie du Mail")
    page.get_by_role("button", name="Précédent").click()
    first, second = page.locator("fieldset.point").all()
    first.get_by_label("Type de lieu").select_option(label="Marché")
    first.get_by_label("Marché de la liste").select_option("vierzon-samedi")
    second.get_by_label("Type de lieu").select_option("drive")
    second.get_by_label("CP du lieu").fill("18100")
    second.get_by_label("Ville du lieu").fill("Vierzon")
    second.get_by_label("Jours et heures").fill("Fr 17:00-19:00")
    next_step(page)
    page.locator('#apercu[data-checked="server"]').wait_for()
    page.get_by_label("J'accepte que ces informations soient publiées.").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.locator("#confirmation").wait_for()
    path = "content/merchants/45-loiret/chevrerie-du-mail.yaml"
    assert changes(world["remote"], "inscription/chevrerie-du-mail") == [("A", path)]
    saved = Merchant.model_validate(reader.parse(show(world["remote"], "inscription/chevrerie-du-mail", path)).data)
    assert [(p.kind, p.market, p.address and p.address.city, p.hours) for p in saved.points_of_sale] == [
        ("market", "vierzon-samedi", None, None),
        ("drive", None, "Vierzon", "Fr 17:00-19:00"),
    ]


def test_a_wrong_point_is_shown_on_its_field(world, page):
    page.goto(world["site"] + "inscription/")
    fill_new_entry(page, name="Chèvrerie du Quai")
    page.get_by_role("button", name="Précédent").click()
    first = page.locator("fieldset.point").first
    first.get_by_label("Type de lieu").select_option("farm")
    first.get_by_label("CP du lieu").fill("18100")
    first.get_by_label("Ville du lieu").fill("Bourges")
    next_step(page)
    error = page.locator('[data-error-for="points_of_sale.0.address.postcode"]')
    error.wait_for()  # the server's verdict, on the field, and the form back at its step
    assert "ne correspond pas à « Bourges »" in error.inner_text()
    assert first.get_by_label("CP du lieu").is_visible()
