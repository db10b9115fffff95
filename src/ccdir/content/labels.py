"""French words for the content model's codes: one table, used by pages, statistics, the search manifest
(the browser reads them from there) and the registration form. Change a word here and every page,
script and export follows."""

from __future__ import annotations

from ccdir.content.model import KINDS, ORDER_METHODS, POINT_KINDS

KIND_LABELS = {
    "commerce": "Commerce",
    "artisan": "Artisan",
    "producteur": "Producteur",
    "restaurant": "Restaurant",
    "bar": "Bar",
}
KIND_PLURALS = {
    "commerce": "Commerces",
    "artisan": "Artisans",
    "producteur": "Producteurs",
    "restaurant": "Restaurants",
    "bar": "Bars",
}

# How a resident can order: the form and merchant pages (« Par téléphone »), statistics (« Téléphone »).
ORDER_LABELS = {
    "phone": "Par téléphone",
    "email": "Par e-mail",
    "website": "Sur le site",
    "sms": "Par SMS",
    "on_site": "Sur place",
    "marketplace": "Sur une place de marché",
}
ORDER_SHORT = {
    "phone": "Téléphone",
    "email": "E-mail",
    "website": "Site web",
    "sms": "SMS",
    "on_site": "Sur place",
    "marketplace": "Place de marché",
}
# The button of each way to order, on merchant pages and in search results (« Appeler le 02 … »).
ORDER_ACTIONS = {
    "phone": "Appeler le",
    "sms": "Envoyer un SMS",
    "email": "Commander par e-mail",
    "website": "Boutique en ligne",
    "marketplace": "Commander en ligne",
    "on_site": "Commande sur place",
}

# Kinds of points of sale (« points de vente »): merchant pages, search results, open data.
POINT_KIND_LABELS = {
    "shop": "Boutique",
    "farm": "À la ferme",
    "market": "Marché",
    "drive": "Drive fermier",
    "amap": "AMAP, retrait de paniers",
    "locker": "Casier, distributeur",
    "partner": "Commerce partenaire",
}

assert tuple(POINT_KIND_LABELS) == POINT_KINDS, "every kind of point of sale needs its label"
for _table in (KIND_LABELS, KIND_PLURALS):
    assert tuple(_table) == KINDS, "every kind of the model needs its label"
for _table in (ORDER_LABELS, ORDER_SHORT, ORDER_ACTIONS):
    assert set(_table) == set(ORDER_METHODS), "every way to order of the model needs its label"
