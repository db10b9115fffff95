"""The merchant files of a folder (`scan`): every `*.yaml` under it, and a problem for each entry that
cannot be one; `display_path`, the path shown to users (relative to the project)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ccdir.core.problems import Problem


def merchant_files(root: Path) -> list[Path]:
    """Every `*.yaml` under `root`, sorted, so that builds are deterministic (`scan` also says what it
    could not take)."""
    return scan(root)[0]


def scan(root: Path, base: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The merchant files under `root` (every `*.yaml`/`*.yml` that is not a folder, sorted), and a problem
    for each entry that cannot be one: folders that cannot be listed, names that are not UTF-8, special
    files (FIFO, device, socket) and links to folders. Nothing is opened here, so a FIFO cannot block the
    scan; a special file or a link named `*.yaml` is listed, and reading it says why it is refused."""
    if not root.is_dir():
        return [], []
    paths: list[Path] = []
    problems: list[Problem] = []
    _scan(str(root), paths, problems, base.resolve() if base is not None else None)
    return paths, sorted(problems)


_SPECIAL = "fichier spécial ({}) dans le dossier des fiches : supprimez-le (une fiche est un fichier texte YAML)"


def _scan(folder: str, paths: list[Path], problems: list[Problem], base: Path | None) -> None:
    """In the order of sorted paths; `os.scandir` knows file types without a system call per file."""
    try:
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
    except OSError as exc:
        problems.append(
            Problem(
                _shown(folder, base),
                0,
                0,
                f"dossier illisible ({exc.strerror}) : donnez le droit "
                "de lecture sur ce dossier ou retirez-le du dossier des fiches",
            )
        )
        return
    for entry in entries:
        if not _utf8(entry.name):
            problems.append(
                Problem(
                    _shown(entry.path, base),
                    0,
                    0,
                    "nom de fichier qui n'est pas en UTF-8 : "
                    "renommez-le (lettres, chiffres et tirets, par exemple « fleurs-de-loire.yaml »)",
                )
            )
            continue
        if entry.is_dir(follow_symlinks=False):
            _scan(entry.path, paths, problems, base)
            continue
        is_yaml = _suffix(entry.name) in (".yaml", ".yml")
        if entry.is_symlink():
            if is_yaml:
                paths.append(Path(entry.path))  # reading it refuses the link, with its path
            elif entry.is_dir():
                problems.append(
                    Problem(
                        _shown(entry.path, base),
                        0,
                        0,
                        "lien symbolique vers un dossier, ignoré : remplacez-le par le dossier lui-même",
                    )
                )
            continue
        if is_yaml:
            paths.append(Path(entry.path))  # a FIFO or a device too: reading it refuses it, with its path
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(_shown(entry.path, base), 0, 0, _SPECIAL.format(_kind(entry.path))))


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by the file system encoding's surrogate escapes
        return False
    return True


def _kind(path: str) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "inconnu"
    if stat.S_ISFIFO(mode):
        return "tube nommé"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "périphérique"
    return "inconnu"


def _shown(path: str, base: Path | None) -> str:
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return display_path(Path(text), base)


def _suffix(name: str) -> str:
    """`Path(name).suffix`, lower-cased (« ...yaml » has one, unlike for `os.path.splitext`)."""
    i = name.rfind(".")
    return name[i:].lower() if 0 < i < len(name) - 1 else ""


def display_path(path: Path, base: Path | None) -> str:
    """The path shown to users: relative to the project when it is inside it."""
    if base is not None:
        text, prefix = str(path), str(base).rstrip("/") + "/"
        if text.startswith(prefix) and os.sep == "/":  # what relative_to gives, 20 times faster
            return text[len(prefix) :]
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
        try:  # resolving costs a system call per folder: only when the plain path is not under `base`
            return path.resolve().relative_to(base).as_posix()
        except ValueError:
            pass
    return path.as_posix()
