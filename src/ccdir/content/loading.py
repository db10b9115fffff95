"""Load a project's content for any consumer: the catalogue, every merchant checked, every merchant located.

The build, the bot, the importers, the exports and the statistics all start here, so each of them sees
the same merchants with the same problems.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ccdir.content.categories import CatalogError, CategoryCatalog, load_catalog
from ccdir.content.config import Project
from ccdir.content.lexicon import load_lexicon
from ccdir.content.outlets import check_markets, locate_points
from ccdir.content.platforms import load_platforms, merchant_problems
from ccdir.content.scan import scan
from ccdir.content.validate import Report, validate_tree
from ccdir.core.problems import ContentError, Problem
from ccdir.geo.gazetteer import Gazetteer, load_gazetteer
from ccdir.geo.geocode import Location

Progress = Callable[[str, int, int], None]

__all__ = ["check", "load_categories", "load_gazetteer", "locate"]


def load_categories(project: Project) -> CategoryCatalog:
    """The catalogue of `categories.yaml` with the everyday vocabulary of `lexique.yaml` and its English words
    `lexique.en.yaml` (when present)."""
    path = project.categories_file
    try:
        catalog = load_catalog(path)
        path = project.lexicon_file
        catalog.lexicon = load_lexicon(path, catalog)
        path = project.lexicon_en_file
        catalog.lexicon_en = load_lexicon(path, catalog, english=True)
        return catalog
    except CatalogError as exc:
        display = path.relative_to(project.root).as_posix()
        raise ContentError([Problem(display, exc.line, exc.col, exc.message)]) from None


def check(
    project: Project,
    paths: list[Path] | None = None,
    gazetteer: Gazetteer | None = None,
    known: dict[str, Any] | None = None,
) -> tuple[CategoryCatalog, Report]:
    """Validate `paths` (default: every merchant file, and what the scan of the folder could not take:
    `ccdir.content.scan.scan`) against the catalogue and the gazetteer.

    `known`: cached results of unchanged files (see `validate_tree`).
    """
    scanned: list[Problem] = []
    if paths is None:
        paths, scanned = scan(project.merchants_dir, project.root)
    files = paths
    try:
        catalog = load_categories(project)
    except ContentError as exc:
        # The merchant files are checked all the same, their categories aside: one run shows every problem.
        report = validate_tree(files, None, base=project.root, gazetteer=gazetteer)
        raise ContentError(exc.problems + sorted(report.problems + scanned)) from None
    report = validate_tree(files, catalog, base=project.root, gazetteer=gazetteer, known=known)
    platforms, problems = load_platforms(project, catalog, gazetteer)
    report.problems = sorted(report.problems + scanned + problems + merchant_problems(report.entries, platforms))
    check_markets(project, report, gazetteer)
    return catalog, report


def locate(
    project: Project,
    report: Report,
    gazetteer: Gazetteer,
    offline: bool = True,
    progress: Progress | None = None,
    refresh: bool = False,
    summary: Callable[[str], None] | None = None,
    prune: bool = True,
) -> tuple[dict[str, Location], list[Problem]]:
    """Geocoding stage: a position for every merchant (file, cache, address API, commune).

    With `prune`, every merchant must be located in one run: saving the cache drops the entries no
    merchant used (an incremental build locates only the changed merchants, and does not prune).
    """
    from ccdir.geo.geocode import Geocoder

    geocoder = Geocoder(
        gazetteer, project.geocache_file, offline=offline, base_url=project.settings.geocoder_url, refresh=refresh
    )
    locations, problems = geocoder.locate_all(
        ((e.slug, e.path, e.merchant.address, e.position("address")) for e in report.entries), progress=progress
    )
    problems += locate_points(geocoder, report, locations)
    geocoder.save_cache(prune=prune)
    if summary is not None:
        summary(geocoder.summary())
    return locations, problems
