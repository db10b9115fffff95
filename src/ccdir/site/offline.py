"""Build stage: installable and offline. The web app manifest, the service worker (`sw.js`, at the root so
that it controls every page), the favourites page (/favoris/) and the page shown offline for a page never
visited (/hors-ligne/). Icons are in `templates/assets/icons/` (scripts/make_icons.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.site import sitepages

# The cache's name: change it when the worker's rules change (network first keeps the files themselves fresh).
CACHE_VERSION = "1"
# Kept at install: enough to open the site, the search and the favourites without a connection.
SHELL = ("", "recherche/", "favoris/", "hors-ligne/", "manifest.webmanifest", "assets/style.css",
         "assets/extras/offline.js", "assets/extras/favoris.js", "assets/icons/favicon.svg",
         "assets/search/search.css", "assets/search/search.js", "assets/search/engine.js",
         "assets/search/form.js", "assets/search/frenchtext.js", "assets/search/places.js",
         "assets/search/results.js", "assets/extras/platforms.js", "plateformes.json", "assets/i18n.js",
         "en/", "en/recherche/", "en/favoris/", "en/hors-ligne/")


def manifest(project: Project) -> str:
    base = project.settings.base_path
    return json.dumps({
        "name": project.settings.title, "short_name": "Click & collect", "lang": "fr", "dir": "ltr",
        "description": project.settings.tagline, "start_url": base, "scope": base, "display": "standalone",
        "background_color": "#ffffff", "theme_color": "#0b5fa5",
        "icons": [{"src": f"{base}assets/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png",
                   "purpose": "any maskable"} for size in (192, 512)]
                 + [{"src": f"{base}assets/icons/favicon.svg", "sizes": "any", "type": "image/svg+xml"}],
    }, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class OfflineStage:
    """Build stage (`ccdir.build.stages.STAGES`, last: the worker lists files of the others)."""

    name = "offline"
    pages = ("favoris/", "hors-ligne/", "en/favoris/", "en/hors-ligne/")
    merchant_files: Mapping[str, MerchantFile] = {}
    memo = False

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        return write_offline(context.project, folder, context.catalog)


def write_offline(project: Project, staging: Path, catalog: CategoryCatalog) -> int:
    renderer = sitepages.renderer(project, catalog)
    base = project.settings.base_path
    shell = [base + path for path in SHELL]
    (staging / "manifest.webmanifest").write_text(manifest(project), encoding="utf-8")
    (staging / "sw.js").write_text(renderer.page("sw.js", shell=shell, version=CACHE_VERSION), encoding="utf-8")
    english = renderer.translated("en")  # the same pages under /en/ (ccdir.site.i18n)
    pages = {}
    for path, template in (("favoris/", "favoris.html"), ("hors-ligne/", "offline.html")):
        pages[path] = renderer.page(template, here=path)
        pages["en/" + path] = english.page(template, here=path)
    return 2 + sitepages.publish(project, catalog, staging, pages)
