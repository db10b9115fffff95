#!/usr/bin/env python3
"""Rebuild `src/ccdir/data/naf/` (NAF rév. 2 and NAF 2025 sous-classes, code and official French label).

Sources (see src/ccdir/data/SOURCES.md for versions and licences):
- NAF rév. 2: `data/naf2008.csv` of INSEE's own repository InseeFrLab/codif-ape-train (`code;libelle`,
  codes without the dot, 732 rows);
- NAF 2025: `src/utils/helpers/formatting/metadata/codes-naf-2025.ts` of the « Annuaire des Entreprises »
  (DINUM, annuaire-entreprises-data-gouv-fr/site), INSEE's labels as a TypeScript object (747 entries).

    python scripts/build_naf_data.py --rev2 naf2008.csv --naf2025 codes-naf-2025.ts

INSEE's correspondence table between the two generations (« table-correspondance-naf2025 », published
with NAF 2025) can be added with `--correspondance table.xlsx` (or .csv exported from it): the columns
whose header starts with « NAFold-code » and « NAFnew-code » are read. Save INSEE's .xls as .xlsx first.

The output is deterministic (rows sorted by code, `;`-separated UTF-8, LF line ends). The script checks
the counts INSEE publishes (732 and 747 sous-classes) and refuses anything else.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "ccdir" / "data" / "naf"
EXPECTED = {"rev2": (732, "[A-FZ]"), "2025": (747, "[GHJKLY]")}
_ENTRY = re.compile(r'"([0-9]{2}\.[0-9]{2}[A-Z])"\s*:\s*((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+),')


def parse_ts(text: str) -> dict[str, str]:
    body = text[text.index("{") + 1 : text.rindex("}")] + ","
    table: dict[str, str] = {}
    for m in _ENTRY.finditer(body):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
        label = " ".join(json.loads('"' + "".join(parts) + '"').split())
        table[m.group(1)] = label
    return table


def parse_insee_csv(text: str) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(text), delimiter=";")
    return {dotted(r["code"]): " ".join(r["libelle"].split()) for r in rows}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def read_correspondence(path: Path, rev2: dict[str, str], naf25: dict[str, str]) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        ws = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [["" if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)]
    else:
        text = path.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    header_at = next(i for i, r in enumerate(rows) if any(c.strip().startswith("NAFold-code") for c in r))
    header = [c.strip() for c in rows[header_at]]
    old = next(i for i, h in enumerate(header) if h.startswith("NAFold-code"))
    new = next(i for i, h in enumerate(header) if h.startswith("NAFnew-code"))
    pairs = set()
    for r in rows[header_at + 1 :]:
        a, b = (dotted(r[old]) if old < len(r) else ""), (dotted(r[new]) if new < len(r) else "")
        if not a or not b:
            continue
        if a not in rev2 or b not in naf25:
            sys.exit(f"correspondance : {a} → {b} absent des nomenclatures")
        pairs.add((a, b))
    return [list(p) for p in sorted(pairs)]


def dotted(code: str) -> str:
    code = re.sub(r"[\s.]", "", code or "").upper()
    return f"{code[:2]}.{code[2:]}" if re.fullmatch(r"[0-9]{4}[A-Z]", code) else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev2", type=Path, required=True, help="naf2008.csv of InseeFrLab/codif-ape-train")
    parser.add_argument("--naf2025", type=Path, required=True, help="codes-naf-2025.ts of the Annuaire des Entreprises")
    parser.add_argument("--correspondance", type=Path, help="INSEE's table-correspondance-naf2025 as .xlsx or .csv")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    tables = {}
    sources = {
        "rev2": parse_insee_csv(args.rev2.read_text(encoding="utf-8-sig")),
        "2025": parse_ts(args.naf2025.read_text(encoding="utf-8")),
    }
    for generation, (expected, letters) in EXPECTED.items():
        table = sources[generation]
        if len(table) != expected:
            sys.exit(f"NAF {generation}: {len(table)} sous-classes, {expected} attendues")
        bad = [c for c in table if not re.fullmatch(r"[0-9]{2}\.[0-9]{2}" + letters, c)]
        if bad:
            sys.exit(f"NAF {generation}: codes inattendus {bad[:5]}")
        tables[generation] = table
        write_csv(OUT / f"naf-{generation}.csv", ["code", "libelle"], [[c, table[c]] for c in sorted(table)])
        print(f"naf-{generation}.csv: {len(table)} sous-classes")
    if args.correspondance:
        pairs = read_correspondence(args.correspondance, tables["rev2"], tables["2025"])
        write_csv(OUT / "correspondance.csv", ["naf_rev2", "naf_2025"], pairs)
        print(f"correspondance.csv: {len(pairs)} lignes")


if __name__ == "__main__":
    main()
