"""Shared helpers and session fixtures for the hardening tests (hostile corpus, browser, links, a11y).

`conftest.py` imports the fixtures so that every test module shares one nasty site, one local HTTP
server and one Chromium per session (per xdist worker).
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import chromium as open_chromium
from browser_support import search_results

from ccdir.build.pipeline import BuildOptions, BuildResult, build
from ccdir.content.config import Project
from ccdir.content.validate import Report, validate_tree
from ccdir.core.problems import Problem
from ccdir.geo.geocode import Geocoder

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
HOSTILE = TESTS / "hostile"

# The demo site's settings plus a tile server and a bot, so that the CSP carries other origins.
NASTY_SITE_YAML = """\
title: Annuaire <script>alert("titre")</script>
publisher: Chambre "d'essai" & <b>Cie</b>
contact_email: commerces@example.org
base_url: http://127.0.0.1:8000/
tile_url: https://tiles.example.org/{z}/{x}/{y}.png
neighbour_km: 10
"""


def hostile_cases() -> list[Path]:
    """Every case file of the corpus (dot-files included: they are cases too)."""
    return sorted(p for p in HOSTILE.iterdir() if p.suffix == ".yaml")


def safe_cases() -> list[Path]:
    return [p for p in hostile_cases() if p.with_suffix(".safe").exists()]


def format_outcome(problem: Problem) -> str:
    label = "" if problem.is_error else "avertissement: "
    return f"{problem.line}:{problem.col}: {label}{problem.message}"


def outcome(path: Path, catalog, gazetteer) -> tuple[Report, list[str]]:
    """What `ccdir build` says about one file: validation, then (when valid) offline geocoding."""
    report = validate_tree([path], catalog, gazetteer=gazetteer)
    problems = list(report.problems)
    if not report.errors:
        geocoder = Geocoder(gazetteer, None, offline=True)
        _, located = geocoder.locate_all(
            (e.slug, e.path, e.merchant.address, e.position("address")) for e in report.entries
        )
        problems += located
    return report, [format_outcome(p) for p in problems]


def read_expected(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_nasty_project(root: Path) -> Project:
    """A project whose merchants are the corpus's valid cases (plus a few demo merchants as neighbours)."""
    content = root / "content"
    merchants = content / "merchants"
    merchants.mkdir(parents=True)
    shutil.copy(REPO / "content" / "categories.yaml", content / "categories.yaml")
    (content / "site.yaml").write_text(NASTY_SITE_YAML, encoding="utf-8")
    for case in safe_cases():
        shutil.copy(case, merchants / case.name)
    return Project.load(root)


@dataclass
class NastySite:
    project: Project
    result: BuildResult

    @property
    def root(self) -> Path:
        return self.project.output

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))


@pytest.fixture(scope="session")
def nasty_site(tmp_path_factory) -> NastySite:
    """The valid-but-nasty corpus built once into a site (offline)."""
    project = make_nasty_project(tmp_path_factory.mktemp("nasty"))
    result = build(project, BuildOptions(offline=True))
    return NastySite(project, result)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve_dir(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (free port); yields the base URL ending with '/'."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- what a page may contain ----------------------------------------------------------------------------------

# Elements user text could smuggle in if escaping failed; the templates never emit them. (<details> is no
# longer among them: the form and the search filters fold sections with it; a smuggled one would still be
# caught by its event handler — ontoggle — and by the markup cases reading back exactly as typed.)
FOREIGN_TAGS = {
    "img",
    "svg",
    "iframe",
    "frame",
    "object",
    "embed",
    "style",
    "b",
    "base",
    "math",
    "video",
    "audio",
    "source",
    "marquee",
}
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "sms:")


class PageParser(HTMLParser):
    """Collects elements, attributes, script blocks and the text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._buffer: list[str] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script":
            self._script, self._buffer = attributes, []
        if tag in ("h1", "title"):
            self._open.append(tag)
            self.text.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buffer)))
            self._script = None
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if self._script is not None:
            self._buffer.append(data)
        for tag in self._open:
            self.text[tag][-1] += data


def parse_page(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def audit_html(html: str) -> list[str]:
    """Everything in a page that escaping should have prevented, or that the CSP forbids."""
    page = parse_page(html)
    problems = []
    for tag, attrs in page.elements:
        if tag in FOREIGN_TAGS:
            problems.append(f"<{tag}> element")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                problems.append(f"style= attribute on <{tag}>")
            if name in ("href", "src", "action", "formaction", "srcset", "data") and value:
                scheme = value.strip().lower()
                if ":" in scheme.split("/", 1)[0] and not scheme.startswith(SAFE_SCHEMES):
                    problems.append(f"{name}={value[:40]!r} on <{tag}>")
        if tag == "meta" and attrs.get("http-equiv") and attrs["http-equiv"].lower() != "content-security-policy":
            problems.append(f"<meta http-equiv={attrs['http-equiv']}>")
    for attrs, body in page.scripts:
        if attrs.get("type") in ("application/ld+json", "application/json"):  # data blocks, never run
            try:
                json.loads(body)
            except ValueError:
                problems.append("JSON data block that is not JSON (broken out of?)")
        elif not attrs.get("src"):
            problems.append("inline <script>")
    return problems


# --- the browser -------------------------------------------------------------------------------------------------

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium (Debian's) per test module: while open, Playwright's sync API keeps an asyncio loop
    running on the thread, which would break `asyncio.run` in the other tests of the same worker."""
    with open_chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def nasty_url(nasty_site) -> Iterator[str]:
    """The nasty site served on 127.0.0.1."""
    with serve_dir(nasty_site.root) as url:
        yield url


def _png() -> bytes:
    """A 1×1 transparent PNG: what the fake tile server answers."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(4)))
        + chunk(b"IEND", b"")
    )


PNG = _png()


class Watch:
    """Records what a page must never do: open a dialog, log an error, throw, or reach another host.

    Requests to `fake_hosts` (the configured tile server) get a blank image instead of the network."""

    def __init__(self, context, fake_hosts: tuple[str, ...] = ()) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.faked: list[str] = []
        self.fake_hosts = fake_hosts
        context.route("**/*", self._route)
        context.on("page", self.attach)

    def _route(self, route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname
        if host in LOCAL_HOSTS:
            route.continue_()
        elif host in self.fake_hosts:
            self.faked.append(url)
            route.fulfill(status=200, content_type="image/png", body=PNG)
        else:
            self.foreign.append(url)
            route.abort()

    def attach(self, page) -> None:
        page.on("dialog", self._dialog)
        page.on("console", lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"exception: {exc}"))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def clean(self) -> dict[str, list[str]]:
        """Empty lists when nothing happened (compare with `{}`)."""
        return {k: v for k, v in (("dialogs", self.dialogs), ("errors", self.errors), ("foreign", self.foreign)) if v}


@contextlib.contextmanager
def watched_page(browser, fake_hosts: tuple[str, ...] = (), **context_options):
    """A fresh context and page with a Watch attached; yields (page, watch)."""
    context = browser.new_context(locale="fr-FR", **context_options)
    watch = Watch(context, fake_hosts)
    page = context.new_page()
    try:
        yield page, watch
    finally:
        context.close()


@pytest.fixture(scope="session")
def demo_url(demo_site) -> Iterator[str]:
    """The demo site served on 127.0.0.1."""
    with serve_dir(demo_site) as url:
        yield url


def wait_for_search(page) -> list[str]:
    """After a search page loads: wait until its script has answered; the slugs of the results shown
    (empty when the site has no search script)."""
    if page.locator("#resultats").count() == 0 or page.locator("script[src*='search']").count() == 0:
        return []
    return search_results(page)


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core in `page` (its context must bypass the CSP to inject it); one line per violation."""
    if not AXE.exists():
        pytest.skip("axe-core absent : lancez « npm ci »")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} — {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]
