"""What the system refused during a build, in one French line: disk full, read-only disk, permission
denied, too many open files.

The build raises the plain `OSError` (the previous site is untouched and its temporary folders are
removed: `ccdir.build.generation`); `ccdir build` and `ccdir serve` show `system_message(…)` instead of
a traceback, and `ccdir build` exits with `EXIT_SYSTEM`.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ccdir.build.generation import OLD, TMP

EXIT_SYSTEM = 2  # 1 is for content errors

_WHAT = {
    errno.ENOSPC: "disque plein en écrivant {path} : libérez de la place puis relancez",
    errno.EDQUOT: "quota de disque dépassé en écrivant {path} : libérez de la place puis relancez",
    errno.EROFS: "disque en lecture seule, impossible d'écrire {path} : choisissez un autre dossier de sortie "
    "(--output) ou rendez le disque accessible en écriture, puis relancez",
    errno.EACCES: "permission refusée pour {path} : donnez les droits d'écriture sur ce dossier (ou choisissez-en "
    "un autre avec --output), puis relancez",
    errno.EMFILE: "trop de fichiers ouverts en même temps ({path}) : augmentez la limite (« ulimit -n 4096 ») "
    "puis relancez",
}
_WHAT[errno.EPERM] = _WHAT[errno.EACCES]
_WHAT[errno.ENFILE] = _WHAT[errno.EMFILE]


def is_system_error(exc: BaseException) -> bool:
    """An error of the machine (disk, rights, limits) rather than of ccdir or of the content."""
    return isinstance(exc, OSError) and exc.errno in _WHAT


def system_message(exc: OSError, output: Path, root: Path | None = None) -> str:
    """« disque plein en écrivant site/… : libérez de la place puis relancez » (one line, to be shown after
    « Erreur : »)."""
    path = shown_path(exc.filename, output, root)
    template = _WHAT.get(exc.errno or 0)
    if template is None:
        return f"erreur système en écrivant {path} ({exc.strerror or exc}) : corrigez puis relancez"
    return template.format(path=path)


def shown_path(filename: object, output: Path, root: Path | None = None) -> str:
    """The path as the user knows it: a file of the generation being built is shown in the output folder
    (`site/commercants/…` rather than `site.tmp-x8k2/commercants/…`), relative to `root` when inside."""
    if filename is None:
        return _relative(output, root) + "/…"
    path = Path(os.fsdecode(filename) if isinstance(filename, (bytes, str)) else str(filename))
    try:
        rel = path.resolve().relative_to(output.parent.resolve())
        first, rest = rel.parts[0], rel.parts[1:]
        if first.startswith((output.name + TMP, output.name + OLD)):
            first = output.name
        path = output.parent.joinpath(first, *rest)
    except (ValueError, IndexError, OSError):
        pass
    return _relative(path, root)


def _relative(path: Path, root: Path | None) -> str:
    for base in (root, Path.cwd()):
        if base is not None:
            try:
                return path.relative_to(base).as_posix()
            except ValueError:
                continue
    return path.as_posix()
