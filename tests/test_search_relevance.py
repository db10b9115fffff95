"""Relevance set: queries as residents type them (tests/relevance/queries.yaml), run in Chromium on the
demo site plus synthetic merchants (tests/relevance/merchants.yaml). At least 97 % must find their
merchant, and none may show an empty list: every query has a match somewhere in the directory."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from browser_support import chromium, local_page, search_results
from search_support import REPO

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.config import Project
from ccdir.search import index as search_index

HERE = Path(__file__).resolve().parent / "relevance"
PASS_RATE = 0.97


def merchant_yaml(name, kind, cats, postcode, city, products, description) -> str:
    return yaml.safe_dump(
        {
            "name": name,
            "kind": kind,
            "categories": cats,
            "description": description,
            "address": {"postcode": postcode, "city": city},
            "contact": {"phone": "02 38 12 34 56"},
            "click_and_collect": {"order": ["phone"], "pickup": "Retrait en boutique."},
            "opening_hours": "Mo-Sa 09:00-19:00",
            "products": [{"name": p.strip()} for p in products.split(";")],
            "updated": "2024-01-15",
        },
        allow_unicode=True,
        sort_keys=False,
    )


@pytest.fixture(scope="module")
def relevance_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("relevance")
    shutil.copytree(REPO / "content", root / "content")
    folder = root / "content" / "merchants" / "99-relevance"
    folder.mkdir()
    for slug, fields in yaml.safe_load((HERE / "merchants.yaml").read_text(encoding="utf-8")).items():
        (folder / f"{slug}.yaml").write_text(merchant_yaml(*fields), encoding="utf-8")
    project = Project.load(root, output=root / "site")
    saved = search_index.LIMITS
    search_index.LIMITS = search_index.Limits(shard=1500, category=400, terms=1500)  # many cells and chunks
    try:
        build(project, BuildOptions(offline=True, strict=False))
    finally:
        search_index.LIMITS = saved
    return project.output


@pytest.fixture(scope="module")
def relevance_server(relevance_site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(relevance_site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def queries() -> list[tuple[str, str, str, int]]:
    rows = yaml.safe_load((HERE / "queries.yaml").read_text(encoding="utf-8"))
    return [(str(q), str(ou), want, int(top[0]) if top else 10) for q, ou, want, *top in rows]


def test_the_set_is_at_least_150_queries_on_known_merchants(relevance_site):
    rows = queries()
    assert len(rows) >= 150
    known = {p.name for p in (relevance_site / "commercants").iterdir()}
    assert {want for *_, want, _ in rows} <= known


def test_relevance_set(relevance_server):
    rows = queries()
    failures, empty = [], []
    with chromium() as browser, local_page(browser, locale="fr-FR", timezone_id="Europe/Paris") as page:
        for quoi, ou, want, top in rows:
            page.goto(f"{relevance_server}/recherche/?{urlencode({'quoi': quoi, 'ou': ou} if ou else {'quoi': quoi})}")
            slugs = search_results(page)
            if not slugs:
                empty.append((quoi, ou, page.inner_text("#etat")))
            if want not in slugs[:top]:
                failures.append((quoi, ou, want, top, slugs[:top]))
    report = "\n".join(f"  {q!r} à {o!r}: {w} not in first {t}: {got}" for q, o, w, t, got in failures)
    print(f"relevance: {len(rows) - len(failures)} of {len(rows)} found\n{report}")
    assert not empty, f"empty lists: {empty}"
    assert len(failures) <= len(rows) * (1 - PASS_RATE), f"{len(failures)} of {len(rows)} failed:\n{report}"
