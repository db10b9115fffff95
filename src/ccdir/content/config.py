"""Project settings (`content/site.yaml`) and where things live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ccdir.core.problems import ContentError, Problem
from ccdir.core.resources import default_templates

SETTINGS_FILE = "site.yaml"
CACHE_FOLDER = ".ccdir-cache"  # the build cache (ccdir.build.cache), compiled templates; safe to delete
_HTTP_URL = r"^https?://[^\s<>\"']+$"  # these addresses end up in pages, forms and the CSP


class Settings(BaseModel):
    """`content/site.yaml`: what a chamber or a region configures for its directory."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = "Click & collect en Centre-Val de Loire"
    tagline: str = "Vos commerces, artisans et producteurs près de chez vous : commandez, puis retirez."
    publisher: str = "Région Centre-Val de Loire"
    contact_email: str | None = None
    base_url: Annotated[str, Field(pattern=r"^https?://[^\s]+/$")] = "http://127.0.0.1:8000/"
    region: str = "24"  # INSEE code of the home region: breaks ties between homonymous communes
    # A path (/tuiles/{z}/{x}/{y}.png) serves the map tiles from the site itself.
    tile_url: Annotated[str, Field(pattern=r"^(https?://|/)[^\s<>\"']+$")] = (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    )
    tile_attribution: str = "© contributeurs OpenStreetMap"
    bot_url: Annotated[str, Field(pattern=_HTTP_URL)] | None = None
    data_licence: Literal["etalab-2.0", "ODbL-1.0", "CC-BY-4.0", "CC0-1.0"] = "etalab-2.0"  # open data in site/donnees/
    repository_url: Annotated[str, Field(pattern=_HTTP_URL)] | None = (
        None  # https://github.com/<owner>/<repo>: GitHub issues when no bot is set
    )
    geocoder_url: Annotated[str, Field(pattern=_HTTP_URL)] = "https://api-adresse.data.gouv.fr"
    sirene_url: Annotated[str, Field(pattern=_HTTP_URL)] = (
        "https://recherche-entreprises.api.gouv.fr"  # import --sirene
    )
    neighbour_km: Annotated[float, Field(gt=0, le=50)] = 10.0
    # Sites allowed to show the town-hall widget (/widget/) in a frame, as https://www.ville.fr; empty: any site.
    widget_hosts: list[Annotated[str, Field(pattern=r"^https?://[A-Za-z0-9.-]+(:\d+)?$")]] = []

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path or "/"


@dataclass
class Project:
    """A ccdir project folder: content, templates and output."""

    root: Path
    settings: Settings
    output: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def merchants_dir(self) -> Path:
        return self.content / "merchants"

    @property
    def categories_file(self) -> Path:
        return self.content / "categories.yaml"

    @property
    def lexicon_file(self) -> Path:
        return self.content / "lexique.yaml"

    @property
    def lexicon_en_file(self) -> Path:
        return self.content / "lexique.en.yaml"

    @property
    def geocache_file(self) -> Path:
        return self.content / "geocache.json"

    @property
    def sirene_cache_file(self) -> Path:
        return self.content / "sirenecache.json"

    @property
    def naf_mapping_file(self) -> Path:
        return self.content / "naf.yaml"

    @property
    def cache_dir(self) -> Path:
        return self.root / CACHE_FOLDER

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, first match wins: the project's own `templates/` (overriding
        ccdir's file by file, like MkDocs' `custom_dir`), then ccdir's defaults."""
        local = self.root / "templates"
        default = default_templates()
        return [local, default] if local.is_dir() and local.resolve() != default.resolve() else [default]

    @classmethod
    def load(cls, root: Path | None = None, output: Path | None = None, base_url: str | None = None) -> Project:
        root = (root or Path.cwd()).resolve()
        settings = load_settings(root / "content" / SETTINGS_FILE, root)
        if base_url is not None:
            settings = settings.model_copy(update={"base_url": base_url if base_url.endswith("/") else base_url + "/"})
        return cls(root, settings, (output or root / "site").resolve())


def load_settings(path: Path, root: Path | None = None) -> Settings:
    """The settings in `path`; errors name it relative to `root` (« content/site.yaml »), like merchant files."""
    if not path.exists():
        return Settings()
    from ccdir.content import reader

    display = path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else path.as_posix()
    try:
        doc = reader.read_file(path, display)
    except reader.ReadError as exc:
        raise ContentError([Problem(display, exc.line, exc.col, exc.message)]) from None
    try:
        return Settings.model_validate(doc.data or {})
    except ValidationError as exc:
        from ccdir.content.messages import pydantic_problems

        raise ContentError(pydantic_problems(doc, exc, Settings)) from None
