"""One resolved record per merchant: what every build stage needs to know about it, resolved once.

A `Listing` carries the merchant with its commune (from the gazetteer, as the geocoder found it), its
position and how precise it is, its page's commune (`Place`) and its categories as catalogue entries.
Pages, the search index, open data and statistics all read these fields; none of them looks the commune
up again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from ccdir.content.categories import Category, CategoryCatalog
from ccdir.content.markets import Markets
from ccdir.content.model import Merchant
from ccdir.content.outlets import Outlet, resolve_outlets
from ccdir.content.phones import phone_e164
from ccdir.content.validate import Entry
from ccdir.core.textnorm import fold, slugify
from ccdir.geo.gazetteer import Commune
from ccdir.geo.geocode import Location


@dataclass(frozen=True)
class Place:
    """A commune as shown on the site (page slug, name, département)."""

    slug: str
    name: str
    dept: str
    dept_name: str
    lat: float | None = None
    lon: float | None = None
    insee: str | None = None  # for the local platforms covering it (`content.platforms`)


@dataclass
class Listing:
    """Everything the build knows about one merchant."""

    slug: str
    path: str
    merchant: Merchant
    place: Place
    categories: list[Category]
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    neighbours: list[tuple[float, Listing]] = field(default_factory=list)
    commune: Commune | None = None  # the gazetteer's commune of its address (None only without a gazetteer)
    geohash: str | None = None  # of (lat, lon) when the geocoder gave the position
    points: list[Outlet] = field(default_factory=list)  # its points of sale besides the main address

    @property
    def url(self) -> str:
        return f"commercants/{self.slug}/"

    @functools.cached_property
    def phone_link(self) -> str | None:
        phone = self.merchant.contact.phone
        return f"tel:{phone_e164(phone)}" if phone else None

    @functools.cached_property
    def sms_link(self) -> str | None:
        phone = self.merchant.contact.phone
        return f"sms:{phone_e164(phone)}" if phone else None

    @functools.cached_property
    def mail_link(self) -> str | None:
        email = self.merchant.contact.email
        if not email:
            return None
        subject = quote(f"Commande click & collect — {self.merchant.name}")
        return f"mailto:{email}?subject={subject}"

    @functools.cached_property
    def name_key(self) -> str:
        """Folded name, the sort key of lists of merchants."""
        return fold(self.merchant.name)

    @property
    def map_link(self) -> str | None:
        if self.lat is None:
            return None
        return (
            f"https://www.openstreetmap.org/?mlat={self.lat:.5f}&mlon={self.lon:.5f}"
            f"#map=17/{self.lat:.5f}/{self.lon:.5f}"
        )


def dept_of(postcode: str) -> str:
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    if postcode.startswith("97"):
        return postcode[:3]
    return postcode[:2]


def place_for(entry: Entry, commune: Commune | None) -> Place:
    if commune is not None:
        return Place(
            commune.slug, commune.name, commune.dept, commune.dept_name, commune.lat, commune.lon, commune.insee
        )
    address = entry.merchant.address
    dept = dept_of(address.postcode)
    return Place(f"{slugify(address.city)}-{dept.lower()}", address.city, dept, dept)


def make_listing(
    entry: Entry, location: Location | None, catalog: CategoryCatalog, outlets: list[Outlet] | None = None
) -> Listing:
    """The listing of a checked merchant file and its position (`ccdir.content.loading.locate`)."""
    lat: float | None
    lon: float | None
    precision: str | None
    if location is not None:
        lat, lon, precision = location.lat, location.lon, location.precision
    else:
        lat, lon = entry.merchant.address.lat, entry.merchant.address.lon
        precision = "manual" if lat is not None else None
    commune = location.commune if location is not None else None
    return Listing(
        entry.slug,
        entry.path,
        entry.merchant,
        place_for(entry, commune),
        [catalog[c] for c in entry.merchant.categories],
        lat,
        lon,
        precision,
        commune=commune,
        geohash=location.geohash if location is not None else None,
        points=outlets or [],
    )


def make_listings(
    entries: Iterable[Entry], locations: dict[str, Location], catalog: CategoryCatalog, markets: Markets | None = None
) -> list[Listing]:
    """The listings of `entries`, in slug order; `markets` (`Report.markets`) resolve their points of sale."""
    listings = [
        make_listing(e, locations.get(e.slug), catalog, resolve_outlets(e.slug, e.merchant, locations, markets))
        for e in entries
    ]
    listings.sort(key=lambda item: item.slug)
    return listings
