"""Local platforms (`content/platforms/<id>.yaml`): marketplaces, delivery services, local currencies…
that cover a territory (communes by INSEE code, départements).

Pages show « Aussi sur : … » for the platforms covering a commune; a merchant lists its own pages on them
in its `platforms:` field (checked here against the platform files). Read and checked like merchant files:
the same YAML reader, French messages at `file:line:col`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from ccdir.content import reader
from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.fieldtypes import Name, Paragraph, Url
from ccdir.content.messages import pydantic_problems
from ccdir.content.model import Strict, check_slug
from ccdir.content.textcheck import ccdir_error
from ccdir.core.problems import Problem

FOLDER = "platforms"
PlatformKind = Literal["marketplace", "delivery", "local_currency", "gift_card", "directory"]
KIND_LABELS = {
    "marketplace": "Place de marché locale",
    "delivery": "Livraison locale",
    "local_currency": "Monnaie locale",
    "gift_card": "Chèques cadeaux",
    "directory": "Annuaire local",
}
_INSEE = re.compile(r"^(\d[0-9AB]\d{3})$")
_DEPT = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")


def _code(value: Any) -> Any:
    return str(value).zfill(2) if isinstance(value, int) and not isinstance(value, bool) else value


def _insee_problem(value: str) -> str | None:
    if _INSEE.match(value):
        return None
    return (
        f'code INSEE « {value} » invalide : 5 caractères, par exemple "45208" pour Montargis '
        "(entre guillemets ; le code INSEE n'est pas le code postal)"
    )


def _dept_problem(value: str) -> str | None:
    if _DEPT.match(value):
        return None
    return f'département « {value} » invalide : son numéro entre guillemets, par exemple "45" ou "2A"'


class Territory(Strict):
    communes: Annotated[list[Annotated[str, Field(max_length=5)]], Field(max_length=2000)] = []
    departements: Annotated[list[Annotated[str, Field(max_length=3)]], Field(max_length=110)] = []

    @field_validator("communes", "departements", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return [_code(v) for v in value] if isinstance(value, list) else value

    @field_validator("communes")
    @classmethod
    def _check_communes(cls, codes: list[str]) -> list[str]:
        return _check_codes(codes, _insee_problem)

    @field_validator("departements")
    @classmethod
    def _check_depts(cls, codes: list[str]) -> list[str]:
        return _check_codes(codes, _dept_problem)

    @model_validator(mode="after")
    def _not_empty(self) -> Territory:
        if not (self.communes or self.departements):
            raise ccdir_error("territoire vide : donnez « communes » (codes INSEE) ou « departements » (numéros)")
        return self


def _check_codes(codes: list[str], problem: Any) -> list[str]:
    for i, code in enumerate(codes):
        if (message := problem(code)) is not None:
            raise ccdir_error(message, (i,))
        if code in codes[:i]:
            raise ccdir_error(f"« {code} » est listé deux fois : gardez-le une seule fois", (i,))
    return codes


class Platform(Strict):
    """One platform file."""

    name: Name
    url: Url
    kind: PlatformKind
    description: Annotated[Paragraph, Field(max_length=300)] | None = None
    territory: Territory
    categories: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=100)] = []  # empty: all

    @field_validator("categories")
    @classmethod
    def _known_categories(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        catalog = (info.context or {}).get("categories")
        for i, cid in enumerate(ids):
            if catalog is not None and cid not in catalog:
                raise ccdir_error(catalog.unknown_message(cid), (i,))
        return ids


@dataclass(frozen=True)
class LocalPlatform:
    """A checked platform, as pages show it."""

    id: str
    name: str
    url: str
    kind: str
    description: str | None
    communes: frozenset[str]
    departements: frozenset[str]
    categories: tuple[str, ...]
    commune_names: tuple[tuple[str, str], ...] = ()  # (name, département) of each commune, for the search page

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def covers(self, insee: str | None, dept: str | None) -> bool:
        return (insee is not None and insee in self.communes) or (dept is not None and dept in self.departements)


@dataclass
class PlatformCatalog:
    platforms: dict[str, LocalPlatform] = field(default_factory=dict)

    def __contains__(self, pid: object) -> bool:
        return pid in self.platforms

    def __getitem__(self, pid: str) -> LocalPlatform:
        return self.platforms[pid]

    def __iter__(self) -> Iterator[LocalPlatform]:
        return iter(self.platforms.values())

    def __len__(self) -> int:
        return len(self.platforms)

    def covering(self, insee: str | None, dept: str | None, categories: Iterable[str] = ()) -> list[LocalPlatform]:
        """Platforms covering the commune (or its département), for any of `categories` when given."""
        wanted = set(categories)
        return [
            p
            for p in self.platforms.values()
            if p.covers(insee, dept) and (not wanted or not p.categories or wanted & set(p.categories))
        ]

    def unknown_message(self, pid: str) -> str:
        close = difflib.get_close_matches(pid, list(self.platforms), n=1, cutoff=0.6)
        hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
        known = ", ".join(f"« {p} »" for p in self.platforms) or "aucune pour l'instant"
        return (
            f"plateforme inconnue « {pid} »{hint} : écrivez l'identifiant d'un fichier de content/{FOLDER}/ "
            f"(connues : {known})"
        )


def platform_files(project: Project) -> list[Path]:
    folder = project.content / FOLDER
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []


def load_platforms(
    project: Project, catalog: CategoryCatalog | None, gazetteer: Any = None
) -> tuple[PlatformCatalog, list[Problem]]:
    """Every platform file, checked; invalid files are left out and reported. With `gazetteer`, INSEE codes
    must name existing communes (and their names are kept for the search page)."""
    found = PlatformCatalog()
    problems: list[Problem] = []
    for path in platform_files(project):
        display = path.relative_to(project.root).as_posix()
        if (message := check_slug(path.stem)) is not None:
            problems.append(Problem(display, 0, 0, message.replace("commerce", "plateforme")))
            continue
        try:
            doc = reader.read_file(path, display)
        except reader.ReadError as exc:
            problems.append(Problem(display, exc.line, exc.col, exc.message))
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "le fichier n'est pas une plateforme : commencez par « name: … », "
                    "voir docs/personnel/plateformes.md",
                )
            )
            continue
        try:
            platform = Platform.model_validate(doc.data, context={"categories": catalog})
        except ValidationError as exc:
            problems.extend(pydantic_problems(doc, exc, Platform))
            continue
        names: list[tuple[str, str]] = []
        bad = False
        for i, code in enumerate(platform.territory.communes):
            commune = gazetteer.by_insee(code) if gazetteer is not None else None
            if gazetteer is not None and commune is None:
                problems.append(
                    Problem(
                        display,
                        *doc.position(("territory", "communes", i)),
                        f"code INSEE « {code} » inconnu : aucune commune n'a ce code ; cherchez-le "
                        "sur la fiche de la commune (insee.fr, « Code officiel géographique »)",
                    )
                )
                bad = True
            elif commune is not None:
                names.append((commune.name, commune.dept))
        if bad:
            continue
        found.platforms[path.stem] = LocalPlatform(
            path.stem,
            platform.name,
            platform.url,
            platform.kind,
            platform.description,
            frozenset(platform.territory.communes),
            frozenset(platform.territory.departements),
            tuple(platform.categories),
            tuple(names),
        )
    return found, problems


def merchant_problems(entries: Iterable[Any], platforms: PlatformCatalog) -> list[Problem]:
    """A merchant's `platforms:` must name platform files, each once."""
    problems = []
    for entry in entries:
        pages = entry.merchant.platforms
        for i, page in enumerate(pages):
            if page.platform not in platforms:
                message = platforms.unknown_message(page.platform)
            elif any(other.platform == page.platform for other in pages[:i]):
                message = f"plateforme « {page.platform} » listée deux fois : gardez-la une seule fois"
            else:
                continue
            line, col = entry.position(f"platforms.{i}")
            problems.append(Problem(entry.path, line, col, message))
    return problems
