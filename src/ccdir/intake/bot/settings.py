"""Bot configuration from environment variables (documented in docs/bot.md and the README)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ccdir.intake.bot.siret import API, SiretLookup


class ConfigError(Exception):
    """A missing or wrong environment variable; the message names it and says how to fix it."""


@dataclass
class BotConfig:
    backend: Any  # GitBackend | GitHubBackend
    root: Path = Path(".")
    origins: list[str] = field(default_factory=list)
    site_url: str = ""
    max_bytes: int = 64 * 1024
    rate: int = 10  # submissions per IP and window; 0 = no limit
    window: float = 3600.0
    trust_proxy: bool = False
    labels: list[str] = field(default_factory=lambda: ["à relire"])
    contact: str = ""
    body_seconds: float = 20.0  # a request body must arrive within this
    siret_lookup: Any = None  # SiretLookup, or None: /siret/<n> answers 503 and the form only validates

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, root: Path | None = None) -> BotConfig:
        env = os.environ if env is None else env
        from ccdir.content.config import Project

        project = Project.load(Path(env.get("CCDIR_BOT_ROOT", root or ".")))
        site_url = env.get("CCDIR_BOT_SITE_URL") or project.settings.base_url
        origins = [o.strip().rstrip("/") for o in env.get("CCDIR_BOT_ORIGINS", "").split(",") if o.strip()]
        if not origins:
            parts = urlsplit(site_url)
            origins = [f"{parts.scheme}://{parts.netloc}"]
        rate, window = _rate(env.get("CCDIR_BOT_RATE", "10/3600"))
        return cls(
            backend=make_backend(env),
            root=project.root,
            origins=origins,
            site_url=site_url,
            max_bytes=_int(env, "CCDIR_BOT_MAX_BYTES", 64 * 1024),
            rate=rate,
            window=window,
            trust_proxy=env.get("CCDIR_BOT_TRUST_PROXY", "") in ("1", "true", "yes"),
            labels=[x.strip() for x in env.get("CCDIR_BOT_LABELS", "à relire").split(",") if x.strip()],
            contact=env.get("CCDIR_BOT_CONTACT") or project.settings.contact_email or "",
            body_seconds=float(_int(env, "CCDIR_BOT_BODY_SECONDS", 20)),
            siret_lookup=_siret_lookup(env.get("CCDIR_BOT_SIRET_API", "")),
        )


def _siret_lookup(raw: str) -> Any:
    """CCDIR_BOT_SIRET_API: empty = the public « Recherche d'entreprises » API; « off » = no lookup."""
    if raw.strip().lower() in ("off", "0", "non", "no"):
        return None
    return SiretLookup(raw.strip() or API)


def make_backend(env: Mapping[str, str]) -> Any:
    kind = env.get("CCDIR_BOT_BACKEND", "")
    base = env.get("CCDIR_BOT_BASE_BRANCH", "main")
    if kind == "git":
        from ccdir.intake.bot.gitremote import GitBackend

        remote = _need(
            env, "CCDIR_GIT_REMOTE", "l'adresse du dépôt, par exemple https://gitlab.example.org/cci/annuaire.git"
        )
        return GitBackend(
            remote,
            base,
            review_url=env.get("CCDIR_GIT_REVIEW_URL", ""),
            author_name=env.get("CCDIR_GIT_AUTHOR_NAME", "ccdir"),
            author_email=env.get("CCDIR_GIT_AUTHOR_EMAIL", "ccdir@localhost"),
            timeout=float(_int(env, "CCDIR_GIT_TIMEOUT", 60)),
        )
    if kind == "github":
        from ccdir.intake.bot.github import API, GitHubAuth, GitHubBackend

        repo = _need(env, "CCDIR_GITHUB_REPO", "propriétaire/dépôt, par exemple region-cvl/annuaire")
        key = env.get("CCDIR_GITHUB_APP_PRIVATE_KEY") or _read(env.get("CCDIR_GITHUB_APP_PRIVATE_KEY_FILE"))
        try:
            auth = GitHubAuth(
                env.get("CCDIR_GITHUB_TOKEN"),
                env.get("CCDIR_GITHUB_APP_ID"),
                env.get("CCDIR_GITHUB_APP_INSTALLATION_ID"),
                key,
            )
        except ValueError:
            raise ConfigError(
                "CCDIR_GITHUB_TOKEN manquant : donnez un jeton (droits contents et pull requests en "
                "écriture) ou CCDIR_GITHUB_APP_ID, CCDIR_GITHUB_APP_INSTALLATION_ID et "
                "CCDIR_GITHUB_APP_PRIVATE_KEY(_FILE)"
            ) from None
        return GitHubBackend(
            repo, auth, base, api=env.get("CCDIR_GITHUB_API", API), timeout=float(_int(env, "CCDIR_GITHUB_TIMEOUT", 15))
        )
    what = f"vaut « {kind} »" if kind else "manquant"
    raise ConfigError(f"CCDIR_BOT_BACKEND {what} : indiquez « git » ou « github »")


def _need(env: Mapping[str, str], name: str, what: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} manquant : {what}")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigError(f"{name} vaut « {raw} » : un nombre entier est attendu")
    return int(raw)


def _rate(raw: str) -> tuple[int, float]:
    count, _, seconds = raw.partition("/")
    if not count.strip().isdigit() or (seconds and not seconds.strip().isdigit()):
        raise ConfigError(
            f"CCDIR_BOT_RATE vaut « {raw} » : écrivez « demandes/secondes », par exemple 10/3600 (0 : pas de limite)"
        )
    return int(count), float(seconds or 3600)


def _read(path: str | None) -> str | None:
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"CCDIR_GITHUB_APP_PRIVATE_KEY_FILE : lecture de {path} impossible ({exc.strerror})"
        ) from None
