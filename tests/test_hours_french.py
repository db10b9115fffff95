"""French hours as people write them → OSM value (tests/cases/hours_french.tsv, reviewed by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccdir.content.hours import HoursError, interpret, parse

CASES = Path(__file__).resolve().parent / "cases" / "hours_french.tsv"
ROWS = [
    line.split("\t")
    for line in CASES.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
UNDERSTOOD = [(phrase, expected) for phrase, expected in ROWS if not expected.startswith("!")]
REFUSED = [(phrase, expected[1:]) for phrase, expected in ROWS if expected.startswith("!")]


def test_the_corpus_is_large_enough():
    assert len(UNDERSTOOD) >= 80 and len(REFUSED) >= 10


@pytest.mark.parametrize(("phrase", "expected"), UNDERSTOOD, ids=[p for p, _ in UNDERSTOOD])
def test_french_phrasing_becomes_osm(phrase, expected):
    osm, rewritten = interpret(phrase)
    assert (osm, rewritten) == (expected, True)
    assert parse(osm).normalized() == osm  # stored in canonical form: reading it again changes nothing


@pytest.mark.parametrize(("phrase", "fragment"), REFUSED, ids=[p for p, _ in REFUSED])
def test_what_cannot_be_understood_is_refused_in_french(phrase, fragment):
    with pytest.raises(HoursError) as info:
        interpret(phrase)
    assert fragment in info.value.message
    assert 1 <= info.value.column <= len(phrase) + 1
    assert "Traceback" not in str(info.value)


def test_osm_values_are_kept_as_written():
    assert interpret("Tu-Sa 09:30-19:00 ") == ("Tu-Sa 09:30-19:00", False)
    with pytest.raises(HoursError) as info:  # OSM with a mistake: the OSM parser's message, not a French guess
        interpret("Mo-Fr 09:00-18:00 Sa 09:00-12:00")
    assert "il manque « ; » avant « Sa »" in info.value.message


def test_yaml_with_french_hours_is_valid_with_a_warning_showing_the_osm_value(tmp_path, catalog, gazetteer):
    from ccdir.content.validate import validate_tree

    case = (CASES.parent / "invalid" / "hours-h-format.yaml").read_text(encoding="utf-8")
    path = tmp_path / "fleurs.yaml"
    path.write_text(case.replace('"Tu-Sa 9h-25h"', '"du mardi au samedi 9h-19h, fermé le midi"'), encoding="utf-8")
    report = validate_tree([path], catalog, gazetteer=gazetteer)
    assert [(p.line, p.col, p.is_error) for p in report.problems] == [(15, 16, False)]
    assert report.problems[0].message == (
        "horaires « du mardi au samedi 9h-19h, fermé le midi » compris comme « Tu-Sa 09:00-12:00,14:00-19:00 » : "
        "écrivez « Tu-Sa 09:00-12:00,14:00-19:00 » dans la fiche (syntaxe OpenStreetMap, voir docs/horaires.md)"
    )
    assert report.entries[0].merchant.opening_hours == "Tu-Sa 09:00-12:00,14:00-19:00"


_PIECES = [
    "lundi",
    "mardi",
    "au",
    "du",
    "de",
    "à",
    "et",
    ",",
    ";",
    "/",
    "-",
    "9h",
    "12h30",
    "midi",
    "minuit",
    "18h",
    "fermé",
    "le",
    "sauf",
    "jours",
    "fériés",
    "tous",
    "les",
    "août",
    "1er",
    "15",
    "en",
    "Mo",
    "Fr",
    "PH",
    "09:00",
    "24/7",
    "off",
    "open",
    "Jan",
    "week",
    "01",
    "[",
    "]",
    "Sa",
    ":",
    "7j/7",
    "24h/24",
    "’",
    "2h",
]


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.text(max_size=6))
def test_any_writing_is_understood_or_refused_in_french(pieces, noise):
    """No traceback for anyone: each mix of hours words gives an OSM value that parses again, or HoursError."""
    text = " ".join(pieces) + noise
    try:
        osm, _ = interpret(text)
    except HoursError as exc:
        assert exc.message and 1 <= exc.column <= len(text) + 1
        return
    assert parse(osm).normalized()


def test_an_import_stores_french_hours_in_osm_syntax(tmp_path):
    """A spreadsheet's « Horaires » column as staff type it: the written file holds the OSM value."""
    from click.testing import CliRunner
    from conftest import make_project

    from ccdir.cli import main

    project = make_project(tmp_path)
    sheet = tmp_path / "liste.csv"
    sheet.write_text(
        "Nom du magasin;Code postal;Ville;Portable;Rayon;Horaires\n"
        "Primeurs de Loire;41000;Blois;06 12 34 56 78;Fruits et primeurs;"
        "du mardi au samedi 8h-12h30 et 15h-19h, fermé en août\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        [
            "import",
            str(sheet),
            "--root",
            str(tmp_path),
            "-c",
            "Nom du magasin=name",
            "-c",
            "Rayon=activity",
            "-c",
            "Horaires=opening_hours",
            "-a",
            "fruits et primeurs=primeur",
            "--kind",
            "producteur",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (project.merchants_dir / "41-loir-et-cher/primeurs-de-loire.yaml").read_text(encoding="utf-8")
    assert 'opening_hours: "Tu-Sa 08:00-12:30,15:00-19:00; Aug off"\n' in text


def test_a_form_submission_stores_french_hours_in_osm_syntax(catalog):
    """The form and the bot (intake.submission) keep the OSM value; a French mistake names the field."""
    from botkit import merchant

    from ccdir.intake.submission import SubmissionError, validate_merchant

    entry, _ = validate_merchant(merchant(opening_hours="du lundi au samedi 9h-19h sauf jours fériés"), catalog)
    assert entry.opening_hours == "Mo-Sa 09:00-19:00; PH off"
    with pytest.raises(SubmissionError) as err:
        validate_merchant(merchant(opening_hours="du lundi au vendredi"), catalog)
    assert "jours sans horaires" in err.value.errors["opening_hours"][0]
