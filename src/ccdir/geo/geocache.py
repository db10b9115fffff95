"""The geocoder's committed cache, `content/geocache.json`: normalised address → position found by the
Base Adresse Nationale. Read leniently (a broken file is a warning, then rebuilt), written only when it
changed, one entry per line sorted by key so that it diffs well in git."""

from __future__ import annotations

import json
from pathlib import Path

from ccdir.core.problems import Problem, Severity


class GeoCache:
    """`entries` as read from `path` (None: no file), and the `problems` met reading it."""

    def __init__(self, path: Path | None):
        self.path = path
        self.problems: list[Problem] = []
        self.entries, self._text = self._read()
        self._dirty = bool(self.problems)  # entries added or removed since the cache was read

    def _read(self) -> tuple[dict[str, dict], str | None]:
        if self.path is None or not self.path.exists():
            return {}, None
        display = self.path.as_posix()
        try:
            text = self.path.read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(
                Problem(
                    display,
                    0,
                    0,
                    f"cache de géocodage illisible ({exc}) : il sera reconstruit ; lancez « ccdir geocode »",
                    Severity.WARNING,
                )
            )
            return {}, None
        except json.JSONDecodeError as exc:
            self.problems.append(
                Problem(
                    display,
                    exc.lineno,
                    exc.colno,
                    "cache de géocodage invalide "
                    f"({exc.msg}) : il sera reconstruit ; s'il s'agit d'un conflit de "
                    "fusion, relancez simplement « ccdir geocode »",
                    Severity.WARNING,
                )
            )
            return {}, text
        if not isinstance(data, dict):
            self.problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "cache de géocodage invalide (un objet JSON est attendu) : il sera reconstruit",
                    Severity.WARNING,
                )
            )
            return {}, text
        return data, text

    def put(self, key: str, entry: dict) -> None:
        self.entries[key] = entry
        self._dirty = True

    def drop(self, key: str) -> None:
        del self.entries[key]
        self._dirty = True

    def keep_only(self, used: set[str]) -> int:
        """Drop the entries whose key is not in `used`; how many were dropped."""
        stale = [k for k in self.entries if k not in used]
        for k in stale:
            del self.entries[k]
        self._dirty = self._dirty or bool(stale)
        return len(stale)

    def text(self) -> str:
        """The cache as written: one entry per line, sorted by key, readable and diff-friendly."""
        lines = [
            f"  {json.dumps(k, ensure_ascii=False)}: "
            f"{json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(', ', ': '))}"
            for k, v in sorted(self.entries.items())
        ]
        return "{\n" + ",\n".join(lines) + ("\n" if lines else "") + "}\n"

    def save(self) -> bool:
        """Write the file if the entries changed since it was read; True when written."""
        if self.path is None:
            return False
        if not self._dirty and self._text is not None:
            return False  # nothing changed since it was read: skip serialising tens of thousands of entries
        text = self.text()
        if text == self._text or (not self.entries and self._text is None):
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(self.path)
        self._text = text
        self._dirty = False
        return True
