"""Checks on the characters of free text shared by every model: what hides, reorders or imitates text.

`ccdir_error` builds the French validation errors of every model; `unseen` refuses characters that do not
show; `mixed_scripts` spots look-alike names; `clean_line` / `clean_paragraph` (NFC, then control, bidi and
invisible characters refused), `text_line` / `text_paragraph` (the same, and no spreadsheet formula),
`plain_letters` and `has_letter_or_digit` are the text checks of the field types (`fieldtypes`).
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


# Characters that hide text or reorder it on screen (bidi overrides, zero-width), and control characters.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = "\u00ad\u200b\u200c\u2060\ufeff"  # U+200D (joiner) is checked by unseen: emoji sequences need it
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_FORBIDDEN_LINE = re.compile(f"[{_BIDI}{_INVISIBLE}{_CONTROL}\u2028\u2029\t\n]")
_FORBIDDEN_TEXT = re.compile(f"[{_BIDI}{_INVISIBLE}{_CONTROL}\u2028\u2029]")
_BIDI_RE = re.compile(f"[{_BIDI}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


def _clean_text(value: Any, *, multiline: bool) -> Any:
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    value = unicodedata.normalize("NFC", value).strip()
    found = (_FORBIDDEN_TEXT if multiline else _FORBIDDEN_LINE).search(value)
    if found:
        ch = found.group()
        if _BIDI_RE.match(ch):
            raise ccdir_error(
                f"caractère de contrôle de sens d'écriture (U+{ord(ch):04X}) interdit : "
                "retapez le texte sans copier-coller"
            )
        if ch in "\u2028\u2029\x85":  # YAML reads them as line breaks, editors do not: the reader refuses them
            raise ccdir_error(
                f"séparateur de ligne spécial (U+{ord(ch):04X}) : remplacez-le par un retour à la ligne "
                "ordinaire ou une espace (il vient souvent d'un copier-coller)"
            )
        if _INVISIBLE_RE.match(ch):
            raise ccdir_error(f"caractère invisible (U+{ord(ch):04X}) interdit : retapez le texte sans copier-coller")
        raise ccdir_error(
            f"caractère de contrôle (U+{ord(ch):04X}) interdit"
            + ("" if multiline else " : le texte doit tenir sur une ligne")
        )
    if not value.isascii():
        unseen(value)
    return value


# Compatibility forms that only restyle a letter or digit: 𝐁 (math bold), Ｂ (full width), Ⓑ (circled)…
DECORATIVE_FORMS = ("<font>", "<wide>", "<circle>", "<square>")


def plain_letters(value: str) -> str:
    if value.isascii():
        return value
    for ch in value:
        if ord(ch) > 0x7F and unicodedata.decomposition(ch).startswith(DECORATIVE_FORMS):
            raise ccdir_error(
                f"lettres décoratives (« {ch} ») : écrivez le nom en lettres ordinaires ; "
                "les lecteurs d'écran et la recherche ne les reconnaissent pas"
            )
    return value


def clean_line(value: Any) -> Any:
    return _clean_text(value, multiline=False)


def clean_paragraph(value: Any) -> Any:
    return _clean_text(value, multiline=True)


def has_letter_or_digit(value: str) -> str:
    if value and not any(ch.isalnum() for ch in value):
        raise ccdir_error("le texte doit contenir au moins une lettre ou un chiffre")
    return value


# What a spreadsheet runs as a formula when the published CSV is opened: « =HYPERLINK(…) », « +cmd|… »,
# « @SUM(… ». « @Home Déco » or « - 10 % » stay possible.
FORMULA = re.compile(r"^(=|[+\-@]\S*[(|!])")


def _no_formula(value: Any) -> Any:
    if isinstance(value, str) and FORMULA.match(value):
        raise ccdir_error(
            f"texte qui commence comme une formule de tableur (« {value[:20]} ») : il "
            "s'exécuterait à l'ouverture des données dans un tableur ; retirez le signe du début"
        )
    return value


def text_line(value: Any) -> Any:
    return _no_formula(clean_line(value))


def text_paragraph(value: Any) -> Any:
    return _no_formula(clean_paragraph(value))
