"""The term directory of the search index: which documents hold each word, as lunr.js needs it.

`terms` analyses a document as lunr would (French pipeline of `ccdir.search.frenchtext`), `term_postings`
gathers them, `gaps` packs the sorted document numbers and `unpack_lunr` rebuilds the lunr.js index of a
chunk, as `unpackLunr` in engine.js does; `lunr_index` and `postings` are lunr.py's own, for the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ccdir.search.frenchtext import analyze, make_builder

CATEGORY_TERM = "@"  # term directory key of a category: "@boulangerie"


def lunr_index(texts: Iterable[str]) -> dict[str, Any]:
    """lunr.py index of `texts` (French pipeline), refs being their positions, serialised for lunr.js."""
    builder = make_builder()
    builder.ref("i")
    builder.field("x")
    for ref, text in enumerate(texts):
        builder.add({"i": str(ref), "x": text})
    if not builder.document_count:  # lunr.py cannot build an empty index
        import lunr

        return {
            "version": lunr.__TARGET_JS_VERSION__,
            "fields": ["x"],
            "fieldVectors": [],
            "invertedIndex": [],
            "pipeline": builder.pipeline.serialize(),
        }
    return builder.build().serialize()


def terms(text: str) -> str:
    """The distinct words of `text` as lunr indexes them (French analysis), sorted, separated by spaces.

    The browser only needs which documents hold each term (`unpack_lunr` rebuilds unit vectors), so
    the terms come straight from the same analysis (`frenchtext.analyze`) instead of a lunr.py index
    whose scores would be thrown away: 50 times faster, and tests/test_search_postings.py checks that
    `term_postings` of them equals the postings of `lunr_index`.
    """
    return " ".join(sorted(set(analyze(text))))


def text_header() -> dict[str, Any]:
    """The lunr.js header of every term chunk: version, field and (French) pipeline."""
    import lunr

    return {"version": lunr.__TARGET_JS_VERSION__, "fields": ["x"], "pipeline": make_builder().pipeline.serialize()}


def term_postings(term_sets: Iterable[Iterable[str]]) -> list[tuple[str, list[int]]]:
    """`(term, documents)` in term order, document `i` having the distinct terms `term_sets[i]`."""
    found: dict[str, list[int]] = {}
    for ref, words in enumerate(term_sets):
        for term in words:
            found.setdefault(term, []).append(ref)
    return sorted(found.items())


def postings(index: dict[str, Any]) -> list[tuple[str, list[int]]]:
    """`(term, sorted refs)` of a serialised lunr index with one field, in term order."""
    (field,) = index["fields"]
    return sorted((term, sorted(int(r) for r in posting[field])) for term, posting in index["invertedIndex"])


def gaps(refs: list[int]) -> list[int]:
    """Sorted document numbers as the first one then the differences: [3, 7, 8] → [3, 4, 1]."""
    return [b - a for a, b in zip([0, *refs], refs)]


def ungaps(values: Iterable[int]) -> list[int]:
    refs, total = [], 0
    for v in values:
        total += v
        refs.append(total)
    return refs


def unpack_lunr(header: dict[str, Any], chunk_postings: list[tuple[str, list[int]]]) -> dict[str, Any]:
    """The lunr.js serialisation of one term directory chunk: what `unpackLunr` in engine.js builds.

    The chunk's inverted index is lunr.py's; field vectors are rebuilt with a unit score per posting
    (results are ranked by distance, never by lunr's score), which keeps the files 4× smaller.
    """
    (field,) = header["fields"]
    inverted: list[Any] = []
    vectors: dict[int, list[int]] = {}
    for position, (term, refs) in enumerate(p for p in chunk_postings if not p[0].startswith(CATEGORY_TERM)):
        inverted.append([term, {field: {str(r): {} for r in refs}, "_index": position}])
        for r in refs:
            vectors.setdefault(r, []).extend((position, 1))
    return {
        "version": header["version"],
        "fields": [field],
        "invertedIndex": inverted,
        "fieldVectors": [[f"{field}/{r}", v] for r, v in sorted(vectors.items())],
        "pipeline": header["pipeline"],
    }
