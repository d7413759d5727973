"""Project-wide data that is not a user's record, written once per version.

Loaded terminologies, canonical document texts and sync state live here, in
the encrypted database, never in clear files beside it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from storage.audit import utc_now
from storage.errors import RecordError
from storage.operations import mutation

if TYPE_CHECKING:
    from storage.project import Project


@mutation("assets.put_asset")
def put_asset(
    project: Project, kind: str, key: str, data: bytes, *, version: str = ""
) -> bool:
    """Store ``data`` under (kind, key, version); return False if already there.

    The same bytes again change nothing; different bytes under an existing
    (kind, key, version) are refused, so what was stored cannot drift.
    """
    digest = hashlib.sha256(data).hexdigest()
    with project.records.transaction():
        row = project.connection.execute(
            "SELECT sha256 FROM assets WHERE kind = ? AND key = ? AND version = ?",
            (kind, key, version),
        ).fetchone()
        if row is not None:
            if row[0] != digest:
                raise RecordError(
                    f"asset {kind}/{key}/{version} exists with other content",
                    record=f"{kind}/{key}",
                )
            return False
        project.connection.execute(
            "INSERT INTO assets (kind, key, version, created_at, sha256, data) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (kind, key, version, utc_now(), digest, data),
        )
        project.audit.append(
            "asset.put",
            record_type=kind,
            record_id=key,
            new={"version": version, "sha256": digest, "bytes": len(data)},
        )
    return True


def get_asset(
    project: Project, kind: str, key: str, *, version: str | None = None
) -> bytes | None:
    """Return the asset's bytes (the newest version when none is named)."""
    if version is None:
        row = project.connection.execute(
            "SELECT data FROM assets WHERE kind = ? AND key = ? "
            "ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (kind, key),
        ).fetchone()
    else:
        row = project.connection.execute(
            "SELECT data FROM assets WHERE kind = ? AND key = ? AND version = ?",
            (kind, key, version),
        ).fetchone()
    return None if row is None else bytes(row[0])


def list_assets(project: Project, kind: str) -> list[tuple[str, str, str]]:
    """Return (key, version, created_at) of every asset of ``kind``."""
    rows = project.connection.execute(
        "SELECT key, version, created_at FROM assets WHERE kind = ? "
        "ORDER BY key, created_at",
        (kind,),
    ).fetchall()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]
