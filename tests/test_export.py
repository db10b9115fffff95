"""Open data in site/donnees/ and `ccdir export`: files parse back and match their published schema."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from frictionless import validate as frictionless_validate

from ccdir.builder import build
from ccdir.cli import main

from conftest import REPO, make_project

MERCHANTS = sorted((REPO / "content" / "merchants").rglob("*.yaml"))


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the file in UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_matches_its_table_schema(demo_site: Path):
    folder = demo_site / "donnees"
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["path"] == "commerces.csv")
    schema_names = [f["name"] for f in resource["schema"]["fields"]]
    rows = read_csv(folder / "commerces.csv")
    assert list(rows[0]) == schema_names
    assert sorted(r["id"] for r in rows) == sorted(p.stem for p in MERCHANTS)
    assert package["licenses"][0]["title"] == "Licence Ouverte / Open Licence version 2.0"
    report = frictionless_validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


def test_frictionless_catches_a_row_that_breaks_the_schema(demo_site: Path, tmp_path):
    folder = tmp_path / "donnees"
    shutil.copytree(demo_site / "donnees", folder)
    text = (folder / "commerces.csv").read_text(encoding="utf-8-sig")
    first = text.splitlines()[1]
    broken = first.replace(";false;", ";peut-être;", 1)
    assert broken != first
    (folder / "commerces.csv").write_text("\ufeff" + text.replace(first, broken), encoding="utf-8")
    report = frictionless_validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert [e[1] for e in report.flatten(["rowNumber", "fieldName"])] == ["delivery"]


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
    assert bakery["location"] == {"lat": 47.0824, "lon": 2.3975, "precision": "manual", "insee": "18033",
                                  "departement": "18"}
    assert bakery["url"] == "http://127.0.0.1:8000/commercants/au-pain-des-marais/"
    assert full["licence"]["name"] == "etalab-2.0"


def test_data_page_states_the_licence_and_links_the_files(demo_site: Path):
    html = (demo_site / "donnees" / "index.html").read_text(encoding="utf-8")
    assert "Licence Ouverte / Open Licence version 2.0" in html
    for name in ("commerces.csv", "commerces.geojson", "commerces.json", "datapackage.json"):
        assert f'href="/donnees/{name}"' in html
    assert "<code>siret</code>" in html and "style=" not in html


def test_awkward_text_survives_the_csv(tmp_path, valid_yaml):
    description = 'Fleurs; "bouquets" et\nplantes'
    yaml_text = valid_yaml.replace("description: Bouquets et plantes de saison.",
                                   "description: " + json.dumps(description, ensure_ascii=False))
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
