"""ccdir as a package: the wheel carries what a build needs, and a project's templates override ccdir's
file by file (`.ci/run` also installs the wheel in a fresh virtualenv and builds a content-only folder:
scripts/check_install.sh)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from conftest import REPO, make_project

from ccdir.build.pipeline import BuildOptions, build
from ccdir.core import resources


def test_a_checkout_reads_the_repository_templates_and_libraries():
    assert resources.default_templates() == REPO / "templates"
    assert resources.vendor_file("lunr/lunr.min.js") == REPO / "node_modules" / "lunr" / "lunr.min.js"
    assert resources.vendor_file("no-such-package/x.js") is None


def test_project_templates_override_the_defaults_file_by_file(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"45/fleurs.yaml": valid_yaml})
    own = tmp_path / "templates"
    (own / "assets").mkdir(parents=True)
    home = (REPO / "templates" / "home.html").read_text(encoding="utf-8")
    (own / "home.html").write_text(
        home.replace("{% block main %}", "{% block main %}<p>Mairie de Test</p>", 1), encoding="utf-8"
    )
    (own / "assets" / "style.css").write_text("body { color: black }\n", encoding="utf-8")
    project = project.load(tmp_path, output=tmp_path / "site")
    build(project, BuildOptions())
    site = tmp_path / "site"
    assert "Mairie de Test" in (site / "index.html").read_text(encoding="utf-8")
    assert "Mairie de Test" not in (site / "recherche" / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "style.css").read_text(encoding="utf-8") == "body { color: black }\n"
    default_js = (REPO / "templates" / "assets" / "search" / "engine.js").read_bytes()
    assert (site / "assets" / "search" / "engine.js").read_bytes() == default_js


@pytest.mark.slow
def test_the_wheel_carries_templates_libraries_and_gazetteer(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(REPO)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )  # not REPO: its build.py would shadow `build`
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next(tmp_path.glob("ccdir-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        f"ccdir/_templates/{p.relative_to(REPO / 'templates').as_posix()}"
        for p in (REPO / "templates").rglob("*")
        if p.is_file()
    }
    assert templates <= names, sorted(templates - names)[:5]
    assert {
        "ccdir/_vendor/lunr/lunr.min.js",
        "ccdir/_vendor/leaflet/dist/leaflet.js",
        "ccdir/data/communes.json.gz",
        "ccdir/_vendor/libphonenumber-js/bundle/libphonenumber-max.js",
        "ccdir/cli/__init__.py",
        "ccdir/data/naf/naf-rev2.csv",
        "ccdir/data/naf/naf-2025.csv",
        "ccdir/data/naf/categories.yaml",
        "ccdir/cli/locale/fr/LC_MESSAGES/click.po",
    } <= names
    assert not any("__pycache__" in n or n.startswith("ccdir/_templates/../") for n in names)
