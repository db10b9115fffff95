"""Field metadata: one source for the form (labels, help, input attributes), the JSON Schema (titles,
descriptions, the check each field gets in the browser) and the messages that name fields.

Limits and patterns are not written here: they are read from the content model's own JSON Schema
(`limits`), so the form's `maxlength` and the model's `max_length` cannot disagree.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ccdir.content.model import Merchant
from ccdir.content.textcheck import DECORATIVE_FORMS

URL_HINT = "adresse complète commençant par https://"


@dataclass(frozen=True)
class Field:
    """One form field, named by its dotted place in the merchant file (`address.city`)."""

    label: str
    help: str = ""
    rule: str = ""  # the browser check beyond JSON Schema: line | paragraph | name | phone | siret | postcode
    input_type: str = "text"
    autocomplete: str = ""
    inputmode: str = ""
    format_hint: str = ""  # the expected format, in the error message for a pattern
    compact: bool = False  # spaces removed before checking (postcode, SIRET)


FIELDS: dict[str, Field] = {
    "name": Field(
        "Nom du commerce",
        "Tel qu'il figure sur la devanture, par exemple « Fleurs de Loire ».",
        "name",
        autocomplete="organization",
    ),
    "kind": Field("Type d'activité"),
    "categories": Field(
        "Ce que vous vendez", "Cochez de 1 à 5 catégories. Cherchez avec vos mots : « pain », « bouquet », « vin »…"
    ),
    "description": Field(
        "Présentation",
        "Une ou deux phrases : ce que vous proposez, ce qui vous distingue. 1 000 caractères au plus.",
        "paragraph",
    ),
    "address": Field("Adresse"),
    "address.street": Field(
        "Numéro et rue",
        "Laissez vide pour un marché ou une ferme sans adresse précise.",
        "line",
        autocomplete="address-line1",
    ),
    "address.postcode": Field(
        "Code postal",
        "5 chiffres, par exemple 45200.",
        "postcode",
        inputmode="numeric",
        autocomplete="postal-code",
        format_hint="5 chiffres, par exemple 45200",
        compact=True,
    ),
    "address.city": Field(
        "Commune", "Choisissez dans la liste proposée après le code postal.", "line", autocomplete="address-level2"
    ),
    "contact": Field("Contact", "Indiquez au moins un téléphone, un e-mail ou un site."),
    "contact.phone": Field("Téléphone", "Par exemple 02 38 12 34 56.", "phone", input_type="tel", autocomplete="tel"),
    "contact.email": Field("E-mail", input_type="email", autocomplete="email"),
    "contact.website": Field(
        "Site internet",
        "Adresse complète, par exemple https://www.ma-boutique.fr",
        input_type="url",
        autocomplete="url",
        format_hint=URL_HINT,
    ),
    "contact.facebook": Field("Page Facebook", input_type="url", format_hint=URL_HINT),
    "contact.instagram": Field("Compte Instagram", input_type="url", format_hint=URL_HINT),
    "click_and_collect": Field("Commande et retrait"),
    "click_and_collect.order": Field("Comment commander"),
    "click_and_collect.order_url": Field(
        "Adresse de la boutique en ligne",
        "Obligatoire si l'on commande sur votre site ou une place de marché.",
        input_type="url",
        format_hint=URL_HINT,
    ),
    "click_and_collect.pickup": Field(
        "Où et comment retirer", "Par exemple : « Retrait en boutique, entrée rue Dorée ».", "paragraph"
    ),
    "click_and_collect.pickup_hours": Field(
        "Horaires de retrait", "Même écriture ; laissez vide si ce sont les horaires d'ouverture."
    ),
    "click_and_collect.delivery": Field("Livraison"),
    "opening_hours": Field(
        "Horaires d'ouverture",
        "Jour par jour, ou comme vous les diriez : « du lundi au samedi 9h-12h et 14h-19h, fermé les jours fériés ».",
    ),
    "products": Field("Produits"),
    "products.name": Field("Nom du produit", rule="name"),
    "products.price": Field("Prix", inputmode="decimal"),
    "products.available": Field("Disponible"),
    "points_of_sale": Field("Points de vente", "Ferme, marché, drive fermier, AMAP… en plus de l'adresse principale."),
    "points_of_sale.kind": Field("Type de lieu"),
    "points_of_sale.market": Field("Marché de la liste"),
    "points_of_sale.name": Field("Nom du lieu", rule="name"),
    "points_of_sale.address": Field("Adresse du lieu"),
    "points_of_sale.address.street": Field("Rue ou lieu-dit", rule="line"),
    "points_of_sale.address.postcode": Field(
        "CP du lieu",
        "5 chiffres.",
        "postcode",
        inputmode="numeric",
        format_hint="5 chiffres, par exemple 41200",
        compact=True,
    ),
    "points_of_sale.address.city": Field("Ville du lieu", rule="line"),
    "points_of_sale.hours": Field("Jours et heures", "Par exemple « mercredi 8h-12h30 »."),
    "points_of_sale.notes": Field("Remarque", rule="paragraph"),
    "siret": Field(
        "SIRET",
        "14 chiffres, sur votre avis de situation INSEE ou annuaire-entreprises.data.gouv.fr. "
        "Il n'est pas affiché sur la fiche.",
        "siret",
        inputmode="numeric",
        format_hint="14 chiffres",
        compact=True,
    ),
}

# Fields of the request rather than of the merchant.
REQUEST_FIELDS: dict[str, Field] = {
    "reason": Field("Motif du retrait"),
    "consent": Field("Consentement"),
    "slug": Field("Identifiant de la fiche"),
}

LABELS: dict[str, str] = {name: f.label for name, f in {**FIELDS, **REQUEST_FIELDS}.items()}


def _walk(schema: dict[str, Any], node: dict[str, Any], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted name, the non-null schema of that property) for every property, following $ref and arrays."""
    for key, prop in node.get("properties", {}).items():
        name = f"{prefix}{key}"
        branch = next((b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"), prop)
        if "$ref" in branch:
            branch = schema["$defs"][branch["$ref"].rsplit("/", 1)[-1]]
        yield name, {**prop, **branch} if "anyOf" in prop else branch
        if branch.get("type") == "array" and "$ref" in branch.get("items", {}):
            item = schema["$defs"][branch["items"]["$ref"].rsplit("/", 1)[-1]]
            yield from _walk(schema, item, f"{name}.")
        elif "properties" in branch:
            yield from _walk(schema, branch, f"{name}.")


@functools.lru_cache(maxsize=1)
def limits() -> dict[str, dict[str, Any]]:
    """{"name": {"maxLength": 120, "minLength": 1}, "siret": {"pattern": "^[0-9]{14}$"}, …} from the model."""
    schema = Merchant.model_json_schema(mode="validation")
    keys = ("maxLength", "minLength", "pattern", "minimum", "maximum")
    return {name: {k: prop[k] for k in keys if k in prop} for name, prop in _walk(schema, schema, "")}


def annotate(schema: dict[str, Any]) -> dict[str, Any]:
    """Give every property of `schema` (the model's) its French title and help, and `x-ccdir-rule`: the
    check the browser runs beyond JSON Schema (`templates/assets/inscription/rules.js`).

    A definition shared by several fields (the `Address` of the merchant and of its points of sale) is
    annotated once, by the first field that reaches it: the merchant's own."""
    seen: set[str] = set()

    def visit(node: dict[str, Any], prefix: str) -> None:
        for key, prop in node.get("properties", {}).items():
            name = f"{prefix}{key}"
            spec = FIELDS.get(name)
            if spec is not None:
                prop["title"] = spec.label
                if spec.help:
                    prop["description"] = spec.help
                if spec.rule:
                    prop["x-ccdir-rule"] = spec.rule
            branch = next((b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"), prop)
            ref = branch.get("$ref") or branch.get("items", {}).get("$ref")
            if ref and ref not in seen:
                seen.add(ref)
                visit(schema["$defs"][ref.rsplit("/", 1)[-1]], f"{name}.")

    visit(schema, "")
    schema["x-ccdir-decorative"] = decorative_ranges()
    return schema


@functools.lru_cache(maxsize=1)
def decorative_ranges() -> list[list[int]]:
    """Code point ranges of the letters the model calls decorative (math bold, full width, circled, squared),
    from this Python's Unicode database, for the browser's copy of the rule."""
    ranges: list[list[int]] = []
    for cp in range(0x80, 0x110000):
        if unicodedata.decomposition(chr(cp)).startswith(DECORATIVE_FORMS):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return ranges


def input_attributes(name: str) -> dict[str, str]:
    """HTML attributes of the field's input: maxlength from the model, autocomplete, inputmode…"""
    spec = FIELDS.get(name) or Field(name)
    limit = limits().get(name, {})
    attrs: dict[str, str] = {}
    digits = re.fullmatch(r"\^\[0-9\]\{(\d+)\}\$", limit.get("pattern", ""))
    longest = limit.get("maxLength") or (int(digits.group(1)) if digits else None)
    if longest is not None:
        # A compact value (spaces removed before checking) may be typed with spaces: leave room for them.
        attrs["maxlength"] = str(longest + (6 if spec.compact else 0))
    if spec.autocomplete:
        attrs["autocomplete"] = spec.autocomplete
    if spec.inputmode:
        attrs["inputmode"] = spec.inputmode
    if spec.format_hint:
        attrs["data-format-hint"] = spec.format_hint
    if spec.compact:
        attrs["data-compact"] = ""
    if spec.rule:
        attrs["data-rule"] = spec.rule
    return attrs


def form_fields() -> dict[str, dict[str, Any]]:
    """What templates/inscription.html needs of each field: label, help, input type and attributes."""
    return {
        name: {"label": spec.label, "help": spec.help, "type": spec.input_type, "attrs": input_attributes(name)}
        for name, spec in {**FIELDS, **REQUEST_FIELDS}.items()
    }
