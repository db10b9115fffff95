"""What a user would pick instead, built from the same merchants: Pagefind, and one lunr index.

- Pagefind (PyPI `pagefind[bin]`, its binary runs locally) indexes copies of our merchant pages, marked
  with `data-pagefind-body` and filters: category ids, geohash cells of 4 and 5 characters (≈ 39 × 20 km
  and ≈ 5 × 5 km), and the position as metadata.
- lunr: one lunr.py index of every merchant (default pipeline, the same text our search indexes: name,
  description, products, category labels, kind), and one JSON file of compact records to rank by distance.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pygeohash

HERE = Path(__file__).resolve().parent


@dataclass
class Merchant:
    slug: str
    name: str
    text: str
    cats: list[str]
    commune: str
    lat: float
    lon: float


def corpus(root: Path) -> list[Merchant]:
    """Every located merchant of the project at `root`, as our build sees them."""
    from ccdir.content.config import Project
    from ccdir.content.loading import check, load_gazetteer, locate
    from ccdir.site.render import KIND_LABELS, make_listings

    project = Project.load(root)
    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    locations, _ = locate(project, report, gazetteer, prune=False)
    merchants = []
    for item in make_listings(report.entries, locations, catalog):
        if item.lat is None:
            continue
        m = item.merchant
        text = " ".join(
            [
                m.name,
                m.description or "",
                *(p.name for p in m.products),
                *(c.label for c in item.categories),
                KIND_LABELS[m.kind],
            ]
        )
        merchants.append(
            Merchant(item.slug, m.name, text, [c.id for c in item.categories], item.place.name, item.lat, item.lon)
        )
    return merchants


# --- Pagefind -------------------------------------------------------------------------------------------

_OPEN = re.compile(r'<article class="merchant"')


def pagefind_page(html: str, m: Merchant) -> str:
    """Our merchant page, marked for Pagefind: indexed body, filters and position."""
    gh = pygeohash.encode(m.lat, m.lon, 5)
    marks = "".join(f'<span data-pagefind-filter="category">{c}</span>' for c in m.cats)
    marks += f'<span data-pagefind-filter="gh4">{gh[:4]}</span><span data-pagefind-filter="gh5">{gh}</span>'
    marks += f'<span data-pagefind-meta="lat">{m.lat:.5f}</span><span data-pagefind-meta="lon">{m.lon:.5f}</span>'
    html = _OPEN.sub('<article class="merchant" data-pagefind-body', html, count=1)
    start = html.index("data-pagefind-body")
    end = html.index("</article>", start)
    return html[:end] + f"<div hidden>{marks}</div>" + html[end:]


def build_pagefind(site: Path, merchants: list[Merchant], target: Path) -> dict[str, Any]:
    """Pagefind's bundle for copies of our merchant pages, in `target/pagefind/`; returns its figures."""
    shutil.rmtree(target, ignore_errors=True)
    for m in merchants:
        html = (site / "commercants" / m.slug / "index.html").read_text(encoding="utf-8")
        page = target / "commercants" / m.slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(pagefind_page(html, m), encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(target),
            "--glob",
            "commercants/**/*.html",
            "--force-language",
            "fr",
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed: {done.stderr[-2000:]}")
    for name in ("pagefind.html", "geo.js"):
        shutil.copy(HERE / "pages" / name, target / name)
    bundle = target / "pagefind"
    sizes = [p.stat().st_size for p in bundle.rglob("*") if p.is_file()]
    return {"seconds": seconds, "files": len(sizes), "bytes": sum(sizes)}


# --- one lunr index -------------------------------------------------------------------------------------


def build_lunr(merchants: list[Merchant], target: Path, lunr_js: Path) -> dict[str, Any]:
    """One lunr.py index of every merchant and their records, in `target/lunr/`; returns its figures."""
    from lunr import lunr

    shutil.rmtree(target, ignore_errors=True)
    (target / "lunr").mkdir(parents=True)
    started = time.perf_counter()
    index = lunr(ref="i", fields=["x"], documents=[{"i": str(n), "x": m.text} for n, m in enumerate(merchants)])
    data = json.dumps(index.serialize(), separators=(",", ":"))
    seconds = time.perf_counter() - started
    records = [[m.slug, m.name, m.cats, m.commune, round(m.lat, 5), round(m.lon, 5)] for m in merchants]
    (target / "lunr" / "index.json").write_text(data, encoding="utf-8")
    (target / "lunr" / "records.json").write_text(
        json.dumps(records, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    shutil.copy(lunr_js, target / "lunr" / "lunr.min.js")
    for name in ("lunr.html", "geo.js"):
        shutil.copy(HERE / "pages" / name, target / name)
    return {"seconds": seconds, "files": 2, "bytes": len(data) + (target / "lunr" / "records.json").stat().st_size}
