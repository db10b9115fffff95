"""Lighthouse (mobile) on every page type of the demo site; the table goes into benchmarks/RESULTS.md.

    python benchmarks/lighthouse.py            # build the demo site, audit each page type, update RESULTS.md
    python benchmarks/lighthouse.py --no-write # print the table only

Lighthouse 12 (npm devDependency) drives Debian's Chromium (`CHROME_PATH=/usr/bin/chromium`) with its default
mobile settings (Moto G Power screen, simulated slow 4G and 4× CPU slowdown). The site is served on 127.0.0.1 by
`server.StaticServer` (gzip, like a static host) and Chromium cannot resolve any other host name.

Performance depends on the machine's load (Lighthouse simulates a slow phone from the trace it records), so it is
measured here, not asserted by the tests; tests/test_lighthouse.py asserts what does not depend on load:
accessibility 100 and no console error.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# tests/browser_support.py's flags, headless, and no name resolution but 127.0.0.1's: nothing leaves the machine.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"

# Every page type of a built site, in the order of the report: (name, what it is).
PAGE_TYPES = [
    ("accueil", "home page"),
    ("recherche", "search page with a query and no place (/recherche/?quoi=fleuriste)"),
    ("resultats", "search results (/recherche/?quoi=fleuriste&ou=Montargis)"),
    ("commerce", "a merchant"),
    ("categorie", "a category"),
    ("commune", "a commune"),
    ("communes", "list of communes"),
    ("categories", "list of categories"),
    ("inscription", "registration form (/inscription/)"),
    ("donnees", "open data (/donnees/)"),
    ("statistiques", "statistics (/statistiques/)"),
    ("introuvable", "not found (404.html)"),
]


def first(site: Path, folder: str) -> str:
    pages = sorted((site / folder).glob("*/index.html"))
    if not pages:
        raise SystemExit(f"no page under {folder}/ in {site}")
    return pages[0].parent.relative_to(site).as_posix() + "/"


def page_paths(site: Path) -> dict[str, str]:
    """The path (relative to the site's root) of one page of each type."""
    return {
        "accueil": "",
        "recherche": "recherche/?quoi=fleuriste",
        "resultats": "recherche/?quoi=fleuriste&ou=Montargis",
        "commerce": first(site, "commercants"),
        "categorie": first(site, "categories"),
        "commune": first(site, "communes"),
        "communes": "communes/",
        "categories": "categories/",
        "inscription": "inscription/",
        "donnees": "donnees/",
        "statistiques": "statistiques/",
        "introuvable": "404.html",
    }


@dataclass
class Audit:
    """What one Lighthouse run says about one page."""

    url: str
    scores: dict[str, float | None]  # category → 0..100
    audits: dict[str, Any]  # Lighthouse's audit results by id
    warnings: list[str]

    @property
    def console_errors(self) -> list[str]:
        items = (self.audits.get("errors-in-console", {}).get("details") or {}).get("items", [])
        return [f"{(i.get('sourceLocation') or {}).get('url', '?')}: {i.get('description')}" for i in items]

    def failing(self, category: str, report: dict[str, Any]) -> list[str]:
        """The audits of `category` that did not get full marks: "id (display value)"."""
        out = []
        for ref in report["categories"][category]["auditRefs"]:
            audit = self.audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                out.append(f"{ref['id']}{shown}")
        return out

    def metric(self, audit_id: str) -> str:
        return str(self.audits.get(audit_id, {}).get("displayValue", "?")).replace("\xa0", " ")


def run_lighthouse(url: str, out: Path, categories: tuple[str, ...] = CATEGORIES) -> tuple[Audit, dict[str, Any]]:
    """One Lighthouse run (mobile, its defaults) on `url`; the JSON report is kept in `out`."""
    if shutil.which("node") is None or not LIGHTHOUSE.exists():
        raise RuntimeError(f"{LIGHTHOUSE} absent : installez Node.js puis lancez « npm ci »")
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} absent : installez Chromium (sudo apt-get install chromium)")
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--only-categories={','.join(categories)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--max-wait-for-load=90000",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600, check=False)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url} ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not audit {url}: {report['runtimeError']}")
    scores = {name: None if c["score"] is None else round(c["score"] * 100) for name, c in report["categories"].items()}
    return Audit(url, scores, report["audits"], report.get("runWarnings", [])), report


def build_demo(folder: Path) -> Path:
    """The bundled demo content built (offline) into `folder/site`."""
    from ccdir.build.pipeline import BuildOptions, build
    from ccdir.content.config import Project

    out = folder / "site"
    build(Project.load(REPO, output=out), BuildOptions(offline=True))
    return out


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def table(rows: list[tuple[str, Audit, dict[str, Any]]]) -> list[str]:
    lines = [
        "| page type | performance | accessibility | best practices | SEO | CLS | LCP | TBT |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, audit, _ in rows:
        s = audit.scores
        lines.append(
            f"| {name} | {s.get('performance')} | {s.get('accessibility')} | {s.get('best-practices')} "
            f"| {s.get('seo')} | {audit.metric('cumulative-layout-shift')} "
            f"| {audit.metric('largest-contentful-paint')} | {audit.metric('total-blocking-time')} |"
        )
    return lines


def findings(rows: list[tuple[str, Audit, dict[str, Any]]]) -> list[str]:
    """Audits short of full marks, by category, with the page types concerned."""
    lines = []
    for category in CATEGORIES:
        seen: dict[str, list[str]] = {}
        for name, audit, report in rows:
            for failing in audit.failing(category, report):
                seen.setdefault(failing.split(" (")[0], []).append(name)
        if seen:
            found = "; ".join(f"`{audit_id}` ({', '.join(pages)})" for audit_id, pages in sorted(seen.items()))
            lines.append(f"- {category}: {found}")
    return lines or ["- none: every audit of every page type got full marks."]


def section(rows, started: str, load_before: str, load_after: str) -> str:
    warnings = sorted({w.split(".")[0] for _, audit, _ in rows for w in audit.warnings})
    text = [
        START,
        "## Lighthouse (mobile), demo site",
        "",
        f"Run on {started} with `python benchmarks/lighthouse.py` (Lighthouse 12, default mobile settings: "
        "simulated slow 4G and 4× CPU slowdown, one run per page type). Load average before "
        f"{load_before}, after {load_after} on {os.cpu_count()} cores: performance (and TBT, LCP) suffer "
        "from that load; accessibility, best practices and SEO do not. tests/test_lighthouse.py asserts "
        "accessibility 100 and no console error on every page type.",
        "",
        *table(rows),
        "",
        "Audits short of full marks (id, page types):",
        "",
        *findings(rows),
        "",
        "Notes: one run per page type, so expect a few points of noise between runs on a loaded machine; the "
        "server compresses like a static host but sends `Cache-Control: no-cache`, so cache-lifetime insights "
        "(unweighted) describe the test server, not the production host. Page types and the pages chosen for them: "
        "`PAGE_TYPES` and `page_paths()` in benchmarks/lighthouse.py; `--keep FOLDER` keeps the JSON reports.",
        "",
    ]
    if warnings:
        text += ["Lighthouse's warnings: " + " — ".join(warnings) + ".", ""]
    text.append(END)
    return "\n".join(text)


def write_section(results: Path, text: str) -> None:
    """Replace the Lighthouse section of RESULTS.md (or append it)."""
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    if START in old and END in old:
        before, rest = old.split(START, 1)
        new = before + text + rest.split(END, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    results.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    import argparse

    sys.path.insert(0, str(HERE))
    from server import StaticServer

    parser = argparse.ArgumentParser(description="Lighthouse (mobile) on every page type of the demo site")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave RESULTS.md alone")
    parser.add_argument("--keep", type=Path, help="keep Lighthouse's JSON reports in this folder")
    args = parser.parse_args(argv)
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="ccdir-lighthouse-") as tmp:
        site = build_demo(Path(tmp))
        reports = args.keep or Path(tmp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        rows = []
        with StaticServer(site) as base:
            for name, path in page_paths(site).items():
                audit, report = run_lighthouse(base + path, reports / f"{name}.json")
                rows.append((name, audit, report))
                print(f"{name}: {audit.scores}", file=sys.stderr)
    text = section(rows, started, load_before, load_average())
    print(text)
    if not args.no_write:
        write_section(args.results, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
