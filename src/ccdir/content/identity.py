"""Who a merchant entry is: its file name (slug) and the keys that say two entries are one business.

One source for the rules every door applies — `ccdir validate` across files, the registration bot,
`ccdir intake` and the spreadsheet importer:

- a slug (file name) is unique; new entries take the first free one of `slug_candidates`;
- one business, one entry: the same SIRET, the same name in the same postcode (names compared without
  case, accents, punctuation or little words: « L'Atelier des Pivoines » = « Atelier Pivoines »), or a
  look-alike name at the same street address (« Fleurs du Mail » / « Fleur du Mail », 3 rue Royale).

`Registry` holds the known entries (published files, open requests) and answers `match(...)`.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ccdir.content.model import SLUG_MAX, Merchant, check_slug
from ccdir.core.textnorm import fold, slugify

T = TypeVar("T")

# Words that do not tell businesses apart: articles, prepositions, « et ».
LITTLE_WORDS = frozenset({"le", "la", "les", "l", "de", "du", "des", "d", "et"})
TYPO_MIN = 5  # words this long may differ by one typo and still be « the same word »


def slug_candidates(name: str, city: str, postcode: str = "", limit: int = 200) -> Iterator[str]:
    """File names to try, in order: « fleurs-de-loire », « fleurs-de-loire-montargis », then -2, -3…"""
    base = slugify(name)
    base = _fit(base[2:] if base.startswith("l-") else base) or "commerce"  # « L'Atelier » → atelier-…
    if check_slug(base) is not None:  # letters outside Latin fold to nothing usable
        base = "commerce"
    town = slugify(city) or postcode
    yield base
    with_city = _fit(f"{base}-{town}") if town else base
    if with_city != base:
        yield with_city
    for n in range(2, limit):
        yield _fit(with_city, reserve=len(str(n)) + 1) + f"-{n}"


def choose_slug(merchant: Merchant, taken: Container[str]) -> str:
    """The first candidate slug for `merchant` that is not in `taken`."""
    for slug in slug_candidates(merchant.name, merchant.address.city, merchant.address.postcode):
        if slug not in taken:
            return slug
    raise ValueError(f"no free slug for {merchant.name!r}")


def _fit(slug: str, reserve: int = 0) -> str:
    """`slug` cut at a hyphen so that `reserve` more characters still fit in SLUG_MAX."""
    room = SLUG_MAX - reserve
    if len(slug) <= room:
        return slug
    cut = slug[:room]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def name_key(name: str) -> str:
    """What two spellings of one business name have in common: « L'Atelier des Pivoines » → « atelier pivoines »."""
    words = fold(name).split()
    kept = [w for w in words if w not in LITTLE_WORDS]
    return " ".join(kept or words)


def street_key(street: str | None) -> str:
    """« 3, Rue Royale » → « 3 rue royale »; « 3 r. Royale » stays different (no guessing)."""
    return fold(street or "")


@dataclass(frozen=True)
class Identity:
    """The keys of one entry that must not be shared with another entry."""

    slug: str | None
    siret: str | None
    name: str  # as written, for messages
    postcode: str
    street: str | None
    name_key: str
    street_key: str

    @classmethod
    def of(cls, merchant: Merchant, slug: str | None = None) -> Identity:
        a = merchant.address
        return cls.from_parts(slug, merchant.siret, merchant.name, a.postcode, a.street)

    @classmethod
    def from_parts(cls, slug: str | None, siret: str | None, name: str, postcode: str, street: str | None) -> Identity:
        return cls(slug, siret, name, postcode, street, name_key(name), street_key(street))

    @property
    def business_key(self) -> str:
        return f"{self.name_key}|{self.postcode}"


@dataclass(frozen=True)
class Match(Generic[T]):
    """`holder` (what the registry was given with the identity) already has this business or slug."""

    rule: str  # "slug" | "siret" | "name" | "address"
    holder: T
    identity: Identity

    def describe(self, mine: Identity) -> str:
        """French reason: « même SIRET 732… », « même nom dans le code postal 45200 »…"""
        other = self.identity
        if self.rule == "slug":
            return f"identifiant « {mine.slug} » déjà utilisé"
        if self.rule == "siret":
            return f"même SIRET {mine.siret} que « {other.name} »"
        if self.rule == "name":
            return f"« {other.name} » a le même nom dans le code postal {mine.postcode}"
        return f"« {other.name} » a un nom très proche à la même adresse"


@dataclass
class Registry(Generic[T]):
    """Known entries by slug, SIRET, name in its postcode and street address; `T` is what to point to
    (a file path, an open request…)."""

    by_slug: dict[str, tuple[Identity, T]] = field(default_factory=dict)
    by_siret: dict[str, tuple[Identity, T]] = field(default_factory=dict)
    by_name: dict[str, tuple[Identity, T]] = field(default_factory=dict)
    by_address: dict[str, list[tuple[Identity, T]]] = field(default_factory=dict)

    def add(self, identity: Identity, holder: T) -> None:
        """Record `identity` (the first holder of each key stays)."""
        item = (identity, holder)
        if identity.slug:
            self.by_slug.setdefault(identity.slug, item)
        if identity.siret:
            self.by_siret.setdefault(identity.siret, item)
        if identity.name_key and identity.postcode:
            self.by_name.setdefault(identity.business_key, item)
        if identity.street_key and identity.name_key:
            self.by_address.setdefault(f"{identity.street_key}|{identity.postcode}", []).append(item)

    def match(self, identity: Identity, slug: bool = True) -> Match[T] | None:
        """The first entry that `identity` collides with, by slug (when `slug`), SIRET, name, address."""
        if slug and identity.slug and identity.slug in self.by_slug:
            return Match("slug", self.by_slug[identity.slug][1], self.by_slug[identity.slug][0])
        if identity.siret and identity.siret in self.by_siret:
            other, holder = self.by_siret[identity.siret]
            return Match("siret", holder, other)
        if identity.name_key and identity.postcode and identity.business_key in self.by_name:
            other, holder = self.by_name[identity.business_key]
            return Match("name", holder, other)
        if identity.street_key:
            for other, holder in self.by_address.get(f"{identity.street_key}|{identity.postcode}", []):
                if lookalike(identity.name_key, other.name_key):
                    return Match("address", holder, other)
        return None

    def __contains__(self, slug: object) -> bool:
        return slug in self.by_slug


def lookalike(a: str, b: str) -> bool:
    """Names that differ only by plurals or by one typo in one long word: « fleurs mail » / « fleur mail »,
    « boulangerie martin » / « boulangerie martn »; « boucherie a » / « boucherie b » stay two shops."""
    wa, wb = [_singular(w) for w in a.split()], [_singular(w) for w in b.split()]
    if len(wa) != len(wb):
        return False
    different = [(x, y) for x, y in zip(wa, wb, strict=True) if x != y]
    if not different:
        return True
    if len(different) > 1:
        return False
    x, y = different[0]
    return min(len(x), len(y)) >= TYPO_MIN and _one_edit(x, y)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


def _one_edit(x: str, y: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns `x` into `y`."""
    if abs(len(x) - len(y)) > 1:
        return False
    i = 0
    while i < min(len(x), len(y)) and x[i] == y[i]:
        i += 1
    if len(x) == len(y):
        return x[i + 1 :] == y[i + 1 :] or (x[i : i + 2] == y[i : i + 2][::-1] and x[i + 2 :] == y[i + 2 :])
    return x[i:] == y[i + 1 :] if len(y) > len(x) else x[i + 1 :] == y[i:]
