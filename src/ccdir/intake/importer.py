"""`ccdir import`: merchants from a chamber's spreadsheet (CSV or XLSX), one YAML file per row.

The work is split by responsibility inside `ccdir.intake`:
- `sheets`: reading CSV/XLSX files and cleaning cells;
- `columns`: which column feeds which field (« Raison sociale », « CP », « Code NAF »…);
- `activities`: a row's categories from its « Activité » label or its NAF code (`content.naf`), and
  whether it is in the directory's scope;
- `existing` and `rows`: a row → merchant file, merged with the file already there, validated, written;
- `report`: one line per row (created, updated, unchanged, skipped, refused, and why), on screen and in
  `<sheet>.rapport.csv` beside the sheet;
- `sirene`: the optional cross-check of each SIRET with the « Recherche d'entreprises » API.

Problems are reported as `ligne N, colonne « X »` (spreadsheet row number, header row = 1). Rows with errors
are not written; rows out of scope (a bank, an insurer) are skipped with the reason and do not make the
import fail. Importing the same sheet again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.loading import load_categories, load_gazetteer
from ccdir.content.model import KINDS, ORDER_METHODS
from ccdir.content.naf import (
    GENERATIONS,
    MappingError,
    NafMapping,
    Nomenclature,
    check_mapping,
    load_mapping,
)
from ccdir.core.problems import ContentError, Problem
from ccdir.intake.activities import Classifier
from ccdir.intake.columns import map_columns
from ccdir.intake.options import ImportOptions
from ccdir.intake.points_import import point_row
from ccdir.intake.report import ImportReport, RowResult, format_problem, report_path_for
from ccdir.intake.rows import Importer
from ccdir.intake.sheets import read_table
from ccdir.intake.sirene import Sirene

__all__ = ["ImportOptions", "ImportReport", "RowResult", "format_problem", "import_sheet"]


def import_sheet(
    project: Project,
    path: Path,
    options: ImportOptions | None = None,
    *,
    catalog: CategoryCatalog | None = None,
    gazetteer: Any = None,
    today: dt.date | None = None,
    sirene: Sirene | None = None,
) -> ImportReport:
    """Import every row of `path` into `project`; see the module docstring. Raises ContentError for a file
    that cannot be imported at all (unreadable, required columns missing, bad option)."""
    options = options or ImportOptions()
    shown = path.name
    catalog = catalog or load_categories(project)
    _check_options(options, catalog, shown)
    mapping = _mapping(project, catalog)
    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    table = read_table(path, options.sheet, shown)
    columns = map_columns(table.headers, options.mapping, shown)
    if not (columns.has("activity") or columns.has("naf") or columns.has("naf_label")) and not options.category:
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    0,
                    "colonne « Activité » ou « Code NAF » introuvable : renommez l'en-tête, "
                    'indiquez-la avec --colonne "En-tête=activity" (ou "En-tête=naf") ou donnez '
                    "une catégorie commune à toutes les lignes avec --categorie",
                )
            ],
            "import impossible : colonnes manquantes.",
        )
    report = ImportReport(
        shown,
        table.headers,
        [(table.headers[i], f) for i, f in sorted(columns.targets.items())],
        columns.ignored,
        dry_run=options.dry_run,
    )
    classifier = Classifier(catalog, options.activities, mapping, Nomenclature.load(), options.naf, options.category)
    importer = Importer(project, catalog, gazetteer, options, classifier, today)
    if options.sirene and sirene is None:
        sirene = Sirene(project.sirene_cache_file, options.sirene_url or project.settings.sirene_url)
    try:
        for number, cells in table.rows:
            result = point_row(importer, table.headers, number, cells, columns, shown, RowResult) or importer.row(
                number, cells, columns, shown
            )  # a point of sale, else a merchant
            if sirene is not None and result.siret and result.action in ("created", "updated", "unchanged"):
                _cross_check(result, sirene, mapping, classifier.naf)
            report.rows.append(result)
    finally:
        if sirene is not None:
            if sirene.down:
                report.notes.append(f"vérification SIRENE interrompue : {sirene.down}")
            if not options.dry_run:
                sirene.save()
            sirene.close()
    if options.report and not options.dry_run:
        try:
            report.write(report_path_for(path))
        except OSError as exc:
            report.notes.append(
                f"rapport non écrit à côté de la feuille ({exc.strerror}) : copiez la feuille dans "
                "un dossier où vous pouvez écrire"
            )
    return report


def _mapping(project: Project, catalog: CategoryCatalog) -> NafMapping:
    """The NAF → categories mapping (the project's content/naf.yaml, else the shipped one), checked."""
    try:
        mapping = load_mapping(project.naf_mapping_file, "content/naf.yaml")
    except MappingError as exc:
        raise ContentError(
            [Problem("content/naf.yaml", exc.line, 0, exc.message)], "import impossible : corrigez content/naf.yaml."
        ) from None
    if mapping.source != "ccdir/data/naf/categories.yaml":  # the shipped one is checked by the tests
        problems = check_mapping(mapping, Nomenclature.load(), catalog)
        if problems:
            raise ContentError(
                [_mapping_problem(m) for m in problems], "import impossible : corrigez content/naf.yaml."
            )
    return mapping


def _mapping_problem(message: str) -> Problem:
    """« content/naf.yaml:4 : code NAF 12.34Z inconnu » → a Problem at that line."""
    m = re.match(r"^(content/naf\.yaml)(?::(\d+))? : (.*)$", message)
    return Problem(m.group(1), int(m.group(2) or 0), 0, m.group(3)) if m else Problem("content/naf.yaml", 0, 0, message)


def _cross_check(result: RowResult, sirene: Sirene, mapping: NafMapping, naf: Nomenclature) -> None:
    """Notes on `result` when SIRENE says the establishment is closed or has an activity that disagrees."""
    found, note = sirene.lookup(result.siret)
    if note:
        result.notes.append(note)
        return
    if found is None:
        result.notes.append("SIRENE : SIRET introuvable (établissement non diffusible ou numéro erroné) : vérifiez-le")
        return
    if not found.active:
        since = f" depuis le {_french_date(found.closed_on)}" if found.closed_on else ""
        result.notes.append(f"avertissement : SIRENE : établissement fermé{since} ; vérifiez avant de publier la fiche")
    codes = [naf.codes[c] for c in (found.naf, found.naf25) if c in naf.codes]
    if not codes or not result.categories:
        return
    mapped = {cid for c in codes for cid in mapping.scope(c).categories}
    in_scope = any(mapping.scope(c).in_scope for c in codes)
    if not in_scope or (mapped and not mapped & set(result.categories)):
        what = "hors du champ de l'annuaire" if not in_scope else "catégorie(s) " + ", ".join(sorted(mapped))
        result.notes.append(
            f"avertissement : SIRENE : activité {codes[0]} ({what}) ne correspond pas à la "
            f"catégorie choisie ({', '.join(result.categories)}) ; vérifiez la fiche"
        )


def _french_date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _check_options(options: ImportOptions, catalog: CategoryCatalog, shown: str) -> None:
    problems = []
    if options.kind is not None and options.kind not in KINDS:
        problems.append(f"--kind « {options.kind} » : valeurs possibles : {', '.join(KINDS)}")
    for method in options.order or ():
        if method not in ORDER_METHODS:
            problems.append(f"--order « {method} » : valeurs possibles : {', '.join(ORDER_METHODS)}")
    if options.naf is not None and options.naf not in GENERATIONS:
        problems.append(f"--naf « {options.naf} » : valeurs possibles : rev2 (NAF rév. 2) ou 2025 (NAF 2025)")
    wanted = [options.category] if options.category else []
    for ids in options.activities.values():
        wanted.extend(ids)
    for cid in wanted:
        if cid not in catalog:
            problems.append(f"catégorie : {catalog.unknown_message(cid)}")
    if problems:
        raise ContentError([Problem(shown, 0, 0, m) for m in problems], "import impossible : corrigez les options.")
