"""The scan of content/merchants/ is explicit: what cannot be a merchant file is an error with its path,
and the scan never blocks (a FIFO is never opened) nor skips anything silently."""

from __future__ import annotations

import os
import socket
import time

import pytest
from conftest import make_project

from ccdir.build.pipeline import BuildOptions, build
from ccdir.core.problems import ContentError


@pytest.fixture
def hostile(tmp_path, valid_yaml, monkeypatch):
    project = make_project(tmp_path / "p", {"45-loiret/fleurs-de-loire.yaml": valid_yaml})
    folder = project.merchants_dir / "45-loiret"
    os.mkfifo(folder / "tube.yaml")  # opening it for reading would wait forever for a writer
    os.mkfifo(folder / "notes")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "dehors.yaml").symlink_to("/etc/hostname")
    (folder / "ailleurs").symlink_to("/etc")
    server = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(folder)  # a socket's path is limited to about 100 bytes: bind it by a relative one
    server.bind("prise")
    monkeypatch.chdir(tmp_path)
    os.mknod(folder / "disque", 0o600 | 0o020000, os.makedev(1, 5)) if os.geteuid() == 0 else None
    (project.merchants_dir / os.fsdecode(b"caf\xe9.yaml")).write_text(valid_yaml, encoding="utf-8")
    yield project
    server.close()


def test_special_files_links_and_bad_names_are_errors_with_their_path(hostile):
    started = time.monotonic()
    with pytest.raises(ContentError) as err:
        build(hostile, BuildOptions(cache=True))
    assert time.monotonic() - started < 60  # nothing blocked
    found = {p.path: p.message for p in err.value.problems if p.is_error}
    folder = "content/merchants/45-loiret/"
    assert "ce n'est pas un fichier ordinaire" in found[folder + "tube.yaml"]
    assert "tube nommé" in found[folder + "notes"]
    assert "lien symbolique refusé" in found[folder + "zero.yaml"]
    assert "lien symbolique refusé" in found[folder + "dehors.yaml"]
    assert "lien symbolique vers un dossier" in found[folder + "ailleurs"]
    assert "socket" in found[folder + "prise"]
    if os.geteuid() == 0:
        assert "périphérique" in found[folder + "disque"]
    assert "pas en UTF-8" in found["content/merchants/caf\\xe9.yaml"]
    assert folder + "fleurs-de-loire.yaml" not in found
    message = err.value.problems[0].format()
    assert message.startswith("content/merchants/")  # printable, with its place


def test_validate_lists_them_too(hostile):
    from click.testing import CliRunner

    from ccdir.cli import main

    result = CliRunner().invoke(main, ["validate", "--root", str(hostile.root)])
    assert result.exit_code == 1
    for name in ("tube.yaml", "notes", "zero.yaml", "dehors.yaml", "ailleurs", "prise", "caf\\xe9.yaml"):
        assert name in result.output, name
