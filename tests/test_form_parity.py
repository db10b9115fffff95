"""The form's rules in JavaScript (templates/assets/inscription/rules.js, text.js) against the content
model in Python: one corpus of field values, identical accept/refuse and identical French messages."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import REPO

from ccdir.content.config import Project
from ccdir.content.fields import decorative_ranges, limits
from ccdir.content.loading import load_categories
from ccdir.core.textnorm import fold
from ccdir.intake.submission import SubmissionError, field_label, validate_merchant

ASSETS = REPO / "templates" / "assets" / "inscription"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is needed for the parity test")

# Field → (rule, where the value goes in the merchant).
FIELDS = {
    "name": "name",
    "products.0.name": "name",
    "address.street": "line",
    "address.city": "line",
    "description": "paragraph",
    "click_and_collect.pickup": "paragraph",
    "contact.phone": "phone",
    "siret": "siret",
    "address.postcode": "postcode",
}

TEXT = [
    "Fleurs de Loire",
    "  Fleurs de Loire  ",
    "L'Atelier des Pivoines",
    "Boulangerie Pâtissière",
    "Ça va ? Oui !",
    "Crème brûlée",
    "Cre\u0301me",
    "e\u0301\u0301\u0301",
    "e\u0301\u0301\u0301\u0301",
    "Café 👩‍🍳",
    "Chef 👨\u200d🍳",
    "❤️\u200d🔥 feu",
    "a\u200db",
    "\u200dseul",
    "Zéro\u200b largeur",
    "trait\u00addunion",
    "\ufeffdébut",
    "fin\ufeff",
    "mi\u2060lieu",
    "non\u200cjoint",
    "Hangul\u3164vide",
    "\u115fdébut",
    "braille\u2800blanc",
    "privé\ue000",
    "inconnu\u0378",
    "Ligne\u2028deux",
    "Para\u2029graphe",
    "fin\u2028",
    "\u2029début",
    "NEL\x85ici",
    "tab\tici",
    "retour\nligne",
    "retour\r\nchariot",
    "nul\x00",
    "bip\x07",
    "échap\x1b[31m",
    "del\x7f",
    "c1\x9b",
    "fs\x1cici",
    "\x1cdébut",
    "droite\u202egauche",
    "\u202dforcé",
    "isolé\u2066x\u2069",
    "marque\u200e",
    "arabe\u061c",
    "=1+1",
    '=HYPERLINK("x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3(",
    "- 10 % sur tout",
    "@Home Déco",
    "+33 pour tous",
    "=",
    "!!!",
    "…",
    "---",
    "12",
    "𝐁oulangerie",
    "Ｂoulangerie",
    "Ⓑoulangerie",
    "🄱oulangerie",
    "ﬁne épicerie",
    "Воulangerie",
    "Ωmega bar",
    "x" * 100,
    "x" * 101,
    "y" * 120,
    "y" * 121,
    "z" * 200,
    "z" * 201,
    "é" * 500,
    "é" * 501,
    "w" * 1000,
    "w" * 1001,
    "   ",
    "",
    "\u3000plein\u3000",
    "\xa0insécable\xa0",
    "ligne 1\nligne 2\n\nligne 4",
    "Texte\u00a0: oui",
    "Rue du 8 Mai 1945",
    "3 bis, avenue de l'Europe",
    "Lieu-dit Les Granges",
    "Saint-Jean-de-Braye",
    "Chambray-lès-Tours",
    "BP 12",
    "\u0301accent seul",
    "emoji 🥖🥐🧀",
    "drapeau 🇫🇷",
    "keycap 1️⃣",
]
PHONES = [
    "02 38 12 34 56",
    "0238123456",
    "02.38.12.34.56",
    "02-38-12-34-56",
    "+33 2 38 12 34 56",
    "+33238123456",
    "0033 2 38 12 34 56",
    "06 12 34 56 78",
    "07 81 23 45 67",
    "09 70 12 34 56",
    "01 42 68 53 00",
    "08 00 12 34 56",
    "08 92 68 00 00",
    "+32 2 555 12 12",
    "+41 22 730 11 11",
    "+44 20 7946 0958",
    "+49 30 901820",
    "+1 212 736 3100",
    "02 38",
    "123",
    "0000000000",
    "00 00 00 00 00",
    "abc",
    "02 38 12 34 5",
    "02 38 12 34 567",
    "+33 0 38 12 34 56",
    "05 56 00 00 00",
    "04 78 00 00 00",
    "03 20 00 00 00",
    "+262 262 12 34 56",
    "+596 596 12 34 56",
    "0262 12 34 56",
    " 02 38 12 34 56 ",
    "02\u2028 38 12 34 56",
    "tel 02 38 12 34 56",
    "+33 6 12 34 56 78",
    "(02) 38 12 34 56",
    "1" * 41,
    "+999 1234",
]
SIRETS = [
    "39668282500098",
    "39856753700020",
    "56622299800049",
    "73282932000074",
    "732 829 320 00074",
    "732.829.320.00074",
    "73282932000075",
    "7328293200007",
    "732829320000744",
    "00000000000000",
    "35600000000048",
    "35600000049837",
    "35600000049838",
    "35600000000049",
    "35600000000013",
    "ABCDEFGHIJKLMN",
    "7328293200007A",
    "",
    "  73282932000074  ",
    "73282932000074\u00a0",
    "١٢٣٤٥٦٧٨٩٠١٢٣٤",
    "44306184100047",
    "55210055400013",
    "12345678901234",
    "35600000012345",
    "35600000000000",
    "356000000 00048",
]
POSTCODES = [
    "45200",
    " 45200 ",
    "45 200",
    "4520",
    "452000",
    "ab123",
    "01000",
    "1000",
    "2A004",
    "",
    "00000",
    "٤٥٢٠٠",
    "45200\u2028",
    "9 7 4 0 0",
]


def corpus() -> list[tuple[str, str]]:
    cases = [
        (f, v)
        for f in (
            "name",
            "products.0.name",
            "address.street",
            "address.city",
            "description",
            "click_and_collect.pickup",
        )
        for v in TEXT
    ]
    cases += [("contact.phone", v) for v in PHONES] + [("siret", v) for v in SIRETS]
    cases += [("address.postcode", v) for v in POSTCODES]
    return cases


def base() -> dict:
    return {
        "name": "Épicerie de Léa",
        "kind": "commerce",
        "categories": ["epicerie"],
        "address": {"street": "1 rue Royale", "postcode": "45000", "city": "Orléans"},
        "contact": {"email": "lea@example.org"},
        "click_and_collect": {"order": ["email"]},
        "products": [{"name": "Pain"}],
    }


def put(data: dict, name: str, value: str) -> dict:
    parts = name.split(".")
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[parts[-1]] = value
    return data


def python_verdict(catalog, name: str, value: str) -> str:
    try:
        validate_merchant(put(base(), name, value), catalog)
    except SubmissionError as exc:
        return (exc.errors.get(name) or [""])[0]
    return ""


def js_verdicts(cases: list[tuple[str, str]], folds: list[str]) -> tuple[list, list]:
    table = limits()
    payload = {
        "cases": [[FIELDS[f], v, field_label(f), table[f.replace(".0.", ".")]] for f, v in cases],
        "ranges": decorative_ranges(),
        "folds": folds,
    }
    out = subprocess.run(
        ["node", str(REPO / "tests/js/form_rules.mjs"), str(ASSETS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=120,
    )
    result = json.loads(out.stdout)
    return result["verdicts"], result["folds"]


@pytest.mark.slow
def test_one_corpus_same_verdicts_same_messages():
    catalog = load_categories(Project.load(REPO))
    cases = corpus()
    assert len(cases) >= 300
    expected = [python_verdict(catalog, f, v) for f, v in cases]
    got, _ = js_verdicts(cases, [])
    disagreements = [(f, v, e, g) for (f, v), e, g in zip(cases, expected, got, strict=True) if e != g]
    assert not disagreements, "\n".join(
        f"{f} {v!r}:\n  python: {e}\n  js:     {g}" for f, v, e, g in disagreements[:15]
    )
    refused = sum(1 for e in expected if e)
    assert 100 < refused < len(cases) - 100  # the corpus has both sides


FOLDS = [
    "Pâtisserie",
    "SAINT JEAN DE BRAYE",
    "Saint-Jean-de-Braye",
    "L'Île-Bouchard",
    "Œufs & Cœur",
    "Æsir",
    "Straße",
    "Łódź",
    "Ørsted",
    "Þorp",
    "Ðorđe",
    "Crème\u0301",
    "l’atelier",
    "a\u2013b\u2014c",
    "x\u00a0y",
    "  espaces   multiples ",
    "ÉCOLE",
    "Ça",
    "Ÿ",
    "naïve",
    "déjà-vu",
    "1er étage",
    "n°3",
    "€uro",
    "Москва",
    "Αθήνα",
    "日本",
    "ﬁne",
    "Ｂ",
    "𝐁old",
    "",
    "___",
    "a_b",
    "İstanbul",
    "ǅ",
    "ĳssel",
]


def test_fold_in_the_form_matches_python():
    _, got = js_verdicts([], FOLDS)
    expected = [fold(v) for v in FOLDS]
    assert [(v, e) for v, e, g in zip(FOLDS, expected, got, strict=True) if e != g] == []
