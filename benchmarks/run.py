#!/usr/bin/env python3
"""One command for the whole benchmark: `python benchmarks/run.py` (see docs/performance.md).

For each size (default 1,000 / 10,000 / 50,000 generated merchants): build times and peak memory, site
size, search index sizes; then, in headless Chromium, the bytes, requests and time to results of a fixed
list of queries on our search, on Pagefind and on a single lunr index of the same merchants. Writes
`<out>/results.json` and the report (default `benchmarks/RESULTS.md`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from buildside import make_project, measure_builds  # noqa: E402
from machine import describe  # noqa: E402

REPO = HERE.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated merchant counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (the median is reported)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work folder (generated projects, sites)")
    parser.add_argument("--report", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-browser", action="store_true", help="build-side measurements only")
    parser.add_argument(
        "--reuse-builds",
        type=Path,
        metavar="RESULTS_JSON",
        help="take the build figures from an earlier run (its sites must still be in --out)",
    )
    parser.add_argument(
        "--merge",
        type=Path,
        action="append",
        default=[],
        help="results.json of an earlier run whose other sizes go into the same report",
    )
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    results = {"machine": describe(), "started": time.strftime("%Y-%m-%d %H:%M"), "runs": args.runs, "sizes": {}}
    for count in (int(s) for s in args.sizes.split(",")):
        print(f"== {count} merchants", file=sys.stderr, flush=True)
        project = make_project(args.out / f"p{count}", count, args.seed, REPO)
        if args.reuse_builds:
            earlier = json.loads(args.reuse_builds.read_text(encoding="utf-8"))
            entry = {"build": earlier["sizes"][str(count)]["build"]}
            results["machine"] = earlier["machine"]
        else:
            entry = {"build": measure_builds(project, count, args.runs).to_json()}
        if not args.no_browser:
            from browser import measure_queries

            entry["queries"] = measure_queries(project, args.out / f"cmp{count}", args.runs)
        results["sizes"][str(count)] = entry
        (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    results["machine"]["load_after"] = describe()["load"]
    (args.out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    from report import write_report

    for earlier in args.merge:
        previous = json.loads(earlier.read_text(encoding="utf-8"))
        for size, entry in previous["sizes"].items():
            results["sizes"].setdefault(size, entry)
    results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda kv: int(kv[0])))
    write_report(results, args.report)
    print(f"report: {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
