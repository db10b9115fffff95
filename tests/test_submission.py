"""Form payload ⇄ Merchant: parsing, French field errors keyed by form field, file names, the schema."""

from __future__ import annotations

import json

import pytest
from botkit import merchant

from ccdir.content.model import Merchant
from ccdir.content.schema import merchant_schema
from ccdir.geo.gazetteer import load_gazetteer
from ccdir.intake.submission import (
    MalformedSubmission,
    SubmissionError,
    field_name,
    folder_for,
    from_form,
    parse_body,
    slug_candidates,
    validate_merchant,
)


def test_form_fields_become_the_nested_entry():
    sub = from_form(
        [
            ("name", " Fleurs "),
            ("categories", "fleuriste"),
            ("categories", "epicerie"),
            ("address.postcode", "45 200"),
            ("address.city", "Montargis"),
            ("address.street", ""),
            ("products.1.name", "Pot"),
            ("products.0.name", "Bouquet"),
            ("products.0.price", "12,50 €"),
            ("products.0.available", "false"),
            ("products.2.available", "false"),
            ("click_and_collect.delivery", "false"),
            ("click_and_collect.delivery", "true"),
            ("consent", "on"),
            ("action", "create"),
        ]
    )
    assert sub.consent and sub.action == "create"
    assert sub.data == {
        "name": " Fleurs ",
        "categories": ["fleuriste", "epicerie"],
        "address": {"postcode": "45 200", "city": "Montargis"},
        "products": [{"name": "Bouquet", "price": "12.50", "available": "false"}, {"name": "Pot"}],
        "click_and_collect": {"delivery": "true"},
    }


def test_json_and_form_give_the_same_merchant(catalog):
    data = merchant()
    as_json = parse_body(json.dumps({"merchant": data, "consent": True}).encode(), "application/json; charset=utf-8")
    pairs = [
        ("name", data["name"]),
        ("kind", data["kind"]),
        ("categories", "fleuriste"),
        ("description", data["description"]),
        ("address.street", "3 rue Royale"),
        ("address.postcode", "45000"),
        ("address.city", "Orléans"),
        ("contact.phone", "02 38 11 22 33"),
        ("contact.email", "bonjour@fleurs-du-mail.example.org"),
        ("click_and_collect.order", "phone"),
        ("click_and_collect.order", "email"),
        ("click_and_collect.pickup", "En boutique."),
        ("opening_hours", "Mo-Sa 09:00-19:00"),
        ("products.0.name", "Bouquet"),
        ("products.0.price", "20"),
    ]
    as_form = from_form(pairs)
    a, _ = validate_merchant(as_json.data, catalog)
    b, _ = validate_merchant(as_form.data, catalog)
    assert a == b


@pytest.mark.parametrize(
    "loc, name",
    [
        (("address", "city"), "address.city"),
        (("categories", 2), "categories"),
        (("click_and_collect", "order", 0), "click_and_collect.order"),
        (("products", 1, "price"), "products.1.price"),
        ((), "fiche"),
    ],
)
def test_field_names_follow_the_form(loc, name):
    assert field_name(loc) == name


def test_errors_name_fields_by_their_label(catalog):
    data = merchant(contact={"email": "x@example.org"}, click_and_collect={"order": ["sms"]})
    with pytest.raises(SubmissionError) as err:
        validate_merchant(data, catalog)
    assert err.value.errors == {
        "click_and_collect.order": ["commande par « sms » : ajoutez un numéro de mobile dans « Téléphone »"]
    }


def test_gazetteer_corrects_spellings_and_refuses_mismatches(catalog):
    gz = load_gazetteer()
    fixed, notes = validate_merchant(merchant(address={"postcode": "45000", "city": "ORLEANS"}), catalog, gz)
    assert fixed.address.city == "Orléans" and notes == ["commune corrigée : « ORLEANS » → « Orléans »"]
    with pytest.raises(SubmissionError) as err:
        validate_merchant(merchant(address={"postcode": "45000", "city": "Blois"}), catalog, gz)
    assert list(err.value.errors) == ["address.postcode"]


def test_slug_candidates_and_folders():
    m = Merchant.model_validate(merchant(name="L'Épicerie de Léa"))
    assert list(slug_candidates(m))[:4] == [
        "epicerie-de-lea",
        "epicerie-de-lea-orleans",
        "epicerie-de-lea-orleans-2",
        "epicerie-de-lea-orleans-3",
    ]
    long = Merchant.model_validate(merchant(name="Très " * 23))
    assert all(len(s) <= 80 for s in list(slug_candidates(long))[:5])
    odd = Merchant.model_validate(merchant(name="花店"))
    assert next(slug_candidates(odd)) == "commerce"
    gz = load_gazetteer()
    assert folder_for("45200", gz) == "45-loiret" and folder_for("37000", gz) == "37-indre-et-loire"
    assert folder_for("20000", gz) == "2a-corse-du-sud"


def test_malformed_json_is_refused():
    with pytest.raises(MalformedSubmission):
        parse_body(b'{"merchant": {}, "slug": 3}', "application/json")


def test_schema_has_the_catalogue_and_the_models_rules(catalog):
    schema = merchant_schema(catalog, "https://x.example/")
    assert schema["$id"] == "https://x.example/schema/merchant.json"
    assert "fleuriste" in schema["properties"]["categories"]["items"]["enum"]
    assert schema["$defs"]["Address"]["properties"]["postcode"]["pattern"] == "^[0-9]{5}$"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"name", "kind", "categories", "address", "contact", "click_and_collect"}


def test_build_publishes_the_form_schema_and_each_entry(demo_site):
    schema = json.loads((demo_site / "schema" / "merchant.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Fiche d'un commerce en click & collect"
    fiche = json.loads((demo_site / "commercants" / "atelier-des-pivoines" / "fiche.json").read_text(encoding="utf-8"))
    assert fiche["slug"] == "atelier-des-pivoines" and fiche["merchant"]["address"]["lat"] == 48.0034
    Merchant.model_validate(fiche["merchant"])
    form = (demo_site / "inscription" / "index.html").read_text(encoding="utf-8")
    assert 'name="address.postcode"' in form and "<script>" not in form and "style=" not in form
    communes = json.loads((demo_site / "assets/inscription/communes/45.json").read_text(encoding="utf-8"))
    assert "Montargis" in communes["45200"]
    page = (demo_site / "commercants" / "atelier-des-pivoines" / "index.html").read_text(encoding="utf-8")
    assert 'href="/inscription/?modifier=atelier-des-pivoines"' in page
