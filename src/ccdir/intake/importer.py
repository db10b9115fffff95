"""`ccdir import`: merchants from a chamber's spreadsheet (CSV or XLSX), one YAML file per row.

Reading CSV and XLSX files is `ccdir.intake.sheets`. Columns are recognised from the headers chambers use
(« Raison sociale », « CP », « Commune », « Mail »…) or mapped explicitly.

Each row becomes the same dict a merchant file holds, is validated with `validate.check_document`
(catalogue and gazetteer included) and written with `writer.dump_merchant`. Problems are reported as
`ligne N, colonne « X »` (spreadsheet row number, header row = 1). Rows with errors are not written.

Importing the same sheet again is idempotent: a row matching an existing file (same SIRET, else same
normalised name and postcode) updates that file in place, keeping the fields the sheet does not have.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ccdir.content import reader
from ccdir.content.categories import CategoryCatalog
from ccdir.content.identity import choose_slug
from ccdir.content.config import Project
from ccdir.content.model import KINDS, ORDER_METHODS, Merchant
from ccdir.core.problems import ContentError, Problem, Severity
from ccdir.content.scaffold import schema_line
from ccdir.core.textnorm import fold, slugify
from ccdir.content.validate import check_document, merchant_files
from ccdir.intake.sheets import (clean_email, clean_line, clean_phone, clean_postcode, clean_siret, clean_text,
                          clean_url, parse_date, parse_order, present, read_table)
from ccdir.content.writer import dump_merchant

# --- columns -----------------------------------------------------------------------------------------

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
}

# Headers recognised without --colonne, folded (see textnorm.fold). Free-text opening hours are too
# varied to be auto-detected: map them explicitly once they are in OpenStreetMap syntax.
HEADERS: dict[str, list[str]] = {
    "name": ["enseigne", "nom commercial", "nom", "nom du commerce", "nom de l etablissement", "etablissement",
             "nom usuel", "commerce"],
    "legal_name": ["raison sociale", "denomination", "denomination sociale", "societe", "entreprise",
                   "nom de l entreprise"],
    "kind": ["type", "type de commerce", "nature", "type d etablissement"],
    "activity": ["activite", "activites", "activite principale", "secteur", "secteur d activite", "categorie",
                 "categories", "metier", "libelle activite", "libelle de l activite", "type d activite"],
    "description": ["description", "presentation", "descriptif"],
    "street": ["adresse", "adresse postale", "rue", "voie", "adresse 1", "adresse ligne 1", "numero et voie",
               "adresse de l etablissement", "adresse etablissement"],
    "street2": ["complement", "complement d adresse", "adresse 2", "adresse ligne 2"],
    "postcode": ["cp", "code postal", "codepostal", "code postal etablissement"],
    "city": ["ville", "commune", "localite", "ville etablissement", "commune etablissement"],
    "lat": ["latitude", "lat"],
    "lon": ["longitude", "lon", "lng"],
    "phone": ["telephone", "tel", "telephone fixe", "tel fixe", "numero de telephone", "portable", "mobile",
              "telephone portable", "tel portable", "gsm"],
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
}
_HEADER_FIELD = {h: f for f, headers in HEADERS.items() for h in headers}
# Columns whose field is already taken serve as fallbacks (e.g. « Portable » when « Téléphone » is empty);
# the legal name is the fallback of the trading name.
_FALLBACK_OF = {"legal_name": "name"}

KIND_WORDS = {
    "commerce": "commerce", "commercant": "commerce", "commercante": "commerce", "cci": "commerce",
    "magasin": "commerce", "boutique": "commerce",
    "artisan": "artisan", "artisane": "artisan", "artisanat": "artisan", "cma": "artisan",
    "producteur": "producteur", "productrice": "producteur", "agriculteur": "producteur",
    "agricultrice": "producteur", "exploitant agricole": "producteur", "ferme": "producteur",
    "restaurant": "restaurant", "restauration": "restaurant", "restaurateur": "restaurant",
    "bar": "bar", "cafe": "bar", "debit de boissons": "bar",
}
TRUE_WORDS = {"oui", "o", "x", "vrai", "true", "1", "yes", "y"}
FALSE_WORDS = {"non", "n", "faux", "false", "0", "no"}
_STOPWORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "pour", "sur"}


@dataclass
class ImportOptions:
    """What `ccdir import` was told on its command line."""

    mapping: dict[str, str] = field(default_factory=dict)  # header (as written) → field; "" = ignore
    activities: dict[str, list[str]] = field(default_factory=dict)  # activity label → category ids
    category: str | None = None  # category of rows with no activity column or an empty cell
    kind: str = "commerce"  # kind of new merchants when the sheet says nothing
    order: list[str] | None = None  # order methods of new merchants; default: from the contacts
    sheet: str | None = None  # XLSX sheet name; default: the first
    dry_run: bool = False


@dataclass
class RowResult:
    row: int
    action: str  # "created" | "updated" | "unchanged" | "error"
    path: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str
    headers: list[str] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, field) recognised
    ignored: list[str] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems]

    def lines(self) -> list[str]:
        """Every row problem as `fichier, ligne N, colonne « X » : erreur : …`, in row order."""
        return [format_problem(p, self.headers) for p in self.problems]

    def summary(self) -> str:
        verb = "seraient " if self.dry_run else ""
        text = (f"{len(self.rows)} ligne(s) lue(s) : {self.count('created')} fiche(s) {verb}créée(s), "
                f"{self.count('updated')} {verb}mise(s) à jour, {self.count('unchanged')} inchangée(s), "
                f"{self.count('error')} ligne(s) en erreur non importée(s)")
        return text + (" — simulation : aucun fichier écrit." if self.dry_run else ".")


# --- mapping columns to fields -----------------------------------------------------------------------

@dataclass
class Columns:
    """Which columns feed each field, most trusted first."""

    fields: dict[str, list[int]]
    headers: list[str]
    ignored: list[str]
    targets: dict[int, str] = field(default_factory=dict)  # column → field as recognised (before fallbacks)

    def value(self, name: str, cells: list[Any]) -> tuple[Any, int]:
        """First non-empty cell of `name`'s columns, and its 1-based column number (0 when none)."""
        for i in self.fields.get(name, ()):
            if i < len(cells) and present(cells[i]):
                return cells[i], i + 1
        return None, 0

    def has(self, name: str) -> bool:
        return bool(self.fields.get(name))


def map_columns(headers: list[str], explicit: dict[str, str], shown: str) -> Columns:
    """Recognise the headers; explicit `header → field` mappings win over auto-detection."""
    problems = []
    by_folded = {fold(h): i for i, h in reversed(list(enumerate(headers))) if h}
    forced: dict[int, str] = {}
    for header, target in explicit.items():
        i = by_folded.get(fold(header))
        if i is None:
            close = difflib.get_close_matches(header, [h for h in headers if h], n=1, cutoff=0.6)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else (
                " ; colonnes du fichier : " + ", ".join(f"« {h} »" for h in headers if h))
            problems.append(Problem(shown, 1, 0, f"--colonne « {header}={target} » : pas de colonne « {header} »{hint}"))
            continue
        if target and target not in FIELDS:
            close = difflib.get_close_matches(target, list(FIELDS), n=1, cutoff=0.6)
            hint = f" — vouliez-vous dire « {close[0]} » ?" if close else f" ; champs possibles : {', '.join(FIELDS)}"
            problems.append(Problem(shown, 1, i + 1, f"--colonne « {header}={target} » : champ « {target} » inconnu{hint}"))
            continue
        forced[i] = target
    if problems:
        raise ContentError(problems, "import impossible : corrigez l'option --colonne puis relancez.")
    explicit_fields = {f for f in forced.values() if f}
    fields: dict[str, list[int]] = {}
    targets: dict[int, str] = {}
    ignored = []
    for i, header in enumerate(headers):
        target = forced[i] if i in forced else _HEADER_FIELD.get(fold(header))
        if target is not None and i not in forced and target in explicit_fields:
            target = None  # an explicit mapping replaces the auto-detected column
        if not target:
            if header:
                ignored.append(header)
            continue
        fields.setdefault(target, []).append(i)
        targets[i] = target
    for fallback, main in _FALLBACK_OF.items():  # the legal name serves when the trading name is empty
        if fallback in fields:
            fields.setdefault(main, []).extend(fields.pop(fallback))
    missing = [label for key, label in (("name", "« Enseigne » ou « Raison sociale »"),
                                        ("postcode", "« Code postal » (ou « CP »)"),
                                        ("city", "« Ville » (ou « Commune »)")) if key not in fields]
    if missing:
        raise ContentError([Problem(shown, 1, 0, f"colonne obligatoire introuvable : {m} ; renommez l'en-tête ou "
                                    f"indiquez-la avec --colonne \"En-tête=champ\"") for m in missing],
                           "import impossible : colonnes manquantes.")
    return Columns(fields, headers, ignored, targets)


# --- activity labels → categories --------------------------------------------------------------------

class ActivityMapper:
    """Activity labels (« Boulangerie-Pâtisserie », « Commerce de détail de fleurs ») → category ids."""

    def __init__(self, catalog: CategoryCatalog, explicit: dict[str, list[str]]):
        self.catalog = catalog
        self.words = catalog.by_word()
        self.explicit = {fold(k): v for k, v in explicit.items()}
        self.map = functools.lru_cache(maxsize=None)(self._map)

    def _map(self, label: str) -> tuple[list[str], str | None]:
        """(category ids, None) or ([], French reason with the closest categories)."""
        key = fold(label)
        if key in self.explicit:
            return list(self.explicit[key]), None
        if key in self.words:
            return list(self.words[key]), None
        ids: list[str] = []
        unknown_parts = []
        for part in re.split(r"\s*[,;/+&]\s*|\s+et\s+|\s+-\s+", label):
            found = self._part(fold(part)) if fold(part) else []
            if not found and fold(part):
                unknown_parts.append(part.strip())
            ids.extend(i for i in found if i not in ids)
        if ids:
            return ids[:5] if len(ids) <= 5 else [], (None if len(ids) <= 5 else
                                                      f"activité « {label} » : trop de catégories reconnues "
                                                      f"({', '.join(ids)}) ; précisez avec --activite")
        return [], self._unknown(label)

    def _part(self, key: str) -> list[str]:
        if key in self.words:
            return list(self.words[key])
        words = key.split()
        ids: list[str] = []
        used = [False] * len(words)
        for size in (3, 2, 1):  # longest phrases first: « fruits et legumes » before « fruits »
            for start in range(len(words) - size + 1):
                if any(used[start:start + size]):
                    continue
                phrase = " ".join(words[start:start + size])
                if size == 1 and phrase in _STOPWORDS:
                    continue
                hit = self.words.get(phrase) or (self.words.get(phrase[:-1]) if size == 1 and phrase[-1:] in "sx"
                                                 and len(phrase) > 3 else None)
                if hit:
                    ids.extend(i for i in hit if i not in ids)
                    used[start:start + size] = [True] * size
        if ids:
            return ids
        close = difflib.get_close_matches(key, list(self.words), n=1, cutoff=0.85)
        return list(self.words[close[0]]) if close else []

    def _unknown(self, label: str) -> str:
        close = difflib.get_close_matches(fold(label), list(self.words), n=6, cutoff=0.7)
        ids: list[str] = []
        for word in close:
            ids.extend(i for i in self.words[word] if i not in ids)
        hint = (" ; catégories les plus proches : " + ", ".join(f"« {i} »" for i in ids[:3])) if ids else ""
        return (f"activité « {label} » non reconnue{hint} ; indiquez la catégorie avec "
                f"--activite \"{label}=identifiant\" (liste dans content/categories.yaml)")


# --- existing files ----------------------------------------------------------------------------------

@dataclass
class Existing:
    path: Path
    data: dict[str, Any]
    text: str
    header: str  # leading comment lines, kept when the file is rewritten


class Index:
    """Existing merchant files by SIRET, by normalised name + postcode, and their slugs."""

    def __init__(self, files: Iterable[Path]):
        self.by_siret: dict[str, Existing] = {}
        self.by_key: dict[str, Existing] = {}
        self.slugs: set[str] = set()
        for path in files:
            self.slugs.add(path.stem)
            try:
                text = path.read_text(encoding="utf-8")
                doc = reader.parse(text, path.as_posix())
            except (OSError, UnicodeDecodeError, reader.ReadError):
                continue  # `ccdir validate` reports it; the importer only needs the slug
            if isinstance(doc.data, dict):
                self.add(Existing(path, doc.data, text, _leading_comments(text)))

    def add(self, item: Existing) -> None:
        siret = raw_siret(item.data)
        if siret:
            self.by_siret.setdefault(siret, item)
        key = raw_key(item.data)
        if key:
            self.by_key.setdefault(key, item)
        self.slugs.add(item.path.stem)

    def find(self, data: dict[str, Any]) -> tuple[Existing | None, str | None]:
        """The file this row describes, or (None, reason) when a same-named file has another SIRET."""
        siret = raw_siret(data)
        if siret and siret in self.by_siret:
            return self.by_siret[siret], None
        item = self.by_key.get(raw_key(data) or "")
        if item is None:
            return None, None
        other = raw_siret(item.data)
        if siret and other and other != siret:
            return None, (f"« {data.get('name')} » ({raw_postcode(data)}) a déjà une fiche avec un autre SIRET "
                          f"({other}) : {item.path.name} ; vérifiez le SIRET ou distinguez les noms")
        return item, None


def raw_siret(data: dict[str, Any]) -> str:
    value = data.get("siret")
    return re.sub(r"[\s.]", "", str(value)) if value not in (None, "") else ""


def raw_postcode(data: dict[str, Any]) -> str:
    address = data.get("address")
    value = address.get("postcode") if isinstance(address, dict) else None
    return str(value).replace(" ", "").strip() if value is not None else ""


def raw_key(data: dict[str, Any]) -> str | None:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    return f"{fold(name)}|{raw_postcode(data)}"


def _leading_comments(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


# --- one row -----------------------------------------------------------------------------------------

class Importer:
    def __init__(self, project: Project, catalog: CategoryCatalog, gazetteer: Any, options: ImportOptions,
                 today: dt.date | None = None):
        self.project = project
        self.catalog = catalog
        self.gazetteer = gazetteer
        self.options = options
        self.today = today or dt.date.today()
        self.activities = ActivityMapper(catalog, options.activities)
        self.index = Index(merchant_files(project.merchants_dir))
        self.seen: dict[str, int] = {}  # SIRET or name key → row that claimed it in this sheet
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

        sheet = self._row_data(cell, fail, columns)
        if any(p.is_error for p in problems):
            return RowResult(number, "error", None, problems)
        existing, conflict = self.index.find(sheet)
        if conflict:
            fail("name", conflict)
            return RowResult(number, "error", None, problems)
        for key in (raw_siret(sheet), raw_key(sheet)):
            if key and key in self.seen:
                fail("siret" if key == raw_siret(sheet) else "name",
                     f"même commerce que la ligne {self.seen[key]} : fusionnez les deux lignes")
                return RowResult(number, "error", None, problems)
        data = self._merge(existing, sheet)
        doc = reader.Document(shown, data, positions)
        merchant, found = check_document(doc, self.catalog, self.gazetteer)
        problems.extend(found)
        if merchant is None or any(p.is_error for p in problems):
            return RowResult(number, "error", None, problems)
        for key in (raw_siret(sheet), raw_key(sheet)):
            if key:
                self.seen[key] = number
        return self._write(number, merchant, existing, problems, sheet.get("updated") is not None)

    def _row_data(self, cell, fail, columns: Columns) -> dict[str, Any]:
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
                fail("order", f"moyen de commande « {unknown} » inconnu : écrivez par exemple « téléphone, e-mail, "
                              "site, sur place »")
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
        raw_activity = cell("activity")
        if present(raw_activity):
            ids, reason = self.activities.map(str(raw_activity).strip())
            if reason:
                fail("activity", reason)
            put("activity", ids or None)
        elif self.options.category:
            put("activity", [self.options.category])
        self._fix_city(data)
        return data

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

    def _merge(self, existing: Existing | None, sheet: dict[str, Any]) -> dict[str, Any]:
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
            data.setdefault("kind", self.options.kind)
        data.setdefault("contact", {})  # empty: the model says which contact to add
        cc = data.setdefault("click_and_collect", {})
        if isinstance(cc, dict) and not cc.get("order"):
            cc["order"] = list(self.options.order) if self.options.order else _default_order(data)
            if "website" in cc["order"] and not cc.get("order_url"):
                website = (data.get("contact") or {}).get("website")
                if website:
                    cc["order_url"] = website
        return _ordered(data)

    def _write(self, number: int, merchant: Merchant, existing: Existing | None, problems: list[Problem],
               dated: bool) -> RowResult:
        if existing is not None:
            before = _valid(existing.data, self.catalog)
            if before == merchant:
                return RowResult(number, "unchanged", self._display(existing.path), problems)
            if not dated:
                merchant = merchant.model_copy(update={"updated": self.today})
            path, header = existing.path, existing.header
        else:
            if not dated:
                merchant = merchant.model_copy(update={"updated": self.today})
            path, header = self._new_path(merchant), self.schema
        text = header + dump_merchant(merchant)
        if existing is not None and text == existing.text:
            return RowResult(number, "unchanged", self._display(path), problems)
        if not self.options.dry_run:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        self.index.add(Existing(path, merchant.model_dump(mode="json", exclude_none=True), text, header))
        return RowResult(number, "updated" if existing else "created", self._display(path), problems)

    def _new_path(self, merchant: Merchant) -> Path:
        folder = self._folder(merchant)
        slug = choose_slug(merchant, self.index.slugs)
        self.index.slugs.add(slug)
        return self.project.merchants_dir / folder / f"{slug}.yaml"

    def _folder(self, merchant: Merchant) -> str:
        from ccdir.site.render import dept_of

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
    from pydantic import ValidationError

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


# --- the whole sheet ---------------------------------------------------------------------------------

def import_sheet(project: Project, path: Path, options: ImportOptions | None = None, *, catalog: CategoryCatalog | None = None,
                 gazetteer: Any = None, today: dt.date | None = None) -> ImportReport:
    """Import every row of `path` into `project`; see the module docstring. Raises ContentError for a file
    that cannot be imported at all (unreadable, required columns missing, bad option)."""
    from ccdir.content.loading import load_categories, load_gazetteer

    options = options or ImportOptions()
    shown = path.name
    catalog = catalog or load_categories(project)
    _check_options(options, catalog, shown)
    gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
    table = read_table(path, options.sheet, shown)
    columns = map_columns(table.headers, options.mapping, shown)
    if not columns.has("activity") and not options.category:
        raise ContentError([Problem(shown, 1, 0, "colonne « Activité » introuvable : renommez l'en-tête, indiquez-la "
                                    "avec --colonne \"En-tête=activity\" ou donnez une catégorie commune à toutes "
                                    "les lignes avec --categorie")], "import impossible : colonnes manquantes.")
    report = ImportReport(shown, table.headers, [(table.headers[i], f) for i, f in sorted(columns.targets.items())],
                          columns.ignored,
                          dry_run=options.dry_run)
    importer = Importer(project, catalog, gazetteer, options, today)
    for number, cells in table.rows:
        report.rows.append(importer.row(number, cells, columns, shown))
    return report


def _check_options(options: ImportOptions, catalog: CategoryCatalog, shown: str) -> None:
    problems = []
    if options.kind not in KINDS:
        problems.append(f"--kind « {options.kind} » : valeurs possibles : {', '.join(KINDS)}")
    for method in options.order or ():
        if method not in ORDER_METHODS:
            problems.append(f"--order « {method} » : valeurs possibles : {', '.join(ORDER_METHODS)}")
    wanted = [options.category] if options.category else []
    for ids in options.activities.values():
        wanted.extend(ids)
    for cid in wanted:
        if cid not in catalog:
            problems.append(f"catégorie : {catalog.unknown_message(cid)}")
    if problems:
        raise ContentError([Problem(shown, 0, 0, m) for m in problems], "import impossible : corrigez les options.")


def format_problem(problem: Problem, headers: list[str] | None = None) -> str:
    """`membres.csv, ligne 3, colonne « Téléphone » : erreur : …` (row as the spreadsheet shows it)."""
    where = problem.path
    if problem.line:
        where += f", ligne {problem.line}"
        if problem.col and headers and problem.col <= len(headers):
            where += f", colonne « {headers[problem.col - 1] or _column_letter(problem.col)} »"
    label = "erreur" if problem.is_error else "avertissement"
    return f"{where} : {label} : {problem.message}"


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
