"""The contract between the build and its stages: what a stage is given (`BuildContext`), what it
declares (`Stage`) and what it may keep for the next build (`StageMemo`).

The build (`ccdir.build.pipeline`) checks and locates every merchant, renders the pages, and runs the
stages listed in `ccdir.build.stages.STAGES` (registration form, search index, open data, statistics).
Each stage writes its own files into the staged site from the resolved listings; it never looks a merchant
or a commune up again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.listing import Listing

MerchantFile = Callable[[Listing], str]  # the text of a file published beside a merchant's page


@dataclass(frozen=True)
class BuildContext:
    """What every stage of one build sees: the project, the catalogue and one `Listing` per merchant
    (in slug order).

    `changed` (incremental builds): the slugs of the merchants added, edited or removed since the build
    whose memos the stages receive; None for a full build."""

    project: Project
    catalog: CategoryCatalog
    listings: Sequence[Listing]
    changed: frozenset[str] | None = None


FILES = "/files"  # memo key (never a slug) of the digests of a stage's files


class StageMemo:
    """What a stage computed for each merchant, kept by the build cache for the next build.

    A stage that touches every merchant (search index, open data, statistics) asks `memo.get(slug,
    compute)`: in an incremental build the value of the last build is returned for a merchant that did
    not change, and `compute()` is called only for the others; a full build computes everything. Values
    must depend only on the merchant, its position and what the render salt covers (templates, settings,
    geocoding cache), and be plain values (strings, numbers, tuples): 50,000 of them are unpickled on
    every incremental build.
    """

    def __init__(self, previous: dict[str, Any] | None = None, changed: set[str] | frozenset[str] = frozenset()):
        self.previous = previous or {}
        self.changed = changed
        self.values: dict[str, Any] = {}
        self.digests: dict[str, bytes] = {}  # files the stage wrote: path in the site → digest of the bytes
        self.unchanged: set[str] = set()  # of those, the ones identical to the last build's, not written again

    def get(self, slug: str, compute: Callable[[], Any]) -> Any:
        if slug in self.previous and slug not in self.changed:
            value = self.previous[slug]
        else:
            value = compute()
        self.values[slug] = value
        return value

    def same_file(self, path: str, data: bytes) -> bool:
        """Record that the stage publishes `data` at `path` (in the site); True when the last build
        published the very same bytes there: the site already has them, the file need not be written."""
        digest = hashlib.blake2b(data, digest_size=16).digest()
        self.digests[path] = digest
        if self.previous.get(FILES, {}).get(path) == digest:
            self.unchanged.add(path)
            return True
        return False

    def kept(self) -> dict[str, Any]:
        """What the build cache keeps for the next build."""
        return {**self.values, FILES: self.digests} if self.digests else self.values

    def shared(self, name: str, inputs: str, compute: Callable[[], Any]) -> Any:
        """A value that depends on many merchants: reused while `inputs` (a digest of what it depends
        on) is the same as in the last build."""
        key = "/" + name  # never a slug
        old = self.previous.get(key)
        value = old[1] if old is not None and old[0] == inputs else compute()
        self.values[key] = (inputs, value)
        return value


class Stage(Protocol):
    """A build stage: writes its files into the staged site (`folder`) and returns how many it published.

    - `name`: identifies the stage in the build cache and in timings;
    - `pages`: folders of pages it adds (« donnees/ »), listed in the sitemap;
    - `merchant_files`: files it publishes beside each merchant's page ({"fiche.json": text of a listing}),
      rendered with the pages, on every core;
    - `memo`: whether it keeps values per merchant for the next build (`StageMemo`); a stage that does not
      is given a memo with nothing from the last build, and what it puts there is not kept.

    A file the memo says the site has already (`StageMemo.same_file`) counts as published, not written.
    """

    @property
    def name(self) -> str: ...

    @property
    def pages(self) -> tuple[str, ...]: ...

    @property
    def merchant_files(self) -> Mapping[str, MerchantFile]: ...

    @property
    def memo(self) -> bool: ...

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int: ...
