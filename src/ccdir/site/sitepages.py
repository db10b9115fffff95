"""Pages added by later build stages (open data, statistics), rendered with the site's templates and
written into the staged site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project


def renderer(project: Project, catalog: CategoryCatalog) -> Any:
    """The site's renderer; templates missing from a project's own `templates/` come from ccdir's."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from ccdir.content.config import default_root
    from ccdir.site.render import Renderer

    r = Renderer(project, catalog)
    r.env.loader = ChoiceLoader([r.env.loader, FileSystemLoader(str(default_root() / "templates"))])
    return r


def publish(project: Project, catalog: CategoryCatalog, staging: Path, pages: dict[str, str]) -> int:
    """Write `{folder path ("statistiques/"): html}` as `<folder>/index.html`; returns the number of files
    written. (The sitemap lists them: each stage declares its `pages`, see `ccdir.content.stage.Stage`.)"""
    for path, html in pages.items():
        target = staging / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    return len(pages)
