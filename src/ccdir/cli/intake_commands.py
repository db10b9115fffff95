"""Commands that bring merchants in: `ccdir import` (spreadsheets), `ccdir intake` (GitHub requests), `ccdir bot`."""

from __future__ import annotations

from pathlib import Path

import click

from ccdir.cli.common import PROJECT_HELP, load_project
from ccdir.cli.french import FrenchCommand, argument, option


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        left, sep, right = value.rpartition("=")
        if not sep or not left.strip():
            raise click.BadParameter(
                f"« {value} » : écrivez « En-tête=valeur », par exemple « CP=postcode »", param_hint=f"« {option} »"
            )
        pairs.append((left.strip(), right.strip()))
    return pairs


@click.command("import", cls=FrenchCommand)
@argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="TABLEUR")
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "-c",
    "--colonne",
    "columns",
    multiple=True,
    metavar="EN-TÊTE=CHAMP",
    help="Associe une colonne à un champ (name, postcode, city, phone, activity…) ; "
    "« EN-TÊTE= » ignore la colonne. Répétable.",
)
@option(
    "-a",
    "--activite",
    "activities",
    multiple=True,
    metavar="LIBELLÉ=CATÉGORIE[,CATÉGORIE]",
    help="Associe un libellé d'activité de la feuille à des catégories. Répétable.",
)
@option(
    "--categorie",
    "category",
    metavar="CATÉGORIE",
    help="Catégorie des lignes sans activité (feuille sans colonne « Activité »).",
)
@option(
    "--kind",
    default=None,
    help="Type des nouvelles fiches quand la feuille ne le dit pas : commerce, artisan, producteur, "
    "restaurant ou bar. Par défaut : d'après le code NAF, sinon commerce.",
)
@option(
    "--order",
    metavar="MOYEN[,MOYEN]",
    help="Moyens de commande des nouvelles fiches (phone, email, website, sms, on_site, marketplace). "
    "Par défaut : d'après les contacts présents (téléphone, e-mail).",
)
@option("--feuille", "sheet", help="Feuille du classeur .xlsx (par défaut : la première).")
@option(
    "--naf",
    "naf",
    metavar="rev2|2025",
    help="Génération NAF des codes sans lettre (« 47.24 ») et des libellés communs aux deux : rev2 "
    "(NAF rév. 2) ou 2025. Par défaut : d'après l'en-tête (« Code NAF 2025 »), sinon demandée.",
)
@option(
    "--sirene",
    is_flag=True,
    help="Vérifie chaque SIRET auprès de l'API « Recherche d'entreprises » (établissement fermé, code NAF "
    "discordant) ; réponses gardées dans content/sirenecache.json.",
)
@option("-n", "--dry-run", is_flag=True, help="Affiche ce qui serait fait sans écrire aucun fichier.")
@option("-q", "--quiet", is_flag=True, help="N'affiche que les problèmes et le bilan.")
def import_(
    file: Path,
    root: Path | None,
    columns: tuple[str, ...],
    activities: tuple[str, ...],
    category: str | None,
    kind: str | None,
    order: str | None,
    sheet: str | None,
    naf: str | None,
    sirene: bool,
    dry_run: bool,
    quiet: bool,
) -> None:
    """Importe les commerces d'un tableur (.csv ou .xlsx) : une fiche YAML par ligne.

    Les colonnes usuelles des chambres (« Raison sociale », « Enseigne », « Adresse », « CP », « Ville »,
    « Téléphone », « Mail », « Site », « Activité », « SIRET », « Code NAF », « APE »…) sont reconnues
    d'elles-mêmes. La catégorie vient de l'« Activité », sinon du code NAF (rév. 2 ou 2025) ; les lignes
    hors du champ de l'annuaire (banque, assurance…) sont ignorées avec leur motif. Réimporter la même
    feuille met à jour les fiches (même SIRET, sinon même nom et code postal) sans doublon. Les lignes en
    erreur ne sont pas importées ; chaque problème est donné avec sa ligne et sa colonne. Le rapport
    ligne par ligne est écrit à côté de la feuille : <feuille>.rapport.csv.

    \b
    Exemples :
      ccdir import adherents.xlsx --dry-run
      ccdir import export-cma.csv --kind artisan
      ccdir import liste.csv -c "Nom du magasin=name" -a "Fruits et primeurs=primeur"
      ccdir import sirene.csv --naf 2025 --sirene
    """
    from ccdir.intake.importer import ImportOptions, import_sheet

    project = load_project(root)
    options = ImportOptions(
        mapping=dict(_pairs(columns, "--colonne")),
        activities={
            label: [c.strip() for c in ids.split(",") if c.strip()] for label, ids in _pairs(activities, "--activite")
        },
        category=category,
        kind=kind,
        order=[m.strip() for m in order.split(",") if m.strip()] if order else None,
        sheet=sheet,
        dry_run=dry_run,
        naf=_naf_generation(naf),
        sirene=sirene,
    )
    report = import_sheet(project, file, options)
    if not quiet:
        click.echo("Colonnes reconnues : " + ", ".join(f"« {h} » → {f}" for h, f in report.columns), err=True)
        if report.ignored:
            click.echo("Colonnes ignorées : " + ", ".join(f"« {h} »" for h in report.ignored), err=True)
        verbs = (
            {"created": "serait créée", "updated": "serait mise à jour"}
            if dry_run
            else {"created": "créée", "updated": "mise à jour"}
        )
        for row in report.rows:
            if row.action in verbs:
                click.echo(f"ligne {row.row} : {row.path} {verbs[row.action]}", err=True)
    for line in report.row_lines():
        click.echo(line, err=True)
    for note in report.notes:
        click.echo(note, err=True)
    if report.report_path is not None:
        click.echo(f"Rapport ligne par ligne : {report.report_path}", err=True)
    if report.count("error"):
        raise click.ClickException(report.summary())
    click.echo(report.summary())


def _naf_generation(value: str | None) -> str | None:
    from ccdir.content.naf import parse_generation

    if value is None:
        return None
    generation = parse_generation(value)
    if generation is None:
        raise click.BadParameter(f"« {value} » : écrivez rev2 (NAF rév. 2) ou 2025 (NAF 2025)", param_hint="« --naf »")
    return generation


@click.command(cls=FrenchCommand)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute (derrière un proxy : 127.0.0.1).")
@option("--port", default=8080, show_default=True, type=int, help="Port d'écoute.")
@option("--workers", default=1, show_default=True, type=int, help="Processus uvicorn (le robot ne garde aucun état).")
def bot(root: Path | None, host: str, port: int, workers: int) -> None:
    """Lance le robot d'inscription : reçoit le formulaire /inscription/ et ouvre une demande de fusion.

    Réglages par variables d'environnement (voir docs/bot.md) : CCDIR_BOT_BACKEND (git ou github),
    CCDIR_GIT_REMOTE ou CCDIR_GITHUB_REPO + CCDIR_GITHUB_TOKEN, CCDIR_BOT_ORIGINS…

    \b
    Exemple :
      CCDIR_BOT_BACKEND=github CCDIR_GITHUB_REPO=region-cvl/annuaire \\
      CCDIR_GITHUB_TOKEN=… ccdir bot --port 8080
    """
    from ccdir.intake.bot.app import run
    from ccdir.intake.bot.settings import ConfigError

    try:
        run(host, port, str(root) if root else None, workers)
    except ConfigError as exc:
        raise click.ClickException(f"configuration du robot : {exc}") from None


@click.command(cls=FrenchCommand)
@argument("issue_body", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="DEMANDE")
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
def intake(issue_body: Path, root: Path | None) -> None:
    """Transforme une demande GitHub (formulaire « Inscription ») en fiche : écrit, modifie ou supprime le fichier.

    Affiche le chemin du fichier concerné ; en cas d'erreur, dit quoi corriger dans la demande.

    \b
    Exemple :
      ccdir intake corps-de-la-demande.md     puis relisez le fichier affiché
    """
    from ccdir.intake.issue import IntakeError
    from ccdir.intake.issue import intake as run_intake

    project = load_project(root)
    try:
        result = run_intake(project, issue_body.read_text(encoding="utf-8"))
    except IntakeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.path)
