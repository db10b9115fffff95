"""The build as a user sees it: pages, determinism, atomic output, snapshot of a tiny site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, make_project
from snapshot import EXPECTED, IGNORED, build_snapshot, files

from ccdir.build.pipeline import build
from ccdir.content.config import Project
from ccdir.core.problems import ContentError


@pytest.mark.slow
def test_snapshot_of_tiny_site(tmp_path):
    """Regenerate with `make snapshot` after reviewing what changed."""
    got = files(build_snapshot(tmp_path / "site"), IGNORED)
    expected = files(EXPECTED)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name] == expected[name], (
            f"{name} differs from tests/snapshot/expected (run `make snapshot` and review)"
        )


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path):
    first = files(build_snapshot(tmp_path / "a"))
    second = files(build_snapshot(tmp_path / "b"))
    assert first == second


@pytest.mark.slow
def test_failed_build_leaves_previous_site_untouched(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"a.yaml": valid_yaml})
    build(project)
    before = files(project.output)
    (project.merchants_dir / "b.yaml").write_text(valid_yaml.replace("kind: commerce", "kind: ?"), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        build(project)
    assert {p.path for p in err.value.problems} == {"content/merchants/b.yaml"}  # its error, and a.yaml's name
    assert files(project.output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no staging folder left behind


@pytest.mark.slow
def test_crash_while_writing_leaves_previous_site(tmp_path, valid_yaml, monkeypatch):
    project = make_project(tmp_path, {"a.yaml": valid_yaml})
    build(project)
    before = files(project.output)
    from ccdir.site import render

    def boom(self, listings, extra_pages=()):
        yield "index.html", "half"
        raise RuntimeError("disk full")

    monkeypatch.setattr(render.Renderer, "render_all", boom)
    with pytest.raises(RuntimeError):
        build(project)
    assert files(project.output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


@pytest.mark.slow
def test_demo_site_pages(demo_site: Path):
    merchants = sorted((REPO / "content" / "merchants").rglob("*.yaml"))
    assert len(merchants) >= 40
    for path in merchants:
        page = demo_site / "commercants" / path.stem / "index.html"
        assert page.exists(), path.stem
    html = (demo_site / "index.html").read_text(encoding="utf-8")
    assert 'action="/recherche/"' in html and 'name="quoi"' in html and 'name="ou"' in html
    assert (demo_site / "404.html").exists()
    assert "Sitemap:" in (demo_site / "robots.txt").read_text()


def test_sitemap_lists_every_page(demo_site: Path):
    sitemap = (demo_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>http://127\.0\.0\.1:8000/(.*?)</loc>", sitemap))
    pages = {
        p.relative_to(demo_site).as_posix().removesuffix("index.html")
        for p in demo_site.rglob("*.html")
        if p.name != "404.html"
    }
    assert listed == pages


@pytest.mark.slow
def test_merchant_page_has_order_links_and_json_ld(tmp_path):
    site = build_snapshot(tmp_path / "site")
    html = (site / "commercants/fleurs-de-loire/index.html").read_text(encoding="utf-8")
    assert '<h1 dir="auto">Fleurs de Loire</h1>' in html
    assert 'href="tel:+33261910012"' in html
    assert 'href="https://fleurs.example.org/boutique"' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "Florist"
    assert ld["telephone"] == "+33261910012"
    assert ld["geo"] == {"@type": "GeoCoordinates", "latitude": 47.9978, "longitude": 2.7331}
    assert ld["openingHoursSpecification"][0]["opens"] == "09:30"
    assert ld["address"]["postalCode"] == "45200"


def test_user_text_is_escaped(tmp_path):
    site = build_snapshot(tmp_path / "site")
    html = (site / "commercants/boulangerie-du-canal/index.html").read_text(encoding="utf-8")
    assert "<maison>" not in html
    assert "&lt;maison&gt;" in html


@pytest.mark.slow
def test_commune_page_lists_neighbours_across_borders_nearest_first(tmp_path):
    site = build_snapshot(tmp_path / "site")
    html = (site / "communes/montargis-45/index.html").read_text(encoding="utf-8")
    slugs = re.findall(r'class="card" data-slug="([^"]+)"', html)
    # Montargis itself, then Amilly (3.8 km), then Nemours in Seine-et-Marne (Île-de-France).
    assert slugs == ["fleurs-de-loire", "boulangerie-du-canal", "librairie-des-remparts"]


@pytest.mark.slow
def test_base_url_with_a_path_prefixes_links(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"a.yaml": valid_yaml}, site_yaml="base_url: https://org.example.org/annuaire/\n")
    build(project)
    html = (project.output / "index.html").read_text(encoding="utf-8")
    assert 'href="/annuaire/assets/style.css"' in html
    assert "<loc>https://org.example.org/annuaire/commercants/a/</loc>" in (project.output / "sitemap.xml").read_text()


def test_bad_site_settings_are_reported_with_position(tmp_path, valid_yaml):
    make_project(tmp_path, {"a.yaml": valid_yaml})
    (tmp_path / "content/site.yaml").write_text("title: X\nbase_url: pas une adresse\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Project.load(tmp_path)
    assert err.value.problems[0].format().startswith("content/site.yaml:2:11: erreur:")  # as merchant files are named


def test_site_addresses_must_be_web_addresses(tmp_path, valid_yaml):
    make_project(tmp_path, {"a.yaml": valid_yaml})
    (tmp_path / "content/site.yaml").write_text('bot_url: "javascript:alert(1)"\n', encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Project.load(tmp_path)
    assert (
        err.value.problems[0]
        .format()
        .endswith(
            "site.yaml:1:10: erreur: « bot_url » vaut « javascript:alert(1) » : adresse web attendue, commençant par https://"
        )
    )
