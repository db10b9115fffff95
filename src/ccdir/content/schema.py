"""JSON Schema of a merchant file, generated from the content model at build time.

Published as `site/schema/merchant.json`: the registration form validates with it as people type, and
editors validate YAML files with it (`# yaml-language-server: $schema=<site>/schema/merchant.json`).
It says what JSON Schema can say (types, required fields, lengths, patterns, category ids), with each
field's French title and help (`ccdir.content.fields`); `x-ccdir-rule` names the check the form runs
beyond JSON Schema (text hygiene, phone numbers, SIRET check digit: `assets/inscription/rules.js`,
held to the model's verdicts by tests/test_form_parity.py). Postcode ⇄ commune is the server's verdict.
"""

from __future__ import annotations

from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.fields import annotate
from ccdir.content.model import Merchant

SCHEMA_PATH = "schema/merchant.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def merchant_schema(catalog: CategoryCatalog | None = None, base_url: str | None = None) -> dict[str, Any]:
    """The model's JSON Schema, with the catalogue's category ids as an enum."""
    schema = Merchant.model_json_schema(mode="validation")
    schema = {"$schema": DIALECT, **({"$id": base_url + SCHEMA_PATH} if base_url else {}), **schema}
    schema["title"] = "Fiche d'un commerce en click & collect"
    schema["description"] = (
        "Un fichier content/merchants/<dossier>/<identifiant>.yaml. Généré depuis "
        "ccdir.content.model.Merchant : ne pas modifier à la main."
    )
    if catalog is not None:
        items = schema["properties"]["categories"]["items"]
        items["enum"] = [cat.id for cat in catalog]
    return annotate(schema)
