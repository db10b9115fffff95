"""The `git` backend: commit on a new branch and push it to any git remote (GitLab, Gitea, a bare repo).

Each request works in its own fresh, shallow, bare clone in a temporary folder (no working tree, no
shared state): commits are built with git's plumbing (`hash-object`, `update-index`, `write-tree`,
`commit-tree`) in a private index, and the branch is created with a push that refuses to overwrite an
existing branch (`--force-with-lease=<branch>:` with an empty expected value = "must not exist").
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ccdir.intake.bot.backends import REQUEST_PREFIXES, BackendError, Head, Review, merchant_files_of, request_of
from ccdir.intake.service import OpenRequest, parse_trailers

_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]+@")
UNAVAILABLE = "le dépôt des fiches ne répond pas"


def redact(text: str) -> str:
    """Remove user:password@ from URLs in git's messages."""
    return _CREDENTIALS.sub("***@", text)


@dataclass
class GitBackend:
    """Push branches to `remote` (a URL or a local path); `review_url` may contain {branch}."""

    remote: str
    base: str = "main"
    review_url: str = ""
    author_name: str = "ccdir"
    author_email: str = "ccdir@localhost"
    timeout: float = 60.0
    name: str = "git"
    # Head commit messages of request branches, by commit id (immutable), shared by this process's requests.
    messages: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @property
    def remote_url(self) -> str:
        # A plain path is cloned by copying files, which ignores --depth: use file:// instead.
        if "://" not in self.remote and not re.match(r"^[\w.-]+@[\w.-]+:", self.remote):
            return Path(self.remote).resolve().as_uri()
        return self.remote

    @contextlib.contextmanager
    def session(self) -> Iterator[GitSession]:
        tmp = Path(tempfile.mkdtemp(prefix="ccdir-bot-"))
        try:
            yield GitSession(self, tmp)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class GitSession:
    def __init__(self, backend: GitBackend, tmp: Path):
        self.b = backend
        self.tmp = tmp
        self.repo = tmp / "repo.git"
        self.env = {
            **os.environ,
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_INDEX_FILE": str(tmp / "index"),
            "GIT_AUTHOR_NAME": backend.author_name,
            "GIT_AUTHOR_EMAIL": backend.author_email,
            "GIT_COMMITTER_NAME": backend.author_name,
            "GIT_COMMITTER_EMAIL": backend.author_email,
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
        }
        self._git(
            "clone",
            "--quiet",
            "--bare",
            "--depth",
            "1",
            "--filter=blob:none",
            "--single-branch",
            "--branch",
            backend.base,
            backend.remote_url,
            str(self.repo),
            cwd=tmp,
        )
        self.head = self._git("rev-parse", "HEAD").strip()

    def _git(self, *args: str, cwd: Path | None = None, input: str | None = None, check: bool = True) -> str:
        try:
            proc = subprocess.run(
                ["git", *args],
                cwd=cwd or self.repo,
                env=self.env,
                input=input,
                text=True,
                capture_output=True,
                timeout=self.b.timeout,
            )
        except subprocess.TimeoutExpired:
            raise BackendError(UNAVAILABLE + " (délai dépassé)", f"git {args[0]} timed out", 504) from None
        if check and proc.returncode != 0:
            raise BackendError(UNAVAILABLE, f"git {args[0]} failed: {redact(proc.stderr.strip())[:500]}", 502)
        self.last = proc
        return proc.stdout

    def merchant_files(self) -> dict[str, tuple[str, str]]:
        out = self._git("ls-tree", "-r", "-z", "HEAD", "--", "content/merchants")
        pairs = []
        for line in out.split("\0"):
            if line:
                meta, _, path = line.partition("\t")
                pairs.append((path, meta.split()[2]))
        return merchant_files_of(pairs)

    def read_blobs(self, blobs: list[str]) -> dict[str, str]:
        """One fetch for every missing blob (the clone has none), then one `cat-file --batch`."""
        if not blobs:
            return {}
        self._git(
            "-c",
            "fetch.negotiationAlgorithm=noop",
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--filter=blob:none",
            "--stdin",
            self.b.remote_url,
            input="\n".join(blobs) + "\n",
        )
        out = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=self.repo,
            env=self.env,
            capture_output=True,
            input=("\n".join(blobs) + "\n").encode(),
            timeout=self.b.timeout,
        ).stdout
        texts: dict[str, str] = {}
        pos = 0
        while pos < len(out):
            header_end = out.index(b"\n", pos)
            oid, kind, *size = out[pos:header_end].decode().split()
            pos = header_end + 1
            if kind == "missing" or not size:
                continue
            n = int(size[0])
            texts[oid] = out[pos : pos + n].decode("utf-8", "replace")
            pos += n + 1
        return texts

    def read(self, path: str, ref: str | None = None) -> str | None:
        rev = "HEAD"
        if ref:
            if self.branch_head(ref) is None:
                return None
            rev = "FETCH_HEAD"
        out = self._git("cat-file", "blob", f"{rev}:{path}", check=False)
        return out if self.last.returncode == 0 else None

    def open_requests(self) -> list[OpenRequest]:
        """Every request branch: listed with `ls-remote`; the head commits not seen yet by this process are
        fetched (depth 1, no file contents) and their messages kept, by commit id, for the next requests."""
        listed = self._git("ls-remote", "--heads", self.b.remote_url, *(f"refs/heads/{p}/*" for p in REQUEST_PREFIXES))
        heads = [tuple(line.split("\t", 1)) for line in listed.splitlines() if "\t" in line]
        messages = self.b.messages
        missing: list[tuple[str, ...]] = [(commit, ref) for commit, ref in heads if commit not in messages]
        if len(messages) > 20_000:  # bounded: forget them all, the next listing reads them again
            messages.clear()
            missing = heads
        if missing:
            specs = [f"+{ref}:refs/requests/{ref.removeprefix('refs/heads/')}" for _, ref in missing]
            self._git("fetch", "--quiet", "--no-tags", "--depth", "1", "--filter=blob:none", self.b.remote_url, *specs)
            out = self._git("show", "-s", "--format=%H%x00%B%x00%x00", *(commit for commit, _ in missing))
            for record in out.split("\0\0"):
                commit, _, message = record.lstrip("\n").partition("\0")
                if commit:
                    messages[commit] = message
        found = []
        for commit, ref in heads:
            branch = ref.removeprefix("refs/heads/")
            request = request_of(branch, messages.get(commit, ""), commit=commit, url=self._review_url(branch))
            if request is not None:
                found.append(request)
        return found

    def _review_url(self, branch: str) -> str | None:
        return self.b.review_url.format(branch=branch) if self.b.review_url else None

    def branch_head(self, branch: str) -> Head | None:
        self._git(
            "fetch",
            "--quiet",
            "--depth",
            "1",
            "--filter=blob:none",
            self.b.remote_url,
            f"refs/heads/{branch}",
            check=False,
        )
        if self.last.returncode != 0:
            if "couldn't find remote ref" in self.last.stderr:
                return None
            raise BackendError(UNAVAILABLE, f"git fetch failed: {redact(self.last.stderr.strip())[:500]}")
        commit = self._git("rev-parse", "FETCH_HEAD").strip()
        return Head(commit, parse_trailers(self._git("log", "-1", "--format=%B", "FETCH_HEAD")))

    def commit(self, changes: dict[str, str | None], message: str) -> str:
        self._git("read-tree", "HEAD")
        lines = []
        for path, text in changes.items():
            if text is None:  # mode 0 removes the path from the index
                lines.append(f"0 {'0' * 40}\t{path}\n")
            else:
                blob = self._git("hash-object", "-w", "--stdin", input=text).strip()
                lines.append(f"100644 {blob}\t{path}\n")
        self._git("update-index", "--index-info", input="".join(lines))
        tree = self._git("write-tree", "--missing-ok").strip()  # the base tree's blobs were never fetched
        return self._git("commit-tree", tree, "-p", self.head, "-F", "-", input=message).strip()

    def create_branch(self, branch: str, commit: str) -> bool:
        ref = f"refs/heads/{branch}"
        self._git(
            "push", "--porcelain", f"--force-with-lease={ref}:", self.b.remote_url, f"{commit}:{ref}", check=False
        )
        report = self.last.stdout + self.last.stderr
        if self.last.returncode == 0:
            # "*" = branch created; "=" = it already pointed at this very commit (an identical request
            # made in the same second): that is someone else's branch, not ours.
            return any(line.startswith("*\t") for line in self.last.stdout.splitlines())
        if "[rejected]" in report or "stale info" in report or "already exists" in report:
            return False
        raise BackendError(UNAVAILABLE, f"git push failed: {redact(report.strip())[:500]}")

    def delete_branch(self, branch: str, commit: str) -> None:
        ref = f"refs/heads/{branch}"
        self._git(
            "push", "--porcelain", f"--force-with-lease={ref}:{commit}", self.b.remote_url, f":{ref}", check=False
        )

    def open_review(self, branch: str, title: str, body: str, labels: list[str]) -> Review:
        return self.find_review(branch)

    def find_review(self, branch: str) -> Review:
        return Review(self._review_url(branch))
