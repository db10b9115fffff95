"""`ccdir serve`: local preview that rebuilds when content or templates change, and reloads the browser.

Live reload: every HTML page the preview server sends gets one extra line,
`<script src="/_ccdir/reload.js" data-version="N">`, where N counts the builds. The script listens to
Server-Sent Events on `/_ccdir/events`; after each rebuild the server sends `event: reload` and the page
reloads itself. When a rebuild fails, HTML requests get a page listing the French errors (file:line:col)
instead of the stale site; saving a fix rebuilds and brings the site back. The script exists only in the
server's responses, never in the files of `site/`.
"""

from __future__ import annotations

import errno
import functools
import html
import sys
import threading
import traceback
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import click

from ccdir.build.pipeline import BuildOptions, build
from ccdir.content.config import Project
from ccdir.core.problems import ContentError, report_lines
from ccdir.site import i18n

PROBLEMS_PER_FILE = 20  # as `ccdir validate` and `ccdir build`

PREFIX = "/_ccdir/"
EVENTS = PREFIX + "events"
SCRIPT = PREFIX + "reload.js"
HEARTBEAT_SECONDS = 15.0

RELOAD_JS = b"""\
// ccdir serve: reload the page after each rebuild (preview server only, never published).
(function () {
  var me = document.currentScript;
  var version = me ? me.getAttribute("data-version") : "";
  var events = new EventSource("/_ccdir/events?v=" + encodeURIComponent(version || ""));
  events.addEventListener("reload", function () { events.close(); window.location.reload(); });
})();
"""


def snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under `paths` (cheap enough to poll every second for a few thousand files)."""
    state = {}
    for root in paths:
        if root.is_file():
            st = root.stat()
            state[str(root)] = (st.st_mtime_ns, st.st_size)
        elif root.is_dir():
            for p in root.rglob("*"):
                try:
                    if p.is_file():
                        st = p.stat()
                        state[str(p)] = (st.st_mtime_ns, st.st_size)
                except FileNotFoundError:  # removed while we walked
                    continue
    return state


class BuildState:
    """The outcome of the latest build, and a counter that SSE clients wait on."""

    def __init__(self) -> None:
        self.version = 0
        self.errors: list[str] | None = None  # lines to show when the latest build failed
        self.summary = ""
        self.closing = False
        self._cond = threading.Condition()

    def record(self, errors: list[str] | None, summary: str = "") -> None:
        with self._cond:
            self.version += 1
            self.errors, self.summary = errors, summary
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The current version, once it differs from `seen` (or after `timeout` seconds)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen or self.closing, timeout)
            return self.version

    def close(self) -> None:
        with self._cond:
            self.closing = True
            self._cond.notify_all()


def rebuild(project: Project, state: BuildState | None = None) -> bool:
    """Build the site; report the outcome on the terminal and in `state` (for the browser)."""
    state = state or BuildState()
    try:
        result = build(project, BuildOptions(cache=True))
    except ContentError as exc:
        for line in report_lines(exc.problems, PROBLEMS_PER_FILE):
            click.echo(line, err=True)
        click.echo(f"Erreur : {exc.message}", err=True)
        click.echo("Corrigez puis enregistrez : le site sera reconstruit.", err=True)
        state.record(list(report_lines(exc.problems, PROBLEMS_PER_FILE)), exc.message)
        return False
    except Exception as exc:  # a template mistake must not stop the preview
        from jinja2 import TemplateError, TemplateSyntaxError

        from ccdir.build.errors import is_system_error, system_message

        if isinstance(exc, OSError) and is_system_error(exc):
            line = "Erreur : " + system_message(exc, project.output, project.root)
        elif isinstance(exc, TemplateSyntaxError):
            line = f"{exc.filename or exc.name}:{exc.lineno}: erreur: gabarit : {exc.message}"
        elif isinstance(exc, TemplateError):
            line = f"erreur: gabarit : {exc}"
        else:
            traceback.print_exc()
            line = f"erreur interne : {exc!r}"
        click.echo(line, err=True)
        state.record([line], "La construction a échoué.")
        return False
    for line in report_lines(result.warnings, PROBLEMS_PER_FILE):  # approximate positions…: worth seeing
        click.echo(line, err=True)
    click.echo(
        f"Site reconstruit : {result.merchants} commerçant(s), {result.pages} page(s), "
        f"{len(result.warnings)} avertissement(s) en {result.seconds:.1f} s.",
        err=True,
    )
    state.record(None)
    return True


class PreviewServer:
    """Build, serve on (host, port) and, with `watch`, rebuild when content or templates change."""

    def __init__(
        self, project: Project, host: str = "127.0.0.1", port: int = 8000, watch: bool = True, interval: float = 1.0
    ):
        self.project = project
        self.watch = watch
        self.interval = interval
        self.state = BuildState()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        rebuild(project, self.state)
        project.output.mkdir(parents=True, exist_ok=True)
        handler = functools.partial(_Handler, project=project, state=self.state)
        try:
            self.server = _Server((host, port), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"le port {port} est déjà utilisé (un autre « ccdir serve » ?) : "
                    f"arrêtez-le ou choisissez un autre port, par exemple --port {port + 1}"
                ) from None
            raise click.ClickException(f"impossible d'écouter sur {host}:{port} : {exc.strerror}") from None
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        assert isinstance(host, str)  # an IPv4/IPv6 server, never a Unix socket
        return f"http://{host}:{port}/"

    def start(self) -> PreviewServer:
        """Serve (and watch) in background threads."""
        self._spawn(self.server.serve_forever)
        if self.watch:
            # The first look at the files is taken now, not in the thread: an edit made just after
            # `start()` returns is then always seen as a change.
            watched = [self.project.content, *self.project.template_dirs]
            before = snapshot(watched)
            self._spawn(lambda: self._watch(watched, before))
        return self

    def _spawn(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self.state.close()
        self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _watch(self, watched: list[Path], before: dict[str, tuple[int, int]]) -> None:
        while not self._stop.wait(self.interval):
            now = snapshot(watched)
            if now != before:
                before = now
                rebuild(self.project, self.state)


def serve(project: Project, host: str, port: int, watch: bool = True) -> None:
    preview = PreviewServer(project, host, port, watch)
    if watch:
        preview._spawn(preview._watch)
    click.echo(
        f"Aperçu sur http://{host}:{port}/ (Ctrl+C pour arrêter)"
        + (" — la page se recharge à chaque modification." if watch else ""),
        err=True,
    )
    try:
        preview.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview._stop.set()
        preview.state.close()
        preview.server.server_close()


def error_page(state: BuildState) -> bytes:
    """What the browser shows while the latest build is broken."""
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in state.errors or [])
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Erreurs — aperçu ccdir</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<main id="contenu">
<h1>Le site n'a pas pu être reconstruit</h1>
<p>{html.escape(state.summary)}</p>
<ul class="build-errors">
{items}
</ul>
<p>Corrigez le fichier indiqué puis enregistrez : cette page se rechargera toute seule.</p>
</main>
</body>
</html>
""".encode()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A request that failed: a closed browser tab is not worth a word; anything else is a bug, in French
        first and then its traceback (the standard library prints English only)."""

        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
            return
        click.echo(f"Erreur : la requête de {client_address[0]} a échoué ({exc!r}) ; le détail suit.", err=True)
        traceback.print_exc()


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, project: Project, state: BuildState, **kwargs):
        self.project = project
        self.state = state
        super().__init__(*args, directory=str(project.output), **kwargs)

    def translate_path(self, path: str) -> str:
        # The site folder is swapped on every rebuild: resolve against its current path each time.
        self.directory = str(self.project.output)
        return super().translate_path(path)

    # --- live reload --------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if self._special():
            return
        if not self._html():
            super().do_GET()

    def do_HEAD(self) -> None:
        if not self._html():
            super().do_HEAD()

    def _special(self) -> bool:
        path = urlsplit(self.path).path
        if path == SCRIPT:
            self._send(200, "text/javascript; charset=utf-8", RELOAD_JS)
            return True
        if path == EVENTS:
            self._events()
            return True
        return False

    def _events(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        try:
            seen = int(query.get("v", [""])[0])
        except ValueError:
            seen = -1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.state.closing:
                version = self.state.version if seen != self.state.version else self.state.wait(seen, HEARTBEAT_SECONDS)
                if self.state.closing:
                    break
                if version != seen:  # a build happened since the page was served
                    self.wfile.write(f"event: reload\ndata: {version}\n\n".encode())
                    seen = version
                else:
                    self.wfile.write(b": ping\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        self.close_connection = True

    def _html(self) -> bool:
        """Send an HTML page with the reload script (or the error page); False for other files."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return False  # the parent class redirects to the folder with a slash
            target = target / "index.html"
        if target.suffix != ".html":
            return False
        version = self.state.version
        if self.state.errors is not None:
            self._send(500, "text/html; charset=utf-8", _inject(error_page(self.state), version))
            return True
        try:
            body = target.read_bytes()
        except OSError:
            return False  # 404 below
        self._send(200, "text/html; charset=utf-8", _inject(body, version))
        return True

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.project.output) / self._error_page()
        if code == 404 and page.exists():
            body = _inject(page.read_bytes(), self.state.version)
            self._send(404, "text/html; charset=utf-8", body)
            return
        super().send_error(code, message, explain)

    def _error_page(self) -> str:
        """The « page introuvable » in the language of the missing page: /en/… gets en/404.html (hosts: see
        deploy/headers/README.md)."""
        path = urlsplit(self.path).path.lstrip("/")
        for lang, prefix in i18n.PREFIX.items():
            if (
                lang != i18n.SOURCE
                and path.startswith(prefix)
                and (Path(self.project.output) / prefix / "404.html").exists()
            ):
                return prefix + "404.html"
        return "404.html"

    def log_request(self, code="-", size="-") -> None:
        """Only what needs attention, in French: a page that does not exist (a broken link, a typo)."""
        if code == 404:
            click.echo(f"Aperçu : page introuvable : {urlsplit(self.path).path}", err=True)

    def log_message(self, format, *args):  # the standard library's English lines: see log_request
        pass


def _inject(page: bytes, version: int) -> bytes:
    tag = f'<script src="{SCRIPT}" data-version="{version}"></script>\n'.encode()
    at = page.rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag
