"""Points of sale and markets (issue #18): the list of markets, references to it, and what a producer
with a farm and two markets looks like in every output (pages, search records, open data, incremental
builds). Bad points of sale are data: tests/cases/invalid/points-*.yaml."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import CASES, make_project
from snapshot import files

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.config import Project
from ccdir.content.loading import check
from ccdir.core.problems import ContentError

MARKETS = """\
- id: romorantin-mercredi
  name: Marché de Romorantin
  postcode: "41200"
  city: Romorantin-Lanthenay
  place: Place de la Paix
  hours: "We 08:00-12:30"
  lat: 47.3585
  lon: 1.7411

- id: vierzon-samedi
  name: Marché de Vierzon
  postcode: "18100"
  city: Vierzon
  place: Place du Marché-au-Blé
  hours: "Sa 07:30-12:30"
  lat: 47.2218
  lon: 2.0689
"""

PRODUCER = (
    (CASES / "valid" / "points-of-sale.yaml")
    .read_text(encoding="utf-8")
    .replace("city: Selles-sur-Cher\n", "city: Selles-sur-Cher\n  lat: 47.2686\n  lon: 1.5529\n")
    .replace("city: Vierzon\n    hours", "city: Vierzon\n      lat: 47.2225\n      lon: 2.0712\n    hours")
    .replace("city: Salbris\n", "city: Salbris\n      lat: 47.4249\n      lon: 2.0515\n")
)


def project_with(tmp_path: Path, markets: str = MARKETS, producer: str = PRODUCER, **more: str) -> Project:
    project = make_project(tmp_path / "p", {"41-loir-et-cher/chevrerie.yaml": producer, **more})
    (project.content / "markets").mkdir()
    (project.content / "markets" / "marches.yaml").write_text(markets, encoding="utf-8")
    return Project(project.root, project.settings, tmp_path / "site")


def problems_of(project: Project, gazetteer) -> list[str]:
    _, report = check(project, gazetteer=gazetteer)
    return [p.format() for p in report.problems]


# --- the list of markets ----------------------------------------------------------------------------------


def test_unknown_market_is_reported_where_the_producer_names_it(tmp_path, gazetteer):
    project = project_with(tmp_path, producer=PRODUCER.replace("market: vierzon-samedi", "market: vierzon-samdi"))
    _, report = check(project, gazetteer=gazetteer)
    assert [p.format() for p in report.errors] == [
        "content/merchants/41-loir-et-cher/chevrerie.yaml:17:13: erreur: marché « vierzon-samdi » inconnu — "
        "vouliez-vous dire « vierzon-samedi » ?"
    ]
    assert report.entries == []


def test_market_file_errors_have_file_line_and_french_message(tmp_path, gazetteer):
    bad = (
        MARKETS.replace("city: Vierzon", "city: Bourges")
        .replace("  place: Place de la Paix\n", "")
        .replace('hours: "Sa 07:30-12:30"', 'hours: "samedi matin"')
    )
    bad += "\n- id: romorantin-mercredi\n  nom: Doublon\n"
    got = problems_of(project_with(tmp_path, markets=bad), gazetteer)
    assert got == [
        "content/markets/marches.yaml:1:3: erreur: champ obligatoire « place » manquant dans le marché n° 1 : ajoutez-le",
        "content/markets/marches.yaml:14:10: erreur: jours sans horaires : ajoutez les heures, par exemple « du lundi "
        "au vendredi 9h-18h », ou « fermé » si ces jours sont fermés (colonne 1)",
        *(
            f"content/markets/marches.yaml:18:3: erreur: champ obligatoire « {name} » manquant dans le marché n° 3 : "
            "ajoutez-le"
            for name in ("city", "hours", "name", "place", "postcode")
        ),
        "content/markets/marches.yaml:19:3: erreur: champ inconnu « nom » : champs possibles ici : id, name, "
        "postcode, city, place, hours, lat, lon, notes",
        "content/merchants/41-loir-et-cher/chevrerie.yaml:15:13: erreur: le marché « romorantin-mercredi » est en "
        "erreur dans content/markets/marches.yaml : corrigez-le d'abord",
        "content/merchants/41-loir-et-cher/chevrerie.yaml:17:13: erreur: le marché « vierzon-samedi » est en "
        "erreur dans content/markets/marches.yaml : corrigez-le d'abord",
    ]


def test_market_ids_are_unique_and_communes_checked(tmp_path, gazetteer):
    twice = MARKETS + MARKETS.split("\n\n")[0].replace("Place de la Paix", "Rue du Bourg") + "\n"
    wrong = twice.replace("city: Vierzon", "city: Bourges")
    got = [
        line
        for line in problems_of(project_with(tmp_path, markets=wrong), gazetteer)
        if line.startswith("content/markets/")
    ]
    assert got[0].startswith(
        "content/markets/marches.yaml:12:13: erreur: le code postal 18100 ne correspond pas à « Bourges »"
    )
    assert got[1] == (
        "content/markets/marches.yaml:18:7: erreur: identifiant de marché « romorantin-mercredi » "
        "déjà utilisé (content/markets/marches.yaml, ligne 1) : chaque marché a le sien"
    )


def test_a_file_of_markets_must_be_a_list(tmp_path, gazetteer):
    got = problems_of(project_with(tmp_path, markets="id: vierzon\n"), gazetteer)
    assert got[0].startswith("content/markets/marches.yaml:1:1: erreur: une liste de marchés est attendue")


# --- one producer, a farm and two markets, in every output ------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = project_with(tmp_path_factory.mktemp("points"))
    result = build(project, BuildOptions(offline=True, strict=True))
    assert result.warnings == []
    return project.output


def text_of(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_market_page_lists_producers_present_and_their_day(site):
    text = text_of(site / "marches" / "vierzon-samedi" / "index.html")
    assert "Marché de Vierzon" in text and "Place du Marché-au-Blé 18100 Vierzon" in text
    assert (
        "Chèvrerie des Bords de Sauldre — Fromagerie, Produits fermiers — samedi 8 h – 12 h Étal devant la halle."
        in text
    )
    listing = text_of(site / "marches" / "index.html")
    assert "Marché de Romorantin — Romorantin-Lanthenay, mercredi 8 h – 12 h 30 1 producteur(s)" in listing


def test_commune_pages_show_their_markets_and_points(site):
    romorantin = text_of(site / "communes" / "romorantin-lanthenay-41" / "index.html")
    assert "Marché de Romorantin Place de la Paix — mercredi 8 h – 12 h 30 Chèvrerie des Bords de Sauldre" in romorantin
    vierzon = text_of(site / "communes" / "vierzon-18" / "index.html")  # no merchant of its own: a page anyway
    assert (
        "Autres points de vente à Vierzon Chèvrerie des Bords de Sauldre — Drive fermier « Drive fermier de "
        "Vierzon », vendredi 17 h – 19 h" in vierzon
    )


def test_merchant_page_lists_points_with_hours_map_and_json_ld(site):
    page = site / "commercants" / "chevrerie" / "index.html"
    text = text_of(page)
    assert (
        "Points de vente Marché Marché de Romorantin Place de la Paix 41200 Romorantin-Lanthenay mercredi 08:00 – 12:30"
    ) in text
    assert (
        "Drive fermier Drive fermier de Vierzon 12 avenue de la République 18100 Vierzon vendredi 17:00 – 19:00" in text
    )
    html = page.read_text(encoding="utf-8")
    assert html.count("Voir sur la carte") == 1 + 4
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    places = data["location"]
    assert [p["name"] for p in places] == [
        "Marché de Romorantin",
        "Marché de Vierzon",
        "Drive fermier de Vierzon",
        "Marché — Salbris",
    ]
    assert places[0]["url"].endswith("/marches/romorantin-mercredi/")
    assert places[1]["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "closes": "12:00",
            "dayOfWeek": ["https://schema.org/Saturday"],
            "opens": "08:00",
        }
    ]


def test_search_has_a_record_per_point_with_where_and_when(site):
    man = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    rows = [
        dict(zip(man["fields"], row, strict=False))
        for path in sorted((site / "search" / "s").glob("*.json"))
        for row in json.loads(path.read_text(encoding="utf-8"))
    ]
    points = sorted((r["commune"], r.get("at", ""), r.get("when", "")) for r in rows if r["slug"] == "chevrerie")
    assert points == [
        ("Romorantin-Lanthenay", "au marché de Romorantin-Lanthenay", "mercredi 8 h – 12 h 30"),
        ("Salbris", "au marché de Salbris", "dimanche 8 h – 12 h 30"),
        ("Selles-sur-Cher", "à Selles-sur-Cher", ""),
        ("Vierzon", "au drive fermier de Vierzon", "vendredi 17 h – 19 h"),
        ("Vierzon", "au marché de Vierzon", "samedi 8 h – 12 h"),
    ]
    vierzon = next(r for r in rows if r.get("at") == "au marché de Vierzon")
    assert vierzon["hours"] == [[32, 480, 720]]  # « ouvert maintenant » uses the point's own hours


def test_open_data_has_a_row_per_point_with_the_merchant_id(site):
    text = (site / "donnees" / "points-de-vente.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["id"], r["point"], r["kind"], r["market"], r["city"], r["hours"]) for r in rows] == [
        ("chevrerie", "1", "market", "romorantin-mercredi", "Romorantin-Lanthenay", "We 08:00-12:30"),
        ("chevrerie", "2", "market", "vierzon-samedi", "Vierzon", "Sa 08:00-12:00"),
        ("chevrerie", "3", "drive", "", "Vierzon", "Fr 17:00-19:00"),
        ("chevrerie", "4", "market", "", "Salbris", "Su 08:00-12:30"),
    ]
    package = json.loads((site / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "points-de-vente.csv")
    assert [f["name"] for f in resource["schema"]["fields"]] == list(rows[0])


# --- incremental builds ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_changing_points_updates_in_place_like_a_full_build(tmp_path):
    other = (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")
    project = project_with(tmp_path, **{"18-cher/autre.yaml": other})
    build(project, BuildOptions(cache=True))
    target = project.merchants_dir / "41-loir-et-cher" / "chevrerie.yaml"
    # The Vierzon market and drive go; a point in Salbris stays: Vierzon's page (points only) disappears.
    text = target.read_text(encoding="utf-8")
    start, end = text.index("  - kind: market\n    market: vierzon-samedi"), text.index("  - kind: market\n    address")
    target.write_text(text[:start] + text[end:], encoding="utf-8")
    result = build(project, BuildOptions(cache=True))
    assert result.incremental
    fresh = Project(project.root, project.settings, tmp_path / "full")
    build(fresh, BuildOptions(cache=False))
    assert files(project.output) == files(fresh.output)
    assert not (project.output / "communes" / "vierzon-18").exists()
    assert "Aucun producteur" in text_of(project.output / "marches" / "vierzon-samedi" / "index.html")


@pytest.mark.slow
def test_changing_the_markets_rebuilds_everything(tmp_path):
    project = project_with(tmp_path)
    build(project, BuildOptions(cache=True))
    markets = project.content / "markets" / "marches.yaml"
    markets.write_text(
        markets.read_text(encoding="utf-8").replace("Place de la Paix", "Place du Marché"), encoding="utf-8"
    )
    assert not build(project, BuildOptions(cache=True)).incremental
    assert "Place du Marché 41200" in text_of(project.output / "commercants" / "chevrerie" / "index.html")


def test_unknown_market_stops_the_build(tmp_path):
    project = project_with(tmp_path, markets=MARKETS.split("\n\n")[1])
    with pytest.raises(ContentError) as err:
        build(project, BuildOptions())
    assert any("marché « romorantin-mercredi » inconnu" in p.message for p in err.value.problems)
