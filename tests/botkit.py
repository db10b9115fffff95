"""Helpers for the bot's tests: a bare git remote made from the demo content, payloads, a live server."""

from __future__ import annotations

import atexit
import contextlib
import functools
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import REPO

SITE = "http://127.0.0.1:8000"


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def make_remote(tmp: Path) -> Path:
    """A bare repository whose `main` holds a copy of the demo content (a copy of one made once per process)."""
    remote = tmp / "remote.git"
    shutil.copytree(_seed_remote(), remote)
    return remote


@functools.cache
def _seed_remote() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="ccdir-seed-remote-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    work = tmp / "seed"
    (work / "content").mkdir(parents=True)
    for src in sorted((REPO / "content").iterdir()):  # merchants, categories, markets, platforms, lexicon…
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / "content" / src.name)
    git("init", "-q", "-b", "main", cwd=work)
    git("add", "-A", cwd=work)
    git("-c", "user.name=seed", "-c", "user.email=seed@example.org", "commit", "-q", "-m", "seed", cwd=work)
    remote = tmp / "remote.git"
    git("clone", "-q", "--bare", str(work), str(remote))
    git("config", "uploadpack.allowFilter", "true", cwd=remote)
    shutil.rmtree(work)
    return remote


def branches(remote: Path) -> dict[str, str]:
    out = git("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads", cwd=remote)
    return dict(line.split() for line in out.splitlines())


def changes(remote: Path, branch: str) -> list[tuple[str, str]]:
    """[(status, path)] of `branch` against main: A added, M modified, D deleted."""
    out = git("diff", "--name-status", "--no-renames", "main", branch, cwd=remote)
    return [tuple(line.split("\t", 1)) for line in out.splitlines()]  # type: ignore[misc]


def show(remote: Path, branch: str, path: str) -> str:
    return git("show", f"{branch}:{path}", cwd=remote)


def merchant(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Fleurs du Mail",
        "kind": "commerce",
        "categories": ["fleuriste"],
        "description": "Bouquets de saison.",
        "address": {"street": "3 rue Royale", "postcode": "45000", "city": "Orléans"},
        "contact": {"phone": "02 38 11 22 33", "email": "bonjour@fleurs-du-mail.example.org"},
        "click_and_collect": {"order": ["phone", "email"], "pickup": "En boutique."},
        "opening_hours": "Mo-Sa 09:00-19:00",
        "products": [{"name": "Bouquet", "price": 20}],
    }
    for key, value in over.items():
        data[key] = value
    return data


def payload(action: str = "create", slug: str | None = None, **merchant_over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"action": action, "consent": True, "merchant": merchant(**merchant_over)}
    if slug:
        body["slug"] = slug
    return body


def git_bot_config(remote: Path | str, **over: Any) -> Any:
    """A bot configuration pushing to `remote`, for a site at SITE, without rate limit unless `over` says."""
    from ccdir.intake.bot.gitremote import GitBackend
    from ccdir.intake.bot.settings import BotConfig

    config = BotConfig(backend=GitBackend(str(remote)), root=REPO, origins=[SITE], site_url=SITE + "/", rate=0)
    for key, value in over.items():
        setattr(config, key, value)
    return config


def git_bot_client(remote: Path | str, **over: Any) -> Any:
    from ccdir.intake.bot.app import create_app

    return asgi_client(create_app(git_bot_config(remote, **over)))


def asgi_client(app: Any) -> Any:
    """Starlette's TestClient (its warning about preferring the `httpx2` fork is not ours to fix)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    return TestClient(app)


@contextlib.contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run `app` with uvicorn on 127.0.0.1 (free port) in a thread; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
