"""`ccdir affiches`: the shop-window posters of every merchant, for staff to print (`ccdir.site.posters`)."""

from __future__ import annotations

from pathlib import Path

import click

from ccdir.cli.common import PROJECT_HELP
from ccdir.cli.french import FrenchCommand, option


@click.command(cls=FrenchCommand)
@option("--root", type=click.Path(file_okay=False, path_type=Path), help=PROJECT_HELP)
@option(
    "--par",
    "by",
    type=click.Choice(["commune", "departement"]),
    default="commune",
    show_default=True,
    help="Un fichier par commune ou par département.",
)
@option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("affiches"),
    show_default=True,
    help="Dossier où écrire les affiches.",
)
@option(
    "--format",
    "fmt",
    type=click.Choice(["pdf", "svg"]),
    default="pdf",
    show_default=True,
    help="pdf : un fichier par groupe, une page A4 par commerce ; svg : un fichier par commerce.",
)
def affiches(root: Path | None, by: str, output: Path, fmt: str) -> None:
    """Affiches de vitrine A4 « Commandez ici, retirez en boutique » (QR code vers la fiche, téléphone,
    horaires de retrait), à imprimer.

    \b
    Exemples :
      ccdir affiches --par commune -o affiches/
      ccdir affiches --par departement --format svg -o /tmp/affiches
    """
    from ccdir.content.config import Project
    from ccdir.site.posters import load_listings, write_posters

    project = Project.load(root)
    listings = load_listings(project)
    written = write_posters(listings, project.settings, output, by, fmt)
    click.echo(f"{len(listings)} affiche(s) dans {len(written)} fichier(s) : {output}")
