"""The build: gather and check everything, then write the site into a temporary folder and swap it in.

Phase 1 loads, validates and locates every merchant (nothing is written if anything is wrong).
Phase 2 renders every page into `site.tmp-*` beside the output folder; only a complete site replaces
the previous one, so a failed build never leaves a half-written site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ccdir.categories import CatalogError, CategoryCatalog, load_catalog
from ccdir.config import Project
from ccdir.gazetteer import Gazetteer
from ccdir.problems import ContentError, Problem, Severity
from ccdir.validate import Report, merchant_files, validate_tree

Progress = Callable[[str, int, int], None]


@dataclass
class BuildOptions:
    offline: bool = True
    strict: bool = False
    progress: Progress | None = None


@dataclass
class BuildResult:
    merchants: int = 0
    pages: int = 0
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def load_categories(project: Project) -> CategoryCatalog:
    display = project.categories_file.relative_to(project.root).as_posix()
    try:
        return load_catalog(project.categories_file)
    except CatalogError as exc:
        raise ContentError([Problem(display, exc.line, exc.col, exc.message)]) from None


def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer of French communes (loaded once per process)."""
    return Gazetteer.load()


def check(project: Project, paths: list[Path] | None = None, gazetteer: Any = None) -> tuple[CategoryCatalog, Report]:
    """Validate `paths` (default: every merchant file) against the catalogue and the gazetteer."""
    catalog = load_categories(project)
    files = paths if paths is not None else merchant_files(project.merchants_dir)
    report = validate_tree(files, catalog, base=project.root, gazetteer=gazetteer)
    return catalog, report


def locate(project: Project, report: Report, gazetteer: Gazetteer, options: BuildOptions, refresh: bool = False,
           summary: Callable[[str], None] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Geocoding stage: a position for every merchant (file, cache, address API, commune).

    Every merchant must be located in one run: saving the cache prunes the entries no merchant used.
    """
    from ccdir.geocode import Geocoder

    geocoder = Geocoder(gazetteer, project.geocache_file, offline=options.offline,
                        base_url=project.settings.geocoder_url, refresh=refresh)
    locations, problems = geocoder.locate_all(
        ((e.slug, e.path, e.merchant.address, e.position("address")) for e in report.entries),
        progress=options.progress)
    geocoder.save_cache()
    if summary is not None:
        summary(geocoder.summary())
    return locations, problems


def build(project: Project, options: BuildOptions | None = None) -> BuildResult:
    """Build the whole site into `project.output`; raises ContentError on any content error."""
    options = options or BuildOptions()
    started = time.perf_counter()
    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    locations, located = locate(project, report, gazetteer, options) if not report.errors else ({}, [])
    problems = report.problems + located
    errors = [p for p in problems if p.is_error or (options.strict and p.severity is Severity.WARNING)]
    if errors:
        raise ContentError(problems, f"{len(errors)} erreur(s) : le site n'a pas été construit "
                                     "(le site précédent est intact).")

    from ccdir.render import Renderer, copy_assets, make_listings

    listings = make_listings(report.entries, locations, catalog)
    renderer = Renderer(project, catalog)
    result = BuildResult(merchants=len(listings), warnings=[p for p in problems if not p.is_error])
    output = project.output
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=output.name + ".tmp-", dir=output.parent))
    try:
        total = len(listings)
        for path, content in renderer.render_all(listings):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            result.files += 1
            if path.endswith(".html"):
                result.pages += 1
            if options.progress and path.startswith("commercants/"):
                options.progress("pages", result.pages, total)
        result.files += copy_assets(project, staging)
        for stage in extra_stages:
            result.files += stage(project, staging, listings, locations, catalog)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


# Later stages (search index, open data…) register here: f(project, staging_dir, listings, locations, catalog) -> files written
extra_stages: list[Callable[..., int]] = []


def _registration(*args: Any) -> int:
    from ccdir.inscription import registration_stage  # the form page, its JSON Schema, each entry's data

    return registration_stage(*args)


extra_stages.append(_registration)


def _search_stage(*args: Any) -> int:
    from ccdir.search_index import write_search

    return write_search(*args)


extra_stages.append(_search_stage)


def _swap(staging: Path, output: Path) -> None:
    """Replace `output` with `staging` with two renames, so readers never see a partial site."""
    os.chmod(staging, 0o755)
    if output.exists():
        old = output.with_name(f"{output.name}.old-{os.getpid()}")
        os.replace(output, old)
        os.replace(staging, output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, output)


def _lazy_stage(module: str, name: str = "stage") -> Callable[..., int]:
    def run(*args: Any) -> int:
        import importlib

        return getattr(importlib.import_module(module), name)(*args)

    run.__name__ = f"{module}.{name}"
    return run


extra_stages.append(_lazy_stage("ccdir.opendata"))  # site/donnees/: CSV, GeoJSON, JSON, datapackage.json
extra_stages.append(_lazy_stage("ccdir.stats"))  # site/statistiques/
