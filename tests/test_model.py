"""Field rules of the merchant model that the data-driven cases do not pin down."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from pydantic import ValidationError

from ccdir.content.model import Contact, Merchant
from ccdir.content.phones import phone_e164

EMAILS_OK = [
    "contact@example.org",
    "Jean.Dupont+cmd@Boutique-Fleurs.example.ORG",
    "a_b%c@x.fr",
    "été@example.org",
    "contact@exämple.org",
    "x@sub.domain.example.co.uk",
    "a" * 65 + "@example.org",
]
EMAILS_BAD = [
    "contact@@example.org",
    "contact@example",
    ".contact@example.org",
    "contact.@example.org",
    "con..tact@example.org",
    "contact@-example.org",
    "contact@example.test",
    "contact@localhost",
    "contact example@example.org",
    "@example.org",
    "contact@exa_mple.org",
]


@pytest.mark.parametrize("email", EMAILS_OK + EMAILS_BAD)
def test_email_agrees_with_email_validator(email):
    """Our fast path for plain addresses must accept and normalise exactly like email-validator."""
    try:
        expected = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        expected = None
    try:
        got = Contact(email=email).email
    except ValidationError:
        got = None
    assert got == expected
    assert (got is not None) == (email in EMAILS_OK)


@pytest.mark.parametrize(
    "text", ["Fleurs\u202ede Loire", "Fleurs\u200bde Loire", "Fleurs\x07", "Fleurs\nde Loire", "Fleurs\tde"]
)
def test_names_refuse_hidden_and_control_characters(text, valid_yaml):
    with pytest.raises(ValidationError) as err:
        Contact(phone="02 61 91 00 12", website=None, email=None).model_copy()  # sanity: contact is fine
        Merchant.model_validate({"name": text})
    assert any(e["loc"] == ("name",) for e in err.value.errors())


def test_description_keeps_line_breaks():
    from ccdir.content.textcheck import clean_paragraph

    assert clean_paragraph("  Ligne 1\nLigne 2\t!  ") == "Ligne 1\nLigne 2\t!"


@pytest.mark.parametrize(
    "raw, shown, e164",
    [
        ("0261910012", "02 61 91 00 12", "+33261910012"),
        ("+33 2 61 91 00 12", "02 61 91 00 12", "+33261910012"),
        ("02.61.91.00.12", "02 61 91 00 12", "+33261910012"),
        ("+32 2 555 12 12", "+32 2 555 12 12", "+3225551212"),
        ("+33 6 12 34 56 78", "06 12 34 56 78", "+33612345678"),
        ("0899123456", "0 899 12 34 56", "+33899123456"),
        ("02 38 12 34 56 ext. 12", "02 38 12 34 56 ext. 12", "+33238123456"),
        ("+262 262 12 34 56", "+262 262 12 34 56", "+262262123456"),
    ],
)
def test_phone_is_normalised_for_display_and_links(raw, shown, e164):
    contact = Contact(phone=raw)
    assert contact.phone == shown
    assert phone_e164(contact.phone) == e164


def test_bound_messages_say_strict_or_not():
    from pydantic import BaseModel, Field

    from ccdir.content.messages import french_message

    class Radius(BaseModel):
        km: float = Field(gt=0, le=50)

    for value, expected in (
        (0, "« km » vaut 0 : la valeur doit être strictement supérieure à 0"),
        (60, "« km » vaut 60 : la valeur doit être au plus 50"),
    ):
        with pytest.raises(ValidationError) as err:
            Radius(km=value)
        assert french_message(err.value.errors()[0], Radius)[1] == expected
