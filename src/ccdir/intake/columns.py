"""Which column of a chamber's sheet feeds which merchant field (for `ccdir import`).

Headers are recognised as chambers write them (« Raison sociale », « CP », « Commune », « Mail »,
« Code NAF », « APE »…), folded (see textnorm.fold), or mapped explicitly with `--colonne`. A NAF column
may name its generation (« Code NAF 2025 », « activite_principale_naf25 »): it is remembered per column.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from ccdir.content.naf import generation_in_header
from ccdir.core.problems import ContentError, Problem
from ccdir.core.textnorm import fold
from ccdir.intake.sheets import present

# field → (where it goes in a merchant file, French label for messages)
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "name": (("name",), "nom (enseigne)"),
    "legal_name": (("name",), "raison sociale"),
    "kind": (("kind",), "type"),
    "activity": (("categories",), "activité"),
    "description": (("description",), "description"),
    "street": (("address", "street"), "adresse"),
    "street2": (("address", "street"), "complément d'adresse"),
    "postcode": (("address", "postcode"), "code postal"),
    "city": (("address", "city"), "commune"),
    "lat": (("address", "lat"), "latitude"),
    "lon": (("address", "lon"), "longitude"),
    "phone": (("contact", "phone"), "téléphone"),
    "email": (("contact", "email"), "e-mail"),
    "website": (("contact", "website"), "site web"),
    "facebook": (("contact", "facebook"), "Facebook"),
    "instagram": (("contact", "instagram"), "Instagram"),
    "order": (("click_and_collect", "order"), "moyens de commande"),
    "order_url": (("click_and_collect", "order_url"), "boutique en ligne"),
    "pickup": (("click_and_collect", "pickup"), "retrait"),
    "pickup_hours": (("click_and_collect", "pickup_hours"), "horaires de retrait"),
    "delivery": (("click_and_collect", "delivery"), "livraison"),
    "opening_hours": (("opening_hours",), "horaires d'ouverture"),
    "siret": (("siret",), "SIRET"),
    "updated": (("updated",), "date de mise à jour"),
    "naf": ((), "code NAF"),  # not stored: it chooses the categories and the kind (see activities.py)
    "naf_label": ((), "libellé NAF"),
}

# Headers recognised without --colonne, folded (see textnorm.fold). Free-text opening hours are too
# varied to be auto-detected: map them explicitly once they are in OpenStreetMap syntax.
HEADERS: dict[str, list[str]] = {
    "name": [
        "enseigne",
        "nom commercial",
        "nom",
        "nom du commerce",
        "nom de l etablissement",
        "etablissement",
        "nom usuel",
        "commerce",
    ],
    "legal_name": [
        "raison sociale",
        "denomination",
        "denomination sociale",
        "societe",
        "entreprise",
        "nom de l entreprise",
    ],
    "kind": ["type", "type de commerce", "nature", "type d etablissement"],
    "activity": [
        "activite",
        "activites",
        "activite principale",
        "secteur",
        "secteur d activite",
        "categorie",
        "categories",
        "metier",
        "libelle activite",
        "libelle de l activite",
        "type d activite",
    ],
    "description": ["description", "presentation", "descriptif"],
    "street": [
        "adresse",
        "adresse postale",
        "rue",
        "voie",
        "adresse 1",
        "adresse ligne 1",
        "numero et voie",
        "adresse de l etablissement",
        "adresse etablissement",
    ],
    "street2": ["complement", "complement d adresse", "adresse 2", "adresse ligne 2"],
    "postcode": ["cp", "code postal", "codepostal", "code postal etablissement"],
    "city": ["ville", "commune", "localite", "ville etablissement", "commune etablissement"],
    "lat": ["latitude", "lat"],
    "lon": ["longitude", "lon", "lng"],
    "phone": [
        "telephone",
        "tel",
        "telephone fixe",
        "tel fixe",
        "numero de telephone",
        "portable",
        "mobile",
        "telephone portable",
        "tel portable",
        "gsm",
    ],
    "email": ["mail", "e mail", "email", "courriel", "adresse mail", "adresse e mail", "adresse email", "mel"],
    "website": ["site", "site web", "site internet", "internet", "url", "web"],
    "facebook": ["facebook", "page facebook"],
    "instagram": ["instagram"],
    "order": ["commande", "moyens de commande", "mode de commande", "modes de commande"],
    "order_url": ["boutique en ligne", "site de commande", "lien de commande", "commande en ligne", "e boutique"],
    "pickup": ["retrait", "modalites de retrait", "lieu de retrait"],
    "delivery": ["livraison", "livraison a domicile"],
    "siret": ["siret", "n siret", "no siret", "numero siret", "num siret", "siret etablissement"],
    "updated": ["mise a jour", "date de mise a jour", "date maj", "maj", "modifie le", "date de modification"],
    # A generation in the header (« Code NAF 2025 », « NAF rév. 2 ») is read apart, then dropped: see _naf_key.
    "naf": [
        "code naf",
        "naf",
        "ape",
        "code ape",
        "activite principale naf",
        "code naf ape",
        "naf ape",
        "ape naf",
        "code ape naf",
        "code naf code ape",
        "activite principale exercee",
        "activite principale exercee ape",
        "code activite principale",
        "activite principale etablissement",
        "activiteprincipaleetablissement",
        "activite principale unite legale",
        "code naf etablissement",
        "naf etablissement",
        "ape etablissement",
    ],
    "naf_label": [
        "libelle naf",
        "libelle ape",
        "libelle code naf",
        "libelle du code naf",
        "libelle naf ape",
        "intitule naf",
        "intitule ape",
        "libelle activite principale",
        "libelle de l activite principale",
        "libelle activite principale exercee",
        "libelle activite principale etablissement",
    ],
}
_HEADER_FIELD = {h: f for f, headers in HEADERS.items() for h in headers}
_GENERATION_WORDS = re.compile(r"\b(?:nomenclature|revision|rev ?2|2008|2025|naf ?25|naf ?08)\b")


def _naf_key(folded: str) -> str:
    """« code naf 2025 » → « code naf », « activite principale naf25 » → « activite principale naf »."""
    key = re.sub(r"\bnaf ?(?:25|08)\b", "naf", folded)
    return " ".join(_GENERATION_WORDS.sub(" ", key).split())


def header_field(header: str) -> str | None:
    key = fold(header)
    found = _HEADER_FIELD.get(key)
    if found is None and generation_in_header(header):
        found = _HEADER_FIELD.get(_naf_key(key))
        found = found if found in ("naf", "naf_label") else None
    return found


# Columns whose field is already taken serve as fallbacks (e.g. « Portable » when « Téléphone » is empty);
# the legal name is the fallback of the trading name.
_FALLBACK_OF = {"legal_name": "name"}


@dataclass
class Columns:
    """Which columns feed each field, most trusted first."""

    fields: dict[str, list[int]]
    headers: list[str]
    ignored: list[str]
    targets: dict[int, str] = field(default_factory=dict)  # column → field as recognised (before fallbacks)
    generations: dict[int, str] = field(default_factory=dict)  # NAF column → generation its header names

    def value(self, name: str, cells: list[Any]) -> tuple[Any, int]:
        """First non-empty cell of `name`'s columns, and its 1-based column number (0 when none)."""
        for i in self.fields.get(name, ()):
            if i < len(cells) and present(cells[i]):
                return cells[i], i + 1
        return None, 0

    def has(self, name: str) -> bool:
        return bool(self.fields.get(name))

    def generation(self, column: int) -> str | None:
        """The NAF generation the header of 1-based `column` names, if any."""
        return self.generations.get(column - 1)


def map_columns(headers: list[str], explicit: dict[str, str], shown: str) -> Columns:
    """Recognise the headers; explicit `header → field` mappings win over auto-detection."""
    problems = []
    by_folded = {fold(h): i for i, h in reversed(list(enumerate(headers))) if h}
    forced: dict[int, str] = {}
    for header, target in explicit.items():
        i = by_folded.get(fold(header))
        if i is None:
            close = difflib.get_close_matches(header, [h for h in headers if h], n=1, cutoff=0.6)
            hint = (
                f" — vouliez-vous dire « {close[0]} » ?"
                if close
                else (" ; colonnes du fichier : " + ", ".join(f"« {h} »" for h in headers if h))
            )
            problems.append(
                Problem(shown, 1, 0, f"--colonne « {header}={target} » : pas de colonne « {header} »{hint}")
            )
            continue
        if target and target not in FIELDS:
            close = difflib.get_close_matches(target, list(FIELDS), n=1, cutoff=0.6)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else f" ; champs possibles : {', '.join(FIELDS)}"
            problems.append(
                Problem(shown, 1, i + 1, f"--colonne « {header}={target} » : champ « {target} » inconnu{hint}")
            )
            continue
        forced[i] = target
    if problems:
        raise ContentError(problems, "import impossible : corrigez l'option --colonne puis relancez.")
    explicit_fields = {f for f in forced.values() if f}
    fields: dict[str, list[int]] = {}
    targets: dict[int, str] = {}
    generations: dict[int, str] = {}
    ignored = []
    for i, header in enumerate(headers):
        found: str | None = forced[i] if i in forced else header_field(header)
        if found is not None and i not in forced and found in explicit_fields:
            found = None  # an explicit mapping replaces the auto-detected column
        if not found:
            if header:
                ignored.append(header)
            continue
        fields.setdefault(found, []).append(i)
        targets[i] = found
        generation = generation_in_header(header) if found in ("naf", "naf_label") else None
        if generation:
            generations[i] = generation
    for fallback, main in _FALLBACK_OF.items():  # the legal name serves when the trading name is empty
        if fallback in fields:
            fields.setdefault(main, []).extend(fields.pop(fallback))
    missing = [
        label
        for key, label in (
            ("name", "« Enseigne » ou « Raison sociale »"),
            ("postcode", "« Code postal » (ou « CP »)"),
            ("city", "« Ville » (ou « Commune »)"),
        )
        if key not in fields
    ]
    if missing:
        raise ContentError(
            [
                Problem(
                    shown,
                    1,
                    0,
                    f"colonne obligatoire introuvable : {m} ; renommez l'en-tête ou "
                    f'indiquez-la avec --colonne "En-tête=champ"',
                )
                for m in missing
            ],
            "import impossible : colonnes manquantes.",
        )
    return Columns(fields, headers, ignored, targets, generations)
