"""The command line speaks French only: Click's own messages too, for every command and every kind of mistake.

Also: the library knows nothing of Click (it raises plain exceptions; the command line shows them).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_file
from click.testing import CliRunner

from ccdir.cli import french, main

SRC = Path(__file__).resolve().parents[1] / "src" / "ccdir"
CLI_LAYER = {SRC / "cli", SRC / "serve.py"}

# Click's English, as its source writes it (click/core.py, exceptions.py, formatting.py, types.py, decorators.py);
# the words Click derives from names (« TEXT », « COMMAND [ARGS] ») are in the last line.
ENGLISH = [
    "Usage:",
    "Commands:",
    "Options:",
    "Show this message and exit",
    "Show the version and exit",
    "Error:",
    "Invalid value",
    "No such option",
    "No such command",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "Try '",
    "for help",
    "Did you mean",
    "is not one of",
    "is not a valid",
    "does not exist",
    "is a directory",
    "is a file",
    "is not in the range",
    "requires an argument",
    "does not take a value",
    "Got unexpected extra",
    "Aborted!",
    "default:",
    "required]",
    "env var",
    "Positional arguments",
    "Missing command",
    r"\bTEXT\b",
    r"\bINTEGER\b",
    r"\bFLOAT\b",
    r"\bPATH\b",
    r"\bFILE\b",
    r"\bDIRECTORY\b",
    r"\bCOMMAND\b",
    r"\bARGS\b",
    r"\bSLUG\b",
]


def click_messages() -> list[str]:
    """Every message Click marks for translation (singular and plural), read from its installed source."""
    found = []
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        for _, message, _, _ in extract_from_file("python", str(path)):
            found.extend([message] if isinstance(message, str) else message)
    return found


def english_fragments() -> list[re.Pattern[str]]:
    """ENGLISH, plus the literal parts of Click's messages long enough to be telling."""
    patterns = [re.compile(p if p.startswith(r"\b") else re.escape(p)) for p in ENGLISH]
    for message in click_messages():
        for part in re.split(r"\{[^}]*\}|%\([a-z]+\)s", message):
            if len(part.strip()) >= 12:
                patterns.append(re.compile(re.escape(part.strip())))
    return patterns


ENGLISH_PATTERNS = english_fragments()


def english_in(text: str) -> list[str]:
    return [p.pattern for p in ENGLISH_PATTERNS if p.search(text)]


def commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from commands(command, path + (name,))


def wrong_values(command: click.Command) -> list[list[str]]:
    """A bad value for each option that checks its value (number, choice, existing path)."""
    cases = []
    for param in command.params:
        name = param.opts[0] if isinstance(param, click.Option) else None
        kind = param.type
        if isinstance(kind, click.Choice):
            bad = "pas-un-choix"
        elif isinstance(kind, (click.types.IntParamType, click.types.FloatParamType)):
            bad = "abc"
        elif isinstance(kind, click.Path) and kind.exists:
            bad = "/nulle/part/absent.yaml"
        else:
            continue
        if name is None:
            cases.append([bad])
        elif not getattr(param, "is_flag", False):
            cases.append([name, bad])
    return cases


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.slow
def test_the_catalogue_translates_every_message_of_the_installed_click():
    translated = set()
    for message in french.catalogue():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings):
            translated.update(message.id if isinstance(message.id, tuple) else (message.id,))
    messages = click_messages()
    assert len(messages) > 60  # the extraction found Click's messages
    assert [m for m in messages if m not in translated] == []
    assert french.translations().gettext("Usage:") == "Utilisation :"


def test_every_command_and_mistake_is_answered_in_french():
    seen = 0
    for path, command in [((), main), *commands(main)]:
        attempts = [(["--help"], 0), (["--pas-une-option"], 2)]
        if any(isinstance(p, click.Argument) and p.required for p in command.params):
            attempts.append(([], 2))  # a required argument is missing
        attempts += [(args, 2) for args in wrong_values(command)]
        valued = [p for p in command.params if isinstance(p, click.Option) and not p.is_flag and p.opts[0] != "--help"]
        if valued:
            attempts.append(([valued[0].opts[0]], 2))  # an option without its value
        if isinstance(command, click.Group):
            attempts += [(["pas-une-commande"], 2), ([], 2)]  # an unknown command, no command at all
        elif not any(isinstance(p, click.Argument) for p in command.params):
            attempts.append((["en-trop"], 2))  # an argument the command does not take
        for args, status in attempts:
            result = run(*path, *args)
            seen += 1
            shown = f"ccdir {' '.join(path + tuple(args))} →\n{result.output}"
            assert result.exit_code == status, shown
            assert english_in(result.output) == [], shown
            if args == ["--help"] or not args:  # help, or (group without a command) help as the answer
                assert result.output.startswith("Utilisation : "), shown
            else:
                assert "Erreur : " in result.output, shown
    assert seen > 40


def test_usage_errors_say_what_is_wrong_in_french():
    assert "Commande inconnue « valider »" in run("valider").output
    assert "Option inconnue « --rot »" in run("validate", "--rot").output
    assert "Argument manquant « IDENTIFIANT »" in run("new").output
    assert "Option manquante « -o » / « --output »" in run("demo-data").output
    out = run("serve", "--port", "abc").output
    assert "Valeur invalide pour « --port » : « abc » n'est pas un nombre valide." in out
    assert "Options :" in run("validate", "--help").output and "Commandes :" in run("--help").output


@pytest.mark.slow
def test_the_library_does_not_import_click():
    """Only the command line (cli/, serve.py) knows Click; the library raises plain exceptions."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if any(path == layer or layer in path.parents for layer in CLI_LAYER):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []


def test_a_library_error_is_shown_without_traceback(tmp_path):
    (tmp_path / "content" / "merchants").mkdir(parents=True)
    assert run("new", "fleurs", "--root", str(tmp_path)).exit_code == 0
    again = run("new", "fleurs", "--root", str(tmp_path))
    assert again.exit_code == 1
    assert again.output.startswith("Erreur : une fiche « fleurs » existe déjà")
    assert "Traceback" not in again.output
