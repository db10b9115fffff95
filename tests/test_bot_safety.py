"""What the bot refuses: spam, other origins, floods, oversized or malformed bodies, invalid entries."""

from __future__ import annotations

import json

import pytest
from botkit import SITE, branches, git_bot_client, make_remote, payload
from conftest import REPO

from ccdir.intake.bot.safety import RateLimiter
from ccdir.intake.bot.settings import BotConfig, ConfigError

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


def test_honeypot_filled_is_refused_and_nothing_written(remote):
    resp = git_bot_client(remote).post("/submit", json={**payload(), "adresse_web": "http://spam.example"})
    assert resp.status_code == 400 and "doit rester vide" in resp.json()["message"]
    assert set(branches(remote)) == {"main"}


def test_other_origin_is_refused(remote):
    resp = git_bot_client(remote).post("/submit", json=payload(), headers={"Origin": "https://evil.example"})
    assert resp.status_code == 403
    assert set(branches(remote)) == {"main"}


def test_cors_allows_only_the_site(remote):
    client = git_bot_client(remote)
    ok = client.options(
        "/submit",
        headers={
            "Origin": SITE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SITE
    bad = client.options("/submit", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in bad.headers
    assert (
        client.post("/check", json=payload(), headers={"Origin": SITE}).headers["access-control-allow-origin"] == SITE
    )


def test_rate_limit_per_address(remote):
    client = git_bot_client(remote, rate=2, window=3600)
    for name in ("Un", "Deux"):
        assert client.post("/submit", json=payload(name=f"Boutique {name}")).status_code == 201
    third = client.post("/submit", json=payload(name="Boutique Trois"))
    assert third.status_code == 429 and "réessayez dans" in third.json()["message"]
    assert int(third.headers["retry-after"]) > 0
    assert len(branches(remote)) == 3


def test_rate_limiter_window_slides():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])
    assert limiter.allow("a")[0] and limiter.allow("a")[0]
    assert limiter.allow("a") == (False, 61)
    assert limiter.allow("b")[0]
    now[0] = 61
    assert limiter.allow("a")[0]


@pytest.mark.parametrize("declared", [True, False])
def test_oversized_body_is_refused(remote, declared):
    big = payload(description="x" * 200_000)
    body = json.dumps(big).encode()

    def chunks():
        for i in range(0, len(body), 8192):
            yield body[i : i + 8192]

    content = body if declared else chunks()  # without Content-Length: refused while reading
    resp = git_bot_client(remote).post("/submit", content=content, headers={"Content-Type": "application/json"})
    assert resp.status_code == 413 and "trop volumineuse" in resp.json()["message"]
    assert set(branches(remote)) == {"main"}


@pytest.mark.parametrize(
    "body, ctype, expected",
    [
        (b"{not json", "application/json", "JSON valide"),
        (b"[1, 2]", "application/json", "objet JSON"),
        (b'{"merchant": "x"}', "application/json", "« merchant » doit être un objet"),
        (b'{"action": "drop"}', "application/json", "action « drop » inconnue"),
        (b'{"hack": 1}', "application/json", "champ inconnu « hack »"),
        (b"name=x", "text/plain", "format de demande non pris en charge"),
        (b"\xff\xfe", "application/json", "UTF-8"),
        (b"a..b=1", "application/x-www-form-urlencoded", "nom de champ"),
        (b"address=x&address.city=y", "application/x-www-form-urlencoded", "en conflit"),
    ],
)
def test_malformed_requests_get_400_in_french(remote, body, ctype, expected):
    resp = git_bot_client(remote).post("/submit", content=body, headers={"Content-Type": ctype})
    assert resp.status_code == 400
    assert expected in resp.json()["message"]


@pytest.mark.parametrize(
    "over, field, expected",
    [
        ({"name": ""}, "name", "champ obligatoire"),
        ({"kind": "magasin"}, "kind", "valeurs possibles"),
        ({"categories": ["pain"]}, "categories", "« boulangerie »"),
        ({"categories": []}, "categories", "au moins 1"),
        ({"address": {"postcode": "4500", "city": "Orléans"}}, "address.postcode", "5 chiffres"),
        ({"address": {"postcode": "45000", "city": "Tours"}}, "address.postcode", "ne correspond pas"),
        ({"contact": {"phone": "12"}}, "contact.phone", "numéro de téléphone « 12 » invalide"),
        ({"contact": {}}, "contact", "au moins un moyen de contact"),
        (
            {"click_and_collect": {"order": ["website"]}},
            "click_and_collect.order",
            "« Adresse de la boutique en ligne » est obligatoire",
        ),
        ({"opening_hours": "lundi 9h"}, "opening_hours", ""),
        ({"siret": "12345678901234"}, "siret", "clé de contrôle"),
        ({"products": [{"name": "Pain", "price": -1}]}, "products.0.price", "au moins 0"),
        ({"description": "a\u202eb"}, "description", "sens d'écriture"),
    ],
)
def test_invalid_entries_get_422_with_french_field_errors(remote, over, field, expected):
    resp = git_bot_client(remote).post("/submit", json=payload(**over))
    assert resp.status_code == 422, resp.text
    errors = resp.json()["errors"]
    assert field in errors, errors
    assert expected in errors[field][0]
    assert set(branches(remote)) == {"main"}


def test_consent_is_required(remote):
    body = payload()
    body["consent"] = False
    resp = git_bot_client(remote).post("/submit", json=body)
    assert resp.status_code == 422 and "consent" in resp.json()["errors"]


def test_configuration_errors_are_french_and_name_the_variable():
    with pytest.raises(ConfigError, match="CCDIR_BOT_BACKEND manquant"):
        BotConfig.from_env({"CCDIR_BOT_ROOT": str(REPO)})
    with pytest.raises(ConfigError, match="CCDIR_GIT_REMOTE manquant"):
        BotConfig.from_env({"CCDIR_BOT_ROOT": str(REPO), "CCDIR_BOT_BACKEND": "git"})
    with pytest.raises(ConfigError, match="CCDIR_GITHUB_TOKEN manquant"):
        BotConfig.from_env({"CCDIR_BOT_ROOT": str(REPO), "CCDIR_BOT_BACKEND": "github", "CCDIR_GITHUB_REPO": "a/b"})
    with pytest.raises(ConfigError, match="CCDIR_BOT_RATE"):
        BotConfig.from_env(
            {
                "CCDIR_BOT_ROOT": str(REPO),
                "CCDIR_BOT_BACKEND": "git",
                "CCDIR_GIT_REMOTE": "x",
                "CCDIR_BOT_RATE": "beaucoup",
            }
        )
