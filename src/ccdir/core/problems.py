"""Problems found in user content: what is wrong, where, and how to fix it (in French).

Every stage (validation, geocoding, import, bot) reports user mistakes as `Problem`s rather than
raising: the build collects them all and shows them in one pass, as `path:line:col: message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import click


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One user-facing problem; `message` is French and says how to fix it."""

    path: str
    line: int = 0  # 1-based; 0 when the problem concerns the whole file
    col: int = 0  # 1-based; 0 when unknown
    message: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        label = "erreur" if self.is_error else "avertissement"
        return f"{where}: {label}: {self.message}"


class ContentError(click.ClickException):
    """Raised when user content has errors: shown without traceback, exit status 1."""

    def __init__(self, problems: list[Problem], summary: str | None = None):
        self.problems = sorted(problems)
        n = sum(1 for p in self.problems if p.is_error)
        super().__init__(summary or f"{n} erreur(s) dans le contenu : corrigez-les puis relancez.")

    def show(self, file=None) -> None:  # pragma: no cover - exercised through the CLI
        for p in self.problems:
            click.echo(p.format(), err=True)
        super().show(file)
