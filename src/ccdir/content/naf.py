"""The NAF nomenclature (INSEE's activity codes, « code APE »), both generations, and its mapping to categories.

Data shipped in `ccdir/data/naf/` (see `data/SOURCES.md`): the 732 sous-classes of NAF rév. 2 and the 747
of NAF 2025, each with its official French label, and `categories.yaml`, the hand-reviewed mapping of the
sous-classes that concern the directory to category ids (a project may replace it with `content/naf.yaml`).

The two generations share no sous-classe code: rév. 2 letters are A–F and Z, NAF 2025 letters are G, H, J,
K, L and Y, so a full code tells its generation. Only a class without its letter (« 47.24 ») or a label
found in both (« Restauration traditionnelle ») needs the generation from elsewhere: the column header
(« Code NAF 2025 »), the `--naf` option, else the class or label existing in one generation only.

`Nomenclature.read(text)` accepts every notation met in chambers' sheets: « 56.10A », « 5610A »,
« 56.10 A », « 5610a », « 56 10A », « 5610A - Restauration traditionnelle », « 56.10A Restauration
traditionnelle » and a label alone, with or without accents (« Debits de boissons »).
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ccdir.core.resources import data_file
from ccdir.core.textnorm import fold

GENERATIONS = ("rev2", "2025")
GENERATION_NAMES = {"rev2": "NAF rév. 2", "2025": "NAF 2025"}
_LETTERS = {"rev2": "ABCDEFZ", "2025": "GHJKLY"}
KINDS = ("commerce", "artisan", "producteur", "restaurant", "bar")

# « 56.10A », « 5610A », « 56.10 A », « 56 10 a », then an optional « - label » or « label ».
_CODE = re.compile(r"^\s*(\d{2})\s*[.\s]?\s*(\d{2})(?:\s*([A-Za-z])(?![A-Za-zÀ-ÿ]))?\s*(?:[-–—:/|]\s*)?(.*?)\s*$")


@dataclass(frozen=True)
class NafCode:
    code: str  # dotted, as INSEE writes it: « 56.10A »
    generation: str  # "rev2" | "2025"
    label: str

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def generation_name(self) -> str:
        return GENERATION_NAMES[self.generation]


@dataclass(frozen=True)
class NafReading:
    """What a cell says: the code found (or None) and, when it could not be read, why (French)."""

    code: NafCode | None = None
    error: str | None = None
    warning: str | None = None


def generation_of(code: str) -> str | None:
    letter = code[-1:].upper()
    return next((g for g, letters in _LETTERS.items() if letter in letters), None)


def parse_generation(text: str | None) -> str | None:
    """« rev2 », « rév. 2 », « 2008 », « NAF 2025 », « 25 » → "rev2" / "2025"; None for anything else."""
    key = fold(text or "").replace(" ", "")
    key = key.removeprefix("naf")
    if key in ("rev2", "r2", "2008", "rev22008", "2"):
        return "rev2"
    if key in ("2025", "25"):
        return "2025"
    return None


def generation_in_header(header: str) -> str | None:
    """The generation a column header names: « Code NAF 2025 », « naf25 », « APE (NAF rév. 2) »."""
    key = " " + fold(header) + " "
    if re.search(r"\b(2025|naf25|naf 25)\b", key):
        return "2025"
    if re.search(r"\b(rev 2|rev2|2008|naf08|naf 08)\b", key):
        return "rev2"
    return None


def _read_csv(name: str) -> list[dict[str, str]]:
    text = data_file(f"naf/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


class Nomenclature:
    """Both generations of NAF sous-classes, by code, class and folded label."""

    def __init__(self, rows: dict[str, list[tuple[str, str]]], correspondence: Iterable[tuple[str, str]] = ()):
        self.codes: dict[str, NafCode] = {}
        self.by_class: dict[str, dict[str, list[NafCode]]] = {}
        self.by_label: dict[str, list[NafCode]] = {}
        for generation, pairs in rows.items():
            for code, label in pairs:
                item = NafCode(code, generation, label)
                self.codes[code] = item
                self.by_class.setdefault(code[:5], {}).setdefault(generation, []).append(item)
                self.by_label.setdefault(fold(label), []).append(item)
        self.correspondence: dict[str, list[str]] = {}
        for old, new in correspondence:
            self.correspondence.setdefault(old, []).append(new)
            self.correspondence.setdefault(new, []).append(old)

    @classmethod
    @functools.lru_cache(maxsize=1)
    def load(cls) -> Nomenclature:
        rows = {g: [(r["code"], r["libelle"]) for r in _read_csv(f"naf-{g}.csv")] for g in GENERATIONS}
        return cls(rows, correspondence())

    def count(self, generation: str) -> int:
        return sum(1 for c in self.codes.values() if c.generation == generation)

    # reading a cell -------------------------------------------------------------------------------

    def looks_like_naf(self, value: Any) -> bool:
        """A cell of an « Activité » column that is a NAF code (« 5610A… ») or exactly an official label."""
        text = cell_text(value)
        return bool(re.match(r"^\s*\d{2}\s*[.\s]?\s*\d{2}", text)) or fold(text) in self.by_label

    def read(self, value: Any, generation: str | None = None) -> NafReading:
        """A code (any notation, optionally followed by its label) or a label alone."""
        text = cell_text(value)
        if not text:
            return NafReading()
        m = _CODE.match(text)
        if m is None:
            if re.match(r"^\s*\d", text):
                return NafReading(
                    error=f"code NAF « {text} » illisible : écrivez-le comme l'INSEE, par exemple "
                    "56.10A (ou 5610A), éventuellement suivi de son libellé"
                )
            return self.read_label(text, generation)
        klass = f"{m.group(1)}.{m.group(2)}"
        letter, label = (m.group(3) or "").upper(), m.group(4)
        if letter:
            found = self.codes.get(klass + letter)
            if found is None:
                return NafReading(error=self._unknown_code(text, klass, letter))
        else:
            found, error = self._from_class(text, klass, generation)
            if found is None:
                return NafReading(error=error)
        warning = None
        if generation and found.generation != generation:
            warning = (
                f"« {found.code} » est un code {found.generation_name} (lettre {found.code[-1]}) ; "
                f"il est lu comme tel malgré la {GENERATION_NAMES[generation]} demandée"
            )
        if label:
            conflict = self.label_conflict(found, label)
            if conflict:
                return NafReading(error=conflict)
        return NafReading(found, warning=warning)

    def read_label(self, text: str, generation: str | None = None) -> NafReading:
        """An official label, accents and case aside; a close spelling is accepted when unambiguous."""
        key = fold(text)
        matches = self.by_label.get(key)
        if not matches:
            close = difflib.get_close_matches(key, list(self.by_label), n=2, cutoff=0.9)
            if len(close) == 1 or (close and difflib.SequenceMatcher(None, key, close[0]).ratio() >= 0.97):
                matches = self.by_label[close[0]]
        if not matches:
            close = difflib.get_close_matches(key, list(self.by_label), n=1, cutoff=0.6)
            hint = ""
            if close:
                item = self.by_label[close[0]][0]
                hint = f" ; le plus proche : « {item.label} » ({item.code})"
            return NafReading(
                error=f"libellé NAF « {text} » inconnu{hint} ; donnez le code (par exemple 56.10A) "
                "ou le libellé officiel de l'INSEE"
            )
        if len(matches) > 1:
            chosen = [c for c in matches if c.generation == (generation or "rev2")] or matches
            return NafReading(chosen[0])
        return NafReading(matches[0])

    def _from_class(self, text: str, klass: str, generation: str | None) -> tuple[NafCode | None, str | None]:
        by_generation = self.by_class.get(klass)
        if not by_generation:
            return None, f"code NAF « {text} » inconnu : la classe {klass} n'existe ni en NAF rév. 2 ni en NAF 2025"
        wanted = [generation] if generation in by_generation else list(by_generation)
        candidates = [c for g in wanted for c in by_generation[g]]
        if len(candidates) == 1:
            return candidates[0], None
        listed = " ; ".join(f"{c.code} {c.label}" for c in candidates)
        how = "ajoutez la lettre de la sous-classe"
        if len(wanted) > 1:
            how += (
                " ou indiquez la génération (option --naf rev2 ou --naf 2025, ou un en-tête de colonne "
                "« Code NAF 2025 »)"
            )
        return None, f"code NAF « {text} » incomplet : {how} ; possibles : {listed}"

    def _unknown_code(self, text: str, klass: str, letter: str) -> str:
        siblings = [c for cs in self.by_class.get(klass, {}).values() for c in cs]
        if siblings:
            return f"code NAF « {text} » inconnu : la classe {klass} a pour sous-classes " + " ; ".join(
                f"{c.code} {c.label} ({c.generation_name})" for c in siblings
            )
        return f"code NAF « {text} » inconnu : ni en NAF rév. 2 ni en NAF 2025 ; vérifiez-le sur insee.fr"

    def label_conflict(self, code: NafCode, label: str) -> str | None:
        """None when `label` is the code's label (or an abbreviation of it); a French reason otherwise."""
        key, own = fold(label), fold(code.label)
        if not key or key == own or own.startswith(key) or self._abbreviates(key, own):
            return None
        same = [c for c in self.by_label.get(key, ()) if c.code[:5] == code.code[:5]]
        if same:  # the label of the same class in the other generation: same activity
            return None
        other = self.by_label.get(key)
        if other:
            return (
                f"le code {code.code} (« {code.label} ») et le libellé « {label} » ({other[0].code}) ne "
                "concordent pas : corrigez l'un ou l'autre"
            )
        if difflib.SequenceMatcher(None, key, own).ratio() >= 0.8:
            return None
        return (
            f"le libellé « {label} » ne correspond pas au code {code.code} (« {code.label} ») : "
            "corrigez l'un ou l'autre"
        )

    @staticmethod
    def _abbreviates(key: str, own: str) -> bool:
        """INSEE's short labels (« Cult. légume, melon… ») and truncations: each word starts a word of the label."""
        words, full = key.split(), own.split()
        i = 0
        for w in words:
            while i < len(full) and not full[i].startswith(w):
                i += 1
            if i == len(full):
                return False
            i += 1
        return len(words) >= 2


def cell_text(value: Any) -> str:
    """A code cell as text: Excel turns « 56.10 » into 56.1 and « 5610 » into 5610."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return str(value).zfill(4)
    return " ".join(str(value).split())


def correspondence() -> list[tuple[str, str]]:
    """INSEE's NAF rév. 2 → NAF 2025 table (`naf/correspondance.csv`) when shipped; empty otherwise."""
    try:
        return [(r["naf_rev2"], r["naf_2025"]) for r in _read_csv("correspondance.csv")]
    except FileNotFoundError:
        return []


# --- codes → categories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What the mapping says of one sous-classe."""

    in_scope: bool
    categories: tuple[str, ...] = ()  # empty in scope: the category must come from the « Activité » column
    kind: str | None = None


@dataclass
class NafMapping:
    entries: dict[str, Scope] = field(default_factory=dict)  # dotted code → scope
    source: str = "ccdir/data/naf/categories.yaml"
    lines: dict[str, int] = field(default_factory=dict)  # code → line in the file (for messages)
    sections: dict[str, str] = field(default_factory=dict)  # code → generation of the section it is in

    def scope(self, code: NafCode) -> Scope:
        return self.entries.get(code.code, Scope(False))


class MappingError(Exception):
    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message, self.line = message, line


def load_mapping(project_file: Path | None = None, display: str | None = None) -> NafMapping:
    """The project's `content/naf.yaml` when it exists, else the shipped mapping. MappingError (French) if
    the file is malformed; unknown codes and categories are checked by `check_mapping`."""
    if project_file is not None and project_file.is_file():
        text, source = project_file.read_text(encoding="utf-8"), display or project_file.as_posix()
    else:
        text = data_file("naf/categories.yaml").read_text(encoding="utf-8")
        source = "ccdir/data/naf/categories.yaml"
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MappingError(f"YAML illisible ({getattr(exc, 'problem', exc)})", mark.line + 1 if mark else 0) from None
    lines = {
        m.group(1): n
        for n, line in enumerate(text.splitlines(), 1)
        for m in [re.match(r'\s*"?(\d{2}\.\d{2}[A-Z])"?\s*:', line)]
        if m
    }
    if not isinstance(data, dict) or set(map(str, data)) - set(GENERATIONS):
        raise MappingError('deux sections attendues, « rev2 » et « "2025" »')
    mapping = NafMapping(source=source, lines=lines)
    for generation, entries in data.items():
        for code, value in (entries or {}).items():
            code = str(code)
            if not isinstance(value, dict) or set(value) - {"kind", "categories"}:
                raise MappingError(f"{code} : écrivez {{kind: …, categories: […]}}", lines.get(code, 0))
            cats = value.get("categories")
            if cats is not None and (not isinstance(cats, list) or not 1 <= len(cats) <= 5):
                raise MappingError(
                    f"{code} : « categories » doit être une liste de 1 à 5 identifiants, ou ~", lines.get(code, 0)
                )
            kind = value.get("kind")
            if kind is not None and kind not in KINDS:
                raise MappingError(
                    f"{code} : kind « {kind} » inconnu ; possibles : {', '.join(KINDS)}", lines.get(code, 0)
                )
            mapping.entries[code] = Scope(True, tuple(cats or ()), kind)
            mapping.sections[code] = str(generation)
    return mapping


def check_mapping(mapping: NafMapping, nomenclature: Nomenclature, category_ids: set[str] | Any) -> list[str]:
    """French problems: codes that do not exist (or sit in the wrong generation), categories unknown, and
    a label shared by both generations mapped differently."""
    problems = []
    for code, scope in mapping.entries.items():
        where = f"{mapping.source}:{mapping.lines.get(code, 0)}"
        if code not in nomenclature.codes:
            problems.append(f"{where} : code NAF {code} inconnu")
            continue
        if nomenclature.codes[code].generation != mapping.sections.get(code):
            problems.append(
                f"{where} : {code} est un code {nomenclature.codes[code].generation_name} : placez-le dans sa section"
            )
        for cid in scope.categories:
            if cid not in category_ids:
                problems.append(f"{where} : {code} : catégorie « {cid} » absente de content/categories.yaml")
    for old, news in sorted(nomenclature.correspondence.items()):
        if generation_of(old) != "rev2" or not mapping.scope(nomenclature.codes[old]).in_scope:
            continue
        if not any(mapping.scope(nomenclature.codes[n]).in_scope for n in news if n in nomenclature.codes):
            problems.append(
                f"{mapping.source} : {old} est dans le champ mais aucun de ses codes NAF 2025 "
                f"({', '.join(news)}, table de correspondance de l'INSEE) ne l'est"
            )
    for codes in nomenclature.by_label.values():
        scopes = {c.code: mapping.entries.get(c.code, Scope(False)) for c in codes}
        if len({(s.in_scope, s.categories) for s in scopes.values()}) > 1:
            problems.append(
                f"{mapping.source} : « {codes[0].label} » a des catégories différentes selon la "
                f"génération : "
                + ", ".join(f"{c} → {list(s.categories) if s.in_scope else 'hors champ'}" for c, s in scopes.items())
            )
    return problems
