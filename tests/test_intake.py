"""`ccdir intake`: an issue made with the « Inscription » issue form → a file, as GitHub would render it."""

from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner
from conftest import REPO

from ccdir.cli import main
from ccdir.content import reader
from ccdir.content.config import Project
from ccdir.content.model import Merchant
from ccdir.intake.issue import IntakeError, intake, sections

TEMPLATE = REPO / ".github" / "ISSUE_TEMPLATE" / "inscription.yml"
ENTRY = """name: "Fleurs du Mail"
kind: "commerce"
categories: ["fleuriste"]
address:
  street: "3 rue Royale"
  postcode: "45000"
  city: "orleans"
contact:
  phone: "02 38 11 22 33"
click_and_collect:
  order: ["phone"]
"""


def issue(action="Inscription", slug="_No response_", entry=ENTRY, reason="_No response_", consent=True) -> str:
    """An issue body exactly as GitHub writes it for the issue form."""
    fiche = f"```yaml\n{entry}\n```" if entry else "_No response_"
    box = "X" if consent else " "
    return (
        f"### Demande\n\n{action}\n\n### Identifiant de la fiche\n\n{slug}\n\n### Fiche\n\n{fiche}\n\n"
        f"### Motif du retrait\n\n{reason}\n\n### Consentement\n\n- [{box}] J'accepte que les informations "
        "de la fiche soient publiées sur le site et dans ses données ouvertes.\n"
    )


@pytest.fixture
def project(tmp_path) -> Project:
    shutil.copytree(REPO / "content", tmp_path / "content")
    return Project.load(tmp_path)


def test_issue_form_labels_match_what_intake_reads():
    form = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    labels = [item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"]
    assert labels == ["Demande", "Identifiant de la fiche", "Fiche", "Motif du retrait", "Consentement"]
    assert set(sections(issue())) == set(labels)


def test_new_entry_is_written_in_canonical_form(project):
    result = intake(project, issue())
    assert result.path == "content/merchants/45-loiret/fleurs-du-mail.yaml"
    text = (project.root / result.path).read_text(encoding="utf-8")
    merchant = Merchant.model_validate(reader.parse(text).data)
    assert merchant.address.city == "Orléans"  # spelling corrected by the gazetteer
    assert text.startswith("name: Fleurs du Mail\nkind: commerce\ncategories: [fleuriste]\n")


def test_edit_rewrites_that_file_only(project):
    path = project.root / "content/merchants/45-loiret/atelier-des-pivoines.yaml"
    data = reader.read_file(path).data
    data["description"] = "Nouvelle présentation."
    entry = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    before = {p: p.read_bytes() for p in project.merchants_dir.rglob("*.yaml")}
    result = intake(project, issue("Modification", "atelier-des-pivoines", entry))
    assert result.path == "content/merchants/45-loiret/atelier-des-pivoines.yaml"
    after = {p: p.read_bytes() for p in project.merchants_dir.rglob("*.yaml")}
    assert [p for p in after if after[p] != before[p]] == [path] and set(after) == set(before)
    assert "description: Nouvelle présentation." in path.read_text(encoding="utf-8")


def test_removal_deletes_that_file(project):
    result = intake(project, issue("Retrait", "atelier-des-pivoines", "", "Fermeture", consent=False))
    assert result.action == "remove"
    assert not (project.root / result.path).exists()


@pytest.mark.parametrize(
    "body, expected",
    [
        (issue(consent=False), "Consentement (consent) : cochez la case"),
        (
            issue(entry=ENTRY.replace('"45000"', '"4500"')),
            "Code postal (address.postcode) : code postal « 4500 » invalide",
        ),
        (issue(entry="name: [unclosed"), "rubrique « Fiche », ligne 2 : syntaxe YAML"),
        (issue(entry=""), "rubrique « Fiche » vide"),
        (issue("Modification", "n-existe-pas"), "aucune fiche « n-existe-pas »"),
        (issue("Retrait", "../../site", "", "x"), "Identifiant de la fiche (slug)"),
        (issue("Suppression"), "« suppression » inconnu"),
        ("Bonjour, inscrivez-moi !", "formulaire « Inscription »"),
        (
            issue(
                entry=ENTRY.replace("Fleurs du Mail", "L'Atelier des Pivoines")
                .replace('"45000"', '"45200"')
                .replace("orleans", "Montargis")
            ),
            "a déjà une fiche",
        ),
    ],
)
def test_bad_requests_say_what_to_fix(project, body, expected):
    with pytest.raises(IntakeError) as err:
        intake(project, body)
    assert expected in str(err.value)
    assert sorted(project.merchants_dir.rglob("*.yaml")) == sorted(
        project.root / "content" / p.relative_to(REPO / "content") for p in (REPO / "content/merchants").rglob("*.yaml")
    )


def test_cli_prints_the_path_or_a_french_error(project, tmp_path):
    body = tmp_path / "demande.md"
    body.write_text(issue(), encoding="utf-8")
    result = CliRunner().invoke(main, ["intake", str(body), "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "content/merchants/45-loiret/fleurs-du-mail.yaml"
    body.write_text(issue(consent=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["intake", str(body), "--root", str(project.root)])
    assert result.exit_code == 1 and "cochez la case" in result.output and "Traceback" not in result.output
