"""The fixed list of queries, as a resident would type them (« Quoi ? », « Où ? »)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    label: str
    kind: str  # "category" (a category and a commune), "text" (free text or a shop name, and a commune),
    # or "name" (a shop name and no place)
    quoi: str
    ou: str
    postcode: str  # to find the commune's position for the comparators' pages
    category: str | None = None  # category id, for the comparators' filters


QUERIES = (
    Query("category + commune, city (fleuriste, Orléans)", "category", "fleuriste", "Orléans", "45000", "fleuriste"),
    Query(
        "category + commune, countryside (boulangerie, Mézières-en-Brenne)",
        "category",
        "boulangerie",
        "Mézières-en-Brenne",
        "36290",
        "boulangerie",
    ),
    Query(
        "category + commune, border (boucherie, Nogent-le-Rotrou)",
        "category",
        "boucherie",
        "Nogent-le-Rotrou",
        "28400",
        "boucherie",
    ),
    Query("free text (panier découverte, Tours)", "text", "panier découverte", "Tours", "37000"),
    Query("product word also a category synonym (vélos, Blois)", "text", "vélos", "Blois", "41000"),
)
NAME_QUERY_COMMUNE = ("Blois", "41000")  # a shop name is picked among the merchants of this commune
