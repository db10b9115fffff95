"""Data-driven bad input: each `cases/invalid/X.yaml` has `X.expected` listing `line:col: message`.

Adding a case is adding two files. Expected messages were written by hand-reviewing the validator's
wording: they are what a chamber staff member reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES

from ccdir.content.validate import validate_tree

INVALID = sorted((CASES / "invalid").glob("*.yaml"))
VALID = sorted((CASES / "valid").glob("*.yaml"))


def parse_expected(path: Path) -> list[tuple[int, int, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ln, col, message = line.split(":", 2)
            rows.append((int(ln), int(col), message.strip()))
    return rows


def test_there_are_enough_cases():
    assert len(INVALID) >= 30


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case(case: Path, catalog, gazetteer):
    report = validate_tree([case], catalog, gazetteer=gazetteer)
    got = [(p.line, p.col, p.message) for p in report.problems]
    assert got == parse_expected(case.with_suffix(".expected"))
    assert report.entries == []


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case(case: Path, catalog, gazetteer):
    report = validate_tree([case], catalog, gazetteer=gazetteer)
    assert report.problems == []
    assert len(report.entries) == 1
