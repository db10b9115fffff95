"""The bot's ASGI application (Starlette): `POST /submit`, `POST /check`, `GET /health`.

Answers JSON to the form's script, and a small French HTML page to the same form posted without
JavaScript. Every refusal says what to fix; nothing about the server (tokens, remote URL, stack
traces) is ever sent back.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ccdir.content.fieldtypes import Siret
from ccdir.content.writer import dump_merchant
from ccdir.intake.bot.backends import BackendError, Outcome, Proposal
from ccdir.intake.bot.placing import look, propose
from ccdir.intake.bot.safety import (
    Gone,
    Outcomes,
    RateLimiter,
    TooLarge,
    TooSlow,
    client_ip,
    network_key,
    origin_allowed,
    read_body,
)
from ccdir.intake.bot.settings import BotConfig
from ccdir.intake.bot.siret import LookupUnavailable
from ccdir.intake.service import IntakeService, PublishedIndex
from ccdir.intake.submission import FIELD_LABELS, MalformedSubmission, Submission, SubmissionError, parse_body

log = logging.getLogger("ccdir.intake.bot")


_SIRET = TypeAdapter(Siret)


def siret_problem(number: str) -> str | None:
    """The model's French message for a SIRET, or None when it is valid."""
    try:
        _SIRET.validate_python(number)
    except ValidationError as exc:
        return str(exc.errors(include_url=False)[0]["msg"])
    return None


class Refusal(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        outcome: str = "refused",
    ):
        self.status, self.message, self.errors, self.headers = status, message, errors, headers or {}
        self.outcome = outcome


def create_app(config: BotConfig) -> Starlette:
    from ccdir.content.config import Project
    from ccdir.content.loading import load_categories, load_gazetteer

    project = Project.load(config.root)
    catalog = load_categories(project)
    gazetteer = load_gazetteer()
    service = IntakeService(catalog, gazetteer)
    index = PublishedIndex()  # parsed published files, by blob id, shared by the requests
    submit_limit = RateLimiter(config.rate, config.window)
    check_limit = RateLimiter(config.rate * 20, config.window)
    contact = f" ou écrivez à {config.contact}" if config.contact else ""

    outcomes = Outcomes()

    def record(endpoint: str, outcome: str, reference: str | None = None) -> None:
        """One log line and one count per answer (no address, no personal data in the log)."""
        outcomes.count(f"{endpoint}.{outcome}")
        log.info("%s %s%s", endpoint, outcome, f" {reference}" if reference else "")

    async def accept(request: Request, limiter: RateLimiter) -> Submission:
        if not origin_allowed(request, config.origins):
            raise Refusal(403, "demande refusée : elle ne vient pas du formulaire du site", outcome="forbidden")
        allowed, wait = limiter.allow(network_key(client_ip(request, config.trust_proxy)))
        if not allowed:
            minutes = max(1, round(wait / 60))
            raise Refusal(
                429,
                f"trop de demandes depuis votre connexion : réessayez dans {minutes} minute(s){contact}",
                headers={"Retry-After": str(wait)},
                outcome="rate_limited",
            )
        try:
            body = await read_body(request, config.max_bytes, config.body_seconds)
        except TooLarge:
            raise Refusal(
                413,
                f"demande trop volumineuse ({config.max_bytes // 1024} Kio au plus) : "
                "raccourcissez la présentation ou la liste des produits",
                outcome="too_large",
            ) from None
        except TooSlow:
            raise Refusal(
                408,
                "la demande est arrivée trop lentement : vérifiez votre connexion et renvoyez le "
                "formulaire (rien n'a été enregistré)",
                outcome="too_slow",
            ) from None
        except Gone:
            raise Refusal(400, "demande interrompue : renvoyez le formulaire", outcome="disconnected") from None
        try:
            sub = parse_body(body, request.headers.get("content-type", ""))
        except MalformedSubmission as exc:
            raise Refusal(400, str(exc), outcome="malformed") from None
        if sub.is_spam:
            raise Refusal(
                400,
                "demande refusée : le champ « Ne remplissez pas ce champ » doit rester vide "
                f"(il sert à écarter les robots){contact}",
                outcome="spam",
            )
        return sub

    def checked(sub: Submission) -> Proposal:
        try:
            merchant, notes = service.check(sub, dt.date.today())
        except SubmissionError as exc:
            raise Refusal(422, "certaines informations sont à corriger", exc.errors, outcome="invalid") from None
        return Proposal(
            sub, merchant, notes, catalog, gazetteer, config.site_url, list(config.labels), dt.date.today(), index
        )

    async def submit(request: Request) -> Response:
        try:
            proposal = checked(await accept(request, submit_limit))
            outcome: Outcome = await run_in_threadpool(propose, config.backend, proposal)
        except Refusal as exc:
            record("submit", exc.outcome)
            return _refusal(request, exc)
        except BackendError as exc:
            log.error("backend %s failed: %s", config.backend.name, exc.detail)
            record("submit", "backend_error")
            return _refusal(
                request,
                Refusal(
                    exc.status,
                    f"votre demande n'a pas pu être enregistrée : {exc.message}. "
                    f"Rien n'a été envoyé ; réessayez dans quelques minutes{contact}.",
                ),
            )
        record("submit", outcome.status, outcome.conflict or outcome.reference)
        return _answer(
            request, outcome.http_status, {"status": outcome.status, **outcome.as_json()}, outcome.message, outcome
        )

    async def check(request: Request) -> Response:
        try:
            proposal = checked(await accept(request, check_limit))
        except Refusal as exc:
            record("check", exc.outcome)
            return _refusal(request, exc)
        data: dict[str, Any] = {"status": "ok", "notes": proposal.notes}
        if proposal.merchant is not None:
            data["merchant"] = proposal.merchant.model_dump(mode="json", exclude_none=True)
            data["yaml"] = dump_merchant(proposal.merchant)
        try:  # where /submit would put it (published? already asked for?), nothing written
            data["placement"] = await run_in_threadpool(look, config.backend, proposal)
        except BackendError as exc:
            log.warning("check: backend %s failed: %s", config.backend.name, exc.detail)
            data["placement"] = {
                "status": "unknown",
                "message": "impossible de vérifier pour l'instant si ce commerce a déjà une fiche ou une demande "
                "en cours ; vous pouvez quand même envoyer le formulaire.",
            }
        record("check", "ok", data["placement"]["status"])
        return JSONResponse(data)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def siret(request: Request) -> Response:
        """Name, address and NAF code of an establishment, to fill the form (optional: 503 when offline)."""
        number = "".join(request.path_params["number"].split()).replace(".", "")
        if not origin_allowed(request, config.origins):
            record("siret", "forbidden")
            return JSONResponse({"status": "error", "message": "demande refusée"}, status_code=403)
        allowed, wait = check_limit.allow(network_key(client_ip(request, config.trust_proxy)))
        if not allowed:
            record("siret", "rate_limited")
            return JSONResponse(
                {"status": "error", "message": "trop de demandes : réessayez plus tard"},
                status_code=429,
                headers={"Retry-After": str(wait)},
            )
        problem = siret_problem(number)
        if problem:
            record("siret", "invalid")
            return JSONResponse({"status": "invalid", "message": problem}, status_code=400)
        if config.siret_lookup is None:
            record("siret", "disabled")
            return JSONResponse({"status": "unavailable", "message": "recherche par SIRET désactivée"}, status_code=503)
        try:
            found = await run_in_threadpool(config.siret_lookup.lookup, number)
        except LookupUnavailable as exc:
            log.warning("siret lookup failed: %s", exc)
            record("siret", "unavailable")
            return JSONResponse(
                {
                    "status": "unavailable",
                    "message": "l'annuaire des entreprises ne répond pas : remplissez le formulaire vous-même",
                },
                status_code=503,
            )
        if found is None:
            record("siret", "not_found")
            return JSONResponse(
                {
                    "status": "not_found",
                    "message": f"aucun établissement « {number} » dans l'annuaire des entreprises : vérifiez le numéro",
                },
                status_code=404,
            )
        record("siret", "found")
        return JSONResponse({"status": "found", **found})

    async def metrics(request: Request) -> Response:
        """Counts of answers by endpoint and outcome since the process started (JSON)."""
        return JSONResponse({"outcomes": outcomes.snapshot(), "rate_limited_clients": len(submit_limit)})

    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=config.origins,
            allow_methods=["POST", "GET"],
            allow_headers=["Content-Type"],
            max_age=3600,
        )
    ]
    routes = [
        Route("/submit", submit, methods=["POST"]),
        Route("/check", check, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route("/siret/{number}", siret, methods=["GET"]),
    ]
    app = Starlette(routes=routes, middleware=middleware)
    app.state.config = config
    app.state.outcomes = outcomes
    return app


def _wants_html(request: Request) -> bool:
    ctype = request.headers.get("content-type", "")
    return ctype.startswith("application/x-www-form-urlencoded") and "text/html" in request.headers.get("accept", "")


def _refusal(request: Request, exc: Refusal) -> Response:
    data: dict[str, Any] = {"status": "error" if exc.status != 422 else "invalid", "message": exc.message}
    if exc.errors:
        data["errors"] = exc.errors
    response = _answer(request, exc.status, data, exc.message)
    response.headers.update(exc.headers)
    return response


def _answer(
    request: Request, status: int, data: dict[str, Any], message: str, outcome: Outcome | None = None
) -> Response:
    if not _wants_html(request):
        return JSONResponse(data, status_code=status)
    e = html.escape
    items = "".join(
        f"<li><strong>{e(FIELD_LABELS.get(k, k))}</strong> : {e(m)}</li>"
        for k, msgs in (data.get("errors") or {}).items()
        for m in msgs
    )
    ok = status < 300
    claimed = outcome is not None and outcome.status == "exists" and outcome.reference  # sent to staff
    title = "Merci, votre demande est bien arrivée" if ok else "Votre demande n’a pas été enregistrée"
    if outcome is not None and outcome.status == "exists":
        title = "Ce commerce a déjà une fiche"
    parts = [f"<h1>{title}</h1>", f"<p>{e(message[:1].upper() + message[1:])}</p>"]
    if items:
        parts.append(f"<ul>{items}</ul>")
    if outcome is not None and outcome.reference:
        parts.append(f"<p>Référence à conserver : <strong>{e(outcome.reference)}</strong></p>")
    if outcome is not None and outcome.url:
        label = "Voir la fiche publiée" if outcome.status == "exists" else "Suivre la demande"
        parts.append(f'<p><a href="{e(outcome.url)}">{label}</a></p>')
    if outcome is not None and outcome.edit_url:
        parts.append(f'<p><a href="{e(outcome.edit_url)}">Modifier cette fiche</a></p>')
    if not ok and not claimed:
        parts.append(
            "<p>Revenez à la page précédente (bouton « Retour » du navigateur) pour corriger : "
            "vos réponses y sont encore.</p>"
        )
    page = (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>Inscription</title></head><body><main>'
        + "".join(parts)
        + "</main></body></html>"
    )
    return HTMLResponse(page, status_code=status)


def run(host: str, port: int, root: str | None = None, workers: int = 1) -> None:
    """`ccdir bot`: read the environment, then serve with uvicorn (several workers share nothing)."""
    import os

    import uvicorn

    from ccdir.intake.bot.settings import BotConfig

    if root:
        os.environ["CCDIR_BOT_ROOT"] = root
    BotConfig.from_env()  # fail now, in French, rather than in every worker
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Slow or idle clients are cut: idle keep-alive after 5 s, request headers capped at 16 KiB, a body
    # that takes more than CCDIR_BOT_BODY_SECONDS is answered 408 (read_body), at most 200 connections.
    uvicorn.run(
        "ccdir.intake.bot.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        server_header=False,
        log_level="info",
        access_log=False,  # no IPs in logs
        timeout_keep_alive=5,
        limit_concurrency=200,
        h11_max_incomplete_event_size=16 * 1024,
        timeout_graceful_shutdown=30,
    )


def app_from_env() -> Starlette:
    from ccdir.intake.bot.settings import BotConfig

    return create_app(BotConfig.from_env())
