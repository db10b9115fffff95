"""Shared fixtures: scratch projects in tmp_path and the demo site built once per session."""

from __future__ import annotations

import functools
import inspect
import shutil
from pathlib import Path

import pytest
from hardening import chromium, demo_url, nasty_site, nasty_url  # noqa: F401  (session fixtures: hostile site, browser)

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.config import Project

REPO = Path(__file__).resolve().parents[1]
CASES = Path(__file__).resolve().parent / "cases"


def make_project(root: Path, merchants: dict[str, str] | None = None, site_yaml: str | None = None) -> Project:
    """A scratch project: the real category catalogue plus the given `{relative path: yaml text}` merchants."""
    content = root / "content"
    (content / "merchants").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content" / "categories.yaml", content / "categories.yaml")
    if site_yaml is not None:
        (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
    for rel, text in (merchants or {}).items():
        path = content / "merchants" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Project.load(root)


@pytest.fixture
def valid_yaml() -> str:
    return (CASES / "valid" / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def catalog():
    """The project's category catalogue (content/categories.yaml)."""
    from ccdir.content.categories import load_catalog

    return load_catalog(REPO / "content" / "categories.yaml")


@pytest.fixture(scope="session")
def gazetteer():
    """The shipped gazetteer of French communes."""
    from ccdir.geo.gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The bundled demo content, built once (offline) into a temporary folder."""
    out = tmp_path_factory.mktemp("demo") / "site"
    project = Project.load(REPO, output=out)
    build(project, BuildOptions(offline=True))
    return out


BROWSER_FIXTURES = {"chromium", "demo_url", "nasty_url", "browser", "page", "search_site", "served"}


# Fixtures that build a whole site (the demo, the hostile corpus, the search index's small-budget demo): each
# xdist worker builds it once, seconds on 2 cores, so the tests using them are `slow` too.
SITE_FIXTURES = {"demo_site", "nasty_site", "index_site", "relevance_site"}

# A test that opens Chromium itself (rather than through a fixture) calls one of these.
BROWSER_CALLS = ("chromium(", "local_page(", "watched_page(", "sync_playwright(")


@functools.cache
def _opens_chromium(function) -> bool:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return any(call in source for call in BROWSER_CALLS)


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs Chromium as `browser` (by its fixtures, its module's name, or a direct call
    that opens the browser) and every test that needs a whole site built as `slow`: `make test-fast` leaves
    both out."""
    for item in items:
        if (
            BROWSER_FIXTURES & set(getattr(item, "fixturenames", ()))
            or "browser" in item.module.__name__
            or _opens_chromium(getattr(item, "function", None))
        ):
            item.add_marker(pytest.mark.browser)
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
