"""Synthetic merchants for scale tests: valid for our own validator and reproducible for a seed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import REPO

from ccdir.cli import main
from ccdir.content.categories import load_catalog
from ccdir.demodata import generate
from ccdir.geo.gazetteer import Gazetteer

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out


def test_same_seed_same_data_other_seed_other_data():
    catalog = load_catalog(REPO / "content/categories.yaml")
    gz = Gazetteer.load()
    first = list(generate(200, 7, gz, catalog))
    assert first == list(generate(200, 7, gz, catalog))
    assert first != list(generate(200, 8, gz, catalog))


def test_generated_project_validates_and_builds(tmp_path):
    runner = CliRunner()
    made = runner.invoke(main, ["demo-data", "--count", "300", "--seed", "3", "-o", str(tmp_path), "--root", str(REPO)])
    assert made.exit_code == 0, made.output
    files = list((tmp_path / "content/merchants").rglob("*.yaml"))
    assert len(files) == 300
    # Spread over the région and its neighbours, by population.
    folders = {f.parent.name[:2] for f in files}
    assert {"45", "37"} <= folders and len(folders) >= 10
    checked = runner.invoke(main, ["validate", "--root", str(tmp_path)])
    assert checked.exit_code == 0, checked.output[-2000:]
    built = runner.invoke(main, ["build", "--root", str(tmp_path), "-q"])
    assert built.exit_code == 0
    assert len(list((tmp_path / "site/commercants").iterdir())) == 300
