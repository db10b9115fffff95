"""`ccdir geocode` then an offline `ccdir build --strict`, as staff run them, against a fake BAN on 127.0.0.1."""

from __future__ import annotations

import json
import re

import pytest
from ban_server import FakeBAN, Reply, collection, feature
from click.testing import CliRunner
from conftest import make_project

from ccdir.cli import main

MERCHANT = """\
name: Librairie Jeanne
kind: commerce
categories: [librairie]
address:
  street: 12 Rue Jeanne d'Arc
  postcode: "45000"
  city: Orléans
contact:
  email: contact@example.org
click_and_collect:
  order: [email]
"""
QUERY = "12 Rue Jeanne d'Arc 45000 Orléans"
HIT = feature(
    47.902046,
    1.907339,
    QUERY,
    citycode="45234",
    postcode="45000",
    city="Orléans",
    street="Rue Jeanne d'Arc",
    housenumber="12",
    score=0.97,
)


@pytest.mark.slow
def test_geocode_then_strict_offline_build(tmp_path):
    runner = CliRunner()
    with FakeBAN() as ban:
        ban.on(QUERY, Reply(body=collection(HIT, query=QUERY)))
        make_project(tmp_path, {"45/librairie-jeanne.yaml": MERCHANT}, site_yaml=f"geocoder_url: {ban.url}\n")
        # Before geocoding, an offline strict build refuses the approximate (commune) position.
        refused = runner.invoke(main, ["build", "--root", str(tmp_path), "--strict"])
        assert refused.exit_code == 1
        assert "content/merchants/45/librairie-jeanne.yaml:4:1: avertissement: position approximative" in refused.output
        assert ban.queries() == []  # builds are offline by default

        result = runner.invoke(main, ["geocode", "--root", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert ban.queries() == [QUERY]

    cache = json.loads((tmp_path / "content/geocache.json").read_text(encoding="utf-8"))
    assert [entry["lat"] for entry in cache.values()] == [47.902046]
    built = runner.invoke(main, ["build", "--root", str(tmp_path), "--strict"])
    assert built.exit_code == 0, built.output
    page = (tmp_path / "site/commercants/librairie-jeanne/index.html").read_text(encoding="utf-8")
    assert re.search(r'"latitude": 47\.902046, "longitude": 1\.907339', page)


@pytest.mark.slow
def test_geocode_without_network_keeps_every_merchant(tmp_path):
    runner = CliRunner()
    make_project(tmp_path, {"librairie-jeanne.yaml": MERCHANT}, site_yaml="geocoder_url: http://127.0.0.1:9/\n")
    result = runner.invoke(main, ["geocode", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "avertissement: position approximative" in result.output
    built = runner.invoke(main, ["build", "--root", str(tmp_path)])
    assert built.exit_code == 0
    assert (tmp_path / "site/commercants/librairie-jeanne/index.html").exists()
