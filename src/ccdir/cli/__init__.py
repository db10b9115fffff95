"""Command line: `ccdir validate | build | serve | new | …` — thin wrappers over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccdir.cli import french
from ccdir.cli.french import FrenchGroup, argument, option
from ccdir.core.problems import ContentError, report_lines
from ccdir.progress import terminal_progress

french.install()  # before the options below are declared: Click names some of their types then
from ccdir.cli.posters import affiches  # noqa: E402  (`ccdir affiches`, a command of its own module)

PROJECT_HELP = "Dossier du projet (contient content/). Par défaut : le dossier courant."


def _project(root: Path | None, output: Path | None = None, base_url: str | None = None):
    from ccdir.content.config import Project

    return Project.load(root, output, base_url)


def _echo_problems(problems, github: bool = False, root: Path | None = None) -> None:
    if github:  # workflow commands go to stdout, where the runner reads them
        from ccdir.core.annotations import annotation

        for p in problems:
            click.echo(annotation(p, root))
        return
    for line in report_lines(problems, french.PROBLEMS_PER_FILE):
        click.echo(line, err=True)


def _github(output_format: str | None) -> bool:
    if output_format is None:
        from ccdir.core.annotations import in_github_actions

        return in_github_actions()
    return output_format == "github"


FORMAT_HELP = ("text : fichier:ligne:colonne ; github : annotations GitHub Actions (::error file=…). "
               "Par défaut github quand GITHUB_ACTIONS=true, sinon text.")


class SystemFailure(click.ClickException):
    """The system refused (disk full, read-only…): `ccdir.build.errors`."""

    exit_code = 2  # ccdir.build.errors.EXIT_SYSTEM


@click.group(cls=FrenchGroup, commands=[affiches], context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccdir")
def main() -> None:
    """ccdir : annuaire statique des commerces en click & collect.

    \b
    Exemples :
      ccdir validate              vérifie toutes les fiches
      ccdir build                 construit le site dans site/
      ccdir serve                 aperçu local sur http://127.0.0.1:8000/
      ccdir new fleurs-de-loire   crée une fiche modèle
    """


@main.command()
@argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[FICHIERS]...")
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--strict", is_flag=True, help="Les avertissements comptent comme des erreurs.")
@option("--format", "output_format", type=click.Choice(["text", "github"]), help=FORMAT_HELP)
def validate(paths: tuple[Path, ...], root: Path | None, strict: bool, output_format: str | None) -> None:
    """Vérifie les fiches et affiche chaque problème sous la forme fichier:ligne:colonne.

    Sans argument, vérifie tout content/merchants/. Code de sortie 1 s'il y a une erreur.

    \b
    Exemples :
      ccdir validate
      ccdir validate content/merchants/45-loiret/fleurs-de-loire.yaml
      ccdir validate --format github      (dans un workflow GitHub Actions)
    """
    from ccdir.content.config import Project, Settings
    from ccdir.content.loading import check, load_gazetteer
    from ccdir.content.validate import Report, merchant_files

    problems = []
    try:
        project = _project(root)
    except ContentError as exc:  # content/site.yaml: shown with the merchants' problems, in the same run
        problems += exc.problems
        folder = (root or Path.cwd()).resolve()
        project = Project(folder, Settings(), folder / "site")
    files = None
    if paths:
        files = []
        for p in paths:
            files.extend(merchant_files(p) if p.is_dir() else [p])
    try:
        _, report = check(project, files, gazetteer=load_gazetteer())
    except ContentError as exc:  # content/categories.yaml (the merchants' problems are in it too)
        report = Report(files=len(files) if files is not None else len(merchant_files(project.merchants_dir)))
        problems += exc.problems
    problems = sorted(problems + report.problems)
    _echo_problems(problems, _github(output_format), project.root)
    n_errors = sum(1 for p in problems if p.is_error)
    n_warnings = len(problems) - n_errors
    errors = n_errors + (n_warnings if strict else 0)
    summary = f"{report.files} fiche(s) vérifiée(s) : {n_errors} erreur(s), {n_warnings} avertissement(s)."
    if errors:
        raise click.ClickException(summary)
    click.echo(summary)


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Dossier de sortie (site/ par défaut).")
@option("--base-url", help="Adresse publique du site, par exemple https://commerces.example.org/ .")
@option("--online/--offline", default=False, show_default=True,
              help="--online interroge la Base Adresse Nationale pour les adresses absentes du cache.")
@option("--strict", is_flag=True, help="Les avertissements (position approximative…) font échouer la construction.")
@option("-q", "--quiet", is_flag=True, help="N'affiche que les erreurs.")
@option("--format", "output_format", type=click.Choice(["text", "github"]), help=FORMAT_HELP)
@option("--no-cache", is_flag=True, help="Reconstruit tout sans lire ni écrire le cache .ccdir-cache/.")
def build(root: Path | None, output: Path | None, base_url: str | None, online: bool, strict: bool, quiet: bool,
          output_format: str | None, no_cache: bool) -> None:
    """Construit le site statique dans site/ (ou --output).

    Tout est vérifié avant d'écrire : en cas d'erreur, le site précédent reste intact.

    \b
    Exemples :
      ccdir build
      ccdir build --base-url https://commerces.example.org/ --strict
    """
    from ccdir.build.pipeline import BuildOptions
    from ccdir.build.pipeline import build as run_build

    project = _project(root, output, base_url)
    progress = terminal_progress(quiet)
    github = _github(output_format)
    try:
        result = run_build(project, BuildOptions(offline=not online, strict=strict, progress=progress,
                                                 cache=not no_cache))
    except ContentError as exc:
        if github:
            _echo_problems(exc.problems, True, project.root)
        raise
    except OSError as exc:  # disk full, read-only, permission denied, too many open files: one line, exit 2
        from ccdir.build.errors import is_system_error, system_message

        if not is_system_error(exc):
            raise
        raise SystemFailure(system_message(exc, project.output, project.root)) from None
    if not quiet or github:
        _echo_problems(result.warnings, github, project.root)
    if not quiet:
        click.echo(f"{result.merchants} commerçant(s), {result.pages} page(s), {result.files} fichier(s), "
                   f"{len(result.warnings)} avertissement(s) en {result.seconds:.1f} s → {project.output}", err=True)


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--refresh", is_flag=True, help="Interroge à nouveau la Base Adresse Nationale même pour les adresses en cache.")
def geocode(root: Path | None, refresh: bool) -> None:
    """Géolocalise les adresses avec la Base Adresse Nationale et met à jour content/geocache.json.

    Les adresses déjà en cache ne sont pas redemandées (sauf --refresh) ; les entrées que plus
    aucune fiche n'utilise sont retirées. Sans réseau, la position de la commune est utilisée.

    \b
    Exemple :
      ccdir geocode && git add content/geocache.json
    """
    from ccdir.content.loading import check, load_gazetteer, locate

    project = _project(root)
    gazetteer = load_gazetteer()
    _, report = check(project, gazetteer=gazetteer)
    if report.errors:
        raise ContentError(report.problems)
    _, problems = locate(project, report, gazetteer, offline=False, progress=terminal_progress(),
                         refresh=refresh, summary=lambda text: click.echo(text))
    _echo_problems(problems)


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute (127.0.0.1 : cet ordinateur seulement).")
@option("--port", default=8000, show_default=True, type=int, help="Port d'écoute.")
@option("--no-watch", is_flag=True, help="Ne reconstruit pas quand les fichiers changent.")
def serve(root: Path | None, host: str, port: int, no_watch: bool) -> None:
    """Construit le site puis le sert en local, en le reconstruisant à chaque modification.

    \b
    Exemple :
      ccdir serve --port 8000     puis ouvrez http://127.0.0.1:8000/
    """
    from ccdir.serve import serve as run_serve

    project = _project(root, base_url=f"http://{host}:{port}/")
    run_serve(project, host, port, watch=not no_watch)


@main.command()
@argument("slug", metavar="IDENTIFIANT", callback=lambda ctx, param, value: _checked_name(value))
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--folder", default="", metavar="DOSSIER", help="Sous-dossier de content/merchants/, par exemple 45-loiret.",
        callback=lambda ctx, param, value: _checked_name(value, folder=True))
def new(slug: str, root: Path | None, folder: str) -> None:
    """Crée une fiche modèle commentée en français, à compléter.

    IDENTIFIANT : le nom du fichier sans .yaml (minuscules, chiffres et tirets).

    \b
    Exemple :
      ccdir new fleurs-de-loire --folder 45-loiret
    """
    from ccdir.content.scaffold import new_merchant

    project = _project(root)
    path = new_merchant(project, slug, folder)
    click.echo(f"Fiche créée : {path.relative_to(project.root)} — complétez-la puis lancez « ccdir validate ».")


def _checked_name(value: str, folder: bool = False) -> str:
    """A file or folder name for `ccdir new`, refused as a usage error (status 2) when invalid."""
    from ccdir.content.scaffold import check_folder, check_slug

    if (message := (check_folder if folder else check_slug)(value)) is not None:
        raise click.BadParameter(message)
    return value


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("donnees"),
              show_default=True, help="Dossier où écrire les fichiers.")
@option("--strict", is_flag=True, help="Les avertissements empêchent l'export.")
def export(root: Path | None, output: Path, strict: bool) -> None:
    """Exporte les commerces en données ouvertes : CSV (« ; », UTF-8), GeoJSON, JSON et datapackage.json.

    Les mêmes fichiers sont publiés par « ccdir build » dans site/donnees/.

    \b
    Exemple :
      ccdir export -o /tmp/donnees
    """
    from ccdir.site.opendata import export as run_export

    project = _project(root)
    count, paths = run_export(project, output, strict=strict)
    for path in paths:
        click.echo(f"  {path}", err=True)
    click.echo(f"{count} commerce(s) exporté(s) dans {output}.")


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text : tableau en français ; json : pour un tableur ou un script.")
@option("--git", "use_git", is_flag=True,
              help="Évolution d'après la date d'ajout de chaque fiche dans l'historique git (sinon : leur champ « updated », date de mise à jour).")
def stats(root: Path | None, output_format: str, use_git: bool) -> None:
    """Statistiques : commerces par département, catégorie, type, livraison, évolution par mois.

    Les fiches en erreur ne sont pas comptées (« ccdir validate » les liste).

    \b
    Exemples :
      ccdir stats
      ccdir stats --git --format json > stats.json
    """
    import json

    from ccdir.site.stats import format_text, project_stats

    project = _project(root)
    result, report = project_stats(project, use_git)
    if report.errors:
        click.echo(f"{len(report.errors)} erreur(s) : les fiches en erreur ne sont pas comptées "
                   "(« ccdir validate » les détaille).", err=True)
    if output_format == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_text(result), nl=False)


def _pairs(values: tuple[str, ...], option: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        left, sep, right = value.rpartition("=")
        if not sep or not left.strip():
            raise click.BadParameter(f"« {value} » : écrivez « En-tête=valeur », par exemple « CP=postcode »",
                                     param_hint=f"« {option} »")
        pairs.append((left.strip(), right.strip()))
    return pairs


@main.command("import")
@argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="TABLEUR")
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("-c", "--colonne", "columns", multiple=True, metavar="EN-TÊTE=CHAMP",
              help="Associe une colonne à un champ (name, postcode, city, phone, activity…) ; "
                   "« EN-TÊTE= » ignore la colonne. Répétable.")
@option("-a", "--activite", "activities", multiple=True, metavar="LIBELLÉ=CATÉGORIE[,CATÉGORIE]",
              help="Associe un libellé d'activité de la feuille à des catégories. Répétable.")
@option("--categorie", "category", metavar="CATÉGORIE",
              help="Catégorie des lignes sans activité (feuille sans colonne « Activité »).")
@option("--kind", default=None,
        help="Type des nouvelles fiches quand la feuille ne le dit pas : commerce, artisan, producteur, "
             "restaurant ou bar. Par défaut : d'après le code NAF, sinon commerce.")
@option("--order", metavar="MOYEN[,MOYEN]",
        help="Moyens de commande des nouvelles fiches (phone, email, website, sms, on_site, marketplace). "
             "Par défaut : d'après les contacts présents (téléphone, e-mail).")
@option("--feuille", "sheet", help="Feuille du classeur .xlsx (par défaut : la première).")
@option("--naf", "naf", metavar="rev2|2025",
        help="Génération NAF des codes sans lettre (« 47.24 ») et des libellés communs aux deux : rev2 "
             "(NAF rév. 2) ou 2025. Par défaut : d'après l'en-tête (« Code NAF 2025 »), sinon demandée.")
@option("--sirene", is_flag=True,
        help="Vérifie chaque SIRET auprès de l'API « Recherche d'entreprises » (établissement fermé, code NAF "
             "discordant) ; réponses gardées dans content/sirenecache.json.")
@option("-n", "--dry-run", is_flag=True, help="Affiche ce qui serait fait sans écrire aucun fichier.")
@option("-q", "--quiet", is_flag=True, help="N'affiche que les problèmes et le bilan.")
def import_(file: Path, root: Path | None, columns: tuple[str, ...], activities: tuple[str, ...],
            category: str | None, kind: str | None, order: str | None, sheet: str | None, naf: str | None,
            sirene: bool, dry_run: bool, quiet: bool) -> None:
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

    project = _project(root)
    options = ImportOptions(
        mapping=dict(_pairs(columns, "--colonne")),
        activities={label: [c.strip() for c in ids.split(",") if c.strip()] for label, ids in _pairs(activities, "--activite")},
        category=category, kind=kind, order=[m.strip() for m in order.split(",") if m.strip()] if order else None,
        sheet=sheet, dry_run=dry_run, naf=_naf_generation(naf), sirene=sirene)
    report = import_sheet(project, file, options)
    if not quiet:
        click.echo("Colonnes reconnues : " + ", ".join(f"« {h} » → {f}" for h, f in report.columns), err=True)
        if report.ignored:
            click.echo("Colonnes ignorées : " + ", ".join(f"« {h} »" for h in report.ignored), err=True)
        verbs = ({"created": "serait créée", "updated": "serait mise à jour"} if dry_run
                 else {"created": "créée", "updated": "mise à jour"})
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


@main.command()
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


@main.command()
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

    project = _project(root)
    try:
        result = run_intake(project, issue_body.read_text(encoding="utf-8"))
    except IntakeError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(result.path)


@main.command("demo-data")
@option("--count", default=1000, show_default=True, type=click.IntRange(1, 500_000), help="Nombre de fiches.")
@option("--seed", default=1, show_default=True, type=int, help="Graine : la même donne les mêmes fiches.")
@option("-o", "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Dossier du projet à créer (content/ y est écrit).")
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
def demo_data(count: int, seed: int, output: Path, root: Path | None) -> None:
    """Génère un projet de commerces fictifs pour les essais de charge (déterministe pour une graine).

    \b
    Exemple :
      ccdir demo-data --count 50000 --seed 1 -o /tmp/grand && ccdir build --root /tmp/grand
    """
    from ccdir.demodata import write_project

    project = _project(root)
    n = write_project(output, count, seed, project.content)
    click.echo(f"{n} fiche(s) écrite(s) dans {output / 'content' / 'merchants'}.")


@main.command("check-links")
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              help="Site à vérifier (site/ par défaut).")
def check_links(root: Path | None, output: Path | None) -> None:
    """Vérifie les liens du site construit : chaque lien interne, image, feuille de style ou script mène à
    un fichier publié, et chaque ancre (#…) à un élément de sa page. Les liens externes ne sont pas suivis.

    \b
    Exemple :
      ccdir build && ccdir check-links
    """
    from ccdir.site.linkcheck import check_site

    project = _project(root, output)
    if not project.output.is_dir():
        raise click.ClickException(f"aucun site dans {project.output} : lancez d'abord « ccdir build »")
    problems = check_site(project.output, project.settings.base_url)
    _echo_problems(problems)
    pages = sum(1 for _ in project.output.rglob("*.html"))
    if problems:
        raise click.ClickException(f"{len(problems)} lien(s) cassé(s) dans {pages} page(s).")
    click.echo(f"{pages} page(s) vérifiée(s) : aucun lien cassé.")


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("--format", "fmt", type=click.Choice(["netlify", "nginx", "apache"]), default="netlify",
              show_default=True, help="netlify : fichier _headers (Netlify, Cloudflare Pages) ; nginx ; apache (.htaccess).")
def headers(root: Path | None, fmt: str) -> None:
    """Affiche les en-têtes de sécurité HTTP (CSP…) à configurer chez l'hébergeur, d'après content/site.yaml.

    \b
    Exemples :
      ccdir headers > site/_headers
      ccdir headers --format nginx > /etc/nginx/snippets/ccdir-headers.conf
    """
    from ccdir.site.security import headers_config

    click.echo(headers_config(_project(root).settings, fmt), nl=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
