"""Registration submissions: form payload ⇄ Merchant, field errors in French, slug and folder choice.

A submission comes from the `/inscription/` form, as JSON (the form's script) or form-encoded (the same
form without JavaScript). Form fields are named after the model's location, dotted:
`name`, `address.postcode`, `products.0.price`… so a pydantic error `loc` maps straight back to the
field that must change. The bot, `ccdir intake` and the tests share everything here; validation is the
content model's own (`Merchant`, the category catalogue, the gazetteer), never a copy of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

from pydantic import ValidationError

from ccdir.content import identity
from ccdir.content.fields import LABELS
from ccdir.content.messages import french_message
from ccdir.content.model import Merchant, check_slug
from ccdir.content.outlets import checked_points
from ccdir.core.textnorm import slugify

Action = Literal["create", "edit", "remove"]
ACTIONS = ("create", "edit", "remove")
HONEYPOT = "adresse_web"  # hidden from people; bots fill it
META_FIELDS = ("action", "slug", "reason", "consent", "request", HONEYPOT)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")  # the form's idempotency key (a random UUID)
LIST_FIELDS = {"categories", "click_and_collect.order"}  # several checkboxes with one name
NUMBER_SUFFIXES = (".price", ".lat", ".lon")
REASON_MAX = 1000
MAX_DEPTH = 8  # the deepest a submission goes is merchant.products.N.name: 4 levels
MAX_VALUES = 5_000  # strings, numbers, lists and objects in one submission
GLOBAL = "fiche"  # error key for problems that concern the whole entry

# Labels of the form's fields (`ccdir.content.fields`, the one source): used to name fields in messages.
FIELD_LABELS = LABELS


class MalformedSubmission(Exception):
    """The request is not a submission at all (bad JSON, wrong type): HTTP 400, French message."""


class SubmissionError(Exception):
    """The submission is invalid: `errors` maps form field names to French messages (HTTP 422)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        n = sum(len(v) for v in errors.values())
        super().__init__(
            f"{n} champ(s) à corriger : "
            + " ; ".join(f"{field_label(k)} : {v[0]}" for k, v in list(errors.items())[:3])
        )


@dataclass
class Submission:
    """One request from the form: what to do, to which entry, with which data."""

    action: Action = "create"
    data: dict[str, Any] = field(default_factory=dict)
    slug: str | None = None
    reason: str | None = None
    consent: bool = False
    honeypot: str = ""
    token: str = ""  # idempotency key: the same form sent twice is one request

    @property
    def is_spam(self) -> bool:
        return bool(self.honeypot.strip())


# --- parsing --------------------------------------------------------------------------------------------


def parse_body(body: bytes, content_type: str) -> Submission:
    """A Submission from a request body (JSON or application/x-www-form-urlencoded)."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedSubmission("la demande n'est pas en UTF-8 : renvoyez le formulaire depuis le site") from None
    if ctype == "application/json":
        try:
            payload = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            raise MalformedSubmission(
                "la demande n'est pas du JSON valide : renvoyez le formulaire depuis le site"
            ) from None
        if not json_shape_ok(payload):
            raise MalformedSubmission(
                f"demande trop imbriquée ou trop longue (profondeur {MAX_DEPTH} et {MAX_VALUES} "
                "valeurs au plus) : renvoyez le formulaire depuis le site"
            )
        return from_json(payload)
    if ctype == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=2000)
        except ValueError:
            raise MalformedSubmission(
                "formulaire trop long (plus de 2 000 champs) : renvoyez-le depuis le site"
            ) from None
        return from_form(pairs)
    raise MalformedSubmission("format de demande non pris en charge : envoyez du JSON ou un formulaire")


def json_shape_ok(value: Any) -> bool:
    """False for JSON nested deeper than MAX_DEPTH or holding more than MAX_VALUES values (walked without
    recursion: no depth can exhaust the stack here or later)."""
    stack = [(value, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > MAX_VALUES:
            return False
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return True


def from_json(payload: Any) -> Submission:
    """JSON: {"action", "slug", "reason", "consent", "merchant": {…nested like the YAML file…}}."""
    if not isinstance(payload, dict):
        raise MalformedSubmission("la demande doit être un objet JSON : renvoyez le formulaire depuis le site")
    merchant = payload.get("merchant", {})
    if not isinstance(merchant, dict):
        raise MalformedSubmission("« merchant » doit être un objet JSON")
    unknown = sorted(set(payload) - set(META_FIELDS) - {"merchant"})
    if unknown:
        raise MalformedSubmission(f"champ inconnu « {unknown[0]} » dans la demande")
    return _submission(payload, clean(merchant))


def from_form(pairs: Iterable[tuple[str, str]]) -> Submission:
    """Form-encoded: merchant fields named by dotted location (`address.city`, `products.0.name`)."""
    meta: dict[str, Any] = {}
    flat: dict[str, Any] = {}
    for key, value in pairs:
        if key in META_FIELDS:
            meta[key] = value
        elif key in LIST_FIELDS:
            flat.setdefault(key, []).append(value)
        else:
            flat[key] = value  # the last value wins: a hidden "false" before a checkbox "true"
    return _submission(meta, clean(unflatten(flat)))


def _submission(meta: dict[str, Any], data: dict[str, Any]) -> Submission:
    action = meta.get("action") or "create"
    if action not in ACTIONS:
        raise MalformedSubmission(f"action « {str(action)[:20]} » inconnue : create, edit ou remove")
    for key in ("slug", "reason", "request", HONEYPOT):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise MalformedSubmission(f"« {key} » doit être un texte")
    token = (meta.get("request") or "").strip()
    if token and not TOKEN_RE.match(token):
        raise MalformedSubmission("numéro de demande « request » invalide : renvoyez le formulaire depuis le site")
    return Submission(
        action=typing.cast(Action, action),
        data=data,
        slug=(meta.get("slug") or "").strip() or None,
        reason=(meta.get("reason") or "").strip() or None,
        consent=_truthy(meta.get("consent")),
        honeypot=meta.get(HONEYPOT) or "",
        token=token,
    )


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in ("1", "true", "on", "yes", "oui")


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """{"address.city": "Blois", "products.0.name": "Pain"} → nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in flat.items():
        parts = key.split(".")
        if not all(parts) or len(parts) > 4:
            raise MalformedSubmission(f"nom de champ « {key[:40]} » invalide")
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise MalformedSubmission(f"nom de champ « {key[:40]} » en conflit avec un autre champ")
            node = child
        if isinstance(node.get(parts[-1]), dict):
            raise MalformedSubmission(f"nom de champ « {key[:40]} » en conflit avec un autre champ")
        if isinstance(value, str) and key.endswith(NUMBER_SUFFIXES):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".").removesuffix("€")
        node[parts[-1]] = value
    return _lists(root)


def _lists(node: Any) -> Any:
    """Dicts whose keys are all digits (`products.0`, `products.1`) become lists, in index order."""
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v) for k, v in node.items()}
    if node and all(k.isdigit() and len(k) < 4 for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


def clean(data: Any, key: str | None = None) -> Any:
    """Drop what a form sends for "nothing": empty strings, nulls, product rows left blank (and empty
    points of sale: `key` is the field holding `data`)."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            v = clean(v, k)
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            out[k] = v
        return out
    if isinstance(data, list):
        items = [clean(v) for v in data]
        items = [v for v in items if not (v is None or (isinstance(v, str) and not v.strip()))]
        if key == "points_of_sale":
            return [v for v in items if v != {}]
        return [v for v in items if not (isinstance(v, dict) and not ({"name", "price"} & set(v)))]
    return data


# --- validation -----------------------------------------------------------------------------------------


def field_name(loc: Iterable[Any]) -> str:
    """Form field name for a pydantic loc: ("address", "city") → "address.city";
    items of checkbox lists collapse to the list ("categories", 2) → "categories"."""
    parts = [str(p) for p in loc]
    name = ".".join(parts)
    for lst in LIST_FIELDS:
        if name == lst or name.startswith(lst + "."):
            return lst
    return name or GLOBAL


def field_label(name: str) -> str:
    generic = re.sub(r"\.\d+(?=\.|$)", "", name)
    label = FIELD_LABELS.get(name) or FIELD_LABELS.get(generic)
    if label and generic != name:
        index = re.search(r"\.(\d+)", name)
        label += f" n° {int(index.group(1)) + 1}" if index else ""
    return label or name


def _friendly(message: str, where: tuple[Any, ...] = ()) -> str:
    """« address.city » → « Commune »: the form shows labels, not YAML keys. Names are looked up as
    written, then relative to the enclosing blocks (« order_url » next to « click_and_collect.order »)."""
    scopes = [".".join(str(p) for p in where[:i] if isinstance(p, str)) for i in range(len(where), -1, -1)]

    def repl(m: re.Match) -> str:
        inner = re.sub(r"\[(\d+)\]", r".\1", m.group(1))
        for scope in scopes:
            name = f"{scope}.{inner}" if scope else inner
            if name in FIELD_LABELS or re.sub(r"\.\d+", "", name) in FIELD_LABELS:
                return f"« {field_label(name)} »"
        return m.group(0)

    return re.sub(r"« ([a-z_]+(?:[.\[][a-z_0-9]+\]?)*) »", repl, message)


def field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """French messages keyed by form field name, in the order pydantic found them."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors(include_url=False):
        if err["type"] == "missing":
            loc, message = tuple(err["loc"]), "champ obligatoire : remplissez-le"
        else:
            loc, message, _ = french_message(err)
        errors.setdefault(field_name(loc), []).append(_friendly(message, loc))
    return errors


def validate_merchant(
    data: dict[str, Any], catalog: Any, gazetteer: Any = None, today: dt.date | None = None
) -> tuple[Merchant, list[str]]:
    """The merchant described by `data`, dated `today`; raises SubmissionError with field errors.

    Returns notes for staff: spellings the gazetteer corrected (« st jean de braye » → Saint-Jean-de-Braye).
    """
    data = {**data, "updated": (today or dt.date.today()).isoformat()}
    try:
        merchant = Merchant.model_validate(data, context={"categories": catalog})
    except ValidationError as exc:
        raise SubmissionError(field_errors(exc)) from None
    notes: list[str] = []
    if gazetteer is not None:
        from ccdir.geo.gazetteer import check_address

        verdict = check_address(gazetteer, merchant.address.postcode, merchant.address.city)
        if verdict is not None:
            if verdict.is_error or not verdict.suggestion:
                raise SubmissionError({f"address.{verdict.field}": [verdict.message]})
            notes.append(f"commune corrigée : « {merchant.address.city} » → « {verdict.suggestion} »")
            address = merchant.address.model_copy(update={"city": verdict.suggestion})
            merchant = merchant.model_copy(update={"address": address})
        merchant, errors, corrected = checked_points(gazetteer, merchant)  # the same for each point of sale
        if errors:
            raise SubmissionError(errors)
        notes += corrected
    return merchant, notes


def check_request(sub: Submission) -> None:
    """What a request needs besides a valid merchant: consent, an existing slug, a reason."""
    errors: dict[str, list[str]] = {}
    if sub.action in ("edit", "remove"):
        if not sub.slug:
            errors["slug"] = [
                "identifiant de la fiche manquant : ouvrez le formulaire depuis la page du commerce "
                "(« Modifier cette fiche » ou « Retirer cette fiche »)"
            ]
        elif (msg := check_slug(sub.slug)) is not None:
            errors["slug"] = [msg]
    if sub.action == "remove":
        if not sub.reason or len(sub.reason) < 3:
            errors["reason"] = ["indiquez en quelques mots pourquoi retirer cette fiche (fermeture, doublon…)"]
        elif len(sub.reason) > REASON_MAX:
            errors["reason"] = [f"motif trop long : {REASON_MAX} caractères au plus"]
    elif not sub.consent:
        errors["consent"] = ["cochez la case pour accepter la publication des informations de la fiche"]
    if errors:
        raise SubmissionError(errors)


# --- where the file goes --------------------------------------------------------------------------------


def slug_candidates(merchant: Merchant, limit: int = 200) -> Iterator[str]:
    """File names to try, in order (`ccdir.content.identity.slug_candidates`, shared with the importer)."""
    return identity.slug_candidates(merchant.name, merchant.address.city, merchant.address.postcode, limit)


def folder_for(postcode: str, gazetteer: Any = None) -> str:
    """Sub-folder of content/merchants for a postcode: « 45-loiret », like the demo content."""
    from ccdir.content.listing import dept_of

    communes = gazetteer.by_postcode(postcode) if gazetteer is not None else []
    if communes:
        return f"{communes[0].dept.lower()}-{slugify(communes[0].dept_name)}"
    return dept_of(postcode).lower()


def merchant_path(merchant: Merchant, slug: str, gazetteer: Any = None) -> str:
    """Repository path of a new entry; refuses anything that is not a plain slug."""
    if check_slug(slug) is not None:
        raise ValueError(f"unsafe slug {slug!r}")
    return f"content/merchants/{folder_for(merchant.address.postcode, gazetteer)}/{slug}.yaml"


def same_business(a: Merchant, b: Merchant) -> bool:
    """Two entries for one business, by the rules of `ccdir validate` (`ccdir.content.identity`)."""
    registry: identity.Registry[None] = identity.Registry()
    registry.add(identity.Identity.of(a), None)
    return registry.match(identity.Identity.of(b), slug=False) is not None


def summary_lines(merchant: Merchant, catalog: Any = None) -> list[str]:
    """A few lines describing an entry for staff (pull request body, e-mail)."""
    cats = [catalog[c].label if catalog is not None and c in catalog else c for c in merchant.categories]
    a, c = merchant.address, merchant.contact
    lines = [
        f"**{merchant.name}** — {', '.join(cats)} ({merchant.kind})",
        f"Adresse : {a.street + ', ' if a.street else ''}{a.postcode} {a.city}",
        "Contact : " + ", ".join(v for v in (c.phone, c.email, c.website) if v),
        "Commande : " + ", ".join(merchant.click_and_collect.order),
    ]
    if merchant.siret:
        lines.append(f"SIRET : {merchant.siret}")
    return lines


__all__ = [
    "Submission",
    "SubmissionError",
    "MalformedSubmission",
    "parse_body",
    "from_json",
    "from_form",
    "validate_merchant",
    "check_request",
    "field_errors",
    "field_name",
    "slug_candidates",
    "folder_for",
    "merchant_path",
    "same_business",
    "summary_lines",
    "field_label",
    "FIELD_LABELS",
    "HONEYPOT",
]
