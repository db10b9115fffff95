"""The `github` backend: branch, commit and pull request through GitHub's REST API (httpx).

Calls, per new entry: get the base ref, list the tree, [read a file whose name is taken], look for the
branch, create a tree (with the file's content inline) and a commit, create the branch ref (422 when it
exists: someone else's request), open the pull request, add its labels. On a failure after the branch
exists, the branch is deleted: no half-done request is left behind. Authentication: a token
(`CCDIR_GITHUB_TOKEN`) or a GitHub App (installation token minted from the app's private key).
"""

from __future__ import annotations

import base64
import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from ccdir.intake.bot.backends import BackendError, Head, Review, merchant_files_of, request_of
from ccdir.intake.service import OpenRequest, parse_trailers

API = "https://api.github.com"
UNAVAILABLE = "GitHub, où sont enregistrées les demandes, ne répond pas"
REFUSED = "le service d'inscription est mal configuré (accès à GitHub refusé) ; l'équipe est prévenue"


class GitHubAuth:
    """A token, or a GitHub App's installation token (minted with PyJWT, renewed before it expires)."""

    def __init__(
        self,
        token: str | None = None,
        app_id: str | None = None,
        installation_id: str | None = None,
        private_key: str | None = None,
    ):
        if not token and not (app_id and installation_id and private_key):
            raise ValueError("GitHub backend needs CCDIR_GITHUB_TOKEN or the three CCDIR_GITHUB_APP_* variables")
        self._token = token
        self.app_id, self.installation_id, self._key = app_id, installation_id, private_key
        self._expires = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never print the secret
        return f"GitHubAuth(app_id={self.app_id!r})" if self.app_id else "GitHubAuth(token=***)"

    def token(self, client: httpx.Client) -> str:
        if not self.app_id:
            return self._token or ""
        with self._lock:
            if self._token is None or time.time() > self._expires - 300:
                self._token, self._expires = self._installation_token(client)
            return self._token

    def _installation_token(self, client: httpx.Client) -> tuple[str, float]:
        import jwt  # PyJWT[crypto], only needed for GitHub App credentials

        now = int(time.time())
        assert self._key is not None  # checked in __init__: an app needs its private key
        assertion = jwt.encode(
            {"iat": now - 60, "exp": now + 540, "iss": str(self.app_id)}, self._key, algorithm="RS256"
        )
        resp = _send(
            client,
            "POST",
            f"/app/installations/{self.installation_id}/access_tokens",
            headers={"Authorization": f"Bearer {assertion}"},
        )
        _raise_for(resp, "app token")
        return resp.json()["token"], time.time() + 3600


@dataclass
class GitHubBackend:
    repo: str  # owner/name
    auth: GitHubAuth
    base: str = "main"
    api: str = API
    timeout: float = 15.0
    name: str = "github"
    _client: httpx.Client | None = field(default=None, repr=False)

    @property
    def client(self) -> httpx.Client:
        if self._client is None:  # one pooled client, shared by the request threads (httpx is thread-safe)
            self._client = httpx.Client(
                base_url=self.api.rstrip("/"),
                timeout=self.timeout,
                headers={
                    "Accept": "application/vnd.github+json",
                    "X-GitHub-Api-Version": "2022-11-28",
                    "User-Agent": "ccdir-bot",
                },
            )
        return self._client

    @contextlib.contextmanager
    def session(self) -> Iterator[GitHubSession]:
        yield GitHubSession(self)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _send(client: httpx.Client, method: str, url: str, **kw: Any) -> httpx.Response:
    try:
        return client.request(method, url, **kw)
    except httpx.TimeoutException:
        raise BackendError(UNAVAILABLE + " (délai dépassé)", f"{method} {url}: timeout", 504) from None
    except httpx.HTTPError as exc:
        raise BackendError(UNAVAILABLE, f"{method} {url}: {type(exc).__name__}", 503) from None


def _raise_for(resp: httpx.Response, what: str) -> None:
    if resp.is_success:
        return
    detail = f"{resp.request.method} {resp.request.url.path} ({what}): HTTP {resp.status_code} {_gh_message(resp)}"
    if resp.status_code in (401, 403):
        raise BackendError(REFUSED, detail, 502)
    if resp.status_code >= 500 or resp.status_code == 429:
        raise BackendError(UNAVAILABLE, detail, 503)
    raise BackendError("GitHub a refusé la demande ; l'équipe est prévenue", detail, 502)


def _gh_message(resp: httpx.Response) -> str:
    try:
        return str(resp.json().get("message", ""))[:200]
    except ValueError:
        return ""


class GitHubSession:
    def __init__(self, backend: GitHubBackend):
        self.b = backend
        self.client = backend.client
        self.prefix = f"/repos/{backend.repo}"
        ref = self._call("GET", f"/git/ref/heads/{quote(backend.base)}", "base branch")
        self.head: str = ref.json()["object"]["sha"]
        self._tree: str | None = None

    def _call(self, method: str, path: str, what: str, ok: tuple[int, ...] = (), **kw: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.b.auth.token(self.client)}"}
        resp = _send(self.client, method, self.prefix + path, headers=headers, **kw)
        if resp.status_code not in ok:
            _raise_for(resp, what)
        return resp

    def merchant_files(self) -> dict[str, tuple[str, str]]:
        data = self._call("GET", f"/git/trees/{self.head}", "tree", params={"recursive": "1"}).json()
        self._tree = data.get("sha")
        return merchant_files_of((e["path"], e.get("sha", "")) for e in data.get("tree", []) if e.get("type") == "blob")

    def read_blobs(self, blobs: list[str]) -> dict[str, str]:
        texts = {}
        for blob in blobs:
            data = self._call("GET", f"/git/blobs/{blob}", "read blob").json()
            texts[blob] = base64.b64decode(data["content"]).decode("utf-8", "replace")
        return texts

    def read(self, path: str, ref: str | None = None) -> str | None:
        resp = self._call("GET", f"/contents/{quote(path)}", "read file", ok=(404,), params={"ref": ref or self.head})
        if resp.status_code == 404:
            return None
        return base64.b64decode(resp.json()["content"]).decode("utf-8")

    def open_requests(self) -> list[OpenRequest]:
        """Open pull requests made by the bot (their body ends with the request's trailers)."""
        found = []
        for page in range(1, 11):  # 1,000 open requests at most are looked at
            pulls = self._call(
                "GET", "/pulls", "open pull requests", params={"state": "open", "per_page": "100", "page": str(page)}
            ).json()
            for pr in pulls:
                head = pr.get("head") or {}
                branch = head.get("ref", "") if isinstance(head, dict) else str(head)
                request = request_of(branch, pr.get("body") or "", url=pr.get("html_url"), number=pr.get("number"))
                if request is not None:
                    found.append(request)
            if len(pulls) < 100:
                break
        return found

    def branch_head(self, branch: str) -> Head | None:
        resp = self._call("GET", f"/git/ref/heads/{quote(branch)}", "branch", ok=(404,))
        if resp.status_code == 404:
            return None
        sha = resp.json()["object"]["sha"]
        return Head(sha, parse_trailers(self._call("GET", f"/git/commits/{sha}", "branch commit").json()["message"]))

    def commit(self, changes: dict[str, str | None], message: str) -> str:
        if self._tree is None:
            self._tree = self._call("GET", f"/git/commits/{self.head}", "base commit").json()["tree"]["sha"]
        entries = [
            {
                "path": path,
                "mode": "100644",
                "type": "blob",
                **({"content": text} if text is not None else {"sha": None}),
            }
            for path, text in changes.items()
        ]
        tree = self._call("POST", "/git/trees", "tree", json={"base_tree": self._tree, "tree": entries}).json()["sha"]
        return self._call(
            "POST", "/git/commits", "commit", json={"message": message, "tree": tree, "parents": [self.head]}
        ).json()["sha"]

    def create_branch(self, branch: str, commit: str) -> bool:
        try:
            resp = self._call(
                "POST", "/git/refs", "branch", ok=(422,), json={"ref": f"refs/heads/{branch}", "sha": commit}
            )
        except BackendError as exc:
            if exc.status == 504:  # unknown outcome: remove the branch if it was created with our commit
                with contextlib.suppress(BackendError):
                    self.delete_branch(branch, commit)
            raise
        return resp.status_code != 422

    def delete_branch(self, branch: str, commit: str) -> None:
        resp = self._call("GET", f"/git/ref/heads/{quote(branch)}", "branch", ok=(404,))
        if resp.status_code == 200 and resp.json()["object"]["sha"] == commit:
            self._call("DELETE", f"/git/refs/heads/{quote(branch)}", "delete branch", ok=(422,))

    def open_review(self, branch: str, title: str, body: str, labels: list[str]) -> Review:
        pr = self._call(
            "POST", "/pulls", "pull request", json={"title": title, "head": branch, "base": self.b.base, "body": body}
        ).json()
        if labels:
            with contextlib.suppress(BackendError):  # an unlabelled request is still a complete one
                self._call("POST", f"/issues/{pr['number']}/labels", "labels", json={"labels": labels})
        return Review(pr["html_url"], pr["number"])

    def find_review(self, branch: str) -> Review:
        owner = self.b.repo.split("/", 1)[0]
        pulls = self._call(
            "GET", "/pulls", "find pull request", params={"state": "open", "head": f"{owner}:{branch}"}
        ).json()
        if pulls:
            return Review(pulls[0]["html_url"], pulls[0]["number"])
        return Review()
