"""`ccdir stats` and the /statistiques/ page: counts a chamber or the region can check by hand."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, make_project

from ccdir.build.pipeline import build
from ccdir.cli import main


def merchant(
    valid_yaml: str,
    name: str,
    postcode: str,
    city: str,
    kind: str = "commerce",
    categories: str = "[fleuriste]",
    updated: str | None = None,
    delivery: bool = False,
) -> str:
    text = (
        valid_yaml.replace("name: Fleurs de Loire", f"name: {name}")
        .replace('"45200"', f'"{postcode}"')
        .replace("city: Montargis", f"city: {city}")
        .replace("kind: commerce", f"kind: {kind}")
        .replace("categories: [fleuriste]", f"categories: {categories}")
    )
    if delivery:
        text = text.replace("  pickup: Retrait en boutique.\n", "  pickup: Retrait en boutique.\n  delivery: true\n")
    return text + (f"updated: {updated}\n" if updated else "")


def small_project(tmp_path: Path, valid_yaml: str):
    return make_project(
        tmp_path,
        {
            "45/a.yaml": merchant(valid_yaml, "A", "45200", "Montargis", updated="2020-11-05", delivery=True),
            "45/b.yaml": merchant(
                valid_yaml, "B", "45000", "Orléans", "artisan", "[fleuriste, decoration]", "2020-11-20"
            ),
            "37/c.yaml": merchant(valid_yaml, "C", "37000", "Tours", "producteur", "[produits-fermiers]", "2021-01-03"),
            "37/d.yaml": merchant(valid_yaml, "D", "37000", "Tours"),
        },
    )


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_stats_json_counts(tmp_path, valid_yaml):
    small_project(tmp_path, valid_yaml)
    result = run("stats", "--root", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 4 and data["delivery"] == 1 and data["undated"] == 1
    assert [(r["label"], r["count"]) for r in data["by_departement"]] == [
        ("Indre-et-Loire (37)", 2),
        ("Loiret (45)", 2),
    ]
    assert [(r["key"], r["count"]) for r in data["by_category"]] == [
        ("fleuriste", 3),
        ("decoration", 1),
        ("produits-fermiers", 1),
    ]
    assert [(r["key"], r["count"]) for r in data["by_kind"]] == [("commerce", 2), ("artisan", 1), ("producteur", 1)]
    # every month from the first to the last, months without a new merchant included
    assert [(m["month"], m["added"], m["total"]) for m in data["growth"]] == [
        ("2020-11", 2, 2),
        ("2020-12", 0, 2),
        ("2021-01", 1, 3),
    ]


def test_stats_text_is_a_french_table(tmp_path, valid_yaml):
    small_project(tmp_path, valid_yaml)
    out = run("stats", "--root", str(tmp_path)).output
    assert "Commerces : 4\n" in out
    assert "Livraison possible : 1 (25\u202f%)" in out
    assert re.search(r"  Loiret \(45\)\s+2\s+50\u202f%", out)
    assert "  2020-12       0       2" in out
    assert "  sans date       1" in out


def test_growth_from_git_history(tmp_path, valid_yaml):
    small_project(tmp_path, valid_yaml)

    def git(*args, date=None):
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
        subprocess.run(
            ["git", "-C", str(tmp_path), *args],
            check=True,
            capture_output=True,
            env={
                "PATH": "/usr/bin:/bin",
                "HOME": str(tmp_path),
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@example.org",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.org",
                **env,
            },
        )

    git("init", "-q")
    git("add", "content/merchants/45")
    git("commit", "-qm", "first", date="2020-06-01T12:00:00")
    git("add", "content/merchants/37/c.yaml")
    git("commit", "-qm", "second", date="2020-08-15T12:00:00")
    # d.yaml is not committed yet and has no `updated`: undated
    data = json.loads(run("stats", "--root", str(tmp_path), "--format", "json", "--git").output)
    assert data["dates"] == "git"
    assert [(m["month"], m["added"], m["total"]) for m in data["growth"]] == [
        ("2020-06", 2, 2),
        ("2020-07", 0, 2),
        ("2020-08", 1, 3),
    ]
    assert data["undated"] == 1


def test_invalid_files_are_left_out_and_said(tmp_path, valid_yaml):
    project = small_project(tmp_path, valid_yaml)
    (project.merchants_dir / "45/bad.yaml").write_text("name: [\n", encoding="utf-8")
    result = run("stats", "--root", str(tmp_path))
    assert result.exit_code == 0
    assert "1 erreur(s) : les fiches en erreur ne sont pas comptées" in result.output
    assert "Commerces : 4" in result.output


@pytest.mark.slow
def test_statistics_page(tmp_path, valid_yaml):
    project = small_project(tmp_path, valid_yaml)
    build(project)
    html = (project.output / "statistiques" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">Loiret (45)</th><td class="num">2</td><td class="num">50\u202f%</td>' in html
    assert '<meter class="bar" min="0" max="4" value="2">' in html
    assert '<time datetime="2021-01">janvier 2021</time></th><td class="num">1</td><td class="num">3</td>' in html
    assert "style=" not in html and not re.search(
        r"<script(?![^>]*\ssrc=)", html
    )  # ready for a strict CSP: no inline script
    assert 'href="/statistiques/"' in (project.output / "index.html").read_text(encoding="utf-8")  # footer link


def test_demo_statistics_page_counts_every_merchant(demo_site):
    html = (demo_site / "statistiques" / "index.html").read_text(encoding="utf-8")
    total = len(list((REPO / "content" / "merchants").rglob("*.yaml")))
    assert f"<strong>{total}</strong> commerces" in html


GOALS = """target: 25
deadline: 2021-06-30
source: observatoire régional
shops:
  "45": 8
  "37": 2
"""


@pytest.mark.slow
def test_progress_toward_the_goal(tmp_path, valid_yaml):
    project = small_project(tmp_path, valid_yaml)
    (project.content / "goals.yaml").write_text(GOALS, encoding="utf-8")
    data = json.loads(run("stats", "--root", str(tmp_path), "--format", "json").output)
    assert data["target"] == 25 and data["deadline"] == "2021-06-30"
    assert [(p["label"], p["listed"], p["shops"], p["share"]) for p in data["progress"]] == [
        ("Indre-et-Loire (37)", 2, 2, 1.0),
        ("Loiret (45)", 2, 8, 0.25),
        ("Ensemble", 4, 10, 0.4),
    ]
    out = run("stats", "--root", str(tmp_path)).output
    assert "Part des commerces de proximité inscrits : 40\u202f% (objectif 25\u202f% au 30 juin 2021)" in out
    build(project)
    html = (project.output / "statistiques" / "index.html").read_text(encoding="utf-8")
    assert "40\u202f% des commerces de proximité des départements suivis sont inscrits" in html
    assert (
        '<th scope="row">Loiret (45)</th><td class="num">2</td><td class="num">8</td><td class="num">25\u202f%</td>'
        in html
    )
    assert '<meter class="bar" min="0" max="25.0" value="25.0">' in html
    assert "observatoire régional" in html
    assert '<time datetime="2021-06-30">30 juin 2021</time>' in html


def test_a_wrong_goals_file_is_a_positioned_french_error(tmp_path, valid_yaml):
    project = small_project(tmp_path, valid_yaml)
    (project.content / "goals.yaml").write_text(
        GOALS.replace("target: 25", "target: 250").replace('"37": 2', '"Loiret": 2'), encoding="utf-8"
    )
    result = run("stats", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "content/goals.yaml:1:9: erreur: « target » vaut 250 : la valeur doit être au plus 100" in result.output
    assert "content/goals.yaml:6:" in result.output  # the bad département code
    assert "Traceback" not in result.output
