"""Open data in site/donnees/ and `ccdir export`: files parse back and match their published schema."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, make_project

from ccdir.build.pipeline import build
from ccdir.cli import main

MERCHANTS = sorted((REPO / "content" / "merchants").rglob("*.yaml"))


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the file in UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def schema_errors(rows: list[dict[str, str]], schema: dict) -> list[tuple[int, str, str]]:
    """(row number, field, problem) for every cell that breaks the Table Schema (types and constraints).

    Checked by hand: `frictionless` pulls in `requests`, which changes the HTTP adapter geopy picks for the
    geocoder, so it is not installed with the tests."""
    errors = []
    seen: dict[str, set[str]] = {}
    missing = set(schema.get("missingValues", [""]))
    for n, row in enumerate(rows, start=2):
        for field in schema["fields"]:
            name, value, rules = field["name"], row[field["name"]], field.get("constraints", {})
            if value in missing:
                if rules.get("required"):
                    errors.append((n, name, "required"))
                continue
            try:
                if field["type"] == "number":
                    number = float(value)
                    if not rules.get("minimum", number) <= number <= rules.get("maximum", number):
                        errors.append((n, name, "range"))
                elif field["type"] == "boolean":
                    if value not in field["trueValues"] + field["falseValues"]:
                        errors.append((n, name, "boolean"))
                elif field["type"] == "date":
                    dt.date.fromisoformat(value)
            except ValueError:
                errors.append((n, name, field["type"]))
            if "pattern" in rules and not re.fullmatch(rules["pattern"], value):
                errors.append((n, name, "pattern"))
            if "enum" in rules and value not in rules["enum"]:
                errors.append((n, name, "enum"))
            if rules.get("unique"):
                if value in seen.setdefault(name, set()):
                    errors.append((n, name, "unique"))
                seen[name].add(value)
    return errors


def test_csv_matches_its_table_schema(demo_site: Path):
    folder = demo_site / "donnees"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "commerces.csv")
    schema_names = [f["name"] for f in resource["schema"]["fields"]]
    rows = read_csv(folder / "commerces.csv")
    assert list(rows[0]) == schema_names
    assert sorted(r["id"] for r in rows) == sorted(p.stem for p in MERCHANTS)
    assert package["licenses"][0]["title"] == "Licence Ouverte / Open Licence version 2.0"
    assert resource["dialect"]["delimiter"] == ";" and resource["encoding"] == "utf-8"
    assert schema_errors(rows, resource["schema"]) == []
    from ccdir.geo.geocode import PRECISIONS

    precision = next(f for f in resource["schema"]["fields"] if f["name"] == "precision")
    assert precision["constraints"]["enum"] == list(PRECISIONS)  # the geocoder's vocabulary, documented


def test_schema_check_catches_a_row_that_breaks_it(demo_site: Path):
    package = json.loads((demo_site / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    schema = package["resources"][0]["schema"]
    rows = read_csv(demo_site / "donnees" / "commerces.csv")
    rows[0] = {**rows[0], "delivery": "peut-être", "postcode": "452", "lat": "123"}
    rows[1] = {**rows[1], "id": rows[0]["id"], "kind": ""}
    assert schema_errors(rows, schema) == [
        (2, "postcode", "pattern"),
        (2, "lat", "range"),
        (2, "delivery", "boolean"),
        (3, "id", "unique"),
        (3, "kind", "required"),
    ]


def test_geojson_points_are_lon_lat_and_agree_with_the_json(demo_site: Path):
    folder = demo_site / "donnees"
    collection = json.loads((folder / "commerces.geojson").read_text(encoding="utf-8"))
    full = json.loads((folder / "commerces.json").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert full["count"] == len(full["merchants"]) == len(MERCHANTS)
    where = {m["id"]: m["location"] for m in full["merchants"]}
    assert len(collection["features"]) == len(MERCHANTS)  # every demo merchant has at least its commune
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -5.5 < lon < 10 and 41 < lat < 51.5, feature["id"]  # metropolitan France, in RFC 7946 order
        assert (lat, lon) == (where[feature["id"]]["lat"], where[feature["id"]]["lon"])


def test_json_keeps_the_whole_file(demo_site: Path):
    full = json.loads((demo_site / "donnees" / "commerces.json").read_text(encoding="utf-8"))
    bakery = next(m for m in full["merchants"] if m["id"] == "au-pain-des-marais")
    assert bakery["products"][0] == {"name": "Baguette de tradition", "price": 1.1, "available": True}
    assert bakery["location"] == {
        "lat": 47.0824,
        "lon": 2.3975,
        "precision": "manual",
        "insee": "18033",
        "departement": "18",
    }
    assert bakery["url"] == "http://127.0.0.1:8000/commercants/au-pain-des-marais/"
    assert full["licence"]["name"] == "etalab-2.0"


def test_data_page_states_the_licence_and_links_the_files(demo_site: Path):
    html = (demo_site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "Licence Ouverte / Open Licence version 2.0" in html
    for name in ("commerces.csv", "commerces.geojson", "commerces.json", "datapackage.json"):
        assert f'href="/donnees/{name}"' in html
    assert "<code>siret</code>" in html and "style=" not in html


@pytest.mark.slow
def test_awkward_text_survives_the_csv(tmp_path, valid_yaml):
    description = 'Fleurs; "bouquets" et\nplantes'
    yaml_text = valid_yaml.replace(
        "description: Bouquets et plantes de saison.", "description: " + json.dumps(description, ensure_ascii=False)
    )
    project = make_project(tmp_path, {"45/a.yaml": yaml_text})
    build(project)
    rows = read_csv(project.output / "donnees" / "commerces.csv")
    assert rows[0]["description"] == description
    assert rows[0]["lat"] == "" or float(rows[0]["lat"])  # a position or an empty cell, never "None"
    assert rows[0]["siret"] == "" and rows[0]["delivery"] == "false"


def test_export_command_writes_the_build_files(demo_site: Path, tmp_path):
    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", "--root", str(REPO), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(MERCHANTS)} commerce(s) exporté(s)" in result.output
    for name in ("commerces.csv", "commerces.geojson", "commerces.json", "datapackage.json"):
        assert (out / name).read_bytes() == (demo_site / "donnees" / name).read_bytes(), name


def test_export_refuses_invalid_content(tmp_path, valid_yaml):
    make_project(tmp_path, {"a.yaml": valid_yaml.replace("kind: commerce", "kind: magasin")})
    result = CliRunner().invoke(main, ["export", "--root", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "content/merchants/a.yaml:2:7: erreur:" in result.output and "aucune donnée exportée" in result.output
    assert not (tmp_path / "out").exists()
