"""Canonical YAML: what the bot and the importers write must read back to the same merchant."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, REPO

from ccdir.content import reader
from ccdir.content.model import Merchant
from ccdir.content.writer import dump_merchant

FILES = sorted((CASES / "valid").glob("*.yaml")) + sorted((REPO / "content" / "merchants").rglob("*.yaml"))[:20]


def load(path: Path) -> Merchant:
    return Merchant.model_validate(reader.read_file(path).data)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_round_trip(path: Path):
    merchant = load(path)
    text = dump_merchant(merchant)
    assert Merchant.model_validate(reader.parse(text).data) == merchant
    assert dump_merchant(Merchant.model_validate(reader.parse(text).data)) == text  # stable


def test_canonical_layout():
    text = dump_merchant(load(CASES / "valid" / "full.yaml"))
    assert text.startswith("name: Fleurs de Loire\nkind: commerce\ncategories: [fleuriste, decoration]\n")
    assert '  postcode: "45200"\n' in text
    assert '  phone: "02 61 91 00 12"\n' in text
    assert "products:\n  - name: Bouquet de saison\n    price: 25\n" in text
    assert "    available: false\n" in text
    assert 'siret: "73282932000074"\n' in text
    assert text.endswith("updated: 2020-11-05\n")
