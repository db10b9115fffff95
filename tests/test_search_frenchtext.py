"""French analysis: what residents type finds what merchants wrote, and the browser (frenchtext.js)
turns words into exactly the terms lunr.py indexed."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from lunr.pipeline import Pipeline
from lunr.tokenizer import Tokenizer
from search_support import REPO, node_calls

from ccdir.content.categories import load_catalog
from ccdir.core.textnorm import commune_key, fold
from ccdir.geo.gazetteer import Gazetteer
from ccdir.search import frenchtext
from ccdir.search.frenchtext import analyze, stem

CURATED = [
    "l'épicerie",
    "L’Épicerie",
    "d'épices",
    "qu'à",
    "jusqu'au",
    "aujourd'hui",
    "Œufs frais",
    "œuf",
    "cœur",
    "pâtisseries",
    "Pâtissière",
    "pâtissier",
    "boulangères",
    "boulanger",
    "boulangerie",
    "fleuristes",
    "fleuriste",
    "gâteaux",
    "gateau",
    "chevaux",
    "cheval",
    "bijoux",
    "bijou",
    "coiffeuse",
    "coiffeur",
    "créatrices",
    "créateur",
    "sportive",
    "sportifs",
    "italienne",
    "bretonne",
    "naturelle",
    "chaussettes",
    "épicées",
    "épicé",
    "épice",
    "légumes",
    "vins",
    "thés",
    "cafés",
    "roses",
    "express",
    "Saint-Jean-de-Braye",
    "CHÂTEAUROUX",
    "Crêperie",
    "bière",
    "bieres",
    "fromages de chèvre",
    "pain au chocolat",
    "100 % bio",
    "40x40",
    "T-shirts",
    "e-mail",
    "porte-clés",
    "À emporter",
    "ÉTÉ",
    "naïf",
    "Noël",
    "maïs",
    "ça",
    "façon",
    "Straße",
    "Ærø",
    "Łódź",
    "Ørsted",
    "Ĳssel",
    "ǅemal",
    "Ελληνικά",
    "Москва",
    "中文",
    "x\u2019y\u2014z",
    "nº 5",
    "², ³",
    "fin",
    "fine",
    "fins",
    "locale",
    "locaux",
    "local",
    "",
]


def vocabulary() -> list[str]:
    """Several thousand real words: categories, the demo merchants, commune names, and single characters."""
    words = set(CURATED)
    catalog = load_catalog(REPO / "content" / "categories.yaml")
    for cat in catalog:
        words.update([cat.label, *cat.synonyms])
    for path in sorted((REPO / "content" / "merchants").rglob("*.yaml")):
        words.update(path.read_text(encoding="utf-8").split())
    for i, commune in enumerate(Gazetteer.load()):
        if i % 7 == 0:
            words.add(commune.name)
    # Every assigned character up to the end of Latin Extended-B, and typographic punctuation; characters
    # newer than this Python's Unicode database are left out (Node may know them already).
    words.update(chr(c) for c in range(0x20, 0x250) if unicodedata.category(chr(c)) != "Cn")
    words.update("\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u2009")
    return sorted(w for w in words if "\n" not in w)


# --- behaviour ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, indexed",
    [
        ("epicerie", "Épicerie"),  # no accents
        ("EPICERIES", "l'épicerie"),  # plural, capitals, elided article
        ("boulangeres", "Boulangère"),  # feminine plural
        ("boulangere", "boulanger"),  # feminine and masculine
        ("gateaux", "gâteau"),
        ("bijoux", "bijou"),
        ("coiffeuse", "coiffeurs"),
        ("creatrice", "créateur"),
        ("sportives", "sportif"),
        ("fromages", "fromage"),
        ("oeufs", "Œuf"),
        ("cafes", "café"),
        ("epicees", "épicé"),
    ],
)
def test_words_a_resident_types_find_the_merchant_words(query, indexed):
    assert analyze(query) == analyze(indexed)


@pytest.mark.parametrize(
    "a, b",
    [
        ("boulangerie", "boulanger"),
        ("pain", "peinture"),
        ("vin", "vinaigre"),
        ("bois", "boisson"),
        ("fleuriste", "fleur"),
    ],
)
def test_different_words_stay_different(a, b):
    assert analyze(a) != analyze(b)


def test_stop_words_elisions_and_numbers_are_dropped():
    assert analyze("Le pain d'épices de la boulangerie, 500 g") == ["pain", "epic", "boulangeri"]
    assert analyze("qu'à l'heure") == ["heur"]
    assert analyze("de la, du, des") == []


def test_short_words_and_words_with_digits_are_not_stemmed():
    assert [stem(w) for w in ("bus", "jus", "the", "40x40", "4x4s", "ss")] == [
        "bus",
        "jus",
        "the",
        "40x40",
        "4x4s",
        "ss",
    ]
    assert stem("cafes") == "cafe"  # the stem keeps at least 3 letters and a final e on 4-letter words


def test_lunr_pipeline_gives_the_same_terms_as_analyze():
    frenchtext.register()
    pipeline = Pipeline.load(list(frenchtext.PIPELINE))
    for text in ("L'Atelier des Pivoines", "Fleuriste au cœur de Montargis : bouquets", "pains-au-chocolat"):
        assert [str(t) for t in pipeline.run(Tokenizer(text))] == analyze(text)


# --- Python and JavaScript agree -----------------------------------------------------------------------


def test_javascript_folds_and_stems_exactly_like_python():
    words = vocabulary()
    assert len(words) > 3000
    folds, analyses, keys = node_calls([["folds", words], ["analyzes", words], ["communeKeys", words]])
    bad = [(w, js, py) for w, js, py in zip(words, folds, map(fold, words)) if js != py]
    assert not bad, f"fold differs: {bad[:10]}"
    bad = [(w, js, py) for w, js, py in zip(words, analyses, map(analyze, words)) if js != py]
    assert not bad, f"analyze differs: {bad[:10]}"
    bad = [(w, js, py) for w, js, py in zip(words, keys, map(commune_key, words)) if js != py]
    assert not bad, f"commune_key differs: {bad[:10]}"


def test_curated_french_words_give_the_same_terms_in_python_and_javascript():
    expected = [analyze(w) for w in CURATED]
    (got,) = node_calls([["analyzes", CURATED]])
    assert got == expected
    assert expected[CURATED.index("l'épicerie")] == ["epiceri"]


def test_lunr_js_pipeline_registered_under_the_same_labels_gives_python_terms():
    texts = ["L'Épicerie du Marché", "Crêpes-salées et galettes", "Bières artisanales, 33 cl", "T\u2011shirts"]
    frenchtext.register()
    pipeline = Pipeline.load(list(frenchtext.PIPELINE))
    (got,) = node_calls([["lunrPipeline", texts]])
    assert got == [[str(t) for t in pipeline.run(Tokenizer(t))] for t in texts]


def test_rule_tables_are_the_same_in_both_languages():
    (got,) = node_calls([["constants"]])
    assert got == [
        sorted(frenchtext.STOP_WORDS),
        [list(r) for r in frenchtext.PLURAL_RULES],
        [list(r) for r in frenchtext.GENDER_RULES],
        frenchtext.MIN_STEM,
        list(frenchtext.PIPELINE),
    ]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
