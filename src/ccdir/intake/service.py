"""The intake service: one verdict on a request, whichever door it came through.

The bot (`/check`, `/submit`), `ccdir intake` and the tests ask the same two questions here:

1. `check`: is the request itself valid? (the content model, the category catalogue, the gazetteer —
   `ccdir.intake.submission`); raises `SubmissionError` with French messages by form field;
2. `place`: where does it go, given what is **published** (the files of the base branch) and what is
   **pending** (the open requests)? The cross-file rules are `ccdir.content.identity`'s, the very ones
   `ccdir validate` applies across files, so a request the service lets through never makes a branch
   the build refuses: same SIRET, same name in the postcode, look-alike name at the same address, same
   slug.

No I/O here: the caller lists the published entries (`Listing`) and the open requests (`OpenRequest`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ccdir.content import reader
from ccdir.content.identity import Identity, Match, Registry, choose_slug
from ccdir.content.model import Merchant
from ccdir.intake.submission import Submission, check_request, merchant_path, validate_merchant

# Commit trailers (and, on GitHub, the pull request's hidden footer) that describe an open request.
TRAILERS = {
    "business": "Ccdir-Business",
    "action": "Ccdir-Action",
    "slug": "Ccdir-Slug",
    "path": "Ccdir-Path",
    "siret": "Ccdir-Siret",
    "name": "Ccdir-Name",
    "postcode": "Ccdir-Postcode",
    "street": "Ccdir-Street",
    "token": "Ccdir-Request",
    "of": "Ccdir-Conflict-Of",
    "listing": "Ccdir-Listing",
}


@dataclass(frozen=True)
class Listing:
    """A published entry: its slug, its file and its identity."""

    slug: str
    path: str
    identity: Identity


@dataclass
class OpenRequest:
    """An open request (a branch, and its pull request when the remote has them)."""

    reference: str  # the branch
    action: str  # create | edit | remove | conflict
    slug: str
    path: str = ""
    identity: Identity | None = None
    token: str = ""
    url: str | None = None
    number: int | None = None
    commit: str = ""
    of: str = ""  # for a conflict: the request it competes with
    listing: str = ""  # for a request about a published listing sent as a new entry: that listing's slug

    @classmethod
    def from_trailers(cls, reference: str, values: dict[str, str], **more: Any) -> OpenRequest | None:
        """None for a branch the bot did not make (no trailers)."""
        slug = values.get(TRAILERS["slug"]) or reference.split("/", 1)[-1]
        identity = None
        if values.get(TRAILERS["name"]) and values.get(TRAILERS["postcode"]):
            identity = Identity.from_parts(
                slug,
                values.get(TRAILERS["siret"]) or None,
                values[TRAILERS["name"]],
                values[TRAILERS["postcode"]],
                values.get(TRAILERS["street"]) or None,
            )
        if not values.get(TRAILERS["business"]) and identity is None:
            return None
        return cls(
            reference,
            values.get(TRAILERS["action"], "create"),
            slug,
            values.get(TRAILERS["path"], ""),
            identity,
            values.get(TRAILERS["token"], ""),
            of=values.get(TRAILERS["of"], ""),
            listing=values.get(TRAILERS["listing"], ""),
            **more,
        )


def trailers(
    action: str,
    merchant: Merchant | None,
    slug: str,
    path: str,
    token: str = "",
    of: str = "",
    business: str = "",
    listing: str = "",
) -> str:
    """The trailer lines that let the next request find this one (see `OpenRequest.from_trailers`)."""
    values = {"action": action, "slug": slug, "path": path, "token": token, "of": of, "listing": listing}
    if merchant is not None:
        a = merchant.address
        values.update(siret=merchant.siret or "", name=merchant.name, postcode=a.postcode, street=a.street or "")
    lines = [f"{TRAILERS['business']}: {business}"] if business else []
    lines += [f"{TRAILERS[k]}: {v}" for k, v in values.items() if v]
    return "\n".join(lines)


def parse_trailers(message: str) -> dict[str, str]:
    """`Ccdir-…: value` lines of a commit message or a pull request body."""
    found: dict[str, str] = {}
    known = set(TRAILERS.values())
    for line in message.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in known:
            found[key.strip()] = value.strip()
    return found


@dataclass
class Placement:
    """Where a valid request goes: a new request at `slug`/`path`, or what it collides with."""

    status: Literal["new", "exists", "pending", "not_found", "same"]
    slug: str | None = None
    path: str | None = None
    listing: Listing | None = None
    request: OpenRequest | None = None
    match: Match[Any] | None = None
    # « exists » for a new entry: True when the submitted version can replace the listing's file without
    # colliding with another published listing (so a request for staff passes `ccdir validate`)
    claimable: bool = False


@dataclass
class IntakeService:
    catalog: Any
    gazetteer: Any = None

    def check(self, sub: Submission, today: dt.date | None = None) -> tuple[Merchant | None, list[str]]:
        """The merchant the request describes (None for a removal) and notes for staff; raises
        SubmissionError."""
        check_request(sub)
        if sub.action == "remove":
            return None, []
        return validate_merchant(sub.data, self.catalog, self.gazetteer, today or dt.date.today())

    def place(
        self,
        sub: Submission,
        merchant: Merchant | None,
        published: dict[str, Listing],
        pending: Iterable[OpenRequest],
        registry: Registry[Listing] | None = None,
    ) -> Placement:
        """Decide where the request goes; `registry`: `published` as a Registry, when the caller keeps one."""
        pending = list(pending)
        if sub.token:
            for request in pending:
                if request.token == sub.token:
                    return Placement("same", request.slug, request.path, request=request)
        if sub.action == "create":
            assert merchant is not None
            mine = Identity.of(merchant)
            published_registry = registry if registry is not None else published_registry_of(published)
            found = published_registry.match(mine, slug=False)
            if found is not None:
                holder = found.holder
                clash = _registry_without(published, holder.slug).match(mine, slug=False)
                return Placement(
                    "exists", holder.slug, holder.path, listing=holder, match=found, claimable=clash is None
                )
            found_request = _pending_registry(pending).match(mine, slug=False)
            if found_request is not None:
                req = found_request.holder
                return Placement("pending", req.slug, req.path, request=req, match=found_request)
            taken = set(published) | {r.slug for r in pending}
            slug = choose_slug(merchant, taken)
            return Placement("new", slug, merchant_path(merchant, slug, self.gazetteer))
        listing = published.get(sub.slug or "")
        if listing is None:
            return Placement("not_found", sub.slug)
        same_slug = [r for r in pending if r.slug == listing.slug and r.action == sub.action]
        if merchant is not None:
            mine = Identity.of(merchant, listing.slug)
            found = _registry_without(published, listing.slug).match(mine, slug=False)
            if found is not None:
                return Placement("exists", found.holder.slug, found.holder.path, listing=found.holder, match=found)
            found_request = _pending_registry(r for r in pending if r.slug != listing.slug).match(mine, slug=False)
            if found_request is not None:
                req = found_request.holder
                return Placement("pending", req.slug, req.path, request=req, match=found_request)
        if same_slug:
            return Placement("pending", listing.slug, listing.path, listing=listing, request=same_slug[0])
        return Placement("new", listing.slug, listing.path, listing=listing)


def collides(a: Identity, b: Identity) -> bool:
    """True when `a` and `b` are one business by the cross-file rules."""
    registry: Registry[None] = Registry()
    registry.add(b, None)
    return registry.match(a, slug=False) is not None


def published_registry_of(published: dict[str, Listing]) -> Registry[Listing]:
    registry: Registry[Listing] = Registry()
    for listing in published.values():
        registry.add(listing.identity, listing)
    return registry


def _registry_without(published: dict[str, Listing], slug: str) -> Registry[Listing]:
    """The published listings but the one at `slug` (what a new version of that listing must not match)."""
    others: Registry[Listing] = Registry()
    for other in published.values():
        if other.slug != slug:
            others.add(other.identity, other)
    return others


def _pending_registry(pending: Iterable[OpenRequest]) -> Registry[OpenRequest]:
    registry: Registry[OpenRequest] = Registry()
    for request in pending:
        if request.identity is not None and request.action in ("create", "edit"):
            registry.add(request.identity, request)
    return registry


class PublishedIndex:
    """Identities of the published files, by blob id: each file is read and parsed once per process.

    `listings(files, fetch)`: `files` maps slug → (path, blob id); `fetch(ids)` returns the texts of
    the blobs not seen yet (one round trip for all of them).
    """

    def __init__(self) -> None:
        self._by_blob: dict[str, Identity | None] = {}
        self._lock = threading.Lock()
        self._registry: tuple[frozenset[tuple[str, str]], Registry[Listing]] | None = None

    def listings(
        self, files: dict[str, tuple[str, str]], fetch: Callable[[list[str]], dict[str, str]]
    ) -> tuple[dict[str, Listing], Registry[Listing]]:
        with self._lock:
            missing = sorted({blob for _, blob in files.values() if blob not in self._by_blob})
        texts = fetch(missing) if missing else {}
        parsed = {blob: identity_of_text(texts.get(blob)) for blob in missing}
        with self._lock:
            self._by_blob.update(parsed)
            out = {}
            for slug, (path, blob) in files.items():
                identity = self._by_blob.get(blob)
                if identity is not None:
                    out[slug] = Listing(
                        slug,
                        path,
                        Identity.from_parts(slug, identity.siret, identity.name, identity.postcode, identity.street),
                    )
            key = frozenset((slug, blob) for slug, (_, blob) in files.items())
            if self._registry is None or self._registry[0] != key:
                self._registry = (key, published_registry_of(out))
            return out, self._registry[1]


def identity_of_text(text: str | None) -> Identity | None:
    merchant = merchant_of_text(text)
    return Identity.of(merchant) if merchant is not None else None


def merchant_of_text(text: str | None) -> Merchant | None:
    """The merchant in a published file, or None when it is absent or invalid (the build reports it)."""
    if text is None:
        return None
    try:
        return Merchant.model_validate(reader.parse(text).data)
    except Exception:  # any invalid published file: nothing to compare with
        return None


__all__ = [
    "IntakeService",
    "Listing",
    "OpenRequest",
    "Placement",
    "PublishedIndex",
    "trailers",
    "parse_trailers",
    "merchant_of_text",
    "published_registry_of",
    "collides",
    "TRAILERS",
]
