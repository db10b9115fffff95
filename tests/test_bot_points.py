"""The bot and points of sale (issue #18): accepted through the same model, kept when the form edits a
merchant (the form does not show them), and refused with the model's French message when wrong."""

from __future__ import annotations

import pytest
from botkit import SITE, changes, git_bot_client, make_remote, payload, show
from conftest import REPO

from ccdir.content import reader
from ccdir.content.model import Merchant

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

CHEVRERIE = "content/merchants/41-loir-et-cher/chevrerie-des-bords-de-sauldre.yaml"
DRIVE = {"kind": "drive", "address": {"postcode": "18100", "city": "Vierzon"}, "hours": "Fr 17:00-19:00"}


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


@pytest.fixture
def client(remote):
    return git_bot_client(remote)


def saved(remote, branch: str, path: str) -> Merchant:
    return Merchant.model_validate(reader.parse(show(remote, branch, path)).data)


def test_new_entry_with_points_of_sale(client, remote):
    resp = client.post(
        "/submit",
        json=payload(points_of_sale=[{"kind": "market", "market": "vierzon-samedi"}, DRIVE]),
        headers={"Origin": SITE},
    )
    assert resp.status_code == 201, resp.text
    merchant = saved(remote, resp.json()["reference"], resp.json()["path"])
    assert [(p.kind, p.market, p.hours) for p in merchant.points_of_sale] == [
        ("market", "vierzon-samedi", None),
        ("drive", None, "Fr 17:00-19:00"),
    ]


def test_bad_point_of_sale_gets_the_model_message(client, remote):
    resp = client.post("/submit", json=payload(points_of_sale=[{"kind": "farm"}]), headers={"Origin": SITE})
    assert resp.status_code == 422
    assert "indiquez où se trouve ce point de vente" in resp.text


def test_editing_with_the_form_keeps_the_points_of_sale(client, remote):
    data = Merchant.model_validate(reader.read_file(REPO / CHEVRERIE).data).model_dump(mode="json", exclude_none=True)
    points = data.pop("points_of_sale")  # what the form sends: it has no points-of-sale step
    data["description"] = "Nouvelle présentation."
    resp = client.post(
        "/submit", json={"action": "edit", "slug": "chevrerie-des-bords-de-sauldre", "consent": True, "merchant": data}
    )
    assert resp.status_code == 201, resp.text
    assert changes(remote, resp.json()["reference"]) == [("M", CHEVRERIE)]
    merchant = saved(remote, resp.json()["reference"], CHEVRERIE)
    assert merchant.description == "Nouvelle présentation."
    assert [p.model_dump(mode="json", exclude_none=True) for p in merchant.points_of_sale] == points
