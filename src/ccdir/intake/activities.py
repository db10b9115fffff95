"""The categories of a row: from its « Activité » label (« Boulangerie-Pâtisserie ») or from its NAF code.

`ActivityMapper` turns free-text activity labels into category ids through the catalogue's ids, labels and
synonyms. An « Activité » cell that holds a NAF code (« 5610A ») or an official NAF label (« Débits de
boissons ») is read as NAF. `Classifier` decides a row's categories, kind and scope from the activity and NAF cells: the
activity wins when it maps; otherwise the NAF code's mapping (`content.naf`) is used; a NAF code outside
the directory's scope makes the row skipped, with the reason.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.naf import NafCode, NafMapping, Nomenclature
from ccdir.core.textnorm import fold
from ccdir.intake.sheets import present

_STOPWORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "en", "a", "au", "aux", "pour", "sur"}


class ActivityMapper:
    """Activity labels (« Boulangerie-Pâtisserie », « Commerce de détail de fleurs ») → category ids."""

    def __init__(self, catalog: CategoryCatalog, explicit: dict[str, list[str]]):
        self.catalog = catalog
        self.words = catalog.by_word()
        self.explicit = {fold(k): v for k, v in explicit.items()}
        self.map = functools.lru_cache(maxsize=None)(self._map)

    def _map(self, label: str) -> tuple[list[str], str | None]:
        """(category ids, None) or ([], French reason with the closest categories)."""
        key = fold(label)
        if key in self.explicit:
            return list(self.explicit[key]), None
        if key in self.words:
            return list(self.words[key]), None
        ids: list[str] = []
        unknown_parts = []
        for part in re.split(r"\s*[,;/+&]\s*|\s+et\s+|\s+-\s+", label):
            found = self._part(fold(part)) if fold(part) else []
            if not found and fold(part):
                unknown_parts.append(part.strip())
            ids.extend(i for i in found if i not in ids)
        if ids:
            return ids[:5] if len(ids) <= 5 else [], (
                None
                if len(ids) <= 5
                else f"activité « {label} » : trop de catégories reconnues "
                f"({', '.join(ids)}) ; précisez avec --activite"
            )
        return [], self._unknown(label)

    def _part(self, key: str) -> list[str]:
        if key in self.words:
            return list(self.words[key])
        words = key.split()
        ids: list[str] = []
        used = [False] * len(words)
        for size in (3, 2, 1):  # longest phrases first: « fruits et legumes » before « fruits »
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]):
                    continue
                phrase = " ".join(words[start : start + size])
                if size == 1 and phrase in _STOPWORDS:
                    continue
                hit = self.words.get(phrase) or (
                    self.words.get(phrase[:-1]) if size == 1 and phrase[-1:] in "sx" and len(phrase) > 3 else None
                )
                if hit:
                    ids.extend(i for i in hit if i not in ids)
                    used[start : start + size] = [True] * size
        if ids:
            return ids
        close = difflib.get_close_matches(key, list(self.words), n=1, cutoff=0.85)
        return list(self.words[close[0]]) if close else []

    def _unknown(self, label: str) -> str:
        close = difflib.get_close_matches(fold(label), list(self.words), n=6, cutoff=0.7)
        ids: list[str] = []
        for word in close:
            ids.extend(i for i in self.words[word] if i not in ids)
        hint = (" ; catégories les plus proches : " + ", ".join(f"« {i} »" for i in ids[:3])) if ids else ""
        return (
            f"activité « {label} » non reconnue{hint} ; indiquez la catégorie avec "
            f'--activite "{label}=identifiant" (liste dans content/categories.yaml)'
        )


@dataclass
class Decision:
    """What a row's activity and NAF cells say: categories and kind, or why the row is skipped or refused."""

    categories: list[str] | None = None
    kind: str | None = None  # suggested by the NAF code, for new merchants without a « Type »
    naf: NafCode | None = None
    skip: str | None = None  # out of the directory's scope: the reason
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field, French message)
    warnings: list[tuple[str, str]] = field(default_factory=list)


class Classifier:
    """Categories of a row from its « Activité » and NAF cells (see the module docstring)."""

    def __init__(
        self,
        catalog: CategoryCatalog,
        explicit: dict[str, list[str]],
        mapping: NafMapping,
        nomenclature: Nomenclature,
        generation: str | None = None,
        category: str | None = None,
    ):
        self.catalog = catalog
        self.activities = ActivityMapper(catalog, explicit)
        self.mapping = mapping
        self.naf = nomenclature
        self.generation = generation  # --naf: for classes without their letter and shared labels
        self.category = category  # --categorie: rows that say nothing, or whose NAF code is too broad

    def classify(
        self,
        activity: Any,
        code: Any,
        label: Any,
        code_generation: str | None = None,
        label_generation: str | None = None,
    ) -> Decision:
        decision = Decision()
        self._read_naf(decision, code, label, code_generation or self.generation, label_generation or self.generation)
        if decision.naf is None and not decision.errors and present(activity) and self.naf.looks_like_naf(activity):
            reading = self.naf.read(activity, self.generation)  # « Activité » holding a NAF code or label
            if reading.error:
                decision.errors.append(("activity", reading.error))
            decision.naf, activity = reading.code, None
        if decision.errors:
            return decision
        naf = decision.naf
        scope = self.mapping.scope(naf) if naf else None
        if scope and scope.in_scope:
            decision.kind = scope.kind
        if present(activity):
            ids, reason = self.activities.map(str(activity).strip())
            if ids:
                decision.categories = ids
                if scope is not None and not scope.in_scope:
                    decision.warnings.append(
                        (
                            "naf",
                            f"code NAF {naf} hors du champ de l'annuaire : catégorie "
                            "prise dans la colonne « Activité »",
                        )
                    )
                return decision
            if naf is not None and scope is not None and scope.categories:
                decision.categories = self._known(list(scope.categories))
                decision.warnings.append(
                    (
                        "activity",
                        f"activité « {str(activity).strip()} » non reconnue : catégorie d'après le code NAF {naf.code}",
                    )
                )
                return decision
            decision.errors.append(("activity", reason or ""))
            return decision
        if naf is None or scope is None:
            decision.categories = [self.category] if self.category else None
        elif not scope.in_scope:
            decision.skip = f"hors du champ de l'annuaire : code NAF {naf.code} « {naf.label} »"
        elif scope.categories:
            decision.categories = self._known(list(scope.categories))
        elif self.category:
            decision.categories = [self.category]
        else:
            decision.errors.append(
                (
                    "naf",
                    f"le code NAF {naf.code} (« {naf.label} ») couvre des activités trop "
                    "diverses pour choisir une catégorie : ajoutez une colonne « Activité » "
                    "ou donnez --categorie",
                )
            )
        return decision

    def _read_naf(self, decision: Decision, code: Any, label: Any, code_gen: str | None, label_gen: str | None) -> None:
        if present(code):
            reading = self.naf.read(code, code_gen)
            if reading.error:
                decision.errors.append(("naf", reading.error))
                return
            decision.naf = reading.code
            if reading.warning:
                decision.warnings.append(("naf", reading.warning))
            if reading.code is not None and present(label):
                conflict = self.naf.label_conflict(reading.code, str(label).strip())
                if conflict:
                    decision.errors.append(("naf_label", conflict))
        elif present(label):
            reading = self.naf.read_label(str(label).strip(), label_gen)
            if reading.error:
                decision.errors.append(("naf_label", reading.error))
                return
            decision.naf = reading.code

    def _known(self, ids: list[str]) -> list[str] | None:
        """The mapped categories this project's catalogue has (a project may have removed some)."""
        return [i for i in ids if i in self.catalog] or None
