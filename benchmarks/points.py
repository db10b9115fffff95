"""Points of sale and the search budget (issue #18): bytes per « category + commune » query at 50,000
merchants with two points of sale on average (the main address and one more), against the same
merchants without points.

    python benchmarks/points.py --count 50000 -o /tmp/points-bench   # then add the table to RESULTS.md

For each corpus only what the search page needs is built (the search index, /recherche/ and the assets,
not the 50,000 merchant pages); the queries run in headless Chromium as in `browser.py` (bytes on the
wire, gzip like a static host; first with an empty cache, then cached).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

KINDS = ("farm", "market", "drive", "amap", "locker", "partner")
EXTRA = (0, 1, 1, 2)  # extra points per merchant: one on average, so two points with the main address
HOURS = ("We 08:00-12:30", "Sa 08:00-12:30", "Tu,Fr 16:00-19:00", "Th 17:00-19:00", "Su 09:00-12:00")


def points_yaml(rng: random.Random, places: Any, extra: int) -> str:
    """A `points_of_sale` block of `extra` points in communes drawn like the merchants' own."""
    from ccdir.demodata import _point_near

    if not extra:
        return ""
    lines = ["points_of_sale:"]
    for n in range(extra):
        commune = places.pick(rng)
        lat, lon = _point_near(rng, commune)
        lines += [
            f"  - kind: {rng.choice(KINDS)}",
            "    address:",
            f"      street: {n + 1} place du Marché",
            f'      postcode: "{commune.postcodes[0]}"',
            f"      city: {json.dumps(commune.name, ensure_ascii=False)}",
            f"      lat: {lat:.5f}",
            f"      lon: {lon:.5f}",
            f'    hours: "{rng.choice(HOURS)}"',
        ]
    return "\n".join(lines) + "\n"


def make_corpus(root: Path, count: int, seed: int, with_points: bool) -> tuple[int, int]:
    """A project under `root`: `count` demo merchants (same seed: same merchants), with or without
    points; returns (merchants, extra points)."""
    from ccdir.content.categories import load_catalog
    from ccdir.demodata import _communes, generate
    from ccdir.geo.gazetteer import Gazetteer

    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "merchants").mkdir(parents=True)
    for name in ("categories.yaml", "site.yaml"):
        shutil.copy(REPO / "content" / name, root / "content" / name)
    gazetteer = Gazetteer.load()
    catalog = load_catalog(REPO / "content" / "categories.yaml")
    rng = random.Random(seed + 1)
    places = _communes(gazetteer, ("18", "28", "36", "37", "41", "45"))
    points = 0
    for rel, text in generate(count, seed, gazetteer, catalog):
        if with_points:
            extra = rng.choice(EXTRA)
            points += extra
            text = text.rstrip("\n") + "\n" + points_yaml(rng, places, extra)
        path = root / "content" / "merchants" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return count, points


def build_search_site(root: Path) -> dict[str, Any]:
    """The search index, /recherche/ and the assets; returns timings and index sizes."""
    from ccdir.content.config import Project
    from ccdir.content.loading import check, load_gazetteer, locate
    from ccdir.content.stage import BuildContext, StageMemo
    from ccdir.search.index import SearchStage
    from ccdir.site.render import Renderer, copy_assets, make_listings

    started = time.perf_counter()
    project = Project.load(root, output=root / "site")
    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    assert not report.errors, [p.format() for p in report.errors[:5]]
    locations, _ = locate(project, report, gazetteer)
    listings = make_listings(report.entries, locations, catalog, report.markets)
    site = project.output
    if site.exists():
        shutil.rmtree(site)
    (site / "recherche").mkdir(parents=True)
    (site / "recherche" / "index.html").write_text(Renderer(project, catalog).page("search.html"), encoding="utf-8")
    copy_assets(project, site)
    SearchStage().run(BuildContext(project, catalog, listings), site, StageMemo())
    records = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))["count"]
    index = [p for p in (site / "search").rglob("*.json")]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "records": records,
        "index_files": len(index),
        "index_bytes": sum(p.stat().st_size for p in index),
    }


def measure(site: Path, runs: int) -> list[dict[str, Any]]:
    from browser import ARGS, CHROMIUM, _median_of, _ours
    from playwright.sync_api import sync_playwright
    from queries import QUERIES
    from server import StaticServer

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            with StaticServer(site) as base:
                for q in QUERIES:
                    if q.kind == "category":
                        out.append({"label": q.label, **_median_of([_ours(browser, base, q) for _ in range(runs)])})
        finally:
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, default=Path("/tmp/ccdir-points-bench"))
    parser.add_argument("--only", choices=("without", "with"), help="measure one corpus only")
    args = parser.parse_args()
    results: dict[str, Any] = {"count": args.count}
    for name, with_points in (("without", False), ("with", True)):
        if args.only and name != args.only:
            continue
        root = args.output / name
        merchants, points = make_corpus(root, args.count, args.seed, with_points)
        built = build_search_site(root)
        results[name] = {
            "merchants": merchants,
            "extra_points": points,
            **built,
            "queries": measure(root / "site", args.runs),
        }
        print(json.dumps(results[name], ensure_ascii=False), flush=True)
    (args.output / "points-results.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
