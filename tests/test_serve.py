"""`ccdir serve`: live preview over real HTTP on 127.0.0.1 — rebuild, reload event, errors in the page."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request

import pytest
from conftest import make_project

from ccdir.serve import PreviewServer

pytestmark = pytest.mark.slow  # a live server and its file watcher per test: `make test-fast` leaves them out

TIMEOUT = 30  # seconds a step may take before the test gives up (not a timing assertion)


@pytest.fixture
def preview(tmp_path, valid_yaml):
    project = make_project(tmp_path, {"45/a.yaml": valid_yaml})
    server = PreviewServer(project, "127.0.0.1", 0, watch=True, interval=0.05).start()
    yield server
    server.stop()


def get(server: PreviewServer, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(server.url + path.lstrip("/"), timeout=TIMEOUT) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


class Events:
    """A Server-Sent Events client reading the stream line by line."""

    def __init__(self, server: PreviewServer, version: int):
        host, port = server.server.server_address[:2]
        self.conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        self.conn.request("GET", f"/_ccdir/events?v={version}")
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200
        assert self.resp.getheader("Content-Type").startswith("text/event-stream")

    def next_event(self) -> tuple[str, str]:
        event, data = "message", ""
        deadline = time.monotonic() + TIMEOUT  # keep-alive comments reset the socket's timeout: bound the wait
        while True:
            assert time.monotonic() < deadline, "no event within the timeout"
            line = self.resp.fp.readline().decode("utf-8")
            assert line, "stream closed"
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and data:
                return event, data

    def close(self):
        self.conn.close()


def test_pages_get_the_reload_script_but_site_files_do_not(preview):
    status, page = get(preview, "/")
    assert status == 200
    assert f'<script src="/_ccdir/reload.js" data-version="{preview.state.version}"></script>\n</body>' in page
    status, script = get(preview, "/_ccdir/reload.js")
    assert status == 200 and "EventSource" in script
    status, merchant = get(preview, "/commercants/a/")
    assert "reload.js" in merchant
    for path in preview.project.output.rglob("*"):
        if path.is_file():
            assert b"_ccdir" not in path.read_bytes(), path
    status, css = get(preview, "/assets/style.css")
    assert status == 200 and "reload.js" not in css


def test_change_rebuilds_and_sends_reload_then_errors_show_in_page(preview):
    file = preview.project.merchants_dir / "45/a.yaml"
    events = Events(preview, preview.state.version)
    try:
        file.write_text(
            file.read_text(encoding="utf-8").replace("Fleurs de Loire", "Fleurs du Loing"), encoding="utf-8"
        )
        event, _ = events.next_event()
        assert event == "reload"
        status, page = get(preview, "/commercants/a/")
        assert status == 200 and '<h1 dir="auto">Fleurs du Loing</h1>' in page

        good = file.read_text(encoding="utf-8")
        file.write_text(good.replace("kind: commerce", "kind: magasin"), encoding="utf-8")
        assert events.next_event()[0] == "reload"
        status, page = get(preview, "/commercants/a/")
        assert status == 500
        assert "Le site n'a pas pu être reconstruit" in page
        assert (
            "content/merchants/45/a.yaml:2:7: erreur: « kind » vaut « magasin » : valeurs possibles : "
            "commerce, artisan, producteur, restaurant, bar"
        ) in page.replace("&#x27;", "'")
        assert "reload.js" in page

        file.write_text(good, encoding="utf-8")
        assert events.next_event()[0] == "reload"
        status, page = get(preview, "/commercants/a/")
        assert status == 200 and '<h1 dir="auto">Fleurs du Loing</h1>' in page
    finally:
        events.close()


def test_a_page_served_before_the_last_build_reloads_at_once(preview):
    events = Events(preview, preview.state.version - 1)
    try:
        assert events.next_event() == ("reload", str(preview.state.version))
    finally:
        events.close()


def test_template_mistake_is_shown_not_fatal(preview):
    template = preview.project.root / "templates"
    assert not template.exists()  # the project uses ccdir's templates: make a broken local copy
    import shutil

    from ccdir.core.resources import default_templates

    events = Events(preview, preview.state.version)
    try:
        shutil.copytree(default_templates(), template)
        (template / "home.html").write_text("{% if %}", encoding="utf-8")
        # the watcher follows content/ and the templates folder it started with; touch content to rebuild
        (preview.project.merchants_dir / "45/a.yaml").touch()
        assert events.next_event()[0] == "reload"
        status, page = get(preview, "/")
        assert status == 500 and "gabarit" in page and "home.html:1" in page
    finally:
        events.close()


def test_unknown_page_is_the_site_404(preview):
    status, page = get(preview, "/nulle-part/")
    assert status == 404 and "Page introuvable" in page


def test_unknown_english_page_is_the_english_404(preview):
    status, page = get(preview, "/en/nowhere/")
    assert status == 404 and '<html lang="en">' in page and "Page not found" in page
    assert get(preview, "/enfin/")[1].count('<html lang="fr">') == 1  # only /en/… is English


def test_the_terminal_shows_warnings_errors_and_missing_pages_in_french(tmp_path, valid_yaml, capsys):
    project = make_project(tmp_path, {"45/a.yaml": valid_yaml})
    server = PreviewServer(project, "127.0.0.1", 0, watch=True, interval=0.05).start()
    try:
        # No lat/lon and an offline build: the commune's centre, with a warning (it used to be hidden).
        first = capsys.readouterr().err
        assert "content/merchants/45/a.yaml:5:1: avertissement: position approximative" in first
        assert "Site reconstruit : 1 commerçant(s)" in first and "1 avertissement(s)" in first
        events = Events(server, server.state.version)
        try:
            file = project.merchants_dir / "45/a.yaml"
            file.write_text(valid_yaml.replace("kind: commerce", "kind: magasin"), encoding="utf-8")
            assert events.next_event()[0] == "reload"
        finally:
            events.close()
        broken = capsys.readouterr().err
        assert "content/merchants/45/a.yaml:2:7: erreur: « kind » vaut « magasin »" in broken
        assert "Erreur : 1 erreur(s) : le site n'a pas été construit" in broken
        assert get(server, "/nulle-part/")[0] == 404
        shown = broken + capsys.readouterr().err
        assert "Aperçu : page introuvable : /nulle-part/" in shown
        assert "Error" not in shown and "Traceback" not in shown
    finally:
        server.stop()


def test_a_busy_port_is_a_french_error(preview):
    import click

    with pytest.raises(click.ClickException, match="le port .* est déjà utilisé"):
        PreviewServer(preview.project, "127.0.0.1", preview.server.server_address[1], watch=False)
