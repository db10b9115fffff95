"""The hostile corpus (`tests/hostile/`): every case is refused with its exact French messages, or published
with its text escaped; nothing ever raises; a build with one bad file publishes nothing.

Adding a case: add `NAME.yaml` (or a line in `hostile/_generate.py`) and `NAME.expected` (`line:col: message`
lines) or `NAME.safe` (valid; lists its warnings, possibly none).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hardening import (
    HOSTILE,
    audit_html,
    hostile_cases,
    make_nasty_project,
    outcome,
    parse_page,
    read_expected,
    safe_cases,
)

from ccdir.build.pipeline import BuildOptions, build
from ccdir.cli import main
from ccdir.content.validate import read_entry
from ccdir.core.problems import ContentError

CASES = hostile_cases()
# PyYAML's and Python's own words: a message containing them was not translated for the staff.
ENGLISH = re.compile(
    r"\b(found|expected|could not|cannot|while scanning|not allowed|unacceptable|position|"
    r"must be|invalid literal|Traceback|Error)\b|<unicode string>|datetime\.|\[\'|\{\'"
)


def test_corpus_is_large_and_every_case_has_one_outcome():
    assert len(CASES) >= 100
    for case in CASES:
        outcomes = [case.with_suffix(s).exists() for s in (".expected", ".safe")]
        assert outcomes.count(True) == 1, f"{case.name}: needs exactly one of .expected / .safe"
    stems = {c.stem for c in CASES}
    orphans = [p.name for p in HOSTILE.iterdir() if p.suffix in (".expected", ".safe") and p.stem not in stems]
    assert orphans == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case(case: Path, catalog, gazetteer):
    report, got = outcome(case, catalog, gazetteer)
    if case.with_suffix(".safe").exists():
        assert [e.slug for e in report.entries] == [case.stem]
        assert got == read_expected(case.with_suffix(".safe"))
    else:
        assert report.entries == []
        assert report.errors, "a refused case must have at least one error"
        assert got == read_expected(case.with_suffix(".expected"))
        for line in got:
            assert not ENGLISH.search(line), line


def test_every_refused_file_says_where(catalog, gazetteer):
    """Problems about the content itself carry a line (file-wide ones: name, size, encoding, binary)."""
    file_wide = re.compile(r"^0:0: (nom de fichier|fichier trop gros|fichier binaire)")
    for case in CASES:
        for line in read_expected(case.with_suffix(".expected")):
            assert not line.startswith("0:") or file_wide.match(line), f"{case.name}: {line}"


@pytest.mark.slow
def test_one_bad_file_publishes_nothing_and_keeps_the_previous_site(tmp_path):
    project = make_nasty_project(tmp_path)
    build(project, BuildOptions(offline=True))
    before = {p.relative_to(project.output): p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    refused = [c for c in CASES if c.with_suffix(".expected").exists()]
    for case in refused:
        shutil.copy(case, project.merchants_dir / case.name)
    with pytest.raises(ContentError) as raised:
        build(project, BuildOptions(offline=True))
    named = {p.path.rsplit("/", 1)[-1] for p in raised.value.problems if p.is_error}
    assert named >= {c.name for c in refused}
    after = {p.relative_to(project.output): p.read_bytes() for p in project.output.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no half-written staging folder


def test_cli_validate_over_the_corpus_reports_without_traceback(tmp_path):
    project = make_nasty_project(tmp_path)
    for case in CASES:
        shutil.copy(case, project.merchants_dir / case.name)
    result = CliRunner().invoke(main, ["validate", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{len(CASES)} fiche(s) vérifiée(s)" in result.output
    assert "content/merchants/yaml-billion-laughs.yaml:1:5: erreur: les ancres et alias YAML" in result.output


def test_symbolic_link_is_refused_and_its_target_never_echoed(tmp_path, catalog):
    secret = tmp_path / "secret.txt"
    secret.write_text("token: ghp_SECRET\n", encoding="utf-8")
    link = tmp_path / "fleurs.yaml"
    link.symlink_to(secret)
    entry, problems = read_entry(link, "fleurs.yaml", catalog)
    assert entry is None
    assert [p.message for p in problems] == ["lien symbolique refusé : remplacez-le par le fichier lui-même"]


def test_named_pipe_is_refused_without_blocking(tmp_path, catalog):
    fifo = tmp_path / "fleurs.yaml"
    os.mkfifo(fifo)
    entry, problems = read_entry(fifo, "fleurs.yaml", catalog)
    assert entry is None
    assert [p.message for p in problems] == ["ce n'est pas un fichier ordinaire : une fiche est un fichier texte YAML"]


# --- the site built from the valid cases -----------------------------------------------------------------------


def test_nasty_site_builds_with_exactly_the_expected_warnings(nasty_site):
    expected = sorted(line for case in safe_cases() for line in read_expected(case.with_suffix(".safe")))
    got = sorted(f"{p.line}:{p.col}: avertissement: {p.message}" for p in nasty_site.result.warnings)
    assert got == expected
    assert nasty_site.result.merchants == len(safe_cases())


def test_no_page_contains_user_markup(nasty_site):
    pages = nasty_site.pages()
    assert len(pages) > len(safe_cases())
    bad = {str(p.relative_to(nasty_site.root)): audit_html(p.read_text(encoding="utf-8")) for p in pages}
    assert {k: v for k, v in bad.items() if v} == {}


@pytest.mark.parametrize("case", [c for c in safe_cases() if c.stem.startswith("markup-")], ids=lambda p: p.stem)
def test_markup_is_shown_as_text(case: Path, nasty_site, catalog):
    """The merchant's name reads back exactly as typed, in the title and the heading, and in JSON-LD."""
    entry, _ = read_entry(case, case.name, catalog)
    page = nasty_site.root / "commercants" / case.stem / "index.html"
    parsed = parse_page(page.read_text(encoding="utf-8"))
    assert parsed.text["h1"] == [entry.merchant.name]
    assert parsed.text["title"][0].startswith(entry.merchant.name + " — ")
    import json

    jsonld = [json.loads(body) for attrs, body in parsed.scripts if attrs.get("type") == "application/ld+json"]
    assert jsonld[0]["name"] == entry.merchant.name
    if entry.merchant.description:
        assert jsonld[0]["description"] == entry.merchant.description


def test_site_settings_are_escaped_too(nasty_site):
    home = (nasty_site.root / "index.html").read_text(encoding="utf-8")
    assert audit_html(home) == []
    assert parse_page(home).text["h1"] == ['Annuaire <script>alert("titre")</script>']


@pytest.mark.parametrize(
    "snippet",
    [
        "<p><script>alert(1)</script></p>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JavaScript:alert(1)">x</a>',
        '<p style="display:none">x</p>',
        "<svg onload=alert(1)>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example.org">',
        "<details open ontoggle=alert(1)>",
    ],
)
def test_the_audit_catches_markup(snippet):
    assert audit_html(f"<!doctype html><html lang=fr><body>{snippet}</body></html>") != []


def test_open_data_csv_has_no_spreadsheet_formula(nasty_site):
    """Cells the CSV (made for spreadsheets) would run as formulas never come out of valid content."""
    import csv

    from ccdir.content.textcheck import FORMULA

    path = nasty_site.root / "donnees" / "commerces.csv"
    if not path.exists():
        pytest.skip("pas de données ouvertes dans le site")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) > len(safe_cases())
    cells = [cell for row in rows for cell in row]
    assert "@Home Déco csv-at-name-ok" in cells
    assert [cell for cell in cells if FORMULA.match(cell)] == []
