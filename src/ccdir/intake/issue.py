"""`ccdir intake`: a GitHub issue made with the « Inscription » issue form → a merchant file.

Used when no bot is configured: the site's form prepares the entry as YAML and opens a prefilled issue
(`.github/ISSUE_TEMPLATE/inscription.yml`); when staff label it as approved, a workflow runs this and
opens a pull request. Same checks as the bot and the build (`ccdir.intake.submission`), same writer.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from pathlib import Path

from ccdir.content import reader
from ccdir.content.config import Project
from ccdir.content.identity import Identity
from ccdir.content.writer import dump_merchant
from ccdir.intake.service import IntakeService, Listing
from ccdir.intake.submission import Action, Submission, SubmissionError, check_request, field_label

# Section titles of the issue form (labels in .github/ISSUE_TEMPLATE/inscription.yml).
ACTION = "Demande"
SLUG = "Identifiant de la fiche"
ENTRY = "Fiche"
REASON = "Motif du retrait"
CONSENT = "Consentement"
ACTIONS = {"inscription": "create", "modification": "edit", "retrait": "remove"}
NO_RESPONSE = "_No response_"


class IntakeError(Exception):
    """What is wrong with the request, in French, with what to change."""


@dataclass
class IntakeResult:
    action: str
    slug: str
    path: str  # relative to the project root


def sections(body: str) -> dict[str, str]:
    """{"Fiche": "…", …}: the `### Title` sections GitHub writes for an issue form."""
    found: dict[str, str] = {}
    title: str | None = None
    lines: list[str] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        m = re.match(r"^###\s+(.+?)\s*$", line)
        if m:
            if title is not None:
                found[title] = "\n".join(lines).strip()
            title, lines = m.group(1), []
        elif title is not None:
            lines.append(line)
    if title is not None:
        found[title] = "\n".join(lines).strip()
    return {k: ("" if v == NO_RESPONSE else v) for k, v in found.items()}


def _unfence(text: str) -> str:
    m = re.match(r"^(`{3,}|~{3,})[^\n]*\n(.*?)\n?\1\s*$", text.strip(), re.S)
    return m.group(2) if m else text


def parse_request(body: str) -> Submission:
    found = sections(body)
    if ENTRY not in found and ACTION not in found:
        raise IntakeError(
            "la demande n'a pas été faite avec le formulaire « Inscription » : il manque les "
            f"rubriques « {ACTION} » et « {ENTRY} » ; créez-la depuis le site (/inscription/)"
        )
    action_text = found.get(ACTION, "Inscription").strip().lower()
    action = ACTIONS.get(action_text)
    if action is None:
        raise IntakeError(
            f"rubrique « {ACTION} » : « {action_text} » inconnu ; choisissez Inscription, Modification ou Retrait"
        )
    data = {}
    if action != "remove":
        text = _unfence(found.get(ENTRY, ""))
        if not text.strip():
            raise IntakeError(f"rubrique « {ENTRY} » vide : collez la fiche préparée par le formulaire du site")
        try:
            doc = reader.parse(text, ENTRY)
        except reader.ReadError as exc:
            raise IntakeError(f"rubrique « {ENTRY} », ligne {exc.line} : {exc.message}") from None
        if not isinstance(doc.data, dict):
            raise IntakeError(f"rubrique « {ENTRY} » : une fiche (des lignes « nom: valeur ») est attendue")
        data = doc.data
        data.pop("updated", None)
    consent = bool(re.search(r"^\s*[-*]\s*\[[xX]\]", found.get(CONSENT, ""), re.M))
    return Submission(
        action=typing.cast(Action, action),
        data=data,
        slug=found.get(SLUG, "").strip() or None,
        reason=found.get(REASON, "").strip() or None,
        consent=consent,
    )


def intake(project: Project, body: str, today: dt.date | None = None) -> IntakeResult:
    """Apply the request in `body` to `project`'s files; returns what was written or deleted."""
    from ccdir.content.loading import check, load_categories, load_gazetteer
    from ccdir.content.scan import merchant_files

    sub = parse_request(body)
    try:
        check_request(sub)
    except SubmissionError as exc:
        raise IntakeError(_describe(exc)) from None
    files = {p.stem: p for p in merchant_files(project.merchants_dir)}
    if sub.action in ("edit", "remove"):
        target = files.get(sub.slug or "")
        if target is None:
            raise IntakeError(
                f"rubrique « {SLUG} » : aucune fiche « {sub.slug} » dans content/merchants ; "
                "recopiez l'identifiant depuis l'adresse de la page (/commercants/<identifiant>/)"
            )
        if sub.action == "remove":
            target.unlink()
            return IntakeResult("remove", target.stem, _rel(project, target))
    gazetteer = load_gazetteer()
    service = IntakeService(load_categories(project), gazetteer)
    try:
        merchant, _ = service.check(sub, today)
    except SubmissionError as exc:
        raise IntakeError(_describe(exc)) from None
    assert merchant is not None
    _, report = check(project, gazetteer=None)
    published = {e.slug: Listing(e.slug, e.path, Identity.of(e.merchant, e.slug)) for e in report.entries}
    for slug in files:  # invalid files keep their names
        published.setdefault(
            slug, Listing(slug, _rel(project, files[slug]), Identity.from_parts(slug, None, "", "", None))
        )
    placement = service.place(sub, merchant, published, [])
    if placement.status == "exists":
        assert placement.match is not None and placement.listing is not None
        why = placement.match.describe(Identity.of(merchant, sub.slug))
        advice = "demandez plutôt une modification" if sub.action == "create" else "vérifiez le nom et le SIRET"
        raise IntakeError(
            f"« {merchant.name} » ({merchant.address.postcode}) a déjà une fiche : "
            f"{placement.listing.path} ({why}) ; {advice}"
        )
    if sub.action == "edit":
        assert target is not None  # found above for an edit
        target.write_text(dump_merchant(merchant), encoding="utf-8")
        return IntakeResult("edit", target.stem, _rel(project, target))
    assert placement.slug is not None and placement.path is not None
    target = project.root / placement.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dump_merchant(merchant), encoding="utf-8")
    return IntakeResult("create", placement.slug, _rel(project, target))


def _describe(exc: SubmissionError) -> str:
    lines = [f"- {field_label(field)} ({field}) : {msg}" for field, msgs in exc.errors.items() for msg in msgs]
    return "la demande est à corriger avant de créer la fiche :\n" + "\n".join(lines)


def _rel(project: Project, path: Path) -> str:
    return path.resolve().relative_to(project.root).as_posix()
