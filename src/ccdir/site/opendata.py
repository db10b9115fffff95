"""Open data: the directory as CSV, GeoJSON and JSON in `site/donnees/`, described by a Frictionless Data
Package (`datapackage.json`, with the Table Schema of the CSV) and published under an open licence.

Build stage `OpenDataStage` (listed in `ccdir.build.stages.STAGES`) and `ccdir export -o DIR` write the same files.

Choices: the CSV is `;`-separated UTF-8 **with a byte-order mark**, so that a double click opens it
correctly in Excel (French Excel expects `;` and, without the mark, reads the file as Windows-1252);
other tools (Python, R, LibreOffice, Frictionless) skip the mark. Lists inside a CSV cell
(categories, order methods) are separated by `,`. GeoJSON follows RFC 7946: coordinates in
[longitude, latitude] order, WGS 84, 6 decimals (about 10 cm). Nothing depends on the clock: two builds
of the same content give identical files.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.listing import Listing, make_listings
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.site import sitepages
from ccdir.content.model import KINDS, ORDER_METHODS

FOLDER = "donnees"
CSV_NAME = "commerces.csv"
GEOJSON_NAME = "commerces.geojson"
JSON_NAME = "commerces.json"
PACKAGE_NAME = "datapackage.json"

LICENCES = {
    "etalab-2.0": ("Licence Ouverte / Open Licence version 2.0",
                   "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    "ODbL-1.0": ("Open Database License (ODbL) 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
}


def licence(project: Project) -> dict[str, str]:
    """The data licence: `data_licence` in content/site.yaml (an identifier of LICENCES), default Etalab 2.0."""
    name = project.settings.data_licence
    title, path = LICENCES[name]
    return {"name": name, "title": title, **({"path": path} if path else {})}


@dataclass(frozen=True)
class Record:
    """One merchant as published: its listing plus the best position and commune known."""

    listing: Listing
    url: str
    lat: float | None
    lon: float | None
    precision: str | None
    insee: str | None
    dept: str


def records(project: Project, listings: Iterable[Listing]) -> list[Record]:
    """Published records, in the order of `listings`. A merchant with no position of its own gets its commune's."""
    return [record(project, item) for item in listings]


def record(project: Project, item: Listing) -> Record:
    commune = item.commune
    lat, lon, precision = item.lat, item.lon, item.precision
    if lat is None and commune is not None:
        lat, lon, precision = commune.lat, commune.lon, "commune"
    return Record(item, project.settings.base_url + item.url,
                  round(lat, 6) if lat is not None else None, round(lon, 6) if lon is not None else None,
                  precision, commune.insee if commune is not None else None,
                  commune.dept if commune is not None else item.place.dept)


# --- the table: one definition for the CSV, its Table Schema and the documentation page ----------------

@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type
    title: str
    description: str
    get: Callable[[Record], Any]
    constraints: dict[str, Any] | None = None


def _m(r: Record) -> Any:
    return r.listing.merchant


COLUMNS = [
    Column("id", "string", "Identifiant", "Identifiant unique et stable de la fiche (nom du fichier YAML).",
           lambda r: r.listing.slug, {"required": True, "unique": True, "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}),
    Column("name", "string", "Nom", "Nom du commerce tel qu'il est affiché.", lambda r: _m(r).name,
           {"required": True}),
    Column("kind", "string", "Type", "Type d'établissement.", lambda r: _m(r).kind,
           {"required": True, "enum": list(KINDS)}),
    Column("categories", "string", "Catégories",
           "Identifiants des catégories (1 à 5), séparés par des virgules ; leurs libellés figurent dans "
           "commerces.json (category_labels).", lambda r: ",".join(_m(r).categories),
           {"required": True, "pattern": r"^[a-z0-9-]+(,[a-z0-9-]+){0,4}$"}),
    Column("description", "string", "Description", "Présentation courte par le commerçant.",
           lambda r: _m(r).description),
    Column("street", "string", "Adresse", "Numéro et voie (absent pour certains marchés et fermes).",
           lambda r: _m(r).address.street),
    Column("postcode", "string", "Code postal", "Code postal de l'adresse du commerce.",
           lambda r: _m(r).address.postcode, {"required": True, "pattern": r"^\d{5}$"}),
    Column("city", "string", "Commune", "Nom officiel de la commune.", lambda r: _m(r).address.city,
           {"required": True}),
    Column("insee", "string", "Code INSEE", "Code officiel géographique de la commune.", lambda r: r.insee,
           {"pattern": r"^(\d{5}|2[AB]\d{3})$"}),
    Column("departement", "string", "Département", "Code du département.", lambda r: r.dept,
           {"required": True}),
    Column("lat", "number", "Latitude", "Latitude WGS 84 (degrés décimaux).", lambda r: r.lat,
           {"minimum": -90, "maximum": 90}),
    Column("lon", "number", "Longitude", "Longitude WGS 84 (degrés décimaux).", lambda r: r.lon,
           {"minimum": -180, "maximum": 180}),
    Column("precision", "string", "Précision de la position",
           "manual : position donnée dans la fiche ; address : adresse trouvée au numéro près ; street : "
           "rue ou lieu-dit ; commune : centre de la commune.", lambda r: r.precision,
           {"enum": ["manual", "address", "street", "commune"]}),
    Column("phone", "string", "Téléphone", "Numéro de téléphone.", lambda r: _m(r).contact.phone),
    Column("email", "string", "E-mail", "Adresse e-mail de commande.", lambda r: _m(r).contact.email),
    Column("website", "string", "Site web", "Site web du commerce.", lambda r: _m(r).contact.website,
           {"pattern": r"^https?://.+"}),
    Column("facebook", "string", "Facebook", "Page Facebook.", lambda r: _m(r).contact.facebook),
    Column("instagram", "string", "Instagram", "Compte Instagram.", lambda r: _m(r).contact.instagram),
    Column("order", "string", "Moyens de commande",
           f"Moyens de commande séparés par des virgules, parmi : {', '.join(ORDER_METHODS)}.",
           lambda r: ",".join(_m(r).click_and_collect.order),
           {"required": True, "pattern": rf"^({'|'.join(ORDER_METHODS)})(,({'|'.join(ORDER_METHODS)}))*$"}),
    Column("order_url", "string", "Commande en ligne", "Adresse de la boutique en ligne.",
           lambda r: _m(r).click_and_collect.order_url),
    Column("pickup", "string", "Retrait", "Où et comment retirer la commande.",
           lambda r: _m(r).click_and_collect.pickup),
    Column("pickup_hours", "string", "Horaires de retrait", "Syntaxe opening_hours d'OpenStreetMap.",
           lambda r: _m(r).click_and_collect.pickup_hours),
    Column("delivery", "boolean", "Livraison", "true si le commerce livre aussi.",
           lambda r: _m(r).click_and_collect.delivery, {"required": True}),
    Column("opening_hours", "string", "Horaires d'ouverture", "Syntaxe opening_hours d'OpenStreetMap.",
           lambda r: _m(r).opening_hours),
    Column("siret", "string", "SIRET", "Numéro SIRET de l'établissement.", lambda r: _m(r).siret,
           {"pattern": r"^\d{14}$"}),
    Column("updated", "date", "Mise à jour", "Date de la dernière mise à jour de la fiche (AAAA-MM-JJ).",
           lambda r: _m(r).updated),
    Column("url", "string", "Page", "Adresse de la fiche sur l'annuaire.", lambda r: r.url,
           {"required": True}),
]
def table_schema() -> dict[str, Any]:
    """Frictionless Table Schema of the CSV."""
    fields = []
    for c in COLUMNS:
        f: dict[str, Any] = {"name": c.name, "type": c.type, "title": c.title, "description": c.description}
        if c.type == "boolean":
            f.update(trueValues=["true"], falseValues=["false"])
        if c.type == "date":
            f["format"] = "default"
        if c.constraints:
            f["constraints"] = c.constraints
        fields.append(f)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class Published(NamedTuple):
    """One merchant in the three files, serialised (and kept by the build cache between builds)."""

    row: str  # its CSV line
    feature: str | None  # its GeoJSON Feature, None without a position
    doc: str  # its object in commerces.json


def publish(r: Record, catalog: CategoryCatalog) -> Published:
    return Published(csv_line([_cell(c.get(r)) for c in COLUMNS]),
                     None if r.lat is None else _compact(feature(r, catalog)), _compact(merchant_doc(r, catalog)))


def csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def csv_text(lines: Iterable[str]) -> str:
    """The CSV (without the byte-order mark, added when written) of its lines (`csv_line`)."""
    return csv_line([c.name for c in COLUMNS]) + "".join(lines)


def feature(r: Record, catalog: CategoryCatalog) -> dict[str, Any]:
    """The RFC 7946 Feature of a merchant that has a position ([lon, lat])."""
    m = r.listing.merchant
    props = {"id": r.listing.slug, "name": m.name, "kind": m.kind, "categories": list(m.categories),
             "category_labels": [catalog[c].label for c in m.categories], "street": m.address.street,
             "postcode": m.address.postcode, "city": m.address.city, "insee": r.insee,
             "phone": m.contact.phone, "email": m.contact.email, "website": m.contact.website,
             "order": list(m.click_and_collect.order), "order_url": m.click_and_collect.order_url,
             "delivery": m.click_and_collect.delivery, "precision": r.precision, "url": r.url}
    return {"type": "Feature", "id": r.listing.slug, "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
            "properties": {k: v for k, v in props.items() if v is not None}}


def geojson(features: Iterable[str | None]) -> str:
    """RFC 7946 FeatureCollection of the merchants that have a position."""
    return '{"type":"FeatureCollection","features":[' + ",".join(f for f in features if f is not None) + "]}\n"


def merchant_doc(r: Record, catalog: CategoryCatalog) -> dict[str, Any]:
    """A merchant as in its YAML file (products included), with its id, page and position."""
    data = r.listing.merchant.model_dump(mode="json", exclude_none=True)
    return {"id": r.listing.slug, "url": r.url, **data,
            "category_labels": [catalog[c].label for c in r.listing.merchant.categories],
            "location": {k: v for k, v in (("lat", r.lat), ("lon", r.lon), ("precision", r.precision),
                                           ("insee", r.insee), ("departement", r.dept)) if v is not None}}


def json_doc(project: Project, docs: list[str]) -> str:
    """Every merchant (`merchant_doc`), with the publisher and licence."""
    head = _compact({"title": project.settings.title, "publisher": project.settings.publisher,
                     "licence": licence(project), "source": project.settings.base_url, "count": len(docs)})
    return head[:-1] + ',"merchants":[' + ",".join(docs) + "]}\n"


def datapackage(project: Project) -> dict[str, Any]:
    """Frictionless Data Package describing the three files."""
    settings = project.settings
    return {
        "name": "annuaire-click-and-collect",
        "title": settings.title,
        "description": f"{settings.tagline} Données publiées par {settings.publisher}.",
        "homepage": settings.base_url,
        "licenses": [licence(project)],
        "contributors": [{"title": settings.publisher, "role": "publisher",
                          **({"email": settings.contact_email} if settings.contact_email else {})}],
        "resources": [
            {"name": "commerces", "path": CSV_NAME, "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "title": "Commerces (tableau)",
             "dialect": {"delimiter": ";", "header": True}, "schema": table_schema()},
            {"name": "commerces-geojson", "path": GEOJSON_NAME, "profile": "data-resource", "format": "geojson",
             "mediatype": "application/geo+json", "encoding": "utf-8", "title": "Commerces (carte, GeoJSON)"},
            {"name": "commerces-json", "path": JSON_NAME, "profile": "data-resource", "format": "json",
             "mediatype": "application/json", "encoding": "utf-8", "title": "Commerces (JSON complet)"},
        ],
    }


def _json(data: Any) -> str:
    """Indented, for the small file people read (`datapackage.json`)."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_files(project: Project, published: list[Published], folder: Path) -> list[Path]:
    """Write the CSV, GeoJSON, JSON and datapackage.json into `folder`; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        CSV_NAME: "\ufeff" + csv_text(p.row for p in published),
        GEOJSON_NAME: geojson(p.feature for p in published),
        JSON_NAME: json_doc(project, [p.doc for p in published]),
        PACKAGE_NAME: _json(datapackage(project)),
    }
    paths = []
    for name, text in files.items():
        path = folder / name
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        paths.append(path)
    return paths


class OpenDataStage:
    """Build stage (`ccdir.build.stages.STAGES`): `site/donnees/` (the files and a page that documents them)."""

    name = "opendata"
    pages = (f"{FOLDER}/",)  # listed in the sitemap
    merchant_files: Mapping[str, MerchantFile] = {}
    memo = True

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        """`memo`: what unchanged merchants published in the last build."""
        project, catalog = context.project, context.catalog
        published = []
        for item in context.listings:
            def compute(item: Listing = item) -> tuple:
                return tuple(publish(record(project, item), catalog))
            published.append(Published._make(memo.get(item.slug, compute)))
        paths = write_files(project, published, folder / FOLDER)
        sizes = {p.name: p.stat().st_size for p in paths}
        page = sitepages.renderer(project, catalog).page(
            "donnees.html", files=[(name, sizes[name]) for name in (CSV_NAME, GEOJSON_NAME, JSON_NAME, PACKAGE_NAME)],
            columns=COLUMNS, licence=licence(project), count=len(published),
            located=sum(1 for p in published if p.feature is not None))
        return len(paths) + sitepages.publish(project, catalog, folder, {f"{FOLDER}/": page})


def export(project: Project, folder: Path, strict: bool = False) -> tuple[int, list[Path]]:
    """`ccdir export`: validate and locate like the build, then write the open-data files into `folder`."""
    from ccdir.content.loading import check, load_gazetteer, locate
    from ccdir.core.problems import ContentError, Severity

    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    located: list = []
    locations: dict[str, Any] = {}
    if not report.errors:
        locations, located = locate(project, report, gazetteer)
    problems = report.problems + located
    if any(p.is_error or (strict and p.severity is Severity.WARNING) for p in problems):
        raise ContentError(problems, "erreurs dans le contenu : aucune donnée exportée.")
    listings = make_listings(report.entries, locations, catalog)
    published = [publish(r, catalog) for r in records(project, listings)]
    return len(published), write_files(project, published, folder)
