"""The merchant files already in the project, found again by SIRET or by normalised name and postcode."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccdir.content import reader
from ccdir.core.textnorm import fold


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
            return None, (
                f"« {data.get('name')} » ({raw_postcode(data)}) a déjà une fiche avec un autre SIRET "
                f"({other}) : {item.path.name} ; vérifiez le SIRET ou distinguez les noms"
            )
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
