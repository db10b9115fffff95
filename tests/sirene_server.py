"""A fake « Recherche d'entreprises » API for the tests: a threaded HTTP server on 127.0.0.1 (port chosen by
the OS) answering `/search?q=<siret>` in the real API's JSON shape (results → siege and
matching_etablissements, with etat_administratif and activite_principale / activite_principale_naf25).

    with FakeSirene() as api:
        api.establishment("73282932000074", naf="10.71C", naf25="10.71H")
        api.establishment("55210055400013", naf="56.10A", active=False, closed_on="2024-05-31")

Unknown SIRETs get an empty result list (the API's answer when nothing matches); `api.status = 503` makes
every request fail.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def result(siret: str, naf: str, naf25: str | None, active: bool, closed_on: str | None) -> dict:
    etab = {
        "siret": siret,
        "etat_administratif": "A" if active else "F",
        "activite_principale": naf,
        "activite_principale_naf25": naf25,
        "date_fermeture": closed_on,
        "code_postal": "45000",
        "libelle_commune": "ORLEANS",
        "est_siege": False,
    }
    return {
        "siren": siret[:9],
        "nom_complet": "ENTREPRISE " + siret[:9],
        "etat_administratif": "A",
        "activite_principale": naf,
        "activite_principale_naf25": naf25,
        "siege": {**etab, "siret": siret[:9] + "00099", "est_siege": True},
        "matching_etablissements": [etab],
    }


class FakeSirene:
    def __init__(self):
        self.answers: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.status = 200
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def establishment(
        self, siret: str, naf: str, naf25: str | None = None, active: bool = True, closed_on: str | None = None
    ) -> None:
        self.answers[siret] = result(siret, naf, naf25, active, closed_on)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeSirene:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with fake._lock:
                    fake.requests.append(
                        {"path": parts.path, "params": params, "user_agent": self.headers.get("User-Agent", "")}
                    )
                if parts.path != "/search":
                    return self._send(404, {"erreur": "Not Found"})
                if fake.status != 200:
                    return self._send(fake.status, {"erreur": "indisponible"})
                found = fake.answers.get(params.get("q", ""))
                self._send(
                    200,
                    {
                        "results": [found] if found else [],
                        "total_results": int(bool(found)),
                        "page": 1,
                        "per_page": 1,
                        "total_pages": int(bool(found)),
                    },
                )

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

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

    def __enter__(self) -> FakeSirene:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
