"""Problems found in user content: what is wrong, where, and how to fix it (in French).

Every stage (validation, geocoding, import, bot) reports user mistakes as `Problem`s rather than
raising: the build collects them all and shows them in one pass, as `path:line:col: message`.
The exceptions here are plain ones: the command line alone turns them into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from itertools import groupby


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


class UserError(Exception):
    """A mistake the user can fix (content, options, environment): `message` says what and how, in French.

    The command line shows it without a traceback and exits with status 1; a bug keeps its traceback.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ContentError(UserError):
    """User content has errors: every `Problem` found, then a one-line summary."""

    def __init__(self, problems: list[Problem], summary: str | None = None):
        self.problems = sorted(problems)
        n = sum(1 for p in self.problems if p.is_error)
        super().__init__(summary or f"{n} erreur(s) dans le contenu : corrigez-les puis relancez.")


def report_lines(problems: Iterable[Problem], per_file: int | None = None) -> Iterator[str]:
    """`path:line:col: message` for each problem, by file then line; beyond `per_file` problems in one
    file, a single line says how many more there are (the first ones are usually the cause of the rest)."""
    for path, group in groupby(sorted(problems), key=lambda p: p.path):
        found = list(group)
        shown = found if per_file is None else found[:per_file]
        yield from (p.format() for p in shown)
        if (more := len(found) - len(shown)) > 0:
            yield (
                f"{path}: … et {more} autre{'s' if more > 1 else ''} problème{'s' if more > 1 else ''} dans ce fichier"
            )
