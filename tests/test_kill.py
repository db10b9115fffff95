"""Builds killed at random moments (SIGKILL) never leave a broken site, nor worker processes behind.

A small project is built again and again while merchants are added, edited and removed; each build is
killed at a random moment — full builds without the cache, incremental builds, full builds that write
the cache — and after each kill:

- `site/` is byte for byte the site before the build or the site after it (a complete old or complete
  new site), and every internal link of it resolves;
- no process of the killed build is left (render and validation workers die with their parent);
- the next build (with the cache, as `ccdir build` does) gives exactly what a clean `--no-cache` build
  gives, and leaves no temporary folder beside the site.

Builds run in children of a "zygote" process that has ccdir imported already, so that a kill costs no
interpreter start; workers are forced on (tiny PARALLEL_FROM) so that killed builds have some.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, make_project
from snapshot import files

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.categories import load_catalog
from ccdir.content.config import Project
from ccdir.demodata import generate
from ccdir.geo.gazetteer import Gazetteer
from ccdir.site.linkcheck import check_site

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("CCDIR_KILLS", "51"))  # fewer to try a change quickly
COUNT = 16  # merchants at the start
SEED = 20261202

ZYGOTE = r"""
import os, signal, sys
from pathlib import Path
from ccdir.build import output
from ccdir.build.pipeline import BuildOptions, build
from ccdir.content import validate
from ccdir.content.config import Project

output.PARALLEL_FROM = 4  # render on forked workers even for a tiny site
output.CHUNK = 3
validate.PARALLEL_FROM = 4  # validate on forked workers too
from ccdir.intake.inscription import commune_tables
commune_tables()  # what every build of the process shares, made once before the forks
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
root = Path(sys.argv[1])
for line in sys.stdin:
    mode = line.strip()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # its own session: the test counts what is left of it
        code = 0
        try:
            build(Project.load(root), BuildOptions(cache=(mode == "cache")))
        except BaseException:
            code = 1
        os._exit(code)
    print(pid, flush=True)
"""


def _alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def _session(sid: int) -> list[int]:
    """Processes of session `sid` (still running: zombies do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


class Zygote:
    def __init__(self, root: Path):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def start(self, mode: str) -> int:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(mode + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _wait_gone(pid: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _leftovers(sid: int) -> list[int]:
    """What remains of the killed build's session after a short while (killed, then returned)."""
    deadline = time.monotonic() + 3
    left = _session(sid)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = _session(sid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def test_builds_killed_at_random_moments_leave_the_old_or_the_new_site(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("compte les processus dans /proc (Linux)")
    rng = random.Random(SEED)
    catalog = load_catalog(REPO / "content/categories.yaml")
    pool = list(generate(COUNT + KILLS, 7, Gazetteer.load(), catalog))
    project = make_project(tmp_path / "p", dict(pool[:COUNT]))
    spare = pool[COUNT:]
    merchants = project.merchants_dir

    def reference(n: int) -> dict[str, bytes]:
        fresh = Project(project.root, project.settings, tmp_path / f"ref-{n}")
        build(fresh, BuildOptions(cache=False))
        got = files(fresh.output)
        shutil.rmtree(fresh.output)
        return got

    def mutate(i: int) -> None:
        present = sorted(merchants.rglob("*.yaml"))
        what = i % 3
        if what == 0 or len(present) < 4:
            rel, text = spare.pop()
            (merchants / rel).parent.mkdir(parents=True, exist_ok=True)
            (merchants / rel).write_text(text, encoding="utf-8")
        elif what == 1:
            path = rng.choice(present)
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("name: ", f"name: Maison {i} ", 1), encoding="utf-8")
        else:
            rng.choice(present).unlink()

    build(project, BuildOptions(cache=True))
    site = files(project.output)
    zygote = Zygote(project.root)
    try:
        durations = {}
        for mode in ("full", "cache", "cold"):  # how long each kind of build takes here, uninterrupted
            if mode == "cold":
                shutil.rmtree(project.root / ".ccdir-cache", ignore_errors=True)
            started = time.monotonic()
            _wait_gone(zygote.start("cache" if mode != "full" else "full"), 120)
            durations[mode] = time.monotonic() - started
        assert files(project.output) == site
        build(project, BuildOptions(cache=True))
        orphans: list[tuple[int, list[int]]] = []
        new = site
        for i in range(KILLS):
            kind = ("full", "cache", "cold")[i % 3]
            if kind != "cold":  # full builds and incremental builds (the cache is there) of new content
                mutate(i)
                new = reference(i)
            if kind == "cold":
                shutil.rmtree(project.root / ".ccdir-cache", ignore_errors=True)
            pid = zygote.start("cache" if kind != "full" else "full")
            time.sleep(rng.uniform(0, durations[kind] * 1.1))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _wait_gone(pid, 10)
            left = _leftovers(pid)
            if left:
                orphans.append((i, left))
            now = files(project.output)
            assert now == site or now == new, f"kill {i} ({kind}): a mix of two sites"
            assert check_site(project.output) == [], f"kill {i} ({kind}): broken links"
            build(project, BuildOptions(cache=True))
            site = files(project.output)
            assert site == new, f"kill {i} ({kind}): the next build differs from a clean build"
            assert not [p.name for p in project.output.parent.iterdir() if p.name.startswith("site.")]
        assert orphans == []
    finally:
        zygote.close()
