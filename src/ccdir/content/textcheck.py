"""Checks on the characters of free text shared by every model: what hides, reorders or imitates text.

Split from `model.py` (which re-exports these names): `ccdir_error` builds the French validation
errors of every model; `unseen` refuses characters that do not show; `mixed_scripts` spots look-alike names.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic_core import PydanticCustomError


def ccdir_error(message: str, subloc: tuple[Any, ...] = ()) -> PydanticCustomError:
    """A validation error with a French message; `subloc` points below the validated field."""
    return PydanticCustomError("ccdir", "{message}", {"message": message, "subloc": subloc})


# Letters and symbols that show nothing (Hangul fillers, braille blank): used to make "invisible" names.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
MAX_STACKED_MARKS = 3  # "Zalgo" text piles dozens of accents on a letter and spills over the lines around it


def unseen(value: str) -> None:
    """Refuse the non-ASCII characters that do not show as text: format characters (except the joiner
    inside an emoji sequence), private-use, unassigned and surrogate code points, blank look-alikes, and
    accents stacked by the dozen."""
    run, run_end = 0, -1
    for m in _NON_ASCII.finditer(value):
        ch, i = m.group(), m.start()
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me"):
            run = run + 1 if i == run_end else 1
            run_end = i + 1
            if run > MAX_STACKED_MARKS:
                raise ccdir_error(
                    "trop de signes diacritiques empilés sur une même lettre : retapez le texte sans copier-coller"
                )
            continue
        code = f"U+{ord(ch):04X}"
        if (cat == "Cf" and not (ch == "\u200d" and _joins_emoji(value, i))) or ch in _BLANK_LOOKALIKES:
            raise ccdir_error(f"caractère invisible ({code}) interdit : retapez le texte sans copier-coller")
        if cat == "Co":
            raise ccdir_error(f"caractère à usage privé ({code}) : il ne s'affiche pas chez les habitants ; retirez-le")
        if cat in ("Cn", "Cs"):
            raise ccdir_error(f"caractère inconnu ({code}) : retirez-le")


def _joins_emoji(value: str, i: int) -> bool:
    """True when the zero-width joiner at `i` glues two emoji (👩‍🍳), as it is meant to."""
    before = value[i - 1] if i else ""
    if before == "\ufe0f" and i > 1:
        before = value[i - 2]
    after = value[i + 1] if i + 1 < len(value) else ""
    return (
        bool(before and after) and unicodedata.category(before) in ("So", "Sk") and unicodedata.category(after) == "So"
    )


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
            return (
                f"le mot « {word} » mêle des lettres {names} : {shown} ; un nom qui imite celui d'un autre "
                "commerce ? retapez-le au clavier"
            )
    return None
