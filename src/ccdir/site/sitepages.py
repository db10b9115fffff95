"""Pages added by later build stages (open data, statistics), rendered with the site's templates and
written into the staged site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project


def renderer(project: Project, catalog: CategoryCatalog) -> Any:
    """The site's renderer (a project's own `templates/` override ccdir's file by file)."""
    from ccdir.site.render import Renderer

    return Renderer(project, catalog)


def publish(project: Project, catalog: CategoryCatalog, staging: Path, pages: dict[str, str]) -> int:
    """Write `{folder path ("statistiques/"): html}` as `<folder>/index.html`; returns the number of files
    written. (The sitemap lists them: each stage declares its `pages`, see `ccdir.content.stage.Stage`.)"""
    for path, html in pages.items():
        target = staging / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(pages)
