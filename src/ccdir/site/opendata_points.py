"""Open data of the points of sale: `donnees/points-de-vente.csv`, one row per point with its merchant's id.

The main address of every merchant is in `commerces.csv`; this table adds the other points (farm,
market stall, drive, AMAP…), so that `id` joins the two. Same dialect as `commerces.csv` (`;`, UTF-8 with
a byte-order mark for Excel) and a Table Schema in `datapackage.json`. Only merchants with points are
read: an incremental build does not unpickle the others.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from ccdir.content.model import POINT_KINDS
from ccdir.content.outlets import Outlet

POINTS_CSV = "points-de-vente.csv"


class Column(NamedTuple):
    """A column of the table (as `opendata.Column`, which imports this module)."""

    name: str
    type: str  # Table Schema type
    title: str
    description: str
    get: Callable[[tuple[str, Outlet]], Any]
    constraints: dict[str, Any] | None = None


def _line(cells: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(["" if c is None else str(c) for c in cells])
    return out.getvalue()

POINT_COLUMNS = [
    Column("id", "string", "Identifiant du commerce", "Identifiant de la fiche (colonne id de commerces.csv).",
           lambda r: r[0], {"required": True, "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}),
    Column("point", "integer", "Numéro du point de vente", "Rang du point de vente dans la fiche (1, 2…).",
           lambda r: r[1].number, {"required": True, "minimum": 1}),
    Column("kind", "string", "Type de point de vente",
           "shop : boutique ; farm : à la ferme ; market : marché ; drive : drive fermier ; amap : AMAP ou "
           "retrait de paniers ; locker : casier, distributeur ; partner : commerce partenaire.",
           lambda r: r[1].kind, {"required": True, "enum": list(POINT_KINDS)}),
    Column("name", "string", "Nom", "Nom du point de vente ou du marché.", lambda r: r[1].name),
    Column("market", "string", "Marché", "Identifiant du marché (page /marches/<identifiant>/).",
           lambda r: r[1].market),
    Column("street", "string", "Adresse", "Voie, ou place du marché.", lambda r: r[1].street),
    Column("postcode", "string", "Code postal", "Code postal.", lambda r: r[1].postcode,
           {"required": True, "pattern": r"^\d{5}$"}),
    Column("city", "string", "Commune", "Nom officiel de la commune.", lambda r: r[1].city, {"required": True}),
    Column("departement", "string", "Département", "Code du département.", lambda r: r[1].dept),
    Column("lat", "number", "Latitude", "Latitude WGS 84 (degrés décimaux).",
           lambda r: None if r[1].lat is None else round(r[1].lat, 6), {"minimum": -90, "maximum": 90}),
    Column("lon", "number", "Longitude", "Longitude WGS 84 (degrés décimaux).",
           lambda r: None if r[1].lon is None else round(r[1].lon, 6), {"minimum": -180, "maximum": 180}),
    Column("precision", "string", "Précision de la position", "manual, address, street ou commune (voir "
           "commerces.csv).", lambda r: r[1].precision, {"enum": ["manual", "address", "street", "commune"]}),
    Column("hours", "string", "Jours et horaires", "Syntaxe opening_hours d'OpenStreetMap (ceux du marché "
           "quand le point n'a pas les siens).", lambda r: r[1].hours),
    Column("notes", "string", "Remarques", "Précisions données par le commerçant.", lambda r: r[1].notes),
]


def points_csv(listings: Sequence[Any]) -> str:
    """The CSV text (with its byte-order mark) of every point of sale, by merchant id then point number."""
    rows: list[tuple[str, Outlet]] = [(item.slug, p) for item in listings for p in item.points]
    lines = [_line([c.get(row) for c in POINT_COLUMNS]) for row in rows]
    return "\ufeff" + _line([c.name for c in POINT_COLUMNS]) + "".join(lines)


def write_points(folder: Path, listings: Sequence[Any]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / POINTS_CSV
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(points_csv(listings))
    return [path]


def points_resource() -> dict[str, Any]:
    """The `datapackage.json` resource of the points' CSV, with its Table Schema."""
    fields = []
    for c in POINT_COLUMNS:
        field: dict[str, Any] = {"name": c.name, "type": c.type, "title": c.title, "description": c.description}
        if c.constraints:
            field["constraints"] = c.constraints
        fields.append(field)
    return {"name": "points-de-vente", "path": POINTS_CSV, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": "Points de vente (marchés, fermes, drives…)",
            "dialect": {"delimiter": ";", "header": True},
            "schema": {"fields": fields, "primaryKey": ["id", "point"], "missingValues": [""],
                       "foreignKeys": [{"fields": "id", "reference": {"resource": "commerces", "fields": "id"}}]}}
