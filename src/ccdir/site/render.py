"""Render stage: turn validated, located merchants into static pages (Jinja2).

Rendering yields `(relative path, text)` pairs; the builder writes them. Nothing here touches the
network or the clock, so two builds of the same content give byte-identical pages.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, MutableMapping

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ccdir.content.categories import GROUPS, CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.labels import KIND_LABELS, ORDER_ACTIONS, ORDER_LABELS
from ccdir.content.listing import Listing, Place, dept_of, make_listings  # noqa: F401  (re-exported)
from ccdir.content.stage import MerchantFile
from ccdir.content.phones import phone_e164
from ccdir.content.platforms import load_platforms
from ccdir.site.basket import basket_for
from ccdir.geo.nearby import GridIndex, distance_km
from ccdir.site.marketpages import commune_extras, market_jobs, points_json_ld
from ccdir.site import dates, i18n
from ccdir.site.security import content_security_policy
from ccdir.core.textnorm import fold

HOME_PLACES = 30
# schema.org LocalBusiness subtypes for the categories that have one; others are plain Store/LocalBusiness.
SCHEMA_TYPES = {
    "fleuriste": "Florist", "bijouterie": "JewelryStore", "librairie": "BookStore", "vetements": "ClothingStore",
    "chaussures": "ShoeStore", "jouets": "ToyStore", "restaurant": "Restaurant", "bar": "BarOrPub",
    "boulangerie": "Bakery", "caviste": "LiquorStore", "epicerie": "GroceryStore", "opticien": "Optician",
    "quincaillerie": "HardwareStore", "sport": "SportingGoodsStore", "decoration": "HomeGoodsStore",
    "jardinerie": "GardenStore", "animalerie": "PetStore", "informatique": "ComputerStore",
    "electromenager": "ElectronicsStore", "meubles": "FurnitureStore", "velo": "BikeStore",
    "coiffure": "HairSalon", "pharmacie": "Pharmacy", "patisserie": "Bakery", "traiteur": "FoodEstablishment",
}


def json_ld(item: Listing, base_url: str) -> dict[str, Any]:
    """schema.org description of a merchant page (LocalBusiness or its most specific subtype)."""
    m = item.merchant
    types = [SCHEMA_TYPES[c.id] for c in item.categories if c.id in SCHEMA_TYPES]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": types[0] if types else ("Store" if m.kind == "commerce" else "LocalBusiness"),
        "name": m.name,
        "url": base_url + item.url,
        "address": {
            "@type": "PostalAddress", "postalCode": m.address.postcode, "addressLocality": m.address.city,
            "addressCountry": "FR", **({"streetAddress": m.address.street} if m.address.street else {}),
        },
    }
    if m.description:
        data["description"] = m.description
    if item.lat is not None and item.lon is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": round(item.lat, 6), "longitude": round(item.lon, 6)}
    if m.contact.phone:
        data["telephone"] = phone_e164(m.contact.phone)
    if m.contact.email:
        data["email"] = m.contact.email
    same_as = [u for u in (m.contact.website, m.contact.facebook, m.contact.instagram) if u]
    if same_as:
        data["sameAs"] = same_as
    if m.opening_hours:
        from ccdir.content.hours import parse

        data["openingHoursSpecification"] = parse(m.opening_hours).schema_org()
    if item.points:
        data["location"] = points_json_ld(item, base_url)
    if m.siret:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "SIRET", "value": m.siret}
    return data


@functools.lru_cache(maxsize=4096)  # many merchants share the same hours
def describe_hours(text: str | None) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    from ccdir.content.hours import parse

    return tuple(parse(text).describe_fr())


def describe_hours_en(text: str | None) -> tuple[tuple[str, str], ...]:
    """`describe_hours` in English (the /en/ pages)."""
    return tuple((dates.when_en(days), dates.when_en(times)) for days, times in describe_hours(text))


def format_price(value: float) -> str:
    whole = value == int(value)
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + "\u00a0€"


def format_km(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "\u00a0km" if value < 10 else f"{value:.0f}\u00a0km"


NEIGHBOURS = 6  # merchants in the « À proximité » block of a merchant page
AROUND_MAX = 60  # nearest merchants of other communes on a commune page: more would not help on a phone
_SLOT = "\x00"  # stands for a card's distance; merchant text cannot contain it (control characters are refused)
_DISTANCE_OPEN, _DISTANCE_CLOSE = '<span class="distance">', "</span>"  # around the distance in _card.html


def _slug(item: Listing) -> str:
    return item.slug


def _commune(item: Listing) -> str:
    return item.place.slug


def _never(item: Listing) -> bool:
    return False


class SiteIndex:
    """What pages share: merchants by category and by commune, and a grid to find who is near whom."""

    def __init__(self, listings: list[Listing], radius: float):
        self.listings = listings
        self.radius = radius
        self.by_category: dict[str, list[Listing]] = defaultdict(list)
        self.by_place: dict[str, list[Listing]] = defaultdict(list)
        places: dict[str, Place] = {}
        for item in listings:
            for cat in item.categories:
                self.by_category[cat.id].append(item)
            self.by_place[item.place.slug].append(item)
            places.setdefault(item.place.slug, item.place)
        folded = {name: fold(name) for name in {it.place.name for it in listings}}  # once per commune, not per merchant
        for items in self.by_category.values():
            items.sort(key=lambda it: (folded[it.place.name], it.name_key, it.slug))
        self.places = sorted(places.values(), key=lambda p: (p.dept, fold(p.name)))
        # What a page computes that does not depend on its language, kept for the page's other language
        # (rendered next, by the same process: `Renderer.pages`) and given up then.
        self.shared: dict[tuple[str, str], Any] = {}
        self.grid = GridIndex(((it.lat, it.lon, it) for it in listings if it.lat is not None and it.lon is not None), cell_deg=0.01,
                              order=_slug, group=_commune)

    def _once(self, kind: str, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, or what it gave the last time when that has not been used twice yet: the French and
        English pages of a merchant or commune share it."""
        got = self.shared.pop((kind, key), None)
        if got is None:
            got = self.shared[kind, key] = compute()
        return got

    def neighbours(self, item: Listing) -> list[tuple[float, Listing]]:
        if item.lat is None or item.lon is None:
            return []
        return self.grid.nearest(item.lat, item.lon, NEIGHBOURS, self.radius, lambda other: other is item)

    def page_neighbours(self, item: Listing) -> list[tuple[float, Listing]]:
        """`neighbours(item)` for its page in each language, computed once."""
        return self._once("neighbours", item.slug, lambda: self.neighbours(item))

    def commune_lists(self, place: Place) -> dict[str, Any]:
        """Merchants of the commune, then the nearest others within the radius (any région), nearest first;
        computed once for the page in each language."""
        return self._once("commune", place.slug, lambda: self._commune_lists(place))

    def _commune_lists(self, place: Place) -> dict[str, Any]:
        own = self.by_place[place.slug]
        centre: tuple[float, float] | None = (place.lat, place.lon) if place.lat is not None and place.lon is not None else next(
            ((it.lat, it.lon) for it in own if it.lat is not None and it.lon is not None), None)
        if centre is None:
            return {"local": [(None, it) for it in sorted(own, key=lambda it: it.name_key)], "around": []}
        local = sorted(((distance_km(*centre, it.lat, it.lon) if it.lat is not None and it.lon is not None else 0.0, it) for it in own),
                       key=lambda x: (x[0], x[1].slug))
        around = self.grid.nearest(*centre, AROUND_MAX, self.radius, _never, skip_group=place.slug)  # other communes
        return {"local": local, "around": around}


class _Environment(Environment):
    """Jinja2's environment, whose templates see its globals as a plain dict rather than a `ChainMap`: every
    `{% from "_macros.html" import … %}` compares the page's globals with the macros' (Jinja2's
    `_get_default_module`), which through a ChainMap cost ~7 % of a merchant page. The globals are all set
    before the first template is loaded (`Renderer.__init__`) and never changed."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class Renderer:
    """Holds the Jinja2 environment and the site-wide context."""

    def __init__(self, project: Project, catalog: CategoryCatalog, lang: str = i18n.SOURCE):
        self.project = project
        self.catalog = catalog
        self.lang = lang
        self.here: str | None = None  # the page being rendered (« communes/x/ »): its language links
        self.env = _Environment(
            extensions=["jinja2.ext.i18n"],
            loader=FileSystemLoader([str(d) for d in project.template_dirs]),
            bytecode_cache=template_cache(project),
            autoescape=select_autoescape(["html", "xml"], default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a renderer serves one build: no need to look at the files' dates on every page
        )
        self.env.policies["ext.i18n.trimmed"] = True  # msgids without the templates' line breaks and indents
        _ = i18n.gettext_for(lang)
        self.env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
        base, prefix = project.settings.base_path, i18n.PREFIX[lang]

        def url(path: str = "") -> str:  # resident pages link to their own language's pages
            return base + (prefix + path if prefix and i18n.is_resident(path) else path)

        self.env.globals.update(
            site=project.settings,
            catalog=catalog,
            lang=lang,
            groups={k: _(v) for k, v in GROUPS.items()},
            order_labels={k: _(v) for k, v in ORDER_LABELS.items()},
            order_actions={k: _(v) for k, v in ORDER_ACTIONS.items()},
            kind_labels={k: _(v) for k, v in KIND_LABELS.items()},
            url=url,
            abs_url=lambda path="": project.settings.base_url + url(path)[len(base):],
            lang_url=lambda lang, path, absolute=False: (project.settings.base_url if absolute else base)
            + i18n.PREFIX[lang] + path,
            js_messages=i18n.js_messages(lang),
            alternates=i18n.counterparts,
            card=self.card,
            around_max=AROUND_MAX,
            csp=content_security_policy(project.settings),
            platforms=load_platforms(project, catalog)[0],  # checked with the merchants (`content.loading.check`)
            basket_for=basket_for,  # the reservation basket of merchant pages
            # on the elements holding what merchants wrote in French (descriptions, notes, products), on pages
            # in another language: screen readers read them in French
            merchant_lang=Markup(' lang="fr"') if lang != i18n.SOURCE else "",
        )
        # The scripts' messages, the same JSON block on every page of the language: serialised once.
        self.env.globals["js_messages_json"] = Markup(self.env.from_string("{{ m|tojson }}").render(m=self.env.globals["js_messages"]))
        english = lang == "en"
        self.env.filters.update(
            price=dates.price_en if english else format_price, km=dates.km_en if english else format_km,
            hours=describe_hours_en if english else describe_hours, hours_fr=describe_hours, date=dates.long_date_en if english else dates.long_date,
            month=dates.month, label=(lambda cat: cat.label_en) if english else (lambda cat: cat.label),
            when=dates.when_en if english else str)
        self.translations: dict[str, Renderer] = {}
        # A merchant's card appears on many pages: render it once, with and without a distance slot.
        self.cards: dict[str, str] = {}
        self.split_cards: dict[str, tuple[str, str]] = {}
        self.fresh: set[str] = set()  # merchants whose card or neighbours were computed since `harvest`
        self.neighbour_slugs: dict[str, tuple[tuple[float, str], ...]] = {}
        # Files that build stages publish beside each merchant's page: {name: function(listing) → text}
        # (`ccdir.content.stage.Stage.merchant_files`); rendered with the pages, on every core.
        self.merchant_files: dict[str, MerchantFile] = {}
        self.cut_cards: bool | None = None  # whether `_render_card` may cut a card out of the other (None: unknown)

    def page(self, template: str, **context: Any) -> str:
        context.setdefault("here", self.here)
        return self.env.get_template(template).render(**context)

    def translated(self, lang: str) -> Renderer:
        """The renderer of the same site in `lang` (its own cards)."""
        if lang == self.lang:
            return self
        if lang not in self.translations:
            self.translations[lang] = Renderer(self.project, self.catalog, lang)
            self.translations[lang].merchant_files = {}
        return self.translations[lang]

    def _at(self, path: str, job: Callable[[], str]) -> str:
        """`job` rendering the page at `path` (« communes/x/index.html »): its language links know where it is."""
        self.here = path.removesuffix("index.html")
        try:
            return job()
        finally:
            self.here = None

    def card(self, item: Listing, distance: float | None = None) -> Markup:
        """`templates/_card.html` for `item`, with its distance when given."""
        if distance is None:
            html = self.cards.get(item.slug)
            if html is None:
                html = self._render_card(item)[0]
            return Markup(html)
        parts = self.split_cards.get(item.slug)
        if parts is None:
            parts = self._render_card(item)[1]
        return Markup(parts[0] + str(escape(format_km(distance))) + parts[1])

    def _render_card(self, item: Listing) -> tuple[str, tuple[str, str]]:
        """Both forms of `item`'s card, (without distance, (before distance, after distance)), from one rendering.

        The card rendered with a slot for the distance, less the slot and the element around it, is the card
        without a distance: checked on the first card, since a project's own template may differ.
        """
        head, _, tail = self.page("_card.html", item=item, distance=_SLOT).partition(_SLOT)
        cut = head.endswith(_DISTANCE_OPEN) and tail.startswith(_DISTANCE_CLOSE)
        plain = head[:-len(_DISTANCE_OPEN)] + tail[len(_DISTANCE_CLOSE):] if cut else None
        if not (cut and self.cut_cards):  # not known yet, or not possible
            rendered = self.page("_card.html", item=item, distance=None)
            if self.cut_cards is None:
                self.cut_cards = rendered == plain
            plain = rendered
        assert plain is not None
        self.cards.setdefault(item.slug, plain)
        self.split_cards.setdefault(item.slug, (head, tail))
        self.fresh.add(item.slug)
        return self.cards[item.slug], self.split_cards[item.slug]

    def pages(self, site: SiteIndex, extra_pages: Iterable[str] = ()) -> dict[str, Callable[[], str]]:
        """Every file of the site: {path relative to the site root: function rendering its content}.

        `extra_pages`: folders of pages that build stages add (« donnees/ »), listed in the sitemap."""
        jobs = self.resident_pages(site)
        if self.lang == i18n.SOURCE:
            # Each page's translations come right after it, so that the process rendering it (and its
            # language-independent parts: `SiteIndex.shared`) renders them too.
            translated: dict[str, Callable[[], str]] = {}
            for lang in i18n.LANGS:
                if lang != self.lang:
                    translated.update((i18n.PREFIX[lang] + path, job)
                                      for path, job in self.translated(lang).resident_pages(site).items()
                                      if path.endswith(".html") and i18n.is_resident(path))
            interleaved: dict[str, Callable[[], str]] = {}
            for path, job in jobs.items():
                interleaved[path] = job
                for lang in i18n.LANGS:
                    if i18n.PREFIX[lang] and (i18n.PREFIX[lang] + path) in translated:
                        interleaved[i18n.PREFIX[lang] + path] = translated.pop(i18n.PREFIX[lang] + path)
            jobs = interleaved | translated  # (translated pages without a French one: none, but kept)
        jobs["robots.txt"] = lambda: self.page("robots.txt")
        listed = sorted({*(path.removesuffix("index.html") for path in jobs if path.endswith(".html")
                           and not path.endswith("404.html")), *extra_pages})
        jobs["sitemap.xml"] = lambda: self.page("sitemap.xml", pages=listed)
        return jobs

    def resident_pages(self, site: SiteIndex) -> dict[str, Callable[[], str]]:
        """The pages of this renderer's language (and the files beside merchant pages)."""
        jobs: dict[str, Callable[[], str]] = {}
        # The home page names the communes with the most merchants; /communes/ lists them all.
        top = sorted(site.places, key=lambda p: (-len(site.by_place[p.slug]), fold(p.name)))[:HOME_PLACES]
        top.sort(key=lambda p: fold(p.name))
        jobs["index.html"] = lambda: self.page("home.html", listings=site.listings, by_category=site.by_category,
                                               places=site.places, top_places=top, by_place=site.by_place,
                                               count=len(site.listings))
        jobs["recherche/index.html"] = lambda: self.page("search.html")
        jobs["categories/index.html"] = lambda: self.page("categories.html", by_category=site.by_category)
        jobs["communes/index.html"] = lambda: self.page("communes.html", places=site.places, by_place=site.by_place)
        for item in site.listings:
            jobs[item.url + "index.html"] = functools.partial(self.merchant_page, site, item)
            for name, make in self.merchant_files.items():
                jobs[item.url + name] = functools.partial(make, item)
        for cat in self.catalog:
            if cat.id in site.by_category:
                jobs[f"categories/{cat.id}/index.html"] = functools.partial(
                    self.page, "category.html", category=cat, items=site.by_category[cat.id])
        for place in site.places:
            jobs[f"communes/{place.slug}/index.html"] = functools.partial(self.commune_page, site, place)
        jobs.update(market_jobs(self, site, Place))  # /marches/, communes known by their points of sale only
        jobs["404.html"] = lambda: self.page("404.html")
        return {path: functools.partial(self._at, path, job) if path.endswith(".html") else job
                for path, job in jobs.items()}

    def merchant_page(self, site: SiteIndex, item: Listing) -> str:
        item.neighbours = site.page_neighbours(item)
        self.neighbour_slugs[item.slug] = tuple((d, other.slug) for d, other in item.neighbours)
        self.fresh.add(item.slug)
        jsonld = site._once("jsonld", item.slug, lambda: json_ld(item, self.project.settings.base_url))  # the same in English
        return self.page("merchant.html", item=item, jsonld=jsonld)

    def commune_page(self, site: SiteIndex, place: Place) -> str:
        return self.page("commune.html", place=place, **site.commune_lists(place), **commune_extras(self, site, place))

    def harvest(self) -> dict[str, tuple[str | None, tuple[str, str] | None, tuple[tuple[float, str], ...] | None]]:
        """{slug: (card, split card, neighbours)} computed since the last call (kept by the build cache)."""
        got = {slug: (self.cards.get(slug), self.split_cards.get(slug), self.neighbour_slugs.get(slug))
               for slug in self.fresh}
        self.fresh = set()
        return got

    def render_all(self, listings: list[Listing], extra_pages: Iterable[str] = ()) -> Iterator[tuple[str, str]]:
        """Every page of the site, as (path relative to the site root, content)."""
        for path, job in self.pages(SiteIndex(listings, self.project.settings.neighbour_km), extra_pages).items():
            yield path, job()


def template_cache(project: Project) -> FileSystemBytecodeCache | None:
    """Compiled templates kept in the build cache folder, when the project has one (`ccdir.build.cache`):
    a fresh `ccdir build` process then does not compile every template again."""
    folder = project.cache_dir
    if not folder.is_dir():
        return None
    (folder / "templates").mkdir(exist_ok=True)
    return FileSystemBytecodeCache(str(folder / "templates"))


def copy_assets(project: Project, target: Path) -> list[str]:
    """Copy `templates/assets/` to `site/assets/` (a project's own assets override ccdir's file by file);
    returns the files written, relative to `target`."""
    sources: dict[str, Path] = {}
    for folder in reversed(project.template_dirs):
        source = folder / "assets"
        if source.is_dir():
            for path in source.rglob("*"):
                if path.is_file():
                    sources["assets/" + path.relative_to(source).as_posix()] = path
    for rel, path in sorted(sources.items()):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(path.read_bytes())
    return sorted(sources)


def dumps(data: Any) -> str:
    """Deterministic compact JSON for files the site publishes."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
