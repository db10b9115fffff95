"""Browser-side measurements in headless Chromium (Playwright): our search, Pagefind, one lunr index.

Each engine is served by `server.StaticServer` (gzip like a static host). For every query and engine:
the page is loaded first (without the query), then the query runs with an empty cache (bytes and
requests counted from Chromium's network events, `encodedDataLength`: bytes on the wire), then once
more with everything loaded (« cached »). Times are from the query to the results being shown.
Requests to anything but 127.0.0.1 are refused by the host resolver: nothing leaves the machine.
Contexts bypass the pages' Content-Security-Policy, which would forbid the measuring scripts.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from comparators import Merchant, build_lunr, build_pagefind, corpus
from queries import NAME_QUERY_COMMUNE, QUERIES, Query
from server import StaticServer

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 120_000

# Our page reports its end of search through the answer's aria-busy; the observer notes the time.
OURS_INIT = """
window.__done = [];
new MutationObserver(() => {
  const box = document.querySelector('.answer');
  const status = document.getElementById('etat');
  if (box && status && box.getAttribute('aria-busy') === 'false' && status.textContent
      && window.__done.length < (window.__runs || 0)) window.__done.push(performance.now());
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


class NetLog:
    """Bytes on the wire (compressed body and headers) of every request of a page and its workers."""

    def __init__(self, page):
        self.done: list[Any] = []
        page.on("requestfinished", lambda request: self.done.append(request))

    def since(self, mark: int) -> list[tuple[str, int]]:
        got = []
        for request in self.done[mark:]:
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            if size > 0:
                got.append((request.url, size))
        return got


def _figures(requests: list[tuple[str, int]], is_index) -> dict[str, Any]:
    index = [(u, s) for u, s in requests if is_index(u)]
    outside = [u for u, _ in requests if not u.startswith("http://127.0.0.1")]
    assert not outside, f"requests outside 127.0.0.1: {outside[:3]}"
    return {
        "bytes": sum(s for _, s in index),
        "requests": len(index),
        "total_bytes": sum(s for _, s in requests),
        "total_requests": len(requests),
    }


def _ours(browser, base: str, q: Query) -> dict[str, Any]:
    context = browser.new_context(
        bypass_csp=True, service_workers="block"
    )  # bytes from the network, not from the offline cache
    page = context.new_page()
    page.add_init_script(OURS_INIT)
    log = NetLog(page)
    page.goto(base + "recherche/", wait_until="networkidle")
    result = {}
    for attempt in ("cold", "cached"):
        mark = len(log.done)
        started = page.evaluate(
            """([quoi, ou]) => {
            window.__runs = (window.__runs || 0) + 1;
            const form = document.querySelector('form.search');
            form.elements.quoi.value = quoi; form.elements.ou.value = ou;
            const t = performance.now(); form.requestSubmit(); return t; }""",
            [q.quoi, q.ou],
        )
        page.wait_for_function("window.__done.length >= window.__runs", timeout=TIMEOUT)
        ms = page.evaluate("window.__done[window.__done.length - 1]") - started
        page.wait_for_load_state("networkidle")
        if attempt == "cold":
            result.update(_figures(log.since(mark), lambda u: "/search/" in u))
            result["ms"] = ms
            result["results"] = page.locator("#resultats > li").count()
            result["status"] = page.inner_text("#etat")
        else:
            result["cached_ms"] = ms
    context.close()
    return result


def _page_weight(browser, base: str) -> dict[str, Any]:
    context = browser.new_context(
        bypass_csp=True, service_workers="block"
    )  # bytes from the network, not from the offline cache
    page = context.new_page()
    log = NetLog(page)
    page.goto(base + "recherche/", wait_until="networkidle")
    got = log.since(0)
    context.close()
    return {
        "bytes": sum(s for _, s in got),
        "requests": len(got),
        "files": [u.split("/", 3)[-1] or "recherche/" for u, _ in got],
    }


def _comparator(browser, url: str, spec: dict[str, Any], is_index) -> dict[str, Any]:
    context = browser.new_context(
        bypass_csp=True, service_workers="block"
    )  # bytes from the network, not from the offline cache
    page = context.new_page()
    log = NetLog(page)
    page.goto(url, wait_until="networkidle")
    page.wait_for_function("window.ready === true", timeout=TIMEOUT)
    mark = len(log.done)
    cold = page.evaluate("spec => window.runQuery(spec)", spec)
    page.wait_for_load_state("networkidle")
    result = _figures(log.since(mark), is_index)
    cached = page.evaluate("spec => window.runQuery(spec)", spec)
    context.close()
    return {**result, "ms": cold["ms"], "cached_ms": cached["ms"], "results": cold["results"]}


def _pagefind_index(url: str) -> bool:
    """Pagefind's index data: entry, metadata, word index, filter and fragment chunks (not its JS and wasm)."""
    return "/pagefind/" in url and (".pf_" in url or url.endswith("pagefind-entry.json"))


def _median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(runs[0])
    for key in ("ms", "cached_ms"):
        merged[key] = statistics.median(r[key] for r in runs)
    return merged


def _queries(merchants: list[Merchant]) -> list[Query]:
    commune, postcode = NAME_QUERY_COMMUNE
    named = next(
        (m for m in sorted(merchants, key=lambda m: m.slug) if m.commune == commune and commune not in m.name), None
    )
    queries = list(QUERIES)
    if named is not None:
        queries.append(Query(f"shop name ({named.name}, {commune})", "text", named.name, commune, postcode))
        queries.append(Query(f"shop name, no place ({named.name})", "name", named.name, "", postcode))
    return queries


def measure_queries(project: Path, work: Path, runs: int) -> dict[str, Any]:
    """Every query on every engine; figures as in the module docstring."""
    from playwright.sync_api import sync_playwright

    from ccdir.geo.gazetteer import Gazetteer

    site = project / "site"
    merchants = corpus(project)
    pagefind = build_pagefind(site, merchants, work / "pagefind")
    lunr_site = build_lunr(merchants, work / "lunr", REPO / "node_modules" / "lunr" / "lunr.min.js")
    gazetteer = Gazetteer.load()
    out: dict[str, Any] = {"pagefind_build": pagefind, "lunr_build": lunr_site, "queries": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            with StaticServer(site) as ours, StaticServer(work / "pagefind") as pf, StaticServer(work / "lunr") as ln:
                out["page"] = _page_weight(browser, ours)
                for q in _queries(merchants):
                    commune = gazetteer.find(q.ou, q.postcode) if q.ou else None
                    spec = {
                        "lat": commune.lat if commune else None,
                        "lon": commune.lon if commune else None,
                        "category": q.category,
                        "text": None if q.category else q.quoi,
                        "label": q.quoi,
                    }
                    row: dict[str, Any] = {
                        "label": q.label,
                        "kind": q.kind,
                        "url": "recherche/?" + urlencode({"quoi": q.quoi, "ou": q.ou} if q.ou else {"quoi": q.quoi}),
                    }
                    for name, measure in (
                        ("ours", lambda: _ours(browser, ours, q)),
                        ("pagefind", lambda: _comparator(browser, pf + "pagefind.html", spec, _pagefind_index)),
                        (
                            "pagefind_filters",
                            lambda: (
                                _comparator(
                                    browser, pf + "pagefind.html", {**spec, "filtersOnly": True}, _pagefind_index
                                )
                                if q.category
                                else None
                            ),
                        ),
                        ("lunr", lambda: _comparator(browser, ln + "lunr.html", spec, lambda u: u.endswith(".json"))),
                    ):
                        try:
                            got = [measure() for _ in range(runs)]
                            if got[0] is not None:
                                row[name] = _median_of(got)
                        except Exception as exc:  # one engine failing must not hide the others' figures
                            row[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                    out["queries"].append(row)
        finally:
            browser.close()
    return out
