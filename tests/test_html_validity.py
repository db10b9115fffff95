"""The Nu HTML checker (the W3C validator, `vnu-jar` from npm, run on Java) finds no error on any page of the
demo site, nor in its style sheets; and it does catch an invalid page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors already tracked elsewhere, listed here so that they show as an expected failure (XFAIL, with this reason)
# instead of hiding every other error behind a red test. Each entry: (folder of the pages, start of the message).
# Remove an entry as soon as its fix is merged (the test then asserts that no page has it).
KNOWN_FAILURES = [
    (
        "categories/",
        "The heading “h3” (with computed level 3) follows the heading “h1”",
        "issue #14 (branch search): category pages skip a heading level, h1 → h3",
    ),
]


def vnu(files: list[Path]) -> tuple[list[dict], list[str]]:
    """Check `files` in one run of the checker: (its error messages, the files it says it checked)."""
    if shutil.which("java") is None:
        pytest.fail("java absent : installez un JRE (sudo apt-get install default-jre-headless ; .ci/run le fait)")
    if not VNU.exists():
        pytest.fail(f"{VNU} absent : lancez « npm ci »")
    # --errors-only drops warnings and info; --verbose lists on stdout each file checked; the JSON goes to stderr.
    command = [
        "java",
        "-jar",
        str(VNU),
        "--errors-only",
        "--format",
        "json",
        "--verbose",
        "--also-check-css",
        *map(str, files),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    report = json.loads(run.stderr)
    # Every message kept by --errors-only is a failure: "error", and "non-document-error" (unreadable file…).
    errors = [m for m in report["messages"] if m["type"] != "info"]
    assert run.returncode == (1 if errors else 0), run.stderr[-2000:]
    return errors, run.stdout.splitlines()


def where(message: dict, root: Path) -> str:
    url = message.get("url", "")
    path = url.removeprefix("file:")
    if path.startswith(str(root)):
        path = Path(path).relative_to(root).as_posix()
    return f"{path}:{message.get('lastLine', '?')}: {message['message']}"


def known_failure(message: dict, root: Path) -> str | None:
    page = where(message, root)
    for folder, start, reason in KNOWN_FAILURES:
        if page.startswith(folder) and message["message"].startswith(start):
            return reason
    return None


@pytest.mark.slow
def test_every_page_of_the_demo_site_is_valid_html(demo_site):
    pages = sorted(demo_site.rglob("*.html"))
    sheets = sorted(p for p in (demo_site / "assets").rglob("*.css") if "vendor" not in p.parts)
    assert len(pages) > 100 and sheets, "the demo site has its pages and style sheets"
    errors, checked = vnu(pages + sheets)
    assert sorted(checked) == sorted(map(str, pages + sheets)), "the checker checked every file it was given"
    unexpected = [where(m, demo_site) for m in errors if known_failure(m, demo_site) is None]
    assert unexpected == []
    known = sorted({known_failure(m, demo_site) or "" for m in errors})
    if known:
        count = len(errors)
        pytest.xfail(f"{count} known error(s), fix not merged yet: {'; '.join(known)}")


@pytest.mark.slow
def test_the_checker_catches_an_invalid_page(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(
        '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>t</title></head><body>\n'
        '<p id="x">un</p><p id="x">deux</p>\n'
        '<img src="a.png">\n'
        "<ul><p>liste</p></ul>\n"
        "</body></html>\n",
        encoding="utf-8",
    )
    sheet = tmp_path / "style.css"
    sheet.write_text("p { colour: red; }\n", encoding="utf-8")
    errors, checked = vnu([page, sheet])
    assert checked == [str(page), str(sheet)]
    found = [where(m, tmp_path) for m in errors]
    assert any(f.startswith("index.html:2:") and "Duplicate ID" in f for f in found), found
    assert any(f.startswith("index.html:3:") and "alt" in f for f in found), found
    assert any(f.startswith("index.html:4:") and "“p” not allowed as child of element “ul”" in f for f in found), found
    assert any(f.startswith("style.css:1:") and "colour" in f for f in found), found
