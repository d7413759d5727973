"""Creating and opening encrypted projects: a folder with a database and a key file.

A project folder holds ``project.db`` (SQLCipher 4, opened with a raw 32-byte
key, so opening costs no PBKDF2) and ``project.key`` (the key, wrapped per
user; see :mod:`storage.keyfile`). Signing in is unwrapping the key with the
user's password; nothing is written until the key has opened the database
and the database has passed SQLCipher's integrity check.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs
import sqlcipher3

from storage import keys, permissions, recovery
from storage.audit import AuditTrail, utc_now
from storage.errors import (
    AccountDeactivatedError,
    AccountLockedError,
    DamagedDatabaseError,
    KeyFileError,
    PasswordChangeRequiredError,
    ProjectExistsError,
    ProjectNotFoundError,
    StorageError,
    WrongPasswordError,
)
from storage.keyfile import KeyFile, new_database_key, updating
from storage.policy import SitePolicy, check_password
from storage.private_files import (
    create_private_file,
    make_private_folder,
    write_private_text,
)
from storage.records import RecordStore
from storage.schema import migrate
from storage.users import ROLES, User, read_user

logger = logging.getLogger(__name__)

DATABASE_NAME = "project.db"
KEY_FILE_NAME = "project.key"
APP_NAME = "haiops-workstation"
ESCROW_FILE_NAME = "escrow-public-key.pem"


def default_data_dir() -> Path:
    """Return the data folder: HAIOPS_DATA_DIR, or the platform's user data dir."""
    configured = os.environ.get("HAIOPS_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_dir() -> Path:
    """Return the settings folder: HAIOPS_CONFIG_DIR, or the platform's one."""
    configured = os.environ.get("HAIOPS_CONFIG_DIR")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_projects_dir() -> Path:
    """Return the folder where projects are created unless a path is given."""
    return default_data_dir() / "projects"


def workstation_id() -> str:
    """Return this workstation's ID, made once and kept in the settings folder.

    It is a random UUID: it names the machine in records and audit entries
    without saying anything about the machine or its users.
    """
    path = default_config_dir() / "workstation-id"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        make_private_folder(path.parent)
        value = str(uuid.uuid4())
        write_private_text(path, value + "\n", encoding="ascii")
        return value


def is_project(folder: Path) -> bool:
    """Whether ``folder`` holds a project database and key file."""
    return (folder / DATABASE_NAME).is_file() and (folder / KEY_FILE_NAME).is_file()


def _connect(database: Path, key: bytes) -> Any:
    connection = sqlcipher3.connect(
        str(database), isolation_level=None, check_same_thread=False
    )
    try:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        # Without it, INSERT OR REPLACE deletes rows without firing the
        # append-only triggers (see docs/architecture.md).
        connection.execute("PRAGMA recursive_triggers = ON")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.DatabaseError as error:
        connection.close()
        raise DamagedDatabaseError(str(error), path=database) from None
    return connection


def _check_integrity(connection: Any, database: Path) -> None:
    problems = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
    if problems:
        connection.close()
        raise DamagedDatabaseError(
            f"{len(problems)} pages fail the integrity check: {problems[0]}",
            path=database,
        )


def create_project(
    folder: Path,
    *,
    name: str,
    user_id: str,
    printed_name: str,
    password: str,
    escrow_public_key: bytes | None = None,
    policy: SitePolicy | None = None,
) -> None:
    """Create an encrypted project whose first user is its creator.

    The creator gets every role (admin, site lead, reviewer, annotator).

    Parameters
    ----------
    folder
        An empty or new folder.
    name, user_id, printed_name, password
        The project's name and its first user.
    escrow_public_key
        The site's recovery public key (PEM, X25519); when not given, the
        file ``escrow-public-key.pem`` in the settings folder is used if present.
    policy
        The site's password and lockout settings (default: 12 characters,
        5 failures).

    Raises
    ------
    ProjectExistsError
        When ``folder`` already holds a project database or key file.
    WeakPasswordError
        When ``password`` breaks the password rules.
    """
    folder = Path(folder)
    policy = policy or SitePolicy()
    if (folder / DATABASE_NAME).exists() or (folder / KEY_FILE_NAME).exists():
        raise ProjectExistsError("project files present", path=folder)
    if not user_id or not printed_name:
        raise StorageError("a user ID and a printed name are needed", path=folder)
    check_password(password, user_id, policy)
    if escrow_public_key is None:
        escrow_file = default_config_dir() / ESCROW_FILE_NAME
        if escrow_file.is_file():
            escrow_public_key = escrow_file.read_bytes()
    make_private_folder(folder)

    # The key file first: a database nobody can open would be worse than none.
    project_id = str(uuid.uuid4())
    key = new_database_key()
    keyfile = KeyFile(path=folder / KEY_FILE_NAME, project_id=project_id)
    keyfile.add_wrap(user_id, key, password)
    keyfile.extra["policy"] = {"lockout_failures": policy.lockout_failures}
    if escrow_public_key is not None:
        recovery.add_recovery_wrap(keyfile, key, escrow_public_key)
    keyfile.write()

    # Created 0600 before SQLite opens it: SQLite gives -wal and -shm its mode.
    create_private_file(folder / DATABASE_NAME)
    connection = _connect(folder / DATABASE_NAME, key)
    try:
        migrate(connection, folder / DATABASE_NAME)
        station = workstation_id()
        audit = AuditTrail(
            connection, workstation_id=station, user=(user_id, printed_name)
        )
        connection.execute("BEGIN IMMEDIATE")
        now = utc_now()
        for meta_key, value in (
            ("project_id", project_id),
            ("name", name),
            ("created_at", now),
            ("policy", policy.to_json()),
        ):
            connection.execute("INSERT INTO meta VALUES (?, ?)", (meta_key, value))
        connection.execute(
            "INSERT INTO users VALUES (?, ?, ?, 1, ?)",
            (user_id, printed_name, ",".join(ROLES), now),
        )
        audit.append(
            "project.create",
            record_type="project",
            record_id=project_id,
            new={"name": name},
        )
        audit.append(
            "user.add",
            record_type="user",
            record_id=user_id,
            new={"printed_name": printed_name, "roles": list(ROLES)},
        )
        if escrow_public_key is not None:
            audit.append("recovery.wrap", record_type="project", record_id=project_id)
        connection.execute("COMMIT")
    finally:
        connection.close()
    logger.info("Created project %s", project_id)


def open_project(
    folder: Path,
    *,
    user_id: str,
    password: str,
    workstation: str | None = None,
    new_password: str | None = None,
) -> Project:
    """Sign ``user_id`` in to the project in ``folder`` and return the session.

    Parameters
    ----------
    folder
        The project folder.
    user_id, password
        The person signing in.
    workstation
        This workstation's ID (default: the one in the settings folder).
    new_password
        A new password to set while signing in; needed after a reset.

    Raises
    ------
    ProjectNotFoundError
        When ``folder`` is not a project.
    WrongPasswordError
        When the user ID and password do not open the key (the failure is
        counted in the key file; enough of them lock the account).
    AccountLockedError
        When failed sign-ins locked the account (the attempt is counted).
    AccountDeactivatedError
        When an admin deactivated the account (recorded in the audit trail).
    PasswordChangeRequiredError
        When the password was reset and ``new_password`` was not given.
    WeakPasswordError
        When ``new_password`` breaks the site's password rules.
    DamagedDatabaseError
        When the database does not decrypt or fails the integrity check.
    SchemaTooNewError
        When a newer workstation wrote the database.
    """
    folder = Path(folder)
    if not is_project(folder):
        raise ProjectNotFoundError("no project.db and project.key", path=folder)
    keyfile = KeyFile.read(folder / KEY_FILE_NAME)
    station = workstation or workstation_id()
    if keyfile.is_locked(user_id):
        with updating(folder / KEY_FILE_NAME) as fresh:
            fresh.failed_sign_ins.append(
                {
                    "user_id": user_id,
                    "at": utc_now(),
                    "workstation_id": station,
                    "refused": "account locked",
                }
            )
        raise AccountLockedError("account locked", path=folder, user=user_id)
    try:
        key = keyfile.unwrap(user_id, password)
    except WrongPasswordError:
        with updating(folder / KEY_FILE_NAME) as fresh:
            count_failure(fresh, user_id, station, deferred=True)
        logger.warning("Failed sign-in to project %s", keyfile.project_id)
        raise

    database = folder / DATABASE_NAME
    connection = _connect(database, key)
    _check_integrity(connection, database)
    try:
        migrate(connection, database)
        project = _session(folder, connection, keyfile, key, user_id, station)
    except BaseException:
        connection.close()
        raise
    try:
        project.finish_sign_in(password, new_password)
    except BaseException:
        project.connection.close()
        project.connection = None
        raise
    return project


def _session(
    folder: Path,
    connection: Any,
    keyfile: KeyFile,
    key: bytes,
    user_id: str,
    station: str,
) -> Project:
    user = read_user(connection, user_id)
    if user is None:
        raise WrongPasswordError("no account", path=folder, user=user_id)
    project = Project(folder, connection, user, station, keyfile)
    project._database_key = key
    if not user.is_active:
        with project.records.transaction():
            project.audit.append(
                "sign_in.refused",
                record_type="user",
                record_id=user_id,
                reason="account deactivated",
            )
        raise AccountDeactivatedError("deactivated", path=folder, user=user_id)
    return project


def count_failure(
    keyfile: KeyFile, user_id: str, station: str, *, deferred: bool
) -> bool:
    """Count a failed sign-in of ``user_id``; return whether it locked the account.

    With ``deferred`` the attempt is also queued in the key file for the
    audit trail (the database was not open); the caller writes the key file.
    """
    now = utc_now()
    if deferred:
        keyfile.failed_sign_ins.append(
            {"user_id": user_id, "at": now, "workstation_id": station}
        )
    if user_id not in keyfile.wraps:
        return False
    state = keyfile.account(user_id)
    state["failures"] = int(state.get("failures", 0)) + 1
    if state["failures"] < keyfile.lockout_failures() or state.get("locked_at"):
        return False
    state["locked_at"] = now
    keyfile.pending_alerts.append(
        {
            "kind": "account_locked",
            "user_id": user_id,
            "at": now,
            "workstation_id": station,
            "failures": state["failures"],
        }
    )
    logger.warning("An account of project %s was locked", keyfile.project_id)
    return True


class Project:
    """One user's signed-in session on one project; a context manager."""

    def __init__(
        self,
        folder: Path,
        connection: Any,
        user: User,
        workstation: str,
        keyfile: KeyFile,
    ) -> None:
        self.folder = folder
        self.connection = connection
        self.user = user
        self.workstation_id = workstation
        self.keyfile = keyfile
        self._database_key = b""
        # The first signature after sign-in (or after a lock) asks for the
        # user ID as well as the password (21 CFR 11.200(a)(1)).
        self.signature_needs_user_id = True
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        self.project_id: str = meta["project_id"]
        self.name: str = meta["name"]
        if self.project_id != keyfile.project_id:
            raise KeyFileError("key file belongs to another project", path=keyfile.path)
        self.audit = AuditTrail(
            connection,
            workstation_id=workstation,
            user=(user.user_id, user.printed_name),
        )
        self.records = RecordStore(
            connection,
            self.audit,
            workstation_id=workstation,
            author=user.user_id,
            authorize=lambda action, record_type: permissions.require(
                self.user, action, record_type
            ),
        )

    @property
    def policy(self) -> SitePolicy:
        """The site's password and lockout settings for this project."""
        row = self.connection.execute(
            "SELECT value FROM meta WHERE key = 'policy'"
        ).fetchone()
        return SitePolicy.from_json(row[0] if row else None)

    def reload_keyfile(self) -> KeyFile:
        """Read the key file again (another session may have changed it)."""
        self.keyfile = KeyFile.read(self.folder / KEY_FILE_NAME)
        return self.keyfile

    @contextmanager
    def updating_keyfile(self) -> Iterator[KeyFile]:
        """Change the key file under its lock; written when the block ends."""
        with updating(self.folder / KEY_FILE_NAME) as keyfile:
            self.keyfile = keyfile
            yield keyfile

    def finish_sign_in(self, password: str, new_password: str | None) -> None:
        """Apply a forced password change, audit the sign-in, ensure a signing key."""
        state = self.keyfile.account(self.user.user_id)
        if state.get("must_change_password") and new_password is None:
            raise PasswordChangeRequiredError(
                "password was reset", path=self.folder, user=self.user.user_id
            )
        if new_password is not None:
            check_password(new_password, self.user.user_id, self.policy)
        self.record_sign_in()
        if new_password is not None:
            from storage.accounts import change_password

            change_password(self, password, new_password)
            password = new_password
        self.ensure_signing_key(password)

    def record_sign_in(self) -> None:
        """Audit this sign-in, with the failures the key file held since the last.

        Alerts raised while the database was closed (accounts locked) become
        ``alert`` records for the site lead in the same transaction.
        """
        failures = self.keyfile.failed_sign_ins
        alerts = self.keyfile.pending_alerts
        with self.records.transaction():
            for failure in failures:
                failed_id = str(failure.get("user_id"))
                known = read_user(self.connection, failed_id)
                self.audit.append(
                    "sign_in.failed",
                    record_type="user",
                    record_id=failed_id,
                    new=failure,
                    user=(failed_id, known.printed_name if known else ""),
                )
            for alert in alerts:
                kind = str(alert.get("kind"))
                self.audit.append(
                    "account.lock" if kind == "account_locked" else f"alert.{kind}",
                    record_type="user",
                    record_id=str(alert.get("user_id")),
                    new=alert,
                    user=(str(alert.get("user_id")), ""),
                )
                self.records.create("alert", {**alert, "acknowledged": False})
            self.audit.append(
                "sign_in", record_type="user", record_id=self.user.user_id
            )
        if failures or alerts or self.keyfile.account(self.user.user_id)["failures"]:
            # Remove only what was moved: another workstation may have added more.
            with self.updating_keyfile() as keyfile:
                keyfile.failed_sign_ins = [
                    f for f in keyfile.failed_sign_ins if f not in failures
                ]
                keyfile.extra["alerts"] = [
                    a for a in keyfile.pending_alerts if a not in alerts
                ]
                keyfile.account(self.user.user_id)["failures"] = 0
        logger.info(
            "Signed in to project %s (%d failed attempts before)",
            self.project_id,
            len(failures),
        )

    def ensure_signing_key(self, password: str, user_id: str | None = None) -> None:
        """Give a user a signing key if none is active (first sign-in, reset).

        ``user_id`` defaults to the signed-in user; another user's password
        must have been checked by the caller (a co-signature).
        """
        user_id = user_id or self.user.user_id
        entry = self.reload_keyfile().signing_key(user_id)
        active = keys.active_user_key(self.connection, user_id)
        if (
            entry is not None
            and active is not None
            and active.key_id == entry["key_id"]
        ):
            return
        private, public = keys.new_key_pair()
        with self.records.transaction(), self.updating_keyfile() as keyfile:
            if active is not None:
                # The key file lost the wrap (a reset or recovery): the old key
                # signs no more; its signatures stay valid as history.
                keys.revoke(self.connection, active.key_id, "replaced")
            key_id = keys.register(self.connection, "user", user_id, public)
            self.audit.append(
                "signing_key.create",
                record_type="user",
                record_id=user_id,
                new={"key_id": key_id},
            )
            keyfile.set_signing_key(user_id, key_id, public, private, password)

    def verify_password(self, password: str) -> bool:
        """Check the signed-in user's password without reopening the project.

        A wrong password is counted like a failed sign-in and audited at once;
        enough of them lock the account (which ends this session's signing).
        """
        user_id = self.user.user_id
        keyfile = self.reload_keyfile()
        try:
            keyfile.unwrap(user_id, password)
        except WrongPasswordError:
            with self.updating_keyfile() as fresh:
                locked = count_failure(
                    fresh, user_id, self.workstation_id, deferred=False
                )
                alert = fresh.pending_alerts.pop() if locked else None
            with self.records.transaction():
                self.audit.append(
                    "sign_in.failed",
                    record_type="user",
                    record_id=user_id,
                    reason="password check in session",
                )
                if alert is not None:
                    self.audit.append(
                        "account.lock",
                        record_type="user",
                        record_id=user_id,
                        new=alert,
                    )
                    self.records.create("alert", {**alert, "acknowledged": False})
            return False
        if keyfile.is_locked(user_id):
            return False
        if keyfile.account(user_id)["failures"]:
            with self.updating_keyfile() as fresh:
                fresh.account(user_id)["failures"] = 0
        return True

    def note_session_locked(self) -> None:
        """Say that the screen locked: the next signature asks for the user ID."""
        self.signature_needs_user_id = True
        with self.records.transaction():
            self.audit.append(
                "session.lock", record_type="user", record_id=self.user.user_id
            )

    def database_key(self) -> bytes:
        """Return the open database's key (to re-wrap it; never log or store it)."""
        return self._database_key

    def close(self) -> None:
        """Record the sign-out and close the database."""
        if self.connection is None:
            return
        try:
            with self.records.transaction():
                self.audit.append(
                    "sign_out", record_type="user", record_id=self.user.user_id
                )
        finally:
            self.connection.close()
            self.connection = None
        logger.info("Signed out of project %s", self.project_id)

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
