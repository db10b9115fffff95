"""Local platforms (content/platforms/*.yaml): checked like merchant files, shown as « Aussi sur : … » on
commune pages, merchant pages and in search results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_support import local_page
from conftest import make_project
from hardening import wait_for_search

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.loading import check, load_gazetteer
from ccdir.core.problems import ContentError

GOOD = """\
name: Montargis Commerces
url: https://commerces-montargis.example.org
kind: marketplace
territory:
  communes: ["45208"]
"""


def problems(tmp_path: Path, platforms: dict[str, str], merchants: dict[str, str] | None = None) -> list[str]:
    project = make_project(tmp_path, merchants or {})
    (project.content / "platforms").mkdir()
    for name, text in platforms.items():
        (project.content / "platforms" / name).write_text(text, encoding="utf-8")
    _, report = check(project, gazetteer=load_gazetteer())
    return [p.format() for p in report.problems]


def test_a_valid_platform_has_no_problem(tmp_path):
    assert problems(tmp_path, {"montargis-commerces.yaml": GOOD}) == []


def test_platform_errors_in_french_at_their_line(tmp_path):
    bad = GOOD.replace("kind: marketplace", "kind: supermarket") + "categories: [fleuristes]\nterritoire: oui\n"
    assert problems(tmp_path, {"montargis.yaml": bad}) == [
        "content/platforms/montargis.yaml:3:7: erreur: « kind » vaut « supermarket » : valeurs possibles : "
        "marketplace, delivery, local_currency, gift_card, directory",
        "content/platforms/montargis.yaml:6:14: erreur: catégorie inconnue « fleuristes » — vouliez-vous dire "
        "« fleuriste » ? (la liste est dans content/categories.yaml)",
        "content/platforms/montargis.yaml:7:1: erreur: champ inconnu « territoire » — vouliez-vous dire « territory » ?",
    ]


def test_unknown_insee_code_and_empty_territory(tmp_path):
    found = problems(
        tmp_path,
        {
            "a.yaml": GOOD.replace('["45208"]', '["45208", "45999"]'),
            "b.yaml": GOOD.replace('communes: ["45208"]', "communes: []"),
            "c.yaml": GOOD.replace('communes: ["45208"]', 'departements: [45, "99"]'),
        },
    )
    assert found == [
        "content/platforms/a.yaml:5:23: erreur: code INSEE « 45999 » inconnu : aucune commune n'a ce code ; "
        "cherchez-le sur la fiche de la commune (insee.fr, « Code officiel géographique »)",
        "content/platforms/b.yaml:5:3: erreur: territoire vide : donnez « communes » (codes INSEE) ou "
        "« departements » (numéros)",
        "content/platforms/c.yaml:5:22: erreur: département « 99 » invalide : son numéro entre guillemets, "
        'par exemple "45" ou "2A"',
    ]


def test_merchant_platform_pages_must_name_a_platform(tmp_path, valid_yaml):
    merchant = valid_yaml + (
        "platforms:\n  - platform: montargis-commerce\n    url: https://commerces-montargis.example.org/f\n"
        "  - platform: montargis-commerces\n    url: https://commerces-montargis.example.org/f\n"
        "  - platform: montargis-commerces\n    url: https://commerces-montargis.example.org/g\n"
    )
    found = problems(tmp_path, {"montargis-commerces.yaml": GOOD}, {"45/fleurs.yaml": merchant})
    assert found == [
        "content/merchants/45/fleurs.yaml:17:15: erreur: plateforme inconnue « montargis-commerce » — vouliez-vous dire "
        "« montargis-commerces » ? : écrivez l'identifiant d'un fichier de content/platforms/ (connues : « montargis-commerces »)",
        "content/merchants/45/fleurs.yaml:21:15: erreur: plateforme « montargis-commerces » listée deux fois : "
        "gardez-la une seule fois",
    ]


def test_the_build_stops_on_a_bad_platform(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"45/fleurs.yaml": valid_yaml})
    (project.content / "platforms").mkdir()
    (project.content / "platforms" / "x.yaml").write_text(GOOD.replace("url: https", "url: ftp"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        build(project, BuildOptions(offline=True))
    assert [p.path for p in caught.value.problems] == ["content/platforms/x.yaml"]


def test_demo_pages_show_the_platforms(demo_site):
    orleans = " ".join((demo_site / "communes/orleans-45/index.html").read_text(encoding="utf-8").split())
    assert (
        'Aussi sur : <a href="https://commerces.orleans-metropole.example.org" rel="noopener">Orléans Métropole '
        'Commerces</a> <span class="n">(place de marché locale)</span>' in orleans
    )
    assert "Le Gabare" not in orleans  # Indre-et-Loire and Loir-et-Cher only
    assert "Le Gabare" in (demo_site / "communes/tours-37/index.html").read_text(encoding="utf-8")
    assert "Aussi sur" not in (demo_site / "communes/montargis-45/index.html").read_text(encoding="utf-8")
    merchant = (demo_site / "commercants/panier-de-la-source/index.html").read_text(encoding="utf-8")
    assert (
        '<a href="https://commerces.orleans-metropole.example.org/boutiques/panier-de-la-source" '
        'rel="noopener nofollow">Orléans Métropole Commerces</a>'
    ) in merchant
    published = json.loads((demo_site / "plateformes.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in published] == ["Le Gabare", "Orléans Métropole Commerces"]
    assert "Orléans|45" in published[1]["communes"] and published[0]["departements"] == ["37", "41"]


def test_search_results_say_also_on(chromium, demo_url):
    with local_page(chromium) as page:
        page.goto(demo_url + "recherche/?quoi=primeur&ou=Orl%C3%A9ans")
        wait_for_search(page)
        also = page.locator("#aussi-sur")
        also.wait_for(state="visible")
        assert also.inner_text() == "Aussi sur : Orléans Métropole Commerces (place de marché locale)"
        assert also.locator("a").get_attribute("href") == "https://commerces.orleans-metropole.example.org"
        page.goto(demo_url + "recherche/?quoi=primeur&ou=Montargis")
        wait_for_search(page)
        page.wait_for_timeout(200)
        assert page.locator("#aussi-sur").is_hidden()
