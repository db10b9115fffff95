"""Lighthouse (mobile) on every page type of the demo site: accessibility 100 and no console error.

Performance is not asserted here: it depends on the machine's load. `python benchmarks/lighthouse.py` measures it
and writes benchmarks/RESULTS.md."""

from __future__ import annotations

import sys

import pytest
from conftest import REPO
from hardening import serve_dir

sys.path.append(str(REPO / "benchmarks"))
from lighthouse import END, PAGE_TYPES, START, page_paths, run_lighthouse, write_section
from report import write_report

LIGHTHOUSE_RUNS = [pytest.mark.slow, pytest.mark.browser]

CATEGORIES = ("accessibility", "best-practices")  # best practices holds the console audit

# Accessibility audits already tracked elsewhere: reported as an expected failure (XFAIL, with this reason) as long as
# they fail, so that any other problem still turns the test red. Remove an entry once its fix is merged.
KNOWN_FAILURES = {
    ("categorie", "heading-order"): "issue #14 (branch search): category pages skip a heading level, h1 → h3",
    ("resultats", "heading-order"): "issue #14 (branch search): result cards (h3) follow the h1 with no h2",
}


@pytest.mark.parametrize("name", [pytest.param(name, marks=LIGHTHOUSE_RUNS) for name, _ in PAGE_TYPES])
def test_page_type_is_accessible_without_console_error(demo_site, demo_url, tmp_path, name):
    path = page_paths(demo_site)[name]
    audit, report = run_lighthouse(demo_url + path, tmp_path / "report.json", CATEGORIES)
    assert audit.console_errors == []
    failing = [f.split(" (")[0] for f in audit.failing("accessibility", report)]
    assert [f for f in failing if (name, f) not in KNOWN_FAILURES] == []
    known = [KNOWN_FAILURES[name, f] for f in failing]
    if known:
        pytest.xfail(f"accessibility {audit.scores['accessibility']}, known failure not fixed yet: {'; '.join(known)}")
    assert audit.scores["accessibility"] == 100


@pytest.mark.slow
@pytest.mark.browser
def test_lighthouse_reports_an_inaccessible_page_and_its_console_errors(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
        '<meta name="viewport" content="width=device-width"></head><body>'
        '<img src="photo.png"><input type="text"><script src="boom.js"></script></body></html>',
        encoding="utf-8",
    )
    (site / "boom.js").write_text('console.error("boom");\n', encoding="utf-8")
    with serve_dir(site) as url:
        audit, report = run_lighthouse(url, tmp_path / "report.json", CATEGORIES)
    failing = " ".join(audit.failing("accessibility", report))
    assert audit.scores["accessibility"] < 100
    for audit_id in ("html-has-lang", "image-alt", "label"):
        assert audit_id in failing
    errors = " ".join(audit.console_errors)
    assert "boom" in errors and "photo.png" in errors  # the script's error and the missing image (404)


def test_the_lighthouse_table_survives_the_benchmark_report(tmp_path):
    """benchmarks/lighthouse.py and benchmarks/run.py both write RESULTS.md: neither erases the other's figures."""
    results = tmp_path / "RESULTS.md"
    write_section(results, f"{START}\n| accueil | 97 |\n{END}")
    write_section(results, f"{START}\n| accueil | 99 |\n{END}")  # a second run replaces the first
    machine = {"cores": "2", "cpu": "x", "memory": "1G", "python": "3", "system": "Linux", "load": "1"}
    write_report({"machine": machine, "sizes": {}, "started": "now"}, results)
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    assert text.count(START) == 1 and "| accueil | 99 |" in text and "| accueil | 97 |" not in text
