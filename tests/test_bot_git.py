"""The bot with the git backend, against a real bare repository in tmp_path."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from botkit import SITE, branches, changes, git, git_bot_client, make_remote, payload, show
from conftest import REPO

from ccdir.content import reader
from ccdir.content.model import Merchant
from ccdir.intake.bot.gitremote import GitBackend

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

PIVOINES = "content/merchants/45-loiret/atelier-des-pivoines.yaml"


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


@pytest.fixture
def client(remote):
    return git_bot_client(remote)


def test_new_entry_becomes_one_new_file_on_its_own_branch(client, remote):
    resp = client.post("/submit", json=payload(), headers={"Origin": SITE})
    assert resp.status_code == 201, resp.text
    answer = resp.json()
    assert answer["status"] == "created" and answer["reference"] == "inscription/fleurs-du-mail"
    assert "relue" in answer["message"]
    path = "content/merchants/45-loiret/fleurs-du-mail.yaml"
    assert answer["path"] == path
    assert set(branches(remote)) == {"main", "inscription/fleurs-du-mail"}
    assert changes(remote, "inscription/fleurs-du-mail") == [("A", path)]
    saved = Merchant.model_validate(reader.parse(show(remote, "inscription/fleurs-du-mail", path)).data)
    assert saved.name == "Fleurs du Mail" and saved.address.city == "Orléans" and saved.updated is not None
    assert saved.products[0].price == 20
    log = git("log", "-1", "--format=%B", "inscription/fleurs-du-mail", cwd=remote)
    assert log.startswith("Inscription : Fleurs du Mail (Orléans)") and "Ccdir-Business: fleurs du mail|45000" in log


def test_second_submission_for_same_business_points_to_the_open_request(client, remote):
    first = client.post("/submit", json=payload()).json()
    same = client.post("/submit", json=payload())
    assert same.status_code == 200 and same.json()["status"] == "pending"
    assert same.json()["reference"] == first["reference"] and "déjà en cours" in same.json()["message"]
    assert len(branches(remote)) == 2  # the same version again: nothing new
    again = client.post(
        "/submit",
        json=payload(
            description="Autre texte.", address={"street": "5 rue Royale", "postcode": "45000", "city": "Orléans"}
        ),
    )
    assert again.status_code == 200
    answer = again.json()
    assert answer["status"] == "pending" and answer["reference"] == first["reference"]
    assert "déjà en cours" in answer["message"] and "contacte le commerce" in answer["message"]
    # Another version: a « conflit » request for staff, replacing the same file (never a second entry).
    assert answer["conflict"].startswith("conflit/fleurs-du-mail-")
    assert set(branches(remote)) == {"main", first["reference"], answer["conflict"]}
    assert changes(remote, answer["conflict"]) == [("A", first["path"])]
    log = git("log", "-1", "--format=%B", answer["conflict"], cwd=remote)
    assert "Deux demandes pour le même commerce" in log and "Contact : 02 38 11 22 33" in log


def test_same_name_elsewhere_gets_its_own_file(client, remote):
    client.post("/submit", json=payload())
    resp = client.post("/submit", json=payload(address={"postcode": "41000", "city": "Blois"}))
    assert resp.status_code == 201
    assert resp.json()["reference"] == "inscription/fleurs-du-mail-blois"
    assert changes(remote, "inscription/fleurs-du-mail-blois") == [
        ("A", "content/merchants/41-loir-et-cher/fleurs-du-mail-blois.yaml")
    ]


def test_business_already_published_is_sent_to_its_page(client, remote):
    resp = client.post(
        "/submit", json=payload(name="L'Atelier des Pivoines", address={"postcode": "45200", "city": "Montargis"})
    )
    assert resp.status_code == 409
    assert resp.json()["url"] == f"{SITE}/commercants/atelier-des-pivoines/"
    assert "Modifier cette fiche" in resp.json()["message"]
    # Other content and another contact: a « conflit » request for staff on the published file.
    assert resp.json()["reference"].startswith("conflit/atelier-des-pivoines-")
    assert set(branches(remote)) == {"main", resp.json()["reference"]}
    assert changes(remote, resp.json()["reference"]) == [("M", PIVOINES)]


def test_published_name_of_another_business_is_not_overwritten(client, remote):
    resp = client.post(
        "/submit", json=payload(name="L'Atelier des Pivoines", address={"postcode": "37000", "city": "Tours"})
    )
    assert resp.status_code == 201
    assert changes(remote, resp.json()["reference"]) == [
        ("A", "content/merchants/37-indre-et-loire/atelier-des-pivoines-tours.yaml")
    ]


def test_edit_modifies_exactly_that_file(client, remote):
    data = Merchant.model_validate(reader.read_file(REPO / PIVOINES).data).model_dump(mode="json", exclude_none=True)
    data["description"] = "Nouvelle présentation."
    resp = client.post(
        "/submit", json={"action": "edit", "slug": "atelier-des-pivoines", "consent": True, "merchant": data}
    )
    assert resp.status_code == 201, resp.text
    assert resp.json()["reference"] == "modification/atelier-des-pivoines"
    assert changes(remote, "modification/atelier-des-pivoines") == [("M", PIVOINES)]
    text = show(remote, "modification/atelier-des-pivoines", PIVOINES)
    assert "description: Nouvelle présentation." in text


def test_edit_without_change_opens_nothing(client, remote):
    data = reader.read_file(REPO / PIVOINES).data
    data = Merchant.model_validate(data).model_dump(mode="json", exclude_none=True)
    resp = client.post(
        "/submit", json={"action": "edit", "slug": "atelier-des-pivoines", "consent": True, "merchant": data}
    )
    assert resp.json()["status"] == "unchanged"
    assert set(branches(remote)) == {"main"}


def test_removal_deletes_exactly_that_file_and_keeps_the_reason(client, remote):
    resp = client.post(
        "/submit",
        json={"action": "remove", "slug": "atelier-des-pivoines", "reason": "Fermeture définitive en décembre."},
    )
    assert resp.status_code == 201, resp.text
    assert changes(remote, "retrait/atelier-des-pivoines") == [("D", PIVOINES)]
    log = git("log", "-1", "--format=%B", "retrait/atelier-des-pivoines", cwd=remote)
    assert "Fermeture définitive en décembre." in log
    again = client.post("/submit", json={"action": "remove", "slug": "atelier-des-pivoines", "reason": "doublon"})
    assert again.json()["status"] == "pending"


def test_removal_needs_a_reason(client, remote):
    resp = client.post("/submit", json={"action": "remove", "slug": "atelier-des-pivoines"})
    assert resp.status_code == 422
    assert "pourquoi" in resp.json()["errors"]["reason"][0]


def test_unknown_entry_is_404(client, remote):
    resp = client.post("/submit", json=payload(action="edit", slug="n-existe-pas"))
    assert resp.status_code == 404 and "n'existe pas" in resp.json()["message"]


@pytest.mark.parametrize(
    "slug",
    ["../../etc/passwd", "..", "a/b", "atelier-des-pivoines/../../x", "A B", "atelier-des-pivoines.yaml", "x" * 200],
)
def test_path_traversal_in_slug_is_refused(client, remote, slug):
    for action in ("edit", "remove"):
        body = {**payload(action=action, slug=slug), "reason": "fermeture"}
        resp = client.post("/submit", json=body)
        assert resp.status_code == 422, (slug, resp.text)
        assert "slug" in resp.json()["errors"]
    assert set(branches(remote)) == {"main"}


def test_names_that_look_like_paths_stay_in_the_merchants_folder(client, remote):
    resp = client.post("/submit", json=payload(name="../../.github/workflows/x"))
    assert resp.status_code == 201
    ((status, path),) = changes(remote, resp.json()["reference"])
    assert path == "content/merchants/45-loiret/github-workflows-x.yaml"


def test_form_without_javascript_gets_a_french_page(client, remote):
    form = [
        ("name", "Fleurs du Mail"),
        ("kind", "commerce"),
        ("categories", "fleuriste"),
        ("address.postcode", "45000"),
        ("address.city", "Orléans"),
        ("contact.phone", "02 38 11 22 33"),
        ("click_and_collect.order", "phone"),
        ("click_and_collect.delivery", "false"),
        ("products.0.name", "Bouquet"),
        ("products.0.price", "19,90"),
        ("products.0.available", "false"),
        ("products.0.available", "true"),
        ("products.1.name", ""),
        ("products.1.available", "false"),
        ("consent", "true"),
        ("adresse_web", ""),
    ]
    resp = post_form(client, form)
    assert resp.status_code == 201
    assert "Merci" in resp.text and "inscription/fleurs-du-mail" in resp.text
    text = show(remote, "inscription/fleurs-du-mail", "content/merchants/45-loiret/fleurs-du-mail.yaml")
    assert "price: 19.9" in text and "available" not in text  # available: true is the default, left out
    bad = post_form(client, [("name", "X"), ("consent", "true")])
    assert bad.status_code == 422
    assert "<strong>Type d&#x27;activité</strong> : champ obligatoire" in bad.text


def post_form(client, pairs):
    return client.post(
        "/submit",
        content=urlencode(pairs),
        headers={"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"},
    )


def test_check_returns_canonical_yaml_without_writing(client, remote):
    resp = client.post("/check", json=payload(address={"postcode": "45000", "city": "orleans"}))
    assert resp.status_code == 200
    data = resp.json()
    assert data["merchant"]["address"]["city"] == "Orléans"
    assert any("Orléans" in n for n in data["notes"])
    assert data["yaml"].startswith("name: Fleurs du Mail\n")
    assert set(branches(remote)) == {"main"}


def test_remote_failure_is_a_clear_french_error_without_secrets(tmp_path):
    secret_remote = "https://bot:s3cr3t-t0k3n@127.0.0.1:9/annuaire.git"
    client = git_bot_client(tmp_path, backend=GitBackend(secret_remote, timeout=10))
    resp = client.post("/submit", json=payload())
    assert resp.status_code == 502
    assert "n'a pas pu être enregistrée" in resp.json()["message"] and "Rien n'a été envoyé" in resp.json()["message"]
    assert "s3cr3t" not in resp.text and "127.0.0.1:9" not in resp.text
