"""The command line as staff use it, through click's CliRunner."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import REPO, make_project

from ccdir.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_command_has_help_with_an_example():
    for name in main.commands:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Exemple" in result.output, f"{name} --help has no example"


def test_validate_demo_content_is_clean():
    result = run("validate", "--root", str(REPO))
    assert result.exit_code == 0, result.output
    assert "0 erreur(s)" in result.output


def test_validate_reports_every_error_of_every_file_with_position(tmp_path, valid_yaml):
    make_project(
        tmp_path,
        {
            "45/a.yaml": valid_yaml.replace("kind: commerce", "kind: magasin"),
            "45/b.yaml": valid_yaml.replace("name: Fleurs de Loire", "name: Autre")
            .replace('"45200"', '"452"')
            .replace("contact@example.org", "pas-un-mail"),
            "45/ok.yaml": valid_yaml.replace("name: Fleurs de Loire", "name: Troisième"),
        },
    )
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if ": erreur: " in line]
    assert lines == [
        "content/merchants/45/a.yaml:2:7: erreur: « kind » vaut « magasin » : valeurs possibles : "
        "commerce, artisan, producteur, restaurant, bar",
        "content/merchants/45/b.yaml:7:13: erreur: code postal « 452 » invalide : 5 chiffres attendus, "
        'par exemple "45200"',
        "content/merchants/45/b.yaml:11:10: erreur: adresse e-mail « pas-un-mail » invalide : "
        "format attendu nom@domaine.fr",
    ]
    assert "3 fiche(s) vérifiée(s) : 3 erreur(s)" in result.output
    assert "Traceback" not in result.output


def test_validate_single_file_argument(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"a.yaml": valid_yaml, "b.yaml": "name: [\n"})
    result = run("validate", "--root", str(tmp_path), str(project.merchants_dir / "a.yaml"))
    assert result.exit_code == 0
    assert "1 fiche(s) vérifiée(s)" in result.output


def test_duplicates_across_files_are_reported(tmp_path, valid_yaml):
    siret = 'siret: "73282932000074"\n'
    make_project(
        tmp_path,
        {
            "a.yaml": valid_yaml + siret,
            "b.yaml": valid_yaml.replace("name: Fleurs de Loire", "name: Autre nom") + siret,
            "c.yaml": valid_yaml.replace("name: Fleurs de Loire", "name: FLEURS DE LOIRE"),
            "sub/a.yaml": valid_yaml.replace("name: Fleurs de Loire", "name: Encore"),
        },
    )
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    out = result.output
    assert (
        "content/merchants/b.yaml:16:8: erreur: SIRET 73282932000074 déjà utilisé par content/merchants/a.yaml" in out
    )
    assert (
        "content/merchants/c.yaml:1:7: erreur: « FLEURS DE LOIRE » (45200) a déjà une fiche : content/merchants/a.yaml"
        in out
    )
    assert "content/merchants/sub/a.yaml: erreur: identifiant « a » déjà utilisé par content/merchants/a.yaml" in out


def test_broken_categories_file_is_a_clean_error(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"a.yaml": valid_yaml})
    project.categories_file.write_text("- id: fleuriste\n  label: Fleuriste\n  labl: x\n", encoding="utf-8")
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert (
        "content/categories.yaml:1:3: erreur: catégorie n° 1 : champ obligatoire « label_en » manquant" in result.output
    )
    assert "Traceback" not in result.output


def test_new_writes_a_template_that_fails_until_every_placeholder_is_filled(tmp_path):
    make_project(tmp_path)
    result = run("new", "fleurs-de-loire", "--folder", "45-loiret", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "content/merchants/45-loiret/fleurs-de-loire.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# obligatoire" in text
    # As written, the template is refused, each value to fill in named (a placeholder is never published).
    unedited = run("validate", "--root", str(tmp_path))
    assert unedited.exit_code == 1
    named = re.findall(r"erreur: à remplir : (.+) \(champ « ([a-z_.]+) »\)", unedited.output)
    assert named == [
        ("nom du commerce", "name"),
        ("commerce, artisan, producteur, restaurant ou bar", "kind"),
        ("catégorie", "categories"),
        ("ce que vous proposez, en une ou deux phrases", "description"),
        ("numéro et rue", "address.street"),
        ("code postal", "address.postcode"),
        ("commune", "address.city"),
        ("téléphone", "contact.phone"),
        ("où et comment retirer la commande", "click_and_collect.pickup"),
    ]
    assert "9 erreur(s)" in unedited.output and "manquant" not in unedited.output
    filled = {
        "nom du commerce": "Fleurs de Loire",
        "commerce, artisan, producteur, restaurant ou bar": "commerce",
        "catégorie": "fleuriste",
        "ce que vous proposez, en une ou deux phrases": "Bouquets de saison.",
        "numéro et rue": "12 rue Dorée",
        "code postal": "45200",
        "commune": "Montargis",
        "téléphone": "02 38 00 00 00",
        "où et comment retirer la commande": "En boutique.",
    }
    for what, value in filled.items():
        text = text.replace(f"À REMPLIR : {what}", value)
    path.write_text(text, encoding="utf-8")
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    again = run("new", "fleurs-de-loire", "--root", str(tmp_path))
    assert again.exit_code == 1 and "existe déjà" in again.output


@pytest.mark.parametrize("slug", ["Fleurs", "fleurs_de_loire", "../evil", "a" * 81])
def test_new_refuses_bad_slugs(tmp_path, slug):
    make_project(tmp_path)
    result = run("new", slug, "--root", str(tmp_path))
    assert result.exit_code == 2
    assert "invalide" in result.output or "trop long" in result.output
    assert not list((tmp_path / "content/merchants").rglob("*.yaml"))


def test_build_errors_are_listed_and_exit_1(tmp_path, valid_yaml):
    make_project(tmp_path, {"a.yaml": valid_yaml.replace("kind: commerce", "kind: magasin")})
    result = run("build", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "content/merchants/a.yaml:2:7: erreur:" in result.output
    assert "le site n'a pas été construit" in result.output
    assert not (tmp_path / "site").exists()


def test_upper_case_extension_is_not_skipped(tmp_path, valid_yaml):
    make_project(
        tmp_path,
        {
            "a.yaml": valid_yaml,
            "b.YAML": valid_yaml.replace("name: Fleurs de Loire", "name: B").replace("kind: commerce", "kind: x"),
        },
    )
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "content/merchants/b.YAML:2:7: erreur: « kind » vaut « x »" in result.output


def test_errors_are_introduced_in_french(tmp_path, valid_yaml):
    make_project(tmp_path, {"a.yaml": valid_yaml})
    (tmp_path / "content/site.yaml").write_text("base_url: pas une adresse\n", encoding="utf-8")
    result = run("build", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "content/site.yaml:1:11: erreur:" in result.output
    assert "Erreur : 1 erreur(s) dans le contenu" in result.output and "Error" not in result.output
    result = run("build", "--pas-une-option")
    assert (
        result.exit_code == 2 and "Erreur : " in result.output and "Aide : main build --help" in result.output
    )  # (CliRunner names the program « main »)
    assert "Traceback" not in result.output
