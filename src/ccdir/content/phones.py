"""Phone numbers (libphonenumber's Python port, `phonenumbers`): checked and written once in the model's
form, then turned into E.164 for links, the search index and open data without parsing again."""

from __future__ import annotations

import functools
import re

import phonenumbers

from ccdir.content.textcheck import ccdir_error

__all__ = ["check_phone", "format_phone", "is_mobile", "is_premium_rate", "phone_e164"]


def check_phone(value: str) -> str:
    try:
        number = _parse_phone(value)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ccdir_error(
            f"numéro de téléphone « {value} » invalide : écrivez un numéro français à 10 chiffres "
            "(02 38 12 34 56) ou international (+32 2 555 12 12)"
        )
    return format_phone(number)


@functools.lru_cache(maxsize=1024)
def _parse_phone(value: str) -> phonenumbers.PhoneNumber:
    """The number as phonenumbers reads it (French by default); the checks below ask about a number just
    validated, usually written as `format_phone` would write it, so a small cache saves parsing it again."""
    return phonenumbers.parse(value, "FR")


def format_phone(number: phonenumbers.PhoneNumber) -> str:
    """National format for French numbers ("02 38 12 34 56"), international otherwise."""
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 33
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


_FRENCH_NATIONAL = re.compile(r"0[1-9](?: \d\d){4}")  # how `format_phone` writes a French number


def phone_e164(value: str) -> str:
    """E.164 form of a validated phone number, for tel: links and JSON-LD.

    Every page, the search index and the open data need it: the French national form that validation
    wrote ("02 38 12 34 56") is turned into "+33238123456" without parsing it again.
    """
    if _FRENCH_NATIONAL.fullmatch(value):
        return "+33" + value[1:].replace(" ", "")
    return phonenumbers.format_number(_parse_phone(value), phonenumbers.PhoneNumberFormat.E164)


def is_mobile(value: str) -> bool:
    kind = phonenumbers.number_type(_parse_phone(value))
    return kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def is_premium_rate(value: str) -> bool:
    """True for a surcharged number (08 9x in France): a scam sign on an order line."""
    return phonenumbers.number_type(_parse_phone(value)) == phonenumbers.PhoneNumberType.PREMIUM_RATE
