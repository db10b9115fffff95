"""What `ccdir import` was told on its command line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportOptions:
    mapping: dict[str, str] = field(default_factory=dict)  # header (as written) → field; "" = ignore
    activities: dict[str, list[str]] = field(default_factory=dict)  # activity label → category ids
    category: str | None = None  # category of rows with no activity column or an empty cell
    kind: str | None = None  # kind of new merchants when the sheet says nothing; default: from NAF, else commerce
    order: list[str] | None = None  # order methods of new merchants; default: from the contacts
    sheet: str | None = None  # XLSX sheet name; default: the first
    dry_run: bool = False
    naf: str | None = None  # NAF generation of codes without their letter and of shared labels: "rev2" | "2025"
    report: bool = True  # write `<sheet>.rapport.csv` beside the sheet (never in a dry run)
    sirene: bool = False  # cross-check each SIRET with the « Recherche d'entreprises » API
    sirene_url: str | None = None  # base URL of that API (tests: a local stub)
