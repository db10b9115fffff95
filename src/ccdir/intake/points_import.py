"""Points of sale from a spreadsheet: one row per point, linked to its merchant by SIRET or name.

A row is a point of sale when its « Point de vente » (or « Type de point de vente ») column says what kind
of place it is (« marché », « ferme », « drive »…); its address columns are then the point's, and its
« Marché » column may name a market of `content/markets/` instead. The merchant is the file with the same
SIRET, else the only file with the same name (rows of merchants come first in the sheet, or their files
exist already). The point is added to the merchant's `points_of_sale`, or replaces the point at the same
market or address, and the whole merchant is validated again (`check_document`, same French messages,
`ligne N, colonne « X »`) before it is written. Called by `intake.importer.import_sheet` for every row.
"""

from __future__ import annotations

import copy
from typing import Any

from ccdir.content import reader
from ccdir.content.identity import name_key
from ccdir.content.markets import Markets, load_markets
from ccdir.content.validate import check_document
from ccdir.content.writer import dump_merchant
from ccdir.core.problems import Problem
from ccdir.core.textnorm import fold
from ccdir.intake.sheets import clean_line, clean_postcode, clean_siret, clean_text, present

# Headers (folded) of the point columns → field of a point of sale.
POINT_HEADERS = {
    "point de vente": "kind",
    "type de point de vente": "kind",
    "lieu de vente": "kind",
    "type de lieu": "kind",
    "marche": "market",
    "identifiant du marche": "market",
    "id marche": "market",
    "nom du point de vente": "name",
    "nom du lieu": "name",
    "jours et horaires": "hours",
    "horaires du point de vente": "hours",
    "jours de marche": "hours",
    "horaires du lieu": "hours",
    "remarques": "notes",
    "notes": "notes",
    "precisions": "notes",
}
KIND_WORDS = {
    "boutique": "shop",
    "magasin": "shop",
    "shop": "shop",
    "ferme": "farm",
    "a la ferme": "farm",
    "vente a la ferme": "farm",
    "farm": "farm",
    "marche": "market",
    "etal": "market",
    "market": "market",
    "drive": "drive",
    "drive fermier": "drive",
    "amap": "amap",
    "panier": "amap",
    "paniers": "amap",
    "retrait de paniers": "amap",
    "casier": "locker",
    "casiers": "locker",
    "distributeur": "locker",
    "locker": "locker",
    "partenaire": "partner",
    "commerce partenaire": "partner",
    "depot": "partner",
    "depot vente": "partner",
    "partner": "partner",
}
_ADDRESS = ("street", "postcode", "city", "lat", "lon")
_columns_cache: dict[int, dict[str, int]] = {}


def point_columns(headers: list[str]) -> dict[str, int]:
    """{point field: column index} of the headers (empty when the sheet has no « Point de vente » column)."""
    key = id(headers)
    if key not in _columns_cache:
        found: dict[str, int] = {}
        for i, header in enumerate(headers):
            target = POINT_HEADERS.get(fold(header or ""))
            if target is not None:
                found.setdefault(target, i)
        _columns_cache.clear()
        _columns_cache[key] = found if "kind" in found else {}
    return _columns_cache[key]


def point_row(
    importer: Any, headers: list[str], number: int, cells: list[Any], columns: Any, shown: str, row_result: Any
) -> Any:
    """The result of importing row `number` as a point of sale (a `row_result`), or None when the row
    describes a merchant (no point kind): the importer then reads it as usual."""
    mine = point_columns(headers)
    if not mine or not _cell(cells, mine["kind"]):
        return None
    problems: list[Problem] = []

    def fail(col: int, message: str) -> Any:
        problems.append(Problem(shown, number, col, message))
        return row_result(number, "error", None, problems)

    raw_kind = _cell(cells, mine["kind"])
    kind = KIND_WORDS.get(fold(str(raw_kind)))
    if kind is None:
        return fail(
            mine["kind"] + 1,
            f"point de vente « {raw_kind} » : écrivez boutique, ferme, marché, drive, AMAP, casier ou partenaire",
        )
    existing, message, col = _merchant(importer, columns, cells)
    if existing is None:
        return fail(col, message)
    point: dict[str, Any] = {"kind": kind}
    positions: dict[tuple[Any, ...], tuple[int, int]] = {(): (number, 0)}
    data = copy.deepcopy(existing.data)
    points = data.setdefault("points_of_sale", [])
    if not isinstance(points, list):
        return fail(0, f"{existing.path.name} : « points_of_sale » n'est pas une liste ; corrigez la fiche")
    for field in ("name", "market", "hours", "notes"):
        if field in mine and (value := (clean_text if field == "notes" else clean_line)(_cell(cells, mine[field]))):
            point[field] = value
            positions[(field,)] = (number, mine[field] + 1)
    if "market" in point and _markets(importer).get(point["market"]) is None:
        return fail(mine["market"] + 1, _markets(importer).unknown_message(point["market"]))
    if "market" not in point:
        address, col = _address(columns, cells, positions, number)
        if address is None:
            return fail(
                col,
                f"« {raw_kind} » : indiquez le code postal et la commune du point de vente, ou le "
                "marché (colonne « Marché »)",
            )
        point["address"] = address
    same = next((i for i, p in enumerate(points) if isinstance(p, dict) and _same_place(p, point)), None)
    index = len(points) if same is None else same
    points[index : index + 1] = [point]
    doc = reader.Document(
        shown, data, {("points_of_sale", index, *loc): pos for loc, pos in positions.items()} | {(): (number, 0)}
    )
    merchant, found = check_document(doc, importer.catalog, importer.gazetteer)
    problems.extend(found)
    if merchant is None or any(p.is_error for p in problems):
        return row_result(number, "error", None, problems)
    result = row_result(number, "error", None, problems, name=merchant.name, siret=merchant.siret or "")
    result.action, result.path = importer._write(merchant, existing, False)
    if result.action == "updated":  # the next rows of this merchant start from what was just written
        written = merchant.model_copy(update={"updated": importer.today})
        existing.data = written.model_dump(mode="json", exclude_none=True)
        existing.text = existing.header + dump_merchant(written)
    return result


def _markets(importer: Any) -> Markets:
    """The project's markets, read once per import."""
    markets = getattr(importer, "_points_markets", None)
    if markets is None:
        markets = importer._points_markets = load_markets(importer.project.content, importer.project.root)
    return markets


def _cell(cells: list[Any], i: int) -> Any:
    return cells[i] if i < len(cells) and present(cells[i]) else None


def _merchant(importer: Any, columns: Any, cells: list[Any]) -> tuple[Any, str, int]:
    """(existing file, "", 0), or (None, French reason, column) when the row names no single merchant."""
    siret, siret_col = columns.value("siret", cells)
    if present(siret):
        found = importer.index.registry.by_siret.get(clean_siret(siret))
        if found is not None:
            return found[1], "", 0
        return (
            None,
            (
                f"SIRET {clean_siret(siret)} : aucune fiche ne l'a ; la ligne du commerce doit précéder ses "
                "points de vente"
            ),
            siret_col,
        )
    name, name_col = columns.value("name", cells)
    if not present(name):
        return None, "point de vente sans commerce : indiquez le SIRET ou le nom du commerce", 0
    prefix = name_key(str(name)) + "|"  # the name as `ccdir.content.identity` compares names, any postcode
    matches = {e.path: e for key, (_, e) in importer.index.registry.by_name.items() if key.startswith(prefix)}
    if len(matches) == 1:
        return next(iter(matches.values())), "", 0
    if not matches:
        return (
            None,
            (
                f"« {name} » : aucune fiche à ce nom ; la ligne du commerce doit précéder ses points de vente, "
                "ou indiquez le SIRET"
            ),
            name_col,
        )
    return None, f"« {name} » : plusieurs fiches portent ce nom ; indiquez le SIRET", name_col


def _address(columns: Any, cells: list[Any], positions: dict, number: int) -> tuple[dict[str, Any] | None, int]:
    address: dict[str, Any] = {}
    for field in _ADDRESS:
        value, col = columns.value(field, cells)
        if field == "postcode":
            value = clean_postcode(value)
        elif field in ("lat", "lon") and present(value):
            try:
                value = float(str(value).replace(",", ".").strip())
            except ValueError:
                pass  # the model says it is not a number
        else:
            value = clean_line(value)
        if value is not None:
            address[field] = value
            positions[("address", field)] = (number, col)
    if "postcode" not in address or "city" not in address:
        return None, (columns.fields.get("postcode") or [-1])[0] + 1
    return address, 0


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("market") or b.get("market"):
        return a.get("market") == b.get("market")
    pa, pb = a.get("address") or {}, b.get("address") or {}
    return all(fold(str(pa.get(k) or "")) == fold(str(pb.get(k) or "")) for k in ("street", "postcode", "city"))
