"""The geocoder's network side: the Base Adresse Nationale through geopy's `BANFrance`.

Polite (a delay between requests), patient (retries with backoff on timeouts, HTTP 429 and 5xx) and
distrustful: an answer that cannot be read raises `NetworkError` with a French reason, as does a failure
that retrying would not mend. Whether an answer is good enough for a merchant is `geocode`'s decision.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api-adresse.data.gouv.fr"
USER_AGENT = "ccdir (annuaire click-and-collect)"


class NetworkError(Exception):
    """The address API could not answer (after retries); `reason` is French."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Feature:
    """One result of the API, read and range-checked: `kind` is BAN's type (housenumber, street…)."""

    lat: float
    lon: float
    kind: Any
    score: float
    citycode: Any
    label: str
    city: Any
    postcode: Any


class BanClient:
    """`search` asks the API; `requests` counts the requests sent, retries included."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10.0,
        min_delay: float = 0.05,
        retries: int = 3,
        backoff: float = 1.0,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url
        self.timeout = timeout
        self.min_delay = min_delay
        self.retries = retries
        self.backoff = backoff
        self.user_agent = user_agent
        self._sleep = sleep
        self._client = None
        self._last_request = 0.0
        self.requests = 0

    def search(self, text: str) -> list[dict]:
        """The raw results for the address `text` (up to 5, best first; read each with `feature`);
        NetworkError when there is no answer."""
        features = []
        for r in self._query(text):
            raw = getattr(r, "raw", None)
            if not isinstance(raw, dict):
                raise NetworkError("réponse illisible du service")
            features.append(raw)
        return features

    def _geopy(self):
        if self._client is None:
            from geopy.geocoders import BANFrance

            parts = urlsplit(self.base_url if "://" in self.base_url else "https://" + self.base_url)
            host = parts.hostname or ""
            loopback = host in ("localhost", "::1") or host.startswith("127.")
            self._client = BANFrance(
                domain=(parts.netloc + parts.path).rstrip("/"),
                scheme=parts.scheme or "https",
                timeout=self.timeout,
                user_agent=self.user_agent,
                **({"proxies": {}} if loopback else {}),
            )
        return self._client

    def _query(self, text: str) -> list:
        """One polite BANFrance request, retried with backoff on timeouts, HTTP 429 and 5xx."""
        from geopy import exc as gexc

        client = self._geopy()
        for attempt in range(self.retries + 1):
            wait = self.min_delay - (time.monotonic() - self._last_request)
            if wait > 0:
                self._sleep(wait)
            self._last_request = time.monotonic()
            self.requests += 1
            try:
                return client.geocode(text, limit=5, exactly_one=False) or []
            except gexc.GeocoderParseError as e:
                raise NetworkError("réponse illisible du service") from e
            except gexc.GeocoderRateLimited as e:
                reason, delay = "trop de requêtes (HTTP 429)", e.retry_after
            except gexc.GeocoderTimedOut:
                reason, delay = "délai dépassé ou service surchargé", None
            except gexc.GeocoderUnavailable:
                reason, delay = "service injoignable", None
            except gexc.GeocoderServiceError as e:
                status = getattr(e.__cause__, "status_code", None)  # geopy chains the HTTP error
                if type(e) is not gexc.GeocoderServiceError:  # 4xx: retrying would not help
                    raise NetworkError(f"requête refusée par le service (HTTP {status or '4xx'})") from e
                reason = f"erreur du service (HTTP {status})" if status else "service injoignable"
                delay = None
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
                raise NetworkError("réponse illisible du service") from e
            except Exception as e:  # anything else from the HTTP stack: never crash the build
                raise NetworkError(f"erreur réseau : {type(e).__name__}") from e
            if attempt == self.retries:
                raise NetworkError(reason)
            backoff = self.backoff * 2**attempt
            self._sleep(min(max(delay or 0, backoff), 60.0))
        raise NetworkError("échec")  # pragma: no cover - the loop always returns or raises


def feature(raw: dict) -> Feature:
    """One raw result, read and range-checked, else NetworkError."""
    try:
        props = raw["properties"]
        lon, lat = (float(v) for v in raw["geometry"]["coordinates"][:2])
        feature = Feature(
            lat,
            lon,
            props.get("type"),
            float(props.get("score", 0)),
            props.get("citycode"),
            props.get("label") or "",
            props.get("city"),
            props.get("postcode", "?"),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise NetworkError("réponse illisible du service") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise NetworkError("réponse illisible du service")
    return feature
