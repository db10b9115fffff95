"""`ccdir validate` and the build report every problem in one run: syntax, schema and cross-file alike."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import make_project

from ccdir.cli import main
from ccdir.content import reader

SIRET = 'siret: "73282932000074"\n'


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def broken_files(valid: str) -> dict[str, str]:
    named = lambda name: valid.replace("name: Fleurs de Loire", f"name: {name}")  # noqa: E731
    return {
        "a.yaml": valid + SIRET,
        # A syntax error, a schema error and the SIRET of a.yaml, in one file.
        "b.yaml": named("Autre")
        .replace("kind: commerce", "kind: magasin")
        .replace("description: Bouquets et plantes de saison.", "description: Produits: pain")
        + SIRET,
        # A tab in the indentation, and a wrong e-mail address further down.
        "c.yaml": named("Troisième")
        .replace("  city: Montargis", "\tcity: Montargis")
        .replace("contact@example.org", "pas-un-mail"),
        # 25 errors: 20 are shown, then how many more.
        "d.yaml": named("Quatrième") + "products:\n" + "".join(f"  - name: P{i}\n    price: abc\n" for i in range(25)),
        # A key written twice, and a wrong value.
        "e.yaml": named("Cinquième")
        .replace('  postcode: "45200"', '  postcode: "45200"\n  postcode: "45000"')
        .replace("[phone, email]", "[phone, pigeon]"),
    }


def test_every_kind_of_problem_of_every_file_in_one_run(tmp_path, valid_yaml):
    make_project(tmp_path, broken_files(valid_yaml))
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:5] == [
        "content/merchants/b.yaml:2:7: erreur: « kind » vaut « magasin » : valeurs possibles : "
        "commerce, artisan, producteur, restaurant, bar",
        "content/merchants/b.yaml:4:22: erreur: syntaxe YAML : deux-points inattendu : mettez la valeur entre "
        "guillemets si elle contient « : », ou vérifiez l'indentation",
        "content/merchants/b.yaml:16:8: erreur: SIRET 73282932000074 déjà utilisé par content/merchants/a.yaml : "
        "un commerce n'a qu'une fiche ; fusionnez-les",
        "content/merchants/c.yaml:8:1: erreur: syntaxe YAML : tabulation trouvée : indentez avec des espaces, "
        "pas des tabulations",
        "content/merchants/c.yaml:11:10: erreur: adresse e-mail « pas-un-mail » invalide : format attendu "
        "nom@domaine.fr",
    ]
    d = [line for line in lines if line.startswith("content/merchants/d.yaml")]
    assert len(d) == 21 and d[-1] == "content/merchants/d.yaml: … et 5 autres problèmes dans ce fichier"
    assert d[0].startswith("content/merchants/d.yaml:18:12: erreur: « products[0].price » doit être un nombre")
    assert lines[-3:] == [
        "content/merchants/e.yaml:8:3: erreur: le champ « postcode » apparaît deux fois (déjà à la ligne 7) : "
        "gardez-en un seul",
        "content/merchants/e.yaml:14:18: erreur: « click_and_collect.order[1] » vaut « pigeon » : valeurs "
        "possibles : phone, email, website, sms, on_site, marketplace",
        "Erreur : 5 fiche(s) vérifiée(s) : 32 erreur(s), 0 avertissement(s).",
    ]


def test_the_build_reports_them_all_too(tmp_path, valid_yaml):
    make_project(tmp_path, broken_files(valid_yaml))
    result = run("build", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "content/merchants/b.yaml:2:7: erreur: « kind »" in result.output
    assert "content/merchants/b.yaml:4:22: erreur: syntaxe YAML" in result.output
    assert "content/merchants/b.yaml:16:8: erreur: SIRET" in result.output
    assert "content/merchants/d.yaml: … et 5 autres problèmes dans ce fichier" in result.output
    assert "Erreur : 32 erreur(s) : le site n'a pas été construit" in result.output
    assert not (tmp_path / "site").exists()


def test_a_field_on_a_line_set_aside_is_not_reported_missing(valid_yaml):
    """The name is on the broken line: « name missing » would send staff looking for the wrong thing."""
    doc = reader.parse(valid_yaml.replace("name: Fleurs de Loire", "name: Fleurs: de Loire"), "f.yaml", lenient=True)
    assert [(p.line, p.message.split(" :")[0]) for p in doc.problems] == [(1, "syntaxe YAML")]
    assert "name" not in doc.data and doc.data["kind"] == "commerce"
    assert doc.hides(("name",), missing=True)


def test_a_strict_read_still_stops_at_the_first_problem(valid_yaml):
    with pytest.raises(reader.ReadError) as err:
        reader.parse(valid_yaml + "kind: bar\n", "f.yaml")
    assert err.value.line == 16 and "apparaît deux fois" in err.value.message


def test_a_broken_category_file_does_not_hide_the_merchants_problems(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"a.yaml": valid_yaml.replace("kind: commerce", "kind: magasin")})
    project.categories_file.write_text("- id: fleuriste\n  label: Fleuriste\n  labl: x\n", encoding="utf-8")
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    assert (
        "content/categories.yaml:1:3: erreur: catégorie n° 1 : champ obligatoire « label_en » manquant" in result.output
    )
    assert "content/merchants/a.yaml:2:7: erreur: « kind » vaut « magasin »" in result.output


def test_site_settings_categories_and_merchants_in_one_run(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"a.yaml": valid_yaml.replace("kind: commerce", "kind: magasin")})
    (project.content / "site.yaml").write_text("base_url: pas une adresse\n", encoding="utf-8")
    project.categories_file.write_text("- id: fleuriste\n  label: Fleuriste\n  labl: x\n", encoding="utf-8")
    result = run("validate", "--root", str(tmp_path))
    assert result.exit_code == 1
    where = [line.split(": erreur:")[0] for line in result.output.splitlines() if ": erreur:" in line]
    assert where == ["content/categories.yaml:1:3", "content/merchants/a.yaml:2:7", "content/site.yaml:1:11"]
    assert result.output.endswith("Erreur : 1 fiche(s) vérifiée(s) : 3 erreur(s), 0 avertissement(s).\n")
