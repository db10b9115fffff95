"""benchmarks/RESULTS.md from results.json: tables, targets met or not, ratios to Pagefind and lunr."""

from __future__ import annotations

import math
import statistics
from pathlib import Path
from typing import Any


def med(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def kb(n: float) -> str:
    return "–" if n is None or (isinstance(n, float) and math.isnan(n)) else f"{n / 1000:,.1f} kB".replace(",", " ")


def sec(s: float) -> str:
    return "–" if math.isnan(s) else f"{s:.2f} s"


def mb(n: float) -> str:
    return "–" if math.isnan(n) else f"{n / 1024**2:,.0f} MiB".replace(",", " ")


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def build_table(sizes: dict[str, Any]) -> list[str]:
    lines = [
        "| merchants | full build | peak memory | rebuild, settings changed | one merchant edited "
        "| one merchant moved | nothing changed | site | files | merchant page (gz) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, entry in sizes.items():
        b = entry["build"]
        lines.append(
            f"| {int(count):,} | {sec(med(b['full_seconds']))} | {mb(med(b['full_peak']))} "
            f"| {sec(med(b['settings_seconds']))} | {sec(med(b['edit_seconds']))} | {sec(med(b['move_seconds']))} "
            f"| {sec(med(b['noop_seconds']))} | {b['site_bytes'] / 1024**2:,.0f} MB ({b['site_gzip_bytes'] / 1024**2:,.0f} MB gz) "
            f"| {b['site_files']:,} | {kb(b['merchant_page_gzip'])} |".replace(",", " ")
        )
    return lines


def index_table(sizes: dict[str, Any]) -> list[str]:
    lines = [
        "| merchants | index files | index total | largest file (gz) | manifest (gz) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for count, entry in sizes.items():
        b = entry["build"]
        lines.append(
            f"| {int(count):,} | {b['search_files']:,} | {kb(b['search_bytes'])} "
            f"| {kb(b['search_largest'])} ({kb(b['search_largest_gzip'])}) "
            f"| {kb(b['search_manifest'])} ({kb(b['search_manifest_gzip'])}) |".replace(",", " ")
        )
    return lines


def query_tables(sizes: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for count, entry in sizes.items():
        q = entry.get("queries")
        if not q:
            continue
        lines += ["", f"### {int(count):,} merchants".replace(",", " "), ""]
        if q.get("error"):
            lines += [f"Browser measurements failed: `{q['error']}`", ""]
            continue
        lines += [
            "Bytes are as transferred (gzip, as a static host serves them), index data only (not the "
            "engines' JavaScript and WebAssembly); times are from the query to the results shown, first "
            "with an empty cache, then with the index files already loaded. *Pagefind*: the words of "
            "« Quoi ? » searched within the geohash cells covering 10 km (and, for a category, within its "
            "filter), every match's fragment loaded to rank by distance; *filters only*: the same "
            "without words (Pagefind then loads its whole word index). *lunr*: one index and one record "
            "file for every merchant. The comparators get the commune's position for free. *Results*: ours, "
            "the merchants shown (first page of 20, radius widened beyond 10 km when fewer than 5); the "
            "others, every match within 10 km (Pagefind: among its first 500 matches).",
            "",
            "| query | ours: bytes / requests / ms / cached ms | Pagefind | Pagefind, filters only "
            "| lunr (one index) | ours ÷ Pagefind | ours ÷ lunr |",
            "|---|---|---|---|---|---:|---:|",
        ]
        for row in q["queries"]:
            cells = []
            for engine in ("ours", "pagefind", "pagefind_filters", "lunr"):
                r = row.get(engine) or {}
                if "error" in r:
                    cells.append(f"error: {r['error'][:60]}")
                elif r:
                    cells.append(
                        f"{kb(r['bytes'])} / {r['requests']} / {r['ms']:.0f} / {r['cached_ms']:.0f} "
                        f"({r['results']} results)"
                    )
                else:
                    cells.append("–")
            ours, pf, ln = (row.get(e) or {} for e in ("ours", "pagefind", "lunr"))
            ratio = lambda a, b: _ratio(a["bytes"] / b["bytes"]) if a.get("bytes") and b.get("bytes") else "–"  # noqa: E731
            lines.append(
                f"| {row['label']} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} | {ratio(ours, pf)} "
                f"| {ratio(ours, ln)} |"
            )
        page = q.get("page")
        if page:
            lines += [
                "",
                f"Search page before the map, gzipped: **{kb(page['bytes'])}** in {page['requests']} requests "
                f"({', '.join(page['files'])}).",
            ]
    return lines


def _ratio(r: float) -> str:
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


def targets(sizes: dict[str, Any]) -> list[str]:
    big = sizes.get("50000")
    rows = ["| target | measured | verdict |", "|---|---|---|"]
    if big:
        b = big["build"]
        full, peak = med(b["full_seconds"]), med(b["full_peak"])
        rows.append(f"| full build of 50,000 ≤ 30 s on 2 cores | {sec(full)} | {verdict(full <= 30)} |")
        edit_peak = med(b["edit_peak"])
        rows.append(
            f"| peak memory ≤ 1.5 GB | full build {mb(peak)}, incremental {mb(edit_peak)} (largest process) "
            f"| {verdict(max(peak, edit_peak) <= 1.5e9)} |"
        )
        edit = med(b["edit_seconds"])
        rows.append(f"| incremental rebuild ≤ 2 s (one merchant edited, 50,000) | {sec(edit)} | {verdict(edit <= 2)} |")
        q = big.get("queries") or {}
        for row in q.get("queries", []):
            ours, pf = row.get("ours") or {}, row.get("pagefind") or {}
            if not ours.get("bytes"):
                continue
            if row["kind"] == "category":
                ok = ours["bytes"] <= 30_000 and (not pf.get("bytes") or ours["bytes"] * 5 <= pf["bytes"])
                rows.append(
                    f"| {row['label']}: ≤ 30 kB and ≤ 1/5 of Pagefind | {kb(ours['bytes'])} vs "
                    f"{kb(pf.get('bytes', math.nan))} | {verdict(ok)} |"
                )
            elif row["kind"] == "name":
                rows.append(f"| {row['label']}: ≤ 60 kB | {kb(ours['bytes'])} | {verdict(ours['bytes'] <= 60_000)} |")
            else:
                rows.append(f"| {row['label']}: ≤ 100 kB | {kb(ours['bytes'])} | {verdict(ours['bytes'] <= 100_000)} |")
            rows.append(
                f"| {row['label']}: ≤ 50 ms once cached | {ours['cached_ms']:.0f} ms | "
                f"{verdict(ours['cached_ms'] <= 50)} |"
            )
        page = q.get("page")
        if page:
            rows.append(
                f"| search page ≤ 50 kB gzipped before the map | {kb(page['bytes'])} | "
                f"{verdict(page['bytes'] <= 50_000)} |"
            )
    return rows


def write_report(results: dict[str, Any], path: Path, notes: str = "") -> None:
    m = results["machine"]
    sizes = results["sizes"]
    runs = ", ".join(f"{len(e['build']['full_seconds'])} at {int(n):,}".replace(",", " ") for n, e in sizes.items())
    text = [
        "# Benchmark results",
        "",
        f"Run on {results['started']} with `python benchmarks/run.py` (runs per figure: {runs}; medians). "
        "Regenerate with the same command; see docs/performance.md.",
        "",
        "## Machine",
        "",
        f"{m['cores']} cores ({m['cpu']}), {m['memory']} of memory, Python {m['python']}, {m['system']}. "
        f"Load average at start {m['load']}, at the end {m.get('load_after', '?')}: the machine was shared "
        "with other jobs, so times are noisy (medians help, but compare within a run).",
        "",
        "## Targets (50,000 merchants)",
        "",
        *targets(sizes),
        "",
        "## Builds",
        "",
        "Each build is a fresh `ccdir build` process (Python start-up and imports included). *Full build*: "
        "no cache. *Settings changed*: validation reused from the cache, every page rendered again. "
        "*Edited*: one merchant's description; *moved*: one merchant's category and position (its card "
        "changes on category, commune and neighbour pages); both update the site in place.",
        "",
        *build_table(sizes),
        "",
        "## Search index",
        "",
        *index_table(sizes),
        "",
        "## Queries in the browser",
        *query_tables(sizes),
        "",
    ]
    if notes:
        text += ["## Notes", "", notes, ""]
    text += kept_sections(path)
    path.write_text("\n".join(text), encoding="utf-8")


# Sections written by other scripts (benchmarks/lighthouse.py), kept as they are when the report is regenerated.
KEPT = [("<!-- lighthouse:start -->", "<!-- lighthouse:end -->")]


def kept_sections(path: Path) -> list[str]:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    return [
        old[old.index(start) : old.index(end) + len(end)] + "\n" for start, end in KEPT if start in old and end in old
    ]


if __name__ == "__main__":  # regenerate the report: python benchmarks/report.py results.json [more.json…] -o RESULTS.md
    import argparse
    import json

    parser = argparse.ArgumentParser(description="benchmarks/RESULTS.md from results.json files")
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    parser.add_argument("--notes", default="", help="a paragraph added at the end (where the figures come from)")
    args = parser.parse_args()
    merged = json.loads(args.results[0].read_text(encoding="utf-8"))
    for more in args.results[1:]:
        for size, entry in json.loads(more.read_text(encoding="utf-8"))["sizes"].items():
            merged["sizes"].setdefault(size, entry)
    merged["sizes"] = dict(sorted(merged["sizes"].items(), key=lambda kv: int(kv[0])))
    write_report(merged, args.output, args.notes)
