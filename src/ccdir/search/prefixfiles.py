"""Split keyed entries into small files that a browser finds from the key alone.

Two ways, both on entries sorted by key:

- `split_by_prefix`: a trie, a node being split by its next key character while it costs more than the
  budget. With geohash bit strings as keys, leaves are adaptive geographic cells (`ccdir.search.index`).
- `chunk`: consecutive runs of at most a budget each; the browser keeps the first key of every chunk and
  finds the chunks that may hold keys starting with some text by binary search (`covering`; the same in
  `templates/assets/search/engine.js`). Used for the term directory and the « Où ? » gazetteer; a text
  whose range spans many chunks gets a precomputed short list instead (`crowded_prefixes`).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
TOP_KEY = "\U0010ffff"  # sorts after any character


def split_by_prefix(
    entries: Sequence[tuple[str, T]], cost: Callable[[tuple[str, T]], int], budget: int, max_depth: int
) -> list[tuple[str, list[tuple[str, T]]]]:
    """`(prefix, entries)` leaves in key order, each costing at most `budget` unless its prefix is
    `max_depth` long. Keys must be sorted and all longer than `max_depth`."""
    keys = [k for k, _ in entries]
    if keys != sorted(keys):
        raise ValueError("entries must be sorted by key")
    cum = [0, *accumulate(cost(e) for e in entries)]
    leaves: list[tuple[str, list[tuple[str, T]]]] = []
    stack = [("", 0, len(entries))]
    while stack:  # explicit stack, children pushed in reverse so that leaves come out in key order
        prefix, lo, hi = stack.pop()
        if cum[hi] - cum[lo] <= budget or len(prefix) >= max_depth:
            leaves.append((prefix, list(entries[lo:hi])))
            continue
        children = []
        j = lo
        while j < hi:
            child = keys[j][: len(prefix) + 1]
            k = bisect.bisect_left(keys, child + TOP_KEY, j, hi)
            children.append((child, j, k))
            j = k
        stack.extend(reversed(children))
    return leaves


def chunk(
    entries: Sequence[tuple[str, T]], cost: Callable[[tuple[str, T]], int], budget: int
) -> list[list[tuple[str, T]]]:
    """Consecutive runs of `entries` (sorted by key), each costing at most `budget` (or one entry)."""
    chunks: list[list[tuple[str, T]]] = []
    current: list[tuple[str, T]] = []
    size = 0
    for entry in entries:
        c = cost(entry)
        if current and size + c > budget:
            chunks.append(current)
            current, size = [], 0
        current.append(entry)
        size += c
    if current:
        chunks.append(current)
    return chunks


def covering(firsts: Sequence[str], prefix: str) -> range:
    """Indices of the chunks (given by their first keys) that may hold keys starting with `prefix`.

    Chunk i holds keys from firsts[i] to firsts[i + 1] included (a key repeated across a boundary)."""
    lo = max(0, bisect.bisect_left(firsts, prefix) - 1)
    hi = bisect.bisect_left(firsts, prefix + TOP_KEY)
    return range(lo, max(lo + 1, hi)) if firsts else range(0)


def crowded_prefixes(firsts: Sequence[str], min_span: int) -> list[str]:
    """Every prefix whose keys may lie in `min_span` chunks or more, sorted.

    Such a prefix is a prefix of some chunk's first key (a range spanning several chunks contains a
    chunk start), so it is enough to look at those."""
    found = set()
    for first in firsts:
        for n in range(len(first) + 1):
            p = first[:n]
            if p not in found and len(covering(firsts, p)) >= min_span:
                found.add(p)
    return sorted(found)


class JsonFiles:
    """Writes compact JSON files below `root` (creating folders) and counts them.

    With a `memo` (`ccdir.content.stage.StageMemo`) and `prefix`, the path of `root` in the site (« search/ »),
    a file identical to the one the last build published is not written again (incremental builds)."""

    def __init__(self, root: Path, memo: Any = None, prefix: str = ""):
        self.root = root
        self.count = 0
        self.folders: set[Path] = set()
        self.memo = memo
        self.prefix = prefix

    def write(self, rel: str, data: Any) -> None:
        self.write_text(rel, dumps(data))

    def write_text(self, rel: str, text: str) -> None:
        """Write JSON already serialised."""
        self.count += 1
        data = text.encode("utf-8")
        if self.memo is not None and self.memo.same_file(self.prefix + rel, data):
            return
        path = self.root / rel
        folder = path.parent
        if folder not in self.folders:
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.add(folder)
        try:
            with open(path, "wb") as f:
                f.write(data)
        except OSError as exc:  # a failed write does not say which file it was
            if exc.filename is not None or exc.errno is None:
                raise
            raise type(exc)(exc.errno, exc.strerror, str(path)) from None


def dumps(data: Any) -> str:
    """Compact JSON, non-ASCII characters kept as they are."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
