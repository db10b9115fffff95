"""Optional SIRENE cross-check for `ccdir import --sirene`: is the establishment open, does its NAF code agree?

Each SIRET is looked up once in the public « Recherche d'entreprises » API (`/search?q=<siret>`, JSON, no
key; base URL in `content/site.yaml` as `sirene_url`). Answers are kept in `content/sirenecache.json`
(committed like `geocache.json`, keyed by SIRET) so that a re-import asks nothing again. Offline, or when
the service cannot be reached, the check is skipped with a note: the import itself never depends on it.

What comes back per establishment: its administrative state (« A » active, « F » closed) and its NAF
codes (rév. 2 `activite_principale`, NAF 2025 `activite_principale_naf25` when SIRENE has it).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

DEFAULT_URL = "https://recherche-entreprises.api.gouv.fr"
USER_AGENT = "ccdir (annuaire click & collect ; import des chambres consulaires)"
CACHE_FORMAT = 1


@dataclass(frozen=True)
class Establishment:
    siret: str
    active: bool
    naf: str | None = None  # rév. 2, dotted (« 56.10A »)
    naf25: str | None = None  # NAF 2025 when known
    closed_on: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"active": self.active, "naf": self.naf, "naf25": self.naf25, "closed_on": self.closed_on}


class Unavailable(Exception):
    """The service could not answer (network, HTTP error, unreadable JSON): French reason."""


class Sirene:
    def __init__(
        self,
        cache_path: Path | None,
        base_url: str = DEFAULT_URL,
        offline: bool = False,
        timeout: float = 8.0,
        min_delay: float = 0.15,
        max_failures: int = 2,
    ):
        self.cache_path = cache_path
        self.base_url = base_url.rstrip("/")
        self.offline = offline
        self.timeout = timeout
        self.min_delay = min_delay  # the API allows 7 requests a second
        self.max_failures = max_failures
        self.down: str | None = "hors ligne" if offline else None
        self.requests = 0
        self._failures = 0
        self._last = 0.0
        self._client: httpx.Client | None = None
        self._cache = self._read_cache()
        self._dirty = False

    # --- cache --------------------------------------------------------------------------------------

    def _read_cache(self) -> dict[str, dict[str, Any]]:
        if self.cache_path is None or not self.cache_path.is_file():
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
            return dict(data.get("etablissements") or {}) if data.get("format") == CACHE_FORMAT else {}
        except (OSError, ValueError, AttributeError):
            return {}  # a damaged cache is rebuilt, never fatal

    def save(self) -> bool:
        """Write the cache if it changed (sorted, one establishment per line); True when written."""
        if not self._dirty or self.cache_path is None:
            return False
        rows = ",\n".join(
            f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
            for k, v in sorted(self._cache.items())
        )
        text = f'{{"format": {CACHE_FORMAT}, "etablissements": {{\n{rows}\n}}}}\n'
        tmp = self.cache_path.with_name(f".{self.cache_path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.cache_path)
        self._dirty = False
        return True

    # --- lookups ------------------------------------------------------------------------------------

    def lookup(self, siret: str) -> tuple[Establishment | None, str | None]:
        """(establishment, None); (None, None) when SIRENE does not know it; (None, note) when not checked."""
        cached = self._cache.get(siret)
        if cached is not None:
            return (Establishment(siret, **cached) if cached.get("active") is not None else None), None
        if self.down:
            return None, f"vérification SIRENE non faite ({self.down})"
        try:
            found = self._ask(siret)
        except Unavailable as exc:
            self._failures += 1
            if self._failures >= self.max_failures:
                self.down = str(exc)
            return None, f"vérification SIRENE non faite ({exc})"
        self._failures = 0
        self._cache[siret] = found.as_json() if found else {"active": None}
        self._dirty = True
        return found, None

    def _ask(self, siret: str) -> Establishment | None:
        wait = self.min_delay - (time.monotonic() - self._last)
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        self.requests += 1
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.timeout, headers={"User-Agent": USER_AGENT}, trust_env=not _loopback(self.base_url)
            )
        try:
            reply = self._client.get(f"{self.base_url}/search", params={"q": siret, "page": 1, "per_page": 1})
        except httpx.TimeoutException:
            raise Unavailable("délai dépassé") from None
        except httpx.HTTPError:
            raise Unavailable("service injoignable") from None
        if reply.status_code == 429:
            raise Unavailable("trop de requêtes (HTTP 429)")
        if reply.status_code >= 400:
            raise Unavailable(f"erreur du service (HTTP {reply.status_code})")
        try:
            return _establishment(reply.json(), siret)
        except (ValueError, TypeError, AttributeError, KeyError):
            raise Unavailable("réponse illisible du service") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _loopback(url: str) -> bool:
    host = httpx.URL(url).host
    return host in ("localhost", "::1") or host.startswith("127.")


def _establishment(data: dict[str, Any], siret: str) -> Establishment | None:
    """The establishment `siret` in a /search answer: among `matching_etablissements`, else the `siege`."""
    for result in data.get("results") or []:
        candidates = list(result.get("matching_etablissements") or []) + [result.get("siege") or {}]
        for item in candidates:
            if str(item.get("siret") or "") == siret:
                return Establishment(
                    siret,
                    active=item.get("etat_administratif") == "A",
                    naf=item.get("activite_principale") or None,
                    naf25=item.get("activite_principale_naf25") or None,
                    closed_on=item.get("date_fermeture") or None,
                )
    return None
