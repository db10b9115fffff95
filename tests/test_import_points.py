"""`ccdir import`: one row per point of sale, linked to its merchant by SIRET or name (issue #18)."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import make_project
from test_import import SIRET_MARTIN, run_import, tree, write_csv
from test_points import MARKETS

from ccdir.cli import main
from ccdir.content import reader
from ccdir.content.model import Merchant

HEADERS = [
    "Enseigne",
    "Adresse",
    "CP",
    "Ville",
    "Téléphone",
    "Activité",
    "SIRET",
    "Point de vente",
    "Marché",
    "Jours et horaires",
    "Remarques",
]
ROWS = [
    [
        "Chèvrerie du Val",
        "Les Aulnes",
        "41130",
        "Selles-sur-Cher",
        "02 54 00 00 01",
        "Fromagerie",
        SIRET_MARTIN,
        "",
        "",
        "",
        "",
    ],
    ["", "", "", "", "", "", SIRET_MARTIN, "marché", "romorantin-mercredi", "", ""],
    [
        "Chèvrerie du Val",
        "12 avenue de la République",
        "18100",
        "Vierzon",
        "",
        "",
        "",
        "Drive fermier",
        "",
        "Fr 17:00-19:00",
        "Commande avant le jeudi midi.",
    ],
]


def with_markets(tmp_path):
    project = make_project(tmp_path)
    (project.content / "markets").mkdir()
    (project.content / "markets" / "marches.yaml").write_text(MARKETS, encoding="utf-8")
    return project


def merchant_of(project) -> Merchant:
    (path,) = project.merchants_dir.rglob("*.yaml")
    return Merchant.model_validate(reader.read_file(path).data)


def test_points_rows_join_their_merchant_by_siret_or_name(tmp_path):
    project = with_markets(tmp_path)
    sheet = write_csv(tmp_path / "producteurs.csv", HEADERS, ROWS)
    report = run_import(project, sheet)
    assert [(r.row, r.action) for r in report.rows] == [(2, "created"), (3, "updated"), (4, "updated")]
    m = merchant_of(project)
    assert [(p.kind, p.market, p.address and p.address.city, p.hours, p.notes) for p in m.points_of_sale] == [
        ("market", "romorantin-mercredi", None, None, None),
        ("drive", None, "Vierzon", "Fr 17:00-19:00", "Commande avant le jeudi midi."),
    ]
    # Importing the same sheet again changes nothing: each point replaces itself.
    before = tree(project)
    again = run_import(project, sheet)
    assert [r.action for r in again.rows] == ["unchanged"] * 3
    assert tree(project) == before


def test_point_rows_errors_name_row_and_column(tmp_path):
    project = with_markets(tmp_path)
    rows = [
        ROWS[0],
        ["", "", "", "", "", "", SIRET_MARTIN, "marché", "vierzon-samdi", "", ""],
        ["", "", "", "", "", "", SIRET_MARTIN, "péniche", "", "", ""],
        ["Inconnue", "", "18100", "Vierzon", "", "", "", "drive", "", "", ""],
        ["", "", "", "", "", "", SIRET_MARTIN, "drive", "", "samedi", ""],
        ["", "", "18100", "Bourges", "", "", SIRET_MARTIN, "ferme", "", "", ""],
    ]
    sheet = write_csv(tmp_path / "points.csv", HEADERS, rows)
    result = CliRunner().invoke(main, ["import", str(sheet), "--root", str(tmp_path)], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if ": erreur : " in line]
    assert lines.pop(0) == (
        "points.csv, ligne 3, colonne « Marché » : erreur : marché « vierzon-samdi » inconnu — "
        "vouliez-vous dire « vierzon-samedi » ?"
    )
    assert lines[0] == (
        "points.csv, ligne 4, colonne « Point de vente » : erreur : point de vente « péniche » : "
        "écrivez boutique, ferme, marché, drive, AMAP, casier ou partenaire"
    )
    assert lines[1] == (
        "points.csv, ligne 5, colonne « Enseigne » : erreur : « Inconnue » : aucune fiche à ce nom ; "
        "la ligne du commerce doit précéder ses points de vente, ou indiquez le SIRET"
    )
    assert lines[2] == (
        "points.csv, ligne 6, colonne « CP » : erreur : « drive » : indiquez le code postal et la "
        "commune du point de vente, ou le marché (colonne « Marché »)"
    )
    assert lines[3].startswith(
        "points.csv, ligne 7, colonne « CP » : erreur : le code postal 18100 ne correspond pas à « Bourges »"
    )
    assert len(lines) == 4 and result.exit_code == 1
    assert merchant_of(project).points_of_sale == []
