"""The bot's algorithm: where a checked submission goes, and the branch (or answer) it becomes.

- the intake service (`ccdir.intake.service`) decides, from the published files and the open requests,
  whether the request is new, already published (`exists`), already asked for (`pending`) or a retry of
  one already received (same idempotency key): the rules are those of `ccdir validate`;
- a new entry for a business that is **already published** with other content becomes a request for staff
  that edits the published file (`_claim`): « modification » when it carries the contact on file (its
  owner used the wrong door), « conflit » otherwise (someone else claims the business); the merchant is
  answered 409 `exists` with the listing, « Modifier cette fiche » and the request's reference;
- another version of a business with an open request becomes a « conflit » request beside it
  (`_pending`);
- the look, the decision and the push happen under a lock per business (`locks.business_lock`), so two
  submissions for one business arriving together end as one request and one answer « pending »;
- `look` runs the same decision without writing anything, for `/check`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from typing import Any

from ccdir.content.identity import Identity
from ccdir.content.model import Merchant
from ccdir.content.outlets import keep_points
from ccdir.content.validate import business_key
from ccdir.content.writer import dump_merchant
from ccdir.intake.bot.backends import (
    ACTION_LABEL,
    BRANCH_PREFIX,
    Backend,
    BackendError,
    Outcome,
    Proposal,
    Session,
    publish,
)
from ccdir.intake.bot.locks import business_lock
from ccdir.intake.bot.texts import (
    claim_body,
    conflict_body,
    created_message,
    removal_body,
    request_body,
    same_contact,
    same_content,
)
from ccdir.intake.service import (
    IntakeService,
    OpenRequest,
    Placement,
    collides,
    merchant_of_text,
    trailers,
)

log = logging.getLogger("ccdir.intake.bot")


def propose(backend: Backend, p: Proposal) -> Outcome:
    """Turn a checked submission into a branch and a pull request (or point to what already exists)."""
    service = IntakeService(p.catalog, p.gazetteer)
    with business_lock(lock_scope(backend), lock_keys(p)), backend.session() as s:
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
        if req.listing and merchant is not None:  # a retry of a request about a published listing
            intro = f"« {merchant.name} » a déjà une fiche sur le site : {listing_url(p, req.listing)}"
            label = ACTION_LABEL[req.action]
            return _claim_outcome(p, req.listing, req.path, req.reference, label, intro, req.number)
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
        if sub.action == "create" and placement.claimable:
            return _claim(s, p, placement)
        return _exists(p, placement)
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
    outcome = publish(s, p, branch, owner, changes, title, body, tags, [ACTION_LABEL[sub.action]])
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
    outcome = publish(s, p, branch, branch, {req.path: text}, title, body, tags, [ACTION_LABEL["conflict"]])
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


def lock_scope(backend: Backend) -> str:
    """What the business locks are held within: the remote (or the GitHub repository)."""
    return str(getattr(backend, "remote_url", "") or getattr(backend, "repo", "") or backend.name)


def lock_keys(p: Proposal) -> list[str]:
    """The keys of the business a submission is about (SIRET, name in the postcode), and the slug of an edit
    or a removal."""
    keys = [f"slug:{p.submission.slug}"] if p.submission.slug else []
    if p.merchant is not None:
        mine = Identity.of(p.merchant)
        keys.append(f"name:{mine.business_key}")
        if mine.siret:
            keys.append(f"siret:{mine.siret}")
    # Not the street address: every shop of a shopping centre would wait for the others. Two look-alike
    # names at one address sent in the same second are settled after the push (`_settle`).
    return keys


def listing_url(p: Proposal, slug: str) -> str:
    return f"{p.site_url}commercants/{slug}/"


def _edit_url(p: Proposal, slug: str) -> str:
    return f"{p.site_url}inscription/?modifier={slug}"


def _why(p: Proposal, placement: Placement) -> str:
    assert placement.match is not None and p.merchant is not None
    return placement.match.describe(Identity.of(p.merchant, p.submission.slug))


def exists_message(p: Proposal, placement: Placement) -> str:
    """« a déjà une fiche » (a new entry), or « ferait un doublon » (an edit that would copy another listing)."""
    assert placement.listing is not None and p.merchant is not None
    url = listing_url(p, placement.listing.slug)
    if p.submission.action == "create":
        return (
            f"« {p.merchant.name} » a déjà une fiche sur le site ({_why(p, placement)}) : {url} — pour la "
            "corriger, utilisez « Modifier cette fiche » sur cette page."
        )
    return (
        f"cette modification ferait de la fiche un doublon d'une autre fiche publiée ({_why(p, placement)}) : "
        f"{url} ; vérifiez le nom, l'adresse et le SIRET."
    )


def _exists(p: Proposal, placement: Placement, message: str | None = None) -> Outcome:
    listing = placement.listing
    assert listing is not None
    return Outcome(
        "exists",
        message or exists_message(p, placement),
        slug=listing.slug,
        url=listing_url(p, listing.slug),
        edit_url=_edit_url(p, listing.slug),
    )


def _claim(s: Session, p: Proposal, placement: Placement) -> Outcome:
    """A new entry for a published business, with other content: a request for staff that edits the
    published file (so the branch passes `ccdir validate`), answered 409 with its reference."""
    listing, merchant = placement.listing, p.merchant
    assert listing is not None and merchant is not None
    current = merchant_of_text(s.read(listing.path))
    intro = f"« {merchant.name} » a déjà une fiche sur le site ({_why(p, placement)}) : {listing_url(p, listing.slug)}"
    if current is None:  # the published file is unreadable: the build reports it, nothing to compare with
        return _exists(p, placement)
    mine = keep_points(current, merchant)  # the form has no points of sale: keep the published ones
    if same_content(current, mine):
        return _exists(
            p,
            placement,
            f"{intro} ; elle contient déjà ces informations : rien à envoyer. Pour la corriger plus tard, "
            "utilisez « Modifier cette fiche » sur cette page.",
        )
    label = "modification" if same_contact(current, mine) else "conflit"
    action = "edit" if label == "modification" else "conflict"
    digest = hashlib.sha1(dump_merchant(mine.model_copy(update={"updated": None})).encode()).hexdigest()[:8]
    branch = f"{BRANCH_PREFIX[action]}/{listing.slug}-{digest}"  # the same version again: the same branch
    title = f"{label.capitalize()} : {current.name} ({current.address.city}) — fiche publiée, nouvelle inscription"
    body = claim_body(p, mine, current, listing.path, label, listing_url(p, listing.slug))
    tags = trailers(action, mine, listing.slug, listing.path, p.token, business=branch, listing=listing.slug)
    outcome = publish(s, p, branch, branch, {listing.path: dump_merchant(mine)}, title, body, tags, [label])
    if outcome is None or outcome.status == "processing":
        return outcome or _exists(p, placement)
    log.info("request %s about the published listing %s", outcome.reference, listing.slug)
    return _claim_outcome(p, listing.slug, listing.path, outcome.reference or branch, label, intro, outcome.number)


def _claim_outcome(
    p: Proposal, slug: str, path: str, reference: str, label: str, intro: str, number: int | None
) -> Outcome:
    return Outcome(
        "exists",
        f"{intro}. Votre version n'est pas publiée telle quelle : elle est transmise à l'équipe du site "
        f"(demande « {label} », référence {reference}). L'équipe compare les deux versions et contacte le "
        "commerce aux coordonnées de la fiche publiée avant de changer quoi que ce soit. Inutile de renvoyer "
        "le formulaire ; pour une simple correction, utilisez « Modifier cette fiche » sur la page du commerce.",
        reference=reference,
        number=number,
        slug=slug,
        path=path or None,
        url=listing_url(p, slug),
        edit_url=_edit_url(p, slug),
    )


def look(backend: Backend, p: Proposal) -> dict[str, Any]:
    """Where the submission would go, as `/submit` would decide it, without writing anything (`/check`)."""
    service = IntakeService(p.catalog, p.gazetteer)
    with backend.session() as s:
        published, registry = p.index.listings(s.merchant_files(), s.read_blobs)
        placement = service.place(p.submission, p.merchant, published, s.open_requests(), registry)
    return describe(p, placement)


def describe(p: Proposal, placement: Placement) -> dict[str, Any]:
    """The placement for the form's preview: a status and a French message (plus links and reference)."""
    req, listing = placement.request, placement.listing
    if placement.status == "same" and req is not None:
        return {
            "status": "sent",
            "reference": req.reference,
            "message": f"ce formulaire a déjà été envoyé (référence {req.reference}) : inutile de le renvoyer.",
        }
    if placement.status == "not_found":
        return {
            "status": "not_found",
            "message": f"la fiche « {p.submission.slug} » n'existe pas (ou plus) sur le site.",
        }
    if placement.status == "exists" and listing is not None:
        message = exists_message(p, placement)
        if p.submission.action == "create" and placement.claimable:
            message += (
                " Si vous envoyez quand même ce formulaire, votre version sera transmise à l'équipe du site, qui "
                "compare les deux versions et contacte le commerce aux coordonnées de la fiche publiée avant de "
                "changer quoi que ce soit."
            )
        url, edit = listing_url(p, listing.slug), _edit_url(p, listing.slug)
        return {"status": "exists", "slug": listing.slug, "url": url, "edit_url": edit, "message": message}
    if placement.status == "pending" and req is not None:
        answer = {
            "status": "pending",
            "reference": req.reference,
            "message": f"une demande pour ce commerce est déjà en cours de relecture (référence {req.reference}) : "
            "si vous envoyez ce formulaire, votre version y sera jointe et l'équipe comparera les deux.",
        }
        return answer | ({"url": req.url} if req.url else {})
    verb = {"create": "d'inscription", "edit": "de modification", "remove": "de retrait"}[p.submission.action]
    return {"status": "new", "message": f"votre demande {verb} sera relue par l'équipe du site avant publication."}
