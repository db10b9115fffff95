"""What the `ccdir` commands share: the project option, how problems are shown, the system-failure exit."""

from __future__ import annotations

from pathlib import Path

import click

from ccdir.cli.french import PROBLEMS_PER_FILE
from ccdir.core.problems import report_lines

PROJECT_HELP = "Dossier du projet (contient content/). Par défaut : le dossier courant."


def load_project(root: Path | None, output: Path | None = None, base_url: str | None = None):
    from ccdir.content.config import Project

    return Project.load(root, output, base_url)


def echo_problems(problems, github: bool = False, root: Path | None = None) -> None:
    if github:  # workflow commands go to stdout, where the runner reads them
        from ccdir.core.annotations import annotation

        for p in problems:
            click.echo(annotation(p, root))
        return
    for line in report_lines(problems, PROBLEMS_PER_FILE):
        click.echo(line, err=True)


def github_output(output_format: str | None) -> bool:
    if output_format is None:
        from ccdir.core.annotations import in_github_actions

        return in_github_actions()
    return output_format == "github"


FORMAT_HELP = (
    "text : fichier:ligne:colonne ; github : annotations GitHub Actions (::error file=…). "
    "Par défaut github quand GITHUB_ACTIONS=true, sinon text."
)


class SystemFailure(click.ClickException):
    """The system refused (disk full, read-only…): `ccdir.build.errors`."""

    exit_code = 2  # ccdir.build.errors.EXIT_SYSTEM
