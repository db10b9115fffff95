"""Link checker over a built site: every internal `href`/`src` resolves to a published file and every
`#fragment` names an element of its page. External links are not followed (the build is offline).

`check_site(site_dir, base_url)` returns `Problem`s (`page:line: message`, in French); `ccdir check-links`
prints them.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from ccdir.core.problems import Problem

LINK_ATTRIBUTES = {"href", "src", "action", "poster", "data-src"}
SKIPPED_SCHEMES = ("mailto:", "tel:", "sms:", "data:", "geo:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append((self.getpos()[0], value))
            elif name == "srcset":
                line = self.getpos()[0]
                self.links.extend((line, part.strip().split(" ")[0]) for part in value.split(",") if part.strip())

    handle_startendtag = handle_starttag


def check_site(site: Path, base_url: str = "/") -> list[Problem]:
    """Broken internal links and assets of every HTML page (plus the `<loc>`s of sitemap.xml).

    Works on paths only (one walk of the folder, one parse of each page): fast on tens of thousands of pages.
    """
    site = Path(site)
    parts = urlsplit(base_url)
    base_path = parts.path or "/"
    base_origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    pages: dict[str, _Collector] = {}
    for rel in sorted(f for f in files if f.endswith(".html")):
        collector = _Collector()
        collector.feed((site / rel).read_text(encoding="utf-8", errors="replace"))
        collector.close()
        pages[rel] = collector
    items = [(rel, line, link) for rel, c in pages.items() for line, link in c.links]
    if "sitemap.xml" in files:
        for number, line in enumerate((site / "sitemap.xml").read_text(encoding="utf-8").splitlines(), 1):
            if "<loc>" in line:
                items.append(("sitemap.xml", number, line.split("<loc>", 1)[1].split("</loc>", 1)[0]))
    checker = _Checker(files, pages, base_path, base_origin)
    problems = [Problem(rel, line, 0, message) for rel, line, link in items
                if (message := checker.check(rel, link)) is not None]
    return sorted(problems)


class _Checker:
    def __init__(self, files: set[str], pages: dict[str, _Collector], base_path: str, base_origin: str):
        self.files, self.pages, self.base_path, self.base_origin = files, pages, base_path, base_origin

    def target(self, url_path: str) -> str | None:
        """The published file a static host serves for `url_path` (relative to the site root), or None."""
        rel = unquote(url_path)
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in self.files:
            return rel
        return rel + "/index.html" if rel + "/index.html" in self.files else None

    def check(self, page: str, link: str) -> str | None:
        link = link.strip()
        if not link or link.lower().startswith(SKIPPED_SCHEMES):
            return None
        local = link
        if self.base_origin and link.startswith(self.base_origin + "/"):
            local = link[len(self.base_origin):]
        elif urlsplit(link).scheme or link.startswith("//"):
            return None  # another site: not followed
        url, fragment = urldefrag(local)
        path = urlsplit(url).path
        if path == "":
            target: str | None = page
        else:
            absolute = path if path.startswith("/") else posixpath.join(posixpath.dirname(self.base_path + page), path)
            normal = posixpath.normpath(absolute)
            if absolute.endswith("/") and normal != "/":
                normal += "/"
            if not (normal + "/").startswith(self.base_path) and normal != self.base_path.rstrip("/"):
                return f"lien « {link} » hors du site (le site est publié sous {self.base_path})"
            target = self.target(normal[len(self.base_path):] if normal.startswith(self.base_path) else "")
            if target is None:
                return f"lien cassé « {link} » : aucune page ni fichier publié à cette adresse"
        if fragment and target in self.pages and unquote(fragment) not in self.pages[target].ids:
            return f"ancre cassée « {link} » : aucun élément id=\"{unquote(fragment)}\" dans la page visée"
        return None
