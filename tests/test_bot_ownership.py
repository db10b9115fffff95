"""Ownership, not squatting: a new entry for a business that is already published becomes a request for
staff (git backend, real bare remote), `/check` tells the form where a submission would go, and two
submissions for one business sent in the same second end as one request."""

from __future__ import annotations

import threading
import uuid

import pytest
from botkit import SITE, branches, changes, git, git_bot_client, make_remote, payload
from conftest import REPO
from test_intake_service import MIREBEAU_SIRET, validate_branch

from ccdir.content import reader
from ccdir.content.model import Merchant

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

MIREBEAU = "content/merchants/18-cher/bijoux-mirebeau.yaml"
PIVOINES = "content/merchants/45-loiret/atelier-des-pivoines.yaml"
NEXT_STEP = "contacte le commerce aux coordonnées de la fiche publiée avant de changer quoi que ce soit"


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


@pytest.fixture
def client(remote):
    return git_bot_client(remote)


def published(path: str) -> dict:
    data = Merchant.model_validate(reader.read_file(REPO / path).data)
    return data.model_dump(mode="json", exclude_none=True)


def squatted(**over) -> dict:
    """The real merchant of Bijoux Mirebeau fills the registration form: same SIRET, its own contact."""
    body = payload(
        name="Bijoux Mirebeau",
        siret=MIREBEAU_SIRET,
        kind="artisan",
        categories=["bijouterie"],
        address={"street": "41 rue Mirebeau", "postcode": "18000", "city": "Bourges"},
        contact={"phone": "02 48 00 11 22", "email": "atelier@mirebeau.example.org"},
        description="Le vrai atelier : bijoux en argent recyclé.",
    )
    body["merchant"].update(over)
    return body


def test_a_new_entry_for_a_published_business_becomes_a_conflit_request(client, remote, tmp_path):
    resp = client.post("/submit", json=squatted())
    assert resp.status_code == 409, resp.text
    answer = resp.json()
    assert answer["status"] == "exists" and answer["slug"] == "bijoux-mirebeau"
    assert answer["url"] == f"{SITE}/commercants/bijoux-mirebeau/"
    assert answer["edit_url"] == f"{SITE}/inscription/?modifier=bijoux-mirebeau"
    message = answer["message"]
    assert "a déjà une fiche sur le site (même SIRET 39668282500098" in message
    assert "Modifier cette fiche" in message and NEXT_STEP in message
    assert f"demande « conflit », référence {answer['reference']}" in message
    assert answer["reference"].startswith("conflit/bijoux-mirebeau-")
    # One request that edits the published file: `ccdir validate` accepts the branch.
    assert set(branches(remote)) == {"main", answer["reference"]}
    assert changes(remote, answer["reference"]) == [("M", MIREBEAU)]
    assert validate_branch(remote, answer["reference"], tmp_path) == []
    log = git("log", "-1", "--format=%B", answer["reference"], cwd=remote)
    assert log.startswith("Conflit : Bijoux Mirebeau (Bourges)")
    assert "Inscription envoyée pour un commerce déjà publié" in log
    assert "Ses coordonnées ne sont pas celles de la fiche publiée" in log
    assert "Version publiée aujourd'hui" in log and "| contact.phone | 02 61 91 68 08 | 02 48 00 11 22 |" in log
    assert "Contact de la fiche publiée :** 02 61 91 68 08" in log
    # The same version again (another tab, another day): nothing new, the same reference.
    again = client.post("/submit", json=squatted())
    assert again.status_code == 409 and again.json()["reference"] == answer["reference"]
    assert NEXT_STEP in again.json()["message"]
    assert set(branches(remote)) == {"main", answer["reference"]}


def test_the_contact_on_file_using_the_wrong_door_is_a_modification(client, remote, tmp_path):
    body = squatted(contact={"phone": "02 61 91 68 08", "email": "contact@bijoux-mirebeau.example.com"})
    resp = client.post("/submit", json=body)
    assert resp.status_code == 409, resp.text
    answer = resp.json()
    assert answer["reference"].startswith("modification/bijoux-mirebeau-")
    assert "demande « modification »" in answer["message"] and NEXT_STEP in answer["message"]
    assert changes(remote, answer["reference"]) == [("M", MIREBEAU)]
    assert validate_branch(remote, answer["reference"], tmp_path) == []
    log = git("log", "-1", "--format=%B", answer["reference"], cwd=remote)
    assert "traitez-la comme une modification" in log
    # « Modifier cette fiche » afterwards, with yet another version: a « conflit » beside that request.
    data = published(MIREBEAU)
    data["description"] = "Troisième version."
    edit = client.post("/submit", json={"action": "edit", "slug": "bijoux-mirebeau", "consent": True, "merchant": data})
    assert edit.status_code == 200 and edit.json()["reference"] == answer["reference"]
    assert edit.json()["conflict"].startswith("conflit/bijoux-mirebeau-")


def test_the_published_version_sent_again_opens_nothing(client, remote):
    data = published(MIREBEAU)
    resp = client.post("/submit", json={"action": "create", "consent": True, "merchant": data})
    assert resp.status_code == 409, resp.text
    assert "elle contient déjà ces informations : rien à envoyer" in resp.json()["message"]
    assert "reference" not in resp.json() and set(branches(remote)) == {"main"}


def test_a_version_that_would_copy_a_second_listing_opens_nothing(client, remote):
    """SIRET of one published business, name and postcode of another: no branch could pass the build."""
    resp = client.post(
        "/submit",
        json=payload(
            name="L'Atelier des Pivoines", siret=MIREBEAU_SIRET, address={"postcode": "45200", "city": "Montargis"}
        ),
    )
    assert resp.status_code == 409 and "Modifier cette fiche" in resp.json()["message"]
    assert "reference" not in resp.json() and set(branches(remote)) == {"main"}


def test_a_retry_of_the_same_form_returns_the_same_reference(client, remote):
    body = {**squatted(), "request": uuid.uuid4().hex}
    first = client.post("/submit", json=body).json()
    retry = client.post("/submit", json=body)
    assert retry.status_code == 409 and retry.json()["reference"] == first["reference"]
    assert NEXT_STEP in retry.json()["message"]
    assert len(branches(remote)) == 2


def test_check_says_where_the_submission_would_go_and_writes_nothing(client, remote):
    fresh = client.post("/check", json=payload()).json()["placement"]
    assert fresh["status"] == "new" and "sera relue" in fresh["message"]
    taken = client.post("/check", json=squatted()).json()["placement"]
    assert taken["status"] == "exists"
    assert taken["url"] == f"{SITE}/commercants/bijoux-mirebeau/"
    assert taken["edit_url"] == f"{SITE}/inscription/?modifier=bijoux-mirebeau"
    assert "a déjà une fiche sur le site" in taken["message"] and NEXT_STEP in taken["message"]
    assert set(branches(remote)) == {"main"}
    sent = client.post("/submit", json=payload()).json()
    waiting = client.post("/check", json=payload(description="Une autre version.")).json()["placement"]
    assert waiting["status"] == "pending" and waiting["reference"] == sent["reference"]
    assert f"déjà en cours de relecture (référence {sent['reference']})" in waiting["message"]
    assert set(branches(remote)) == {"main", sent["reference"]}


def test_check_without_the_remote_still_previews(tmp_path):
    client = git_bot_client(tmp_path / "absent.git")
    resp = client.post("/check", json=payload())
    assert resp.status_code == 200 and resp.json()["merchant"]["name"] == "Fleurs du Mail"
    assert resp.json()["placement"]["status"] == "unknown"
    assert "vous pouvez quand même envoyer le formulaire" in resp.json()["placement"]["message"]


@pytest.mark.parametrize("round_", range(3))
def test_two_names_of_one_business_in_the_same_second_make_one_request(remote, tmp_path, round_):
    """Same SIRET, two names, two threads released together: one branch and one answer « pending »
    (its version in a « conflit » beside it), never two inscriptions."""
    client = git_bot_client(remote)
    siret = "73282932000074"
    bodies = [
        payload(name="Fleurs du Mail", siret=siret),
        payload(name="Le Jardin de Léa", siret=siret, contact={"phone": "02 38 99 88 77", "email": "lea@example.org"}),
    ]
    start = threading.Barrier(len(bodies))
    answers: list = [None] * len(bodies)

    def send(i: int) -> None:
        start.wait()
        answers[i] = client.post("/submit", json=bodies[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["created", "pending"], [a.json() for a in answers]
    created = next(a.json() for a in answers if a.status_code == 201)
    waiting = next(a.json() for a in answers if a.status_code == 200)
    assert waiting["reference"] == created["reference"] and "déjà en cours de relecture" in waiting["message"]
    requests = sorted(b for b in branches(remote) if b != "main")
    assert [b for b in requests if b.startswith("inscription/")] == [created["reference"]]
    assert requests == sorted([created["reference"], waiting["conflict"]])
    for branch in requests:
        assert validate_branch(remote, branch, tmp_path) == [], branch


def test_without_javascript_the_merchant_gets_the_reference_and_what_happens_next(client, remote):
    from test_bot_git import post_form

    form = [
        ("name", "Bijoux Mirebeau"),
        ("kind", "artisan"),
        ("categories", "bijouterie"),
        ("siret", MIREBEAU_SIRET),
        ("address.street", "41 rue Mirebeau"),
        ("address.postcode", "18000"),
        ("address.city", "Bourges"),
        ("contact.phone", "02 48 00 11 22"),
        ("click_and_collect.order", "phone"),
        ("consent", "true"),
        ("adresse_web", ""),
    ]
    resp = post_form(client, form)
    assert resp.status_code == 409
    (reference,) = [b for b in branches(remote) if b != "main"]
    assert "<h1>Ce commerce a déjà une fiche</h1>" in resp.text and "pas été enregistrée" not in resp.text
    assert f"Référence à conserver : <strong>{reference}</strong>" in resp.text
    assert f'<a href="{SITE}/inscription/?modifier=bijoux-mirebeau">Modifier cette fiche</a>' in resp.text
    assert "avant de changer quoi que ce soit" in resp.text


def test_the_business_lock_holds_between_threads_and_never_blocks_a_submission(tmp_path, caplog):
    from ccdir.intake.bot.locks import business_lock

    order: list[str] = []
    inside = threading.Event()

    def second() -> None:
        inside.wait(5)
        with business_lock("remote", ["siret:1"], tmp_path):
            order.append("second")

    thread = threading.Thread(target=second)
    thread.start()
    with business_lock("remote", ["name:a|45000", "siret:1"], tmp_path):
        inside.set()
        thread.join(0.3)  # the other submission waits for this one
        order.append("first")
    thread.join(5)
    assert order == ["first", "second"]
    with business_lock("remote", ["siret:2"], tmp_path):  # another business: no wait
        order.append("other")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with business_lock("remote", ["siret:1"], blocked):  # unusable folder: logged, the submission goes on
        order.append("unlocked")
    assert order[-2:] == ["other", "unlocked"] and "business lock unavailable" in caplog.text
