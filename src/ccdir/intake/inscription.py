"""Build stage for registration: the form page, the JSON Schema, each entry's data, commune lists.

Writes into the staging folder:
- `inscription/index.html`, the step-by-step form (templates/inscription.html);
- `schema/merchant.json`, the JSON Schema the form and editors validate with;
- (`commercants/<slug>/fiche.json`, each published entry, to prefill « Modifier cette fiche », is
  rendered with the pages: `fiche_text`);
- `assets/inscription/communes/<2 digits>.json`, postcode → communes, for the commune field.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.fields import form_fields
from ccdir.content.labels import KIND_LABELS, ORDER_LABELS, POINT_KIND_LABELS
from ccdir.content.listing import Listing
from ccdir.content.markets import load_markets
from ccdir.content.model import KINDS
from ccdir.content.schema import SCHEMA_PATH, merchant_schema
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.core.resources import copy_vendor_files
from ccdir.core.textnorm import fold
from ccdir.intake.submission import FIELD_LABELS, HONEYPOT
from ccdir.site.render import Renderer, dumps

FORM_PATH = "inscription/"
PHONE_LIBRARY = (
    ("libphonenumber-js/bundle/libphonenumber-max.js", "assets/vendor/libphonenumber-max.js"),
    ("libphonenumber-js/LICENSE", "assets/vendor/libphonenumber-js.LICENSE.txt"),
)
COMMUNES_DIR = "assets/inscription/communes/"


def fiche_text(item: Listing) -> str:
    """`commercants/<slug>/fiche.json`."""
    return dumps(fiche(item)) + "\n"


def fiche(item: Listing) -> dict[str, Any]:
    """What the form needs to prefill an edit: the entry as in its file, plus its slug."""
    return {"slug": item.slug, "merchant": item.merchant.model_dump(mode="json", exclude_none=True)}


def render_form(project: Project, catalog: CategoryCatalog) -> str:
    renderer = Renderer(project, catalog)
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for cat in catalog:
        words = " ".join(sorted({fold(w) for w in (cat.id.replace("-", " "), cat.label, *cat.synonyms)}))
        groups[cat.group].append({"id": cat.id, "label": cat.label, "words": words})
    settings = project.settings
    repo = (getattr(settings, "repository_url", None) or "").rstrip("/")
    return renderer.page(
        "inscription.html",
        category_groups=dict(groups),
        kinds=KINDS,
        labels=FIELD_LABELS,
        fields=form_fields(),
        honeypot=HONEYPOT,
        bot_url=(settings.bot_url or "").rstrip("/"),
        issues_url=(repo + "/issues/new") if repo.startswith("https://github.com/") else "",
        schema_url=SCHEMA_PATH,
        communes_url=COMMUNES_DIR,
        phone_library=PHONE_LIBRARY[0][1],
        order_methods=ORDER_LABELS,
        kind_names=KIND_LABELS,
        **points_form(project),
    )


def points_form(project: Project) -> dict[str, Any]:
    """What the form's points of sale need: their kinds in French and the markets to choose from."""
    return {"point_kinds": POINT_KIND_LABELS, "markets": list(load_markets(project.content, project.root))}


@functools.lru_cache(maxsize=1)  # a function of the shipped gazetteer: once per process (`ccdir serve` rebuilds)
def commune_tables() -> dict[str, dict[str, list[str]]]:
    """{"45": {"45200": ["Montargis", "Amilly", …]}}: communes of each postcode, most populous first.
    (Shared by every build of the process: not to be modified.)"""
    from ccdir.geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    tables: dict[str, dict[str, list[str]]] = defaultdict(dict)
    if gazetteer is None:
        return {}
    postcodes = sorted({pc for commune in gazetteer for pc in commune.postcodes})
    for pc in postcodes:
        tables[pc[:2]][pc] = [c.name for c in gazetteer.by_postcode(pc)]
    return dict(tables)


class RegistrationStage:
    """Build stage (`ccdir.build.stages.STAGES`): the form page, its JSON Schema, the commune lists; and
    each entry's `fiche.json`, rendered with the pages (`fiche_text`)."""

    name = "registration"
    pages = (FORM_PATH,)  # listed in the sitemap
    merchant_files: Mapping[str, MerchantFile] = {"fiche.json": fiche_text}
    memo = False

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        """Write the registration files into `folder`; returns how many."""
        project, catalog = context.project, context.catalog
        files = 0

        def write(rel: str, text: str) -> None:
            nonlocal files
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            files += 1

        settings = project.settings
        write(SCHEMA_PATH, json.dumps(merchant_schema(catalog, settings.base_url), ensure_ascii=False, indent=1) + "\n")
        write(FORM_PATH + "index.html", render_form(project, catalog))
        for prefix, table in commune_tables().items():
            write(f"{COMMUNES_DIR}{prefix}.json", dumps(table) + "\n")
        return files + copy_vendor_files(PHONE_LIBRARY, project.root, folder, "du formulaire")
