"""The merchant files already in the project, found again by the « same business » rules of `ccdir validate`
and the registration bot (`ccdir.content.identity`): same SIRET, same name in the postcode (« L'Atelier des
Pivoines » = « Atelier Pivoines »), look-alike name at the same street address."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccdir.content import reader
from ccdir.content.identity import Identity, Match, Registry, lookalike


@dataclass
class Existing:
    path: Path
    data: dict[str, Any]
    text: str
    header: str  # leading comment lines, kept when the file is rewritten


class Index:
    """Existing merchant files by the identity rules, and their slugs."""

    def __init__(self, files: Iterable[Path]):
        self.registry: Registry[Existing] = Registry()
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
        identity = raw_identity(item.data, item.path.stem)
        if identity is not None:
            self.registry.add(identity, item)
        self.slugs.add(item.path.stem)

    def find(self, data: dict[str, Any]) -> tuple[Existing | None, str | None, str | None]:
        """(the file this row describes, why — as the bot says it —, None), or (None, None, a refusal) when
        the file that has the row's name has another SIRET."""
        identity = raw_identity(data)
        found = self.registry.match(identity, slug=False) if identity is not None else None
        if found is None or identity is None:
            return None, None, None
        item, why = found.holder, found.describe(identity)
        siret, other = raw_siret(data), raw_siret(found.holder.data)
        if siret and other and other != siret:
            refusal = (
                f"« {data.get('name')} » ({raw_postcode(data)}) a déjà une fiche avec un autre SIRET ({other}) : "
                f"{item.path.name} ({why}) ; vérifiez le SIRET ou distinguez les noms"
            )
            return None, None, refusal
        second = self._other_than(identity, item)
        if second is not None:  # the merged file would duplicate a second file: `ccdir validate` would refuse
            refusal = (
                f"« {data.get('name')} » désigne deux fiches : {item.path.name} ({why}) et "
                f"{second.holder.path.name} ({second.describe(identity)}) ; fusionnez-les ou corrigez la ligne"
            )
            return None, None, refusal
        return item, why, None

    def _other_than(self, identity: Identity, item: Existing) -> Match[Existing] | None:
        """A file other than `item` that `identity` is the same business as."""
        r = self.registry
        for rule, entry in (
            ("siret", r.by_siret.get(identity.siret or "")),
            ("name", r.by_name.get(identity.business_key) if identity.postcode else None),
        ):
            if entry is not None and entry[1].path != item.path:
                return Match(rule, entry[1], entry[0])
        if identity.street_key:
            for other, holder in r.by_address.get(f"{identity.street_key}|{identity.postcode}", []):
                if holder.path != item.path and lookalike(identity.name_key, other.name_key):
                    return Match("address", holder, other)
        return None


def raw_identity(data: dict[str, Any], slug: str | None = None) -> Identity | None:
    """The identity of a file's (or a row's) raw data; None without a name."""
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    address = data.get("address")
    street = address.get("street") if isinstance(address, dict) else None
    street = street if isinstance(street, str) else None
    return Identity.from_parts(slug, raw_siret(data) or None, name, raw_postcode(data), street)


def raw_siret(data: dict[str, Any]) -> str:
    value = data.get("siret")
    return re.sub(r"[\s.]", "", str(value)) if value not in (None, "") else ""


def raw_postcode(data: dict[str, Any]) -> str:
    address = data.get("address")
    value = address.get("postcode") if isinstance(address, dict) else None
    return str(value).replace(" ", "").strip() if value is not None else ""


def _leading_comments(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)
