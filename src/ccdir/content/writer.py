"""Write a merchant back as YAML in the project's canonical formatting (bot, importers, `ccdir fmt`).

Keys in the order of the contract, unset optional fields left out, short lists inline
(`categories: [fleuriste]`), text as plain scalars where YAML allows, UTF-8 kept readable.
"""

from __future__ import annotations

from typing import Any

import yaml

from ccdir.content.model import Merchant


class _Flow(list):
    """A list written inline: `[a, b]`."""


class _Quoted(str):
    """Text written in double quotes: values that look like numbers or hold `:` (postcodes, phones, hours)."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # Indent list items under their key (`products:\n  - name: …`), as people write them.
        return super().increase_indent(flow, False)


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_Quoted, _quoted)
_Dumper.add_representer(str, _text)


def merchant_data(merchant: Merchant) -> dict[str, Any]:
    """Plain data in contract order, without defaults that say nothing (delivery: false, available: true)."""
    data = merchant.model_dump(mode="json", exclude_none=True)
    data["categories"] = _Flow(data["categories"])
    data["address"]["postcode"] = _Quoted(data["address"]["postcode"])
    if "phone" in data["contact"]:
        data["contact"]["phone"] = _Quoted(data["contact"]["phone"])
    for key in ("siret", "opening_hours"):
        if key in data:
            data[key] = _Quoted(data[key])
    cc = data["click_and_collect"]
    if "pickup_hours" in cc:
        cc["pickup_hours"] = _Quoted(cc["pickup_hours"])
    cc["order"] = _Flow(cc["order"])
    if cc.get("delivery") is False:
        del cc["delivery"]
    products = data.get("products") or []
    for product in products:
        price = product.get("price")
        if isinstance(price, float) and price.is_integer():
            product["price"] = int(price)
        if product.get("available") is True:
            del product["available"]
    if not products:
        data.pop("products", None)
    _points_of_sale(data)
    if not data.get("platforms"):
        data.pop("platforms", None)  # like products: an empty list is not written
    if "updated" in data:
        data["updated"] = merchant.updated  # a YAML date, not a quoted string
    return data


def _points_of_sale(data: dict[str, Any]) -> None:
    """Points of sale written like the main address (quoted postcode and hours); none: no key."""
    points = data.get("points_of_sale") or []
    for point in points:
        if "address" in point:
            point["address"]["postcode"] = _Quoted(point["address"]["postcode"])
        if "hours" in point:
            point["hours"] = _Quoted(point["hours"])
    if not points:
        data.pop("points_of_sale", None)


def dump_merchant(merchant: Merchant) -> str:
    """Canonical YAML text of `merchant`; reading it back gives an equal merchant."""
    return yaml.dump(
        merchant_data(merchant),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
