"""One check everywhere: the bot (git backend, real bare remote) never opens a branch `ccdir validate`
refuses, and answers « exists » / « pending » by the cross-file rules of the build."""

from __future__ import annotations

import io
import subprocess
import tarfile
import uuid
from pathlib import Path

import pytest
from botkit import SITE, branches, changes, git, git_bot_client, make_remote, payload
from conftest import REPO

from ccdir.content.config import Project
from ccdir.content.loading import check
from ccdir.intake.bot.backends import BackendError
from ccdir.intake.bot.gitremote import GitBackend, GitSession

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

MIREBEAU_SIRET = "39668282500098"  # content/merchants/18-cher/bijoux-mirebeau.yaml


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


@pytest.fixture
def client(remote):
    return git_bot_client(remote)


def validate_branch(remote: Path, branch: str, tmp: Path) -> list[str]:
    """`ccdir validate` on the tree of `branch`: the error messages (none when the build accepts it)."""
    target = tmp / branch.replace("/", "_")
    archive = subprocess.run(["git", "archive", branch], cwd=remote, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    _, report = check(Project.load(target))
    return [f"{p.path}: {p.message}" for p in report.errors]


def rename_on_remote(remote: Path, tmp: Path, old: str, new: str) -> None:
    work = tmp / "rename"
    git("clone", "-q", str(remote), str(work))
    git("mv", old, new, cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "rename", cwd=work)
    git("push", "-q", "origin", "main", cwd=work)


def test_business_published_under_another_file_name_is_409_with_its_page(client, remote, tmp_path):
    rename_on_remote(
        remote,
        tmp_path,
        "content/merchants/45-loiret/atelier-des-pivoines.yaml",
        "content/merchants/45-loiret/pivoines-montargis.yaml",
    )
    resp = client.post(
        "/submit",
        json=payload(
            name="Atelier des Pivoines",  # no « L' »: the same name
            address={"postcode": "45200", "city": "Montargis"},
        ),
    )
    assert resp.status_code == 409, resp.text
    answer = resp.json()
    assert answer["status"] == "exists" and answer["url"] == f"{SITE}/commercants/pivoines-montargis/"
    assert answer["edit_url"] == f"{SITE}/inscription/?modifier=pivoines-montargis"
    assert "Modifier cette fiche" in answer["message"]
    # A request for staff that edits the published file, never a second file for one business.
    assert set(branches(remote)) == {"main", answer["reference"]}
    assert changes(remote, answer["reference"]) == [("M", "content/merchants/45-loiret/pivoines-montargis.yaml")]
    assert validate_branch(remote, answer["reference"], tmp_path) == []


def test_same_siret_under_another_name_is_409(client, remote):
    resp = client.post("/submit", json=payload(name="Atelier Mirebeau", siret=MIREBEAU_SIRET))
    assert resp.status_code == 409, resp.text
    assert resp.json()["slug"] == "bijoux-mirebeau" and "même SIRET" in resp.json()["message"]
    assert set(branches(remote)) == {"main", resp.json()["reference"]}
    assert changes(remote, resp.json()["reference"]) == [("M", "content/merchants/18-cher/bijoux-mirebeau.yaml")]


def test_lookalike_name_at_the_same_address_is_409(client, remote):
    resp = client.post(
        "/submit",
        json=payload(
            name="Bijou Mirebeau", address={"street": "41 rue Mirebeau", "postcode": "18000", "city": "Bourges"}
        ),
    )
    assert resp.status_code == 409, resp.text
    assert "même adresse" in resp.json()["message"]


@pytest.mark.parametrize("where", ["description", "pickup"])
@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_line_separators_are_refused_before_any_branch(client, remote, where, separator):
    body = payload()
    if where == "description":
        body["merchant"]["description"] = f"Bouquets{separator}de saison."
        field = "description"
    else:
        body["merchant"]["click_and_collect"]["pickup"] = f"En boutique.{separator}Sonnez."
        field = "click_and_collect.pickup"
    resp = client.post("/submit", json=body)
    assert resp.status_code == 422, resp.text
    (message,) = resp.json()["errors"][field]
    assert f"séparateur de ligne spécial (U+{ord(separator):04X})" in message
    assert set(branches(remote)) == {"main"}


def test_five_submissions_with_one_siret_open_one_request_and_every_branch_validates(client, remote, tmp_path):
    siret = "73282932000074"
    names = ["Fleurs du Mail", "Fleurs Royales", "Le Jardin d'Orléans", "Au Bouquet", "Fleurs et Cie"]
    answers = [client.post("/submit", json=payload(name=n, siret=siret)).json() for n in names]
    assert answers[0]["status"] == "created"
    assert [a["status"] for a in answers[1:]] == ["pending"] * 4
    assert {a["reference"] for a in answers} == {answers[0]["reference"]}
    requests = [b for b in branches(remote) if b.startswith("inscription/")]
    assert requests == [answers[0]["reference"]]
    for branch in branches(remote):
        assert validate_branch(remote, branch, tmp_path) == [], branch
        if branch.startswith("conflit/"):  # each other version replaces the first request's file
            assert changes(remote, branch) == [("A", answers[0]["path"])]


def test_a_retry_with_the_same_key_returns_the_same_reference(client, remote):
    body = {**payload(), "request": uuid.uuid4().hex}
    first = client.post("/submit", json=body)
    retry = client.post("/submit", json=body)
    assert first.status_code == retry.status_code == 201
    assert retry.json()["reference"] == first.json()["reference"] == "inscription/fleurs-du-mail"
    assert set(branches(remote)) == {"main", "inscription/fleurs-du-mail"}


def test_a_bad_idempotency_key_is_400(client):
    resp = client.post("/submit", json={**payload(), "request": "../../x"})
    assert resp.status_code == 400 and "request" in resp.json()["message"]


class _PushTimesOut(GitSession):
    """Pushes, then reports a timeout (the push went through; the answer was lost)."""

    lookup_fails = False
    pushed = False

    def create_branch(self, branch: str, commit: str) -> bool:
        super().create_branch(branch, commit)
        self.pushed = True
        raise BackendError("le dépôt des fiches ne répond pas (délai dépassé)", "git push timed out", 504)

    def branch_head(self, branch: str):
        if self.lookup_fails and self.pushed:
            raise BackendError("le dépôt des fiches ne répond pas", "git fetch timed out", 504)
        return super().branch_head(branch)


def _timing_out_client(remote, lookup_fails: bool):
    import contextlib
    import shutil
    import tempfile

    class Backend(GitBackend):
        @contextlib.contextmanager
        def session(self):
            tmp = Path(tempfile.mkdtemp(prefix="ccdir-test-"))
            try:
                session = _PushTimesOut(self, tmp)
                session.lookup_fails = lookup_fails
                yield session
            finally:
                shutil.rmtree(tmp, ignore_errors=True)

    return git_bot_client(remote, backend=Backend(str(remote)))


def test_after_a_push_timeout_the_bot_looks_the_branch_up(remote):
    resp = _timing_out_client(remote, lookup_fails=False).post("/submit", json=payload())
    assert resp.status_code == 201, resp.text
    assert resp.json()["reference"] == "inscription/fleurs-du-mail"


def test_when_it_cannot_know_the_bot_answers_202_with_the_reference(remote):
    resp = _timing_out_client(remote, lookup_fails=True).post("/submit", json=payload())
    assert resp.status_code == 202, resp.text
    answer = resp.json()
    assert answer["status"] == "processing" and answer["reference"] == "inscription/fleurs-du-mail"
    assert "en cours de traitement" in answer["message"]


CORPUS = {  # name → (merchant overrides, what the build says of the entry added to the published content)
    "valid": ({}, "ok"),
    "valid, French accents and emoji": ({"name": "Crèmerie 🧀 de Léa", "siret": "55210055400013"}, "ok"),
    "published, same name and postcode": (
        {"name": "L'Atelier des Pivoines", "address": {"postcode": "45200", "city": "Montargis"}},
        "duplicate",
    ),
    "published, name without its article": (
        {"name": "Atelier des Pivoines", "address": {"postcode": "45200", "city": "Montargis"}},
        "duplicate",
    ),
    "published, same SIRET": ({"name": "Autre enseigne", "siret": MIREBEAU_SIRET}, "duplicate"),
    "published, look-alike at the same address": (
        {"name": "Bijou Mirebeau", "address": {"street": "41 rue Mirebeau", "postcode": "18000", "city": "Bourges"}},
        "duplicate",
    ),
    "same name elsewhere": (
        {"name": "L'Atelier des Pivoines", "address": {"postcode": "37000", "city": "Tours"}},
        "ok",
    ),
    "line separator": ({"description": "Bouquets\u2028de saison."}, "invalid"),
    "paragraph separator in pickup": ({"click_and_collect": {"order": ["phone"], "pickup": "Ici\u2029là"}}, "invalid"),
    "bad SIRET checksum": ({"siret": "73282932000075"}, "invalid"),
    "La Poste establishment": ({"siret": "35600000049837"}, "ok"),
    "bad phone": ({"contact": {"phone": "01 23"}}, "invalid"),
    "zero-width space in the name": ({"name": "Fleurs\u200bdu Mail"}, "invalid"),
    "formula": ({"name": '=HYPERLINK("x")'}, "invalid"),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_one_corpus_the_bot_and_ccdir_validate_agree(client, remote, tmp_path, case):
    """Each submission through the bot, and the same entry added by hand to the published content and
    checked by `ccdir validate`: the bot opens a branch exactly when the build would accept the file."""
    import shutil

    import yaml

    over, expected = CORPUS[case]
    resp = client.post("/submit", json=payload(**over))
    bot = {201: "ok", 409: "duplicate", 422: "invalid"}[resp.status_code]
    project = tmp_path / "by-hand"
    shutil.copytree(REPO / "content", project / "content")
    data = {k: v for k, v in payload(**over)["merchant"].items()}
    target = project / "content/merchants/99-essai/essai-a-la-main.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _, report = check(Project.load(project))
    mine = [p.message for p in report.errors if p.path.endswith("essai-a-la-main.yaml")]
    build = "ok" if not mine else ("duplicate" if any("fusionnez" in m for m in mine) else "invalid")
    assert (bot, build) == (expected, expected), (resp.json(), mine)
    if resp.json().get("reference"):  # a new entry, or a request for staff about a published listing
        assert validate_branch(remote, resp.json()["reference"], tmp_path) == []
