"""The field types of the content model: text lines and paragraphs, names, web and e-mail addresses,
phone numbers, postcodes, SIRET, opening hours and bounded numbers, each with the check that gives a French
message saying how to fix the value (`model` builds the merchant from them; `markets`, `platforms` too).
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from pydantic import AfterValidator, BeforeValidator, Field
from stdnum.fr import siret as stdnum_siret

from ccdir.content.phones import check_phone
from ccdir.content.textcheck import (
    ccdir_error,
    clean_line,
    has_letter_or_digit,
    plain_letters,
    text_line,
    text_paragraph,
)

Line = Annotated[str, BeforeValidator(text_line)]
Name = Annotated[
    str,
    BeforeValidator(text_line),
    Field(min_length=1, max_length=120),
    AfterValidator(has_letter_or_digit),
    AfterValidator(plain_letters),
]
Paragraph = Annotated[str, BeforeValidator(text_paragraph)]


_URL_FORBIDDEN = re.compile(r'[<>"`\\{}]')  # never in a real address; what breaks out of an HTML attribute


def _check_url(value: str) -> str:
    if len(value) > 500:
        raise ccdir_error("adresse web trop longue (500 caractères au plus)")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise ccdir_error(f"adresse web « {value[:60]} » refusée : elle doit commencer par https:// (ou http://)")
    if (bad := _URL_FORBIDDEN.search(value)) is not None:
        raise ccdir_error(
            f"adresse web « {value[:60]} » invalide : le caractère « {bad.group()} » n'a rien à faire "
            "dans une adresse ; copiez-la depuis la barre d'adresse du navigateur"
        )
    if "@" in parts.netloc:
        raise ccdir_error(
            f"adresse web « {value[:60]} » refusée : un « @ » avant le nom du site sert à déguiser "
            "l'adresse ; donnez l'adresse du site lui-même"
        )
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host) or any(ch.isspace() for ch in value):
        raise ccdir_error(
            f"adresse web « {value[:60]} » invalide : écrivez-la complète, par exemple https://www.ma-boutique.fr"
        )
    return value


Url = Annotated[
    str,
    BeforeValidator(clean_line),
    AfterValidator(_check_url),
    Field(json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s]+$", "maxLength": 500}),
]


Phone = Annotated[str, BeforeValidator(clean_line), Field(max_length=40), AfterValidator(check_phone)]


# Plain ASCII addresses (almost all of them) are checked by this conservative pattern; anything else goes
# through email-validator, whose IDNA checks cost ~0.2 ms an address (10 s for a 50,000-merchant build).
_SIMPLE_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*)@"
    r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?P<tld>[A-Za-z]{2,63}))"
)


def _check_email(value: str) -> str:
    simple = _SIMPLE_EMAIL.fullmatch(value)
    if simple and len(simple["local"]) <= 64 and simple["tld"].lower() not in SPECIAL_USE_DOMAIN_NAMES:
        return f"{simple['local']}@{simple['domain'].lower()}"
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ccdir_error(f"adresse e-mail « {value[:80]} » invalide : format attendu nom@domaine.fr") from None


Email = Annotated[str, BeforeValidator(clean_line), Field(max_length=254), AfterValidator(_check_email)]


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
        hint = (
            ' ; si le code commence par 0, écrivez-le entre guillemets : "01000"'
            if (value.isdigit() and len(value) == 4)
            else ""
        )
        raise ccdir_error(f'code postal « {value} » invalide : 5 chiffres attendus, par exemple "45200"{hint}')
    return value


Postcode = Annotated[
    str,
    BeforeValidator(_coerce_postcode),
    AfterValidator(_check_postcode),
    Field(json_schema_extra={"pattern": "^[0-9]{5}$"}),
]


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
        raise ccdir_error(
            f"SIRET « {value} » invalide : ce numéro n'existe pas ; recopiez-le depuis l'avis de "
            "situation INSEE ou l'annuaire-entreprises.data.gouv.fr"
        )
    if not stdnum_siret.is_valid(value):
        raise ccdir_error(
            f"SIRET « {value} » invalide : la clé de contrôle ne correspond pas ; "
            "recopiez-le depuis l'avis de situation INSEE ou l'annuaire-entreprises.data.gouv.fr"
        )
    return value


Siret = Annotated[
    str,
    BeforeValidator(_coerce_siret),
    AfterValidator(_check_siret),
    Field(json_schema_extra={"pattern": "^[0-9]{14}$"}),
]


def _check_hours(value: str) -> str:
    from ccdir.content.hours import validate_hours  # imported lazily to keep start-up light

    return validate_hours(value)


Hours = Annotated[str, BeforeValidator(clean_line), Field(max_length=300), AfterValidator(_check_hours)]


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
