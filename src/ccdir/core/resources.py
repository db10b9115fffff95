"""Where ccdir's own files are: default templates, browser libraries, package data.

An installed wheel carries them inside the package (`ccdir/_templates/`, `ccdir/_vendor/`, mapped by the
build backend from the repository's top-level `templates/` and the npm packages in `node_modules/`); a
source checkout (editable install, tests) reads them where they are in the repository. Everything else
asks this module, so no code walks up `__file__` to guess the layout.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from ccdir.core.problems import UserError

PACKAGE = "ccdir"


@functools.cache
def package_dir() -> Path:
    """The installed `ccdir` package folder."""
    return Path(str(resources.files(PACKAGE)))


def source_root() -> Path | None:
    """The repository holding this package when running from a checkout (`src/ccdir/`), else None."""
    root = package_dir().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "templates").is_dir() else None


@functools.cache
def default_templates() -> Path:
    """ccdir's own templates: the package's copy, or the repository's `templates/` in a checkout."""
    packaged = package_dir() / "_templates"
    if packaged.is_dir():
        return packaged
    root = source_root()
    if root is None:
        raise FileNotFoundError(f"gabarits de ccdir introuvables dans {package_dir()} : réinstallez ccdir")
    return root / "templates"


def data_file(name: str) -> Path:
    """A file of `ccdir/data/` (the gazetteer…)."""
    return package_dir() / "data" / name


def vendor_dirs(project_root: Path | None = None) -> list[Path]:
    """Folders that may hold the npm packages the site ships (first match wins): the project's own
    `node_modules/`, the package's `_vendor/`, the checkout's `node_modules/`."""
    folders = [project_root / "node_modules"] if project_root is not None else []
    folders.append(package_dir() / "_vendor")
    root = source_root()
    if root is not None:
        folders.append(root / "node_modules")
    return folders


def vendor_file(path: str, project_root: Path | None = None) -> Path | None:
    """`path` inside an npm package (« lunr/lunr.min.js »), from the first folder of `vendor_dirs` that has it."""
    for folder in vendor_dirs(project_root):
        candidate = folder / path
        if candidate.is_file():
            return candidate
    return None


def copy_vendor_files(files: Sequence[tuple[str, str]], project_root: Path | None, target: Path, purpose: str) -> int:
    """Copy `(path in an npm package, path under target)` pairs; a French error says to run `npm ci` when one
    is missing (a source checkout without `node_modules/`). `purpose`: what needs them (« de la recherche »)."""
    for src, dest in files:
        found = vendor_file(src, project_root)
        if found is None:
            raise UserError(
                f"bibliothèques JavaScript {purpose} absentes (node_modules/{src} introuvable) : lancez « npm ci » "
                "dans le dossier de ccdir (il faut Node.js et npm), puis relancez la construction (« make serve » "
                "et « make test » le font pour vous)."
            )
        path = target / dest
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, path)
    return len(files)
