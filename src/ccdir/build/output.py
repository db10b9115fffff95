"""Write stage: rendered pages into a folder, on every core for large sites; old sites removed aside.

Pages are independent once the shared indexes are built (`render.SiteIndex`), so forked workers render
and write disjoint slices of them; the bytes of a page never depend on which process wrote it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from ccdir.core.batch_gc import fewer_collections
from ccdir.core.children import can_fork, forked_pool

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
PARALLEL_FROM = 2_000  # pages; below this, starting worker processes costs more than it saves
BACKGROUND_FROM = 2_000  # files; removing a larger old site is left to a background process
CHUNK = 200

_work: tuple[Path, list[tuple[str, Callable[[], str]]], Callable[[], Any] | None] | None = None


class Writer:
    """Writes files under `root`, creating each folder once."""

    def __init__(self, root: Path):
        self.root = root
        self.folders: set[str] = set()

    def write(self, path: str, content: str) -> None:
        folder, _, _ = path.rpartition("/")
        if folder and folder not in self.folders:
            os.makedirs(self.root / folder, exist_ok=True)
            self.folders.add(folder)
        try:
            with open(self.root / path, "w", encoding="utf-8", newline="") as f:
                f.write(content)
        except OSError as exc:
            raise with_filename(exc, self.root / path) from None


def with_filename(exc: OSError, path: Path) -> OSError:
    """`exc` naming `path` (a failed `write` or `close` does not say which file it was)."""
    if exc.filename is not None or exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def write_pages(pages: Iterable[tuple[str, str]], root: Path) -> list[str]:
    """Write `(path, content)` pairs in this process; returns the paths written."""
    writer = Writer(root)
    written = []
    with fewer_collections():
        for path, content in pages:
            writer.write(path, content)
            written.append(path)
    return written


def _run_chunk(bounds: tuple[int, int]) -> tuple[int, Any]:
    assert _work is not None
    root, jobs, harvest = _work
    writer = Writer(root)
    for path, job in jobs[bounds[0] : bounds[1]]:
        writer.write(path, job())
    return bounds[1] - bounds[0], harvest() if harvest else None


def render_pages(
    jobs: dict[str, Callable[[], str]],
    root: Path,
    progress: Progress | None = None,
    harvest: Callable[[], T] | None = None,
    workers: int | None = None,
    meanwhile: Callable[[], Any] | None = None,
) -> list[T]:
    """Render and write every job, in forked workers when there are many.

    `harvest` is called in each process after its share of the jobs, and what it returns is collected
    (what rendering learnt that the build cache keeps). `meanwhile` is called in this process once the
    workers have their jobs (the build's other stages run while the pages are rendered), or after the
    pages when they are rendered here.
    """
    global _work
    items = list(jobs.items())
    workers = workers or os.cpu_count() or 1
    if len(items) < PARALLEL_FROM or workers < 2 or not can_fork():
        writer = Writer(root)
        with fewer_collections():
            for done, (path, job) in enumerate(items, 1):
                writer.write(path, job())
                if progress and done % CHUNK == 0:
                    progress("pages", done, len(items))
        if meanwhile is not None:
            meanwhile()
        return [harvest()] if harvest else []
    _work = (root, items, harvest)
    harvested = []
    try:
        chunks = [(i, min(i + CHUNK, len(items))) for i in range(0, len(items), CHUNK)]
        done = 0
        with (
            fewer_collections(),
            forked_pool(workers) as pool,
        ):
            results = pool.map(_run_chunk, chunks)  # every chunk is submitted now; the workers start
            if meanwhile is not None:
                try:
                    meanwhile()
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
            for n, got in results:
                done += n
                harvested.append(got)
                if progress:
                    progress("pages", done, len(items))
    finally:
        _work = None
    return [h for h in harvested if h is not None]


def remove(folder: Path, background: bool = False) -> None:
    """Delete `folder`; with `background`, in a detached process, so that the build can return at once.

    Deleting tens of thousands of files takes long on some disks (ext4 mounted with `discard`: ~1 ms a
    file): the new site is already in place, nobody waits for the old one to go.
    """
    if background:
        try:
            subprocess.Popen(
                [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(folder)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass
    shutil.rmtree(folder, ignore_errors=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `target` through a temporary file and a rename: readers see the old file or the new one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
