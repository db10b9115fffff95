"""One row of a chamber's sheet → one merchant file: read the cells, merge with the existing file, validate, write.

Each row becomes the same dict a merchant file holds, is validated with `validate.check_document`
(catalogue and gazetteer included) and written with `writer.dump_merchant`. A row describing the business of
an existing file — by the rules of `ccdir validate` and the bot (`ccdir.content.identity`: same SIRET, same
name in the postcode, look-alike name at the same address) — updates that file in place, keeping the
fields the sheet does not have, and the report says why (« même SIRET … que « … » »); importing the same
sheet again changes nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ccdir.content import reader
from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.identity import Registry, choose_slug
from ccdir.content.listing import dept_of
from ccdir.content.model import Merchant
from ccdir.content.scaffold import schema_line
from ccdir.content.scan import merchant_files
from ccdir.content.validate import check_document
from ccdir.content.writer import dump_merchant
from ccdir.core.problems import Problem, Severity
from ccdir.core.textnorm import fold, slugify
from ccdir.intake.activities import Classifier, Decision
from ccdir.intake.columns import FIELDS, Columns
from ccdir.intake.existing import Existing, Index, raw_identity, raw_siret
from ccdir.intake.options import ImportOptions
from ccdir.intake.report import RowResult
from ccdir.intake.sheets import (
    clean_email,
    clean_line,
    clean_phone,
    clean_postcode,
    clean_siret,
    clean_text,
    clean_url,
    parse_date,
    parse_order,
    present,
)

KIND_WORDS = {
    "commerce": "commerce",
    "commercant": "commerce",
    "commercante": "commerce",
    "cci": "commerce",
    "magasin": "commerce",
    "boutique": "commerce",
    "artisan": "artisan",
    "artisane": "artisan",
    "artisanat": "artisan",
    "cma": "artisan",
    "producteur": "producteur",
    "productrice": "producteur",
    "agriculteur": "producteur",
    "agricultrice": "producteur",
    "exploitant agricole": "producteur",
    "ferme": "producteur",
    "restaurant": "restaurant",
    "restauration": "restaurant",
    "restaurateur": "restaurant",
    "bar": "bar",
    "cafe": "bar",
    "debit de boissons": "bar",
}
TRUE_WORDS = {"oui", "o", "x", "vrai", "true", "1", "yes", "y"}
FALSE_WORDS = {"non", "n", "faux", "false", "0", "no"}


class Importer:
    def __init__(
        self,
        project: Project,
        catalog: CategoryCatalog,
        gazetteer: Any,
        options: ImportOptions,
        classifier: Classifier,
        today: dt.date | None = None,
    ):
        self.project = project
        self.catalog = catalog
        self.gazetteer = gazetteer
        self.options = options
        self.today = today or dt.date.today()
        self.classifier = classifier
        self.index = Index(merchant_files(project.merchants_dir))
        self.seen: Registry[int] = Registry()  # the businesses of the rows written so far, by row number
        self.schema = schema_line(project)

    def row(self, number: int, cells: list[Any], columns: Columns, shown: str) -> RowResult:
        positions: dict[tuple[Any, ...], tuple[int, int]] = {(): (number, 0)}
        problems: list[Problem] = []

        def cell(name: str) -> Any:
            value, col = columns.value(name, cells)
            if col:
                positions.setdefault(FIELDS[name][0], (number, col))
            return value

        def fail(name: str | None, message: str, severity: Severity = Severity.ERROR) -> None:
            col = columns.value(name, cells)[1] if name else 0
            problems.append(Problem(shown, number, col, message, severity))

        sheet, decision = self._row_data(cell, fail, columns, cells)
        result = RowResult(
            number,
            "error",
            None,
            problems,
            name=str(sheet.get("name") or ""),
            siret=raw_siret(sheet),
            categories=list(sheet.get("categories") or ()),
        )
        if decision.naf is not None:
            result.naf = f"{decision.naf.code} {decision.naf.label} ({decision.naf.generation_name})"
        if any(p.is_error for p in problems):
            return result
        if decision.skip:
            result.action, result.reason = "skipped", decision.skip
            return result
        existing, why, conflict = self.index.find(sheet)
        if conflict:
            fail("name", conflict)
            return result
        identity = raw_identity(sheet)
        earlier = self.seen.match(identity, slug=False) if identity is not None else None
        if earlier is not None and identity is not None:
            fail(
                "siret" if earlier.rule == "siret" else "name",
                f"même commerce que la ligne {earlier.holder} ({earlier.describe(identity)}) : fusionnez les deux lignes",
            )
            return result
        data = self._merge(existing, sheet, decision.kind)
        doc = reader.Document(shown, data, positions)
        merchant, found = check_document(doc, self.catalog, self.gazetteer)
        problems.extend(found)
        if merchant is None or any(p.is_error for p in problems):
            return result
        if identity is not None:
            self.seen.add(identity, number)
        result.action, result.path = self._write(merchant, existing, sheet.get("updated") is not None)
        if existing is not None and why and existing.data.get("name") != sheet.get("name"):
            # found under another name: say why, as the bot and `ccdir validate` would
            result.notes.append(f"même commerce que {self._display(existing.path)} ({why}) : fiche mise à jour")
        result.categories = list(merchant.categories)
        return result

    def _row_data(self, cell, fail, columns: Columns, cells: list[Any]) -> tuple[dict[str, Any], Decision]:
        """The merchant fields this row provides (absent when the cell is empty)."""
        data: dict[str, Any] = {}

        def put(name: str, value: Any) -> None:
            if value is None:
                return
            target = data
            *parents, leaf = FIELDS[name][0]
            for p in parents:
                target = target.setdefault(p, {})
            target[leaf] = value

        put("name", clean_line(cell("name")))
        put("kind", self._kind(cell("kind")))
        put("description", clean_text(cell("description")))
        street = ", ".join(s for s in (clean_line(cell("street")), clean_line(cell("street2"))) if s) or None
        put("street", street)
        put("postcode", clean_postcode(cell("postcode")))
        put("city", clean_line(cell("city")))
        for name in ("lat", "lon"):
            raw = cell(name)
            if present(raw):
                try:
                    put(name, float(str(raw).replace(",", ".").strip()))
                except ValueError:
                    fail(name, f"« {raw} » n'est pas un nombre : écrivez par exemple 47,9029")
        put("phone", clean_phone(cell("phone")))
        put("email", clean_email(cell("email")))
        for name in ("website", "facebook", "instagram", "order_url"):
            put(name, clean_url(cell(name)))
        raw_order = cell("order")
        if present(raw_order):
            methods, unknown = parse_order(str(raw_order))
            if unknown:
                fail(
                    "order",
                    f"moyen de commande « {unknown} » inconnu : écrivez par exemple « téléphone, e-mail, "
                    "site, sur place »",
                )
            put("order", methods or None)
        put("pickup", clean_text(cell("pickup")))
        put("pickup_hours", clean_line(cell("pickup_hours")))
        raw_delivery = cell("delivery")
        if present(raw_delivery):
            word = fold(str(raw_delivery))
            if word in TRUE_WORDS or word in FALSE_WORDS:
                put("delivery", word in TRUE_WORDS)
            else:
                fail("delivery", f"livraison « {raw_delivery} » : écrivez « oui » ou « non »")
        put("opening_hours", clean_line(cell("opening_hours")))
        put("siret", clean_siret(cell("siret")))
        raw_updated = cell("updated")
        if present(raw_updated):
            date = parse_date(raw_updated)
            if date is None:
                fail("updated", f"date « {raw_updated} » illisible : écrivez-la JJ/MM/AAAA ou AAAA-MM-JJ")
            put("updated", date)
        naf_code, naf_col = columns.value("naf", cells)
        naf_label, label_col = columns.value("naf_label", cells)
        decision = self.classifier.classify(
            cell("activity"), naf_code, naf_label, columns.generation(naf_col), columns.generation(label_col)
        )
        for name, message in decision.errors:
            fail(name, message)
        for name, message in decision.warnings:
            fail(name, message, Severity.WARNING)
        put("activity", decision.categories)
        self._fix_city(data)
        return data, decision

    def _kind(self, raw: Any) -> str | None:
        if not present(raw):
            return None
        text = str(raw).strip()
        return KIND_WORDS.get(fold(text), text)  # an unknown word is reported by the model with the choices

    def _fix_city(self, data: dict[str, Any]) -> None:
        """« ST JEAN DE BRAYE » → « Saint-Jean-de-Braye »: the official spelling when it is unambiguous."""
        address = data.get("address") or {}
        if self.gazetteer is None or not address.get("city") or not address.get("postcode"):
            return
        found = self.gazetteer.match(address["city"], address["postcode"])
        if found and found[1] in ("official", "article", "district"):
            address["city"] = found[0].name

    def _merge(self, existing: Existing | None, sheet: dict[str, Any], naf_kind: str | None = None) -> dict[str, Any]:
        """The existing file's data overlaid with what the sheet provides; defaults for new merchants."""
        data = copy.deepcopy(existing.data) if existing else {}
        for key, value in sheet.items():
            if key == "categories" and isinstance(data.get("categories"), list):
                merged = list(data["categories"])
                merged += [c for c in value if c not in merged]
                data["categories"] = merged if len(merged) <= 5 else data["categories"]
            elif isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key].update(value)
            else:
                data[key] = value
        if existing is None or "kind" not in data:
            data.setdefault("kind", self.options.kind or naf_kind or "commerce")
        data.setdefault("contact", {})  # empty: the model says which contact to add
        cc = data.setdefault("click_and_collect", {})
        if isinstance(cc, dict) and not cc.get("order"):
            cc["order"] = list(self.options.order) if self.options.order else _default_order(data)
            if "website" in cc["order"] and not cc.get("order_url"):
                website = (data.get("contact") or {}).get("website")
                if website:
                    cc["order_url"] = website
        return _ordered(data)

    def _write(self, merchant: Merchant, existing: Existing | None, dated: bool) -> tuple[str, str]:
        """Write the merchant (unless nothing changed or dry run); (action, path shown)."""
        if existing is not None:
            before = _valid(existing.data, self.catalog)
            if before == merchant:
                return "unchanged", self._display(existing.path)
            if not dated:
                merchant = merchant.model_copy(update={"updated": self.today})
            path, header = existing.path, existing.header
        else:
            if not dated:
                merchant = merchant.model_copy(update={"updated": self.today})
            path, header = self._new_path(merchant), self.schema
        text = header + dump_merchant(merchant)
        if existing is not None and text == existing.text:
            return "unchanged", self._display(path)
        if not self.options.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        self.index.add(Existing(path, merchant.model_dump(mode="json", exclude_none=True), text, header))
        return ("updated" if existing else "created"), self._display(path)

    def _new_path(self, merchant: Merchant) -> Path:
        folder = self._folder(merchant)
        slug = choose_slug(merchant, self.index.slugs)  # the same file names as the registration bot
        self.index.slugs.add(slug)
        return self.project.merchants_dir / folder / f"{slug}.yaml"

    def _folder(self, merchant: Merchant) -> str:
        commune = self.gazetteer.find(merchant.address.city, merchant.address.postcode) if self.gazetteer else None
        if commune is not None:
            return f"{commune.dept.lower()}-{slugify(commune.dept_name)}"
        return dept_of(merchant.address.postcode).lower()

    def _display(self, path: Path) -> str:
        try:
            return path.relative_to(self.project.root).as_posix()
        except ValueError:
            return path.as_posix()


def _valid(data: dict[str, Any], catalog: CategoryCatalog) -> Merchant | None:
    try:
        return Merchant.model_validate(data, context={"categories": catalog})
    except ValidationError:
        return None


_KEY_ORDER = list(Merchant.model_fields)


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Keys in the contract's order, so that problems come out in reading order."""
    return {k: data[k] for k in sorted(data, key=lambda k: _KEY_ORDER.index(k) if k in _KEY_ORDER else 99)}


def _default_order(data: dict[str, Any]) -> list[str]:
    """How customers order when the sheet does not say: by the contacts the merchant has."""
    contact = data.get("contact") or {}
    order = [m for m, f in (("phone", "phone"), ("email", "email")) if contact.get(f)]
    if not order and contact.get("website"):
        order = ["website"]
    return order or ["on_site"]
