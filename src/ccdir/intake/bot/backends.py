"""One interface for every place a submission can go, and the primitives the algorithm uses.

A `Backend` opens a `Session` per request: a view of the remote repository at the head of the base
branch. The algorithm (`ccdir.intake.bot.placing`) uses only the session, so the `git` and `github`
backends behave the same:

- each request gets its own branch, named after the entry (`inscription/<slug>`, `modification/<slug>`,
  `retrait/<slug>`, `conflit/<slug>-<n>`); creating a branch on the remote is atomic, so two concurrent
  requests never share one (`publish`);
- the head commit of a branch describes its request in trailers (`Ccdir-Business:`, `Ccdir-Siret:`…),
  read back by the next request (`request_of`);
- nothing but a cache of parsed published files is kept between requests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ccdir.content.model import Merchant
from ccdir.intake.bot.texts import created_message
from ccdir.intake.service import OpenRequest, PublishedIndex, parse_trailers
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


def publish(
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
