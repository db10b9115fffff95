"""What the system refuses during a build (disk full, read-only disk…) is one French line and exit code 2;
the previous site stays whole and no temporary folder is left. The disk is filled for real, on a small
tmpfs (mounting needs root, as in CI)."""

from __future__ import annotations

import errno
import math
import os
import subprocess
import sys

import pytest
from conftest import REPO, make_project
from snapshot import files

from ccdir.build.errors import system_message
from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.categories import load_catalog
from ccdir.content.config import Project
from ccdir.demodata import generate
from ccdir.geo.gazetteer import Gazetteer

pytestmark = pytest.mark.slow  # tmpfs, read-only disks and killed builds: `make test-fast` leaves them out


def ccdir(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    return subprocess.run(
        [sys.executable, "-m", "ccdir.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture
def project(tmp_path) -> Project:
    catalog = load_catalog(REPO / "content/categories.yaml")
    return make_project(tmp_path / "p", dict(generate(8, 5, Gazetteer.load(), catalog)))


@pytest.fixture
def small_disk(tmp_path, project):
    """A tmpfs holding the project's site once and a half: a second full build cannot fit beside it."""
    probe = Project(project.root, project.settings, tmp_path / "probe")
    build(probe, BuildOptions(cache=False))
    pages = sum(math.ceil(p.stat().st_size / 4096) for p in probe.output.rglob("*") if p.is_file())
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={pages * 4096 * 3 // 2}", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"impossible de monter un tmpfs (il faut être root) : {mounted.stderr.strip()}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def _edit(project: Project) -> None:
    path = sorted(project.merchants_dir.rglob("*.yaml"))[0]
    path.write_text(path.read_text(encoding="utf-8").replace("name: ", "name: Chez ", 1), encoding="utf-8")


@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_disk_full_is_one_line_exit_2_and_the_previous_site_stays(project, small_disk, cache):
    site = small_disk / "site"
    options = ["build", "--root", str(project.root), "-o", str(site), "-q"] + ([] if cache else ["--no-cache"])
    first = ccdir(*options)
    assert first.returncode == 0, first.stderr
    before = files(site)
    _edit(project)
    if cache:  # no cache to update from: a full build, that writes the cache
        subprocess.run(["rm", "-rf", str(project.root / ".ccdir-cache")], check=True)
    full = ccdir(*options)
    assert full.returncode == 2, full.stderr
    (line,) = full.stderr.splitlines()
    assert line.startswith("Erreur : disque plein en écrivant ")
    assert line.endswith(" : libérez de la place puis relancez")
    shown = line.removeprefix("Erreur : disque plein en écrivant ").split(" : ")[0]
    assert shown.startswith(site.as_posix() + "/") and ".tmp-" not in shown
    assert files(site) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"]  # no temporary folder left
    for path in before:  # the space is free again: nothing of the failed build remains
        (site / path).unlink()
    again = ccdir(*options)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["site"]


def test_read_only_disk_is_one_line_exit_2(project, small_disk):
    site = small_disk / "site"
    assert ccdir("build", "--root", str(project.root), "-o", str(site), "-q").returncode == 0
    before = files(site)
    _edit(project)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    got = ccdir("build", "--root", str(project.root), "-o", str(site), "-q")
    assert got.returncode == 2, got.stderr
    (line,) = got.stderr.splitlines()
    assert line.startswith("Erreur : disque en lecture seule, impossible d'écrire ")
    assert files(site) == before


def test_messages_name_the_file_in_the_output_folder(tmp_path):
    output = tmp_path / "site"
    inside = tmp_path / "site.tmp-x8k2" / "commercants" / "a" / "index.html"
    assert system_message(OSError(errno.EACCES, "Permission denied", str(inside)), output, tmp_path) == (
        "permission refusée pour site/commercants/a/index.html : donnez les droits d'écriture sur ce dossier "
        "(ou choisissez-en un autre avec --output), puis relancez"
    )
    assert system_message(
        OSError(errno.EMFILE, "Too many open files", str(output / "index.html")), output, tmp_path
    ).startswith("trop de fichiers ouverts en même temps (site/index.html)")


def test_folders_left_by_a_killed_build_are_removed_by_the_next(project, tmp_path):
    output = project.output
    for name in ("site.tmp-abc123", "site.old-4242"):
        (output.parent / name / "commercants").mkdir(parents=True)
        (output.parent / name / "commercants" / "x.html").write_text("vieux", encoding="utf-8")
    build(project, BuildOptions(cache=True))
    assert not [p.name for p in output.parent.iterdir() if p.name.startswith("site.")]
