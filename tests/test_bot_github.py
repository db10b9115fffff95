"""The bot's GitHub backend against a local stub of GitHub's REST API (exact calls, payloads, failures)."""

from __future__ import annotations

import pytest
from botkit import SITE, asgi_client, live_server, payload
from conftest import REPO
from github_stub import PREFIX, GitHubStub, repo_files

from ccdir.content import reader
from ccdir.content.model import Merchant
from ccdir.intake.bot.app import create_app
from ccdir.intake.bot.github import GitHubAuth, GitHubBackend
from ccdir.intake.bot.settings import BotConfig

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

NEW = "content/merchants/45-loiret/fleurs-du-mail.yaml"


@pytest.fixture
def stub():
    return GitHubStub(repo_files(REPO))


def bot(url: str, auth: GitHubAuth | None = None, timeout: float = 5.0):
    backend = GitHubBackend("region/annuaire", auth or GitHubAuth("tok"), api=url, timeout=timeout)
    config = BotConfig(backend=backend, root=REPO, origins=[SITE], site_url=SITE + "/", rate=0)
    return asgi_client(create_app(config))


def test_new_entry_exact_calls_and_payloads(stub):
    with live_server(stub.app()) as url:
        resp = bot(url).post("/submit", json=payload())
    assert resp.status_code == 201, resp.text
    assert resp.json()["url"] == "https://github.com/region/annuaire/pull/1" and resp.json()["number"] == 1
    blobs = [k for k in stub.keys() if k.startswith("GET /git/blobs/")]
    assert len(blobs) == len([p for p in stub.files if p.startswith("content/merchants/")])  # read once, then cached
    assert [k for k in stub.keys() if k not in blobs] == [
        "GET /git/ref/heads/main",
        f"GET /git/trees/{stub.head}",
        "GET /pulls",  # the open requests
        "GET /git/ref/heads/inscription/fleurs-du-mail",
        "POST /git/trees",
        "POST /git/commits",
        "POST /git/refs",
        "POST /pulls",
        "POST /issues/1/labels",
        "GET /pulls",  # no other request for this business opened meanwhile
    ]
    assert all(c.auth == "Bearer tok" for c in stub.calls)
    by_key = {c.key: c for c in stub.calls}
    tree = by_key["POST /git/trees"].body
    assert tree["base_tree"] == stub.commits[stub.head]["tree"]
    (entry,) = tree["tree"]
    assert entry["path"] == NEW and entry["mode"] == "100644" and entry["type"] == "blob"
    assert Merchant.model_validate(reader.parse(entry["content"]).data).name == "Fleurs du Mail"
    commit = by_key["POST /git/commits"].body
    assert commit["parents"] == [stub.head]
    assert commit["message"].startswith("Inscription : Fleurs du Mail (Orléans)\n")
    assert commit["message"].rstrip().endswith("Ccdir-Postcode: 45000\nCcdir-Street: 3 rue Royale")
    assert (
        "\nCcdir-Business: fleurs du mail|45000\nCcdir-Action: create\nCcdir-Slug: fleurs-du-mail\n"
        in commit["message"]
    )
    assert by_key["POST /git/refs"].body["ref"] == "refs/heads/inscription/fleurs-du-mail"
    pr = by_key["POST /pulls"].body
    assert pr["head"] == "inscription/fleurs-du-mail" and pr["base"] == "main"
    assert pr["title"] == "Inscription : Fleurs du Mail (Orléans)"
    assert "**Fleurs du Mail** — Fleuriste (commerce)" in pr["body"] and "3 rue Royale, 45000 Orléans" in pr["body"]
    assert by_key["POST /issues/1/labels"].body == {"labels": ["à relire", "inscription"]}
    added = set(stub.branch_files("inscription/fleurs-du-mail")) - set(stub.files)
    assert added == {NEW}


def test_second_submission_finds_the_open_pull_request(stub):
    with live_server(stub.app()) as url:
        client = bot(url)
        client.post("/submit", json=payload())
        stub.calls.clear()
        again = client.post("/submit", json=payload())
    assert again.status_code == 200 and again.json()["status"] == "pending"
    assert again.json()["url"] == "https://github.com/region/annuaire/pull/1"
    assert [k for k in stub.keys() if k.startswith("POST")] == []
    assert not [k for k in stub.keys() if k.startswith("GET /git/blobs/")]  # published files: parsed once
    find = [c for c in stub.calls if c.key == "GET /pulls"][0]
    assert find.query == {"state": "open", "per_page": "100", "page": "1"}
    assert len(stub.pulls) == 1


def test_edit_and_removal_touch_exactly_one_file(stub):
    path = "content/merchants/45-loiret/atelier-des-pivoines.yaml"
    data = Merchant.model_validate(reader.parse(stub.files[path]).data).model_dump(mode="json", exclude_none=True)
    data["contact"]["phone"] = "02 38 99 88 77"
    with live_server(stub.app()) as url:
        client = bot(url)
        edit = client.post(
            "/submit", json={"action": "edit", "slug": "atelier-des-pivoines", "consent": True, "merchant": data}
        )
        removal = client.post(
            "/submit", json={"action": "remove", "slug": "atelier-des-pivoines", "reason": "Fermeture"}
        )
    assert edit.status_code == 201 and removal.status_code == 201
    edited = stub.branch_files("modification/atelier-des-pivoines")
    assert {p for p in edited if edited[p] != stub.files.get(p)} == {path}
    assert "02 38 99 88 77" in edited[path]
    assert set(stub.files) - set(stub.branch_files("retrait/atelier-des-pivoines")) == {path}
    assert "**Motif :** Fermeture" in stub.pulls[1]["body"]
    assert stub.pulls[1]["labels"] == ["à relire", "retrait"]


def test_bad_credentials_give_a_clear_error_and_no_secret(stub):
    with live_server(stub.app()) as url:
        resp = bot(url, GitHubAuth("wrong-s3cret")).post("/submit", json=payload())
    assert resp.status_code == 502
    assert "mal configuré" in resp.json()["message"] and "Rien n'a été envoyé" in resp.json()["message"]
    assert "s3cret" not in resp.text
    assert not stub.pulls and set(stub.refs) == {"heads/main"}


@pytest.mark.parametrize(
    "failing, status",
    [
        ("POST /git/trees", 500),
        ("POST /git/commits", 502),
        ("POST /git/refs", 503),
        ("POST /pulls", 422),
        ("POST /pulls", 500),
        ("GET /git/trees/*", 500),
    ],
)
def test_failures_leave_nothing_behind(stub, failing, status):
    stub.fail[failing] = status
    with live_server(stub.app()) as url:
        resp = bot(url).post("/submit", json=payload())
    assert resp.status_code in (502, 503), resp.text
    assert resp.json()["message"].startswith("votre demande n'a pas pu être enregistrée")
    assert set(stub.refs) == {"heads/main"}, "a branch was left behind"
    assert not [p for p in stub.pulls if p["state"] == "open"]


def test_label_failure_still_counts_as_sent(stub):
    stub.fail["POST /issues/1/labels"] = 500
    with live_server(stub.app()) as url:
        resp = bot(url).post("/submit", json=payload())
    assert resp.status_code == 201 and len(stub.pulls) == 1


def test_timeout_creating_the_pull_request_cleans_up(stub):
    stub.fail["POST /pulls"] = "timeout"
    with live_server(stub.app()) as url:
        resp = bot(url, timeout=0.3).post("/submit", json=payload())
    assert resp.status_code == 504 and "délai dépassé" in resp.json()["message"]
    assert set(stub.refs) == {"heads/main"} and not stub.pulls


def test_pull_request_opened_despite_a_timeout_is_found_not_lost(stub):
    stub.fail["POST /pulls"] = "slow"  # GitHub did the work but answered too late
    with live_server(stub.app()) as url:
        resp = bot(url, timeout=0.3).post("/submit", json=payload())
    assert resp.status_code == 201, resp.text
    assert resp.json()["number"] == 1 and len(stub.pulls) == 1
    assert "heads/inscription/fleurs-du-mail" in stub.refs


def test_timeout_creating_the_branch_removes_it(stub):
    stub.fail["POST /git/refs"] = "slow"
    with live_server(stub.app()) as url:
        resp = bot(url, timeout=0.3).post("/submit", json=payload())
    assert resp.status_code == 504
    assert set(stub.refs) == {"heads/main"}


def test_github_app_credentials(stub):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    stub.public_key = key.public_key()
    stub.token = "installation-token"
    auth = GitHubAuth(app_id="12345", installation_id="678", private_key=pem)
    assert "BEGIN" not in repr(auth)
    with live_server(stub.app()) as url:
        client = bot(url, auth)
        assert client.post("/submit", json=payload()).status_code == 201
        assert client.post("/submit", json=payload(name="Autre Boutique")).status_code == 201
    assert stub.keys().count("POST /app/installations/678/access_tokens") == 1  # reused until it expires
    assert all(c.auth == "Bearer installation-token" for c in stub.calls if c.path.startswith(PREFIX))


def test_base_url_and_token_come_from_the_environment(stub, monkeypatch):
    with live_server(stub.app()) as url:
        env = {
            "CCDIR_BOT_BACKEND": "github",
            "CCDIR_GITHUB_REPO": "region/annuaire",
            "CCDIR_GITHUB_TOKEN": "tok",
            "CCDIR_GITHUB_API": url,
            "CCDIR_BOT_ROOT": str(REPO),
            "CCDIR_BOT_RATE": "0",
        }
        config = BotConfig.from_env(env)
        assert config.origins == ["http://127.0.0.1:8000"]
        resp = asgi_client(create_app(config)).post("/submit", json=payload())
    assert resp.status_code == 201 and stub.calls[0].path == f"{PREFIX}/git/ref/heads/main"


def test_a_published_business_sent_as_new_is_a_conflit_pull_request(stub):
    path = "content/merchants/18-cher/bijoux-mirebeau.yaml"
    body = payload(
        name="Bijoux Mirebeau",
        siret="39668282500098",
        kind="artisan",
        categories=["bijouterie"],
        address={"street": "41 rue Mirebeau", "postcode": "18000", "city": "Bourges"},
        contact={"phone": "02 48 00 11 22", "email": "atelier@mirebeau.example.org"},
    )
    with live_server(stub.app()) as url:
        client = bot(url)
        first = client.post("/submit", json=body)
        again = client.post("/submit", json=body)
    assert first.status_code == again.status_code == 409, first.text
    assert first.json()["reference"].startswith("conflit/bijoux-mirebeau-")
    assert again.json()["reference"] == first.json()["reference"] and len(stub.pulls) == 1
    (pr,) = stub.pulls
    assert pr["labels"] == ["à relire", "conflit"]
    assert "Inscription envoyée pour un commerce déjà publié" in pr["body"]
    assert "Contact de la fiche publiée :** 02 61 91 68 08" in pr["body"]
    changed = stub.branch_files(first.json()["reference"])
    assert {p for p in changed if changed[p] != stub.files.get(p)} == {path}
