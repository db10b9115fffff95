"""Validation stage: read every merchant file, check it against the model, report every problem once.

`check_document` is shared by the build, the bot and the importers; `validate_tree` walks
`content/merchants/` and adds the cross-file checks (slug uniqueness, duplicate businesses).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ccdir.content import reader
from ccdir.content.categories import CategoryCatalog
from ccdir.content.fieldtypes import Postcode, Siret
from ccdir.content.hours import rewritten_notes
from ccdir.content.identity import Identity, Match, Registry
from ccdir.content.markets import point_anchors
from ccdir.content.messages import pydantic_problems
from ccdir.content.model import PLACEHOLDER, Merchant, check_slug
from ccdir.content.phones import is_premium_rate
from ccdir.content.scan import display_path
from ccdir.content.textcheck import mixed_scripts
from ccdir.core.batch_gc import fewer_collections
from ccdir.core.children import can_fork, forked_pool
from ccdir.core.problems import Problem, Severity
from ccdir.core.textnorm import fold


@dataclass(frozen=True)
class Entry:
    """A valid merchant with where it came from (and where the fields compared across files stand)."""

    slug: str
    path: str
    merchant: Merchant
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)

    def position(self, name: str) -> tuple[int, int]:
        return self.anchors.get(name, (0, 0))

    @property
    def keys(self) -> Identity:
        """What must be unique across files besides the slug (kept by the build cache)."""
        return Identity.of(self.merchant)


@dataclass
class Report:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    markets: Any = None  # content.markets.Markets, when the project's markets were loaded (`loading.check`)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


# --- pydantic errors in French -----------------------------------------------------------------------


def _placeholders(value: Any, loc: reader.Loc, found: list[tuple[reader.Loc, str]]) -> Any:
    """`value` without the placeholders `ccdir new` writes (« À REMPLIR : … »), each noted in `found`."""
    if isinstance(value, str) and value.lstrip().startswith(PLACEHOLDER):
        found.append((loc, value.strip()))
        return _FILL_IN
    if isinstance(value, dict):
        kept = {
            k: v for k, v in ((k, _placeholders(v, loc + (k,), found)) for k, v in value.items()) if v is not _FILL_IN
        }
        if value and not kept:  # emptied: its own « missing » errors are consequences
            found.append((loc, ""))
            return _FILL_IN
        return kept
    if isinstance(value, list):
        items = [v for v in (_placeholders(v, loc + (i,), found) for i, v in enumerate(value)) if v is not _FILL_IN]
        if len(items) < len(value):
            found.append((loc, ""))  # the list is shorter: its indexes and length are hidden from the schema
        return items
    return value


_FILL_IN = object()


def placeholder_problems(doc: reader.Document) -> tuple[reader.Document, list[Problem]]:
    """`doc` without the values still to fill in, and an error naming each of them."""
    found: list[tuple[reader.Loc, str]] = []
    data = _placeholders(doc.data, (), found)
    if not found:
        return doc, []
    problems = []
    for loc, text in found:
        if text:
            what = text[len(PLACEHOLDER) :].lstrip(" :") or "valeur"
            field = ".".join(str(p) for p in loc if isinstance(p, str))
            problems.append(
                Problem(
                    doc.path,
                    *doc.position(loc),
                    f"à remplir : {what} (champ « {field} ») — remplacez « {PLACEHOLDER} : … » par la vraie valeur",
                )
            )
    hidden = {loc for loc, _ in found}
    return replace(doc, data={} if data is _FILL_IN else data, left_out=doc.left_out | hidden), problems


def check_document(
    doc: reader.Document, catalog: CategoryCatalog | None, gazetteer: Any = None
) -> tuple[Merchant | None, list[Problem]]:
    """Validate one parsed merchant document; returns the merchant (None if invalid) and its problems."""
    doc, to_fill = placeholder_problems(doc)
    read = list(doc.problems) + to_fill  # a lenient read's problems: the schema's errors are added to them
    if not isinstance(doc.data, dict):
        if read:
            return None, read
        what = "est vide" if doc.data is None else "n'est pas une fiche (des champs « nom: valeur » sont attendus)"
        return None, [
            Problem(
                doc.path, 1, 1, f"le fichier {what} : commencez par « name: … » ; « ccdir new » crée une fiche modèle"
            )
        ]
    try:
        merchant = Merchant.model_validate(doc.data, context={"categories": catalog})
    except ValidationError as exc:
        return None, read + pydantic_problems(doc, exc)
    if read:
        return None, read + _trust_problems(doc, merchant)
    problems = _trust_problems(doc, merchant)
    if gazetteer is not None:
        problems.extend(_address_problems(doc, merchant, gazetteer))
    return merchant, problems


def _trust_problems(doc: reader.Document, merchant: Merchant) -> list[Problem]:
    """Warnings for valid content that may mislead residents: look-alike names, premium-rate numbers."""
    problems = []
    names: list[tuple[tuple[str | int, ...], str]] = [(("name",), merchant.name)]
    names += [(("products", i, "name"), p.name) for i, p in enumerate(merchant.products)]
    for loc, name in names:
        if (message := mixed_scripts(name)) is not None:
            problems.append(Problem(doc.path, *doc.position(loc), message, Severity.WARNING))
    for loc, message in rewritten_notes(doc.data):  # hours written in French: understood, say it in OSM
        problems.append(Problem(doc.path, *doc.position(loc), message, Severity.WARNING))
    if merchant.contact.phone and is_premium_rate(merchant.contact.phone):
        problems.append(
            Problem(
                doc.path,
                *doc.position(("contact", "phone")),
                f"numéro surtaxé « {merchant.contact.phone} » : les habitants paieront l'appel ; "
                "vérifiez que c'est bien le numéro pour commander",
                Severity.WARNING,
            )
        )
    return problems


def _address_problems(doc: reader.Document, merchant: Merchant, gazetteer: Any) -> list[Problem]:
    """The gazetteer's verdict on the main address and on the address of every point of sale."""
    from ccdir.geo.gazetteer import check_address

    addresses = [(("address",), merchant.address)] + [
        (("points_of_sale", i, "address"), p.address) for i, p in enumerate(merchant.points_of_sale) if p.address
    ]
    problems = []
    for loc, address in addresses:
        verdict = check_address(gazetteer, address.postcode, address.city)
        if verdict is None:
            continue
        severity = Severity.ERROR if getattr(verdict, "is_error", True) else Severity.WARNING
        message = getattr(verdict, "message", str(verdict))
        field = getattr(verdict, "field", "city")
        line, col = doc.position((*loc, field))
        problems.append(Problem(doc.path, line, col, message, severity))
    return problems


def read_entry(
    path: Path, display: str, catalog: CategoryCatalog | None, gazetteer: Any = None
) -> tuple[Entry | None, list[Problem]]:
    """Read, parse and validate one merchant file: every problem of the file, syntax and schema alike."""
    entry, problems, _ = _read(path, display, catalog, gazetteer)
    return entry, problems


@dataclass(frozen=True)
class FileIdentity:
    """What must be unique across files besides the slug (`content.identity`), and where it stands in its
    file; found for files with errors too, from what is valid in them."""

    keys: Identity
    anchors: dict[str, tuple[int, int]]
    entry: Entry | None = None  # of a valid file (a cached one unpickles its merchant only when named)

    def position(self, name: str) -> tuple[int, int]:
        return self.anchors.get(name, (0, 0))


def _read(
    path: Path, display: str, catalog: CategoryCatalog | None, gazetteer: Any = None
) -> tuple[Entry | None, list[Problem], FileIdentity | None]:
    """read_entry, plus the identity of the file even when it has errors (duplicates are found at once)."""
    problems = []
    slug = path.stem
    if (msg := check_slug(slug)) is not None:
        problems.append(Problem(display, 0, 0, msg))
    try:
        doc = reader.read_file(path, display, lenient=True)
    except reader.ReadError as exc:
        return None, problems + [Problem(display, exc.line, exc.col, exc.message)], None
    merchant, more = check_document(doc, catalog, gazetteer)
    problems += more
    anchors = {name: doc.position((name,)) for name in ("name", "siret")}
    if merchant is None or any(p.is_error for p in problems):
        siret, name, postcode = raw_identity(doc.data)
        if not siret and not (name and postcode):
            return None, problems, None
        address = doc.data.get("address") if isinstance(doc.data, dict) else None
        street = address.get("street") if isinstance(address, dict) else None
        keys = Identity.from_parts(None, siret, name or "", postcode or "", street if isinstance(street, str) else None)
        return None, problems, FileIdentity(keys, anchors)
    anchors["address"] = doc.position(("address",), key=True)
    anchors.update(point_anchors(doc, doc.data))
    for i, _ in enumerate(merchant.platforms):  # checked against content/platforms/ once all files are read
        anchors[f"platforms.{i}"] = doc.position(("platforms", i, "platform"))
    entry = Entry(slug, display, merchant, anchors)
    return entry, problems, _identity(entry)


_SIRET, _POSTCODE = TypeAdapter(Siret), TypeAdapter(Postcode)


def _valid(adapter: TypeAdapter[str], value: Any) -> str | None:
    try:
        return adapter.validate_python(value) if value is not None else None
    except ValidationError:
        return None


def raw_identity(data: Any) -> tuple[str | None, str | None, str | None]:
    """(SIRET, name, postcode) of a merchant document that failed validation, each only where valid itself."""
    if not isinstance(data, dict):
        return None, None, None
    name = data.get("name")
    address = data.get("address")
    return (
        _valid(_SIRET, data.get("siret")),
        name.strip() if isinstance(name, str) and name.strip() else None,
        _valid(_POSTCODE, address.get("postcode")) if isinstance(address, dict) else None,
    )


def _identity(entry: Entry) -> FileIdentity:
    return FileIdentity(entry.keys, entry.anchors, entry=entry)


# --- the whole tree -------------------------------------------------------------------------------------


def business_key(merchant: Merchant) -> str:
    return f"{fold(merchant.name)}|{merchant.address.postcode}"


PARALLEL_FROM = 2_000  # below this, starting worker processes costs more than it saves
_worker_args: tuple[Any, ...] = ()


Read = tuple[Entry | None, list[Problem], FileIdentity | None]


def _read_chunk(chunk: list[tuple[Path, str]]) -> list[Read]:
    catalog, gazetteer = _worker_args
    return [_read(path, display, catalog, gazetteer) for path, display in chunk]


def _read_all(items: list[tuple[Path, str]], catalog: CategoryCatalog | None, gazetteer: Any) -> Iterator[Read]:
    """_read over every file, on every core for large trees (forked workers share the gazetteer)."""
    workers = os.cpu_count() or 1
    if len(items) < PARALLEL_FROM or workers < 2 or not can_fork():
        with fewer_collections():
            for path, display in items:
                yield _read(path, display, catalog, gazetteer)
        return
    global _worker_args
    _worker_args = (catalog, gazetteer)
    size = 500
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with (
        fewer_collections(),
        forked_pool(workers) as pool,
    ):
        for results in pool.map(_read_chunk, chunks):
            yield from results


def validate_tree(
    paths: Iterable[Path],
    catalog: CategoryCatalog | None,
    base: Path | None = None,
    gazetteer: Any = None,
    known: dict[str, tuple[Entry, list[Problem]]] | None = None,
) -> Report:
    """Validate files one by one, then across files: unique slugs, no business listed twice.

    `known`: results of files that have not changed since they were validated, by displayed path (the
    build cache); only the other files are read.
    """
    report = Report()
    base = base.resolve() if base is not None else None
    slugs: dict[str, str] = {}
    registry: Registry[str] = Registry()
    items = [(path, display_path(path, base)) for path in paths]
    known = known or {}
    fresh = _read_all([item for item in items if item[1] not in known], catalog, gazetteer)
    results: Iterator[Read] = (
        (*known[display], _identity(known[display][0])) if display in known else next(fresh) for _, display in items
    )
    for (path, display), (entry, problems, identity) in zip(items, results, strict=True):
        report.files += 1
        report.problems.extend(problems)
        slug = path.stem
        if slug in slugs:
            report.problems.append(
                Problem(
                    display,
                    0,
                    0,
                    f"identifiant « {slug} » déjà utilisé par {slugs[slug]} : "
                    "le nom de fichier doit être unique ; renommez l'un des deux",
                )
            )
            continue
        slugs[slug] = display
        if identity is None:
            continue
        # Files with errors take part too: a duplicate is reported in the same run as the file's own errors.
        found = registry.match(identity.keys, slug=False)
        if found is not None:
            report.problems.append(duplicate_problem(display, identity, found))
            continue
        registry.add(identity.keys, display)
        if entry is not None:
            report.entries.append(entry)
    report.problems.sort()
    return report


def duplicate_problem(display: str, identity: FileIdentity, found: Match[str]) -> Problem:
    """The problem for the file `display`, a second entry of the business listed in `found.holder`."""
    keys = identity.keys
    if found.rule == "siret":
        line, col = identity.position("siret")
        return Problem(
            display,
            line,
            col,
            f"SIRET {keys.siret} déjà utilisé par {found.holder} : un commerce n'a qu'une fiche ; fusionnez-les",
        )
    line, col = identity.position("name")
    if found.rule == "name":
        return Problem(
            display,
            line,
            col,
            f"« {keys.name} » ({keys.postcode}) a déjà une fiche : "
            f"{found.holder} ; fusionnez-les ou distinguez les noms",
        )
    return Problem(
        display,
        line,
        col,
        f"« {keys.name} » ressemble à « {found.identity.name} », à la même adresse "
        f"({keys.street}, {keys.postcode}) : {found.holder} ; fusionnez-les ou distinguez les noms",
    )
