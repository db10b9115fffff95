"""Reading spreadsheets as French chambers produce them, and cleaning their cells (for `ccdir import`).

XLSX through openpyxl (first sheet or a named one); CSV in UTF-8 with or without BOM, UTF-16 (Excel's
« Texte Unicode ») or Windows-1252, with `;`, `,` or tab separators found from the header line. Cells
come back as openpyxl gives them (numbers, dates) or as text; the `clean_*` helpers turn them into the
values a merchant file holds (« 45000.0 » → "45000", 1500 → "01500", « www.x.fr » → "https://www.x.fr").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccdir.content.model import ORDER_METHODS
from ccdir.core.problems import ContentError, Problem
from ccdir.core.textnorm import fold

ORDER_WORDS = {
    "telephone": "phone",
    "tel": "phone",
    "phone": "phone",
    "appel": "phone",
    "mail": "email",
    "e mail": "email",
    "email": "email",
    "courriel": "email",
    "site": "website",
    "site web": "website",
    "site internet": "website",
    "internet": "website",
    "en ligne": "website",
    "website": "website",
    "sms": "sms",
    "texto": "sms",
    "sur place": "on_site",
    "en magasin": "on_site",
    "en boutique": "on_site",
    "magasin": "on_site",
    "boutique": "on_site",
    "on site": "on_site",
    "marketplace": "marketplace",
    "place de marche": "marketplace",
    "plateforme": "marketplace",
}


# --- reading the sheet -------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, cells)
    encoding: str = ""
    delimiter: str = ""


def read_table(path: Path, sheet: str | None = None, display: str | None = None) -> Table:
    """Header row and data rows of a CSV or XLSX file; ContentError (French) when it cannot be read."""
    shown = display or path.as_posix()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, sheet, shown)
        encoding = delimiter = ""
    elif suffix in (".csv", ".txt", ".tsv"):
        text, encoding = _decode(path, shown)
        delimiter = _delimiter(text)
        rows = [
            (i, cells)
            for i, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
        ]
    elif suffix in (".xls", ".ods"):
        raise file_error(
            shown,
            f"format {suffix} non pris en charge : dans le tableur, « Enregistrer sous » "
            "au format .xlsx ou CSV, puis relancez",
        )
    else:
        raise file_error(shown, f"extension « {suffix or '(aucune)'} » inconnue : donnez un fichier .csv ou .xlsx")
    rows = [(n, cells) for n, cells in rows if any(present(c) for c in cells)]
    if not rows:
        raise file_error(shown, "fichier vide : la première ligne doit contenir les en-têtes de colonnes")
    header_row, header_cells = rows[0]
    headers = [("" if c is None else str(c)).strip() for c in header_cells]
    return Table(headers, rows[1:], encoding, delimiter)


def file_error(shown: str, message: str) -> ContentError:
    return ContentError([Problem(shown, 0, 0, message)], "import impossible : corrigez le fichier puis relancez.")


def _decode(path: Path, shown: str) -> tuple[str, str]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise file_error(shown, f"lecture impossible ({exc.strerror})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"  # « Texte Unicode » from Excel
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"  # « CSV (séparateur : point-virgule) » from Excel on Windows
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of `;`, tab and `,` outside quotes (`;` on ties)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    bare = re.sub(r'"[^"]*"', "", first)
    counts = {d: bare.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _xlsx_rows(path: Path, sheet: str | None, shown: str) -> list[tuple[int, list[Any]]]:
    import zipfile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise file_error(
            shown, f"classeur illisible ({exc}) : ouvrez-le dans le tableur et enregistrez-le à nouveau au format .xlsx"
        ) from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise file_error(
                    shown,
                    f"feuille « {sheet} » introuvable : feuilles du classeur : "
                    + ", ".join(f"« {s} »" for s in wb.sheetnames),
                )
            ws = wb[sheet]
        else:
            ws = wb.worksheets[0]
        return [(i, list(cells)) for i, cells in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()


def present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


# --- cell cleaning -----------------------------------------------------------------------------------


def number_text(value: Any, width: int = 0) -> str:
    """Text of a cell that holds a code: 45000.0 → "45000"; 1000 → "01000" for a 5-digit postcode."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if isinstance(value, int) and width:
        text = text.zfill(width)
    return text


def clean_line(value: Any) -> str | None:
    if not present(value):
        return None
    return re.sub(r"[ \t\u00a0]+", " ", number_text(value)).strip()


def clean_text(value: Any) -> str | None:
    if not present(value):
        return None
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_postcode(value: Any) -> str | None:
    if not present(value):
        return None
    text = number_text(value, 5).replace(" ", "")
    return text.zfill(5) if text.isdigit() and len(text) == 4 else text


def clean_siret(value: Any) -> str | None:
    if not present(value):
        return None
    return re.sub(r"[\s.]", "", number_text(value, 14))


def clean_phone(value: Any) -> str | None:
    if not present(value):
        return None
    if isinstance(value, (int, float)):
        text = number_text(value)
        return "0" + text if len(text) == 9 else text
    first = re.split(r"\s*(?:/|;|,| ou |\n)\s*", str(value).strip())[0]  # « 02 38… / 06 12… » → the first
    return first.strip() or None


def clean_email(value: Any) -> str | None:
    text = clean_line(value)
    if text and text.lower().startswith("mailto:"):
        text = text[7:]
    return text


def clean_url(value: Any) -> str | None:
    text = clean_line(value)
    if (
        text
        and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text)
        and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", text, re.I)
    ):
        text = "https://" + text  # « www.fleurs.fr » as people write it
    return text


def parse_order(text: str) -> tuple[list[str], str | None]:
    methods: list[str] = []
    for part in re.split(r"\s*[,;/+]\s*|\s+et\s+|\s+ou\s+", text):
        word = fold(part)
        if not word:
            continue
        method = ORDER_WORDS.get(word) or (word if word.replace(" ", "_") in ORDER_METHODS else None)
        if method is None:
            return methods, part.strip()
        method = method.replace(" ", "_")
        if method not in methods:
            methods.append(method)
    return methods, None


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text.split(" ")[0], fmt).date()
        except ValueError:
            continue
    return None
