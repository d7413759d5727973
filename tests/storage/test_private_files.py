"""Project files, backups and workstation keys are readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.backup import backup_project, restore_project
from storage.errors import WrongPasswordError
from storage.keyfile import KeyFile
from storage.private_files import copy_private, create_private_file
from storage.project import default_config_dir, open_project
from tests.storage.helpers import ADMIN, Opener

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The common umask 022, under which plain writes are world-readable."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def _modes(folder: Path) -> dict[str, str]:
    return {p.name: _mode(p) for p in sorted(folder.iterdir())}


def test_a_new_project_is_private(folder: Path) -> None:
    with open_project(folder, user_id=ADMIN[0], password=ADMIN[2]):
        files = _modes(folder)

    assert _mode(folder) == "0o700"
    assert files["project.db"] == "0o600"
    assert files["project.db-wal"] == "0o600"
    assert files["project.db-shm"] == "0o600"
    assert files["project.key"] == "0o600"
    assert set(files.values()) == {"0o600"}


def test_the_key_file_lock_is_private(folder: Path) -> None:
    with pytest.raises(WrongPasswordError):
        open_project(folder, user_id=ADMIN[0], password="not the password at all")

    assert _mode(folder / "project.key.lock") == "0o600"
    assert _mode(folder / "project.key") == "0o600"


def test_a_rewritten_key_file_becomes_private(folder: Path) -> None:
    key_file = folder / "project.key"
    key_file.chmod(0o644)

    KeyFile.read(key_file).write()

    assert _mode(key_file) == "0o600"
    assert not (folder / "project.key.tmp").exists()


def test_the_workstation_files_are_private(folder: Path) -> None:
    config = default_config_dir()

    assert _mode(config) == "0o700"
    assert _mode(config / "workstation-id") == "0o600"


def test_a_backup_and_a_restore_are_private(
    sign_in: Opener, team: Path, tmp_path: Path
) -> None:
    project = sign_in(ADMIN)
    backup = tmp_path / "backup"
    backup_project(project, backup)
    project.close()
    config = default_config_dir()

    restore_project(backup, team, user_id=ADMIN[0], password=ADMIN[2])

    assert _mode(backup) == "0o700"
    assert _modes(backup) == {
        "checkpoint.json": "0o600",
        "manifest.json": "0o600",
        "project.db": "0o600",
        "project.key": "0o600",
    }
    assert _mode(config / "workstation-signing-key") == "0o600"
    replaced = next(p for p in team.iterdir() if p.name.startswith("replaced-"))
    assert _mode(replaced) == "0o700"
    assert _mode(team / "project.db") == "0o600"
    assert _mode(team / "project.key") == "0o600"


def test_helpers_tighten_existing_files(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.write_text("x", encoding="utf-8")
    loose.chmod(0o644)
    copy = tmp_path / "copy"

    create_private_file(loose)
    copy_private(loose, copy)

    assert (_mode(loose), _mode(copy)) == ("0o600", "0o600")
    assert copy.read_text(encoding="utf-8") == "x"
