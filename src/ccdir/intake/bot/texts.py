"""What the bot writes for people: pull request bodies for staff, messages for merchants (French)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ccdir.content.model import Merchant
from ccdir.intake.service import OpenRequest
from ccdir.intake.submission import summary_lines

PROCEDURE = "docs/personnel/demandes.md"


def created_message(action: str) -> str:
    return {
        "create": "votre demande d'inscription est enregistrée : elle sera relue puis publiée.",
        "edit": "votre demande de modification est enregistrée : l'équipe vérifie auprès du contact de la fiche "
        "publiée, puis publie la modification.",
        "remove": "votre demande de retrait est enregistrée : la fiche sera retirée après relecture.",
        "conflict": "votre version est jointe à la demande en cours : l'équipe compare les deux.",
    }[action]


def same_content(a: Merchant, b: Merchant) -> bool:
    return a.model_copy(update={"updated": None}) == b.model_copy(update={"updated": None})


def same_contact(a: Merchant, b: Merchant) -> bool:
    """True when `b` gives the phone number or the e-mail address of `a` (compared as written, loosely)."""
    phone_a, phone_b = (re.sub(r"\D", "", m.contact.phone or "")[-9:] for m in (a, b))
    mail_a, mail_b = ((m.contact.email or "").strip().lower() for m in (a, b))
    return bool(phone_a and phone_a == phone_b) or bool(mail_a and mail_a == mail_b)


def claim_body(p: Any, merchant: Merchant, current: Merchant, path: str, label: str, url: str) -> str:
    """A new entry sent for a business that is already published: why staff see it, then both versions."""
    text = (
        f"**Inscription envoyée pour un commerce déjà publié** ({url}). La personne a rempli le formulaire "
        "d'inscription, pas « Modifier cette fiche » ; sa version remplacerait la fiche publiée. "
    )
    if label == "conflit":
        text += (
            "**Ses coordonnées ne sont pas celles de la fiche publiée** : l'une des deux personnes ne représente "
            "peut-être pas le commerce (fiche créée par quelqu'un d'autre, ancien gérant…). Vérifiez qui le "
            "représente avant de fusionner"
        )
    else:
        text += "Elle donne le téléphone ou l'e-mail de la fiche publiée : traitez-la comme une modification"
    return text + f" (procédure : `{PROCEDURE}`).\n\n" + request_body(p, merchant, path, current)


def request_body(p: Any, merchant: Merchant, path: str, current: Merchant | None) -> str:
    """A new entry, or an edit shown next to the published version with the contact on file."""
    verb = "Nouvelle fiche" if current is None and p.submission.action == "create" else "Fiche modifiée"
    text = f"{verb} : `{path}`\n\n" + _lines(merchant, p.catalog)
    if merchant.description:
        text += f"\n> {merchant.description[:300]}\n"
    if current is not None:
        text += "\n**Version publiée aujourd'hui :**\n\n" + _lines(current, p.catalog)
        text += "\n" + _changes(current, merchant) + "\n" + _contact_on_file(current)
    if p.notes:
        text += "\nCorrections automatiques :\n" + "".join(f"- {n}\n" for n in p.notes)
    return text + "\n" + _footer(p)


def removal_body(p: Any, path: str, current: Merchant | None) -> str:
    name = current.name if current else path
    text = f"Demande de **retrait** de la fiche `{path}` ({name}).\n\n**Motif :** {p.submission.reason}\n\n"
    if current is not None:
        text += _contact_on_file(current) + "\n"
    return text + _footer(p)


def conflict_body(
    p: Any, merchant: Merchant, theirs: Merchant | None, listing: Merchant | None, request: OpenRequest
) -> str:
    """Two versions of one business: the open request's and this one, and the contact on file."""
    where = f"[{request.reference}]({request.url})" if request.url else f"`{request.reference}`"
    text = (
        f"**Deux demandes pour le même commerce.** Une demande est déjà ouverte : {where}. Celle-ci en propose "
        "une autre version. Ne fusionnez qu'une des deux, après avoir vérifié qui représente le commerce "
        f"(procédure : `{PROCEDURE}`).\n\n"
    )
    text += "**Version de la demande ouverte :**\n\n" + (_lines(theirs, p.catalog) if theirs else "- (illisible)\n")
    text += "\n**Version de cette demande :**\n\n" + _lines(merchant, p.catalog)
    if theirs is not None:
        text += "\n" + _changes(theirs, merchant)
    if listing is not None:
        text += "\n" + _contact_on_file(listing)
    else:
        text += (
            "\nAucune fiche publiée : appelez les deux contacts ci-dessus (ou vérifiez le SIRET sur "
            "annuaire-entreprises.data.gouv.fr) pour savoir qui représente le commerce.\n"
        )
    return text + "\n" + _footer(p)


def _lines(merchant: Merchant, catalog: Any) -> str:
    return "\n".join(f"- {line}" for line in summary_lines(merchant, catalog)) + "\n"


def _changes(before: Merchant, after: Merchant) -> str:
    """The fields that differ, « avant → après »."""
    a = before.model_dump(mode="json", exclude_none=True, exclude={"updated"})
    b = after.model_dump(mode="json", exclude_none=True, exclude={"updated"})
    rows = []
    for key in sorted(set(_flat(a)) | set(_flat(b))):
        old, new = _flat(a).get(key, "—"), _flat(b).get(key, "—")
        if old != new:
            rows.append(f"| {key} | {_cell(old)} | {_cell(new)} |")
    if not rows:
        return "Aucune différence.\n"
    return "| champ | avant | après |\n| --- | --- | --- |\n" + "\n".join(rows[:40]) + "\n"


def _flat(data: Any, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out.update(_flat(v, f"{prefix}{k}."))
    elif isinstance(data, list) and any(isinstance(v, dict) for v in data):
        for i, v in enumerate(data):
            out.update(_flat(v, f"{prefix}{i}."))
    else:
        out[prefix.rstrip(".")] = ", ".join(map(str, data)) if isinstance(data, list) else str(data)
    return out


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")[:120]


def _contact_on_file(merchant: Merchant) -> str:
    c = merchant.contact
    known = ", ".join(v for v in (c.phone, c.email, c.website) if v) or "aucun"
    return (
        f"**Contact de la fiche publiée :** {known} — avant de fusionner, confirmez la demande auprès de ce "
        "contact (pas de celui de la demande).\n"
    )


def _footer(p: Any) -> str:
    day = (p.today or dt.date.today()).isoformat()
    return (
        f"Demande envoyée par le formulaire du site le {day}. Avant de fusionner : vérifiez que la demande est "
        "sérieuse (n'importe qui peut en envoyer une, sans compte) ; la vérification automatique de la fiche "
        f"tourne sur cette branche. Procédure : `{PROCEDURE}`."
    )
