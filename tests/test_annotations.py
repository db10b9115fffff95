"""`ccdir validate` in GitHub Actions: errors as workflow annotations on the changed lines."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import make_project

from ccdir.cli import main
from ccdir.core.annotations import annotation
from ccdir.core.problems import Problem, Severity


def test_annotation_format_and_escaping():
    p = Problem("content/merchants/a,b:c.yaml", 5, 1, "100 % faux\r\nligne 2 : « x, y »")
    assert annotation(p) == (
        "::error file=content/merchants/a%2Cb%3Ac.yaml,line=5,col=1,title=ccdir::100 %25 faux%0D%0Aligne 2 : « x, y »"
    )
    warning = Problem("f.yaml", 3, 0, "position approximative", Severity.WARNING)
    assert annotation(warning) == "::warning file=f.yaml,line=3,title=ccdir::position approximative"
    whole = Problem("f.yaml", 0, 0, "nom de fichier invalide")
    assert annotation(whole) == "::error file=f.yaml,title=ccdir::nom de fichier invalide"


def test_paths_are_relative_to_the_checkout(tmp_path):
    project_root = tmp_path / "annuaire"
    p = Problem("content/merchants/a.yaml", 2, 7, "x")
    assert annotation(p, project_root, str(tmp_path)).startswith("::error file=annuaire/content/merchants/a.yaml,")


def test_validate_prints_annotations_when_run_in_github_actions(tmp_path, valid_yaml):
    make_project(tmp_path, {"45/a.yaml": valid_yaml.replace("kind: commerce", "kind: magasin")})
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(tmp_path)}
    result = CliRunner().invoke(main, ["validate", "--root", str(tmp_path)], env=env)
    assert result.exit_code == 1
    assert (
        "::error file=content/merchants/45/a.yaml,line=2,col=7,title=ccdir::« kind » vaut « magasin » : "
        "valeurs possibles %3A commerce" not in result.output
    )  # colons are escaped only in properties
    assert (
        "::error file=content/merchants/45/a.yaml,line=2,col=7,title=ccdir::« kind » vaut « magasin » : "
        "valeurs possibles : commerce, artisan, producteur, restaurant, bar"
    ) in result.output.splitlines()
    plain = CliRunner().invoke(main, ["validate", "--root", str(tmp_path), "--format", "text"], env=env)
    assert "content/merchants/45/a.yaml:2:7: erreur:" in plain.output and "::error" not in plain.output


def test_build_errors_are_annotated_too(tmp_path, valid_yaml):
    make_project(tmp_path, {"a.yaml": valid_yaml.replace('"45200"', '"452"')})
    result = CliRunner().invoke(
        main, ["build", "--root", str(tmp_path), "--format", "github"], env={"GITHUB_WORKSPACE": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert (
        "::error file=content/merchants/a.yaml,line=7,col=13,title=ccdir::code postal « 452 » invalide" in result.output
    )
