"""Problems as GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`).

In a pull request, GitHub shows each annotation on the changed line of the file. Escaping follows the
runner's rules: in the message `%`, CR and LF are percent-encoded; in properties `:` and `,` are too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ccdir.core.problems import Problem

TITLE = "ccdir"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def in_github_actions(env: Mapping[str, str] | None = None) -> bool:
    """True when running as a step of a GitHub Actions job."""
    return (env if env is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def repo_path(path: str, root: Path | None = None, workspace: str | None = None) -> str:
    """`path` (relative to the project `root`, or absolute) made relative to the checkout, as GitHub wants."""
    workspace = workspace if workspace is not None else os.environ.get("GITHUB_WORKSPACE")
    full = Path(path) if Path(path).is_absolute() or root is None else root / path
    if workspace:
        try:
            return full.resolve().relative_to(Path(workspace).resolve()).as_posix()
        except ValueError:
            pass
    return path


def annotation(problem: Problem, root: Path | None = None, workspace: str | None = None) -> str:
    """One workflow command: `::error` for errors, `::warning` for warnings."""
    command = "error" if problem.is_error else "warning"
    props = [f"file={escape_property(repo_path(problem.path, root, workspace))}"]
    if problem.line:
        props.append(f"line={problem.line}")
        if problem.col:
            props.append(f"col={problem.col}")
    props.append(f"title={escape_property(TITLE)}")
    return f"::{command} {','.join(props)}::{escape_data(problem.message)}"
