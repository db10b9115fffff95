"""Shop-window posters (`ccdir affiches`): A4 PDF and SVG with a QR code that decodes to the merchant's page,
the name, the order phone and the pickup hours."""

from __future__ import annotations

import io

import pypdf
import pytest
import zxingcpp
from browser_support import chromium, wait_until
from click.testing import CliRunner
from conftest import REPO, make_project
from PIL import Image

from ccdir.cli import main

pytestmark = pytest.mark.slow  # PDF and SVG posters for the whole demo: `make test-fast` leaves them out

SITE = "base_url: https://commerces.example.org/\ntitle: Commerces du Gâtinais\n"
AMILLY = """\
name: Bœuf & Co
kind: commerce
categories: [boucherie]
address:
  postcode: "45200"
  city: Amilly
contact:
  email: commandes-de-la-boucherie-du-canal@boeuf-et-compagnie.example.org
click_and_collect:
  order: [email]
  pickup: Retrait au comptoir, sur rendez-vous.
"""


def decode(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image)]


def run(args: list[str]):
    result = CliRunner().invoke(main, ["affiches", *args])
    assert result.exit_code == 0, result.output
    return result


def project(tmp_path, valid_yaml):
    return make_project(
        tmp_path / "p",
        {
            "45/fleurs-de-loire.yaml": valid_yaml.replace(
                "  pickup: Retrait en boutique.\n", '  pickup_hours: "Tu-Sa 10:00-12:00,14:00-18:00"\n'
            ),
            "45/boeuf-et-co.yaml": AMILLY,
        },
        site_yaml=SITE,
    )


def test_one_pdf_per_commune_with_qr_text_and_hours(tmp_path, valid_yaml):
    root = project(tmp_path, valid_yaml).root
    result = run(["--root", str(root), "--par", "commune", "-o", str(tmp_path / "out")])
    assert result.output == f"2 affiche(s) dans 2 fichier(s) : {tmp_path / 'out'}\n"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["amilly-45.pdf", "montargis-45.pdf"]
    reader = pypdf.PdfReader(tmp_path / "out" / "montargis-45.pdf")
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width == 595.28 and round(float(page.mediabox.height)) == 842  # A4 in points
    lines = page.extract_text().splitlines()
    assert lines == [
        "Commandez ici,",
        "retirez en boutique",
        "Fleurs de Loire",
        "Fleuriste — Montargis",
        "Scannez pour voir la fiche et commander",
        "https://commerces.example.org/commercants/fleurs-de-loire/",
        "Commandes : 02 61 91 00 12",
        "Horaires de retrait",
        "Du mardi au samedi : 10:00 – 12:00, 14:00 – 18:00",
        "Commerces du Gâtinais",
    ]
    (image,) = page.images
    assert decode(image.image) == ["https://commerces.example.org/commercants/fleurs-de-loire/"]
    amilly = pypdf.PdfReader(tmp_path / "out" / "amilly-45.pdf").pages[0].extract_text()
    assert "Bœuf & Co" in amilly and "Retrait au comptoir, sur rendez-vous." in amilly
    assert "Commandes : commandes-de-la-boucherie-du-canal@boeuf-et-compagnie.example.org" in amilly.replace("\n", " ")


def test_demo_posters_by_departement(tmp_path):
    import shutil

    shutil.copytree(REPO / "content", tmp_path / "demo" / "content")  # a copy: the command may save the geocache
    run(["--root", str(tmp_path / "demo"), "--par", "departement", "-o", str(tmp_path / "out")])
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "45-loiret.pdf" in names and "37-indre-et-loire.pdf" in names
    loiret = pypdf.PdfReader(tmp_path / "out" / "45-loiret.pdf")
    assert len(loiret.pages) == sum(1 for _ in (REPO / "content/merchants/45-loiret").glob("*.yaml"))


def test_svg_poster_qr_decodes_in_a_browser(tmp_path, valid_yaml):
    root = project(tmp_path, valid_yaml).root
    run(["--root", str(root), "--format", "svg", "-o", str(tmp_path / "svg")])
    svg = tmp_path / "svg" / "montargis-45" / "fleurs-de-loire.svg"
    text = svg.read_text(encoding="utf-8")
    assert ">Commandes : 02 61 91 00 12</text>" in text and ">Fleurs de Loire</text>" in text
    assert "<script" not in text
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 794, "height": 1123})
        page.goto(svg.as_uri())
        shot = Image.open(io.BytesIO(page.screenshot()))
    assert decode(shot) == ["https://commerces.example.org/commercants/fleurs-de-loire/"]


def test_a_content_error_stops_with_its_place(tmp_path, valid_yaml):
    root = make_project(tmp_path / "p", {"45/x.yaml": valid_yaml.replace("kind: commerce", "kind: magasin")}).root
    result = CliRunner().invoke(main, ["affiches", "--root", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "content/merchants/45/x.yaml:2:7: erreur:" in result.output
    assert not (tmp_path / "out").exists()


def test_merchant_prints_its_own_poster(chromium, demo_url):
    """The merchant page's « Imprimer l'affiche de vitrine » prints only the poster, whose QR code (drawn in
    the browser) decodes to the page's address."""
    from browser_support import local_page

    with local_page(chromium, viewport={"width": 794, "height": 1123}) as page:
        page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
        page.goto(demo_url + "commercants/maison-feuilletee/")
        assert page.locator("#affiche").is_hidden()
        page.click("#imprimer-affiche")
        wait_until(page, "window.printed === 1")
        page.emulate_media(media="print")
        shown = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.checkVisibility() && !e.closest('#affiche')).map(e => e.tagName)""")
        assert set(shown) <= {"MAIN", "ARTICLE"}, shown  # only the poster's ancestors
        assert [line for line in page.inner_text("#affiche").splitlines() if line][:4] == [
            "Commandez ici,",
            "retirez en boutique",
            "Maison Feuilletée",
            "Pâtisserie · Salon de thé — Pithiviers",
        ]
        assert "Commandes : 02 61 91 63 99" in page.inner_text("#affiche")
        assert "Du mercredi au dimanche : 08:00 – 12:30" in page.inner_text("#affiche")
        shot = Image.open(io.BytesIO(page.locator(".poster-qr svg").screenshot()))
        assert decode(shot) == ["http://127.0.0.1:8000/commercants/maison-feuilletee/"]
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        page.emulate_media(media="screen")
        assert page.locator("#affiche").is_hidden()
