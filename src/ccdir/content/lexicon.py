"""The everyday vocabulary (`content/lexique.yaml`): words residents type → the categories that sell it.

Category synonyms (`categories.yaml`) say what a category *is* (« baguette » → boulangerie); the lexicon
says where a resident finds a *thing* (« tarte » → pâtisserie, boulangerie; « croquettes » → animalerie,
jardinerie). The search treats both the same way: the word boosts those categories and never hides the
shops whose name, products or description hold it. A lexicon word must not repeat a category's id,
label or synonym (it would silently override or duplicate it): the loader refuses it with its line.
"""

from __future__ import annotations

from pathlib import Path

from ccdir.content.categories import CatalogError, CategoryCatalog
from ccdir.core.textnorm import fold


def load_lexicon(path: Path, catalog: CategoryCatalog, english: bool = False) -> dict[str, tuple[str, ...]]:
    """Word → category ids, checked against `catalog`; {} when the file does not exist.

    Raises CatalogError (French, with line and column) for an unknown category, a word given twice or a
    word that already names a category. `english`: the English words (`lexique.en.yaml`), which must not
    repeat a category's English label nor a word of the French lexicon either."""
    from ccdir.content import reader  # local import: reader pulls in yaml

    if not path.exists():
        return {}
    try:
        doc = reader.read_file(path)
    except reader.ReadError as exc:
        raise CatalogError(exc.message, exc.line, exc.col) from None
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        raise CatalogError(
            "le lexique doit associer chaque mot à une liste de catégories : « tarte: [patisserie] »", 1, 1
        )
    names = catalog.by_word()
    if english:
        for cat in catalog:
            names.setdefault(fold(cat.label_en), []).append(f"{cat.id} (label_en)")
        for known in catalog.lexicon:
            names.setdefault(fold(known), []).append(f"« {known} » de lexique.yaml")
    seen: dict[str, str] = {}
    lexicon: dict[str, tuple[str, ...]] = {}
    for word, cats in doc.data.items():
        line, col = doc.position((word,), key=True)
        if not isinstance(word, str) or not word.strip() or len(word) > 60:
            raise CatalogError(f"mot « {word} » : écrivez un mot ou une expression de 1 à 60 caractères", line, col)
        if isinstance(cats, str):
            cats = [cats]
        if not isinstance(cats, list) or not cats or not all(isinstance(c, str) for c in cats):
            raise CatalogError(
                f"« {word} » : donnez une liste de catégories, par exemple [patisserie, boulangerie]", line, col
            )
        for cid in cats:
            if cid not in catalog:
                raise CatalogError(f"« {word} » : {catalog.unknown_message(cid)}", *doc.position((word,)))
        key = fold(word)
        if key in names:
            where = ", ".join(names[key])
            raise CatalogError(
                f"« {word} » nomme déjà la catégorie {where} dans categories.yaml (identifiant, "
                f"libellé{', label_en' if english else ''} ou synonyme) : retirez-le du lexique ou de categories.yaml",
                line,
                col,
            )
        if key in seen:
            raise CatalogError(f"« {word} » figure deux fois dans le lexique (déjà comme « {seen[key]} »)", line, col)
        seen[key] = word
        lexicon[word] = tuple(dict.fromkeys(cats))
    return lexicon
