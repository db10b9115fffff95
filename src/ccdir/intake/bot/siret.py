"""`GET /siret/<n>`: name, address and NAF code of an establishment, from the public « Recherche
d'entreprises » API (recherche-entreprises.api.gouv.fr), so that the form can fill them in.

Optional and never in the way: the number is checked locally first (the model's rule); an answer is
cached (a day, 2,000 numbers); when the API is slow or down the bot says so (503) and the form simply
goes on without it. Only the establishment's public directory data is returned.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import httpx

API = "https://recherche-entreprises.api.gouv.fr"


class LookupUnavailable(Exception):
    """The API did not answer usefully (timeout, error, rate limit)."""


@dataclass
class SiretLookup:
    api: str = API
    timeout: float = 5.0
    ttl: float = 24 * 3600
    max_entries: int = 2_000
    clock: Any = time.monotonic
    _cache: OrderedDict[str, tuple[float, dict[str, Any] | None]] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _client: httpx.Client | None = field(default=None, repr=False)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.api.rstrip("/"),
                timeout=self.timeout,
                headers={"Accept": "application/json", "User-Agent": "ccdir-bot"},
            )
        return self._client

    def lookup(self, siret: str) -> dict[str, Any] | None:
        """The establishment (None when the API knows no such number); raises LookupUnavailable."""
        now = self.clock()
        with self._lock:
            cached = self._cache.get(siret)
            if cached is not None and now - cached[0] < self.ttl:
                self._cache.move_to_end(siret)
                return cached[1]
        try:
            resp = self.client.get("/search", params={"q": siret, "page": "1", "per_page": "1"})
        except httpx.HTTPError as exc:
            raise LookupUnavailable(type(exc).__name__) from None
        if resp.status_code != 200:
            raise LookupUnavailable(f"HTTP {resp.status_code}")
        try:
            found = establishment(resp.json(), siret)
        except (ValueError, TypeError, AttributeError):
            raise LookupUnavailable("unreadable answer") from None
        with self._lock:
            self._cache[siret] = (now, found)
            while len(self._cache) > self.max_entries:
                self._cache.popitem(last=False)
        return found


def establishment(data: dict[str, Any], siret: str) -> dict[str, Any] | None:
    """The establishment `siret` in an answer of /search, as the form's fields."""
    for result in data.get("results") or []:
        places = [*(result.get("matching_etablissements") or []), result.get("siege") or {}]
        place = next((p for p in places if p.get("siret") == siret), None)
        if place is None:
            continue
        signs = place.get("liste_enseignes") or []
        postcode, city = place.get("code_postal") or "", place.get("libelle_commune") or ""
        street = " ".join(
            str(place.get(k) or "") for k in ("numero_voie", "indice_repetition", "type_voie", "libelle_voie")
        ).split()
        address = place.get("adresse") or ""
        if not street and address:  # « 3 RUE ROYALE 45000 ORLEANS » without its postcode and commune
            street = address.split(f" {postcode}")[0].split() if postcode else address.split()
        return {
            "siret": siret,
            "name": (signs[0] if signs else result.get("nom_complet") or "").strip(),
            "legal_name": (result.get("nom_complet") or "").strip(),
            "address": {
                "street": " ".join(street).title() if street else "",
                "postcode": postcode,
                "city": city.title(),
            },
            "naf": place.get("activite_principale") or result.get("activite_principale") or "",
            "active": (place.get("etat_administratif") or result.get("etat_administratif") or "A") == "A",
        }
    return None
