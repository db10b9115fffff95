"""Pages of markets and points of sale: `/marches/`, one page per market, and what commune pages add.

A market page lists every producer present and on which days; a commune page shows its markets with
their producers, and the other points of sale (farm, drive, AMAP…) of merchants based elsewhere. A
commune that has only points of sale, no merchant of its own, gets a page too. Everything comes from
the listings' resolved points (`Listing.points`, `content.outlets.Outlet`) and the market list, so an
incremental build gets the same pages (`plan_points` says which to render again).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from ccdir.content.hours import parse
from ccdir.content.markets import Markets, load_markets
from ccdir.content.outlets import Outlet
from ccdir.core.textnorm import fold


class PointsIndex:
    """The points of sale of every listing, by market and by commune."""

    def __init__(self, listings: list[Any], markets: Markets, place_type: Callable[..., Any]):
        self.markets = markets
        self.by_market: dict[str, list[tuple[Any, Outlet]]] = defaultdict(list)
        self.by_commune: dict[str, list[tuple[Any, Outlet]]] = defaultdict(list)  # not at a market
        self.places: dict[str, Any] = {}  # commune slug → render.Place, for communes with points
        self.market_places: dict[str, str] = {}  # market id → commune slug
        for item in listings:
            for outlet in item.points:
                if outlet.commune_slug is None:
                    continue
                centre = outlet.centre or (None, None)
                self.places.setdefault(outlet.commune_slug, place_type(outlet.commune_slug, outlet.city, outlet.dept,
                                                                   outlet.dept_name, *centre))
                if outlet.market:
                    self.by_market[outlet.market].append((item, outlet))
                    self.market_places[outlet.market] = outlet.commune_slug
                else:
                    self.by_commune[outlet.commune_slug].append((item, outlet))
        for group in (*self.by_market.values(), *self.by_commune.values()):
            group.sort(key=lambda pair: (pair[0].name_key, pair[0].slug, pair[1].number))

    def commune_markets(self, slug: str) -> list[tuple[Any, list[tuple[Any, Outlet]]]]:
        """[(market, [(listing, outlet)…])…] of the markets held in commune `slug`, by name."""
        found = [(self.markets.get(mid), self.by_market[mid]) for mid, place in self.market_places.items()
                 if place == slug and self.markets.get(mid) is not None]
        return sorted(found, key=lambda pair: (fold(pair[0].name), pair[0].id))


def points_index(site: Any, project: Any, place_type: Callable[..., Any]) -> PointsIndex:
    """The `PointsIndex` of a `render.SiteIndex`, made once per site (`place_type`: `render.Place`)."""
    index = getattr(site, "_points_index", None)
    if index is None:
        index = PointsIndex(site.listings, load_markets(project.content, project.root), place_type)
        site._points_index = index
    return index


def market_jobs(renderer: Any, site: Any, place_type: Callable[..., Any]) -> dict[str, Callable[[], str]]:
    """The pages `Renderer.pages` adds: `/marches/`, a page per market, the communes known only by
    their points of sale."""
    index = points_index(site, renderer.project, place_type)
    jobs: dict[str, Callable[[], str]] = {}
    if not len(index.markets) and not index.places:
        return jobs
    if len(index.markets):
        markets = list(index.markets)
        jobs["marches/index.html"] = lambda: renderer.page(
            "markets.html", markets=markets, by_market=index.by_market, market_places=index.market_places,
            pages=site.by_place, index=index)
        for market in markets:
            jobs[f"marches/{market.id}/index.html"] = functools.partial(
                renderer.page, "market.html", market=market, present=index.by_market.get(market.id, []),
                place=index.places.get(index.market_places.get(market.id, "")))
    for slug, place in sorted(index.places.items()):
        if slug not in site.by_place:
            jobs[f"communes/{slug}/index.html"] = functools.partial(renderer.commune_page, site, place)
    return jobs


def commune_extras(renderer: Any, site: Any, place: Any) -> dict[str, Any]:
    """What a commune page shows besides its merchants: its markets and who comes, other points of sale."""
    index = points_index(site, renderer.project, type(place))
    return {"markets_here": index.commune_markets(place.slug), "points_here": index.by_commune.get(place.slug, [])}


def plan_points(site: Any, jobs: dict[str, Any], render: set[str], delete: set[str], old_points: list[tuple],
                new_points: list[tuple]) -> None:
    """Complete an incremental build's plan (`render`, `delete`: pages and folders) for the changed
    merchants' points of sale, `old_points` as the last build showed them and `new_points`: the market
    pages and the pages of those points' communes. The few communes known only by points of sale are
    always rendered again (their « aux alentours » list is not followed merchant by merchant)."""
    index = getattr(site, "_points_index", None)
    render.update(f"communes/{slug}/index.html" for slug in (index.places if index else ())
                  if slug not in site.by_place)
    delete -= {path.removesuffix("index.html") for path in jobs}
    if not old_points and not new_points:
        return
    render.update(path for path in jobs if path.startswith("marches/"))
    for outlet in (*old_points, *new_points):
        slug = Outlet(*outlet).commune_slug
        if slug is not None:
            path = f"communes/{slug}/index.html"
            (render.add(path) if path in jobs else delete.add(f"communes/{slug}/"))


def points_json_ld(item: Any, base_url: str) -> list[dict[str, Any]]:
    """schema.org `Place` of each point of sale, for the merchant's `location` (an Organization may have
    several): address, position, opening hours, and the market page for a market stall."""
    places = []
    for p in item.points:
        place: dict[str, Any] = {
            "@type": "Place", "name": p.name or f"{p.kind_label} — {p.city}",
            "address": {"@type": "PostalAddress", "postalCode": p.postcode, "addressLocality": p.city,
                        "addressCountry": "FR", **({"streetAddress": p.street} if p.street else {})},
        }
        if p.market:
            place["url"] = f"{base_url}marches/{p.market}/"
        if p.lat is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": round(p.lat, 6), "longitude": round(p.lon, 6)}
        if p.hours:
            place["openingHoursSpecification"] = parse(p.hours).schema_org()
        places.append(place)
    return places
