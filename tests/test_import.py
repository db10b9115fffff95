"""`ccdir import`: real spreadsheets (CSV in the encodings French tools produce, XLSX made with openpyxl)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import REPO, make_project
from stdnum import luhn

from ccdir.cli import main
from ccdir.content import reader
from ccdir.content.model import Merchant
from ccdir.core.problems import ContentError
from ccdir.intake.importer import ImportOptions, import_sheet

TODAY = dt.date(2021, 3, 1)


def siret(siren: str) -> str:
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


SIRET_MARTIN = siret("732829320")
SIRET_ROSE = siret("552100554")

HEADERS = ["Raison sociale", "Enseigne", "Adresse", "CP", "Ville", "Téléphone", "Mail", "Site", "Activité", "SIRET"]
ROWS = [
    [
        "SARL MARTIN",
        "Boulangerie Martin",
        "3 rue du Four",
        "45000",
        "ORLEANS",
        "02 38 12 34 56",
        "contact@martin.example.org",
        "www.martin.example.org",
        "Boulangerie-Pâtisserie",
        SIRET_MARTIN,
    ],
    ["ROSE ET FILS", "", "12 avenue Foch", "45200", "Montargis", "", "rose@example.org", "", "Fleurs", SIRET_ROSE],
    [
        "LEGRAND",
        "Au Bon Cuir",
        "1 place du Marché",
        "37000",
        "Tours",
        "02 47 00 00 01",
        "",
        "",
        "Cordonnerie et clés",
        "",
    ],
]


def write_csv(path: Path, headers, rows, encoding="utf-8", delimiter=";") -> Path:
    lines = [delimiter.join(headers)] + [delimiter.join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def write_xlsx(path: Path, headers, rows, sheet: str = "Adhérents", extra_sheet: bool = False) -> Path:
    wb = openpyxl.Workbook()
    if extra_sheet:
        wb.active.title = "Notes"
        wb.active.append(["Export du 1er mars"])
        ws = wb.create_sheet(sheet)
    else:
        ws = wb.active
        ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def tree(project) -> dict[str, bytes]:
    return {
        p.relative_to(project.merchants_dir).as_posix(): p.read_bytes()
        for p in sorted(project.merchants_dir.rglob("*"))
        if p.is_file()
    }


def run_import(project, path: Path, **options):
    return import_sheet(project, path, ImportOptions(**options), today=TODAY)


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "encoding,delimiter",
    [("utf-8-sig", ";"), ("utf-8", ";"), ("cp1252", ";"), ("cp1252", ","), ("utf-8", "\t"), ("utf-16", "\t")],
)
def test_csv_in_french_encodings_and_separators(tmp_path, encoding, delimiter):
    project = make_project(tmp_path)
    rows = [[c.replace(",", " ") for c in r] for r in ROWS]
    sheet = write_csv(tmp_path / "adherents.csv", HEADERS, rows, encoding, delimiter)
    report = run_import(project, sheet)
    assert report.lines() == []
    assert (report.count("created"), report.count("error")) == (3, 0)
    assert sorted(tree(project)) == [
        "37-indre-et-loire/au-bon-cuir.yaml",
        "45-loiret/boulangerie-martin.yaml",
        "45-loiret/rose-et-fils.yaml",
    ]
    text = (project.merchants_dir / "45-loiret/boulangerie-martin.yaml").read_text(encoding="utf-8")
    assert text == (
        "# yaml-language-server: $schema=http://127.0.0.1:8000/schema/merchant.json\n"
        "name: Boulangerie Martin\n"
        "kind: commerce\n"
        "categories: [boulangerie, patisserie]\n"
        "address:\n"
        "  street: 3 rue du Four\n"
        '  postcode: "45000"\n'
        "  city: Orléans\n"  # official spelling from the gazetteer, not « ORLEANS »
        "contact:\n"
        '  phone: "02 38 12 34 56"\n'
        "  email: contact@martin.example.org\n"
        "  website: https://www.martin.example.org\n"
        "click_and_collect:\n"
        "  order: [phone, email]\n"  # default: from the contacts present
        f'siret: "{SIRET_MARTIN}"\n'
        "updated: 2021-03-01\n"
    )
    rose = (project.merchants_dir / "45-loiret/rose-et-fils.yaml").read_text(encoding="utf-8")
    assert "name: ROSE ET FILS\n" in rose  # no « Enseigne »: the legal name
    assert "categories: [fleuriste]\n" in rose and "order: [email]\n" in rose
    assert "categories: [cordonnerie]\n" in (project.merchants_dir / "37-indre-et-loire/au-bon-cuir.yaml").read_text()
    result = cli("validate", "--root", str(tmp_path))
    assert result.exit_code == 0, result.output


def test_xlsx_with_numbers_dates_and_a_chosen_sheet(tmp_path):
    project = make_project(tmp_path)
    headers = [
        "Nom commercial",
        "Code postal",
        "Commune",
        "Tél.",
        "Courriel",
        "Secteur d'activité",
        "N° SIRET",
        "Date de mise à jour",
        "Livraison",
        "Type",
    ]
    rows = [
        # Excel keeps codes as numbers: 1500 is the Ain's 01500, the phone lost its leading zero.
        [
            "Fromagerie du Bugey",
            1500,
            "Ambérieu-en-Bugey",
            474000001,
            "bugey@example.org",
            "Fromagerie",
            int(SIRET_MARTIN),
            dt.datetime(2020, 11, 5),
            "oui",
            "Artisan",
        ],
    ]
    path = write_xlsx(tmp_path / "adherents.xlsx", headers, rows, extra_sheet=True)
    report = run_import(project, path, sheet="Adhérents")
    assert report.lines() == []
    text = (project.merchants_dir / "01-ain/fromagerie-du-bugey.yaml").read_text(encoding="utf-8")
    assert '  postcode: "01500"\n' in text
    assert '  phone: "04 74 00 00 01"\n' in text
    assert f'siret: "{SIRET_MARTIN}"\n' in text
    assert "kind: artisan\n" in text
    assert "  delivery: true\n" in text
    assert text.endswith("updated: 2020-11-05\n")  # the sheet's date, not today's

    with pytest.raises(ContentError) as err:
        run_import(project, path, sheet="Feuil9")
    assert (
        "feuille « Feuil9 » introuvable : feuilles du classeur : « Notes », « Adhérents »"
        in err.value.problems[0].message
    )


def test_reimport_is_idempotent_and_updates_in_place(tmp_path):
    project = make_project(tmp_path)
    sheet = write_csv(tmp_path / "adherents.csv", HEADERS, ROWS, "utf-8-sig")
    assert run_import(project, sheet).count("created") == 3
    first = tree(project)

    second = run_import(project, sheet)
    assert [r.action for r in second.rows] == ["unchanged"] * 3
    assert tree(project) == first  # byte for byte, no new file

    # Staff add products and hours by hand; the chamber changes a phone number and writes the name in capitals.
    path = project.merchants_dir / "45-loiret/boulangerie-martin.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + 'opening_hours: "Tu-Sa 07:00-19:00"\n'
        "products:\n  - name: Baguette\n    price: 1.1\n",
        encoding="utf-8",
    )
    changed = [list(r) for r in ROWS]
    changed[0][5] = "02 38 99 99 99"
    changed[2][1] = "AU BON CUIR"  # no SIRET: matched on the normalised name and postcode
    later = dt.date(2021, 4, 2)
    report = import_sheet(project, write_csv(tmp_path / "v2.csv", HEADERS, changed, "cp1252"), today=later)
    assert [r.action for r in report.rows] == ["updated", "unchanged", "updated"]
    assert sorted(tree(project)) == sorted(first)  # updated in place, never duplicated
    merchant = Merchant.model_validate(reader.read_file(path).data)
    assert merchant.contact.phone == "02 38 99 99 99"
    assert merchant.opening_hours == "Tu-Sa 07:00-19:00" and merchant.products[0].name == "Baguette"
    assert merchant.updated == later
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server:")  # leading comment kept
    cuir = reader.read_file(project.merchants_dir / "37-indre-et-loire/au-bon-cuir.yaml").data
    assert cuir["name"] == "AU BON CUIR"


def test_row_problems_name_the_row_and_column_and_good_rows_are_written(tmp_path):
    project = make_project(tmp_path)
    rows = [
        ROWS[0],
        ["DUPONT", "Fleurs Dupont", "12 rue", "45200", "Montargis", "0238999", "", "", "Fleuriste", ""],
        ["X", "Épicerie X", "1 rue", "45000", "Orléans", "", "", "", "Épicerie", ""],
        ["Y", "Chez Y", "1 rue", "45000", "Orléans", "02 38 12 34 58", "", "", "Astronautique", ""],
        ["Z", "Chez Z", "1 rue", "45000", "Tours", "02 38 12 34 59", "", "", "Bar", ""],
        ["", "", "", "", "", "", "", "", "", ""],  # blank row: skipped, numbering kept
        [
            "SARL MARTIN bis",
            "Boulangerie Martin 2",
            "3 rue",
            "45000",
            "Orléans",
            "02 38 12 34 56",
            "",
            "",
            "Boulangerie",
            SIRET_MARTIN,
        ],
    ]
    sheet = write_csv(tmp_path / "adherents.csv", HEADERS, rows)
    result = cli("import", str(sheet), "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if ": erreur : " in line]
    assert lines[0].startswith(
        "adherents.csv, ligne 3, colonne « Téléphone » : erreur : numéro de téléphone "
        "« 0238999 » invalide : écrivez un numéro français à 10 chiffres"
    )
    assert lines[1] == (
        "adherents.csv, ligne 4 : erreur : indiquez au moins un moyen de contact : « phone », « email » ou « website »"
    )
    assert lines[2].startswith(
        "adherents.csv, ligne 5, colonne « Activité » : erreur : activité « Astronautique » non reconnue"
    )
    assert '--activite "Astronautique=identifiant"' in lines[2]
    assert lines[3].startswith(
        "adherents.csv, ligne 6, colonne « CP » : erreur : le code postal 45000 ne correspond pas à « Tours »"
    )
    assert (
        lines[4] == "adherents.csv, ligne 8, colonne « SIRET » : erreur : même commerce que la ligne 2 "
        f"(même SIRET {SIRET_MARTIN} que « Boulangerie Martin ») : fusionnez les deux lignes"
    )
    assert len(lines) == 5
    assert (
        "6 ligne(s) lue(s) : 1 fiche(s) créée(s), 0 mise(s) à jour, 0 inchangée(s), 0 ignorée(s) hors du champ "
        "de l'annuaire, 5 ligne(s) en erreur" in result.output.replace("\n", " ")
    )
    assert list(tree(project)) == ["45-loiret/boulangerie-martin.yaml"]


def test_dry_run_writes_nothing(tmp_path):
    project = make_project(tmp_path)
    sheet = write_csv(tmp_path / "adherents.csv", HEADERS, ROWS)
    result = cli("import", str(sheet), "--root", str(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 fiche(s) seraient créée(s)" in result.output and "aucun fichier écrit" in result.output
    assert "ligne 2 : content/merchants/45-loiret/boulangerie-martin.yaml serait créée" in result.output
    assert tree(project) == {}


def test_explicit_mapping_activity_labels_and_defaults(tmp_path):
    project = make_project(tmp_path)
    headers = ["Nom du magasin", "Enseigne", "Code postal", "Ville", "Portable", "Rayon", "Horaires"]
    rows = [
        ["Primeurs de Loire", "ignored", "41000", "Blois", "06 12 34 56 78", "Fruits et primeurs", "Mo-Sa 08:00-12:30"]
    ]
    sheet = write_csv(tmp_path / "liste.csv", headers, rows)
    result = cli(
        "import",
        str(sheet),
        "--root",
        str(tmp_path),
        "-c",
        "Nom du magasin=name",
        "-c",
        "Rayon=activity",
        "-c",
        "Horaires=opening_hours",
        "-a",
        "fruits et primeurs=primeur",
        "--kind",
        "producteur",
        "--order",
        "phone,sms",
    )
    assert result.exit_code == 0, result.output
    text = (project.merchants_dir / "41-loir-et-cher/primeurs-de-loire.yaml").read_text(encoding="utf-8")
    assert "name: Primeurs de Loire\nkind: producteur\ncategories: [primeur]\n" in text
    assert "order: [phone, sms]\n" in text and 'opening_hours: "Mo-Sa 08:00-12:30"\n' in text
    assert "« Enseigne » → name" not in result.output  # the explicit mapping replaced the auto-detected column


def test_bad_options_and_missing_columns_are_clean_errors(tmp_path):
    make_project(tmp_path)
    sheet = write_csv(tmp_path / "liste.csv", ["Nom", "Ville", "Activité"], [["A", "Blois", "Bar"]])
    result = cli("import", str(sheet), "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "colonne obligatoire introuvable : « Code postal » (ou « CP »)" in result.output
    result = cli("import", str(sheet), "--root", str(tmp_path), "-c", "Code=postcode")
    assert "--colonne « Code=postcode » : pas de colonne « Code »" in result.output
    result = cli("import", str(sheet), "--root", str(tmp_path), "-c", "Ville=cité")
    assert "champ « cité » inconnu — vouliez-vous dire « city » ?" in result.output
    old = tmp_path / "vieux.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    result = cli("import", str(old), "--root", str(tmp_path))
    assert result.exit_code == 1 and "format .xls non pris en charge" in result.output
    assert "Traceback" not in result.output


def test_same_name_in_two_towns_gets_two_slugs(tmp_path):
    project = make_project(tmp_path)
    rows = [
        ["", "Le Fournil", "1 rue", "45000", "Orléans", "02 38 00 00 01", "", "", "Boulangerie", ""],
        ["", "Le Fournil", "1 rue", "45200", "Montargis", "02 38 00 00 02", "", "", "Boulangerie", ""],
    ]
    report = run_import(project, write_csv(tmp_path / "a.csv", HEADERS, rows))
    assert [r.path for r in report.rows] == [
        "content/merchants/45-loiret/le-fournil.yaml",
        "content/merchants/45-loiret/le-fournil-montargis.yaml",
    ]
    assert cli("validate", "--root", str(tmp_path)).exit_code == 0


def test_same_name_and_postcode_with_another_siret_is_not_merged(tmp_path):
    project = make_project(tmp_path)
    run_import(project, write_csv(tmp_path / "a.csv", HEADERS, [ROWS[0]]))
    other = list(ROWS[0])
    other[9] = SIRET_ROSE
    report = run_import(project, write_csv(tmp_path / "b.csv", HEADERS, [other]))
    assert report.rows[0].action == "error"
    assert "a déjà une fiche avec un autre SIRET" in report.lines()[0]
    assert len(tree(project)) == 1


MIREBEAU = REPO / "content/merchants/18-cher/bijoux-mirebeau.yaml"
PIVOINES = REPO / "content/merchants/45-loiret/atelier-des-pivoines.yaml"


def test_rows_for_published_businesses_follow_the_rules_of_the_bot_and_validate(tmp_path):
    """A row with the SIRET of a published business under another name, and a row whose name differs from a
    published one only by its article, update those files — reported as the bot reports them — instead of
    adding second files that `ccdir validate` would refuse."""
    project = make_project(
        tmp_path,
        {
            "18-cher/bijoux-mirebeau.yaml": MIREBEAU.read_text(encoding="utf-8"),
            "45-loiret/atelier-des-pivoines.yaml": PIVOINES.read_text(encoding="utf-8"),
        },
    )
    rows = [
        ["", "Atelier Mirebeau", "41 rue Mirebeau", "18000", "Bourges", "02 48 00 11 22", "", "", "Bijouterie",
         "39668282500098"],
        ["", "Atelier des Pivoines", "", "45200", "Montargis", "02 38 00 00 09", "", "", "Fleuriste", ""],
    ]  # fmt: skip
    before = sorted(tree(project))
    report = run_import(project, write_csv(tmp_path / "a.csv", HEADERS, rows))
    assert [r.action for r in report.rows] == ["updated", "updated"], report.lines()
    assert sorted(tree(project)) == before  # no second file
    lines = report.row_lines()
    assert lines[0] == (
        "a.csv, ligne 2 : même commerce que content/merchants/18-cher/bijoux-mirebeau.yaml "
        "(même SIRET 39668282500098 que « Bijoux Mirebeau ») : fiche mise à jour"
    )
    assert lines[1] == (
        "a.csv, ligne 3 : même commerce que content/merchants/45-loiret/atelier-des-pivoines.yaml "
        "(« L'Atelier des Pivoines » a le même nom dans le code postal 45200) : fiche mise à jour"
    )
    assert cli("validate", "--root", str(tmp_path)).exit_code == 0


def test_a_row_naming_two_published_businesses_is_refused(tmp_path):
    project = make_project(
        tmp_path,
        {
            "18-cher/bijoux-mirebeau.yaml": MIREBEAU.read_text(encoding="utf-8"),
            "45-loiret/atelier-des-pivoines.yaml": PIVOINES.read_text(encoding="utf-8"),
        },
    )
    row = ["", "L'Atelier des Pivoines", "", "45200", "Montargis", "", "", "", "Fleuriste", "39668282500098"]
    report = run_import(project, write_csv(tmp_path / "a.csv", HEADERS, [row]))
    assert report.rows[0].action == "error"
    assert "désigne deux fiches : bijoux-mirebeau.yaml (même SIRET" in report.lines()[0]
    assert "atelier-des-pivoines.yaml (« L'Atelier des Pivoines » a le même nom" in report.lines()[0]


def test_two_rows_of_one_business_in_one_sheet_are_reported_with_the_rule(tmp_path):
    project = make_project(tmp_path)
    second = list(ROWS[0])
    second[1] = "La Boulangerie Martin"  # the same name but for its article
    second[9] = ""
    report = run_import(project, write_csv(tmp_path / "a.csv", HEADERS, [ROWS[0], second]))
    assert [r.action for r in report.rows] == ["created", "error"]
    assert (
        "même commerce que la ligne 2 (« Boulangerie Martin » a le même nom dans le code postal 45000)"
        in (report.lines()[0])
    )
