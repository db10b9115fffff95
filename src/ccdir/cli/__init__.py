"""Command line: `ccdir validate | build | serve | new | …` — thin wrappers over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ccdir.cli import french
from ccdir.cli.common import FORMAT_HELP, PROJECT_HELP, SystemFailure, echo_problems, github_output, load_project
from ccdir.cli.french import FrenchGroup, argument, option
from ccdir.core.problems import ContentError
from ccdir.progress import terminal_progress

french.install()  # before the options below are declared: Click names some of their types then
from ccdir.cli.intake_commands import bot, import_, intake  # noqa: E402  (commands of their own modules)
from ccdir.cli.posters import affiches  # noqa: E402
from ccdir.cli.site_commands import check_links, demo_data, export, headers, stats  # noqa: E402


@click.group(
    cls=FrenchGroup,
    commands=[affiches, bot, check_links, demo_data, export, headers, import_, intake, stats],
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
    from ccdir.content.scan import merchant_files
    from ccdir.content.validate import Report

    problems = []
    try:
        project = load_project(root)
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
    echo_problems(problems, github_output(output_format), project.root)
    n_errors = sum(1 for p in problems if p.is_error)
    n_warnings = len(problems) - n_errors
    errors = n_errors + (n_warnings if strict else 0)
    summary = f"{report.files} fiche(s) vérifiée(s) : {n_errors} erreur(s), {n_warnings} avertissement(s)."
    if errors:
        raise click.ClickException(summary)
    click.echo(summary)


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Dossier de sortie (site/ par défaut)."
)
@option("--base-url", help="Adresse publique du site, par exemple https://commerces.example.org/ .")
@option(
    "--online/--offline",
    default=False,
    show_default=True,
    help="--online interroge la Base Adresse Nationale pour les adresses absentes du cache.",
)
@option("--strict", is_flag=True, help="Les avertissements (position approximative…) font échouer la construction.")
@option("-q", "--quiet", is_flag=True, help="N'affiche que les erreurs.")
@option("--format", "output_format", type=click.Choice(["text", "github"]), help=FORMAT_HELP)
@option("--no-cache", is_flag=True, help="Reconstruit tout sans lire ni écrire le cache .ccdir-cache/.")
def build(
    root: Path | None,
    output: Path | None,
    base_url: str | None,
    online: bool,
    strict: bool,
    quiet: bool,
    output_format: str | None,
    no_cache: bool,
) -> None:
    """Construit le site statique dans site/ (ou --output).

    Tout est vérifié avant d'écrire : en cas d'erreur, le site précédent reste intact.

    \b
    Exemples :
      ccdir build
      ccdir build --base-url https://commerces.example.org/ --strict
    """
    from ccdir.build.pipeline import BuildOptions
    from ccdir.build.pipeline import build as run_build

    project = load_project(root, output, base_url)
    progress = terminal_progress(quiet)
    github = github_output(output_format)
    try:
        result = run_build(
            project, BuildOptions(offline=not online, strict=strict, progress=progress, cache=not no_cache)
        )
    except ContentError as exc:
        if github:
            echo_problems(exc.problems, True, project.root)
        raise
    except OSError as exc:  # disk full, read-only, permission denied, too many open files: one line, exit 2
        from ccdir.build.errors import is_system_error, system_message

        if not is_system_error(exc):
            raise
        raise SystemFailure(system_message(exc, project.output, project.root)) from None
    if not quiet or github:
        echo_problems(result.warnings, github, project.root)
    if not quiet:
        click.echo(
            f"{result.merchants} commerçant(s), {result.pages} page(s), {result.files} fichier(s), "
            f"{len(result.warnings)} avertissement(s) en {result.seconds:.1f} s → {project.output}",
            err=True,
        )


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "--refresh", is_flag=True, help="Interroge à nouveau la Base Adresse Nationale même pour les adresses en cache."
)
def geocode(root: Path | None, refresh: bool) -> None:
    """Géolocalise les adresses avec la Base Adresse Nationale et met à jour content/geocache.json.

    Les adresses déjà en cache ne sont pas redemandées (sauf --refresh) ; les entrées que plus
    aucune fiche n'utilise sont retirées. Sans réseau, la position de la commune est utilisée.

    \b
    Exemple :
      ccdir geocode && git add content/geocache.json
    """
    from ccdir.content.loading import check, load_gazetteer, locate

    project = load_project(root)
    gazetteer = load_gazetteer()
    _, report = check(project, gazetteer=gazetteer)
    if report.errors:
        raise ContentError(report.problems)
    _, problems = locate(
        project,
        report,
        gazetteer,
        offline=False,
        progress=terminal_progress(),
        refresh=refresh,
        summary=lambda text: click.echo(text),
    )
    echo_problems(problems)


@main.command()
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute (127.0.0.1 : cet ordinateur seulement)."
)
@option("--port", default=8000, show_default=True, type=int, help="Port d'écoute.")
@option("--no-watch", is_flag=True, help="Ne reconstruit pas quand les fichiers changent.")
def serve(root: Path | None, host: str, port: int, no_watch: bool) -> None:
    """Construit le site puis le sert en local, en le reconstruisant à chaque modification.

    \b
    Exemple :
      ccdir serve --port 8000     puis ouvrez http://127.0.0.1:8000/
    """
    from ccdir.serve import serve as run_serve

    project = load_project(root, base_url=f"http://{host}:{port}/")
    run_serve(project, host, port, watch=not no_watch)


@main.command()
@argument("slug", metavar="IDENTIFIANT", callback=lambda ctx, param, value: _checked_name(value))
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "--folder",
    default="",
    metavar="DOSSIER",
    help="Sous-dossier de content/merchants/, par exemple 45-loiret.",
    callback=lambda ctx, param, value: _checked_name(value, folder=True),
)
def new(slug: str, root: Path | None, folder: str) -> None:
    """Crée une fiche modèle commentée en français, à compléter.

    IDENTIFIANT : le nom du fichier sans .yaml (minuscules, chiffres et tirets).

    \b
    Exemple :
      ccdir new fleurs-de-loire --folder 45-loiret
    """
    from ccdir.content.scaffold import new_merchant

    project = load_project(root)
    path = new_merchant(project, slug, folder)
    click.echo(f"Fiche créée : {path.relative_to(project.root)} — complétez-la puis lancez « ccdir validate ».")


def _checked_name(value: str, folder: bool = False) -> str:
    """A file or folder name for `ccdir new`, refused as a usage error (status 2) when invalid."""
    from ccdir.content.scaffold import check_folder, check_slug

    if (message := (check_folder if folder else check_slug)(value)) is not None:
        raise click.BadParameter(message)
    return value


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
