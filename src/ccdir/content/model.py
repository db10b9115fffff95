"""The content model: one merchant file, as validated by the build, the bot, the form and the importers.

Field names are the contract of `content/merchants/**/<slug>.yaml`. Every object forbids unknown keys.
Validators raise French messages that say how to fix the value; `validate.py` turns pydantic's errors
into `path:line:col` problems. Cross-field rules (an order method needs its contact) are attached to the
field that must change, via `ccdir_error(..., subloc=...)`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from ccdir.content.fieldtypes import Email, Hours, Line, Name, Paragraph, Phone, Postcode, Siret, Url, number
from ccdir.content.phones import is_mobile
from ccdir.content.textcheck import ccdir_error, clean_line
from ccdir.core.textnorm import fold

KINDS = ("commerce", "artisan", "producteur", "restaurant", "bar")
ORDER_METHODS = ("phone", "email", "website", "sms", "on_site", "marketplace")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
# Starts every value `ccdir new` leaves for staff to fill in (« À REMPLIR : nom du commerce »): validation
# refuses a file that still has one, naming the field, so a template is never published as it is.
PLACEHOLDER = "À REMPLIR"
OLDEST_UPDATE = dt.date(2000, 1, 1)

Kind = Literal["commerce", "artisan", "producteur", "restaurant", "bar"]
OrderMethod = Literal["phone", "email", "website", "sms", "on_site", "marketplace"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Address(Strict):
    street: Annotated[Line, Field(min_length=1, max_length=200)] | None = None
    postcode: Postcode
    city: Annotated[Line, Field(min_length=1, max_length=100)]
    lat: number(ge=-90, le=90) | None = None  # type: ignore[valid-type]
    lon: number(ge=-180, le=180) | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _pair(self) -> Address:
        if (self.lat is None) != (self.lon is None):
            missing, present = ("lon", "lat") if self.lon is None else ("lat", "lon")
            raise ccdir_error(
                f"« lat » et « lon » vont ensemble : ajoutez « {missing} » ou retirez « {present} »", (present,)
            )
        return self


class Contact(Strict):
    phone: Phone | None = None
    email: Email | None = None
    website: Url | None = None
    facebook: Url | None = None
    instagram: Url | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.phone or self.email or self.website):
            raise ccdir_error("indiquez au moins un moyen de contact : « phone », « email » ou « website »")
        return self


class ClickAndCollect(Strict):
    order: Annotated[list[OrderMethod], Field(min_length=1, max_length=len(ORDER_METHODS))]
    order_url: Url | None = None
    pickup: Annotated[Paragraph, Field(min_length=1, max_length=500)] | None = None
    pickup_hours: Hours | None = None
    delivery: bool = False

    @field_validator("order")
    @classmethod
    def _unique(cls, order: list[str]) -> list[str]:
        for i, method in enumerate(order):
            if method in order[:i]:
                raise ccdir_error(f"« {method} » est listé deux fois : gardez-le une seule fois", (i,))
        return order

    @model_validator(mode="after")
    def _url_when_online(self) -> ClickAndCollect:
        online = [m for m in self.order if m in ("website", "marketplace")]
        if online and not self.order_url:
            raise ccdir_error(
                f"« order_url » est obligatoire quand « order » contient « {online[0]} » : "
                "donnez l'adresse de la boutique en ligne",
                ("order",),
            )
        return self


class Product(Strict):
    name: Name
    price: number(ge=0, le=100_000) | None = None  # type: ignore[valid-type]
    available: bool = True


POINT_KINDS = ("shop", "farm", "market", "drive", "amap", "locker", "partner")
PointKind = Literal["shop", "farm", "market", "drive", "amap", "locker", "partner"]
MAX_POINTS = 20


def _check_market_id(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ccdir_error(
            f"identifiant de marché « {value[:60]} » invalide : recopiez l'« id » du marché tel qu'il "
            "est écrit dans content/markets/ (minuscules, chiffres et tirets, par exemple "
            "« vierzon-samedi »)"
        )
    return value


MarketId = Annotated[
    str, BeforeValidator(clean_line), Field(min_length=1, max_length=SLUG_MAX), AfterValidator(_check_market_id)
]


class PointOfSale(Strict):
    """A « point de vente »: one more place where the merchant sells or hands over orders (the farm, a
    market stall, a farm drive, an AMAP pick-up…); the main `address` stays the first, default one.

    Either an `address` or a `market` (the id of a market of `content/markets/`, whose place and days
    are then those of the market), its own `hours` (hours engine syntax: « We 08:00-12:30 »), `notes`."""

    kind: PointKind
    name: Name | None = None
    address: Address | None = None
    market: MarketId | None = None
    hours: Hours | None = None
    notes: Annotated[Paragraph, Field(min_length=1, max_length=300)] | None = None

    @model_validator(mode="after")
    def _where(self) -> PointOfSale:
        if self.market and self.address:
            raise ccdir_error(
                "donnez soit « market » (un marché de la liste), soit « address », pas les deux : "
                "l'adresse d'un marché de la liste est déjà connue",
                ("address",),
            )
        if not self.market and not self.address:
            raise ccdir_error(
                "indiquez où se trouve ce point de vente : « address » (code postal et commune) ou "
                "« market » (l'identifiant d'un marché de content/markets/)"
            )
        if self.market and self.kind != "market":
            raise ccdir_error(
                f"« market » désigne un marché : écrivez « kind: market » (et non « {self.kind} ») ou "
                "donnez une « address »",
                ("kind",),
            )
        if self.kind == "market" and self.address and not self.hours:
            raise ccdir_error(
                "étal de marché sans jours ni horaires : ajoutez « hours », par exemple "
                "« We 08:00-12:30 » pour le mercredi matin (ou choisissez le marché dans la liste "
                "avec « market »)"
            )
        return self


PlatformPage = create_model(
    "PlatformPage",
    __base__=Strict,  # a merchant's page on a platform of content/platforms/
    platform=(Annotated[str, Field(min_length=1, max_length=80)], ...),
    url=(Url, ...),
)


class Merchant(Strict):
    name: Name
    kind: Kind
    categories: Annotated[list[Annotated[str, Field(max_length=60)]], Field(min_length=1, max_length=5)]
    description: Annotated[Paragraph, Field(max_length=1000)] | None = None
    address: Address
    contact: Contact
    click_and_collect: ClickAndCollect
    opening_hours: Hours | None = None
    products: Annotated[list[Product], Field(max_length=100)] = []
    points_of_sale: Annotated[list[PointOfSale], Field(max_length=MAX_POINTS)] = []  # « points de vente »
    platforms: Annotated[list[PlatformPage], Field(max_length=10)] = []
    siret: Siret | None = None
    updated: dt.date | None = None

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        catalog = (info.context or {}).get("categories")
        for i, cid in enumerate(ids):
            if cid in ids[:i]:
                raise ccdir_error(f"catégorie « {cid} » listée deux fois : gardez-la une seule fois", (i,))
            if catalog is not None and cid not in catalog:
                raise ccdir_error(catalog.unknown_message(cid), (i,))
        return ids

    @field_validator("click_and_collect")
    @classmethod
    def _order_needs_contact(cls, cc: ClickAndCollect, info: ValidationInfo) -> ClickAndCollect:
        contact: Contact | None = info.data.get("contact")
        if contact is None:
            return cc  # the contact block has its own error
        needs = {
            "phone": ("phone", "un numéro de téléphone"),
            "sms": ("phone", "un numéro de mobile"),
            "email": ("email", "une adresse e-mail"),
        }
        for i, method in enumerate(cc.order):
            if method in needs:
                field, what = needs[method]
                if getattr(contact, field) is None:
                    raise ccdir_error(
                        f"commande par « {method} » : ajoutez {what} dans « contact.{field} »", ("order", i)
                    )
                if method == "sms" and contact.phone is not None and not is_mobile(contact.phone):
                    raise ccdir_error(
                        "commande par « sms » : « contact.phone » doit être un mobile (06 ou 07)", ("order", i)
                    )
        return cc

    @field_validator("points_of_sale")
    @classmethod
    def _distinct_points(cls, points: list[PointOfSale], info: ValidationInfo) -> list[PointOfSale]:
        main: Address | None = info.data.get("address")
        seen = {_place_key(main): "l'adresse principale (« address »)"} if main is not None else {}
        for i, point in enumerate(points):
            assert point.market or point.address is not None  # PointOfSale._where: one or the other
            key = f"marché:{point.market}" if point.market else _place_key(point.address)  # type: ignore[arg-type]
            if key in seen and point.market:
                raise ccdir_error(
                    f"point de vente en double : le marché « {point.market} » est déjà {seen[key]} ; "
                    "retirez ce doublon",
                    (i,),
                )
            if key in seen and point.address is not None and (point.address.street or point.name is None):
                raise ccdir_error(
                    f"point de vente en double : même lieu que {seen[key]} ; retirez-le ou "
                    "complétez son adresse (« street »)",
                    (i,),
                )
            seen.setdefault(key, f"le point de vente n° {i + 1}")
        return points

    @field_validator("updated", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            raise ccdir_error("date attendue sans heure, au format AAAA-MM-JJ (par exemple 2020-11-05)")
        return value

    @field_validator("updated")
    @classmethod
    def _not_future(cls, value: dt.date | None) -> dt.date | None:
        if value and value > dt.date.today() + dt.timedelta(days=1):
            raise ccdir_error(
                f"date « {value.isoformat()} » dans le futur : indiquez la date de la dernière mise à jour"
            )
        if value and value < OLDEST_UPDATE:
            raise ccdir_error(
                f"date « {value.isoformat()} » trop ancienne : indiquez la date de la dernière mise à jour"
            )
        return value


def _place_key(address: Address) -> str:
    return f"{fold(address.street or '')}|{address.postcode}|{fold(address.city)}"


def check_slug(slug: str) -> str | None:
    """None when `slug` (a file name without .yaml) is acceptable, else a French message."""
    if len(slug) > SLUG_MAX:
        return f"nom de fichier trop long ({len(slug)} caractères, au plus {SLUG_MAX})"
    if not SLUG_RE.match(slug):
        return (
            f"nom de fichier « {slug}.yaml » invalide : utilisez seulement des minuscules sans accents, "
            "des chiffres et des tirets, par exemple « fleurs-de-loire.yaml »"
        )
    return None
