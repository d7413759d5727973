from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlcipher3

from storage.errors import (
    DamagedDatabaseError,
    ProjectExistsError,
    ProjectNotFoundError,
    SchemaTooNewError,
    WeakPasswordError,
    WrongPasswordError,
)
from storage.keyfile import KeyFile
from storage.project import create_project, open_project
from storage.schema import SCHEMA_VERSION
from tests.storage.helpers import ADMIN, raw_connection


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_and_open_gives_the_creator_every_role(folder: Path) -> None:
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        assert project.name == "Chest CT"
        assert project.user.printed_name == "Ada Admin"
        assert project.user.roles == {"annotator", "reviewer", "site_lead", "admin"}
        actions = [entry.action for entry in project.audit.entries()]
        assert actions == [
            "project.create",
            "user.add",
            "sign_in",
            "signing_key.create",
        ]
        assert project.audit.verify().is_ok


def test_create_refuses_an_existing_project(folder: Path) -> None:
    with pytest.raises(ProjectExistsError):
        create_project(
            folder,
            name="x",
            user_id="bo",
            printed_name="Bo",
            password="another long password",
        )


def test_create_refuses_a_weak_password(tmp_path: Path) -> None:
    with pytest.raises(WeakPasswordError, match="fewer than 12 characters"):
        create_project(
            tmp_path / "p", name="x", user_id="bo", printed_name="Bo", password="short"
        )
    with pytest.raises(WeakPasswordError, match="common password"):
        create_project(
            tmp_path / "p",
            name="x",
            user_id="bo",
            printed_name="Bo",
            password="password1234",
        )
    with pytest.raises(WeakPasswordError, match="is the user ID"):
        create_project(
            tmp_path / "p",
            name="x",
            user_id="radiologist1",
            printed_name="R",
            password="Radiologist1!!",
        )
    assert not (tmp_path / "p" / "project.db").exists()


def test_wrong_password_overwrites_nothing(folder: Path) -> None:
    database = folder / "project.db"
    before_db = _digest(database)
    before_wraps = json.loads((folder / "project.key").read_text())["users"]

    with pytest.raises(WrongPasswordError) as caught:
        open_project(folder, user_id="ada", password="not the password at all")

    assert caught.value.path == str(folder)
    assert _digest(database) == before_db
    keyfile = json.loads((folder / "project.key").read_text())
    assert keyfile["users"] == before_wraps
    assert [f["user_id"] for f in keyfile["failed_sign_ins"]] == ["ada"]


def test_unknown_user_reads_like_a_wrong_password(folder: Path) -> None:
    with pytest.raises(WrongPasswordError, match="not correct"):
        open_project(folder, user_id="nobody", password=ADMIN[2])


def test_failed_sign_ins_move_into_the_audit_trail(folder: Path) -> None:
    for _ in range(2):
        with pytest.raises(WrongPasswordError):
            open_project(folder, user_id="ada", password="wrong password here")
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        failed = project.audit.entries(action="sign_in.failed")
        assert len(failed) == 2
        assert {entry.record_id for entry in failed} == {"ada"}
    assert KeyFile.read(folder / "project.key").failed_sign_ins == []


def test_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ProjectNotFoundError) as caught:
        open_project(tmp_path, user_id="ada", password=ADMIN[2])
    assert caught.value.path == str(tmp_path)


def test_a_flipped_byte_is_a_damaged_database_and_the_file_stays(folder: Path) -> None:
    database = folder / "project.db"
    data = bytearray(database.read_bytes())
    data[5000] ^= 0x01  # inside the second page, past the header
    database.write_bytes(bytes(data))
    before = _digest(database)

    with pytest.raises(DamagedDatabaseError) as caught:
        open_project(folder, user_id="ada", password=ADMIN[2])

    assert caught.value.path == str(database)
    assert "project.db" in str(caught.value)
    assert _digest(database) == before


def test_a_newer_schema_is_refused(folder: Path) -> None:
    key = KeyFile.read(folder / "project.key").unwrap("ada", ADMIN[2])
    connection = raw_connection(folder, key)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()

    with pytest.raises(SchemaTooNewError) as caught:
        open_project(folder, user_id="ada", password=ADMIN[2])
    assert caught.value.fields["found"] == SCHEMA_VERSION + 1
    assert caught.value.fields["supported"] == SCHEMA_VERSION


def test_the_database_does_not_open_without_the_key(folder: Path) -> None:
    connection = sqlcipher3.connect(str(folder / "project.db"))
    with pytest.raises(sqlcipher3.DatabaseError):
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    connection.close()


def test_verify_password_checks_without_reopening(folder: Path) -> None:
    with open_project(folder, user_id="ada", password=ADMIN[2]) as project:
        assert project.verify_password(ADMIN[2]) is True
        assert project.verify_password("wrong password again") is False
        failed = project.audit.entries(action="sign_in.failed")
        assert [entry.reason for entry in failed] == ["password check in session"]


def test_wraps_are_bound_to_this_workstation_when_a_keyring_works(
    folder: Path,
) -> None:
    from storage import device_secret

    wrap = KeyFile.read(folder / "project.key").wraps["ada"]
    # Both situations are supported: with a Secret Service the wrap needs this
    # workstation's device secret as well; without one the password alone.
    assert wrap.is_device_bound is device_secret.is_available()
