"""What `ccdir import` did with each row: the on-screen lines and summary, and the report CSV beside the sheet.

The report (`<sheet>.rapport.csv`, `;`-separated, UTF-8 with BOM so that Excel opens it as is) has one line
per data row of the sheet, in order: its row number, what happened (« créée », « mise à jour »,
« inchangée », « ignorée », « refusée »), the file written, the name, SIRET and NAF code read, the
categories given and, for the reader, why (problems of refused rows, the reason of skipped ones, warnings).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ccdir.core.problems import Problem

ACTIONS = ("created", "updated", "unchanged", "skipped", "error")
ACTION_WORDS = {
    "created": "créée",
    "updated": "mise à jour",
    "unchanged": "inchangée",
    "skipped": "ignorée",
    "error": "refusée",
}
DRY_RUN_WORDS = {"created": "serait créée", "updated": "serait mise à jour"}
REPORT_HEADERS = ["Ligne", "Résultat", "Fiche", "Nom", "SIRET", "Code NAF", "Catégories", "Détail"]


@dataclass
class RowResult:
    row: int
    action: str  # one of ACTIONS
    path: str | None = None
    problems: list[Problem] = field(default_factory=list)
    reason: str | None = None  # why a row was skipped
    name: str = ""
    siret: str = ""
    naf: str = ""  # « 56.10A Restauration traditionnelle (NAF rév. 2) »
    categories: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. the SIRENE cross-check


@dataclass
class ImportReport:
    source: str
    headers: list[str] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, field) recognised
    ignored: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False
    report_path: Path | None = None  # where the report CSV was written
    notes: list[str] = field(default_factory=list)  # sheet-wide notes (SIRENE offline…)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems]

    def lines(self) -> list[str]:
        """Every row problem as `fichier, ligne N, colonne « X » : erreur : …`, in row order."""
        return [format_problem(p, self.headers) for p in self.problems]

    def skipped_lines(self) -> list[str]:
        return [f"{self.source}, ligne {r.row} : ignorée : {r.reason}" for r in self.rows if r.action == "skipped"]

    def row_lines(self) -> list[str]:
        """For the screen, in row order: each row's problems, why it was skipped, its notes (SIRENE…)."""
        out = []
        for r in self.rows:
            out += [format_problem(p, self.headers) for p in r.problems]
            if r.action == "skipped":
                out.append(f"{self.source}, ligne {r.row} : ignorée : {r.reason}")
            out += [f"{self.source}, ligne {r.row} : {note}" for note in r.notes]
        return out

    def summary(self) -> str:
        verb = "seraient " if self.dry_run else ""
        text = (
            f"{len(self.rows)} ligne(s) lue(s) : {self.count('created')} fiche(s) {verb}créée(s), "
            f"{self.count('updated')} {verb}mise(s) à jour, {self.count('unchanged')} inchangée(s), "
            f"{self.count('skipped')} ignorée(s) hors du champ de l'annuaire, "
            f"{self.count('error')} ligne(s) en erreur non importée(s)"
        )
        return text + (" — simulation : aucun fichier écrit." if self.dry_run else ".")

    def csv_text(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        writer.writerow(REPORT_HEADERS)
        for r in self.rows:
            words = DRY_RUN_WORDS if self.dry_run else {}
            detail = [r.reason] if r.reason else []
            detail += [_problem_text(p, self.headers) for p in r.problems]
            detail += r.notes
            writer.writerow(
                [
                    r.row,
                    words.get(r.action, ACTION_WORDS[r.action]),
                    r.path or "",
                    r.name,
                    r.siret,
                    r.naf,
                    ", ".join(r.categories),
                    " | ".join(detail),
                ]
            )
        return buf.getvalue()

    def write(self, path: Path) -> Path:
        """Write the report CSV (UTF-8 with BOM, `;`) atomically; returns its path."""
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(b"\xef\xbb\xbf" + self.csv_text().encode("utf-8"))
        tmp.replace(path)
        self.report_path = path
        return path


def report_path_for(sheet: Path) -> Path:
    """`adherents.xlsx` → `adherents.rapport.csv`, beside it."""
    return sheet.with_name(f"{sheet.stem}.rapport.csv")


def _problem_text(problem: Problem, headers: list[str]) -> str:
    """A row problem for the report, whose line already says the row: « colonne « X » : erreur : … »."""
    label = "erreur" if problem.is_error else "avertissement"
    where = ""
    if problem.col and problem.col <= len(headers):
        where = f"colonne « {headers[problem.col - 1] or column_letter(problem.col)} » : "
    return f"{where}{label} : {problem.message}"


def format_problem(problem: Problem, headers: list[str] | None = None) -> str:
    """`membres.csv, ligne 3, colonne « Téléphone » : erreur : …` (row as the spreadsheet shows it)."""
    where = problem.path
    if problem.line:
        where += f", ligne {problem.line}"
        if problem.col and headers and problem.col <= len(headers):
            where += f", colonne « {headers[problem.col - 1] or column_letter(problem.col)} »"
    label = "erreur" if problem.is_error else "avertissement"
    return f"{where} : {label} : {problem.message}"


def column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
