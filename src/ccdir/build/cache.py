"""Build cache: what the last successful build knew, so that the next one redoes only what changed.

Kept in `<project>/.ccdir-cache/` (never published, safe to delete), one folder per output folder
(`BuildCache`). It is trusted only while its salts match:

- the *validation salt* (ccdir's code, the category catalogue, the gazetteer, Python): a merchant file
  whose size and modification time are unchanged is then not read again;
- the *render salt* (templates, settings, the geocoding cache, the extra build stages): the pages of the
  last build are then up to date for every unchanged merchant, and an incremental build may update the
  site in place.

Merchants are kept pickled, one blob each, and unpickled only when a page needs them: loading 50,000
validated models would take longer than the whole incremental build may.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sys
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ccdir.build.output import write_atomically
from ccdir.content.config import Project
from ccdir.content.identity import Identity
from ccdir.content.listing import Place
from ccdir.content.model import Merchant
from ccdir.content.stage import Stage
from ccdir.content.validate import Entry
from ccdir.core.batch_gc import no_collections
from ccdir.core.problems import Problem, Severity
from ccdir.core.resources import package_dir
from ccdir.geo.gazetteer import DATA_FILE

FORMAT = 4


# Records are named tuples of plain values: unpickling 50,000 dataclasses, enums or slotted objects
# costs seconds, tuples of strings and numbers a fraction of that.
ProblemTuple = tuple[str, int, int, str, str]


def pack_problems(problems: list[Problem]) -> tuple[ProblemTuple, ...]:
    return tuple((p.path, p.line, p.col, p.message, p.severity.value) for p in problems)


_SEVERITIES = {s.value: s for s in Severity}


def unpack_problems(packed: tuple[ProblemTuple, ...]) -> list[Problem]:
    return [Problem(path, line, col, message, _SEVERITIES[severity]) for path, line, col, message, severity in packed]


class FileRecord(NamedTuple):
    """One valid merchant file as the last build read it."""

    size: int
    mtime_ns: int
    slug: str
    blob: bytes  # the pickled Merchant
    anchors: dict[str, tuple[int, int]]
    keys: Identity
    problems: tuple[ProblemTuple, ...]  # its warnings (a build with errors is never cached)


class PageRecord(NamedTuple):
    """What the last build's pages showed about one merchant."""

    path: str
    categories: tuple[str, ...]
    place: Place
    lat: float | None
    lon: float | None
    precision: str | None
    location: tuple | None  # the fields of geocode.Location
    name_key: str
    located: tuple[ProblemTuple, ...]  # geocoding warnings
    card: str | None = None
    split: tuple[str, str] | None = None
    neighbours: tuple[tuple[float, str], ...] | None = None
    points: tuple = ()  # content.outlets.Outlet of each point of sale


@dataclass
class BuildState:
    validation_salt: str
    render_salt: str
    output: str
    site_id: tuple[int, ...]  # `site_id()` of the output folder this state describes
    files: dict[str, FileRecord] = field(default_factory=dict)  # by displayed path
    pages: dict[str, PageRecord] = field(default_factory=dict)  # by slug
    other_files: int = 0  # assets and files of the extra stages
    stage_files: list[str] = field(default_factory=list)  # files the extra stages wrote
    totals: tuple[int, int] = (0, 0)  # (pages, files) of the site: what a build that changes nothing reports
    memos: dict[str, dict[str, Any]] = field(default_factory=dict)  # by stage name: `StageMemo.kept()`


class StoredEntry(Entry):
    """An `Entry` from the cache: its merchant is unpickled on first use."""

    record: FileRecord  # set in __init__ (the dataclass is frozen)

    def __init__(self, slug: str, path: str, record: FileRecord):
        object.__setattr__(self, "slug", slug)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "anchors", record.anchors)
        object.__setattr__(self, "record", record)

    @property
    def merchant(self) -> Merchant:
        loaded = self.__dict__.get("_merchant")
        if loaded is None:
            loaded = pickle.loads(self.record.blob)
            object.__setattr__(self, "_merchant", loaded)
        return loaded

    @property
    def keys(self) -> Identity:
        return self.record.keys


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _tree_bytes(root: Path, pattern: str = "*") -> list[bytes]:
    if not root.is_dir():
        return []
    parts = []
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(root).as_posix().encode(), path.read_bytes()]
    return parts


def _stat_bytes(path: Path) -> bytes:
    try:
        st = path.stat()
    except OSError:
        return b"-"
    return f"{st.st_size}:{st.st_mtime_ns}".encode()


def validation_salt(project: Project) -> str:
    return _digest(
        [
            str(FORMAT).encode(),
            sys.version.encode(),
            *_tree_bytes(package_dir(), "*.py"),
            _stat_bytes(project.categories_file),
            project.categories_file.read_bytes() if project.categories_file.exists() else b"",
            _stat_bytes(project.lexicon_file),
            _stat_bytes(project.lexicon_en_file),
            _stat_bytes(DATA_FILE),
        ]
    )


def render_salt(project: Project, stages: Sequence[Stage]) -> str:
    names = [f"{type(s).__module__}.{type(s).__qualname__}:{s.name}:{s.memo}".encode() for s in stages]
    return _digest(
        [
            *(part for folder in project.template_dirs for part in _tree_bytes(folder)),
            *_tree_bytes(project.content / "markets"),
            project.settings.model_dump_json().encode(),
            _stat_bytes(project.geocache_file),
            *names,
            *_tree_bytes(project.content / "platforms"),
            *_tree_bytes(package_dir() / "site" / "locale"),  # the English pages' catalogue
        ]
    )  # « Aussi sur » on commune pages


def site_id(output: Path) -> tuple[int, ...]:
    """Identifies the output folder as the last build left it: a folder deleted and made again may get
    the same inode, not the same change time."""
    try:
        st = output.stat()
    except OSError:
        return (0, 0, 0)
    return (st.st_dev, st.st_ino, st.st_ctime_ns)


SHARDS = 32  # files the per-merchant records are spread over: an update rewrites only those it changed


@dataclass(frozen=True)
class Stamp:
    """What a build that changes nothing reports, and what it must find unchanged to say so without loading
    the records: the digest of every merchant file's size and modification time."""

    scan: str
    merchants: int
    warnings: tuple[ProblemTuple, ...]


def scan_digest(stats: dict[str, Stat], scanned: list[Problem]) -> str:
    parts = [f"{display}\0{size}\0{mtime}".encode() for display, (size, mtime) in sorted(stats.items())]
    return _digest([*parts, str(len(scanned)).encode()])


class BuildCache:
    """The cache of one (project, output folder) pair: a folder holding `state.pickle` (salts and
    site-wide facts, and the names of the shard files) and the shards (each merchant's file record, page
    record and stage memos, spread by slug). Saving rewrites only the shards that changed, under new
    names, then replaces `state.pickle`: a build interrupted in between leaves the previous cache whole."""

    def __init__(self, project: Project):
        self.project = project
        key = hashlib.sha256(str(project.output).encode()).hexdigest()[:12]
        self.folder = project.cache_dir / f"build-{key}"
        self.path = self.folder / "state.pickle"
        self._shards: dict[int, tuple[Any, str]] = {}  # as loaded: shard number → (content, file name)
        self.stamp: Stamp | None = None  # set by the build before it saves: written into the header

    def unchanged(self, project: Project, stages: Sequence[Stage], scan: str) -> tuple[BuildState, Stamp] | None:
        """The last build's state (without its records) and stamp when nothing it depends on changed: same
        merchant files (`scan`), code, categories, templates, settings, stages and output folder. Reads only
        the header: a build that changes nothing costs a folder scan, not the loading of every record."""
        try:
            with no_collections():
                header = pickle.loads(self.path.read_bytes())
            state: BuildState = header["state"]
            stamp: Stamp | None = header.get("stamp")
        except Exception:  # missing, truncated, from another version: a cache is never worth an error
            return None
        if (
            header.get("format") != FORMAT
            or stamp is None
            or stamp.scan != scan
            or state.output != str(project.output)
            or state.totals == (0, 0)
            or state.site_id != site_id(project.output)
            or state.render_salt != render_salt(project, stages)
            or state.validation_salt != validation_salt(project)
        ):
            return None
        return state, stamp

    def load(self) -> BuildState | None:
        """The last state, or None if there is none or it cannot be read (then everything is rebuilt)."""
        self._shards = {}
        try:
            with no_collections():
                header = pickle.loads(self.path.read_bytes())
                state: BuildState = header["state"]
                if header.get("format") != FORMAT or state.output != str(self.project.output):
                    return None
                for number, name in enumerate(header["shards"]):
                    shard = pickle.loads((self.folder / name).read_bytes())
                    files, pages, memos = shard
                    state.files.update(files)
                    state.pages.update(pages)
                    for stage, values in memos.items():
                        state.memos.setdefault(stage, {}).update(values)
                    self._shards[number] = (shard, name)
        except Exception:  # missing, truncated, from another version: a cache is never worth an error
            self._shards = {}
            return None
        return state

    def forget(self) -> None:
        """Drop the state: called before the site is changed in place, so that a crash means a full build."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass

    def save(self, state: BuildState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        gitignore = self.folder.parent / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
        shards: list[tuple[dict, dict, dict]] = [({}, {}, {}) for _ in range(SHARDS)]
        for display, record in state.files.items():
            shards[_shard(record.slug)][0][display] = record
        for slug, page in state.pages.items():
            shards[_shard(slug)][1][slug] = page
        for stage, values in state.memos.items():
            for slug, value in values.items():
                shards[_shard(slug)][2].setdefault(stage, {})[slug] = value
        names = []
        with no_collections():
            for number, shard in enumerate(shards):
                old = self._shards.get(number)
                if old is not None and old[0] == shard:  # unchanged records are the very objects loaded: cheap
                    names.append(old[1])
                    continue
                raw = pickle.dumps(shard, protocol=pickle.HIGHEST_PROTOCOL)
                name = f"shard-{number}-{hashlib.blake2b(raw, digest_size=8).hexdigest()}.pickle"
                if not (self.folder / name).exists():
                    write_atomically(self.folder / name, raw)
                names.append(name)
                self._shards[number] = (shard, name)
            bare = dataclasses.replace(state, files={}, pages={}, memos={})
            header = {"format": FORMAT, "state": bare, "shards": names, "stamp": self.stamp}
            write_atomically(self.path, pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL))
        for path in self.folder.iterdir():  # shards of earlier builds
            if path.name.startswith("shard-") and path.name not in names:
                path.unlink(missing_ok=True)
        self.folder.with_suffix(".pickle").unlink(missing_ok=True)  # the single file of ccdir ≤ 0.1


def _shard(slug: str) -> int:
    return zlib.crc32(slug.encode()) % SHARDS


Stat = tuple[int, int]  # (size, modification time in ns)


def stat_all(items: list[tuple[Path, str]]) -> dict[str, Stat]:
    """Size and modification time of every file, taken *before* reading them: a file edited during the
    build then looks changed to the next build."""
    stats = {}
    for path, display in items:
        try:
            st = path.stat()
        except OSError:
            continue
        stats[display] = (st.st_size, st.st_mtime_ns)
    return stats


def file_record(entry: Entry, problems: list[Problem], stat: Stat) -> FileRecord:
    if isinstance(entry, StoredEntry):
        return entry.record
    blob = pickle.dumps(entry.merchant, protocol=pickle.HIGHEST_PROTOCOL)
    return FileRecord(stat[0], stat[1], entry.slug, blob, dict(entry.anchors), entry.keys, pack_problems(problems))


def known_entries(state: BuildState | None, stats: dict[str, Stat]) -> dict[str, tuple[Entry, list[Problem]]]:
    """Cached results of the files whose size and modification time did not change."""
    if state is None:
        return {}
    known: dict[str, tuple[Entry, list[Problem]]] = {}
    for display, stat in stats.items():
        record = state.files.get(display)
        if record is not None and (record.size, record.mtime_ns) == stat:
            known[display] = (StoredEntry(record.slug, display, record), unpack_problems(record.problems))
    return known
