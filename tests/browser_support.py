"""Chromium for browser tests: Debian's binary driven by Playwright, and pages that may only talk to
127.0.0.1 (any other request is blocked and reported)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def local_page(browser, **context_options) -> Iterator:
    """A page whose requests outside 127.0.0.1/localhost are aborted; on exit, asserts there was none
    and no uncaught JavaScript error."""
    context = browser.new_context(**context_options)
    outside: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert outside == [], f"requests outside 127.0.0.1: {outside}"
    assert errors == [], f"JavaScript errors: {errors}"


def wait_until(page, expression: str, arg=None, timeout: float = 60_000) -> None:
    """Wait until `expression` (a JavaScript expression or function, awaited if async) is truthy in the page.

    Playwright's own `wait_for_function` runs its predicate through `eval()` inside the page, which the
    site's Content-Security-Policy (`script-src 'self'`) forbids; `page.evaluate` goes through the
    DevTools protocol, which the policy does not govern, so the site is tested with its policy on."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except PlaywrightError as error:  # a navigation replaced the document between two looks
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout / 1000:.0f} s: {expression}")
        page.wait_for_timeout(50)


SEARCH_ANSWERED = (
    "() => document.querySelector('.answer').getAttribute('aria-busy') === 'false'"
    " && document.getElementById('etat').textContent.length > 0"
)


def search_results(page) -> list[str]:
    """Once the search page's script has answered, the slugs of the results it shows, in order."""
    wait_until(page, SEARCH_ANSWERED)
    return page.eval_on_selector_all("#resultats [data-slug]", "els => els.map(e => e.dataset.slug)")
