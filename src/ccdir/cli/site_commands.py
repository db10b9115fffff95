"""Staff commands over a project's content and built site: `ccdir export | stats | demo-data | check-links | headers`."""

from __future__ import annotations

from pathlib import Path

import click

from ccdir.cli.common import PROJECT_HELP, echo_problems, load_project
from ccdir.cli.french import FrenchCommand, option


@click.command(cls=FrenchCommand)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("donnees"),
    show_default=True,
    help="Dossier où écrire les fichiers.",
)
@option("--strict", is_flag=True, help="Les avertissements empêchent l'export.")
def export(root: Path | None, output: Path, strict: bool) -> None:
    """Exporte les commerces en données ouvertes : CSV (« ; », UTF-8), GeoJSON, JSON et datapackage.json.

    Les mêmes fichiers sont publiés par « ccdir build » dans site/donnees/.

    \b
    Exemple :
      ccdir export -o /tmp/donnees
    """
    from ccdir.site.opendata import export as run_export

    project = load_project(root)
    count, paths = run_export(project, output, strict=strict)
    for path in paths:
        click.echo(f"  {path}", err=True)
    click.echo(f"{count} commerce(s) exporté(s) dans {output}.")


@click.command(cls=FrenchCommand)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text : tableau en français ; json : pour un tableur ou un script.",
)
@option(
    "--git",
    "use_git",
    is_flag=True,
    help="Évolution d'après la date d'ajout de chaque fiche dans l'historique git (sinon : leur champ « updated », date de mise à jour).",
)
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

    project = load_project(root)
    result, report = project_stats(project, use_git)
    if report.errors:
        click.echo(
            f"{len(report.errors)} erreur(s) : les fiches en erreur ne sont pas comptées "
            "(« ccdir validate » les détaille).",
            err=True,
        )
    if output_format == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_text(result), nl=False)


@click.command("demo-data", cls=FrenchCommand)
@option("--count", default=1000, show_default=True, type=click.IntRange(1, 500_000), help="Nombre de fiches.")
@option("--seed", default=1, show_default=True, type=int, help="Graine : la même donne les mêmes fiches.")
@option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier du projet à créer (content/ y est écrit).",
)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
def demo_data(count: int, seed: int, output: Path, root: Path | None) -> None:
    """Génère un projet de commerces fictifs pour les essais de charge (déterministe pour une graine).

    \b
    Exemple :
      ccdir demo-data --count 50000 --seed 1 -o /tmp/grand && ccdir build --root /tmp/grand
    """
    from ccdir.demodata import write_project

    project = load_project(root)
    n = write_project(output, count, seed, project.content)
    click.echo(f"{n} fiche(s) écrite(s) dans {output / 'content' / 'merchants'}.")


@click.command("check-links", cls=FrenchCommand)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Site à vérifier (site/ par défaut).")
def check_links(root: Path | None, output: Path | None) -> None:
    """Vérifie les liens du site construit : chaque lien interne, image, feuille de style ou script mène à
    un fichier publié, et chaque ancre (#…) à un élément de sa page. Les liens externes ne sont pas suivis.

    \b
    Exemple :
      ccdir build && ccdir check-links
    """
    from ccdir.site.linkcheck import check_site

    project = load_project(root, output)
    if not project.output.is_dir():
        raise click.ClickException(f"aucun site dans {project.output} : lancez d'abord « ccdir build »")
    problems = check_site(project.output, project.settings.base_url)
    echo_problems(problems)
    pages = sum(1 for _ in project.output.rglob("*.html"))
    if problems:
        raise click.ClickException(f"{len(problems)} lien(s) cassé(s) dans {pages} page(s).")
    click.echo(f"{pages} page(s) vérifiée(s) : aucun lien cassé.")


@click.command(cls=FrenchCommand)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "--format",
    "fmt",
    type=click.Choice(["netlify", "nginx", "apache"]),
    default="netlify",
    show_default=True,
    help="netlify : fichier _headers (Netlify, Cloudflare Pages) ; nginx ; apache (.htaccess).",
)
def headers(root: Path | None, fmt: str) -> None:
    """Affiche les en-têtes de sécurité HTTP (CSP…) à configurer chez l'hébergeur, d'après content/site.yaml.

    \b
    Exemples :
      ccdir headers > site/_headers
      ccdir headers --format nginx > /etc/nginx/snippets/ccdir-headers.conf
    """
    from ccdir.site.security import headers_config

    click.echo(headers_config(load_project(root).settings, fmt), nl=False)
