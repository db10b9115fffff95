"""Synthetic merchants for benchmarks and scale tests: `ccdir demo-data --count N --seed S`.

Merchants are spread over real communes by population: the home région, plus the communes of its
neighbouring départements within BORDER_KM of it (fewer the farther they are), with names, descriptions, products and hours that look like the real thing. The
output is deterministic for a seed and valid for our own validator.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stdnum import luhn

from ccdir.content.categories import CategoryCatalog
from ccdir.core.textnorm import slugify
from ccdir.geo.gazetteer import Commune, Gazetteer
from ccdir.geo.nearby import GridIndex

HOME_REGION = "24"  # Centre-Val de Loire
BORDER_KM = 30.0  # merchants beyond the région's border serve its residents only this close to it
# Centre-Val de Loire and the départements that touch it.
DEPARTEMENTS = (
    "18",
    "28",
    "36",
    "37",
    "41",
    "45",
    "03",
    "23",
    "27",
    "49",
    "58",
    "61",
    "72",
    "77",
    "78",
    "86",
    "87",
    "89",
    "91",
)
PHONE_RANGES = ("02 61 91", "03 53 01", "01 99 00", "04 65 71", "05 36 49")  # reserved by ARCEP for fiction

SURNAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
)
FIRST_NAMES = (
    "Camille",
    "Léa",
    "Hugo",
    "Louise",
    "Jules",
    "Chloé",
    "Lucas",
    "Manon",
    "Arthur",
    "Inès",
    "Nathan",
    "Jeanne",
    "Paul",
    "Alice",
    "Louis",
    "Emma",
    "Gabriel",
    "Rose",
    "Adam",
    "Anna",
)
PATTERNS = (
    "{label} {surname}",
    "{label} du Centre",
    "Chez {first}",
    "{label} de {commune}",
    "Au Bon {label}",
    "{label} {first} & {surname}",
    "Maison {surname}",
    "L'Atelier de {first}",
    "{label} des Halles",
    "Aux Délices de {first}",
    "{label} de la Place",
    "{label} {surname} et Fils",
)
STREETS = (
    "rue de la République",
    "Grande Rue",
    "rue du Commerce",
    "place du Marché",
    "avenue de la Gare",
    "rue Nationale",
    "rue des Halles",
    "rue Victor-Hugo",
    "rue Jean-Jaurès",
    "place de l'Église",
    "boulevard Pasteur",
    "rue du Château",
    "rue des Écoles",
    "quai de Loire",
    "rue Pasteur",
)
DESCRIPTIONS = (
    "{label} indépendante au cœur de {commune} : commandez, nous préparons, vous retirez.",
    "Commerce de proximité à {commune}. Commande par téléphone ou e-mail, retrait sans attente.",
    "Depuis 1987 à {commune}, {label_lower} de qualité, conseils et service personnalisé.",
    "Producteurs locaux, circuits courts et retrait sur place à {commune}.",
)
PRODUCTS = (
    "Coffret cadeau",
    "Bon d'achat",
    "Sélection du moment",
    "Panier découverte",
    "Article du jour",
    "Assortiment maison",
    "Édition limitée",
    "Pack famille",
    "Carte cadeau",
    "Nouveauté de saison",
)
HOURS = (
    "Tu-Sa 09:30-19:00",
    "Mo-Sa 09:00-12:30,14:00-19:00",
    "Tu-Sa 09:00-12:00,14:30-19:00; PH off",
    "Mo-Fr 08:00-18:00; Sa 09:00-12:00",
    "We-Su 10:00-18:00",
    "Mo-Sa 07:00-13:00,15:30-19:30; Su 07:00-12:30",
)
KIND_BY_GROUP = {
    "alimentation": ("commerce", "artisan", "producteur"),
    "restauration": ("restaurant", "bar"),
    "services": ("artisan", "commerce"),
}


@dataclass(frozen=True)
class _Weighted:
    communes: list[Commune]
    cumulative: list[int]

    def pick(self, rng: random.Random) -> Commune:
        return self.communes[bisect.bisect(self.cumulative, rng.randrange(self.cumulative[-1]))]


def _communes(gazetteer: Gazetteer, departements: tuple[str, ...], region: str = HOME_REGION) -> _Weighted:
    candidates = sorted((c for c in gazetteer if c.dept in departements and c.postcodes), key=lambda c: c.insee)
    home = GridIndex(((c.lat, c.lon, c) for c in candidates if c.region == region), cell_deg=0.1)
    chosen, weights = [], []
    for c in candidates:
        # Shops follow population, but even a village may have its farm or its baker.
        weight = float(max(150, c.population))
        if c.region != region:
            border = min((d for d, _ in home.within(c.lat, c.lon, BORDER_KM)), default=BORDER_KM)
            weight *= 1 - border / BORDER_KM
        if weight >= 1:
            chosen.append(c)
            weights.append(round(weight))
    return _Weighted(chosen, list(itertools.accumulate(weights)))


def _point_near(rng: random.Random, commune: Commune) -> tuple[float, float]:
    radius = min(max(commune.radius_km, 1), 4) * 0.6 * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    lat = commune.lat + radius / 111.0 * math.sin(angle)
    lon = commune.lon + radius / (111.0 * math.cos(math.radians(commune.lat))) * math.cos(angle)
    return round(lat, 5), round(lon, 5)


def _siret(rng: random.Random) -> str:
    # Both the SIREN (9 digits) and the whole SIRET (14 digits) carry a Luhn check digit.
    siren = "".join(rng.choice("0123456789") for _ in range(8))
    siren += luhn.calc_check_digit(siren)
    body = siren + "".join(rng.choice("0123456789") for _ in range(4))
    return body + luhn.calc_check_digit(body)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(
    count: int, seed: int, gazetteer: Gazetteer, catalog: CategoryCatalog, departements: tuple[str, ...] = DEPARTEMENTS
) -> Iterator[tuple[str, str]]:
    """(relative path under content/merchants, YAML text) for `count` merchants."""
    rng = random.Random(seed)
    places = _communes(gazetteer, departements)
    categories = sorted(catalog, key=lambda c: c.id)
    seen_names: set[tuple[str, str]] = set()
    seen_slugs: set[str] = set()
    for i in range(count):
        commune = places.pick(rng)
        cat = rng.choice(categories)
        extra = [c.id for c in rng.sample(categories, rng.choice((0, 0, 0, 1, 2))) if c.id != cat.id]
        postcode = rng.choice(commune.postcodes)
        for attempt in itertools.count():
            name = rng.choice(PATTERNS).format(
                label=cat.label, surname=rng.choice(SURNAMES), first=rng.choice(FIRST_NAMES), commune=commune.name
            )
            if attempt > 3:
                name = f"{name} {attempt}"
            if (name.casefold(), postcode) not in seen_names:
                break
        seen_names.add((name.casefold(), postcode))
        slug = slugify(name)[:60].strip("-")
        if slug in seen_slugs:
            slug = f"{slug}-{i}"
        seen_slugs.add(slug)
        kind = rng.choice(KIND_BY_GROUP.get(cat.group, ("commerce",)))
        phone = f"{rng.choice(PHONE_RANGES)} {rng.randrange(100):02d} {rng.randrange(100):02d}"
        domain = f"{slug[:40].strip('-')}.example.org"
        order = rng.choice(
            (["phone"], ["phone", "email"], ["email"], ["website"], ["phone", "on_site"], ["marketplace", "phone"])
        )
        lines = [
            f"name: {_quote(name)}",
            f"kind: {kind}",
            f"categories: [{', '.join([cat.id, *extra])}]",
            "description: "
            + _quote(
                rng.choice(DESCRIPTIONS).format(label=cat.label, label_lower=cat.label.lower(), commune=commune.name)
            ),
            "address:",
        ]
        if rng.random() < 0.85:
            lines.append(f"  street: {_quote(f'{rng.randrange(1, 120)} {rng.choice(STREETS)}')}")
        lines += [f'  postcode: "{postcode}"', f"  city: {_quote(commune.name)}"]
        if rng.random() < 0.7:
            lat, lon = _point_near(rng, commune)
            lines += [f"  lat: {lat}", f"  lon: {lon}"]
        lines += ["contact:", f'  phone: "{phone}"', f"  email: contact@{domain}"]
        if rng.random() < 0.5 or {"website", "marketplace"} & set(order):
            lines.append(f"  website: https://{domain}")
        lines += ["click_and_collect:", f"  order: [{', '.join(order)}]"]
        if {"website", "marketplace"} & set(order):
            lines.append(f"  order_url: https://{domain}/boutique")
        lines.append(
            f"  pickup: {_quote(rng.choice(('Retrait en boutique.', 'Retrait au comptoir, sans attente.', 'Retrait sur rendez-vous.')))}"
        )
        hours = rng.choice(HOURS)
        if rng.random() < 0.5:
            lines.append(f'  pickup_hours: "{hours}"')
        if rng.random() < 0.2:
            lines.append("  delivery: true")
        if rng.random() < 0.8:
            lines.append(f'opening_hours: "{hours}"')
        products = rng.sample(PRODUCTS, rng.randrange(0, 6))
        if products:
            lines.append("products:")
            for product in products:
                lines.append(f"  - name: {_quote(product + ' ' + cat.label.lower())}")
                lines.append(f"    price: {rng.randrange(3, 150)}")
        if rng.random() < 0.5:
            lines.append(f'siret: "{_siret(rng)}"')
        lines.append(f"updated: 2020-{rng.randrange(10, 13)}-{rng.randrange(1, 29):02d}")
        folder = f"{commune.dept}-{slugify(commune.dept_name)}"
        yield f"{folder}/{slug}.yaml", "\n".join(lines) + "\n"


def write_project(target: Path, count: int, seed: int, source_content: Path) -> int:
    """A complete project folder in `target` (settings and categories copied) with `count` merchants."""
    from ccdir.content.categories import load_catalog

    merchants = target / "content" / "merchants"
    if merchants.exists():
        shutil.rmtree(merchants)
    merchants.mkdir(parents=True)
    for name in ("categories.yaml", "lexique.yaml", "site.yaml"):
        if (source_content / name).exists():
            shutil.copy(source_content / name, target / "content" / name)
    catalog = load_catalog(target / "content" / "categories.yaml")
    n = 0
    for rel, text in generate(count, seed, Gazetteer.load(), catalog):
        path = merchants / rel
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        n += 1
    return n
