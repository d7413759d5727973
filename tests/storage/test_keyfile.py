from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from storage.errors import KeyFileError, WrongPasswordError
from storage.keyfile import KeyFile, updating
from tests.storage.helpers import ADMIN


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("{", "not readable JSON"),
        ('{"format": "other"}', "not a HAIOps key file"),
        ('{"format": "haiops-project-key", "version": 99}', "version 99"),
        ('{"format": "haiops-project-key", "version": 1}', "malformed entry"),
    ],
)
def test_a_bad_key_file_names_itself(tmp_path: Path, text: str, detail: str) -> None:
    path = tmp_path / "project.key"
    path.write_text(text)
    with pytest.raises(KeyFileError, match=detail) as caught:
        KeyFile.read(path)
    assert caught.value.path == str(path)


def test_the_key_file_never_holds_the_key_in_clear(folder: Path) -> None:
    keyfile = KeyFile.read(folder / "project.key")
    key = keyfile.unwrap("ada", ADMIN[2])
    text = (folder / "project.key").read_text()
    assert key.hex() not in text
    assert ADMIN[2] not in text
    assert json.loads(text)["users"]["ada"]["kdf"] == "argon2id"


def test_a_wrap_copied_onto_another_user_does_not_open(folder: Path) -> None:
    keyfile = KeyFile.read(folder / "project.key")
    keyfile.wraps["mallory"] = keyfile.wraps["ada"]
    with pytest.raises(WrongPasswordError):
        keyfile.unwrap("mallory", ADMIN[2])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_two_processes_updating_at_once_lose_nothing(folder: Path) -> None:
    path = folder / "project.key"
    children = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            try:
                for _ in range(15):
                    with updating(path) as keyfile:
                        state = keyfile.account("ann")
                        state["failures"] = int(state["failures"]) + 1
            finally:
                os._exit(0)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    assert KeyFile.read(path).account("ann")["failures"] == 30
