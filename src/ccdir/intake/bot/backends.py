"""One interface for every place a submission can go, and the algorithm they share.

A `Backend` opens a `Session` per request: a view of the remote repository at the head of the base
branch. `propose` uses only the session, so the `git` and `github` backends behave the same:

- the intake service (`ccdir.intake.service`) decides, from the published files and the open requests,
  whether the request is new, already published (`exists`), already asked for (`pending`) or a retry of
  one already received (same idempotency key): the rules are those of `ccdir validate`;
- each request gets its own branch, named after the entry (`inscription/<slug>`, `modification/<slug>`,
  `retrait/<slug>`, `conflit/<slug>-<n>`); creating a branch on the remote is atomic, so two concurrent
  requests never share one;
- the head commit of a branch describes its request in trailers (`Ccdir-Business:`, `Ccdir-Siret:`…),
  read back by the next request;
- nothing but a cache of parsed published files is kept between requests: several bots can run behind
  a load balancer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ccdir.content.identity import Identity
from ccdir.content.model import Merchant
from ccdir.content.outlets import keep_points
from ccdir.content.validate import business_key
from ccdir.content.writer import dump_merchant
from ccdir.intake.bot.texts import conflict_body, created_message, removal_body, request_body, same_content
from ccdir.intake.service import (
    IntakeService,
    OpenRequest,
    Placement,
    PublishedIndex,
    collides,
    merchant_of_text,
    parse_trailers,
    trailers,
)
from ccdir.intake.submission import Submission

log = logging.getLogger("ccdir.intake.bot")

TRAILER = "Ccdir-Business"
MERCHANTS_PREFIX = "content/merchants/"
BRANCH_PREFIX = {"create": "inscription", "edit": "modification", "remove": "retrait", "conflict": "conflit"}
ACTION_LABEL = {"create": "inscription", "edit": "modification", "remove": "retrait", "conflict": "conflit"}
REQUEST_PREFIXES = tuple(BRANCH_PREFIX.values())
_SAFE_BRANCH = re.compile(r"^(inscription|modification|retrait|conflit)/[a-z0-9]+(?:-[a-z0-9]+)*$")


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

    status: str  # created | pending | exists | unchanged | not_found | processing
    message: str
    reference: str | None = None
    url: str | None = None
    number: int | None = None
    slug: str | None = None
    path: str | None = None
    edit_url: str | None = None  # « Modifier cette fiche » of the published entry
    conflict: str | None = None  # the branch carrying this version next to the open request

    @property
    def http_status(self) -> int:
        return {"created": 201, "exists": 409, "not_found": 404, "processing": 202}.get(self.status, 200)

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Head:
    """The head commit of a branch and the trailers of its message."""

    commit: str
    trailers: dict[str, str]


class Session(Protocol):
    """One request's view of the remote, at the head of the base branch."""

    def merchant_files(self) -> dict[str, tuple[str, str]]:
        """slug → (path, blob id) of every merchant file on the base branch."""

    def read_blobs(self, blobs: list[str]) -> dict[str, str]:
        """Texts of these blobs (one round trip when the remote allows it)."""

    def read(self, path: str, ref: str | None = None) -> str | None:
        """Text of a file on the base branch, or on branch `ref` (None when absent)."""

    def open_requests(self) -> list[OpenRequest]:
        """The requests the bot opened and that are still open (their branches exist)."""

    def branch_head(self, branch: str) -> Head | None:
        """The head of `branch`; None when the branch does not exist."""

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

    def session(self) -> contextlib.AbstractContextManager[Session]: ...


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
    index: PublishedIndex = field(default_factory=PublishedIndex)

    @property
    def token(self) -> str:
        """The idempotency key: the form's, or one made here (to recognise our branch after a timeout)."""
        if not self.submission.token:
            self.submission.token = uuid.uuid4().hex
        return self.submission.token


def propose(backend: Backend, p: Proposal) -> Outcome:
    """Turn a checked submission into a branch and a pull request (or point to what already exists)."""
    service = IntakeService(p.catalog, p.gazetteer)
    with backend.session() as s:
        for _ in range(3):  # a request can appear between our look and our push: look again
            files = s.merchant_files()
            published, registry = p.index.listings(files, s.read_blobs)
            pending = s.open_requests()
            placement = service.place(p.submission, p.merchant, published, pending, registry)
            outcome = _act(s, p, placement, pending)
            if outcome is not None:
                return outcome
    raise BackendError("le dépôt est très sollicité : réessayez dans une minute", "request race", 503)


def _act(s: Session, p: Proposal, placement: Placement, pending: list[OpenRequest]) -> Outcome | None:
    sub, merchant = p.submission, p.merchant
    if placement.status == "same":
        req = placement.request
        assert req is not None
        return Outcome(
            "created",
            created_message(req.action) + " (demande déjà reçue)",
            reference=req.reference,
            url=req.url,
            number=req.number,
            slug=req.slug,
            path=req.path or None,
        )
    if placement.status == "not_found":
        return Outcome(
            "not_found",
            f"la fiche « {sub.slug} » n'existe pas (ou plus) sur le site : vérifiez le lien ; "
            "pour une nouvelle fiche, utilisez le formulaire d'inscription.",
            slug=sub.slug,
        )
    if placement.status == "exists":
        listing = placement.listing
        assert listing is not None and placement.match is not None and merchant is not None
        url = f"{p.site_url}commercants/{listing.slug}/"
        edit = f"{p.site_url}inscription/?modifier={listing.slug}"
        why = placement.match.describe(Identity.of(merchant, sub.slug))
        if sub.action == "create":
            message = (
                f"« {merchant.name} » a déjà une fiche sur le site ({why}) : {url} — pour la corriger, "
                "utilisez « Modifier cette fiche » sur cette page."
            )
        else:
            message = (
                f"cette modification ferait de la fiche un doublon d'une autre fiche publiée ({why}) : {url} ; "
                "vérifiez le nom, l'adresse et le SIRET."
            )
        return Outcome("exists", message, slug=listing.slug, url=url, edit_url=edit)
    if placement.status == "pending":
        return _pending(s, p, placement)
    assert placement.slug is not None and placement.path is not None
    if sub.action == "create":
        assert merchant is not None
        branch = f"{BRANCH_PREFIX['create']}/{placement.slug}"
        title = f"Inscription : {merchant.name} ({merchant.address.city})"
        changes: dict[str, str | None] = {placement.path: dump_merchant(merchant)}
        body = request_body(p, merchant, placement.path, None)
    elif sub.action == "edit":
        assert merchant is not None
        current = merchant_of_text(s.read(placement.path))
        merchant = keep_points(current, merchant)  # the form may leave points of sale out: keep them
        if current is not None and same_content(current, merchant):
            return Outcome(
                "unchanged",
                "aucune modification : la fiche publiée contient déjà ces informations.",
                slug=placement.slug,
                path=placement.path,
            )
        branch = f"{BRANCH_PREFIX['edit']}/{placement.slug}"
        title = f"Modification : {current.name if current else placement.slug}"
        changes = {placement.path: dump_merchant(merchant)}
        body = request_body(p, merchant, placement.path, current)
    else:
        current = merchant_of_text(s.read(placement.path))
        branch = f"{BRANCH_PREFIX['remove']}/{placement.slug}"
        title = f"Retrait : {current.name if current else placement.slug}"
        changes = {placement.path: None}
        body = removal_body(p, placement.path, current)
    owner = business_key(merchant) if merchant is not None and sub.action == "create" else placement.slug
    tags = trailers(sub.action, merchant, placement.slug, placement.path, p.token, business=owner)
    outcome = _publish(s, p, branch, owner, changes, title, body, tags, [ACTION_LABEL[sub.action]])
    if outcome is not None:
        outcome.slug, outcome.path = placement.slug, placement.path
        if outcome.status == "created" and merchant is not None:
            outcome = _settle(s, p, outcome, branch, merchant) or outcome
    return outcome


def _pending(s: Session, p: Proposal, placement: Placement) -> Outcome:
    """Another request is open for this business: the same version → point to it; another version →
    a « conflit » request next to it, for staff to compare (never a second entry)."""
    req, merchant = placement.request, p.merchant
    assert req is not None
    waiting = (
        "une demande pour ce commerce est déjà en cours de relecture (référence "
        f"{req.reference}) : elle sera traitée sous peu ; inutile d'en envoyer une autre."
    )
    plain = Outcome("pending", waiting, reference=req.reference, url=req.url, number=req.number, slug=req.slug)
    if merchant is None or not req.path:
        return plain
    theirs = merchant_of_text(s.read(req.path, req.reference))
    if theirs is not None and same_content(theirs, merchant):
        return plain
    text = dump_merchant(merchant)
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    branch = f"{BRANCH_PREFIX['conflict']}/{req.slug}-{digest}"
    listing_text = s.read(req.path) if req.action == "edit" else None
    body = conflict_body(p, merchant, theirs, merchant_of_text(listing_text), req)
    title = f"Conflit : {merchant.name} ({merchant.address.city}) — deux demandes"
    tags = trailers("conflict", merchant, req.slug, req.path, p.token, of=req.reference, business=branch)
    outcome = _publish(s, p, branch, branch, {req.path: text}, title, body, tags, [ACTION_LABEL["conflict"]])
    if outcome is None:  # pragma: no cover - a conflict branch's owner is its own name
        return plain
    return Outcome(
        "pending",
        "une demande pour ce commerce est déjà en cours de relecture (référence "
        f"{req.reference}). Votre version y est jointe (référence {branch}) : l'équipe compare les deux "
        "et contacte le commerce aux coordonnées de la fiche avant de publier quoi que ce soit. "
        "Inutile de renvoyer le formulaire.",
        reference=req.reference,
        url=req.url,
        number=req.number,
        slug=req.slug,
        conflict=outcome.reference,
    )


def _settle(s: Session, p: Proposal, mine: Outcome, branch: str, merchant: Merchant) -> Outcome | None:
    """Two requests for one business under two names, opened at the same moment: the branch that sorts
    first stays, the other is withdrawn and answered « pending » (both bots reach the same decision)."""
    identity = Identity.of(merchant)
    for other in s.open_requests():
        if other.reference >= branch or other.action not in ("create", "edit") or other.identity is None:
            continue
        if collides(identity, other.identity):
            head = s.branch_head(branch)
            if head is not None:
                with contextlib.suppress(BackendError):
                    s.delete_branch(branch, head.commit)
            log.info("withdrew %s: same business as %s", branch, other.reference)
            return Outcome(
                "pending",
                "une demande pour ce commerce est déjà en cours de relecture (référence "
                f"{other.reference}) : elle sera traitée sous peu ; inutile d'en envoyer une autre.",
                reference=other.reference,
                url=other.url,
                number=other.number,
                slug=other.slug,
            )
    return None


def _publish(
    s: Session,
    p: Proposal,
    branch: str,
    owner: str,
    changes: dict[str, str | None],
    title: str,
    body: str,
    tags: str,
    labels: list[str],
) -> Outcome | None:
    """Create `branch` with `changes` and open its review; None if the branch belongs to someone else."""
    if not _SAFE_BRANCH.match(branch) or any(not _safe_path(path) for path in changes):
        raise BackendError("demande refusée", f"unsafe branch or path: {branch} {list(changes)}", status=400)
    found = s.branch_head(branch)
    if found is not None:
        if found.trailers.get("Ccdir-Request") == p.token:
            return _created(s, p, branch, labels=None)
        if found.trailers.get(TRAILER, "") != owner:
            return None
        review = s.find_review(branch)
        return Outcome(
            "pending",
            "une demande pour ce commerce est déjà en cours de relecture (référence "
            f"{branch}) : elle sera traitée sous peu ; inutile d'en envoyer une autre.",
            reference=branch,
            url=review.url,
            number=review.number,
        )
    message = f"{title}\n\n{body}\n\n{tags}\n"
    commit = s.commit(changes, message)
    try:
        created: bool | None = s.create_branch(branch, commit)
    except BackendError as exc:
        created = _after_failed_push(s, branch, commit, exc)
        if created is None:
            return Outcome(
                "processing",
                "votre demande est en cours de traitement : le dépôt des fiches a tardé à "
                f"répondre. Notez la référence {branch} ; si elle n'apparaît pas d'ici une heure, renvoyez "
                "le formulaire (il ne sera pas enregistré deux fois).",
                reference=branch,
            )
    if not created:
        return None
    return _created(
        s, p, branch, commit=commit, title=title, body=f"{body}\n\n<!--\n{tags}\n-->", labels=p.labels + labels
    )


def _after_failed_push(s: Session, branch: str, commit: str, exc: BackendError) -> bool | None:
    """After a push that failed or timed out, look before answering: True when our branch is there,
    re-raise when nothing was sent, None when the remote cannot tell (answer « en cours »)."""
    try:
        head = s.branch_head(branch)
    except BackendError:
        log.warning("push of %s: %s; branch lookup failed too", branch, exc.detail)
        return None
    if head is not None and head.commit == commit:
        log.info("push of %s reported %s but the branch is there", branch, exc.detail)
        return True
    if head is None:
        raise exc
    return False


def _created(
    s: Session,
    p: Proposal,
    branch: str,
    commit: str | None = None,
    title: str = "",
    body: str = "",
    labels: list[str] | None = None,
) -> Outcome:
    action = p.submission.action
    if labels is None:  # a retry of a request already made: its review exists (or is being opened)
        review = s.find_review(branch)
    else:
        assert commit is not None
        review = _open_review(s, branch, commit, title, body, labels)
        log.info("opened %s %s", branch, review.url or "")
    return Outcome("created", created_message(action), reference=branch, url=review.url, number=review.number)


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


def _safe_path(path: str) -> bool:
    """Only `content/merchants/<folder>/<slug>.yaml` (or one level less), no `..`, no absolute path."""
    parts = path.split("/")
    return (
        path.startswith(MERCHANTS_PREFIX)
        and path.endswith(".yaml")
        and 3 <= len(parts) <= 4
        and all(re.fullmatch(r"[a-z0-9][a-z0-9._-]*", part) and ".." not in part for part in parts)
    )


def merchant_files_of(entries: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """slug → (path, blob) for the merchant files among (path, blob) pairs (first one wins on a duplicate)."""
    found: dict[str, tuple[str, str]] = {}
    for path, blob in entries:
        if path.startswith(MERCHANTS_PREFIX) and path.endswith(".yaml"):
            found.setdefault(path.rsplit("/", 1)[-1][:-5], (path, blob))
    return found


def request_of(branch: str, message: str, **more: Any) -> OpenRequest | None:
    """The open request a branch (or pull request) stands for, from its trailers."""
    if not branch.startswith(tuple(f"{p}/" for p in REQUEST_PREFIXES)):
        return None
    values = parse_trailers(message)
    request = OpenRequest.from_trailers(branch, values, **more)
    if request is not None and request.action == "create" and branch.startswith("conflit/"):
        request.action = "conflict"
    return request
