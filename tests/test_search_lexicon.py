"""The everyday vocabulary (content/lexique.yaml): every word reaches categories, none shadows one."""

from __future__ import annotations

import pytest
from search_support import REPO

from ccdir.content.categories import CatalogError, load_catalog
from ccdir.content.config import Project
from ccdir.content.lexicon import load_lexicon
from ccdir.content.loading import load_categories
from ccdir.core.problems import ContentError
from ccdir.search.frenchtext import analyze
from ccdir.search.index import synonyms

CATALOG = load_catalog(REPO / "content" / "categories.yaml")


def lexicon():
    return load_lexicon(REPO / "content" / "lexique.yaml", CATALOG)


def test_the_lexicon_is_several_hundred_words_each_reaching_existing_categories():
    words = lexicon()
    assert len(words) >= 300
    for word, cats in words.items():
        assert 1 <= len(cats) <= 4, word
        assert all(c in CATALOG for c in cats), word
        assert analyze(word), f"« {word} » has no searchable word (only stop words)"


def test_no_lexicon_word_shadows_a_category_name_or_synonym_nor_another_word():
    named = {}
    for cat in CATALOG:
        for word in (cat.id.replace("-", " "), cat.label, *cat.synonyms):
            named.setdefault(" ".join(analyze(word)), cat.id)
    seen = {}
    for word in lexicon():
        key = " ".join(analyze(word))  # as the search sees it: accents, plural and feminine folded
        assert key not in named, f"« {word} » is searched as « {key} », already category {named[key]}"
        assert key not in seen, f"« {word} » and « {seen[key]} » are the same search word « {key} »"
        seen[key] = word


def test_lexicon_words_reach_the_search_manifest():
    CATALOG.lexicon = lexicon()
    try:
        syn = synonyms(CATALOG, {c.id: k for k, c in enumerate(CATALOG)})
    finally:
        CATALOG.lexicon = {}
    ids = [c.id for c in CATALOG]
    assert sorted(ids[k] for k in syn["tart tatin"]) == ["boulangerie", "patisserie", "restaurant"]
    assert sorted(ids[k] for k in syn["croquet"]) == ["animalerie"]  # a category synonym stays as it was
    assert {ids[k] for k in syn["sushi"]} >= {"restaurant", "poissonnerie"}


@pytest.mark.parametrize(
    "text, message, line",
    [
        (
            "tarte: [patiserie]\n",
            "« tarte » : catégorie inconnue « patiserie » — vouliez-vous dire « patisserie » ?",
            1,
        ),
        ("sushi: [restaurant]\nBaguette: [epicerie]\n", "« Baguette » nomme déjà la catégorie boulangerie", 2),
        ("sushi: [restaurant]\nSushi: [traiteur]\n", "« Sushi » figure deux fois dans le lexique", 2),
        ("sushi: []\n", "« sushi » : donnez une liste de catégories", 1),
        ("- sushi\n", "le lexique doit associer chaque mot à une liste de catégories", 1),
    ],
)
def test_a_wrong_lexicon_stops_the_build_with_a_french_message_and_its_line(tmp_path, text, message, line):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "categories.yaml").write_text(
        (REPO / "content" / "categories.yaml").read_text("utf-8"), encoding="utf-8"
    )
    (tmp_path / "content" / "lexique.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_categories(Project.load(tmp_path))
    (problem,) = err.value.problems
    assert problem.path == "content/lexique.yaml" and problem.line == line
    assert message in problem.message


def test_a_project_without_lexicon_has_none(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "categories.yaml").write_text(
        (REPO / "content" / "categories.yaml").read_text("utf-8"), encoding="utf-8"
    )
    assert load_categories(Project.load(tmp_path)).lexicon == {}
    with pytest.raises(CatalogError):
        load_lexicon(tmp_path / "content" / "categories.yaml", CATALOG)  # a list, not a mapping
