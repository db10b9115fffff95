"""Build-side measurements: full build, rebuilds, site size — each build in its own `ccdir` process.

Every figure is the median of `runs` runs. Peak memory is the largest resident set of any process of
the build (forked workers share most of their pages with the parent), from `getrusage(RUSAGE_CHILDREN)`
in a fresh wrapper process, so that one run's peak does not hide the next one's.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

WRAPPER = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "code": done.returncode, "stderr": done.stderr[-3000:]}))
"""


@dataclass
class BuildFigures:
    count: int
    full_seconds: list[float] = field(default_factory=list)
    full_peak: list[int] = field(default_factory=list)
    settings_seconds: list[float] = field(default_factory=list)  # full render, validation cached
    edit_seconds: list[float] = field(default_factory=list)  # one merchant's description
    move_seconds: list[float] = field(default_factory=list)  # one merchant's category and position
    noop_seconds: list[float] = field(default_factory=list)
    edit_peak: list[int] = field(default_factory=list)
    site_bytes: int = 0
    site_gzip_bytes: int = 0
    site_files: int = 0
    merchant_page_gzip: int = 0  # median gzipped merchant page
    search_bytes: int = 0
    search_files: int = 0
    search_largest: int = 0
    search_largest_gzip: int = 0
    search_manifest: int = 0
    search_manifest_gzip: int = 0

    def median(self, name: str) -> float:
        values = getattr(self, name)
        return statistics.median(values) if values else float("nan")

    def to_json(self) -> dict:
        return asdict(self)


def ccdir() -> list[str]:
    return [sys.executable, "-m", "ccdir.cli"]


def timed(command: list[str], cwd: Path | None = None) -> dict:
    """Run `command` in a fresh wrapper process: wall seconds and peak memory of its processes."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, cwd=cwd, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result['stderr']}")
    return result


def make_project(root: Path, count: int, seed: int, repo: Path) -> Path:
    """A generated project (kept between runs when its count and seed are the same)."""
    stamp = root / "benchmark.json"
    wanted = {"count": count, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return root
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(
        [*ccdir(), "demo-data", "--count", str(count), "--seed", str(seed), "-o", str(root), "--root", str(repo)],
        check=True,
        capture_output=True,
    )
    stamp.write_text(json.dumps(wanted))
    return root


def clean(root: Path) -> None:
    for name in ("site", ".ccdir-cache"):
        shutil.rmtree(root / name, ignore_errors=True)
    for leftover in root.glob("site.*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _merchant_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "merchants").rglob("*.yaml"))


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")


def measure_builds(root: Path, count: int, runs: int) -> BuildFigures:
    figures = BuildFigures(count)
    build = [*ccdir(), "build", "--root", str(root), "-q"]
    settings = root / "content" / "site.yaml"
    original_settings = settings.read_text(encoding="utf-8") if settings.exists() else ""
    files = [p for p in _merchant_files(root) if "\n  lat: " in p.read_text(encoding="utf-8")]
    edited: dict[Path, str] = {}
    try:
        for run in range(runs):
            clean(root)
            got = timed(build)
            figures.full_seconds.append(got["seconds"])
            figures.full_peak.append(got["peak"])
            target = files[(run * 7919) % len(files)]
            edited[target] = edited.get(target) or target.read_text(encoding="utf-8")
            _edit(target, r'^description: "', f'description: "Édition {run} : ')
            got = timed(build)
            figures.edit_seconds.append(got["seconds"])
            figures.edit_peak.append(got["peak"])
            text = target.read_text(encoding="utf-8")
            if text.count(",") < 8:  # fewer than 5 categories: add one it does not have
                extra = next(c for c in ("caviste", "fleuriste", "librairie") if c not in text)
                _edit(target, r"^categories: \[", f"categories: [{extra}, ")
            _edit(target, r"^  lat: ([\d.]+)$", lambda m: f"  lat: {float(m.group(1)) + 0.004:.5f}")
            figures.move_seconds.append(timed(build)["seconds"])
            figures.noop_seconds.append(timed(build)["seconds"])
            settings.write_text(
                re.sub(r"^title: .*$", f"title: Essai {run}", original_settings, flags=re.M)
                if "\ntitle: " in original_settings
                else original_settings + f"\ntitle: Essai {run}\n",
                encoding="utf-8",
            )
            figures.settings_seconds.append(timed(build)["seconds"])
            settings.write_text(original_settings, encoding="utf-8")
            timed(build)  # back to the original settings (and the original site) before the next run
    finally:
        settings.write_text(original_settings, encoding="utf-8")
        for path, text in edited.items():
            path.write_text(text, encoding="utf-8")
    site_sizes(root / "site", figures)
    return figures


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def site_sizes(site: Path, figures: BuildFigures) -> None:
    merchant_pages = []
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder) / name
            data = path.read_bytes()
            figures.site_files += 1
            figures.site_bytes += len(data)
            figures.site_gzip_bytes += gzip_size(data)
            rel = path.relative_to(site).as_posix()
            if rel.startswith("commercants/") and len(merchant_pages) < 500:
                merchant_pages.append(gzip_size(data))
            if rel.startswith("search/"):
                figures.search_files += 1
                figures.search_bytes += len(data)
                if rel == "search/manifest.json":
                    figures.search_manifest, figures.search_manifest_gzip = len(data), gzip_size(data)
                elif len(data) > figures.search_largest:
                    figures.search_largest, figures.search_largest_gzip = len(data), gzip_size(data)
    figures.merchant_page_gzip = int(statistics.median(merchant_pages)) if merchant_pages else 0
