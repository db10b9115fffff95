"""Link checker: the built sites have no broken internal link, asset or anchor; the checker finds them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hardening import REPO

from ccdir.cli import main
from ccdir.content.config import Project
from ccdir.site.linkcheck import check_site


def test_demo_site_has_no_broken_link(demo_site):
    assert [p.format() for p in check_site(demo_site, Project.load(REPO).settings.base_url)] == []


def test_nasty_site_has_no_broken_link(nasty_site):
    assert [p.format() for p in check_site(nasty_site.root, nasty_site.project.settings.base_url)] == []


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_the_checker_finds_every_kind_of_break(tmp_path):
    site = write(
        tmp_path,
        {
            "index.html": '<p id="haut"><a href="/a/">a</a> <a href="a/">a</a> <a href="/absente/">x</a>\n'
            '<a href="/a/#bas">bas</a> <a href="/a/#nulle-part">y</a> <a href="#haut">h</a> <a href="#">z</a>\n'
            '<link rel="stylesheet" href="/assets/style.css"><script src="/assets/absent.js"></script>\n'
            '<a href="https://ailleurs.example.org/absent">ext</a> <a href="mailto:a@example.org">m</a>\n'
            '<a href="http://127.0.0.1:8000/a/">abs</a> <a href="http://127.0.0.1:8000/b/">abs</a>\n'
            '<a href="../../../etc/passwd">up</a> <img srcset="/img/a.png 1x, /img/b.png 2x" alt=""></p>',
            "a/index.html": '<h1 id="bas">A</h1><a href="../index.html#haut">retour</a><a href="..">racine</a>',
            "assets/style.css": "",
            "img/a.png": "",
            "sitemap.xml": "<urlset>\n<url><loc>http://127.0.0.1:8000/a/</loc></url>\n"
            "<url><loc>http://127.0.0.1:8000/c/</loc></url>\n</urlset>\n",
        },
    )
    got = [p.format() for p in check_site(site, "http://127.0.0.1:8000/")]
    assert got == [
        "index.html:1: erreur: lien cassé « /absente/ » : aucune page ni fichier publié à cette adresse",
        'index.html:2: erreur: ancre cassée « /a/#nulle-part » : aucun élément id="nulle-part" dans la page visée',
        "index.html:3: erreur: lien cassé « /assets/absent.js » : aucune page ni fichier publié à cette adresse",
        "index.html:5: erreur: lien cassé « http://127.0.0.1:8000/b/ » : aucune page ni fichier publié à cette adresse",
        "index.html:6: erreur: lien cassé « ../../../etc/passwd » : aucune page ni fichier publié à cette adresse",
        "index.html:6: erreur: lien cassé « /img/b.png » : aucune page ni fichier publié à cette adresse",
        "sitemap.xml:3: erreur: lien cassé « http://127.0.0.1:8000/c/ » : aucune page ni fichier publié à cette adresse",
    ]


def test_site_published_in_a_subfolder(tmp_path):
    site = write(
        tmp_path,
        {
            "index.html": '<a href="/annuaire/a/">a</a> <a href="/autre/">autre</a> <a href="a/">rel</a>',
            "a/index.html": "<p>a</p>",
        },
    )
    got = [p.format() for p in check_site(site, "https://region.example.org/annuaire/")]
    assert got == ["index.html:1: erreur: lien « /autre/ » hors du site (le site est publié sous /annuaire/)"]


def test_cli_check_links(tmp_path):
    site = write(tmp_path / "site", {"index.html": '<a href="/a/">a</a>\n<a href="/b/">b</a>', "a/index.html": "a"})
    result = CliRunner().invoke(main, ["check-links", "--root", str(REPO), "-o", str(site)])
    assert result.exit_code == 1
    assert "index.html:2: erreur: lien cassé « /b/ »" in result.output
    assert "1 lien(s) cassé(s) dans 2 page(s)." in result.output
    (site / "b").mkdir()
    (site / "b" / "index.html").write_text("b")
    result = CliRunner().invoke(main, ["check-links", "--root", str(REPO), "-o", str(site)])
    assert result.exit_code == 0, result.output
    assert "3 page(s) vérifiée(s) : aucun lien cassé." in result.output
