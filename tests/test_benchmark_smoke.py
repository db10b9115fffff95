"""The benchmark runs end to end at 1,000 merchants (it must work here, not be fast: no timing asserted)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists() or shutil.which("node") is None,
    reason="needs Debian's Chromium (.ci/run installs it)",
)
def test_benchmark_runs_at_1000(tmp_path):
    report = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--sizes",
            "1000",
            "--runs",
            "1",
            "--out",
            str(tmp_path / "out"),
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    entry = results["sizes"]["1000"]
    build = entry["build"]
    for name in ("full_seconds", "edit_seconds", "move_seconds", "noop_seconds", "settings_seconds", "full_peak"):
        assert len(build[name]) == 1 and build[name][0] > 0, name
    assert build["site_files"] > 2000 and build["search_files"] > 10 and build["search_manifest"] > 0
    assert len(list((tmp_path / "out" / "p1000" / "content" / "merchants").rglob("*.yaml"))) == 1000

    queries = entry["queries"]["queries"]
    assert len(queries) == 7  # 6 fixed (queries.py) and a shop name with and without place
    for row in queries:
        for engine in ("ours", "pagefind", "lunr"):
            assert "error" not in row[engine], (row["label"], engine, row[engine])
            assert row[engine]["bytes"] > 0 and row[engine]["requests"] > 0
    city = queries[0]
    assert city["ours"]["results"] > 0 and city["lunr"]["results"] == city["pagefind"]["results"]
    assert entry["queries"]["page"]["bytes"] > 0

    text = report.read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets", "## Builds", "## Search index", "## Queries in the browser"):
        assert heading in text
    assert "fleuriste, Orléans" in text
