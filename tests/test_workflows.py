"""GitHub workflows: linted by actionlint (with shellcheck on the `run:` scripts) and least-privilege."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO

BIN = Path(sys.executable).parent
# Known problems in a workflow this branch does not own, reported to its owner (xfail strict: the mark
# must go as soon as the file is fixed).
KNOWN: dict[str, str] = {}  # workflow file name → why it is expected to fail actionlint (none today)
WORKFLOWS = [
    pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN[p.name], strict=True)) if p.name in KNOWN else p
    for p in sorted((REPO / ".github" / "workflows").glob("*.yml"))
]


def tool(name: str) -> str:
    """A linter from the test extra (`pip install -e '.[test]'`); missing is a failure, not a skip."""
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert path, f"{name} is not installed: run `make install-tools`"
    return str(path)


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", "-shellcheck", tool("shellcheck"), *map(str, files)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_there_are_workflows_for_pull_requests_and_pages():
    assert {p.name for p in (REPO / ".github" / "workflows").glob("*.yml")} >= {"pr.yml", "pages.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(path: Path):
    result = actionlint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_really_checks(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: echo ${{ github.event.head_commit.message }}\n"
        "      - run: cp $SRC site/\n",
        encoding="utf-8",
    )
    result = actionlint(bad)
    assert result.returncode == 1
    assert "node20" in result.stdout  # outdated action runtime
    assert "potentially untrusted" in result.stdout  # script injection
    assert "SC2086" in result.stdout  # shellcheck ran on the run: script


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_pinned_official_actions(path: Path):
    """Read-only by default; a job that needs more says so itself; official actions pinned to a major."""
    wf = load(path)
    assert wf["permissions"] == {"contents": "read"}
    assert "pull_request_target" not in wf["on"]
    for job in wf["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


def test_only_the_deploy_job_may_write_and_checkouts_keep_no_token():
    for name in ("pr.yml", "pages.yml"):
        for job_name, job in load(REPO / ".github/workflows" / name)["jobs"].items():
            granted = job.get("permissions", {})
            if granted:
                assert (name, job_name) == ("pages.yml", "deploy")
                assert granted == {"pages": "write", "id-token": "write"}
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def test_pull_request_workflow_validates_builds_and_uploads_without_secrets():
    path = REPO / ".github/workflows/pr.yml"
    assert "secrets" not in re.sub(r"#.*", "", path.read_text(encoding="utf-8"))
    wf = load(path)
    assert list(wf["on"]) == ["pull_request"]
    steps = wf["jobs"]["check"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [
        "make install",
        ".venv/bin/ccdir validate --format github",
        ".venv/bin/ccdir build --strict --format github",
    ]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"


def test_pages_workflow_builds_strictly_and_deploys_one_at_a_time():
    wf = load(REPO / ".github/workflows/pages.yml")
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build = wf["jobs"]["build"]["steps"]
    assert any(s.get("run") == "make install" for s in build)
    assert any("ccdir build --strict" in s.get("run", "") for s in build)
    assert wf["jobs"]["deploy"]["needs"] == "build"
    assert wf["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_workflows_install_like_the_makefile():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^install: \$\(STAMP\)$", makefile, re.M)
    assert "pip install --quiet -e .\n" in makefile  # the runtime only: the workflows validate and build
