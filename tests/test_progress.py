"""Progress bars: drawn on a terminal for long steps, never with -q, in CI or into a pipe."""

from __future__ import annotations

import io

from click.testing import CliRunner
from conftest import make_project

from ccdir.cli import main
from ccdir.progress import terminal_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = Terminal()
    progress = terminal_progress(stream=out, delay=0)
    assert progress is not None
    for done in range(0, 5001, 200):
        progress("pages", done, 5000)
    assert "Pages" in out.getvalue() and "/5000" in out.getvalue()  # (redrawn at most every 0.1 s)


def test_no_bar_with_quiet_in_ci_or_into_a_pipe(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert terminal_progress(quiet=True, stream=Terminal()) is None
    assert terminal_progress(stream=io.StringIO()) is None  # not a terminal
    monkeypatch.setenv("CI", "true")
    assert terminal_progress(stream=Terminal()) is None


def test_quiet_build_prints_nothing(tmp_path, valid_yaml):
    project = make_project(tmp_path / "p", {"45-loiret/fleurs-de-loire.yaml": valid_yaml})
    result = CliRunner().invoke(main, ["build", "--root", str(project.root), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
