#!/usr/bin/env python3
"""Build the tiny snapshot site; `--update` rewrites tests/snapshot/expected/ (review the diff first).

Used by tests/test_build.py::test_snapshot and by `make snapshot`.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "snapshot"
EXPECTED = HERE / "expected"
# Static assets (copied as they are from templates/assets/ and node_modules/) and lists derived from the
# shipped gazetteer: tested on their own, and too large to review in a snapshot diff.
IGNORED = ("assets/", "search/places/")


def build_snapshot(output: Path) -> Path:
    from ccdir.build.pipeline import BuildOptions, build
    from ccdir.content.config import Project

    root = Path(tempfile.mkdtemp(prefix="ccdir-snapshot-"))
    shutil.copytree(HERE / "content", root / "content")
    shutil.copy(
        Path(__file__).resolve().parents[1] / "content" / "categories.yaml", root / "content" / "categories.yaml"
    )
    project = Project.load(root, output=output)
    build(project, BuildOptions(offline=True))
    shutil.rmtree(root)
    return output


def files(folder: Path, ignored: tuple[str, ...] = ()) -> dict[str, bytes]:
    found = {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}
    return {name: p.read_bytes() for name, p in found.items() if not name.startswith(ignored)}


if __name__ == "__main__":
    if "--update" not in sys.argv:
        sys.exit("usage: python tests/snapshot.py --update")
    with tempfile.TemporaryDirectory() as tmp:
        out = build_snapshot(Path(tmp) / "site")
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(
            out,
            EXPECTED,
            ignore=lambda folder, names: [
                n for n in names if (Path(folder) / n).relative_to(out).as_posix().rstrip("/") + "/" in IGNORED
            ],
        )
    print(f"snapshot written to {EXPECTED}: review it with `git diff {EXPECTED}`")
