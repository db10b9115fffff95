"""`ccdir import` of a chamber's real export: SIRET, NAF/APE codes and labels in mixed notations of both
generations, rows out of the directory's scope, the report beside the sheet, the optional SIRENE check."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import make_project
from sirene_server import FakeSirene
from stdnum import luhn
from stdnum.fr import siret as siret_check

from ccdir.cli import main
from ccdir.content import reader
from ccdir.intake.columns import map_columns
from ccdir.intake.importer import ImportOptions, import_sheet
from ccdir.intake.sirene import Sirene

TODAY = dt.date(2026, 11, 2)


def make_siret(n: int) -> str:
    siren = f"{41200000 + n * 137:08d}"
    siren += luhn.calc_check_digit(siren)
    base = siren + "0001"
    return base + luhn.calc_check_digit(base)


SIRETS = [make_siret(i) for i in range(12)]
HEADERS = [
    "N° SIRET",
    "Raison sociale",
    "Enseigne",
    "Code APE",
    "Libellé APE",
    "Adresse",
    "CP",
    "Commune",
    "Téléphone",
    "Courriel",
]
# (row, expected result): code and label in every notation met in chambers' exports, both generations.
SHEET = [
    (
        [
            SIRETS[0],
            "SARL FOURNIL",
            "Au Fournil d'Orléans",
            "10.71C",
            "Boulangerie et boulangerie-pâtisserie",
            "3 rue Bannier",
            "45000",
            "ORLEANS",
            "02 38 12 34 56",
            "",
        ],
        ("boulangerie", "patisserie"),
        "artisan",
    ),
    (
        [
            SIRETS[1],
            "LA TABLE DE JEANNE",
            "",
            "5610A - Restauration traditionnelle",
            "",
            "8 rue Colbert",
            "37000",
            "Tours",
            "",
            "jeanne@example.org",
        ],
        ("restaurant",),
        "restaurant",
    ),
    (
        [
            SIRETS[2],
            "LE ZINC",
            "Le Zinc",
            "",
            "Debits de boissons",
            "1 place Louis XII",
            "41000",
            "Blois",
            "02 54 00 00 01",
            "",
        ],
        ("bar",),
        "bar",
    ),
    (
        [
            SIRETS[3],
            "CAVE SAINT-MARC",
            "",
            "47.25 Z",
            "Commerce de détail de boissons en magasin spécialisé",
            "5 rue Noël Ballay",
            "28000",
            "Chartres",
            "02 37 00 00 02",
            "",
        ],
        ("caviste",),
        "commerce",
    ),
    (
        [
            SIRETS[4],
            "CREMERIE DU MARCHE",
            "",
            "4727g",
            "",
            "2 place Saint-Bonnet",
            "18000",
            "Bourges",
            "02 48 00 00 03",
            "",
        ],
        ("fromagerie",),
        "commerce",
    ),
    (
        [
            SIRETS[5],
            "BISTROT DES HALLES",
            "",
            "56.11G",
            "Restauration traditionnelle",
            "4 rue Grande",
            "36000",
            "Châteauroux",
            "02 54 00 00 04",
            "",
        ],
        ("restaurant",),
        "restaurant",
    ),
    (
        [
            SIRETS[6],
            "BANQUE DU CENTRE",
            "",
            "64.19Z",
            "Autres intermédiations monétaires",
            "1 rue Royale",
            "45000",
            "Orléans",
            "02 38 00 00 05",
            "",
        ],
        None,
        None,
    ),
    (
        [
            SIRETS[7],
            "MUTUELLE ASSURANCES LOIRE",
            "",
            "6512Z",
            "",
            "9 boulevard Heurteloup",
            "37000",
            "Tours",
            "02 47 00 00 06",
            "",
        ],
        None,
        None,
    ),
    (
        [
            SIRETS[8],
            "DOMAINE DES COTEAUX",
            "",
            "01.21Y",
            "Culture de la vigne",
            "Les Coteaux",
            "41100",
            "Vendôme",
            "02 54 00 00 07",
            "",
        ],
        ("viticulteur",),
        "producteur",
    ),
    (
        [
            SIRETS[9],
            "CORDONNERIE CENTRALE",
            "",
            "9523z",
            "Réparation de chaussures et d'articles en cuir",
            "7 rue Dorée",
            "45200",
            "Montargis",
            "02 38 00 00 08",
            "",
        ],
        ("cordonnerie",),
        "artisan",
    ),
]


def write_csv(path: Path, headers, rows) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([headers, *rows])
    path.write_bytes(buf.getvalue().encode("cp1252"))  # « CSV (séparateur : point-virgule) » from Excel
    return path


def write_xlsx(path: Path, headers, rows) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export CCI"
    ws.append(headers)
    for row in rows:
        ws.append([int(c) if i in (0, 6) and c.isdigit() else c for i, c in enumerate(row)])  # Excel keeps numbers
    wb.save(path)
    return path


def tree(project) -> dict[str, bytes]:
    return {
        p.relative_to(project.merchants_dir).as_posix(): p.read_bytes()
        for p in sorted(project.merchants_dir.rglob("*"))
        if p.is_file()
    }


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def read_report(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8")), delimiter=";"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_chamber_export_keyed_by_siret_with_naf_codes_of_both_generations(tmp_path, fmt, gazetteer):
    for siret in SIRETS:
        assert siret_check.is_valid(siret)
    project = make_project(tmp_path)
    rows = [r for r, _, _ in SHEET]
    sheet = (write_csv if fmt == "csv" else write_xlsx)(tmp_path / f"export-cci.{fmt}", HEADERS, rows)
    report = import_sheet(project, sheet, ImportOptions(), gazetteer=gazetteer, today=TODAY)
    assert report.lines() == []
    assert [r.action for r in report.rows] == ["skipped" if cats is None else "created" for _, cats, _ in SHEET]
    assert report.count("created") == 8 and report.count("skipped") == 2
    for result, (_, categories, kind) in zip(report.rows, SHEET, strict=True):
        if categories is None:
            assert result.path is None
            continue
        data = reader.read_file(project.root / result.path).data
        assert tuple(data["categories"]) == categories, result.path
        assert data["kind"] == kind, result.path
        assert data["siret"] == result.siret
    bank, insurer = report.rows[6], report.rows[7]
    assert bank.reason == "hors du champ de l'annuaire : code NAF 64.19Z « Autres intermédiations monétaires »"
    assert insurer.reason.startswith("hors du champ de l'annuaire : code NAF 65.12Z")
    assert report.rows[0].naf == "10.71C Boulangerie et boulangerie-pâtisserie (NAF rév. 2)"
    assert report.rows[4].naf.endswith("(NAF 2025)")
    # Every file written is valid as a whole project.
    assert cli("validate", "--root", str(tmp_path)).exit_code == 0

    # The report beside the sheet: one line per row, in French.
    lines = read_report(tmp_path / "export-cci.rapport.csv")
    assert list(lines[0]) == ["Ligne", "Résultat", "Fiche", "Nom", "SIRET", "Code NAF", "Catégories", "Détail"]
    assert [(line["Ligne"], line["Résultat"]) for line in lines] == [
        (str(i), "ignorée" if c is None else "créée") for i, (_, c, _) in enumerate(SHEET, start=2)
    ]
    assert lines[6]["Détail"] == bank.reason and lines[6]["Fiche"] == ""
    assert lines[0]["Catégories"] == "boulangerie, patisserie"
    assert lines[0]["Fiche"].startswith("content/merchants/45-loiret/")

    # Importing the same sheet again changes nothing.
    before = tree(project)
    again = import_sheet(project, sheet, ImportOptions(), gazetteer=gazetteer, today=TODAY + dt.timedelta(days=30))
    assert [r.action for r in again.rows] == ["skipped" if c is None else "unchanged" for _, c, _ in SHEET]
    assert tree(project) == before
    assert [line["Résultat"] for line in read_report(tmp_path / "export-cci.rapport.csv")] == [
        "ignorée" if c is None else "inchangée" for _, c, _ in SHEET
    ]


def test_the_cli_succeeds_with_skipped_rows_and_says_why(tmp_path):
    make_project(tmp_path)
    sheet = write_csv(tmp_path / "export.csv", HEADERS, [SHEET[0][0], SHEET[6][0]])
    result = cli("import", str(sheet), "--root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (
        "export.csv, ligne 3 : ignorée : hors du champ de l'annuaire : code NAF 64.19Z « Autres "
        "intermédiations monétaires »"
    ) in result.output
    assert "« Code APE » → naf" in result.output and "« Libellé APE » → naf_label" in result.output
    assert (
        "2 ligne(s) lue(s) : 1 fiche(s) créée(s), 0 mise(s) à jour, 0 inchangée(s), 1 ignorée(s) hors du "
        "champ de l'annuaire, 0 ligne(s) en erreur" in result.output.replace("\n", " ")
    )
    assert f"Rapport ligne par ligne : {tmp_path / 'export.rapport.csv'}" in result.output
    assert "Traceback" not in result.output
    (tmp_path / "export.rapport.csv").unlink()
    result = cli("import", str(sheet), "--root", str(tmp_path), "--dry-run")
    assert result.exit_code == 0 and "1 fiche(s) seraient créée(s)" not in result.output  # already there
    assert "ligne 3 : ignorée : hors du champ" in result.output
    assert not (tmp_path / "export.rapport.csv").exists()  # a dry run writes nothing, not even the report


def test_bad_naf_cells_are_refused_with_row_and_column(tmp_path):
    project = make_project(tmp_path)
    base = SHEET[0][0]
    rows = [
        [make_siret(20), "A", "Chez A", "56.10X", "", *base[5:]],  # unknown sous-classe
        [make_siret(21), "B", "Chez B", "56-1", "", *base[5:]],  # malformed
        [make_siret(22), "C", "Chez C", "5610A", "Débits de boissons", *base[5:]],  # code and label disagree
        [make_siret(23), "D", "Chez D", "47.24", "", *base[5:]],  # class in both generations, no letter
        [make_siret(24), "E", "Chez E", "", "Astronautique", *base[5:]],  # unknown label
        [make_siret(25), "F", "Chez F", "47.78C", "", *base[5:]],  # in scope, too broad for a category
        base,
    ]
    sheet = write_csv(tmp_path / "adherents.csv", HEADERS, rows)
    result = cli("import", str(sheet), "--root", str(tmp_path))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": erreur : " in line]
    assert errors[0].startswith(
        "adherents.csv, ligne 2, colonne « Code APE » : erreur : code NAF « 56.10X » inconnu : "
        "la classe 56.10 a pour sous-classes 56.10A Restauration traditionnelle (NAF rév. 2)"
    )
    assert errors[1].startswith("adherents.csv, ligne 3, colonne « Code APE » : erreur : code NAF « 56-1 » illisible")
    assert errors[2] == (
        "adherents.csv, ligne 4, colonne « Libellé APE » : erreur : le code 56.10A (« Restauration "
        "traditionnelle ») et le libellé « Débits de boissons » (56.30Z) ne concordent pas : "
        "corrigez l'un ou l'autre"
    )
    assert errors[3].startswith("adherents.csv, ligne 5, colonne « Code APE » : erreur : code NAF « 47.24 » incomplet")
    assert "--naf rev2 ou --naf 2025" in errors[3]
    assert errors[4].startswith(
        "adherents.csv, ligne 6, colonne « Libellé APE » : erreur : libellé NAF « Astronautique » inconnu"
    )
    assert errors[5].startswith("adherents.csv, ligne 7, colonne « Code APE » : erreur : le code NAF 47.78C")
    assert "ajoutez une colonne « Activité » ou donnez --categorie" in errors[5]
    assert len(errors) == 6
    assert "1 fiche(s) créée(s)" in result.output and "6 ligne(s) en erreur" in result.output
    assert len(tree(project)) == 1
    report = read_report(tmp_path / "adherents.rapport.csv")
    assert [line["Résultat"] for line in report] == ["refusée"] * 6 + ["créée"]
    assert report[2]["Détail"].startswith("colonne « Libellé APE » : erreur : le code 56.10A")


def test_generation_from_the_header_or_the_option(tmp_path, gazetteer):
    project = make_project(tmp_path)
    base = SHEET[0][0]
    row = [base[0], base[1], base[2], "47.24", "", *base[5:]]
    headers = list(HEADERS)
    headers[3] = "Code NAF 2025"
    report = import_sheet(project, write_csv(tmp_path / "a.csv", headers, [row]), gazetteer=gazetteer, today=TODAY)
    assert report.lines() == [] and report.rows[0].naf.startswith("47.24Y ")
    assert reader.read_file(project.root / report.rows[0].path).data["categories"] == ["boulangerie", "patisserie"]
    plain = write_csv(tmp_path / "b.csv", HEADERS, [row])
    assert import_sheet(project, plain, gazetteer=gazetteer, today=TODAY).rows[0].action == "error"
    report = import_sheet(project, plain, ImportOptions(naf="rev2"), gazetteer=gazetteer, today=TODAY)
    assert report.rows[0].naf.startswith("47.24Z ") and report.rows[0].action == "unchanged"
    result = cli("import", str(plain), "--root", str(tmp_path), "--naf", "2024")
    assert result.exit_code == 2 and "« 2024 » : écrivez rev2 (NAF rév. 2) ou 2025 (NAF 2025)" in result.output


def test_activity_column_wins_and_naf_fills_in(tmp_path, gazetteer):
    project = make_project(tmp_path)
    headers = ["Enseigne", "CP", "Ville", "Téléphone", "Activité", "Activité principale (NAF)"]
    rows = [
        ["Pains et Délices", "45000", "Orléans", "02 38 00 00 10", "Pâtisserie", "10.71C"],
        ["Le Comptoir", "45000", "Orléans", "02 38 00 00 11", "Vente de bons moments", "56.30Z"],
        ["Galerie Bleue", "45000", "Orléans", "02 38 00 00 12", "Galerie d'art", "64.19Z"],
    ]
    report = import_sheet(project, write_csv(tmp_path / "a.csv", headers, rows), gazetteer=gazetteer, today=TODAY)
    assert [r.action for r in report.rows] == ["created"] * 3
    assert [r.categories for r in report.rows] == [["patisserie"], ["bar"], ["galerie-art"]]
    warnings = report.lines()
    assert (
        "ligne 3, colonne « Activité » : avertissement : activité « Vente de bons moments » non reconnue : "
        "catégorie d'après le code NAF 56.30Z" in warnings[0]
    )
    assert "ligne 4, colonne « Activité principale (NAF) » : avertissement : code NAF 64.19Z" in warnings[1]


@pytest.mark.slow
def test_sirene_cross_check_warns_and_caches(tmp_path, gazetteer):
    project = make_project(tmp_path)
    rows = [SHEET[0][0], SHEET[1][0], SHEET[2][0], SHEET[3][0]]
    sheet = write_csv(tmp_path / "export.csv", HEADERS, rows)
    with FakeSirene() as api:
        api.establishment(SIRETS[0], naf="10.71C", naf25="10.71H")  # agrees
        api.establishment(SIRETS[1], naf="56.10A", active=False, closed_on="2024-05-31")  # closed
        api.establishment(SIRETS[2], naf="64.19Z")  # a bar according to the chamber, a bank for SIRENE
        options = ImportOptions(sirene=True, sirene_url=api.url)
        report = import_sheet(project, sheet, options, gazetteer=gazetteer, today=TODAY)
        assert [r.notes for r in report.rows] == [
            [],
            ["avertissement : SIRENE : établissement fermé depuis le 31/05/2024 ; vérifiez avant de publier la fiche"],
            [
                "avertissement : SIRENE : activité 64.19Z Autres intermédiations monétaires (hors du champ de "
                "l'annuaire) ne correspond pas à la catégorie choisie (bar) ; vérifiez la fiche"
            ],
            ["SIRENE : SIRET introuvable (établissement non diffusible ou numéro erroné) : vérifiez-le"],
        ]
        assert [r.action for r in report.rows] == ["created"] * 4  # warnings, not refusals
        assert len(api.requests) == 4 and api.requests[0]["params"]["q"] == SIRETS[0]
        assert api.requests[0]["user_agent"].startswith("ccdir")
        lines = read_report(tmp_path / "export.rapport.csv")
        assert lines[1]["Détail"].startswith("avertissement : SIRENE : établissement fermé")
    cache = json.loads(project.sirene_cache_file.read_text(encoding="utf-8"))
    assert cache["etablissements"][SIRETS[1]]["active"] is False

    # Service gone: the cache answers, nothing is asked; an unknown SIRET is skipped with a note.
    rows.append(SHEET[4][0])
    sheet = write_csv(tmp_path / "export.csv", HEADERS, rows)
    dead = Sirene(project.sirene_cache_file, "http://127.0.0.1:9", timeout=0.5)
    report = import_sheet(project, sheet, ImportOptions(sirene=True), gazetteer=gazetteer, today=TODAY, sirene=dead)
    assert report.rows[1].notes[0].startswith("avertissement : SIRENE : établissement fermé")
    assert report.rows[4].action == "created"
    assert report.rows[4].notes == ["vérification SIRENE non faite (service injoignable)"]
    assert dead.requests == 1


def test_sirene_unreachable_is_a_note_not_a_failure(tmp_path):
    make_project(tmp_path)
    (tmp_path / "content" / "site.yaml").write_text("sirene_url: http://127.0.0.1:9\n", encoding="utf-8")
    sheet = write_csv(tmp_path / "export.csv", HEADERS, [SHEET[0][0], SHEET[1][0], SHEET[2][0]])
    result = cli("import", str(sheet), "--root", str(tmp_path), "--sirene")
    assert result.exit_code == 0, result.output
    assert "ligne 2 : vérification SIRENE non faite (service injoignable)" in result.output
    assert "vérification SIRENE interrompue : service injoignable" in result.output
    assert "3 fiche(s) créée(s)" in result.output


@pytest.mark.parametrize(
    "header,field,generation",
    [
        ("Code NAF", "naf", None),
        ("APE", "naf", None),
        ("Code APE", "naf", None),
        ("NAF/APE", "naf", None),
        ("Activité principale (NAF)", "naf", None),
        ("Code NAF 2025", "naf", "2025"),
        ("Code NAF rév. 2", "naf", "rev2"),
        ("activitePrincipaleEtablissement", "naf", None),
        ("activite_principale_naf25", "naf", "2025"),
        ("Libellé NAF", "naf_label", None),
        ("Libellé APE", "naf_label", None),
        ("Libellé NAF 2025", "naf_label", "2025"),
        ("Activité", "activity", None),
        ("Activité principale", "activity", None),
    ],
)
def test_naf_headers_are_recognised_without_configuration(header, field, generation):
    columns = map_columns(["Enseigne", "CP", "Ville", header], {}, "a.csv")
    assert columns.targets[3] == field
    assert columns.generation(4) == generation


def test_a_project_may_bring_its_own_naf_mapping(tmp_path, gazetteer):
    project = make_project(tmp_path)
    own = project.content / "naf.yaml"
    own.write_text('rev2:\n  "64.19Z": {kind: commerce, categories: [cadeaux]}\n', encoding="utf-8")
    sheet = write_csv(tmp_path / "a.csv", HEADERS, [SHEET[0][0], SHEET[6][0]])
    report = import_sheet(project, sheet, gazetteer=gazetteer, today=TODAY)
    assert [r.action for r in report.rows] == ["skipped", "created"]  # 10.71C is not in this mapping
    assert report.rows[1].categories == ["cadeaux"]
    own.write_text('rev2:\n  "64.19Z": {categories: [banque]}\n', encoding="utf-8")
    result = cli("import", str(sheet), "--root", str(tmp_path))
    assert result.exit_code == 1
    assert "catégorie « banque » absente de content/categories.yaml" in result.output
    assert "Traceback" not in result.output


def test_an_activity_column_holding_naf_codes_or_labels(tmp_path, gazetteer):
    """The sheets of the issue: « Activité » filled with NAF codes, official labels, or both."""
    project = make_project(tmp_path)
    headers = ["Enseigne", "CP", "Ville", "Téléphone", "Activité"]
    rows = [
        ["Le Gourmet", "45000", "Orléans", "02 38 00 00 20", "56.10A"],
        ["Chez Paulette", "45000", "Orléans", "02 38 00 00 21", "5610A - Restauration traditionnelle"],
        ["Le Balto", "45000", "Orléans", "02 38 00 00 22", "Débits de boissons"],
        [
            "Cave du Martroi",
            "45000",
            "Orléans",
            "02 38 00 00 23",
            "Commerce de détail de boissons en magasin spécialisé",
        ],
        ["Crédit du Loiret", "45000", "Orléans", "02 38 00 00 24", "6419Z"],
        ["Fleurs de Loire", "45000", "Orléans", "02 38 00 00 25", "Fleuriste"],
        ["Chez X", "45000", "Orléans", "02 38 00 00 26", "56.10X"],
    ]
    report = import_sheet(project, write_csv(tmp_path / "a.csv", headers, rows), gazetteer=gazetteer, today=TODAY)
    assert [r.action for r in report.rows] == ["created"] * 4 + ["skipped", "created", "error"]
    assert [r.categories for r in report.rows[:4]] == [["restaurant"], ["restaurant"], ["bar"], ["caviste"]]
    assert report.rows[5].categories == ["fleuriste"]  # a plain activity label, as before
    assert report.lines()[0].startswith("a.csv, ligne 8, colonne « Activité » : erreur : code NAF « 56.10X » inconnu")
