"""Build stage: the town-hall widget (`site/widget/`), an embeddable page listing a commune's shops.

`/widget/?commune=INSEE[,INSEE…]&categorie=ID[,ID…]` is one static page: its script reads the query and the
prebuilt per-commune files `widget/communes/<INSEE>.json` (several codes: an intercommunality). Nothing
is requested from another site. `/widget/integrer/` lets town-hall staff pick a commune and a category
and copy the `<iframe>` snippet. The widget is the only part of the site meant to be framed by other
sites: see `ccdir.site.security.widget_headers` and docs/personnel/widget.md.
"""

from __future__ import annotations

import functools

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.site import sitepages
from ccdir.site.render import Listing, describe_hours, dumps

FOLDER = "widget"


def order_links(item: Listing) -> list[list[str | None]]:
    """[label, link] for each way to order, as the merchant page shows them (link None: on site)."""
    m = item.merchant
    cc = m.click_and_collect
    links: list[list[str | None]] = []
    for method in cc.order:
        if method == "phone" and item.phone_link:
            links.append([f"Appeler le {m.contact.phone}", item.phone_link])
        elif method == "sms" and item.sms_link:
            links.append(["Envoyer un SMS", item.sms_link])
        elif method == "email" and item.mail_link:
            links.append(["Commander par e-mail", item.mail_link])
        elif method in ("website", "marketplace") and cc.order_url:
            links.append(["Boutique en ligne" if method == "website" else "Commander en ligne", cc.order_url])
        elif method == "on_site":
            links.append(["Commande sur place", None])
    return links


def record(item: Listing, base: str) -> dict[str, Any]:
    """What the widget shows of a merchant."""
    hours = describe_hours(item.merchant.click_and_collect.pickup_hours)
    return {
        "name": item.merchant.name, "url": base + item.url, "categories": [c.id for c in item.categories],
        "labels": [c.label for c in item.categories], "order": order_links(item),
        "pickup": " ; ".join(f"{days} {spans}" for days, spans in hours if spans != "fermé"),
        "delivery": item.merchant.click_and_collect.delivery,
    }


class WidgetStage:
    """Build stage (`ccdir.build.stages.STAGES`): `widget/` (page, per-commune files) and `widget/integrer/`."""

    name = "widget"
    pages = ("widget/", "widget/integrer/")
    merchant_files: Mapping[str, MerchantFile] = {}
    memo = True  # each merchant's record, reused for unchanged merchants by incremental builds

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        return write_widget(context.project, folder, list(context.listings), context.catalog, memo)


def write_widget(project: Project, staging: Path, listings: list[Listing], catalog: CategoryCatalog,
                 memo: StageMemo | None = None) -> int:
    base = project.settings.base_path
    by_commune: dict[str, list[Listing]] = defaultdict(list)
    places: dict[str, Any] = {}
    for item in listings:
        if item.commune is not None:
            by_commune[item.commune.insee].append(item)
            places[item.commune.insee] = item.place
    folder = staging / FOLDER / "communes"
    folder.mkdir(parents=True, exist_ok=True)
    for insee, items in sorted(by_commune.items()):
        place = places[insee]
        items.sort(key=lambda it: (it.name_key, it.slug))
        records = [memo.get(it.slug, functools.partial(_record_json, it, base)) if memo else _record_json(it, base)
                   for it in items]  # as JSON text: what the memo keeps should be plain values
        text = f'{{"dept":{dumps(place.dept)},"merchants":[{",".join(records)}],"name":{dumps(place.name)}}}'
        (folder / f"{insee}.json").write_text(text, encoding="utf-8")
    renderer = sitepages.renderer(project, catalog)
    communes = sorted(places.items(), key=lambda kv: (kv[1].dept, kv[1].name))
    used = [cat for cat in catalog if any(cat.id in item.merchant.categories for item in listings)]
    pages = {
        f"{FOLDER}/": renderer.page("widget.html"),
        f"{FOLDER}/integrer/": renderer.page("widget_integrer.html", communes=communes, categories=used),
    }
    return len(by_commune) + sitepages.publish(project, catalog, staging, pages)


def _record_json(item: Listing, base: str) -> str:
    """A merchant of a commune's widget file, as JSON text (what the memo keeps should be plain values)."""
    return dumps(record(item, base))
