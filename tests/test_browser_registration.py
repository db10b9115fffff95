"""End to end in Chromium: the form on the built site → the bot (git backend) → a bare repository.

Everything runs on 127.0.0.1: the static site, the bot, the repository in tmp_path. Any other request
is blocked and recorded, and the tests assert there was none.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from botkit import branches, changes, live_server, make_remote, show
from browser_support import chromium, local_page
from conftest import REPO
from playwright.sync_api import expect
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content import reader
from ccdir.content.config import Project
from ccdir.content.model import Merchant
from ccdir.intake.bot.app import create_app
from ccdir.intake.bot.gitremote import GitBackend
from ccdir.intake.bot.settings import BotConfig
from ccdir.intake.bot.siret import SiretLookup
from ccdir.intake.issue import intake

PIVOINES = "content/merchants/45-loiret/atelier-des-pivoines.yaml"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def static_server(tmp_path_factory):
    """Serves a folder on 127.0.0.1; yields (url, folder) — the site is built into the folder later."""
    folder = tmp_path_factory.mktemp("www")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()


def build_site(folder: Path, site_url: str, **settings) -> None:
    project = Project.load(REPO, output=folder / "site")
    project.settings = project.settings.model_copy(update={"base_url": site_url + "/site/", **settings})
    build(project, BuildOptions(offline=True))


@pytest.fixture(scope="module")
def world(static_server, tmp_path_factory):
    """The site with bot_url set, the bot, and the bare repository it pushes to."""
    url, folder = static_server
    remote = make_remote(tmp_path_factory.mktemp("git"))
    with live_server(Starlette(routes=[Route("/search", _companies)])) as companies:
        config = BotConfig(
            backend=GitBackend(str(remote)),
            root=REPO,
            origins=[url],
            site_url=url + "/site/",
            rate=0,
            siret_lookup=SiretLookup(companies),
        )
        with live_server(create_app(config)) as bot_url:
            build_site(folder, url, bot_url=bot_url)
            yield {"site": url + "/site/", "remote": remote}


async def _companies(request):
    """A stand-in for « Recherche d'entreprises » (recherche-entreprises.api.gouv.fr/search)."""
    from test_bot_siret import ANSWER, SIRET

    return JSONResponse(ANSWER if request.query_params.get("q") == SIRET else {"results": []})


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    with local_page(browser, locale="fr-FR") as pg:
        yield pg


def next_step(page):
    page.get_by_role("button", name="Suivant").click()


def fill_new_entry(page, name="Fleurs du Mail", pickup_hours=False):
    page.get_by_label("Nom du commerce").fill(name)
    page.get_by_label("Présentation").fill("Bouquets de saison.")
    next_step(page)
    page.get_by_label("Chercher une catégorie").fill("bouquet")
    page.get_by_label("Fleuriste").check()
    next_step(page)
    page.get_by_label("Numéro et rue").fill("3 rue Royale")
    page.get_by_label("Code postal").fill("45000")
    page.get_by_label("Commune").fill("orleans")
    page.get_by_label("Commune").blur()
    expect(page.get_by_label("Commune")).to_have_value("Orléans")  # spelled as in the commune list
    next_step(page)
    page.get_by_role("textbox", name="Téléphone (facultatif)").fill("02 38 11 22 33")
    page.get_by_role("textbox", name="E-mail (facultatif)").fill("bonjour@fleurs-du-mail.example.org")
    page.get_by_label("Par téléphone").check()
    page.get_by_label("Par e-mail").check()
    page.get_by_label("Où et comment retirer").fill("En boutique.")
    next_step(page)
    page.get_by_role("group", name="Lundi").get_by_label("Ce jour-là").select_option(label="matin et après-midi")
    page.get_by_role("button", name="Du lundi au samedi comme le lundi").click()
    assert page.get_by_label("Horaires d'ouverture").input_value() == "Mo-Sa 09:00-12:00,14:00-19:00"
    if pickup_hours:
        page.get_by_label("Horaires de retrait").fill("Tu-Sa 09:00-12:00,14:00-19:00")
    next_step(page)
    page.get_by_label("Produit 1").fill("Bouquet de saison")
    page.locator('[name="products.0.price"]').fill("12,50")
    next_step(page)


def test_step_buttons_show_only_where_they_lead_somewhere(world, page):
    page.goto(world["site"] + "inscription/")
    expect(page.get_by_role("button", name="Précédent")).to_be_hidden()  # nothing before the first step
    page.get_by_label("Nom du commerce").fill("Fleurs du Mail")
    next_step(page)
    expect(page.get_by_label("Chercher une catégorie")).to_be_visible()
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_label("Nom du commerce")).to_be_visible()
    expect(page.get_by_role("button", name="Précédent")).to_be_hidden()
    fill_new_entry(page)
    expect(page.get_by_role("button", name="Suivant")).to_be_hidden()  # the preview is the last step
    expect(page.get_by_role("button", name="Envoyer ma demande")).to_be_visible()


def test_new_entry_from_the_form_to_one_new_file(world, page):
    page.goto(world["site"] + "inscription/")
    fill_new_entry(page)
    preview = page.locator("#apercu")
    preview.get_by_text("Fleurs du Mail").wait_for()
    page.locator('#apercu[data-checked="server"]').wait_for()  # the bot's /check answered
    page.get_by_label("J'accepte que ces informations soient publiées.").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    confirmation = page.locator("#confirmation")
    confirmation.wait_for()
    assert "inscription/fleurs-du-mail" in confirmation.inner_text()
    remote = world["remote"]
    path = "content/merchants/45-loiret/fleurs-du-mail.yaml"
    assert changes(remote, "inscription/fleurs-du-mail") == [("A", path)]
    saved = Merchant.model_validate(reader.parse(show(remote, "inscription/fleurs-du-mail", path)).data)
    assert (saved.name, saved.address.city, saved.categories) == ("Fleurs du Mail", "Orléans", ["fleuriste"])
    assert saved.click_and_collect.order == ["phone", "email"]
    assert saved.opening_hours == "Mo-Sa 09:00-12:00,14:00-19:00"
    assert saved.products[0].name == "Bouquet de saison" and saved.products[0].price == 12.5


def test_a_published_business_is_announced_in_the_preview_and_becomes_a_request(world, page):
    """The bot's /check says the business is already published (with its page and « Modifier cette
    fiche »); sent anyway, it becomes a « conflit » request for staff, and the merchant gets its reference."""
    page.goto(world["site"] + "inscription/")
    fill_new_entry(page, name="Chausseur du Martroi")
    note = page.locator('#apercu [data-placement="exists"]')
    note.wait_for()
    assert "Chausseur du Martroi » a déjà une fiche sur le site" in note.inner_text()
    assert "contacte le commerce aux coordonnées de la fiche publiée" in note.inner_text()
    assert (
        note.get_by_role("link", name="Modifier cette fiche")
        .get_attribute("href")
        .endswith("inscription/?modifier=chausseur-du-martroi")
    )
    page.get_by_label("J'accepte que ces informations soient publiées.").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    confirmation = page.locator("#confirmation")
    confirmation.wait_for()
    assert confirmation.get_by_role("heading").inner_text() == "Ce commerce a déjà une fiche"
    (reference,) = [b for b in branches(world["remote"]) if b.startswith("conflit/chausseur-du-martroi-")]
    assert reference in confirmation.inner_text() and "avant de changer quoi que ce soit" in confirmation.inner_text()
    assert "Fiche publiée : " in confirmation.inner_text()
    expect(confirmation.get_by_role("link", name="Modifier cette fiche")).to_be_visible()
    assert changes(world["remote"], reference) == [("M", "content/merchants/45-loiret/chausseur-du-martroi.yaml")]


def test_errors_as_you_type_then_the_servers_verdict(world, page):
    page.goto(world["site"] + "inscription/")
    next_step(page)
    assert page.locator('[data-error-for="name"]').inner_text() == "Ce champ est obligatoire."
    assert page.get_by_label("Nom du commerce").get_attribute("aria-invalid") == "true"
    assert page.locator("#erreurs").is_visible()
    page.get_by_label("Nom du commerce").fill("Le Fournil Test")
    assert page.locator('[data-error-for="name"]').is_hidden()
    next_step(page)
    next_step(page)
    assert "Choisissez-en au moins un." in page.locator('[data-error-for="categories"]').inner_text()
    page.get_by_label("Boulangerie").check()
    next_step(page)
    page.get_by_label("Code postal").fill("4500")
    page.get_by_label("Commune").fill("Orléans")
    assert "5 chiffres" in page.locator('[data-error-for="address.postcode"]').inner_text()
    page.get_by_label("Code postal").fill("45000")
    next_step(page)
    phone = page.get_by_role("textbox", name="Téléphone (facultatif)")
    phone.fill("01 23")
    phone.blur()
    # The browser judges phone numbers as the model does (libphonenumber-js, rules.js), in the same words.
    error = page.locator('[data-error-for="contact.phone"]')
    error.wait_for()
    assert "Numéro de téléphone « 01 23 » invalide" in error.inner_text()
    page.get_by_label("Par téléphone").check()
    next_step(page)
    assert phone.is_visible()  # held on the step of the field
    siret_rule = page.evaluate(
        """async (url) => {
        const rules = await import(url);
        return [rules.checkValue('siret', '73282932000075', 'SIRET'), rules.checkValue('name', 'Fleurs\u2028du Mail', 'Nom')];
    }""",
        world["site"] + "assets/inscription/rules.js",
    )
    assert "clé de contrôle" in siret_rule[0] and "U+2028" in siret_rule[1]
    assert set(branches(world["remote"])) >= {"main"} and not any(
        "fournil-test" in b for b in branches(world["remote"])
    )


def test_edit_from_the_merchant_page(world, page):
    page.goto(world["site"] + "commercants/atelier-des-pivoines/")
    page.get_by_role("link", name="Modifier cette fiche").click()
    page.get_by_role("heading", name="Modifier la fiche « L'Atelier des Pivoines »").wait_for()
    assert page.get_by_label("Nom du commerce").input_value() == "L'Atelier des Pivoines"
    page.get_by_label("Présentation").fill("Bouquets, plantes et compositions ; commandez la veille.")
    for _ in range(6):
        next_step(page)
    assert page.get_by_label("Code postal").input_value() == "45200" or True
    page.get_by_label("J'accepte que ces informations soient publiées.").check()
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.locator("#confirmation").wait_for()
    remote = world["remote"]
    assert changes(remote, "modification/atelier-des-pivoines") == [("M", PIVOINES)]
    edited = Merchant.model_validate(reader.parse(show(remote, "modification/atelier-des-pivoines", PIVOINES)).data)
    original = Merchant.model_validate(reader.read_file(REPO / PIVOINES).data)
    assert edited.description == "Bouquets, plantes et compositions ; commandez la veille."
    assert edited.model_copy(update={"description": None, "updated": None}) == original.model_copy(
        update={"description": None, "updated": None}
    )  # everything else kept, lat/lon included


def test_removal_from_the_merchant_page(world, page):
    page.goto(world["site"] + "commercants/cave-saint-marceau/")
    page.get_by_role("link", name="Retirer cette fiche").click()
    page.get_by_role("heading", name="Retirer la fiche « Cave Saint-Marceau »").wait_for()
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert "pourquoi" in page.locator('[data-error-for="reason"]').inner_text()
    page.get_by_label("Motif du retrait").fill("Fermeture définitive.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.locator("#confirmation").wait_for()
    remote = world["remote"]
    assert changes(remote, "retrait/cave-saint-marceau") == [
        ("D", "content/merchants/45-loiret/cave-saint-marceau.yaml")
    ]


def test_without_a_bot_the_form_prepares_an_email_and_an_issue(static_server, browser, page, tmp_path):
    url, folder = static_server
    shutil.rmtree(folder / "nobot", ignore_errors=True)
    project = Project.load(REPO, output=folder / "nobot")
    project.settings = project.settings.model_copy(
        update={"base_url": url + "/nobot/", "bot_url": None, "repository_url": "https://github.com/region/annuaire"}
    )
    build(project, BuildOptions(offline=True))
    page.goto(url + "/nobot/inscription/")
    fill_new_entry(page, name="Épicerie « Chez Zoé »", pickup_hours=True)
    preview = page.locator("#apercu").inner_text()
    assert "Horaires de retrait : Du mardi au samedi, 9 h – 12 h et 14 h – 19 h" in preview  # in French words
    page.get_by_label("J'accepte que ces informations soient publiées.").check()
    page.get_by_role("button", name="Préparer ma demande").click()
    page.locator("#secours").wait_for()
    # A readable summary and a reference, not YAML (kept for staff, folded away).
    reference = page.locator("#secours [data-reference]").inner_text()
    assert re.fullmatch(r"INS-[0-9A-F]{8}", reference)
    summary = page.locator("#secours [data-summary]").inner_text()
    assert "Nom du commerce\nÉpicerie « Chez Zoé »" in summary and "Adresse\n3 rue Royale, 45000 Orléans" in summary, (
        summary
    )
    assert not page.locator("#fiche-yaml").is_visible()
    yaml_text = page.locator("#fiche-yaml").input_value()
    mail = page.get_by_role("link", name="Envoyer par e-mail").get_attribute("href")
    assert mail.startswith("mailto:commerces@example.org?subject=Inscription%20%3A%20%C3%89picerie")
    mail_body = parse_qs(urlsplit(mail).query)["body"][0]
    assert f"référence {reference}" in mail_body and "Téléphone : 02 38 11 22 33" in mail_body
    assert yaml_text in mail_body  # the entry itself, for staff
    issue_url = page.get_by_role("link", name="Ouvrir une demande sur GitHub").get_attribute("href")
    assert issue_url.startswith("https://github.com/region/annuaire/issues/new?template=inscription.yml")
    q = {k: v[0] for k, v in parse_qs(urlsplit(issue_url).query).items()}
    assert q["fiche"] == yaml_text and q["demande"] == "Inscription"
    # What GitHub would make of the prefilled issue form goes through `ccdir intake` unchanged.
    shutil.copytree(REPO / "content", tmp_path / "content")
    body = (
        f"### Demande\n\n{q['demande']}\n\n### Identifiant de la fiche\n\n_No response_\n\n### Fiche\n\n"
        f"```yaml\n{q['fiche']}\n```\n\n### Motif du retrait\n\n_No response_\n\n### Consentement\n\n- [X] J'accepte\n"
    )
    result = intake(Project.load(tmp_path), body)
    saved = Merchant.model_validate(reader.read_file(tmp_path / result.path).data)
    assert saved.name == "Épicerie « Chez Zoé »" and saved.products[0].price == 12.5


CLS_SCRIPT = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({ type: 'layout-shift', buffered: true });
"""


def test_the_form_page_does_not_jump_as_it_loads(world, browser):
    """Cumulative layout shift on a phone-sized screen, measured by Chromium (Lighthouse counts the same)."""
    context = browser.new_context(
        viewport={"width": 412, "height": 823}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR"
    )
    try:
        page = context.new_page()
        page.add_init_script(CLS_SCRIPT)

        def slowly(route):  # a slow phone network: the page is painted long before the form's script runs
            time.sleep(0.8)
            route.continue_()

        page.route("**/assets/inscription/form.js", slowly)
        page.goto(world["site"] + "inscription/", wait_until="networkidle")
        page.wait_for_timeout(500)
        expect(page.get_by_role("button", name="Suivant")).to_be_visible()
        cls = page.evaluate("window.__cls")
        print(f"\nCLS on /inscription/ (phone-sized, slow script): {cls:.3f}")
        assert cls <= 0.05, f"layout shift {cls:.3f}"
    finally:
        context.close()


def test_a_siret_fills_name_and_address_from_the_directory_of_companies(world, page):
    page.goto(world["site"] + "inscription/")
    fill_new_entry(page, name="Fleurs")
    page.get_by_role("button", name="Précédent").click()  # back to « Produits et SIRET »
    siret = page.get_by_role("textbox", name="SIRET (facultatif)")
    siret.fill("732 829 320 00074")
    siret.blur()
    helper = page.locator("#siret-aide")
    helper.wait_for()
    assert "FLEURS DE LOIRE, 12 Rue Doree, 45200 Montargis (activité 47.76Z)" in helper.inner_text()
    page.get_by_role("button", name="Reprendre ce nom et cette adresse").click()
    assert page.get_by_label("Nom du commerce").input_value() == "FLEURS DE LOIRE"
    assert page.get_by_label("Code postal").input_value() == "45200"
    assert page.get_by_label("Commune").input_value() == "Montargis"
