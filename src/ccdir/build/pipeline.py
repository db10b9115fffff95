"""The build: gather and check everything, then write the site into a temporary folder and swap it in.

Phase 1 loads, validates and locates every merchant (nothing is written if anything is wrong).
Phase 2 renders every page into `site.tmp-*` beside the output folder; only a complete site replaces
the previous one, so a failed build never leaves a half-written site.

With the build cache (`ccdir.build.cache`; `ccdir build` and `ccdir serve` use it), unchanged merchant files are not validated again,
and when only a few changed since the last build, only the pages they affect are rendered and replaced
in place (`ccdir.build.incremental` says why that is safe).
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ccdir.content.categories import CategoryCatalog
from ccdir.content.loading import check, load_gazetteer, locate
from ccdir.content.config import Project
from ccdir.build.output import BACKGROUND_FROM, remove
from ccdir.core.problems import ContentError, Problem, Severity
from ccdir.content.validate import Report, merchant_files

Progress = Callable[[str, int, int], None]


@dataclass
class BuildOptions:
    offline: bool = True
    strict: bool = False
    progress: Progress | None = None
    cache: bool = False  # keep and reuse .ccdir-cache/ (see ccdir.build.cache); the CLI and `ccdir serve` turn it on


@dataclass
class BuildResult:
    merchants: int = 0
    pages: int = 0
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    incremental: bool = False  # the site was updated in place
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for `benchmarks/`


def build(project: Project, options: BuildOptions | None = None) -> BuildResult:
    """Build the whole site into `project.output`; raises ContentError on any content error."""
    try:
        return _build(project, options or BuildOptions())
    finally:
        gc.unfreeze()


def _build(project: Project, options: BuildOptions) -> BuildResult:
    from ccdir.build import cache as build_cache
    from ccdir.build import incremental
    from ccdir.content.validate import _display

    started = time.perf_counter()
    timings: dict[str, float] = {}
    lap = _stopwatch(timings)
    cache = build_cache.BuildCache(project) if options.cache else None
    state = cache.load() if cache else None
    # The cache's millions of objects live until the end of the build: out of the garbage collector's
    # sight, which would otherwise walk them all again and again (a third of an incremental build).
    gc.freeze()
    if state is not None and state.validation_salt != build_cache.validation_salt(project):
        state = None
    paths = merchant_files(project.merchants_dir)
    stats = build_cache.stat_all([(p, _display(p, project.root)) for p in paths]) if cache else {}
    known = build_cache.known_entries(state, stats)
    in_place = state is not None and incremental.can_update(project, state, stats, known, extra_stages)
    lap("cache")
    unchanged = in_place and len(known) == len(stats)
    gazetteer = None if unchanged else load_gazetteer()  # only needed to check and locate changed files
    catalog, report = check(project, paths, gazetteer=gazetteer, known=known)
    lap("validate")
    to_locate = Report(entries=[e for e in report.entries if e.path not in known]) if in_place else report
    locations, located = ({}, []) if report.errors or gazetteer is None else locate(
        project, to_locate, gazetteer, options.offline, options.progress, prune=not in_place)
    lap("locate")
    if in_place:
        assert cache is not None and state is not None
        _stop_on_errors(report.problems + located, options)  # the stored merchants' problems are only warnings
        update = incremental.Update(project, catalog, state, report, locations, located)
        problems = update.problems
        _stop_on_errors(problems, options)
        lap("plan")
        pages, files = update.run(cache, stats, extra_stages, lap)
        return BuildResult(len(update.listings), pages, files, [p for p in problems if not p.is_error],
                           time.perf_counter() - started, True, timings)
    problems = report.problems + located
    _stop_on_errors(problems, options)

    from ccdir.build.output import PARALLEL_FROM, render_pages, write_pages
    from ccdir.site.render import Renderer, SiteIndex, copy_assets, make_listings

    listings = make_listings(report.entries, locations, catalog)
    renderer = Renderer(project, catalog)
    renderer.merchant_files = stage_merchant_files(extra_stages)
    result = BuildResult(merchants=len(listings), warnings=[p for p in problems if not p.is_error])
    output = project.output
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=output.name + ".tmp-", dir=output.parent))
    try:
        assets = copy_assets(project, staging)
        ran: list[Any] = []

        def stages() -> None:  # and, with the cache, the merchant files' records
            ran.append(run_stages(extra_stages, project, staging, listings, locations, catalog, lap=lap))
            ran.append(incremental.validated(project, report, stats, extra_stages) if cache else None)
            lap("cache")

        if len(listings) < PARALLEL_FROM:
            written = write_pages(renderer.render_all(listings, stage_pages(extra_stages)), staging)
            harvests = [renderer.harvest()]
            lap("render")
            stages()
        else:  # on every core; the extra stages run in this process meanwhile (they write other files)
            jobs = renderer.pages(SiteIndex(listings, project.settings.neighbour_km), stage_pages(extra_stages))
            harvests = render_pages(jobs, staging, options.progress, renderer.harvest, meanwhile=stages)
            written = list(jobs)
            lap("render")  # what rendering took beyond the stages
        result.files += len(written)
        result.pages += sum(path.endswith(".html") for path in written)
        (memos, written_by_stages, _), validated = ran
        stage_files = _new_files(staging, {*written, *assets}) if cache else []  # what an update may replace
        result.files += len(assets) + (len(stage_files) if cache else written_by_stages)
        _swap(staging, output, result.files)
        lap("swap")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if cache is not None:
        incremental.remember(cache, project, validated, listings, locations, located, harvests,
                             len(assets) + len(stage_files), stage_files, memos)
        lap("cache")
    result.seconds = time.perf_counter() - started
    result.timings = timings
    return result


def _stopwatch(timings: dict[str, float]) -> Callable[[str], None]:
    last = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - last[0]
        last[0] = now

    return lap


def stage_name(stage: Callable[..., Any]) -> str:
    return getattr(stage, "__name__", "stage").strip("_").removeprefix("ccdir.").removesuffix(".stage")


def stage_pages(stages: list[Callable[..., int]]) -> list[str]:
    """The pages the stages add (their `pages` attribute: folders such as « donnees/ »), for the sitemap."""
    return [page for stage in stages for page in getattr(stage, "pages", ())]


def stage_merchant_files(stages: list[Callable[..., int]]) -> dict[str, Callable[[Any], str]]:
    """The files the stages publish beside each merchant's page (their `merchant_files` attribute:
    {name: function(listing) → text}), rendered with the pages."""
    return {name: make for stage in stages for name, make in getattr(stage, "merchant_files", {}).items()}


def run_stages(stages: list[Callable[..., int]], project: Project, folder: Path, listings: list[Any],
               locations: dict[str, Any], catalog: CategoryCatalog, changed: set[str] | None = None,
               memos: dict[str, dict[str, Any]] | None = None, lap: Callable[[str], None] | None = None
               ) -> tuple[dict[str, dict[str, Any]], int, set[str]]:
    """Run the extra stages into `folder`; returns their memos (`ccdir.build.cache.StageMemo`), how many files
    they published and, of those, which they did not write because the site has them already.

    `changed` (incremental builds): the merchants changed since the build whose `memos` are given; a stage
    marked `memo` reuses the values of the others.
    """
    from ccdir.build.cache import StageMemo

    kept: dict[str, dict[str, Any]] = {}
    files = 0
    unchanged: set[str] = set()
    for stage in stages:
        name = stage_name(stage)
        more: dict[str, Any] = {}
        if getattr(stage, "memo", False):
            more["memo"] = memo = StageMemo((memos or {}).get(name) if changed is not None else None,
                                            changed or set())
        files += stage(project, folder, listings, locations, catalog, **more)
        if "memo" in more:
            kept[name] = memo.kept()
            unchanged |= memo.unchanged
        if lap is not None:
            lap(f"stage {name}")
    return kept, files, unchanged


def _stop_on_errors(problems: list[Problem], options: BuildOptions) -> None:
    errors = [p for p in problems if p.is_error or (options.strict and p.severity is Severity.WARNING)]
    if errors:
        raise ContentError(problems, f"{len(errors)} erreur(s) : le site n'a pas été construit "
                                     "(le site précédent est intact).")


def _new_files(root: Path, written: set[str]) -> list[str]:
    """Files under `root` other than `written`: those of the extra stages."""
    found = []
    for folder, _, names in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        for name in names:
            path = name if rel == "." else f"{rel}/{name}"
            if path not in written:
                found.append(path)
    return sorted(found)


# Later stages (search index, open data…) register here: f(project, staging_dir, listings, locations, catalog) -> files written
extra_stages: list[Callable[..., int]] = []


def _registration(*args: Any, **kwargs: Any) -> int:
    from ccdir.intake.inscription import registration_stage  # the form page, its JSON Schema, the commune lists

    return registration_stage(*args, **kwargs)


def _fiche(item: Any) -> str:
    from ccdir.intake.inscription import fiche_text  # what « Modifier cette fiche » prefills the form with

    return fiche_text(item)


_registration.merchant_files = {"fiche.json": _fiche}  # type: ignore[attr-defined]  # see stage_merchant_files
_registration.pages = ("inscription/",)  # type: ignore[attr-defined]  # listed in the sitemap (see stage_pages)
extra_stages.append(_registration)


def _search_stage(*args: Any, **kwargs: Any) -> int:
    from ccdir.search.index import write_search

    return write_search(*args, **kwargs)


_search_stage.memo = True  # type: ignore[attr-defined]
extra_stages.append(_search_stage)


def _swap(staging: Path, output: Path, files: int = 0) -> None:
    """Replace `output` with `staging` with two renames, so readers never see a partial site."""
    os.chmod(staging, 0o755)
    if output.exists():
        old = output.with_name(f"{output.name}.old-{os.getpid()}")
        os.replace(output, old)
        os.replace(staging, output)
        remove(old, background=files >= BACKGROUND_FROM)
    else:
        os.replace(staging, output)


def _lazy_stage(module: str, name: str = "stage", memo: bool = False, pages: tuple[str, ...] = ()) -> Callable[..., int]:
    def run(*args: Any, **kwargs: Any) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    run.__name__ = f"{module}.{name}"
    run.memo = memo  # type: ignore[attr-defined]  # accepts `memo` (see run_stages)
    run.pages = pages  # type: ignore[attr-defined]
    return run


extra_stages.append(_lazy_stage("ccdir.site.opendata", memo=True, pages=("donnees/",)))  # site/donnees/: CSV, GeoJSON, JSON, datapackage.json
extra_stages.append(_lazy_stage("ccdir.site.stats", memo=True, pages=("statistiques/",)))  # site/statistiques/
extra_stages.append(_lazy_stage("ccdir.site.localplatforms"))  # site/plateformes.json: « Aussi sur » in search results
extra_stages.append(_lazy_stage("ccdir.site.widget", pages=("widget/", "widget/integrer/")))  # site/widget/: the town-hall widget
extra_stages.append(_lazy_stage("ccdir.site.offline", pages=("favoris/", "hors-ligne/")))  # manifest, sw.js, /favoris/ (last: lists the files of the others)
