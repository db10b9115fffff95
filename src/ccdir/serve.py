"""`ccdir serve`: local preview that rebuilds when content or templates change."""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click

from ccdir.builder import BuildOptions, build
from ccdir.config import Project
from ccdir.problems import ContentError


def snapshot(paths: list[Path]) -> dict[str, float]:
    """mtime of every file under `paths` (cheap enough to poll every second for a few thousand files)."""
    state = {}
    for root in paths:
        if root.is_file():
            state[str(root)] = root.stat().st_mtime
        elif root.is_dir():
            for p in root.rglob("*"):
                if p.is_file():
                    state[str(p)] = p.stat().st_mtime
    return state


def rebuild(project: Project) -> bool:
    try:
        result = build(project, BuildOptions(cache=True))
    except ContentError as exc:
        exc.show()
        click.echo("Corrigez puis enregistrez : le site sera reconstruit.", err=True)
        return False
    click.echo(f"Site reconstruit : {result.merchants} commerçant(s), {result.pages} page(s) "
               f"en {result.seconds:.1f} s.", err=True)
    return True


def serve(project: Project, host: str, port: int, watch: bool = True) -> None:
    rebuild(project)
    project.output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Handler, project=project)
    server = ThreadingHTTPServer((host, port), handler)
    if watch:
        threading.Thread(target=_watch, args=(project,), daemon=True).start()
    click.echo(f"Aperçu sur http://{host}:{port}/ (Ctrl+C pour arrêter)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _watch(project: Project, interval: float = 1.0) -> None:
    watched = [project.content, project.templates]
    before = snapshot(watched)
    while True:
        time.sleep(interval)
        now = snapshot(watched)
        if now != before:
            before = now
            rebuild(project)


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, project: Project, **kwargs):
        self.project = project
        super().__init__(*args, directory=str(project.output), **kwargs)

    def translate_path(self, path: str) -> str:
        # The site folder is swapped on every rebuild: resolve against its current path each time.
        self.directory = str(self.project.output)
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.project.output) / "404.html"
        if code == 404 and page.exists():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):  # quieter than the default
        pass
