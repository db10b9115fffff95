"""A fake Base Adresse Nationale for the tests: a threaded HTTP server on 127.0.0.1 (port chosen by the OS)
answering `/search` in BAN's GeoJSON format, with scripted failures (HTTP errors, delays, garbage).

    with FakeBAN() as ban:
        ban.on("12 Rue Jeanne d'Arc 45000 Orléans", Reply(body=collection(feature(47.9, 1.9, ...))))
        geocoder = Geocoder(gz, cache, offline=False, base_url=ban.url)

Queries without a scripted reply get an empty FeatureCollection (BAN's answer for "not found").
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: object = None  # dict/list → JSON; str/bytes → sent as is; None → empty FeatureCollection
    delay: float = 0.0  # seconds to wait before answering (to trigger client timeouts)
    headers: dict[str, str] = field(default_factory=dict)


def feature(
    lat: float,
    lon: float,
    label: str,
    *,
    type: str = "housenumber",
    score: float = 0.95,
    citycode: str,
    postcode: str,
    city: str,
    street: str | None = None,
    housenumber: str | None = None,
    context: str = "45, Loiret, Centre-Val de Loire",
) -> dict:
    """One BAN result, as the real API returns it (coordinates are [lon, lat])."""
    props = {
        "label": label,
        "score": score,
        "id": f"{citycode}_x",
        "name": label.split(f" {postcode} ")[0],
        "postcode": postcode,
        "citycode": citycode,
        "x": 619000.0,
        "y": 6755000.0,
        "city": city,
        "context": context,
        "type": type,
        "importance": 0.6,
    }
    if street:
        props["street"] = street
    if housenumber:
        props["housenumber"] = housenumber
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": props}


def collection(*features: dict, query: str = "") -> dict:
    return {
        "type": "FeatureCollection",
        "version": "draft",
        "features": list(features),
        "attribution": "BAN",
        "licence": "ETALAB-2.0",
        "query": query,
        "limit": 5,
    }


class FakeBAN:
    def __init__(self, prefix: str = ""):
        self.prefix = prefix.rstrip("/")
        self.routes: dict[str, list[Reply]] = {}
        self.default = Reply()
        self.requests: list[dict] = []  # {"path", "q", "params", "user_agent"}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # scripting ------------------------------------------------------------------------------------
    def on(self, q: str, *replies: Reply) -> None:
        """Answer query `q` with `replies` in turn; the last one repeats."""
        self.routes[q] = list(replies)

    def queries(self) -> list[str]:
        return [r["q"] for r in self.requests]

    def _reply_for(self, q: str) -> Reply:
        with self._lock:
            replies = self.routes.get(q)
            if not replies:
                return self.default
            return replies.pop(0) if len(replies) > 1 else replies[0]

    # server ---------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    def start(self) -> FakeBAN:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                q = params.get("q", "")
                with fake._lock:
                    fake.requests.append(
                        {"path": parts.path, "q": q, "params": params, "user_agent": self.headers.get("User-Agent", "")}
                    )
                if parts.path != f"{fake.prefix}/search":
                    return self._send(Reply(status=404, body={"code": 404, "message": "Not Found"}))
                reply = fake._reply_for(q)
                if reply.body is None and reply.status == 200:
                    reply = Reply(body=collection(query=q), headers=reply.headers, delay=reply.delay)
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                if isinstance(body, (dict, list)):
                    data, ctype = json.dumps(body).encode(), "application/json; charset=utf-8"
                elif isinstance(body, str):
                    data, ctype = body.encode(), "application/json; charset=utf-8"
                else:
                    data, ctype = body or b"", "application/octet-stream"
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):  # keep the test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBAN:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
