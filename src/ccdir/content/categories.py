"""The category catalogue (`content/categories.yaml`): ids, French/English labels, synonyms, OSM tags."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ccdir.core.textnorm import fold

GROUPS = {
    "alimentation": "Alimentation",
    "equipement-personne": "Équipement de la personne",
    "maison": "Maison & jardin",
    "culture-loisirs": "Culture & loisirs",
    "beaute-sante": "Beauté & santé",
    "restauration": "Restauration",
    "services": "Services",
}


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
    label: Annotated[str, Field(min_length=1, max_length=80)]
    label_en: Annotated[str, Field(min_length=1, max_length=80)]
    group: Literal[tuple(GROUPS)]  # type: ignore[valid-type]
    synonyms: list[Annotated[str, Field(min_length=1, max_length=60)]] = []
    osm: Annotated[str, Field(pattern=r"^[a-z_:]+=[a-z_;:0-9]+$")]

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]


@dataclass
class CategoryCatalog:
    """All categories, by id, with synonym resolution ("baguette" → boulangerie)."""

    categories: dict[str, Category]
    lexicon: dict[str, tuple[str, ...]] = field(default_factory=dict)  # content/lexique.yaml (ccdir.content.lexicon)
    lexicon_en: dict[str, tuple[str, ...]] = field(default_factory=dict)  # content/lexique.en.yaml: English words

    def __contains__(self, cid: object) -> bool:
        return cid in self.categories

    def __getitem__(self, cid: str) -> Category:
        return self.categories[cid]

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories.values())

    def __len__(self) -> int:
        return len(self.categories)

    def by_word(self) -> dict[str, list[str]]:
        """Folded word (id, label or synonym) → category ids it names."""
        words: dict[str, list[str]] = {}
        for cat in self:
            for word in (cat.id.replace("-", " "), cat.label, *cat.synonyms):
                ids = words.setdefault(fold(word), [])
                if cat.id not in ids:
                    ids.append(cat.id)
        return words

    def unknown_message(self, cid: str) -> str:
        """French message for an unknown category id, suggesting the closest id or the synonym's category."""
        words = self.by_word()
        folded = fold(cid)
        if folded in words and cid not in self:
            ids = words[folded]
            return f"catégorie inconnue « {cid} » : écrivez l'identifiant « {ids[0]} »" + (
                f" (ou {', '.join('« ' + i + ' »' for i in ids[1:])})" if len(ids) > 1 else ""
            )
        close = difflib.get_close_matches(cid, list(self.categories), n=1, cutoff=0.6)
        hint = f" — vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"catégorie inconnue « {cid} »{hint} (la liste est dans content/categories.yaml)"


class CatalogError(Exception):
    def __init__(self, message: str, line: int = 0, col: int = 0):
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


def load_catalog(path: Path) -> CategoryCatalog:
    """Load and check `categories.yaml`; raises CatalogError (French, with position) when it is wrong."""
    from ccdir.content import reader  # local import: reader pulls in yaml

    try:
        doc = reader.read_file(path)
    except reader.ReadError as exc:
        raise CatalogError(exc.message, exc.line, exc.col) from None
    if not isinstance(doc.data, list):
        raise CatalogError("le fichier des catégories doit être une liste d'éléments « - id: … »", 1, 1)
    categories: dict[str, Category] = {}
    for i, item in enumerate(doc.data):
        line, col = doc.position((i,))
        try:
            cat = Category.model_validate(item)
        except ValidationError as exc:
            from ccdir.content.messages import french_message

            loc, message, at_key = french_message(exc.errors(include_url=False)[0], Category)
            line, col = doc.position((i, *loc), key=at_key)
            raise CatalogError(f"catégorie n° {i + 1} : {message}", line, col) from None
        if cat.id in categories:
            raise CatalogError(f"catégorie « {cat.id} » définie deux fois", line, col)
        categories[cat.id] = cat
    return CategoryCatalog(categories)
