"""The reservation basket of a merchant page: what `templates/_basket.html` and `assets/extras/basket.js` need.

Residents pick products, a pickup moment and give a name and a phone; the page writes the order as an
e-mail or SMS to the merchant (`mailto:` / `sms:`), whichever it accepts. Nothing goes to a server.

The pickup moments follow the hours as the engine reads them (`content.hours.browser`, evaluated by
`assets/search/hours.js`). When the hours name public holidays (« PH off »), the page carries France's
public holidays over `holidays.INDEX_YEARS`, computed here with the `holidays` package as the search's
holidays.json: a fixed span, not « the coming weeks », so that two builds stay identical whatever the
build date; without a PH rule a public holiday keeps the weekday's hours, and the page carries none.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ccdir.content.hours.browser import browser_hours, names_holidays
from ccdir.content.hours.holidays import holiday_dates
from ccdir.content.phones import phone_e164


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
    hours = cc.pickup_hours or m.opening_hours
    return {"products": products, "channels": channels, "hours": browser_hours(hours),
            "holidays": holiday_dates() if names_holidays(hours) else None}
