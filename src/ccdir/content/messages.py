"""French messages for pydantic's validation errors, placed at the line and column of the field.

Shared by every model read from YAML (merchants, categories, settings, goals), so they all speak alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ccdir.content import reader
from ccdir.content.model import Merchant
from ccdir.core.problems import Problem

_TYPE_NAMES = {
    "string": "un texte",
    "int": "un nombre entier",
    "float": "un nombre",
    "bool": "true ou false",
    "list": "une liste (par exemple [a, b] ou des lignes « - a »)",
    "dict": "un bloc de champs indentés",
    "model": "un bloc de champs indentés",
    "date": "une date AAAA-MM-JJ",
}


_BOUNDS = {
    "greater_than_equal": ("ge", "au moins"),
    "greater_than": ("gt", "strictement supérieure à"),
    "less_than_equal": ("le", "au plus"),
    "less_than": ("lt", "strictement inférieure à"),
}


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc).replace(".[", "[") or "la fiche"


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model class that validates the mapping at `loc` (for field suggestions)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    for arg in typing.get_args(annotation) or ():
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


def _shown(value: Any) -> str:
    """A value as a staff member wrote it in YAML, not as Python prints it."""
    if isinstance(value, str):
        return f"« {value[:60]} »"
    if value is None:
        return "vide"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"la date {value.isoformat()}"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un bloc de champs"
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def french_message(err: Mapping[str, Any], model: type[BaseModel] = Merchant) -> tuple[tuple[Any, ...], str, bool]:
    """(loc, French message, points at key?) for one pydantic error."""
    kind, loc, ctx = err["type"], tuple(err["loc"]), err.get("ctx") or {}
    name = _field_name(loc)
    value = err.get("input")
    shown = _shown(value)
    if kind == "ccdir":
        sub = tuple(ctx.get("subloc", ()))
        return loc + sub, ctx["message"], False
    if kind == "missing":
        parent = _field_name(loc[:-1])
        where = f" dans « {parent} »" if loc[:-1] else ""
        return loc[:-1], f"champ obligatoire « {loc[-1]} » manquant{where} : ajoutez-le", True
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1], model)
        known = list(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = (
            f" — vouliez-vous dire « {close[0]} » ?"
            if close
            else (f" : champs possibles ici : {', '.join(known)}" if known else " : retirez-le")
        )
        return loc, f"champ inconnu « {str(loc[-1])[:60]} »{hint}", True
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return loc, f"« {name} » vaut {shown} : valeurs possibles : {expected}", False
    if kind in ("string_too_long", "too_long"):
        unit = "caractères" if isinstance(value, str) else "éléments"
        return loc, f"« {name} » est trop long : {ctx.get('max_length')} {unit} au plus", False
    if kind in ("string_too_short", "too_short"):
        if ctx.get("min_length") == 1 and isinstance(value, str):
            return loc, f"« {name} » est vide : remplissez-le ou retirez la ligne", False
        n = ctx.get("min_length")
        return loc, f"« {name} » doit contenir au moins {n} élément{'s' if n != 1 else ''}", False
    if kind in _BOUNDS:
        key, word = _BOUNDS[kind]
        bound = ctx.get(key)
        bound = int(bound) if isinstance(bound, float) and bound.is_integer() else bound
        return loc, f"« {name} » vaut {shown} : la valeur doit être {word} {bound}", False
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")).startswith(("^https?://", "^(https?://")):
            return loc, f"« {name} » vaut {shown} : adresse web attendue, commençant par https://", False
        return loc, f"« {name} » vaut {shown} : format invalide", False
    if kind in ("finite_number",):
        return loc, f"« {name} » doit être un nombre fini", False
    if kind.endswith("_type") or kind.endswith("_parsing"):
        base = kind.rsplit("_", 1)[0].replace("_from_datetime", "")
        expected = _TYPE_NAMES.get(base, base)
        hint = ""
        if base == "string" and isinstance(value, (int, float, bool)):
            hint = " : mettez la valeur entre guillemets"
        elif base == "string" and value is None:
            hint = " : remplissez la valeur ou retirez la ligne"
        return loc, f"« {name} » doit être {expected}, pas {shown}{hint}", False
    if kind == "value_error":
        return loc, str(ctx.get("error", err["msg"])), False
    if kind == "date_from_datetime_inexact":
        return loc, f"« {name} » : date attendue sans heure, au format AAAA-MM-JJ", False
    return loc, f"« {name} » : valeur refusée ({err['msg']})", False


def pydantic_problems(doc: reader.Document, exc: ValidationError, model: type[BaseModel] = Merchant) -> list[Problem]:
    """One Problem per pydantic error, placed at its line and column in `doc`."""
    problems = []
    for err in exc.errors(include_url=False):
        if doc.hides(err["loc"], err["type"] == "missing"):
            continue  # a consequence of a value refused while reading, already reported
        loc, message, at_key = french_message(err, model)
        line, col = doc.position(loc, key=at_key)
        problems.append(Problem(doc.path, line, col, message))
    return problems


# --- one document ---------------------------------------------------------------------------------------
