"""Geocoding stage: a position for every merchant.

Order of precedence, recorded as the location's `precision`:

1. ``lat``/``lon`` written in the merchant's file → "manual";
2. the committed cache (`content/geocache.json`, keyed by the normalised address) → "address" or "street";
3. the Base Adresse Nationale through geopy's `BANFrance`, when online → "address" or "street";
4. the gazetteer (the commune's town hall or centre) → "commune", with a warning.

The network is optional and untrusted: failures, timeouts, HTTP 429/5xx, malformed answers and answers
far from the stated commune all fall back to the gazetteer with a warning; no merchant is ever dropped
as long as its commune exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pygeohash

from ccdir.core.problems import Problem, Severity
from ccdir.core.textnorm import commune_key, fold
from ccdir.geo.ban import DEFAULT_BASE_URL, USER_AGENT, BanClient, NetworkError, feature
from ccdir.geo.gazetteer import Commune, Gazetteer
from ccdir.geo.geocache import GeoCache
from ccdir.geo.nearby import distance_km

PRECISIONS = ("manual", "address", "street", "commune")
GEOHASH_PRECISION = 9  # cells of about 5 m × 5 m: any shard depth can be cut from it
BAN_PRECISION = {"housenumber": "address", "street": "street", "locality": "street"}
FAR_KM = 20.0  # a result farther than this from the commune (beyond the commune's own radius) is wrong
# Arrondissements municipaux: BAN answers with their code, the gazetteer knows the commune.
_PLM_PREFIXES = {"75056": "751", "69123": "6938", "13055": "132"}


class AddressLike(Protocol):
    street: str | None
    postcode: str
    city: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a merchant is, and how sure we are: see PRECISIONS."""

    lat: float
    lon: float
    precision: str
    geohash: str
    commune: Commune | None = None

    @classmethod
    def at(cls, lat: float, lon: float, precision: str, commune: Commune | None) -> Location:
        return cls(lat, lon, precision, pygeohash.encode(lat, lon, GEOHASH_PRECISION), commune)


def address_key(street: str | None, postcode: str, city: str) -> str:
    """Cache key: folded street, postcode, folded commune name (« 12 rue de bourgogne|45000|orleans »)."""
    return f"{fold(street or '')}|{(postcode or '').strip()}|{commune_key(city or '')}"


def _far(commune: Commune, lat: float, lon: float) -> float | None:
    """Distance to the commune when it is implausible for a point of that commune, else None."""
    d = distance_km(commune.lat, commune.lon, lat, lon)
    return d if d > max(FAR_KM, commune.radius_km + 2) else None


def _same_commune(citycode: Any, insee: str) -> bool:
    if citycode == insee:
        return True
    prefix = _PLM_PREFIXES.get(insee)
    return bool(prefix and isinstance(citycode, str) and citycode.startswith(prefix))


@dataclass
class Stats:
    manual: int = 0
    cached: int = 0
    fetched: int = 0
    fallback: int = 0
    pruned: int = 0
    by_precision: dict[str, int] = field(default_factory=dict)


@dataclass
class _Pending:
    slug: str
    path: str
    where: tuple[int, int]
    address: AddressLike
    commune: Commune
    key: str


class Geocoder:
    """Positions merchants; see the module docstring for the order of precedence.

    `offline`: never call the network. `refresh`: query the network even for cached addresses (the
    `ccdir geocode --refresh` command). `min_delay`: seconds between two requests; `retries`: further
    attempts after a timeout, HTTP 429 or 5xx, waiting `backoff` × 2^attempt seconds (or the server's
    Retry-After). `max_failures`: after that many addresses in a row that the network could not answer,
    stop calling it for the rest of the run.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        cache_path: str | Path | None,
        offline: bool = True,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 10.0,
        min_delay: float = 0.05,
        retries: int = 3,
        backoff: float = 1.0,
        min_score: float = 0.5,
        refresh: bool = False,
        max_failures: int = 3,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.gazetteer = gazetteer
        self.offline = offline
        self.refresh = refresh
        self.min_score = min_score
        self.max_failures = max_failures
        self.ban = BanClient(base_url, timeout, min_delay, retries, backoff, user_agent, sleep)
        self._network_down: str | None = None
        self.stats = Stats()
        self.cache = GeoCache(Path(cache_path) if cache_path is not None else None)
        self.cache_problems: list[Problem] = list(self.cache.problems)
        self._used: set[str] = set()
        self._located = False

    # --- cache --------------------------------------------------------------------------------------

    def _cached(self, key: str, commune: Commune) -> Location | None:
        """The cached position of `key`, if it is well-formed and plausible for `commune` (else dropped)."""
        entry = self.cache.entries.get(key)
        if entry is None:
            return None
        lat = entry.get("lat") if isinstance(entry, dict) else None
        lon = entry.get("lon") if isinstance(entry, dict) else None
        precision = entry.get("precision") if isinstance(entry, dict) else None
        if (
            isinstance(lat, (int, float))
            and isinstance(lon, (int, float))
            and precision in ("address", "street")
            and -90 <= lat <= 90
            and -180 <= lon <= 180
            and _far(commune, lat, lon) is None
        ):
            return Location.at(float(lat), float(lon), precision, commune)
        self.cache.drop(key)  # hand-edited or stale: it will be fetched again
        return None

    def cache_text(self) -> str:
        """The cache as written: one entry per line, sorted by key, readable and diff-friendly."""
        return self.cache.text()

    def save_cache(self, prune: bool = True) -> bool:
        """Write the cache if it changed; True when written.

        `prune`: drop the entries that no merchant of the last `locate_all` uses any more (so call
        `locate_all` with every merchant first; nothing is pruned if it was never called).
        """
        if prune and self._located and self.cache.path is not None:
            self.stats.pruned += self.cache.keep_only(self._used)
        return self.cache.save()

    # --- main entry point ---------------------------------------------------------------------------

    def locate_all(
        self, items: Iterable[tuple], progress: Callable[[str, int, int], None] | None = None
    ) -> tuple[dict[str, Location], list[Problem]]:
        """Locate every merchant of `items`: (slug, source_path, address[, line or (line, col)]).

        Returns {slug: Location} and the problems (French; warnings for approximate positions, an error
        only when the commune itself is unknown, then the merchant has no location).
        """
        self._located = True
        locations: dict[str, Location] = {}
        problems: list[Problem] = list(self.cache_problems)
        self.cache_problems = []
        places: dict[tuple[str, str], tuple[Commune | None, str]] = {}  # (postcode, city) → commune, key suffix
        pending: list[_Pending] = []
        find = self.gazetteer.find
        for item in items:
            slug, path, address = item[0], str(item[1]), item[2]
            where = _where(item[3]) if len(item) > 3 else (0, 0)
            pair = (address.postcode, address.city)
            place = places.get(pair)
            if place is None:
                place = places[pair] = (
                    find(address.city, address.postcode),
                    address_key("", address.postcode, address.city),
                )
            commune, suffix = place
            if commune is None:
                problems.append(
                    Problem(
                        path,
                        *where,
                        f"commune « {address.city} » ({address.postcode}) introuvable : "
                        "corrigez « city » ou « postcode » ; le commerce ne peut pas être placé "
                        "sur la carte",
                        Severity.ERROR,
                    )
                )
                continue
            if address.lat is not None and address.lon is not None:
                loc = locations[slug] = Location.at(float(address.lat), float(address.lon), "manual", commune)
                self.stats.manual += 1
                far = _far(commune, loc.lat, loc.lon)
                if far is not None:
                    problems.append(
                        Problem(
                            path,
                            *where,
                            f"« lat »/« lon » placent le commerce à {far:.0f} km "
                            f"{commune.of_name} : vérifiez-les (latitude et longitude inversées ?)",
                            Severity.WARNING,
                        )
                    )
                continue
            if not address.street:
                locations[slug] = self._fallback(commune)
                problems.append(
                    Problem(
                        path,
                        *where,
                        f"position approximative (centre {commune.of_name}) : pas de "
                        "rue ; ajoutez « street », ou « lat » et « lon »",
                        Severity.WARNING,
                    )
                )
                continue
            key = fold(address.street) + suffix  # == address_key(street, postcode, city)
            self._used.add(key)
            if not self.refresh:
                cached = self._cached(key, commune)
                if cached is not None:
                    locations[slug] = cached
                    self.stats.cached += 1
                    continue
            pending.append(_Pending(slug, path, where, address, commune, key))
        if pending:
            self._resolve(pending, locations, problems, progress)
        for loc in locations.values():
            self.stats.by_precision[loc.precision] = self.stats.by_precision.get(loc.precision, 0) + 1
        return locations, problems

    def _fallback(self, commune: Commune) -> Location:
        self.stats.fallback += 1
        return Location.at(commune.lat, commune.lon, "commune", commune)

    def _resolve(
        self,
        pending: list[_Pending],
        locations: dict[str, Location],
        problems: list[Problem],
        progress: Callable[[str, int, int], None] | None,
    ) -> None:
        """Addresses not in the cache: ask the network (once per distinct address), else fall back."""
        answers: dict[str, tuple[Location | None, str | None]] = {}
        failures = 0
        distinct = len({p.key for p in pending})
        for p in pending:
            if p.key not in answers:
                if self.offline:
                    answers[p.key] = (
                        None,
                        "la construction est hors ligne et l'adresse n'est pas encore dans le "
                        "cache de géocodage ; lancez « ccdir geocode »",
                    )
                elif self._network_down:
                    answers[p.key] = (self._cached(p.key, p.commune) if self.refresh else None, self._network_down)
                else:
                    try:
                        answers[p.key] = self._ask(p)
                        failures = 0
                    except NetworkError as exc:
                        failures += 1
                        answers[p.key] = (
                            self._cached(p.key, p.commune) if self.refresh else None,
                            f"géocodage impossible ({exc.reason}) ; relancez « ccdir geocode » plus tard",
                        )
                        if failures >= self.max_failures:
                            self._network_down = (
                                f"service de géocodage indisponible ({exc.reason}) : abandon après "
                                f"{failures} échecs de suite ; relancez « ccdir geocode » plus tard"
                            )
                    if progress:
                        progress("géocodage", len(answers), distinct)
            loc, reason = answers[p.key]
            if loc is not None:
                locations[p.slug] = loc
                self.stats.fetched += 1
            else:
                locations[p.slug] = self._fallback(p.commune)
                problems.append(
                    Problem(
                        p.path,
                        *p.where,
                        f"position approximative (centre {p.commune.of_name}) : "
                        f"{reason}, ou indiquez « lat » et « lon »",
                        Severity.WARNING,
                    )
                )

    # --- network answers ----------------------------------------------------------------------------

    def _ask(self, p: _Pending) -> tuple[Location | None, str | None]:
        """(location, None) for a trustworthy answer, else (None, French reason)."""
        a, commune = p.address, p.commune
        features = self.ban.search(f"{a.street} {a.postcode} {a.city}")
        if not features:
            return None, f"adresse « {a.street} » introuvable dans la Base Adresse Nationale ; vérifiez la rue"
        best_reason = None
        for raw in features:
            feat = feature(raw)
            lat, lon, kind, score, citycode, label = (
                feat.lat,
                feat.lon,
                feat.kind,
                feat.score,
                feat.citycode,
                feat.label,
            )
            if not _same_commune(citycode, commune.insee):
                other = f"{feat.city or citycode} » ({feat.postcode})"
                best_reason = best_reason or (
                    f"la Base Adresse Nationale ne trouve « {a.street} » qu'à « {other}, "
                    f"pas {commune.in_name} ; vérifiez l'adresse"
                )
                continue
            far = _far(commune, lat, lon)
            if far is not None:
                best_reason = best_reason or (
                    f"le résultat de la Base Adresse Nationale (« {label} ») est à "
                    f"{far:.0f} km {commune.of_name} : ignoré ; vérifiez l'adresse"
                )
                continue
            precision = BAN_PRECISION.get(kind)
            if precision is None:
                best_reason = best_reason or (
                    f"la Base Adresse Nationale ne reconnaît que la commune, pas la rue "
                    f"« {a.street} » ; vérifiez la rue"
                )
                continue
            if score < self.min_score:
                best_reason = best_reason or (
                    f"correspondance trop incertaine avec la Base Adresse Nationale "
                    f"(« {label} », score {score:.2f}) ; vérifiez la rue"
                )
                continue
            self.cache.put(
                p.key,
                {
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "precision": precision,
                    "score": round(score, 2),
                    "label": label,
                    "citycode": citycode,
                },
            )
            return Location.at(round(lat, 6), round(lon, 6), precision, commune), None
        return None, best_reason

    # --- reporting ----------------------------------------------------------------------------------

    def summary(self) -> str:
        """One French line for the CLI: where positions came from."""
        s = self.stats
        names = {
            "manual": "coordonnées saisies",
            "address": "à l'adresse",
            "street": "à la rue",
            "commune": "au centre de la commune",
        }
        parts = [f"{s.by_precision[p]} {names[p]}" for p in PRECISIONS if s.by_precision.get(p)]
        total = sum(s.by_precision.values())
        line = f"{total} commerce(s) placé(s)" + (f" : {', '.join(parts)}" if parts else "")
        line += f" ; {self.ban.requests} requête(s) à la Base Adresse Nationale"
        if s.pruned:
            line += f" ; {s.pruned} entrée(s) inutilisée(s) retirée(s) du cache"
        return line


def _where(value: Any) -> tuple[int, int]:
    if isinstance(value, int):
        return value, 0
    if isinstance(value, tuple) and len(value) == 2:
        return int(value[0] or 0), int(value[1] or 0)
    return 0, 0
