"""A local stand-in for the part of GitHub's REST API the bot calls; records every request.

Holds one repository in memory (refs, commits, trees as {path: text}), checks the bearer token, and can
be told to fail a call (`stub.fail["POST /pulls"] = 500`, or "timeout" to answer too late, or
"slow" to do the work and then answer too late).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

OWNER, NAME = "region", "annuaire"
PREFIX = f"/repos/{OWNER}/{NAME}"


def _blob(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


def _sha(data: Any) -> str:
    return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    auth: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path.removeprefix(PREFIX)}"


@dataclass
class GitHubStub:
    files: dict[str, str]
    token: str = "tok"
    public_key: Any = None  # PEM of a GitHub App's key: enables /app/installations/…/access_tokens
    calls: list[Call] = field(default_factory=list)
    fail: dict[str, Any] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    commits: dict[str, dict[str, Any]] = field(default_factory=dict)
    trees: dict[str, dict[str, str]] = field(default_factory=dict)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 1.0

    def __post_init__(self) -> None:
        tree = self._tree(dict(self.files))
        head = self._commit({"message": "seed", "tree": tree, "parents": []})
        self.refs["heads/main"] = head
        self.head = head

    def _tree(self, files: dict[str, str]) -> str:
        sha = _sha(files)
        self.trees[sha] = files
        return sha

    def _commit(self, data: dict[str, Any]) -> str:
        sha = _sha(data)
        self.commits[sha] = data
        return sha

    def keys(self) -> list[str]:
        return [c.key for c in self.calls]

    def branch_files(self, branch: str) -> dict[str, str]:
        return self.trees[self.commits[self.refs[f"heads/{branch}"]]["tree"]]

    # --- the app -------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        async def handle(request: Request) -> Response:
            raw = await request.body()
            call = Call(
                request.method,
                request.url.path,
                dict(request.query_params),
                json.loads(raw) if raw else None,
                request.headers.get("authorization", ""),
            )
            self.calls.append(call)
            failure = self.fail.get(call.key) or next(
                (v for k, v in self.fail.items() if k.endswith("*") and call.key.startswith(k[:-1])), None
            )
            if failure == "timeout":
                await asyncio.sleep(self.delay)
                return JSONResponse({"message": "late"}, 504)
            if isinstance(failure, int):
                return JSONResponse({"message": f"stub failure {failure}"}, failure)
            if call.path.startswith("/app/installations/"):
                return self._app_token(call)
            if call.auth != f"Bearer {self.token}":
                return JSONResponse({"message": "Bad credentials"}, 401)
            response = self._route(call)
            if failure == "slow":
                await asyncio.sleep(self.delay)
            return response

        return Starlette(routes=[Route("/{path:path}", handle, methods=["GET", "POST", "DELETE", "PATCH"])])

    def _app_token(self, call: Call) -> Response:
        import jwt

        try:
            claims = jwt.decode(call.auth.removeprefix("Bearer "), self.public_key, algorithms=["RS256"])
        except jwt.PyJWTError as exc:
            return JSONResponse({"message": f"bad JWT: {exc}"}, 401)
        assert claims["iss"] == "12345"
        return JSONResponse({"token": self.token, "expires_at": "2099-01-01T00:00:00Z"}, 201)

    def _route(self, call: Call) -> Response:
        path, body = call.path.removeprefix(PREFIX), call.body
        if call.method == "GET" and path.startswith("/git/ref/"):
            sha = self.refs.get(path.removeprefix("/git/ref/"))
            if sha is None:
                return JSONResponse({"message": "Not Found"}, 404)
            return JSONResponse(
                {"ref": "refs/" + path.removeprefix("/git/ref/"), "object": {"sha": sha, "type": "commit"}}
            )
        if call.method == "GET" and path.startswith("/git/trees/"):
            commit = self.commits[path.removeprefix("/git/trees/")]
            files = self.trees[commit["tree"]]
            assert call.query.get("recursive") == "1"
            return JSONResponse(
                {
                    "sha": commit["tree"],
                    "truncated": False,
                    "tree": [
                        {"path": p, "type": "blob", "mode": "100644", "sha": _blob(files[p])} for p in sorted(files)
                    ],
                }
            )
        if call.method == "GET" and path.startswith("/git/blobs/"):
            sha = path.removeprefix("/git/blobs/")
            text = next((t for files in self.trees.values() for t in files.values() if _blob(t) == sha), None)
            if text is None:
                return JSONResponse({"message": "Not Found"}, 404)
            return JSONResponse({"sha": sha, "encoding": "base64", "content": base64.b64encode(text.encode()).decode()})
        if call.method == "GET" and path.startswith("/git/commits/"):
            commit = self.commits.get(path.removeprefix("/git/commits/"))
            if commit is None:
                return JSONResponse({"message": "Not Found"}, 404)
            return JSONResponse({"message": commit["message"], "tree": {"sha": commit["tree"]}})
        if call.method == "GET" and path.startswith("/contents/"):
            ref = call.query["ref"]
            files = self.trees[self.commits[self.refs.get(f"heads/{ref}", ref)]["tree"]]
            text = files.get(path.removeprefix("/contents/"))
            if text is None:
                return JSONResponse({"message": "Not Found"}, 404)
            return JSONResponse({"encoding": "base64", "content": base64.b64encode(text.encode()).decode()})
        if call.method == "POST" and path == "/git/trees":
            files = dict(self.trees[body["base_tree"]])
            for entry in body["tree"]:
                if entry.get("sha", "") is None:
                    files.pop(entry["path"], None)
                else:
                    files[entry["path"]] = entry["content"]
            return JSONResponse({"sha": self._tree(files)}, 201)
        if call.method == "POST" and path == "/git/commits":
            return JSONResponse({"sha": self._commit(body)}, 201)
        if call.method == "POST" and path == "/git/refs":
            ref = body["ref"].removeprefix("refs/")
            if ref in self.refs:
                return JSONResponse({"message": "Reference already exists"}, 422)
            self.refs[ref] = body["sha"]
            return JSONResponse({"ref": body["ref"], "object": {"sha": body["sha"]}}, 201)
        if call.method == "DELETE" and path.startswith("/git/refs/"):
            self.refs.pop(path.removeprefix("/git/refs/"), None)
            for pr in self.pulls:
                if f"heads/{pr['head']}" not in self.refs:
                    pr["state"] = "closed"
            return Response(status_code=204)
        if call.method == "POST" and path == "/pulls":
            if f"heads/{body['head']}" not in self.refs:
                return JSONResponse({"message": "Validation Failed"}, 422)
            number = len(self.pulls) + 1
            pr = {
                **body,
                "number": number,
                "state": "open",
                "labels": [],
                "html_url": f"https://github.com/{OWNER}/{NAME}/pull/{number}",
            }
            self.pulls.append(pr)
            return JSONResponse(pr, 201)
        if call.method == "GET" and path == "/pulls":
            owner, _, branch = call.query.get("head", f"{OWNER}:").partition(":")
            found = [
                {**p, "head": {"ref": p["head"]}}
                for p in self.pulls
                if (not branch or p["head"] == branch)
                and p["state"] == call.query.get("state", "open")
                and owner == OWNER
            ]
            page, size = int(call.query.get("page", "1")), int(call.query.get("per_page", "30"))
            return JSONResponse(found[(page - 1) * size : page * size])
        if call.method == "POST" and path.startswith("/issues/") and path.endswith("/labels"):
            number = int(path.split("/")[2])
            self.pulls[number - 1]["labels"] += body["labels"]
            return JSONResponse([{"name": n} for n in self.pulls[number - 1]["labels"]])
        return JSONResponse({"message": f"stub: no route {call.key}"}, 404)


def repo_files(repo: Path) -> dict[str, str]:
    """The demo content as the stub's `main` branch."""
    content = repo / "content"
    files = {
        f"content/{p.relative_to(content).as_posix()}": p.read_text(encoding="utf-8")
        for p in sorted(content.rglob("*.yaml"))
    }
    return files
