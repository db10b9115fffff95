"""Screenshots of the phone layout (390×844) of the demo site, written into docs/screenshots/.

    python scripts/screenshots.py                 # build the demo site, serve it on 127.0.0.1, take the PNGs
    python scripts/screenshots.py --out /tmp/shots

Each PNG is what a phone shows before any scrolling (the viewport, not the whole page). Debian's Chromium
(/usr/bin/chromium) is driven by Playwright; it may only reach 127.0.0.1. tests/test_phone_layout.py checks what
these pictures are meant to show (the first result above the fold, no sideways scrolling).
"""

from __future__ import annotations

import functools
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "locale": "fr-FR",
}
MAX_BYTES = 150_000
RESULTS_QUERY = "recherche/?quoi=fleuriste&ou=Montargis"


def shots(site: Path) -> dict[str, str]:
    """File name (without .png) → path of the page in the site: the first result of the results page, its
    commune (the demo's; any site falls back to its first merchant and commune)."""

    def pick(preferred: str, folder: str) -> str:
        if (site / preferred / "index.html").exists():
            return preferred
        return sorted((site / folder).glob("*/index.html"))[0].parent.relative_to(site).as_posix() + "/"

    return {
        "recherche": "recherche/",
        "resultats": RESULTS_QUERY,
        "commerce": pick("commercants/atelier-des-pivoines/", "commercants"),
        "commune": pick("communes/montargis-45/", "communes"),
        "donnees": "donnees/",
    }


def settle(page) -> None:
    """Wait until the page is loaded and, on the search page, until the search has answered."""
    page.wait_for_load_state("networkidle")
    if page.locator("#resultats").count() and "quoi=" in page.url:
        page.wait_for_function(
            "() => document.querySelector('.answer').getAttribute('aria-busy') === 'false'"
            " && document.getElementById('etat').textContent.length > 0"
        )


def first_result_top(page) -> float | None:
    """Top of the first result card, in CSS pixels from the top of the page (None without results)."""
    return page.evaluate("""() => {
        const first = document.querySelector('#resultats > li');
        return first ? first.getBoundingClientRect().top + window.scrollY : null; }""")


def sideways_overflow(page, width: int) -> dict[str, object]:
    """How wide the page is compared with the phone's `width`, and the first elements sticking out.

    Compared with the width of the device, not `innerWidth`: a phone (and Chromium emulating one) zooms out a
    page wider than the screen, which widens `innerWidth` to the page's width."""
    return page.evaluate(
        """(width) => {
        const wide = [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > width + 0.5)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
                 + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
        return {width, innerWidth: window.innerWidth, scrollWidth: document.scrollingElement.scrollWidth, wide};
    }""",
        width,
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (free port); yields the base URL ending with '/'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_demo(folder: Path) -> Path:
    from ccdir.build.pipeline import BuildOptions, build
    from ccdir.content.config import Project

    out = folder / "site"
    build(Project.load(REPO, output=out), BuildOptions(offline=True))
    return out


def take(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # wait_for_function evaluates its predicate with eval(), which the site's CSP forbids
        context = browser.new_context(**PHONE, bypass_csp=True)
        page = context.new_page()
        for name, path in shots(site).items():
            page.goto(base + path)
            settle(page)
            target = out / f"{name}.png"
            target.with_suffix(".jpg").unlink(missing_ok=True)  # left by an earlier run
            page.screenshot(path=str(target), animations="disabled", caret="hide")
            if target.stat().st_size > MAX_BYTES:  # a busy page: JPEG keeps the repository small
                target.unlink()
                target = target.with_suffix(".jpg")
                page.screenshot(path=str(target), type="jpeg", quality=70, animations="disabled", caret="hide")
            written.append(target)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Captures d'écran du site de démonstration sur téléphone (390×844)")
    parser.add_argument("--out", type=Path, default=OUT, help="dossier des images (par défaut docs/screenshots/)")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} absent : installez Chromium (sudo apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ccdir-shots-") as tmp:
        for path in take(build_demo(Path(tmp)), args.out):
            print(f"{path} ({path.stat().st_size // 1000} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
