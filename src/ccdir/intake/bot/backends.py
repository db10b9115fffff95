"""One interface for every place a submission can go, and the algorithm they share.

A `Backend` opens a `Session` per request: a view of the remote repository at the head of the base
branch. `propose` uses only the session, so the `git` and `github` backends behave the same:

- each request gets its own branch, named after the entry (`inscription/<slug>`, `modification/<slug>`,
  `retrait/<slug>`); creating a branch on the remote is atomic, so two concurrent requests never share one;
- the head commit of a branch says which business it is for (a `Ccdir-Business:` trailer), so a second
  submission for the same business, while the first is open, points to it instead of opening another;
- nothing is kept in memory between requests: several bots can run behind a load balancer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ccdir.content import reader
from ccdir.content.model import Merchant
from ccdir.content.validate import business_key
from ccdir.content.writer import dump_merchant
from ccdir.intake.submission import Submission, merchant_path, same_business, slug_candidates, summary_lines

log = logging.getLogger("ccdir.intake.bot")

TRAILER = "Ccdir-Business"
MERCHANTS_PREFIX = "content/merchants/"
BRANCH_PREFIX = {"create": "inscription", "edit": "modification", "remove": "retrait"}
ACTION_LABEL = {"create": "inscription", "edit": "modification", "remove": "retrait"}
_SAFE_BRANCH = re.compile(r"^(inscription|modification|retrait)/[a-z0-9]+(?:-[a-z0-9]+)*$")


class BackendError(Exception):
    """The remote failed; `message` is French, for the merchant; `detail` is for the logs (no secrets).

    `status`: the HTTP status the bot answers with (502 remote refused, 503 unavailable, 504 timed out).
    """

    def __init__(self, message: str, detail: str = "", status: int = 502):
        super().__init__(detail or message)
        self.message, self.detail, self.status = message, detail, status


@dataclass(frozen=True)
class Review:
    """A pull (or merge) request, or just a branch when the remote has none."""

    url: str | None = None
    number: int | None = None


@dataclass
class Outcome:
    """What happened to a submission, for the merchant (French `message`) and the JSON answer."""

    status: str  # created | pending | exists | unchanged | not_found
    message: str
    reference: str | None = None
    url: str | None = None
    number: int | None = None
    slug: str | None = None
    path: str | None = None

    @property
    def http_status(self) -> int:
        return {"created": 201, "exists": 409, "not_found": 404}.get(self.status, 200)

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Session(Protocol):
    """One request's view of the remote, at the head of the base branch."""

    def merchant_paths(self) -> dict[str, str]:
        """slug → path of every merchant file on the base branch."""

    def read(self, path: str) -> str | None:
        """Text of a file on the base branch (None when absent)."""

    def branch_owner(self, branch: str) -> str | None:
        """The business key recorded by the head commit of `branch`; None when the branch does not exist,
        "" when it exists without one."""

    def commit(self, changes: dict[str, str | None], message: str) -> str:
        """A commit on top of the base head: path → new text, or None to delete; returns its id."""

    def create_branch(self, branch: str, commit: str) -> bool:
        """Create `branch` at `commit`; False when it already exists (never overwrites)."""

    def delete_branch(self, branch: str, commit: str) -> None:
        """Delete `branch` if it still points at `commit` (clean-up after a failure)."""

    def open_review(self, branch: str, title: str, body: str, labels: list[str]) -> Review:
        """Open the pull request for `branch` (or say where to see the branch)."""

    def find_review(self, branch: str) -> Review:
        """The open pull request for `branch`, or the branch itself."""


class Backend(Protocol):
    name: str

    def session(self) -> contextlib.AbstractContextManager[Session]:
        ...


@dataclass
class Proposal:
    """Everything `propose` needs besides the session."""

    submission: Submission
    merchant: Merchant | None
    notes: list[str] = field(default_factory=list)
    catalog: Any = None
    gazetteer: Any = None
    site_url: str = ""
    labels: list[str] = field(default_factory=list)
    today: dt.date | None = None


def propose(backend: Backend, p: Proposal) -> Outcome:
    """Turn a checked submission into a branch and a pull request (or find the one already open)."""
    with backend.session() as session:
        if p.submission.action == "create":
            return _create(session, p)
        return _change(session, p)


def _create(s: Session, p: Proposal) -> Outcome:
    merchant = p.merchant
    assert merchant is not None
    key = business_key(merchant)
    paths = s.merchant_paths()
    content = dump_merchant(merchant)
    for slug in slug_candidates(merchant):
        if slug in paths:
            other = _parse(s.read(paths[slug]))
            if other is not None and same_business(other, merchant):
                url = f"{p.site_url}commercants/{slug}/"
                return Outcome("exists", f"« {merchant.name} » a déjà une fiche sur le site : {url} — pour la "
                               "corriger, utilisez « Modifier cette fiche » sur cette page.", slug=slug, url=url)
            continue
        path = merchant_path(merchant, slug, p.gazetteer)
        branch = f"{BRANCH_PREFIX['create']}/{slug}"
        title = f"Inscription : {merchant.name} ({merchant.address.city})"
        result = _publish(s, p, branch, key, {path: content}, title, _body(p, merchant, path))
        if result is None:
            continue  # that name is taken by another business's open request: next candidate
        result.slug, result.path = slug, path
        return result
    raise BackendError("trop de commerces portent déjà ce nom : précisez-le (par exemple avec la rue)",
                       "no free slug", status=409)


def _change(s: Session, p: Proposal) -> Outcome:
    sub = p.submission
    slug = sub.slug or ""
    path = s.merchant_paths().get(slug)
    if path is None:
        return Outcome("not_found", f"la fiche « {slug} » n'existe pas (ou plus) sur le site : vérifiez le lien ; "
                       "pour une nouvelle fiche, utilisez le formulaire d'inscription.", slug=slug)
    current = _parse(s.read(path))
    name = current.name if current else slug
    branch = f"{BRANCH_PREFIX[sub.action]}/{slug}"
    if sub.action == "edit":
        merchant = p.merchant
        assert merchant is not None
        if current is not None and _same_content(current, merchant):
            return Outcome("unchanged", "aucune modification : la fiche publiée contient déjà ces informations.",
                           slug=slug, path=path)
        title = f"Modification : {name}"
        result = _publish(s, p, branch, slug, {path: dump_merchant(merchant)}, title, _body(p, merchant, path))
    else:
        title = f"Retrait : {name}"
        body = (f"Demande de **retrait** de la fiche `{path}` ({name}).\n\n**Motif :** {sub.reason}\n\n"
                + _footer(p))
        result = _publish(s, p, branch, slug, {path: None}, title, body)
    if result is None:  # pragma: no cover - the owner of an edit branch is always the slug
        raise BackendError("une autre demande occupe déjà cette fiche", f"branch {branch} owned elsewhere")
    result.slug, result.path = slug, path
    return result


def _publish(s: Session, p: Proposal, branch: str, owner: str, changes: dict[str, str | None], title: str,
             body: str) -> Outcome | None:
    """Create `branch` with `changes` and open its review; None if the branch belongs to someone else."""
    if not _SAFE_BRANCH.match(branch) or any(not _safe_path(path) for path in changes):
        raise BackendError("demande refusée", f"unsafe branch or path: {branch} {list(changes)}", status=400)
    commit: str | None = None
    for _ in range(3):  # a branch can appear between our look and our push: look again
        found = s.branch_owner(branch)
        if found is not None:
            if found != owner:
                return None
            review = s.find_review(branch)
            return Outcome("pending", "une demande pour ce commerce est déjà en cours de relecture : elle sera "
                           "traitée sous peu ; inutile d'en envoyer une autre.", reference=branch,
                           url=review.url, number=review.number)
        if commit is None:
            message = f"{title}\n\n{body}\n\n{TRAILER}: {owner}\n"
            commit = s.commit(changes, message)
        if s.create_branch(branch, commit):
            review = _open_review(s, branch, commit, title, body, p.labels + [ACTION_LABEL[p.submission.action]])
            log.info("opened %s %s", branch, review.url or "")
            return Outcome("created", _created_message(p.submission.action), reference=branch,
                           url=review.url, number=review.number)
    raise BackendError("le dépôt est très sollicité : réessayez dans une minute", f"branch race on {branch}", 503)


def _open_review(s: Session, branch: str, commit: str, title: str, body: str, labels: list[str]) -> Review:
    """Open the pull request; if that fails, leave nothing behind (or find the one that did open)."""
    try:
        return s.open_review(branch, title, body, labels)
    except BackendError:
        with contextlib.suppress(BackendError):
            review = s.find_review(branch)
            if review.number is not None:
                return review  # the request timed out but the pull request exists
        with contextlib.suppress(BackendError):
            s.delete_branch(branch, commit)
        raise


def _created_message(action: str) -> str:
    return {"create": "votre demande d'inscription est enregistrée : elle sera relue puis publiée.",
            "edit": "votre demande de modification est enregistrée : elle sera relue puis publiée.",
            "remove": "votre demande de retrait est enregistrée : la fiche sera retirée après relecture."}[action]


def _body(p: Proposal, merchant: Merchant, path: str) -> str:
    lines = summary_lines(merchant, p.catalog)
    verb = "Nouvelle fiche" if p.submission.action == "create" else "Fiche modifiée"
    text = f"{verb} : `{path}`\n\n" + "\n".join(f"- {line}" for line in lines) + "\n"
    if merchant.description:
        text += f"\n> {merchant.description[:300]}\n"
    if p.notes:
        text += "\nCorrections automatiques :\n" + "".join(f"- {n}\n" for n in p.notes)
    return text + "\n" + _footer(p)


def _footer(p: Proposal) -> str:
    return (f"{_first_line(p)} Avant de fusionner : vérifiez que la demande est sérieuse (n'importe qui peut "
            "en envoyer une, sans compte) ; la vérification automatique de la fiche tourne sur cette branche.")


def _first_line(p: Proposal) -> str:
    day = (p.today or dt.date.today()).isoformat()
    return f"Demande envoyée par le formulaire du site le {day}."


def _parse(text: str | None) -> Merchant | None:
    if text is None:
        return None
    try:
        return Merchant.model_validate(reader.parse(text).data)
    except Exception:  # an invalid published file: compare nothing, the build will flag it
        return None


def _same_content(a: Merchant, b: Merchant) -> bool:
    return a.model_copy(update={"updated": None}) == b.model_copy(update={"updated": None})


def _safe_path(path: str) -> bool:
    """Only `content/merchants/<folder>/<slug>.yaml` (or one level less), no `..`, no absolute path."""
    parts = path.split("/")
    return (path.startswith(MERCHANTS_PREFIX) and path.endswith(".yaml") and 3 <= len(parts) <= 4
            and all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*", part) and ".." not in part for part in parts))


def parse_trailer(message: str) -> str:
    """The `Ccdir-Business:` value of a commit message ("" when absent)."""
    for line in reversed(message.strip().splitlines()):
        if line.startswith(TRAILER + ":"):
            return line.split(":", 1)[1].strip()
    return ""


def iter_merchant_paths(paths: Iterator[str] | list[str]) -> dict[str, str]:
    """slug → path for the merchant files among `paths` (first one wins on a duplicate slug)."""
    found: dict[str, str] = {}
    for path in paths:
        if path.startswith(MERCHANTS_PREFIX) and path.endswith(".yaml"):
            found.setdefault(path.rsplit("/", 1)[-1][:-5], path)
    return found
