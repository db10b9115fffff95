"""Helpers for the search tests: run the site's JavaScript under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "templates" / "assets" / "search"
RUNNER = Path(__file__).resolve().parent / "js" / "run.mjs"


def node_calls(calls: list[list[Any]], assets: Path = ASSETS, timeout: float = 120) -> list[Any]:
    """Call functions of the search ES modules under Node: [[name, arg…]…] → [result…]."""
    node = shutil.which("node")
    assert node, "Node.js is required by the search tests (.ci/run installs it; see README)"
    assert (REPO / "node_modules" / "lunr").is_dir(), "run `npm ci` first (make test does)"
    done = subprocess.run(
        [node, str(RUNNER), str(assets)],
        input=json.dumps({"calls": calls}),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
