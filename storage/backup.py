"""Backups (21 CFR 11.10(c)): an encrypted copy with a signed checkpoint, and restore.

A backup is a folder: ``project.db`` (a SQLCipher copy made with
``sqlcipher_export``, under the same key), ``project.key`` (the key file with
every user's wrap and the recovery wrap), ``checkpoint.json`` (the audit head,
signed) and ``manifest.json`` (SHA-256 of each file). A restore checks all of
it in a staging folder before it moves anything into place, and keeps the
files it replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storage import permissions
from storage.audit import VerifyResult, utc_now
from storage.checkpoints import make_checkpoint, read_checkpoint, write_checkpoint
from storage.errors import BackupError, CheckpointError, SchemaTooNewError
from storage.keyfile import KeyFile
from storage.operations import mutation
from storage.private_files import (
    copy_private,
    create_private_file,
    make_private_folder,
    write_private_text,
)

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)

CHECKPOINT_NAME = "checkpoint.json"
MANIFEST_NAME = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@mutation("backup.backup_project")
def backup_project(project: Project, out: Path) -> dict[str, Any]:
    """Write an encrypted backup of the open project into the new folder ``out``.

    Returns the checkpoint written with it.

    Raises
    ------
    BackupError
        When ``out`` exists and is not empty.
    PermissionDeniedError
        Unless the user is a site lead or an admin.
    """
    from storage.project import DATABASE_NAME, KEY_FILE_NAME

    out = Path(out)
    permissions.require(project.user, "backup", "project")
    if out.exists() and any(out.iterdir()):
        raise BackupError("the backup folder is not empty", path=out)
    make_private_folder(out)

    # The backup's own audit entry and checkpoint are inside the copy.
    with project.records.transaction():
        project.audit.append(
            "project.backup",
            record_type="project",
            record_id=project.project_id,
            new={"folder": out.name},
        )
    checkpoint = make_checkpoint(project, purpose="backup")
    key_hex = project.database_key().hex()
    target = create_private_file(out / DATABASE_NAME)
    connection = project.connection
    connection.execute(
        f"ATTACH DATABASE ? AS backup KEY \"x'{key_hex}'\"", (str(target),)
    )
    try:
        connection.execute("SELECT sqlcipher_export('backup')")
        version = connection.execute("PRAGMA main.user_version").fetchone()[0]
        connection.execute(f"PRAGMA backup.user_version = {int(version)}")
    finally:
        connection.execute("DETACH DATABASE backup")
    copy_private(project.folder / KEY_FILE_NAME, out / KEY_FILE_NAME)
    write_checkpoint(checkpoint, out / CHECKPOINT_NAME)
    manifest = {
        "format": "haiops-backup",
        "project_id": project.project_id,
        "made_at": utc_now(),
        "files": {
            name: _sha256(out / name)
            for name in (DATABASE_NAME, KEY_FILE_NAME, CHECKPOINT_NAME)
        },
    }
    write_private_text(out / MANIFEST_NAME, json.dumps(manifest, indent=2))
    logger.info(
        "Backed up project %s (%d audit entries)",
        project.project_id,
        checkpoint["count"],
    )
    return checkpoint


def _check_files(backup: Path) -> dict[str, Any]:
    from storage.project import DATABASE_NAME, KEY_FILE_NAME

    try:
        manifest = json.loads((backup / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(f"no readable manifest: {error}", path=backup) from None
    for name in (DATABASE_NAME, KEY_FILE_NAME, CHECKPOINT_NAME):
        path = backup / name
        if not path.is_file():
            raise BackupError(f"{name} is missing", path=backup)
        if files.get(name) != _sha256(path):
            raise BackupError(f"{name} differs from the manifest", path=path)
    if not isinstance(manifest, dict):
        raise BackupError("the manifest is not a JSON object", path=backup)
    return manifest


def restore_project(
    backup: Path, folder: Path, *, user_id: str, password: str
) -> VerifyResult:
    """Restore a backup into ``folder`` after checking it completely.

    The backup is copied to a staging folder and opened there with the
    user's password; its files must match the manifest, the database must
    pass SQLCipher's integrity check, its schema must be one this version
    reads, and its audit chain must verify against the backup's signed
    checkpoint. Only then are the project files in ``folder`` (if any) moved
    into ``folder/replaced-<time>`` and the restored ones moved in.

    Raises
    ------
    BackupError
        When any check fails; nothing in ``folder`` was touched.
    WrongPasswordError
        When the password does not open the backup's key file.
    """
    from storage.project import DATABASE_NAME, KEY_FILE_NAME, _check_integrity, _connect

    backup, folder = Path(backup), Path(folder)
    manifest = _check_files(backup)
    try:
        checkpoint = read_checkpoint(backup / CHECKPOINT_NAME)
    except CheckpointError as error:
        raise BackupError(str(error), path=backup) from None
    if checkpoint["project_id"] != manifest.get("project_id"):
        raise BackupError("checkpoint and manifest name other projects", path=backup)
    keyfile = KeyFile.read(backup / KEY_FILE_NAME)
    # Device-bound wraps open only on the workstation that made them; on
    # another machine use a password-only wrap or the escrow recovery.
    database_key = keyfile.unwrap(user_id, password)

    staging = folder / ".restore-staging"
    shutil.rmtree(staging, ignore_errors=True)
    make_private_folder(staging)
    try:
        copy_private(backup / DATABASE_NAME, staging / DATABASE_NAME)
        copy_private(backup / KEY_FILE_NAME, staging / KEY_FILE_NAME)
        result = _check_and_record(
            staging,
            database_key,
            user_id,
            checkpoint,
            backup,
            _connect,
            _check_integrity,
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise

    # Checked: keep what was there, then move the restored files in.
    replaced = folder / f"replaced-{utc_now()[:19].replace(':', '')}"
    for name in (
        DATABASE_NAME,
        KEY_FILE_NAME,
        DATABASE_NAME + "-wal",
        DATABASE_NAME + "-shm",
    ):
        if (folder / name).exists():
            make_private_folder(replaced)
            os.replace(folder / name, replaced / name)
    for name in (KEY_FILE_NAME, DATABASE_NAME):
        os.replace(staging / name, folder / name)
    shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "Restored project %s with %d audit entries",
        checkpoint["project_id"],
        result.count,
    )
    return result


def _check_and_record(
    staging: Path,
    database_key: bytes,
    user_id: str,
    checkpoint: dict[str, Any],
    backup: Path,
    connect: Any,
    check_integrity: Any,
) -> VerifyResult:
    from storage.project import DATABASE_NAME, KEY_FILE_NAME, Project, workstation_id
    from storage.schema import SCHEMA_VERSION
    from storage.users import read_user

    database = staging / DATABASE_NAME
    connection = connect(database, database_key)
    check_integrity(connection, database)
    try:
        found = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if found > SCHEMA_VERSION:
            raise SchemaTooNewError(
                "backup", path=backup, found=found, supported=SCHEMA_VERSION
            )
        user = read_user(connection, user_id)
        if user is None or not user.is_active:
            raise BackupError("no active account in the backup", path=backup)
        permissions.require(user, "restore", "project")
        keyfile = KeyFile.read(staging / KEY_FILE_NAME)
        project = Project(staging, connection, user, workstation_id(), keyfile)
        if project.project_id != checkpoint["project_id"]:
            raise BackupError("the database is of another project", path=backup)
        result = project.audit.verify(checkpoint)
        if not result.is_ok:
            raise BackupError(
                f"audit entry {result.first_bad_seq}: {result.problem}", path=backup
            )
        with project.records.transaction():
            project.audit.append(
                "project.restore",
                record_type="project",
                record_id=project.project_id,
                new={"backup": backup.name, "checkpoint_count": checkpoint["count"]},
            )
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return result
