"""Build stage: `site/plateformes.json`, the local platforms and the places they cover, for the search page's
« Aussi sur : … » (pages render theirs from `content.platforms` directly)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.platforms import load_platforms
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.geo.gazetteer import load_gazetteer
from ccdir.site.render import dumps

FILE = "plateformes.json"


def platforms_json(project: Project, catalog: CategoryCatalog) -> str:
    platforms, _ = load_platforms(project, catalog, load_gazetteer())
    return dumps([{"name": p.name, "url": p.url, "kind": p.kind_label,
                   "communes": sorted(f"{name}|{dept}" for name, dept in p.commune_names),
                   "departements": sorted(p.departements), "categories": list(p.categories)}
                  for p in platforms])


class LocalPlatformsStage:
    """Build stage (`ccdir.build.stages.STAGES`): `plateformes.json`."""

    name = "platforms"
    pages: tuple[str, ...] = ()
    merchant_files: Mapping[str, MerchantFile] = {}
    memo = False

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        (folder / FILE).write_text(platforms_json(context.project, context.catalog), encoding="utf-8")
        return 1
