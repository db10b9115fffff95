"""The reservation basket of a merchant page: what `templates/_basket.html` and `assets/extras/basket.js` need.

Residents pick products, a pickup moment and give a name and a phone; the page writes the order as an
e-mail or SMS to the merchant (`mailto:` / `sms:`), whichever it accepts. Nothing goes to a server.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote

from ccdir.content.phones import phone_e164


@functools.lru_cache(maxsize=4096)
def weekly_masks(text: str | None) -> tuple[tuple[int, ...], ...]:
    """Weekly hours as `[[days mask, start, end, start, end…]…]` (Monday = bit 0, minutes since midnight), the
    form the search page's `isOpen` (assets/search/engine.js) reads. Public holidays are not taken into account."""
    if not text:
        return ()
    from ccdir.content.hours import parse

    by_day: dict[int, list[int]] = {}
    for day, start, end in parse(text).weekly():
        by_day.setdefault(day, []).extend((start, end))
    masks: dict[tuple[int, ...], int] = {}
    for day, spans in by_day.items():
        masks[tuple(spans)] = masks.get(tuple(spans), 0) | (1 << day)
    return tuple(sorted((mask, *spans) for spans, mask in masks.items()))


def basket_for(item: Any) -> dict[str, Any] | None:
    """The basket of `item`'s page (a `site.render.Listing`), or None when there is nothing to order by
    message: no available product, or the merchant takes orders neither by e-mail nor by SMS."""
    m = item.merchant
    cc = m.click_and_collect
    products = [(i, p) for i, p in enumerate(m.products) if p.available]
    channels = []
    if "email" in cc.order and m.contact.email:
        subject = quote(f"Commande click & collect — {m.name}")
        channels.append(("email", f"mailto:{m.contact.email}?subject={subject}", "Envoyer ma commande par e-mail"))
    if "sms" in cc.order and m.contact.phone:
        channels.append(("sms", f"sms:{phone_e164(m.contact.phone)}", "Envoyer ma commande par SMS"))
    if not products or not channels:
        return None
    return {"products": products, "channels": channels,
            "hours": [list(mask) for mask in weekly_masks(cc.pickup_hours or m.opening_hours)]}
