"""Offline gazetteer of French communes (metropolitan France and DROM), shipped with the package.

Loaded from `data/communes.json.gz` (built by `scripts/build_gazetteer.py`, sources in `data/SOURCES.md`).
Used to check that an address's postcode and commune agree (`check_address`), as the fallback position of
a merchant, and to resolve the resident's « Où ? » (`Gazetteer.search`).

Homonyms are common (Olivet in Loiret and Mayenne, six Saint-Aignan…): the postcode decides; without one,
the commune of the preferred région wins, then the most populous.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import gc
import gzip
import heapq
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ccdir.core.resources import data_file
from ccdir.core.textnorm import ARTICLES, commune_key, fold, slugify
from ccdir.geo.nearby import distance_km

DATA_FILE = data_file("communes.json.gz")
FORMAT = 1


class Commune(NamedTuple):
    """One commune. Immutable; two loads of the same data give equal communes."""

    insee: str
    name: str  # official name with its article: "Le Mans", "La Châtre", "L'Île-Bouchard"
    postcodes: tuple[str, ...]
    lat: float  # town hall, or the centroid of the commune when the town hall is unknown
    lon: float
    population: int
    dept: str  # "45", "2A", "971"
    dept_name: str
    region: str  # INSEE région code, "24" for Centre-Val de Loire
    region_name: str
    radius_km: int = 0  # distance from (lat, lon) to the farthest point of the commune's outline

    @property
    def slug(self) -> str:
        """URL slug: slugified name and département, e.g. ``montargis-45``, ``ajaccio-2a``."""
        return f"{slugify(self.name)}-{self.dept.lower()}"

    @property
    def key(self) -> str:
        return commune_key(self.name)

    @property
    def of_name(self) -> str:
        """The name after « de », contracted: « d'Orléans », « du Mans », « des Sables-d'Olonne », « de Tours »."""
        return with_de(self.name)

    @property
    def in_name(self) -> str:
        """The name after « à », contracted: « à Tours », « au Mans », « aux Sables-d'Olonne »."""
        return with_a(self.name)

    def label(self) -> str:
        """« Olivet (Loiret) »: a name that tells homonyms apart."""
        return f"{self.name} ({self.dept_name})"

    def __repr__(self) -> str:
        return f"Commune({self.insee} {self.name})"


_VOWELS = frozenset("AEIOUYHÂÀÉÈÊËÎÏÔÖÛÜŒaeiouyhâàéèêëîïôöûüœ")


def with_de(name: str) -> str:
    """« de » + a place name, as French writes it: d'Orléans, du Mans, des Ulis, de La Châtre."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    return ("d'" if name[:1] in _VOWELS else "de ") + name


def with_a(name: str) -> str:
    """« à » + a place name: à Tours, au Mans, aux Sables-d'Olonne, à La Châtre."""
    if name.startswith("Le "):
        return "au " + name[3:]
    if name.startswith("Les "):
        return "aux " + name[4:]
    return "à " + name


def dept_of(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def _strip_article(key: str) -> str:
    head, _, rest = key.partition(" ")
    return rest if head in ARTICLES and rest else key


# « Paris 15e », « Lyon 3ème arrondissement », « Marseille 8 » → the commune (the postcode tells the rest)
_PLM = re.compile(r"^(paris|lyon|marseille) (?:\d{1,2}|[ivxl]+)(?: ?(?:e|er|eme|ieme|arr|arrondissement))*$")
_CEDEX = re.compile(r"\bcedex\b")


class Gazetteer:
    """All communes, indexed by INSEE code, postcode and folded name."""

    def __init__(self, data: dict, path: Path | None = None):
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: unsupported gazetteer format {data.get('format')!r}")
        self.path = path
        self.sources: dict[str, str] = data.get("sources", {})
        self.regions: dict[str, str] = {code: name for code, name in data["regions"]}
        self.departements: dict[str, tuple[str, str]] = {code: (name, reg) for code, name, reg in data["departements"]}
        make = tuple.__new__
        depts = {code: (code, name, reg, self.regions[reg]) for code, (name, reg) in self.departements.items()}
        communes: list[Commune] = []
        append = communes.append
        by_postcode: dict[str, list[Commune]] = {}
        for insee, name, postcodes, lat, lon, population, radius in data["communes"]:
            dept, dept_name, reg, reg_name = depts[insee[:3] if insee[:2] == "97" else insee[:2]]
            pcs = tuple(postcodes.split())
            c = make(Commune, (insee, name, pcs, lat, lon, population, dept, dept_name, reg, reg_name, radius))
            append(c)
            for pc in pcs:
                lst = by_postcode.get(pc)
                if lst is None:
                    by_postcode[pc] = [c]
                else:
                    lst.append(c)
        self._communes = communes
        self._by_insee = {c[0]: c for c in communes}
        self._by_postcode = by_postcode  # lists sorted by population on first use
        self._sorted_postcodes: set[str] = set()
        self._aliases: dict[str, list[str]] = {}  # insee → former / delegated commune names
        for insee, name in data.get("aliases", ()):
            self._aliases.setdefault(insee, []).append(name)
        self._keys: dict[str, str] = {}  # insee → commune_key(name), filled on demand
        self._name_index: dict[str, list[tuple[Commune, str]]] | None = None
        self._prefix: tuple[list[str], list[Commune], list[bool]] | None = None
        self._postcodes_sorted: list[str] | None = None

    # --- loading ------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """The gazetteer from `path` (default: the shipped file); loaded once per process and path."""
        return _load(Path(path) if path is not None else DATA_FILE)

    @classmethod
    def from_communes(
        cls,
        rows: Iterable[Iterable],
        departements: dict[str, tuple[str, str]],
        regions: dict[str, str],
        aliases: Iterable[tuple[str, str]] = (),
    ) -> Gazetteer:
        """A small gazetteer for tests: rows are (insee, name, "pc1 pc2", lat, lon, population, radius_km)."""
        return cls(
            {
                "format": FORMAT,
                "regions": list(regions.items()),
                "departements": [[code, name, reg] for code, (name, reg) in departements.items()],
                "communes": [list(r) for r in rows],
                "aliases": [list(a) for a in aliases],
            }
        )

    # --- lookups ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._communes)

    def __iter__(self) -> Iterator[Commune]:
        return iter(self._communes)

    def by_insee(self, code: str) -> Commune | None:
        return self._by_insee.get(code.upper() if code else code)

    def by_postcode(self, postcode: str) -> list[Commune]:
        """Communes served by `postcode`, most populous first (empty when the postcode is unknown)."""
        return list(self._postcode_list(postcode.strip() if postcode else ""))

    def _postcode_list(self, postcode: str) -> list[Commune]:
        lst = self._by_postcode.get(postcode)
        if lst is None:
            return []
        if postcode not in self._sorted_postcodes:
            lst.sort(key=lambda c: -c.population)
            self._sorted_postcodes.add(postcode)
        return lst

    def aliases(self, commune: Commune) -> list[str]:
        """Former names: delegated or associated communes merged into `commune`."""
        return list(self._aliases.get(commune.insee, ()))

    def key_of(self, commune: Commune) -> str:
        key = self._keys.get(commune.insee)
        if key is None:
            key = self._keys[commune.insee] = commune_key(commune.name)
        return key

    def find(self, city: str, postcode: str | None = None, region: str | None = None) -> Commune | None:
        """The commune named `city` (tolerant of case, accents, hyphens, « St », missing article).

        With a postcode, only the communes of that postcode are considered (None if none matches).
        Without one, homonyms are decided by `region` first, then population.
        """
        match = self.match(city, postcode, region)
        return match[0] if match else None

    def match(self, city: str, postcode: str | None = None, region: str | None = None) -> tuple[Commune, str] | None:
        """(commune, how) where how is "exact", "official" (key equal), "alias", "article" or "district"."""
        key = commune_key(city or "")
        if not key:
            return None
        how_district = None
        if _PLM.match(key):
            key, how_district = key.split(" ", 1)[0], "district"
        if postcode is not None:
            found = self._match_among(city, key, self._postcode_list(postcode.strip()))
        else:
            found = self._match_by_name(city, key, region)
        if found and how_district:
            return found[0], how_district
        return found

    def _match_among(self, city: str, key: str, candidates: Iterable[Commune]) -> tuple[Commune, str] | None:
        candidates = list(candidates)
        for c in candidates:  # most populous first
            if self.key_of(c) == key:
                return c, ("exact" if c.name == city else "official")
        for c in candidates:
            if any(commune_key(a) == key for a in self._aliases.get(c.insee, ())):
                return c, "alias"
        bare = _strip_article(key)
        for c in candidates:
            if _strip_article(self.key_of(c)) == bare:
                return c, "article"
        return None

    def _match_by_name(self, city: str, key: str, region: str | None) -> tuple[Commune, str] | None:
        hits = self._names().get(key)
        if not hits:
            return None
        rank = {"official": 0, "article": 1, "alias": 2}
        c, how = min(hits, key=lambda h: (rank[h[1]], region is not None and h[0].region != region, -h[0].population))
        return c, ("exact" if how == "official" and c.name == city else how)

    def _names(self) -> dict[str, list[tuple[Commune, str]]]:
        """key → [(commune, "official" | "article" | "alias")]; "article": the name without its article
        (« Mans » for Le Mans); built on first use."""
        if self._name_index is None:
            index: dict[str, list[tuple[Commune, str]]] = {}
            for c in self._communes:
                key = self.key_of(c)
                index.setdefault(key, []).append((c, "official"))
                bare = _strip_article(key)
                if bare != key:
                    index.setdefault(bare, []).append((c, "article"))
            for insee, names in self._aliases.items():
                known = self._by_insee.get(insee)
                if known is not None:
                    for name in names:
                        index.setdefault(commune_key(name), []).append((known, "alias"))
            self._name_index = index
        return self._name_index

    def named(self, city: str) -> list[Commune]:
        """Every commune officially named `city` (homonyms), most populous first."""
        return sorted(
            {c for c, how in self._names().get(commune_key(city or ""), ()) if how == "official"},
            key=lambda c: -c.population,
        )

    # --- « Où ? » -----------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 10, region: str | None = None) -> list[Commune]:
        """Communes whose name (any word onward) or postcode starts with `text`.

        Exact names first, then the preferred `region`, then the most populous.
        """
        text = (text or "").strip()
        if not text or limit <= 0:
            return []
        if text.isdigit():
            return self._search_postcode(text, limit, region)
        queries = {fold(text), commune_key(text)} - {""}
        keys, communes, whole = self._prefix_index()
        found: dict[Commune, tuple[bool, bool]] = {}  # commune → (exact name, name starts with the text)
        for q in queries:
            i = bisect.bisect_left(keys, q)
            while i < len(keys) and keys[i].startswith(q):
                c = communes[i]
                exact, start = found.get(c, (False, False))
                found[c] = (exact or (whole[i] and keys[i] == q), start or whole[i])
                i += 1
        ranked = sorted(
            found.items(),
            key=lambda it: (
                not it[1][0],
                region is not None and it[0].region != region,
                not it[1][1],
                -it[0].population,
                it[0].name,
            ),
        )
        return [c for c, _ in ranked[:limit]]

    def _prefix_index(self) -> tuple[list[str], list[Commune], list[bool]]:
        """Sorted keys of every name and of each of its word suffixes (« jean de braye »), with their
        commune and whether the key is the whole name; built on first use."""
        if self._prefix is None:
            entries: list[tuple[str, int, bool]] = []
            for i, c in enumerate(self._communes):
                words = self.key_of(c).split()
                whole = 1 if len(words) > 1 and words[0] in ARTICLES else 0  # « chatre » is La Châtre's name
                for w in range(len(words)):
                    entries.append((" ".join(words[w:]), i, w <= whole))
            index_of = {c.insee: i for i, c in enumerate(self._communes)}
            for insee, names in self._aliases.items():
                if insee in index_of:
                    for name in names:
                        entries.append((commune_key(name), index_of[insee], False))
            entries.sort()
            self._prefix = (
                [k for k, _, _ in entries],
                [self._communes[i] for _, i, _ in entries],
                [w for _, _, w in entries],
            )
        return self._prefix

    def _search_postcode(self, digits: str, limit: int, region: str | None) -> list[Commune]:
        if self._postcodes_sorted is None:
            self._postcodes_sorted = sorted(self._by_postcode)
        pcs = self._postcodes_sorted
        found: set[Commune] = set()
        i = bisect.bisect_left(pcs, digits)
        while i < len(pcs) and pcs[i].startswith(digits):
            found.update(self._postcode_list(pcs[i]))
            i += 1
        ranked = sorted(found, key=lambda c: (region is not None and c.region != region, -c.population, c.name))
        return ranked[:limit]

    def nearest(self, lat: float, lon: float, k: int = 1) -> list[tuple[float, Commune]]:
        """The `k` communes whose position is nearest to (lat, lon): [(km, commune)], nearest first."""
        kx = math.cos(math.radians(lat))

        def d2(c: Commune) -> float:
            return (c.lat - lat) ** 2 + ((c.lon - lon) * kx) ** 2

        return [(distance_km(lat, lon, c.lat, c.lon), c) for c in heapq.nsmallest(k, self._communes, key=d2)]


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> Gazetteer:
    with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as fh:
        raw = fh.read()
    collecting = gc.isenabled()
    gc.disable()  # ~100,000 new objects, none cyclic: the collector would only slow the load down
    try:
        return Gazetteer(json.loads(raw), path)
    finally:
        if collecting:
            gc.enable()


# --- address check ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressCheck:
    """What is wrong with a (postcode, city) pair; `message` is French and says how to fix it.

    `is_error`: False for a spelling to correct (warning), True when the pair cannot be trusted.
    `field`: the address field to point at ("postcode" or "city"). `commune`: the commune the address
    resolves to despite the problem (None when it cannot be resolved). `suggestion`: the value to write.
    """

    message: str
    is_error: bool
    field: str = "city"
    commune: Commune | None = None
    suggestion: str | None = None


def _names_list(communes: list[Commune], limit: int = 8) -> str:
    names = sorted(c.name for c in communes[:limit])
    return ", ".join(names) + ("…" if len(communes) > limit else "")


def _postcodes_of(c: Commune) -> str:
    label = "code postal" if len(c.postcodes) == 1 else "codes postaux"
    return f"{label} {', '.join(c.postcodes)}"


def check_address(gz: Gazetteer, postcode: str, city: str) -> AddressCheck | None:
    """None when `postcode` and `city` agree and `city` is spelled officially; else what to fix."""
    postcode = (postcode or "").strip()
    city = (city or "").strip()
    key = commune_key(city)
    if _CEDEX.search(key):
        return AddressCheck(
            f"« {city} » : retirez « CEDEX » et indiquez le code postal et la commune de "
            "l'adresse du magasin (une adresse CEDEX ne sert qu'au courrier)",
            True,
            "city",
        )
    candidates = gz.by_postcode(postcode)
    if not candidates:
        message = (
            f"code postal {postcode} inconnu : vérifiez-le (il faut le code postal de l'adresse du "
            "magasin, pas un code CEDEX)"
        )
        homonyms = gz.named(city)
        if homonyms:
            message += " ; " + " ; ".join(
                f"« {c.name} » ({c.dept_name}) a pour {_postcodes_of(c)}" for c in homonyms[:3]
            )
        return AddressCheck(message, True, "postcode", None, homonyms[0].postcodes[0] if len(homonyms) == 1 else None)
    found = gz.match(city, postcode)
    if found:
        c, how = found
        if how == "exact":
            return None
        if how == "alias":
            return AddressCheck(
                f"« {city} » est une ancienne commune, aujourd'hui rattachée à « {c.name} » : "
                f"écrivez « {c.name} » (le nom du lieu-dit peut aller dans la rue)",
                False,
                "city",
                c,
                c.name,
            )
        if how == "district":
            return AddressCheck(
                f"écrivez « {c.name} » et non « {city} » : l'arrondissement se déduit du code postal {postcode}",
                False,
                "city",
                c,
                c.name,
            )
        return AddressCheck(f"la commune « {city} » s'écrit « {c.name} »", False, "city", c, c.name)
    # No commune of that postcode has this name.
    close = difflib.get_close_matches(key, [gz.key_of(c) for c in candidates], n=1, cutoff=0.75)
    listing = f"communes de {postcode} : {_names_list(candidates)}"
    if close:
        c = next(c for c in candidates if gz.key_of(c) == close[0])
        return AddressCheck(
            f"« {city} » n'est pas une commune du code postal {postcode} : vouliez-vous dire "
            f"« {c.name} » ? ({listing})",
            True,
            "city",
            c,
            c.name,
        )
    homonyms = gz.named(city)
    if homonyms:
        elsewhere = " ; ".join(f"« {c.name} » ({c.dept_name}) a pour {_postcodes_of(c)}" for c in homonyms[:3])
        return AddressCheck(
            f"le code postal {postcode} ne correspond pas à « {city} » : {listing} ; {elsewhere}",
            True,
            "postcode",
            None,
            homonyms[0].postcodes[0] if len(homonyms) == 1 else None,
        )
    if len(candidates) == 1:
        c = candidates[0]
        return AddressCheck(
            f"le code postal {postcode} ne correspond pas à « {city} » : c'est celui de "
            f"« {c.name} » ; corrigez la commune ou le code postal",
            True,
            "city",
            None,
            c.name,
        )
    return AddressCheck(
        f"le code postal {postcode} ne correspond pas à « {city} » : {listing} ; corrigez la commune ou le code postal",
        True,
        "city",
    )


def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer of French communes (loaded once per process)."""
    return Gazetteer.load()
