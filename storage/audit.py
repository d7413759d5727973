"""The audit trail: an append-only, gapless, hash-chained log of every change.

Each entry's hash is the SHA-256 of its canonical JSON form (RFC 8785) over
all its fields, the previous entry's hash included, so that changing,
deleting, swapping or inserting an entry breaks the chain at a sequence number
:meth:`AuditTrail.verify` names. Triggers refuse UPDATE and DELETE, and a
guard keeps sequence numbers gapless; someone holding the database key could
still rewrite the whole chain consistently, which only a copy of the head kept
elsewhere (a signed checkpoint) reveals.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import rfc8785

logger = logging.getLogger(__name__)

try:
    APP_VERSION = version("haiops-workstation")
except PackageNotFoundError:  # running from a source tree that was not installed
    APP_VERSION = "0+unknown"

GENESIS_HASH = "0" * 64

_COLUMNS = (
    "seq",
    "at",
    "user_id",
    "printed_name",
    "workstation_id",
    "app_version",
    "action",
    "record_type",
    "record_id",
    "old_value",
    "new_value",
    "reason",
    "prev_hash",
    "entry_hash",
)


def utc_now() -> str:
    """Return the current UTC time in ISO 8601 with its offset, to microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail. Values are JSON text (or None)."""

    seq: int
    at: str
    user_id: str | None
    printed_name: str | None
    workstation_id: str
    app_version: str
    action: str
    record_type: str | None
    record_id: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    prev_hash: str
    entry_hash: str

    def canonical_bytes(self) -> bytes:
        """Return the RFC 8785 form of every field except the entry's own hash."""
        fields = {name: getattr(self, name) for name in _COLUMNS[:-1]}
        return bytes(rfc8785.dumps(fields))

    def computed_hash(self) -> str:
        """Return the hash this entry must carry."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """What :meth:`AuditTrail.verify` found."""

    is_ok: bool
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None


def to_json_text(value: Any) -> str | None:
    """Return the canonical JSON text of an old or new value (None stays None)."""
    if value is None:
        return None
    return bytes(rfc8785.dumps(value)).decode("utf-8")


class AuditTrail:
    """Appends to and checks the audit trail of one open project."""

    def __init__(
        self, connection: Any, *, workstation_id: str, user: tuple[str, str] | None
    ) -> None:
        self._connection = connection
        self._workstation_id = workstation_id
        self._user = user

    def set_user(self, user_id: str, printed_name: str) -> None:
        """Name the signed-in user that later entries are attributed to."""
        self._user = (user_id, printed_name)

    def append(
        self,
        action: str,
        *,
        record_type: str | None = None,
        record_id: str | None = None,
        old: Any = None,
        new: Any = None,
        reason: str | None = None,
        at: str | None = None,
        user: tuple[str, str] | None = None,
    ) -> AuditEntry:
        """Append one entry inside the caller's open transaction.

        The caller must hold a write transaction (``BEGIN IMMEDIATE``), so the
        entry commits or rolls back together with the change it records.
        """
        if not self._connection.in_transaction:
            raise RuntimeError("audit entries are written inside a transaction")
        seq, prev_hash = self._last()
        who = user or self._user or (None, None)
        entry = AuditEntry(
            seq=seq + 1,
            at=at or utc_now(),
            user_id=who[0],
            printed_name=who[1],
            workstation_id=self._workstation_id,
            app_version=APP_VERSION,
            action=action,
            record_type=record_type,
            record_id=record_id,
            old_value=to_json_text(old),
            new_value=to_json_text(new),
            reason=reason,
            prev_hash=prev_hash,
            entry_hash="",
        )
        values = [getattr(entry, name) for name in _COLUMNS[:-1]]
        entry_hash = entry.computed_hash()
        self._connection.execute(
            f"INSERT INTO audit_entries ({', '.join(_COLUMNS)}) "  # noqa: S608 -- fixed names
            f"VALUES ({', '.join('?' * len(_COLUMNS))})",
            [*values, entry_hash],
        )
        return AuditEntry(**{**entry.__dict__, "entry_hash": entry_hash})

    def _last(self) -> tuple[int, str]:
        row = self._connection.execute(
            "SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))

    def head(self) -> tuple[int, str]:
        """Return the count of entries and the hash of the last one."""
        return self._last()

    def entries(
        self,
        *,
        record_id: str | None = None,
        user_id: str | None = None,
        action: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[AuditEntry]:
        """Return entries in sequence order, filtered as asked."""
        clauses: list[str] = []
        parameters: list[Any] = []
        for column, value in (
            ("record_id", record_id),
            ("user_id", user_id),
            ("action", action),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                parameters.append(value)
        if since is not None:
            clauses.append("at >= ?")
            parameters.append(since)
        if until is not None:
            clauses.append("at <= ?")
            parameters.append(until)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM audit_entries {where} "  # noqa: S608
            "ORDER BY seq",
            parameters,
        ).fetchall()
        return [AuditEntry(*row) for row in rows]

    def iter_all(self) -> Iterator[AuditEntry]:
        """Yield every entry in the order they were stored (by rowid)."""
        cursor = self._connection.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM audit_entries ORDER BY rowid"  # noqa: S608
        )
        for row in cursor:
            yield AuditEntry(*row)

    def verify(self, checkpoint: Mapping[str, Any] | None = None) -> VerifyResult:
        """Check the whole chain, and against a checkpoint of its head if given.

        Returns the first bad sequence number with what is wrong: an edited
        entry (its hash no longer matches), a deleted or inserted one (a gap
        or a broken link), entries out of order, or a chain cut off before
        the checkpoint's count.
        """
        expected_seq = 1
        prev_hash = GENESIS_HASH
        for entry in self.iter_all():
            problem = _check_entry(entry, expected_seq, prev_hash)
            if problem is not None and problem.startswith("the entry was edited"):
                problem = _moved(entry, self.head()[0] + 1) or problem
            if problem is not None:
                return VerifyResult(
                    False, expected_seq - 1, prev_hash, entry.seq, problem
                )
            expected_seq += 1
            prev_hash = entry.entry_hash
        count = expected_seq - 1
        if checkpoint is not None:
            problem, bad = _check_checkpoint(self, checkpoint, count, prev_hash)
            if problem is not None:
                return VerifyResult(False, count, prev_hash, bad, problem)
        return VerifyResult(True, count, prev_hash)


def _check_entry(entry: AuditEntry, expected_seq: int, prev_hash: str) -> str | None:
    if entry.seq > expected_seq:
        return f"entry {expected_seq} is missing (deleted)"
    if entry.seq < expected_seq:
        return f"entry {entry.seq} is out of order (reordered or inserted)"
    if entry.computed_hash() != entry.entry_hash:
        return "the entry was edited: its content does not match its hash"
    if entry.prev_hash != prev_hash:
        return "the link to the previous entry is broken (inserted or swapped)"
    return None


def _moved(entry: AuditEntry, limit: int) -> str | None:
    """Say where an entry whose hash fails came from, when only its place changed."""
    for seq in range(1, limit + 1):
        if seq == entry.seq:
            continue
        moved = AuditEntry(**{**entry.__dict__, "seq": seq})
        if moved.computed_hash() == entry.entry_hash:
            how = (
                "entries before it were deleted or it was reordered"
                if seq > entry.seq
                else "an entry was inserted before it or it was reordered"
            )
            return f"the entry stored as {seq} is now at {entry.seq}: {how}"
    return None


def _check_checkpoint(
    trail: AuditTrail, checkpoint: Mapping[str, Any], count: int, head: str
) -> tuple[str | None, int | None]:
    wanted_count = int(checkpoint["count"])
    wanted_hash = str(checkpoint["head_hash"])
    if count < wanted_count:
        return (
            f"the trail ends at {count} but the checkpoint saw {wanted_count} "
            "(cut off at the end)",
            count + 1,
        )
    if wanted_count == 0:
        return None, None
    entries = trail.entries()
    if entries[wanted_count - 1].entry_hash != wanted_hash:
        return (
            "the chain differs from the checkpoint (rewritten)",
            wanted_count,
        )
    del head
    return None, None


def parse_value(text: str | None) -> Any:
    """Return the Python value of an entry's old or new value."""
    return None if text is None else json.loads(text)
