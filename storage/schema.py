"""Versioned schema migrations of the project database, applied in a transaction."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from storage.errors import SchemaTooNewError

logger = logging.getLogger(__name__)

# Each entry moves the schema from version N to N+1. Never edit a published
# migration: append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: project metadata, users, append-only revisions, the audit trail, assets.
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );

    CREATE TABLE users (
        user_id TEXT PRIMARY KEY,
        printed_name TEXT NOT NULL,
        roles TEXT NOT NULL,
        is_active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );
    CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
    BEGIN SELECT RAISE(ABORT, 'users are deactivated, never deleted'); END;

    CREATE TABLE revisions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        revision_id TEXT NOT NULL UNIQUE,
        record_id TEXT NOT NULL,
        record_type TEXT NOT NULL,
        item_id TEXT,
        supersedes TEXT,
        author TEXT NOT NULL,
        workstation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        reason TEXT,
        is_deleted INTEGER NOT NULL,
        body TEXT NOT NULL,
        is_foreign INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX revisions_by_record ON revisions (record_id);
    CREATE INDEX revisions_by_type ON revisions (record_type, item_id);
    CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
    CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
    BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;

    -- Which revisions a revision replaces: its parent, and when it resolves a
    -- conflict, the other heads it names. A head is a revision nobody replaces.
    CREATE TABLE supersessions (
        child TEXT NOT NULL,
        parent TEXT NOT NULL,
        PRIMARY KEY (child, parent)
    );
    CREATE INDEX supersessions_by_parent ON supersessions (parent);
    CREATE TRIGGER supersessions_no_update BEFORE UPDATE ON supersessions
    BEGIN SELECT RAISE(ABORT, 'supersessions are append-only'); END;
    CREATE TRIGGER supersessions_no_delete BEFORE DELETE ON supersessions
    BEGIN SELECT RAISE(ABORT, 'supersessions are append-only'); END;

    CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        printed_name TEXT,
        workstation_id TEXT NOT NULL,
        app_version TEXT NOT NULL,
        action TEXT NOT NULL,
        record_type TEXT,
        record_id TEXT,
        old_value TEXT,
        new_value TEXT,
        reason TEXT,
        prev_hash TEXT NOT NULL,
        entry_hash TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_entries
    BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;
    CREATE TRIGGER audit_gapless BEFORE INSERT ON audit_entries
    WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_entries)
    BEGIN SELECT RAISE(ABORT, 'audit sequence numbers must be gapless'); END;

    -- Project-wide data that is not a user's record: loaded terminologies,
    -- canonical document texts, sync state. Written once per (kind, key,
    -- version).
    CREATE TABLE assets (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        version TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (kind, key, version)
    );
    """,
    # 2: signing keys of users and workstations, their revocations, and a
    # guard against changing or deleting an assignment once made.
    """
    CREATE TABLE signing_keys (
        key_id TEXT PRIMARY KEY,
        owner_kind TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        public_key TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX signing_keys_by_owner ON signing_keys (owner_kind, owner_id);
    CREATE TRIGGER signing_keys_no_update BEFORE UPDATE ON signing_keys
    BEGIN SELECT RAISE(ABORT, 'signing keys are append-only'); END;
    CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys
    BEGIN SELECT RAISE(ABORT, 'signing keys are append-only'); END;

    CREATE TABLE signing_key_revocations (
        key_id TEXT PRIMARY KEY,
        revoked_at TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE TRIGGER revocations_no_update BEFORE UPDATE ON signing_key_revocations
    BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
    CREATE TRIGGER revocations_no_delete BEFORE DELETE ON signing_key_revocations
    BEGIN SELECT RAISE(ABORT, 'revocations are append-only'); END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: Any, path: Path) -> int:
    """Bring the database at ``path`` to :data:`SCHEMA_VERSION`.

    All pending migrations run in one transaction: a failure leaves the
    database at its old version. Returns the version found before migrating.

    Raises
    ------
    SchemaTooNewError
        When the database was written by a newer version of the workstation.
    """
    found = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if found > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"schema {found} > {SCHEMA_VERSION}",
            path=path,
            found=found,
            supported=SCHEMA_VERSION,
        )
    if found == SCHEMA_VERSION:
        return found

    connection.execute("BEGIN IMMEDIATE")
    try:
        for version in range(found, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[version]):
                connection.execute(statement)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    logger.info("Migrated project schema from %d to %d", found, SCHEMA_VERSION)
    return found


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        text = "\n".join(current)
        inside_trigger = "CREATE TRIGGER" in text and not stripped.endswith("END;")
        if stripped.endswith(";") and not inside_trigger:
            statements.append(text)
            current = []
    if current:
        statements.append("\n".join(current))
    return statements
