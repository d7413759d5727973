"""Append-only records: every change is a new revision naming the one it replaces.

A record is the chain of revisions that share a ``record_id``. Its current
state is its head, the revision that no other revision supersedes; a delete
is a revision with ``is_deleted`` set. Two heads are a conflict (two
workstations revised the same revision offline): both stay visible until a
new revision supersedes one and names the others in ``resolves``.

Every write appends an audit entry holding the old and the new value in the
same transaction, so the record and its audit trail never disagree.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import rfc8785

from storage import states
from storage.audit import AuditTrail, utc_now
from storage.errors import RecordError
from storage.operations import mutation

logger = logging.getLogger(__name__)

_COLUMNS = (
    "revision_id",
    "record_id",
    "record_type",
    "item_id",
    "supersedes",
    "author",
    "workstation_id",
    "created_at",
    "reason",
    "is_deleted",
    "body",
)


@dataclass(frozen=True)
class Revision:
    """One immutable revision of a record.

    ``created_at`` is ISO 8601 in UTC with its offset; ``body`` is a JSON
    object whose meaning depends on ``record_type``.
    """

    revision_id: str
    record_id: str
    record_type: str
    item_id: str | None
    supersedes: str | None
    author: str
    workstation_id: str
    created_at: str
    reason: str | None
    is_deleted: bool
    body: dict[str, Any]
    resolves: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the revision as a JSON object (the form bundles carry)."""
        data = asdict(self)
        data["resolves"] = list(self.resolves)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Revision:
        """Build a revision from :meth:`to_json` output."""
        return cls(
            revision_id=str(data["revision_id"]),
            record_id=str(data["record_id"]),
            record_type=str(data["record_type"]),
            item_id=data.get("item_id"),
            supersedes=data.get("supersedes"),
            author=str(data["author"]),
            workstation_id=str(data["workstation_id"]),
            created_at=str(data["created_at"]),
            reason=data.get("reason"),
            is_deleted=bool(data["is_deleted"]),
            body=dict(data["body"]),
            resolves=tuple(data.get("resolves", ())),
        )

    def canonical_bytes(self) -> bytes:
        """Return the RFC 8785 canonical form, used for hashes and signatures."""
        return bytes(rfc8785.dumps(self.to_json()))


def canonical_body(body: Mapping[str, Any]) -> str:
    """Return the canonical JSON text of a body; refuse what JSON cannot hold."""
    try:
        return bytes(rfc8785.dumps(dict(body))).decode("utf-8")
    except (TypeError, ValueError, rfc8785.CanonicalizationError) as error:
        raise RecordError(f"body is not plain JSON: {error}", record="body") from None


# Checks the permission for an action before any write; set by storage.project.
Authorizer = Callable[[str, str], None]


class RecordStore:
    """Creates, revises and reads the records of one open project."""

    def __init__(
        self,
        connection: Any,
        audit: AuditTrail,
        *,
        workstation_id: str,
        author: str,
        authorize: Authorizer | None = None,
    ) -> None:
        self._connection = connection
        self._audit = audit
        self._workstation_id = workstation_id
        self._author = author
        self._authorize = authorize or (lambda action, record_type: None)
        # Items being unlocked right now by storage.items.unlock_item, which
        # has checked the site lead's signature.
        self._unlocking: set[str] = set()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a block of writes atomically (nested calls join the outer one)."""
        if self._connection.in_transaction:
            yield
            return
        self._connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        self._connection.execute("COMMIT")

    # Writing

    @mutation("records.create")
    def create(
        self,
        record_type: str,
        body: Mapping[str, Any],
        *,
        item_id: str | None = None,
        reason: str | None = None,
        record_id: str | None = None,
    ) -> Revision:
        """Create a new record and return its first revision."""
        self._authorize("create", record_type)
        if record_type not in states.EXEMPT_TYPES and item_id is not None:
            states.check_change(item_id, self._item_status(item_id), reason)
        revision = self._new(
            record_id=record_id or str(uuid.uuid4()),
            record_type=record_type,
            item_id=item_id,
            supersedes=None,
            reason=reason,
            is_deleted=False,
            body=body,
        )
        with self.transaction():
            self._insert(revision)
            self._audit.append(
                "record.create",
                record_type=record_type,
                record_id=revision.record_id,
                new=revision.body,
                reason=reason,
            )
        return revision

    @mutation("records.revise")
    def revise(
        self,
        record_id: str,
        body: Mapping[str, Any],
        *,
        reason: str | None = None,
        resolves: Sequence[str] = (),
        supersedes: str | None = None,
    ) -> Revision:
        """Write a new revision of a record, superseding its current head.

        Where the record is in conflict, name the head to supersede in
        ``supersedes`` and the other heads in ``resolves``.
        """
        with self.transaction():
            old = self._parent(record_id, supersedes, resolves)
            self._authorize("revise", old.record_type)
            self._guard(old, body, reason)
            revision = self._new(
                record_id=record_id,
                record_type=old.record_type,
                item_id=old.item_id,
                supersedes=old.revision_id,
                reason=reason,
                is_deleted=False,
                body=body,
                resolves=tuple(resolves),
            )
            self._insert(revision)
            self._audit.append(
                "record.revise",
                record_type=old.record_type,
                record_id=record_id,
                old=old.body,
                new=revision.body,
                reason=reason,
            )
        return revision

    @mutation("records.delete")
    def delete(self, record_id: str, *, reason: str | None = None) -> Revision:
        """Mark a record deleted with a new revision; its history stays."""
        with self.transaction():
            old = self._parent(record_id, None, ())
            self._authorize("delete", old.record_type)
            if old.is_deleted:
                raise RecordError("already deleted", record=record_id)
            self._guard(old, None, reason)
            revision = self._new(
                record_id=record_id,
                record_type=old.record_type,
                item_id=old.item_id,
                supersedes=old.revision_id,
                reason=reason,
                is_deleted=True,
                body=old.body,
            )
            self._insert(revision)
            self._audit.append(
                "record.delete",
                record_type=old.record_type,
                record_id=record_id,
                old=old.body,
                new=None,
                reason=reason,
            )
        return revision

    @mutation("records.add_foreign")
    def add_foreign(self, revision: Revision) -> bool:
        """Insert a revision made on another workstation, exactly as it was.

        Returns False (and changes nothing) when the revision is already here.
        """
        with self.transaction():
            row = self._connection.execute(
                "SELECT 1 FROM revisions WHERE revision_id = ?",
                (revision.revision_id,),
            ).fetchone()
            if row is not None:
                return False
            parent = self._connection.execute(
                "SELECT body FROM revisions WHERE revision_id = ?",
                (revision.supersedes,),
            ).fetchone()
            self._insert(revision, is_foreign=True)
            self._audit.append(
                "record.apply",
                record_type=revision.record_type,
                record_id=revision.record_id,
                old=None if parent is None else json.loads(parent[0]),
                new={
                    "revision_id": revision.revision_id,
                    "author": revision.author,
                    "workstation_id": revision.workstation_id,
                    "is_deleted": revision.is_deleted,
                    "body": revision.body,
                },
                reason=revision.reason,
            )
        return True

    def _item_status(self, item_id: str) -> str | None:
        heads = self.heads(item_id)
        if not heads or heads[-1].record_type != "item":
            return None
        return str(heads[-1].body.get("status"))

    def _guard(
        self, old: Revision, body: Mapping[str, Any] | None, reason: str | None
    ) -> None:
        """Apply the record-state rules of :mod:`storage.states` to a write."""
        if old.record_type in states.EXEMPT_TYPES:
            return
        if old.record_type != "item":
            if old.item_id is not None:
                states.check_change(
                    old.record_id, self._item_status(old.item_id), reason
                )
            return
        status = str(old.body.get("status"))
        new_status = status if body is None else str(body.get("status", status))
        if new_status == status:
            states.check_change(old.record_id, status, reason)
            return
        # An unlock is authorised by the site lead's signature, not the role
        # of whoever is signed in at the workstation.
        if old.record_id not in self._unlocking:
            self._authorize(new_status, "item")
        states.check_transition(
            old.record_id,
            status,
            new_status,
            user_id=self._author,
            submitter=self._submitter(old.record_id),
            reason=reason,
            is_unlock=old.record_id in self._unlocking,
        )

    def _submitter(self, item_id: str) -> str | None:
        """Return who moved the item to submitted most recently."""
        submitter = None
        previous = None
        for revision in self.history(item_id):
            status = revision.body.get("status")
            if status == states.SUBMITTED and previous != states.SUBMITTED:
                submitter = revision.author
            previous = status
        return submitter

    @contextmanager
    def unlocking(self, item_id: str) -> Iterator[None]:
        """Allow the locked -> in_progress move of one item inside the block.

        Only :func:`storage.items.unlock_item` uses it, after a site lead
        signed the unlock.
        """
        self._unlocking.add(item_id)
        try:
            yield
        finally:
            self._unlocking.discard(item_id)

    def _new(self, **fields: Any) -> Revision:
        body = json.loads(canonical_body(fields.pop("body")))
        return Revision(
            revision_id=str(uuid.uuid4()),
            author=self._author,
            workstation_id=self._workstation_id,
            created_at=utc_now(),
            body=body,
            **fields,
        )

    def _parent(
        self, record_id: str, supersedes: str | None, resolves: Sequence[str]
    ) -> Revision:
        heads = self.heads(record_id)
        if not heads:
            raise RecordError("unknown record", record=record_id)
        if supersedes is None:
            if len(heads) > 1 and not resolves:
                raise RecordError(
                    f"{len(heads)} conflicting heads; name the one to supersede",
                    record=record_id,
                )
            return heads[-1]
        by_id = {head.revision_id: head for head in heads}
        if supersedes not in by_id:
            raise RecordError(
                f"revision {supersedes} is not a current head", record=record_id
            )
        unknown = set(resolves) - set(by_id)
        if unknown:
            raise RecordError(
                f"revisions {sorted(unknown)} are not current heads", record=record_id
            )
        return by_id[supersedes]

    def _insert(self, revision: Revision, *, is_foreign: bool = False) -> None:
        values = [getattr(revision, name) for name in _COLUMNS[:-1]]
        values.append(canonical_body(revision.body))
        self._connection.execute(
            f"INSERT INTO revisions ({', '.join(_COLUMNS)}, is_foreign) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(_COLUMNS))}, ?)",
            [*values, int(is_foreign)],
        )
        parents = [revision.supersedes, *revision.resolves]
        self._connection.executemany(
            "INSERT OR IGNORE INTO supersessions (child, parent) VALUES (?, ?)",
            [(revision.revision_id, parent) for parent in parents if parent],
        )

    # Reading

    def _select(self, where: str, parameters: Sequence[Any]) -> list[Revision]:
        rows = self._connection.execute(
            f"SELECT {', '.join('r.' + c for c in _COLUMNS)}, "  # noqa: S608
            "(SELECT group_concat(s.parent) FROM supersessions s "
            " WHERE s.child = r.revision_id AND s.parent IS NOT r.supersedes) "
            f"FROM revisions r WHERE {where} ORDER BY r.created_at, r.seq",
            parameters,
        ).fetchall()
        return [_revision(row) for row in rows]

    def head(self, record_id: str) -> Revision:
        """Return the current head (the newest one when in conflict)."""
        heads = self.heads(record_id)
        if not heads:
            raise RecordError("unknown record", record=record_id)
        return heads[-1]

    def heads(self, record_id: str) -> list[Revision]:
        """Return every head of a record (more than one means a conflict)."""
        return self._select(f"r.record_id = ? AND {_IS_HEAD}", (record_id,))

    def current(
        self, record_type: str | None = None, *, item_id: str | None = None
    ) -> list[Revision]:
        """Return the live (not deleted) heads, oldest first."""
        clauses = [_IS_HEAD, "r.is_deleted = 0"]
        parameters: list[Any] = []
        if record_type is not None:
            clauses.append("r.record_type = ?")
            parameters.append(record_type)
        if item_id is not None:
            clauses.append("r.item_id = ?")
            parameters.append(item_id)
        return self._select(" AND ".join(clauses), parameters)

    def history(self, record_id: str) -> list[Revision]:
        """Return every revision of a record, oldest first."""
        return self._select("r.record_id = ?", (record_id,))

    def revision(self, revision_id: str) -> Revision:
        """Return one revision by its ID."""
        found = self._select("r.revision_id = ?", (revision_id,))
        if not found:
            raise RecordError("unknown revision", record=revision_id)
        return found[0]

    def conflicts(self) -> list[list[Revision]]:
        """Return the heads of every record that has more than one."""
        rows = self._connection.execute(
            f"SELECT r.record_id FROM revisions r WHERE {_IS_HEAD} "  # noqa: S608
            "GROUP BY r.record_id HAVING count(*) > 1"
        ).fetchall()
        return [self.heads(row[0]) for row in rows]

    def since(self, seq: int) -> list[tuple[int, Revision]]:
        """Return revisions stored here after local sequence ``seq`` (for sync)."""
        rows = self._connection.execute(
            f"SELECT r.seq, {', '.join('r.' + c for c in _COLUMNS)}, "  # noqa: S608
            "(SELECT group_concat(s.parent) FROM supersessions s "
            " WHERE s.child = r.revision_id AND s.parent IS NOT r.supersedes) "
            "FROM revisions r WHERE r.seq > ? AND r.is_foreign = 0 ORDER BY r.seq",
            (seq,),
        ).fetchall()
        return [(int(row[0]), _revision(row[1:])) for row in rows]


_IS_HEAD = "NOT EXISTS (SELECT 1 FROM supersessions s WHERE s.parent = r.revision_id)"


def _revision(row: Sequence[Any]) -> Revision:
    values = dict(zip(_COLUMNS, row[: len(_COLUMNS)], strict=True))
    values["is_deleted"] = bool(values["is_deleted"])
    values["body"] = json.loads(values["body"])
    extra = row[len(_COLUMNS)]
    resolves = tuple(sorted(extra.split(","))) if extra else ()
    return Revision(**values, resolves=resolves)
