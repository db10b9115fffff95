"""`GET /siret/<n>`: the bot fills name, address and NAF code from « Recherche d'entreprises » — here a
stub on 127.0.0.1 — caches the answer, and says plainly when the API is out of reach."""

from __future__ import annotations

import socket

import pytest
from botkit import SITE, git_bot_client, live_server, make_remote
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ccdir.intake.bot.siret import SiretLookup

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

SIRET = "73282932000074"
ANSWER = {
    "results": [
        {
            "siren": "732829320",
            "nom_complet": "FLEURS DE LOIRE (SARL)",
            "activite_principale": "47.76Z",
            "etat_administratif": "A",
            "siege": {"siret": "73282932000017", "adresse": "1 PLACE DU MARTROI 45000 ORLEANS"},
            "matching_etablissements": [
                {
                    "siret": SIRET,
                    "adresse": "12 RUE DOREE 45200 MONTARGIS",
                    "numero_voie": "12",
                    "type_voie": "RUE",
                    "libelle_voie": "DOREE",
                    "code_postal": "45200",
                    "libelle_commune": "MONTARGIS",
                    "activite_principale": "47.76Z",
                    "etat_administratif": "A",
                    "liste_enseignes": ["FLEURS DE LOIRE"],
                }
            ],
        }
    ],
    "total_results": 1,
}


@pytest.fixture
def api():
    calls = []

    async def search(request: Request):
        calls.append(dict(request.query_params))
        if request.query_params["q"] == SIRET:
            return JSONResponse(ANSWER)
        return JSONResponse({"results": [], "total_results": 0})

    with live_server(Starlette(routes=[Route("/search", search)])) as url:
        yield url, calls


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


def test_a_known_siret_fills_name_address_and_naf_once(api, remote):
    url, calls = api
    client = git_bot_client(remote, siret_lookup=SiretLookup(url))
    first = client.get(f"/siret/{SIRET}", headers={"Origin": SITE})
    assert first.status_code == 200, first.text
    assert first.json() == {
        "status": "found",
        "siret": SIRET,
        "name": "FLEURS DE LOIRE",
        "legal_name": "FLEURS DE LOIRE (SARL)",
        "naf": "47.76Z",
        "active": True,
        "address": {"street": "12 Rue Doree", "postcode": "45200", "city": "Montargis"},
    }
    assert first.headers["access-control-allow-origin"] == SITE
    again = client.get("/siret/732 829 320 00074")
    assert again.json() == first.json()
    assert calls == [{"q": SIRET, "page": "1", "per_page": "1"}]  # cached: the API is asked once


def test_unknown_and_invalid_numbers(api, remote):
    url, calls = api
    client = git_bot_client(remote, siret_lookup=SiretLookup(url))
    unknown = client.get("/siret/44306184100047")
    assert unknown.status_code == 404 and "vérifiez le numéro" in unknown.json()["message"]
    invalid = client.get("/siret/73282932000075")
    assert invalid.status_code == 400 and "clé de contrôle" in invalid.json()["message"]
    assert len(calls) == 1  # an invalid number never reaches the API


def test_offline_the_form_only_validates(remote):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = git_bot_client(remote, siret_lookup=SiretLookup(f"http://127.0.0.1:{port}", timeout=1))
    down = client.get(f"/siret/{SIRET}")
    assert down.status_code == 503 and "ne répond pas" in down.json()["message"]
    disabled = git_bot_client(remote).get(f"/siret/{SIRET}")
    assert disabled.status_code == 503 and disabled.json()["status"] == "unavailable"
    assert client.get("/metrics").json()["outcomes"] == {"siret.unavailable": 1}
