"""The build stages after the pages, in the order they run, and how they are run.

Every stage receives the same `BuildContext` (one resolved `Listing` per merchant) and writes its files
into the staged site; see `ccdir.content.stage.Stage` for what a stage declares. To add a stage, write a
class with those attributes in the package of its area and list an instance here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ccdir.content.stage import BuildContext, MerchantFile, Stage, StageMemo
from ccdir.intake.inscription import RegistrationStage
from ccdir.search.index import SearchStage
from ccdir.site.localplatforms import LocalPlatformsStage
from ccdir.site.offline import OfflineStage
from ccdir.site.opendata import OpenDataStage
from ccdir.site.stats import StatisticsStage
from ccdir.site.widget import WidgetStage

STAGES: tuple[Stage, ...] = (
    RegistrationStage(),  # inscription/, schema/merchant.json, the commune lists; fiche.json beside each page
    SearchStage(),  # search/ and assets/vendor/
    OpenDataStage(),  # donnees/: CSV, GeoJSON, JSON, datapackage.json and their page
    StatisticsStage(),  # statistiques/
    LocalPlatformsStage(),  # plateformes.json: « Aussi sur » in search results
    WidgetStage(),  # widget/: the town-hall widget and its snippet page
    OfflineStage(),  # manifest.webmanifest, sw.js, favoris/, hors-ligne/ (last: the worker lists the others' files)
)

Memos = dict[str, dict[str, Any]]  # by stage name: `StageMemo.kept()`


def stage_pages(stages: Sequence[Stage]) -> list[str]:
    """The folders of pages the stages add (« donnees/ »), for the sitemap."""
    return [page for stage in stages for page in stage.pages]


def stage_merchant_files(stages: Sequence[Stage]) -> dict[str, MerchantFile]:
    """The files the stages publish beside each merchant's page, rendered with the pages."""
    return {name: make for stage in stages for name, make in stage.merchant_files.items()}


def run_stages(
    stages: Sequence[Stage],
    context: BuildContext,
    folder: Path,
    memos: Memos | None = None,
    lap: Callable[[str], None] | None = None,
) -> tuple[Memos, int, set[str]]:
    """Run the stages into `folder`; returns their memos (`StageMemo.kept()`) for the next build, how many
    files they published and, of those, which they did not write because the site has them already.

    In an incremental build (`context.changed` set), a stage marked `memo` reuses the values `memos`
    holds for the merchants that did not change.
    """
    kept: Memos = {}
    files = 0
    unchanged: set[str] = set()
    for stage in stages:
        previous = (memos or {}).get(stage.name) if stage.memo and context.changed is not None else None
        memo = StageMemo(previous, context.changed or frozenset())
        files += stage.run(context, folder, memo)
        if stage.memo:
            kept[stage.name] = memo.kept()
            unchanged |= memo.unchanged
        if lap is not None:
            lap(f"stage {stage.name}")
    return kept, files, unchanged
