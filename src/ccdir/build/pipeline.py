"""The build: gather and check everything, then write the site into a temporary folder and swap it in.

Phase 1 loads, validates and locates every merchant (nothing is written if anything is wrong).
Phase 2 renders every page into a new generation, `site.tmp-*` beside the output folder; only a complete
site replaces the previous one, in one atomic step (`ccdir.build.generation`), so a failed or killed
build never leaves a half-written site.

With the build cache (`ccdir.build.cache`; `ccdir build` and `ccdir serve` use it), unchanged merchant files are not validated again,
and when only a few changed since the last build, only the pages they affect are rendered, and the new
generation is the previous one's files (hard links) with those pages replaced (`ccdir.build.incremental`).
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ccdir.build import cache as build_cache
from ccdir.build import incremental
from ccdir.build import output as build_output
from ccdir.build.generation import SiteLock, new_generation, swap_in
from ccdir.build.output import BACKGROUND_FROM, remove, render_pages, write_pages
from ccdir.build.stages import STAGES, Memos, run_stages, stage_merchant_files, stage_pages
from ccdir.content.config import Project
from ccdir.content.listing import make_listings
from ccdir.content.loading import check, load_gazetteer, locate
from ccdir.content.scan import display_path, scan
from ccdir.content.stage import BuildContext, Stage
from ccdir.content.validate import Report
from ccdir.core.problems import ContentError, Problem, Severity
from ccdir.site.render import Renderer, SiteIndex, copy_assets

Progress = Callable[[str, int, int], None]


@dataclass
class BuildOptions:
    offline: bool = True
    strict: bool = False
    progress: Progress | None = None
    cache: bool = False  # keep and reuse .ccdir-cache/ (see ccdir.build.cache); the CLI and `ccdir serve` turn it on
    stages: Sequence[Stage] = STAGES  # what runs after the pages (`ccdir.build.stages`)


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
    """Build the whole site into `project.output`; raises ContentError on any content error, OSError
    when the system refuses (disk full, read-only…): then the previous site is untouched."""
    try:
        with SiteLock(project.output):
            return _build(project, options or BuildOptions())
    finally:
        gc.unfreeze()


def _build(project: Project, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    lap = _stopwatch(timings)
    cache = build_cache.BuildCache(project) if options.cache else None
    paths, scanned = scan(project.merchants_dir, project.root)
    stats = build_cache.stat_all([(p, display_path(p, project.root)) for p in paths]) if cache else {}
    if cache is not None:
        digest = build_cache.scan_digest(stats, scanned)
        stamped = cache.unchanged(project, options.stages, digest)
        if stamped is not None:  # nothing changed since the last build: its site is up to date
            last, stamp = stamped
            warnings = build_cache.unpack_problems(stamp.warnings)
            _stop_on_errors(warnings, options)
            lap("cache")
            return BuildResult(stamp.merchants, *last.totals, warnings, time.perf_counter() - started, True, timings)
    state = cache.load() if cache else None
    # The cache's millions of objects live until the end of the build: out of the garbage collector's
    # sight, which would otherwise walk them all again and again (a third of an incremental build).
    gc.freeze()
    if state is not None and state.validation_salt != build_cache.validation_salt(project):
        state = None
    known = build_cache.known_entries(state, stats)
    in_place = state is not None and incremental.can_update(project, state, stats, known, options.stages)
    lap("cache")
    unchanged = in_place and len(known) == len(stats)
    gazetteer = None if unchanged else load_gazetteer()  # only needed to check and locate changed files
    catalog, report = check(project, paths, gazetteer=gazetteer, known=known)
    report.problems = sorted(report.problems + scanned)  # special files, unreadable folders…: errors
    lap("validate")
    to_locate = (
        Report(entries=[e for e in report.entries if e.path not in known], markets=report.markets)
        if in_place
        else report
    )
    locations, located = (
        ({}, [])
        if report.errors or gazetteer is None
        else locate(project, to_locate, gazetteer, options.offline, options.progress, prune=not in_place)
    )
    lap("locate")
    if in_place:
        assert cache is not None and state is not None
        same = incremental.unchanged_site(state, report, stats, known)
        if same is not None:  # nothing to do: the site is the one the cache describes
            pages, files, problems = same
            _stop_on_errors(problems, options)
            return BuildResult(
                len(state.pages),
                pages,
                files,
                [p for p in problems if not p.is_error],
                time.perf_counter() - started,
                True,
                timings,
            )
        _stop_on_errors(report.problems + located, options)  # the stored merchants' problems are only warnings
        update = incremental.Update(project, catalog, state, report, locations, located)
        problems = update.problems
        _stop_on_errors(problems, options)
        cache.stamp = build_cache.Stamp(
            digest, len(update.listings), build_cache.pack_problems([p for p in problems if not p.is_error])
        )
        lap("plan")
        pages, files = update.run(cache, stats, options.stages, lap)
        return BuildResult(
            len(update.listings),
            pages,
            files,
            [p for p in problems if not p.is_error],
            time.perf_counter() - started,
            True,
            timings,
        )
    problems = report.problems + located
    _stop_on_errors(problems, options)

    stages = options.stages
    listings = make_listings(report.entries, locations, catalog, report.markets)
    context = BuildContext(project, catalog, listings)
    renderer = Renderer(project, catalog)
    renderer.merchant_files = stage_merchant_files(stages)
    result = BuildResult(merchants=len(listings), warnings=[p for p in problems if not p.is_error])
    output = project.output
    staging = new_generation(output)
    try:
        assets = copy_assets(project, staging)
        ran: list[tuple[Memos, int, set[str]]] = []
        validated: list[build_cache.BuildState] = []

        def run_the_stages() -> None:  # and, with the cache, the merchant files' records
            ran.append(run_stages(stages, context, staging, lap=lap))
            if cache is not None:
                validated.append(incremental.validated(project, report, stats, stages))
            lap("cache")

        if len(listings) < build_output.PARALLEL_FROM:
            written = write_pages(renderer.render_all(listings, stage_pages(stages)), staging)
            harvests = [renderer.harvest()]
            lap("render")
            run_the_stages()
        else:  # on every core; the stages run in this process meanwhile (they write other files)
            jobs = renderer.pages(SiteIndex(listings, project.settings.neighbour_km), stage_pages(stages))
            harvests = render_pages(jobs, staging, options.progress, renderer.harvest, meanwhile=run_the_stages)
            written = list(jobs)
            lap("render")  # what rendering took beyond the stages
        result.files += len(written)
        result.pages += sum(path.endswith(".html") for path in written)
        ((memos, written_by_stages, _),) = ran
        stage_files = _new_files(staging, {*written, *assets}) if cache else []  # what an update may replace
        result.files += len(assets) + (len(stage_files) if cache else written_by_stages)
        swap_in(staging, output, lambda old: remove(old, background=result.files >= BACKGROUND_FROM))
        lap("swap")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if cache is not None:
        cache.stamp = build_cache.Stamp(digest, result.merchants, build_cache.pack_problems(result.warnings))
        incremental.remember(
            cache,
            project,
            validated[0],
            listings,
            locations,
            located,
            harvests,
            len(assets) + len(stage_files),
            stage_files,
            memos,
            (result.pages, result.files),
        )
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


def _stop_on_errors(problems: list[Problem], options: BuildOptions) -> None:
    errors = [p for p in problems if p.is_error or (options.strict and p.severity is Severity.WARNING)]
    if errors:
        raise ContentError(
            problems, f"{len(errors)} erreur(s) : le site n'a pas été construit (le site précédent est intact)."
        )


def _new_files(root: Path, written: set[str]) -> list[str]:
    """Files under `root` other than `written`: those of the stages."""
    found = []
    for folder, _, names in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        for name in names:
            path = name if rel == "." else f"{rel}/{name}"
            if path not in written:
                found.append(path)
    return sorted(found)
