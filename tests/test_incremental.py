"""Incremental builds: after an edit, the site updated in place is byte-identical to a full build."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, make_project
from snapshot import files

from ccdir.build import cache as build_cache
from ccdir.build import incremental, output
from ccdir.build.pipeline import BuildOptions, BuildResult, build
from ccdir.content.categories import load_catalog
from ccdir.content.config import Project
from ccdir.core.problems import ContentError
from ccdir.demodata import generate
from ccdir.geo.gazetteer import Gazetteer

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

COUNT = 150


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    catalog = load_catalog(REPO / "content/categories.yaml")
    return dict(generate(COUNT, 11, Gazetteer.load(), catalog))


@pytest.fixture
def project(tmp_path, generated) -> Project:
    project = make_project(tmp_path / "p", generated)
    result = build(project, BuildOptions(cache=True))
    assert not result.incremental and result.merchants == COUNT
    return project


def full_build(project: Project, tmp_path: Path, warnings: list | None = None) -> dict[str, bytes]:
    fresh = Project(project.root, project.settings, tmp_path / "full")
    result = build(fresh, BuildOptions(cache=False))
    if warnings is not None:
        warnings.extend(p.format() for p in result.warnings)
    return files(fresh.output)


def rebuild(project: Project) -> BuildResult:
    return build(project, BuildOptions(cache=True))


def merchant(project: Project, index: int) -> Path:
    return sorted(project.merchants_dir.rglob("*.yaml"))[index]


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert n == 1, (pattern, text)
    path.write_text(new, encoding="utf-8")


def with_position(project: Project) -> Path:
    return next(p for p in sorted(project.merchants_dir.rglob("*.yaml")) if "\n  lat: " in p.read_text())


@pytest.mark.parametrize("change", ["description", "category", "move", "rename", "add", "delete", "touch"])
def test_one_change_updates_in_place_like_a_full_build(project, tmp_path, change):
    before = files(project.output)
    target = with_position(project) if change == "move" else merchant(project, 7)
    if change == "description":
        edit(target, r"^description: .*$", 'description: "Nouveautés chaque semaine : commandez la veille."')
    elif change == "category":
        edit(target, r"^categories: .*$", "categories: [fleuriste, librairie]")
    elif change == "move":
        edit(target, r"^  lat: ([\d.]+)$", "  lat: 47.9")
        edit(target, r"^  lon: ([\d.-]+)$", "  lon: 1.9")
    elif change == "rename":
        edit(target, r"^name: .*$", 'name: "Aux Trois Clés"')
    elif change == "add":
        text = target.read_text(encoding="utf-8")
        text = re.sub(r"^name: .*$", 'name: "Nouvelle Boutique Test"', text, count=1, flags=re.M)
        text = re.sub(r"^siret: .*\n", "", text, flags=re.M)
        (target.parent / "nouvelle-boutique-test.yaml").write_text(text, encoding="utf-8")
    elif change == "delete":
        target.unlink()
    elif change == "touch":
        target.write_text(target.read_text(encoding="utf-8"), encoding="utf-8")

    result = rebuild(project)
    assert result.incremental
    got = files(project.output)
    warnings: list[str] = []
    assert got == full_build(project, tmp_path, warnings)
    assert sorted(p.format() for p in result.warnings) == sorted(warnings) and warnings  # approximate positions
    if change == "touch":
        assert got == before
    else:
        assert got != before
    # The cache now describes the updated site: a second build changes nothing and stays incremental.
    assert rebuild(project).incremental
    assert files(project.output) == got


def test_a_build_that_changes_nothing_reads_only_the_cache_header(project, monkeypatch):
    """The same warnings, pages and files as the last build, without loading the merchants' records; any
    change to a merchant file or a template goes back to the real work."""
    first = rebuild(project)  # an update after the full build of the fixture: the header carries its stamp
    monkeypatch.setattr(build_cache.BuildCache, "load", lambda self: pytest.fail("records loaded for a no-op"))
    again = rebuild(project)
    assert again.incremental and (again.merchants, again.pages, again.files) == (
        first.merchants,
        first.pages,
        first.files,
    )
    assert [p.format() for p in again.warnings] == [p.format() for p in first.warnings] and again.warnings
    assert set(again.timings) == {"cache"}
    monkeypatch.undo()
    edit(merchant(project, 3), r"^description: .*$", 'description: "Retrait sous le porche."')
    assert rebuild(project).timings.keys() > {"cache", "validate"}  # a changed file is read again
    (project.root / "templates").mkdir(exist_ok=True)
    (project.root / "templates" / "404.html").write_text("<!doctype html><title>?</title>", encoding="utf-8")
    assert "render" in rebuild(project).timings  # a template overridden: every page again


def test_content_error_leaves_site_and_cache_usable(project, tmp_path):
    before = files(project.output)
    target = merchant(project, 3)
    good = target.read_text(encoding="utf-8")
    edit(target, r"^kind: .*$", "kind: boutique")
    with pytest.raises(ContentError) as err:
        rebuild(project)
    assert [p.path for p in err.value.problems if p.is_error] == [target.relative_to(project.root).as_posix()]
    assert files(project.output) == before
    target.write_text(good.replace("Retrait en boutique.", "Retrait en boutique, côté cour."), encoding="utf-8")
    assert rebuild(project).incremental
    assert files(project.output) == full_build(project, tmp_path)


def test_crash_while_preparing_the_new_generation_leaves_the_site(project, tmp_path, monkeypatch):
    before = files(project.output)
    edit(merchant(project, 5), r"^name: .*$", 'name: "Épicerie du Pont"')
    calls = []

    def move_then_crash(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_move(source, target)

    real_move = incremental._move
    monkeypatch.setattr(incremental, "_move", move_then_crash)
    with pytest.raises(OSError):
        rebuild(project)
    monkeypatch.setattr(incremental, "_move", real_move)
    assert files(project.output) == before  # the new generation was being prepared beside the site
    assert not list(project.output.parent.glob("site.tmp-*"))
    result = rebuild(project)
    assert result.incremental  # the site is still the one the cache describes
    assert files(project.output) == full_build(project, tmp_path)


def test_template_change_rebuilds_everything(project, tmp_path):
    templates = project.root / "templates"
    shutil.copytree(REPO / "templates", templates)
    page = templates / "404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Page introuvable", "Page absente"), encoding="utf-8")
    result = rebuild(project)
    assert not result.incremental
    assert "Page absente" in (project.output / "404.html").read_text(encoding="utf-8")


def test_site_replaced_by_someone_else_is_rebuilt(project, tmp_path):
    shutil.rmtree(project.output)
    (project.output / "commercants").mkdir(parents=True)
    result = rebuild(project)
    assert not result.incremental
    assert files(project.output) == full_build(project, tmp_path)


def test_parallel_full_build_is_identical_and_feeds_the_cache(tmp_path, generated, monkeypatch):
    project = make_project(tmp_path / "p", generated)
    sequential = full_build(project, tmp_path)
    monkeypatch.setattr(output, "PARALLEL_FROM", 10)
    monkeypatch.setattr(output, "CHUNK", 16)
    build(project, BuildOptions(cache=True))
    assert files(project.output) == sequential
    edit(merchant(project, 9), r"^categories: .*$", "categories: [caviste]")
    assert rebuild(project).incremental
    assert files(project.output) == full_build(project, tmp_path)


def test_stages_recompute_only_the_changed_merchant(project, monkeypatch):
    """Search index, open data and statistics reuse what the last build computed for unchanged merchants."""
    from ccdir.search import index as search_index
    from ccdir.site import opendata, stats

    calls: dict[str, list[str]] = {"search": [], "opendata": [], "stats": []}

    def counting(module, name, key, slug_of):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[key].append(slug_of(*args))
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    counting(search_index, "make_entry", "search", lambda item, *rest: item.slug)
    counting(opendata, "publish", "opendata", lambda record, *rest: record.listing.slug)
    counting(stats, "facts", "stats", lambda slug, *rest: slug)
    target = merchant(project, 3)
    edit(target, r"^description: .*$", 'description: "Paniers garnis pour les fêtes."')
    result = rebuild(project)
    assert result.incremental
    assert calls == {key: [target.stem] for key in calls}
    assert "Paniers garnis pour les fêtes." in (project.output / "donnees/commerces.csv").read_text(
        encoding="utf-8-sig"
    )


def test_an_update_rewrites_only_the_cache_shards_it_changed(project):
    from ccdir.build.cache import BuildCache

    folder = BuildCache(project).folder
    before = {p.name for p in folder.glob("shard-*")}
    assert len(before) > 10
    edit(merchant(project, 5), r"^description: .*$", 'description: "Fermé le lundi."')
    assert rebuild(project).incremental
    after = {p.name for p in folder.glob("shard-*")}
    # the merchant's shard, and the one holding the digests of the search files (some changed)
    assert len(after) == len(before) and 1 <= len(after - before) <= 2
    assert rebuild(project).incremental  # and the cache so saved is read back whole


def test_ou_files_are_not_made_again_when_a_merchant_changes_or_moves(project, monkeypatch, tmp_path):
    from ccdir.search import places as places_index

    calls = []
    real = places_index.place_files
    monkeypatch.setattr(places_index, "place_files", lambda *args: calls.append(1) or real(*args))
    places_index._RECENT.clear()  # not even from this process's last build: from the build cache
    edit(merchant(project, 2), r"^description: .*$", 'description: "Retrait au fond de la cour."')
    assert rebuild(project).incremental and calls == []
    target = with_position(project)
    edit(target, r"^  lat: ([\d.]+)$", "  lat: 47.3")
    edit(target, r"^  lon: ([\d.-]+)$", "  lon: 0.4")
    assert rebuild(project).incremental and calls == []  # every commune is listed, wherever the merchants are
    assert files(project.output) == full_build(project, tmp_path)


def test_search_files_identical_to_the_last_build_are_not_written_again(project, monkeypatch, tmp_path):
    produced: list[str] = []
    real = incremental._files
    monkeypatch.setattr(incremental, "_files", lambda root: produced.extend(real(root)) or real(root))
    total = sum(1 for _ in (project.output / "search").rglob("*.json"))
    edit(merchant(project, 4), r"^description: .*$", 'description: "Bouquets de saison."')
    assert rebuild(project).incremental
    written = [p for p in produced if p.startswith("search/")]
    assert written and len(written) < total / 10  # the cells and word lists of that merchant only
    assert files(project.output) == full_build(project, tmp_path)
    edit(merchant(project, 4), r"^description: .*$", 'description: "Bouquets de saison et plantes."')
    assert rebuild(project).incremental  # the digests kept for skipped files still hold
    assert files(project.output) == full_build(project, tmp_path / "again")


def test_a_stage_failing_while_pages_render_on_every_core_leaves_the_site(project, monkeypatch, tmp_path):
    from ccdir.build.stages import STAGES

    before = files(project.output)
    monkeypatch.setattr(output, "PARALLEL_FROM", 10)

    class Boom:
        name, pages, merchant_files, memo = "boom", (), {}, False

        def run(self, context, folder, memo):
            raise RuntimeError("disque plein")

    with pytest.raises(RuntimeError):
        build(project, BuildOptions(cache=False, stages=(*STAGES, Boom())))
    assert files(project.output) == before
    assert not list(project.output.parent.glob("site.tmp-*"))
