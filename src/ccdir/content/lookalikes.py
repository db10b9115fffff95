"""Look-alike names: a word mixing Latin, Cyrillic or Greek letters imitates another business's name
(moved out of `content.model`, which only validates; `content.validate` warns with it)."""

from __future__ import annotations

import re
import unicodedata

_SCRIPTS = {"LATIN": "latines", "CYRILLIC": "cyrilliques", "GREEK": "grecques"}
_WORD = re.compile(r"[^\W\d_]+")


def mixed_scripts(text: str) -> str | None:
    """A French explanation when a word of `text` mixes Latin, Cyrillic or Greek letters (« Воulangerie »
    with a Cyrillic В and о looks like a Latin name but is not: a look-alike of another business), else None."""
    if text.isascii():
        return None
    for m in _WORD.finditer(text):
        word = m.group()
        if word.isascii():
            continue
        scripts: dict[str, list[str]] = {}
        for ch in word:
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in _SCRIPTS:
                scripts.setdefault(script, []).append(ch)
        if len(scripts) > 1:
            odd = [s for s in scripts if s != "LATIN"] or list(scripts)[1:]
            shown = ", ".join(f"« {ch} » (U+{ord(ch):04X})" for s in odd for ch in dict.fromkeys(scripts[s]))
            names = " et ".join(_SCRIPTS[s] for s in scripts)
            return (f"le mot « {word} » mêle des lettres {names} : {shown} ; un nom qui imite celui d'un autre "
                    "commerce ? retapez-le au clavier")
    return None
