"""A static file server that compresses like a static host: gzip for text, as-is for the rest.

Runs in a thread on 127.0.0.1 (port 0). Pagefind's index chunks are already gzip-compressed by
Pagefind and served as they are.
"""

from __future__ import annotations

import functools
import gzip
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMPRESSED_TYPES = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".wasm")


class _Handler(SimpleHTTPRequestHandler):
    cache: dict[str, bytes] = {}

    def log_message(self, format, *args):  # quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")  # revalidated, as the test clears the cache itself
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in COMPRESSED_TYPES and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = str(path)
            body = self.cache.get(key)
            if body is None:
                body = self.cache[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


class StaticServer:
    """`with StaticServer(folder) as url:` serves `folder` at `url` (http://127.0.0.1:PORT/)."""

    def __init__(self, root: Path):
        handler = functools.partial(_Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        _Handler.cache = {}
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
