"""The content model: one merchant file, as validated by the build, the bot, the form and the importers.

Field names are the contract of `content/merchants/**/<slug>.yaml`. Every object forbids unknown keys.
Validators raise French messages that say how to fix the value; `validate.py` turns pydantic's errors
into `path:line:col` problems. Cross-field rules (an order method needs its contact) are attached to the
field that must change, via `ccdir_error(..., subloc=...)`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
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
from stdnum.fr import siret as stdnum_siret

from ccdir.content.phones import check_phone, format_phone, is_mobile, is_premium_rate, phone_e164  # noqa: F401  (re-exported)
from ccdir.content.textcheck import ccdir_error, unseen
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

# Characters that hide text or reorder it on screen (bidi overrides, zero-width), and control characters.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u00ad\u200b\u200c\u2060\ufeff"  # U+200D (joiner) is checked by _unseen: emoji sequences need it
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_FORBIDDEN_LINE = re.compile(f"[{_BIDI}{_INVISIBLE}{_CONTROL}\u2028\u2029\t\n]")
_FORBIDDEN_TEXT = re.compile(f"[{_BIDI}{_INVISIBLE}{_CONTROL}\u2028\u2029]")
_BIDI_RE = re.compile(f"[{_BIDI}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


def _clean_text(value: Any, *, multiline: bool) -> Any:
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    value = unicodedata.normalize("NFC", value).strip()
    found = (_FORBIDDEN_TEXT if multiline else _FORBIDDEN_LINE).search(value)
    if found:
        ch = found.group()
        if _BIDI_RE.match(ch):
            raise ccdir_error(f"caractère de contrôle de sens d'écriture (U+{ord(ch):04X}) interdit : "
                              "retapez le texte sans copier-coller")
        if ch in "\u2028\u2029\x85":  # YAML reads them as line breaks, editors do not: the reader refuses them
            raise ccdir_error(f"séparateur de ligne spécial (U+{ord(ch):04X}) : remplacez-le par un retour à la ligne "
                              "ordinaire ou une espace (il vient souvent d'un copier-coller)")
        if _INVISIBLE_RE.match(ch):
            raise ccdir_error(f"caractère invisible (U+{ord(ch):04X}) interdit : retapez le texte sans copier-coller")
        raise ccdir_error(f"caractère de contrôle (U+{ord(ch):04X}) interdit"
                          + ("" if multiline else " : le texte doit tenir sur une ligne"))
    if not value.isascii():
        unseen(value)
    return value


# Compatibility forms that only restyle a letter or digit: 𝐁 (math bold), Ｂ (full width), Ⓑ (circled)…
DECORATIVE_FORMS = ("<font>", "<wide>", "<circle>", "<square>")


def _plain_letters(value: str) -> str:
    if value.isascii():
        return value
    for ch in value:
        if ord(ch) > 0x7f and unicodedata.decomposition(ch).startswith(DECORATIVE_FORMS):
            raise ccdir_error(f"lettres décoratives (« {ch} ») : écrivez le nom en lettres ordinaires ; "
                              "les lecteurs d'écran et la recherche ne les reconnaissent pas")
    return value


def _line(value: Any) -> Any:
    return _clean_text(value, multiline=False)


def _paragraph(value: Any) -> Any:
    return _clean_text(value, multiline=True)


def _has_letter_or_digit(value: str) -> str:
    if value and not any(ch.isalnum() for ch in value):
        raise ccdir_error("le texte doit contenir au moins une lettre ou un chiffre")
    return value


# What a spreadsheet runs as a formula when the published CSV is opened: « =HYPERLINK(…) », « +cmd|… »,
# « @SUM(… ». « @Home Déco » or « - 10 % » stay possible.
_FORMULA = re.compile(r"^(=|[+\-@]\S*[(|!])")


def _no_formula(value: Any) -> Any:
    if isinstance(value, str) and _FORMULA.match(value):
        raise ccdir_error(f"texte qui commence comme une formule de tableur (« {value[:20]} ») : il "
                          "s'exécuterait à l'ouverture des données dans un tableur ; retirez le signe du début")
    return value


def _text_line(value: Any) -> Any:
    return _no_formula(_line(value))


def _text_paragraph(value: Any) -> Any:
    return _no_formula(_paragraph(value))


Line = Annotated[str, BeforeValidator(_text_line)]
Name = Annotated[str, BeforeValidator(_text_line), Field(min_length=1, max_length=120),
                 AfterValidator(_has_letter_or_digit), AfterValidator(_plain_letters)]
Paragraph = Annotated[str, BeforeValidator(_text_paragraph)]


_URL_FORBIDDEN = re.compile(r'[<>"`\\{}]')  # never in a real address; what breaks out of an HTML attribute


def _check_url(value: str) -> str:
    if len(value) > 500:
        raise ccdir_error("adresse web trop longue (500 caractères au plus)")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ccdir_error(f"adresse web « {value[:60]} » refusée : elle doit commencer par https:// (ou http://)")
    if (bad := _URL_FORBIDDEN.search(value)) is not None:
        raise ccdir_error(f"adresse web « {value[:60]} » invalide : le caractère « {bad.group()} » n'a rien à faire "
                          "dans une adresse ; copiez-la depuis la barre d'adresse du navigateur")
    if "@" in parts.netloc:
        raise ccdir_error(f"adresse web « {value[:60]} » refusée : un « @ » avant le nom du site sert à déguiser "
                          "l'adresse ; donnez l'adresse du site lui-même")
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host) or any(ch.isspace() for ch in value):
        raise ccdir_error(f"adresse web « {value[:60]} » invalide : écrivez-la complète, par exemple "
                          "https://www.ma-boutique.fr")
    return value


Url = Annotated[str, BeforeValidator(_line), AfterValidator(_check_url),
                Field(json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$", "maxLength": 500})]


Phone = Annotated[str, BeforeValidator(_line), Field(max_length=40), AfterValidator(check_phone)]


# Plain ASCII addresses (almost all of them) are checked by this conservative pattern; anything else goes
# through email-validator, whose IDNA checks cost ~0.2 ms an address (10 s for a 50,000-merchant build).
_SIMPLE_EMAIL = re.compile(r"(?P<local>[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)@"
                           r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,63}))")


def _check_email(value: str) -> str:
    simple = _SIMPLE_EMAIL.fullmatch(value)
    if simple and len(simple["local"]) <= 64 and simple["tld"].lower() not in SPECIAL_USE_DOMAIN_NAMES:
        return f"{simple['local']}@{simple['domain'].lower()}"
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ccdir_error(f"adresse e-mail « {value[:80]} » invalide : format attendu nom@domaine.fr") from None


Email = Annotated[str, BeforeValidator(_line), Field(max_length=254), AfterValidator(_check_email)]


def _coerce_postcode(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value.strip().replace(" ", "")
    return value


def _check_postcode(value: str) -> str:
    if not re.fullmatch(r"\d{5}", value):
        hint = " ; si le code commence par 0, écrivez-le entre guillemets : \"01000\"" if (
            value.isdigit() and len(value) == 4) else ""
        raise ccdir_error(f"code postal « {value} » invalide : 5 chiffres attendus, par exemple \"45200\"{hint}")
    return value


Postcode = Annotated[str, BeforeValidator(_coerce_postcode), AfterValidator(_check_postcode),
                     Field(json_schema_extra={"pattern": "^[0-9]{5}$"})]


def _coerce_siret(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value).zfill(14)
    if isinstance(value, str):
        return re.sub(r"[\s.]", "", value)
    return value


def _check_siret(value: str) -> str:
    if not re.fullmatch(r"\d{14}", value):
        raise ccdir_error(f"SIRET « {value} » invalide : 14 chiffres attendus (SIREN à 9 chiffres + NIC à 5 chiffres)")
    if not value.strip("0"):
        raise ccdir_error(f"SIRET « {value} » invalide : ce numéro n'existe pas ; recopiez-le depuis l'avis de "
                          "situation INSEE ou l'annuaire-entreprises.data.gouv.fr")
    if not stdnum_siret.is_valid(value):
        raise ccdir_error(f"SIRET « {value} » invalide : la clé de contrôle ne correspond pas ; "
                          "recopiez-le depuis l'avis de situation INSEE ou l'annuaire-entreprises.data.gouv.fr")
    return value


Siret = Annotated[str, BeforeValidator(_coerce_siret), AfterValidator(_check_siret),
                  Field(json_schema_extra={"pattern": "^[0-9]{14}$"})]


def _check_hours(value: str) -> str:
    from ccdir.content.hours import validate_hours  # imported lazily to keep start-up light

    return validate_hours(value)


Hours = Annotated[str, BeforeValidator(_line), Field(max_length=300), AfterValidator(_check_hours)]


def _number(value: Any) -> Any:
    if isinstance(value, bool):  # `lat: true` would otherwise be read as 1.0
        raise ccdir_error(f"nombre attendu, pas {str(value).lower()} : écrivez un nombre ordinaire, par exemple 12.5")
    if isinstance(value, float) and not math.isfinite(value):  # YAML's .nan and .inf
        raise ccdir_error(f"nombre attendu, pas {value} : écrivez un nombre ordinaire, par exemple 12.5")
    return value


def _no_negative_zero(value: float | None) -> float | None:
    return 0.0 if value == 0 else value  # "-0 €" on a price tag


def number(**bounds: float) -> Any:
    """A float within `bounds` (pydantic's ge/le, kept first so the JSON Schema shows minimum/maximum)."""
    return Annotated[float, Field(**bounds), BeforeValidator(_number), AfterValidator(_no_negative_zero)]  # type: ignore[call-overload]  # bounds are ge/le/gt/lt


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
            raise ccdir_error(f"« lat » et « lon » vont ensemble : ajoutez « {missing} » ou retirez « {present} »",
                              (present,))
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
            raise ccdir_error(f"« order_url » est obligatoire quand « order » contient « {online[0]} » : "
                              "donnez l'adresse de la boutique en ligne", ("order",))
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
        raise ccdir_error(f"identifiant de marché « {value[:60]} » invalide : recopiez l'« id » du marché tel qu'il "
                          "est écrit dans content/markets/ (minuscules, chiffres et tirets, par exemple "
                          "« vierzon-samedi »)")
    return value


MarketId = Annotated[str, BeforeValidator(_line), Field(min_length=1, max_length=SLUG_MAX),
                     AfterValidator(_check_market_id)]


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
            raise ccdir_error("donnez soit « market » (un marché de la liste), soit « address », pas les deux : "
                              "l'adresse d'un marché de la liste est déjà connue", ("address",))
        if not self.market and not self.address:
            raise ccdir_error("indiquez où se trouve ce point de vente : « address » (code postal et commune) ou "
                              "« market » (l'identifiant d'un marché de content/markets/)")
        if self.market and self.kind != "market":
            raise ccdir_error(f"« market » désigne un marché : écrivez « kind: market » (et non « {self.kind} ») ou "
                              "donnez une « address »", ("kind",))
        if self.kind == "market" and self.address and not self.hours:
            raise ccdir_error("étal de marché sans jours ni horaires : ajoutez « hours », par exemple "
                              "« We 08:00-12:30 » pour le mercredi matin (ou choisissez le marché dans la liste "
                              "avec « market »)")
        return self


PlatformPage = create_model("PlatformPage", __base__=Strict,  # a merchant's page on a platform of content/platforms/
                            platform=(Annotated[str, Field(min_length=1, max_length=80)], ...), url=(Url, ...))
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
        needs = {"phone": ("phone", "un numéro de téléphone"), "sms": ("phone", "un numéro de mobile"),
                 "email": ("email", "une adresse e-mail")}
        for i, method in enumerate(cc.order):
            if method in needs:
                field, what = needs[method]
                if getattr(contact, field) is None:
                    raise ccdir_error(f"commande par « {method} » : ajoutez {what} dans « contact.{field} »",
                                      ("order", i))
                if method == "sms" and contact.phone is not None and not is_mobile(contact.phone):
                    raise ccdir_error("commande par « sms » : « contact.phone » doit être un mobile (06 ou 07)",
                                      ("order", i))
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
                raise ccdir_error(f"point de vente en double : le marché « {point.market} » est déjà {seen[key]} ; "
                                  "retirez ce doublon", (i,))
            if key in seen and point.address is not None and (point.address.street or point.name is None):
                raise ccdir_error(f"point de vente en double : même lieu que {seen[key]} ; retirez-le ou "
                                  "complétez son adresse (« street »)", (i,))
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
            raise ccdir_error(f"date « {value.isoformat()} » dans le futur : indiquez la date de la dernière mise à jour")
        if value and value < OLDEST_UPDATE:
            raise ccdir_error(f"date « {value.isoformat()} » trop ancienne : indiquez la date de la dernière mise à jour")
        return value


def _place_key(address: Address) -> str:
    return f"{fold(address.street or '')}|{address.postcode}|{fold(address.city)}"


def check_slug(slug: str) -> str | None:
    """None when `slug` (a file name without .yaml) is acceptable, else a French message."""
    if len(slug) > SLUG_MAX:
        return f"nom de fichier trop long ({len(slug)} caractères, au plus {SLUG_MAX})"
    if not SLUG_RE.match(slug):
        return (f"nom de fichier « {slug}.yaml » invalide : utilisez seulement des minuscules sans accents, "
                "des chiffres et des tirets, par exemple « fleurs-de-loire.yaml »")
    return None
