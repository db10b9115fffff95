"""Points of sale resolved: where each of a merchant's points stands, under which name, and when it opens.

The content model (`PointOfSale` in `model.py`) says what a merchant file writes; this module turns
each point into an `Outlet` once (its market's place and days, its commune, its position), so that the
pages, the search index and the open data all show the same thing. Positions come from the geocoder
like the main address's: `locate_points` adds them to the build's locations under `outlet_key(slug, n)`,
and each market's under `market_key(id)`.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ccdir.content.config import Project
from ccdir.content.hours import parse
from ccdir.content.labels import POINT_KIND_LABELS
from ccdir.content.markets import POINT_ANCHOR, Markets, check_references, hours_phrase, load_markets
from ccdir.core.problems import Problem
from ccdir.geo.gazetteer import check_address, with_de

# Where each kind of point of sale is, said before a place name.
_WHERE = {
    "shop": "à la boutique",
    "farm": "à la ferme",
    "market": "au marché",
    "drive": "au drive fermier",
    "amap": "à l'AMAP",
    "locker": "au casier",
    "partner": "chez un commerce partenaire",
}


class Outlet(NamedTuple):
    """One point of sale as every output shows it (plain values: the build cache keeps it)."""

    number: int  # 1-based position in the merchant's `points_of_sale`
    kind: str
    name: str | None  # its own name, or its market's
    market: str | None  # market id
    street: str | None  # street, or the market's place
    postcode: str
    city: str
    commune_slug: str | None
    dept: str
    dept_name: str
    centre: tuple[float, float] | None  # the commune's
    lat: float | None
    lon: float | None
    precision: str | None
    hours: str | None  # hours engine syntax: the point's own, else its market's
    notes: str | None

    @property
    def kind_label(self) -> str:
        return POINT_KIND_LABELS[self.kind]

    @property
    def where(self) -> str:
        """« au marché de Romorantin-Lanthenay », « à la ferme de Salbris », « chez Épicerie du Centre »."""
        if self.kind == "partner" and self.name:
            return f"chez {self.name}"
        return f"{_WHERE[self.kind]} {with_de(self.city)}"

    @property
    def when(self) -> str:
        """The open days and hours, spoken: « mercredi 8 h – 12 h 30 ; samedi 9 h – 12 h »."""
        return hours_phrase(self.hours)

    @property
    def week(self) -> str:
        """Weekly open spans as JSON, `[[weekday, start, end]…]` (Monday = 0, minutes): the next opening
        is computed in the resident's browser (`assets/points.js`), the site being static."""
        return json.dumps(parse(self.hours).weekly() if self.hours else [], separators=(",", ":"))

    @property
    def map_link(self) -> str | None:
        if self.lat is None:
            return None
        return (
            f"https://www.openstreetmap.org/?mlat={self.lat:.5f}&mlon={self.lon:.5f}"
            f"#map=17/{self.lat:.5f}/{self.lon:.5f}"
        )


def outlet_key(slug: str, number: int) -> str:
    """Key of point `number` of merchant `slug` in the build's locations (never a slug: slugs have no « # »)."""
    return f"{slug}#{number}"


def market_key(market_id: str) -> str:
    return f"marché:{market_id}"


# --- checking and locating ------------------------------------------------------------------------------


def check_markets(project: Project, report: Any, gazetteer: Any = None) -> Markets:
    """Load `content/markets/`, add its problems to `report`, and drop (with an error at the line that
    names it) every merchant that refers to a market the list does not have."""
    markets = load_markets(project.content, project.root, gazetteer)
    report.entries, unknown = check_references(report.entries, markets)
    report.problems.extend(markets.problems + unknown)
    report.problems.sort()
    report.markets = markets
    return markets


def locate_points(geocoder: Any, report: Any, locations: dict[str, Any]) -> list[Problem]:
    """Position every market and every point of sale of `report`'s merchants, into `locations`
    (`market_key`, `outlet_key`); returns the geocoder's problems (same wording as for main addresses)."""
    markets: Markets | None = getattr(report, "markets", None)
    items = []
    if markets is not None:
        items += [(market_key(m.id), markets.where[m.id][0], m.address, markets.where[m.id][1:]) for m in markets]
    pending: list[tuple[str, str]] = []  # (outlet key, market id) of market points
    for e in report.entries:
        if not e.anchors or not any(key.startswith(POINT_ANCHOR) for key in e.anchors):
            continue  # no point of sale: the cached merchant need not be unpickled
        for n, point in enumerate(e.merchant.points_of_sale, 1):
            if point.address is not None:
                items.append((outlet_key(e.slug, n), e.path, point.address, e.position(f"{POINT_ANCHOR}{n}")))
            elif point.market:
                pending.append((outlet_key(e.slug, n), point.market))
    if not items:
        return []
    found, problems = geocoder.locate_all(items)
    locations.update(found)
    for key, market_id in pending:
        if market_key(market_id) in found:
            locations[key] = found[market_key(market_id)]
    return problems


# --- resolving ------------------------------------------------------------------------------------------


def resolve_outlets(slug: str, merchant: Any, locations: dict[str, Any], markets: Markets | None) -> list[Outlet]:
    """The merchant's points of sale as `Outlet`s (a point whose market is unknown is left out)."""
    outlets = []
    for n, point in enumerate(merchant.points_of_sale, 1):
        market = markets.get(point.market) if (markets is not None and point.market) else None
        if point.market and market is None:
            continue
        address = market.address if market is not None else point.address
        loc = locations.get(outlet_key(slug, n))
        commune = getattr(loc, "commune", None)
        outlets.append(
            Outlet(
                n,
                point.kind,
                point.name or (market.name if market is not None else None),
                point.market,
                address.street,
                address.postcode,
                commune.name if commune is not None else address.city,
                commune.slug if commune is not None else None,
                commune.dept if commune is not None else address.postcode[:2],
                commune.dept_name if commune is not None else address.postcode[:2],
                (commune.lat, commune.lon) if commune is not None else None,
                getattr(loc, "lat", address.lat),
                getattr(loc, "lon", address.lon),
                getattr(loc, "precision", "manual" if address.lat is not None else None),
                point.hours or (market.hours if market is not None else None),
                point.notes,
            )
        )
    return outlets


def keep_points(current: Any, submitted: Any) -> Any:
    """`submitted` with the points of sale of `current` when it has none: the registration form does not
    show points of sale yet, so an edit made with it must not drop them (the bot calls this)."""
    if current is None or submitted.points_of_sale or not current.points_of_sale:
        return submitted
    return submitted.model_copy(update={"points_of_sale": current.points_of_sale})


def checked_points(gazetteer: Any, merchant: Any) -> tuple[Any, dict[str, list[str]], list[str]]:
    """The gazetteer's verdict on each point's address, as the bot reports the main address's: (the
    merchant with spellings corrected, errors by form field « points_of_sale.0.address.city », notes)."""
    errors: dict[str, list[str]] = {}
    notes: list[str] = []
    points = list(merchant.points_of_sale)
    for i, point in enumerate(points):
        if point.address is None:
            continue
        verdict = check_address(gazetteer, point.address.postcode, point.address.city)
        if verdict is None:
            continue
        if verdict.is_error or not verdict.suggestion:
            errors.setdefault(f"points_of_sale.{i}.address.{verdict.field}", []).append(verdict.message)
            continue
        notes.append(f"commune corrigée (point de vente {i + 1}) : « {point.address.city} » → « {verdict.suggestion} »")
        points[i] = point.model_copy(update={"address": point.address.model_copy(update={"city": verdict.suggestion})})
    return merchant.model_copy(update={"points_of_sale": points}), errors, notes
