"""The registration form's French hours reader (templates/assets/inscription/hours.js) answers as Python does.

Same corpus as the Python tests (tests/cases/hours_french.tsv, French shops' values, opening_hours.js's test
values): wherever the form rewrites French or refuses it, Python gives the same OSM value, or the same
French message at the same column; what the form leaves to the server is OSM syntax or loose writing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from hours_reference import compare

from ccdir.content.hours import HoursError, interpret, parse
from ccdir.content.hours.french import looks_french

REPO = Path(__file__).resolve().parents[1]
MODULE = REPO / "templates" / "assets" / "inscription" / "hours.js"
RUNNER = """
import { readFileSync } from "fs";
const { checkHours } = await import(process.argv[1]);
const texts = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map((t) => checkHours(t))));
"""


def _corpus() -> list[str]:
    rows = (REPO / "tests" / "cases" / "hours_french.tsv").read_text(encoding="utf-8").splitlines()
    texts = [r.split("\t")[0] for r in rows if r.strip() and not r.startswith("#")]
    texts += [row["value"] for row in compare.load()["values"]]
    return list(dict.fromkeys(texts))


def _js(texts: list[str]) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is required (see README)"
    done = subprocess.run(
        [node, "--input-type=module", "-e", RUNNER, MODULE.as_uri()],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _python(text: str):
    try:
        return interpret(text)
    except HoursError as exc:
        return exc


def _valid_osm(text: str) -> bool:
    try:
        parse(text)
        return True
    except HoursError:
        return False


@pytest.mark.slow
def test_the_form_reads_french_hours_as_python_does():
    texts = _corpus()
    assert len(texts) > 1000
    answers = _js(texts)
    wrong, handled = [], 0
    for text, js in zip(texts, answers, strict=True):
        py = _python(text)
        if "error" in js:
            handled += 1
            if not (isinstance(py, HoursError) and (py.message, py.column) == (js["error"], js["column"])):
                wrong.append((text, js, py))
        elif js["rewritten"]:
            handled += 1
            if py != (js["osm"], True):
                wrong.append((text, js, py))
        elif looks_french(text) and not _valid_osm(text) and js["osm"] != text.strip():
            wrong.append((text, js, py))  # French the form should have read
    assert not wrong, f"{len(wrong)} disagreements: {wrong[:5]}"
    # 178: every French phrasing of the corpus, and loose writings (228 before comments, open ends, years,
    # « || » and day offsets were OSM syntax the server accepts: the form now leaves those values to it)
    assert handled >= 170


def test_french_the_form_must_read_is_read():
    """Every French phrasing of the corpus that Python reads (or refuses) is read (or refused) by the form."""
    rows = (REPO / "tests" / "cases" / "hours_french.tsv").read_text(encoding="utf-8").splitlines()
    texts = [r.split("\t")[0] for r in rows if r.strip() and not r.startswith("#")]
    answers = _js(texts)
    left = [
        t
        for t, js in zip(texts, answers, strict=True)
        if "error" not in js and not js["rewritten"] and not _valid_osm(t) and looks_french(t)
    ]
    assert not left


@pytest.mark.slow
def test_the_form_and_python_agree_on_random_mixes_of_hours_words():
    """2,000 mixes of French hours words (fixed seed): same rewrite, or same refusal, or both leave it."""
    import random

    pieces = [
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
        "PH",
        "09:00",
        "off",
        "7j/7",
        "24h/24",
        "2h",
        "22h",
        "samedi",
        "dimanche",
        "week-end",
        "non-stop",
        "mois",
        "d'",
        "juillet",
        "entre",
        "deux",
        "matin",
        "congés",
        "semaine",
        ":",
        "h",
        "9",
        "14h",
        "19h30",
    ]
    rng = random.Random(7)
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 10))) for _ in range(2000)]
    wrong = []
    for text, js in zip(texts, _js(texts), strict=True):
        py = _python(text)
        if "error" in js:
            if not (isinstance(py, HoursError) and (py.message, py.column) == (js["error"], js["column"])):
                wrong.append((text, js, py))
        elif js["rewritten"] and py != (js["osm"], True):
            wrong.append((text, js, py))
        elif not js["rewritten"] and looks_french(text) and not _valid_osm(text):
            wrong.append((text, js, py))
    assert not wrong, f"{len(wrong)} disagreements: {wrong[:5]}"


def test_the_form_leaves_comments_years_open_ends_and_fallbacks_to_the_server():
    """OSM values the server accepts as written: the form neither rewrites nor refuses them."""
    texts = [
        'Mo-Fr 09:00-18:00 "sur rendez-vous"',
        "Mo-Fr 09:00-18:00 « sur rendez-vous »",
        'Mo-Fr 09:00-18:00 open "appeler avant"',
        "Fr 22:00+",
        "Sa 10:00-12:00+",
        "Mo-Sa 09:00-19:00; 2026 Dec 24 off",
        "Mo-Sa 09:00-19:00; 2026 Dec 28-2027 Jan 03 off",
        "2026-2027 Jul-Aug Mo-Su 09:00-20:00",
        'Mo-Fr 09:00-12:00 || "sur rendez-vous"',
        "Mo-Fr 09:00-18:00; We unknown",
        "Sa[-1] +3 days 10:00-12:00",
        "We 22:00-26:00",
    ]
    for text, js in zip(texts, _js(texts), strict=True):
        assert js == {"osm": text, "rewritten": False}, text
        assert _python(text) == (text, False), text
