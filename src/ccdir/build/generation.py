"""The served folder is a complete site at every instant: each build makes a new generation and swaps it in.

A build never writes into `site/`. It writes a new generation beside it, `site.tmp-*` (a full build
renders everything there; an incremental build first fills it with hard links to the files of the
current site, then replaces the files that changed and removes those that went away: a hard link costs
no copy, and the current site's files are never modified). The generation replaces `site/` in one
atomic step (`renameat2(RENAME_EXCHANGE)` on Linux: readers and static servers see the old folder or the
new one, never a mix, never nothing), then the old generation is deleted. Where the kernel or file
system cannot exchange two folders, two renames are used (the folder is missing for an instant).

Killed at any moment (SIGKILL, power cut), a build leaves `site/` as it was or as the new build made it,
and at worst a `site.tmp-*` folder: the next build, holding the lock of the output folder (`SiteLock`,
which also keeps two builds of one site from running at once), deletes what killed builds left behind.
docs/consistency.md explains the design and what was measured.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ccdir.core.children import die_with_parent

TMP = ".tmp-"  # site.tmp-XXXX: a generation being built (or the previous one being deleted)
OLD = ".old-"  # site.old-PID: the previous generation, where the site cannot be swapped atomically
AT_FDCWD = -100
RENAME_EXCHANGE = 2


def new_generation(output: Path) -> Path:
    """An empty folder beside `output`, on the same file system, for the next generation."""
    output.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=output.name + TMP, dir=output.parent))


def link_tree(source: Path, target: Path) -> None:
    """Fill the empty folder `target` with hard links to every file of `source` (copies where links are
    impossible). GNU `cp -al` does it about a third faster than Python; without it, Python does."""
    if sys.platform.startswith("linux") and shutil.which("cp"):
        parent = os.getpid()
        done = subprocess.run(
            ["cp", "-al", "--", f"{source}/.", f"{target}/"],
            capture_output=True,
            text=True,
            preexec_fn=lambda: die_with_parent(parent),
        )  # killed with the build
        if done.returncode == 0:
            return
        if "No space left" in done.stderr or "Read-only" in done.stderr:
            code = errno.ENOSPC if "No space left" in done.stderr else errno.EROFS
            raise OSError(code, os.strerror(code), str(target))
        for child in target.iterdir():  # start again in Python (and get its precise error, if any)
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    _link_tree(source, target)


def _link_tree(source: Path, target: Path) -> None:
    can_link = True
    for folder, dirs, names in os.walk(source):
        rel = os.path.relpath(folder, source)
        into = target if rel == "." else target / rel
        for d in dirs:
            os.mkdir(into / d)
        for name in names:
            src, dst = os.path.join(folder, name), into / name
            if can_link:
                try:
                    os.link(src, dst)
                    continue
                except OSError as exc:
                    if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                        raise
                    can_link = False
            shutil.copyfile(src, dst)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the paths `a` and `b` atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(generation: Path, output: Path, remove_old: Callable[[Path], None]) -> None:
    """Make `generation` the site at `output` in one step, then delete the previous site."""
    os.chmod(generation, 0o755)
    if not output.exists() and not output.is_symlink():
        os.replace(generation, output)
    elif _exchange(generation, output):
        remove_old(generation)  # now holding the previous site
    else:
        old = output.with_name(f"{output.name}{OLD}{os.getpid()}")
        os.replace(output, old)
        os.replace(generation, output)
        remove_old(old)


def leftovers(output: Path) -> list[Path]:
    """Folders that builds of `output` killed before the end left beside it."""
    if not output.parent.is_dir():
        return []
    return sorted(
        p
        for p in output.parent.iterdir()
        if p.name.startswith((output.name + TMP, output.name + OLD)) and p.is_dir() and not p.is_symlink()
    )


class SiteLock:
    """Held while a build works on one output folder: a second build into the same parent folder waits.
    Taking it deletes the generations of builds that were killed (nobody else can be working on them).

    The lock is the parent folder itself (`flock` on its descriptor): no lock file to leave behind."""

    def __init__(self, output: Path):
        self.output = output
        self.fd: int | None = None

    def __enter__(self) -> SiteLock:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.output.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(self.fd)
            self.fd = None
            raise
        for folder in leftovers(self.output):
            shutil.rmtree(folder, ignore_errors=True)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.fd is not None:
            os.close(self.fd)  # releases the lock
            self.fd = None
