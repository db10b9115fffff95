"""Pages added by later build stages (open data, statistics): written into the staged site and listed in
`sitemap.xml` beside the pages the renderer made."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from ccdir.categories import CategoryCatalog
from ccdir.config import Project


def renderer(project: Project, catalog: CategoryCatalog) -> Any:
    """The site's renderer; templates missing from a project's own `templates/` come from ccdir's."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from ccdir.config import default_root
    from ccdir.render import Renderer

    r = Renderer(project, catalog)
    r.env.loader = ChoiceLoader([r.env.loader, FileSystemLoader(str(default_root() / "templates"))])
    return r


def publish(project: Project, catalog: CategoryCatalog, staging: Path, pages: dict[str, str]) -> int:
    """Write `{folder path ("statistiques/"): html}` as `<folder>/index.html`, add them to the sitemap;
    returns the number of files written."""
    for path, html in pages.items():
        target = staging / path / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    sitemap = staging / "sitemap.xml"
    if sitemap.exists():
        base = project.settings.base_url
        listed = {unescape(loc)[len(base):] for loc in re.findall(r"<loc>(.*?)</loc>", sitemap.read_text(encoding="utf-8"))
                  if unescape(loc).startswith(base)}
        listed.update(pages)
        sitemap.write_text(renderer(project, catalog).page("sitemap.xml", pages=sorted(listed)), encoding="utf-8")
    return len(pages)
