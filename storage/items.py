"""Worklist items: the series, documents and pairs a project annotates.

An item is a record of type ``item`` whose record ID is the item ID. Its body
holds the kind, a title, the status, the assignee, the due date and a
``source`` that references the data (files with their hashes, a document's
content hash, a pair's responses) rather than copying it.

Status moves follow :mod:`storage.states` (not_started -> in_progress ->
submitted -> reviewed -> approved or rejected -> locked); the record store
refuses any other move, whoever asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from storage import states
from storage.errors import RecordError, TransitionError
from storage.operations import mutation
from storage.records import RecordStore, Revision

if TYPE_CHECKING:
    from storage.project import Project

ITEM_KINDS = ("series", "document", "pair")
STATUSES = (
    "not_started",
    "in_progress",
    "submitted",
    "reviewed",
    "approved",
    "rejected",
    "locked",
)


@mutation("items.add_item")
def add_item(
    records: RecordStore,
    kind: str,
    title: str,
    source: Mapping[str, Any],
    *,
    assignee: str | None = None,
    due: str | None = None,
) -> Revision:
    """Add an item to the worklist; its item ID is its record ID."""
    if kind not in ITEM_KINDS:
        raise RecordError(f"unknown item kind {kind!r}", record="item")
    body = {
        "kind": kind,
        "title": title,
        "status": "not_started",
        "assignee": assignee,
        "due": due,
        "source": dict(source),
    }
    return records.create("item", body)


@mutation("items.set_item_status")
def set_item_status(
    records: RecordStore, item_id: str, status: str, *, reason: str | None = None
) -> Revision:
    """Move an item to ``status`` with a new revision.

    Raises
    ------
    TransitionError
        When the move is not allowed (see :mod:`storage.states`): a skipped
        state, approving one's own work, a missing reason, a locked item.
    PermissionDeniedError
        When the signed-in user's roles do not allow the move.
    """
    if status not in STATUSES:
        raise RecordError(f"unknown status {status!r}", record=item_id)
    current = records.head(item_id)
    if current.body.get("status") == status:
        return current
    if current.body.get("status") == states.LOCKED:
        raise TransitionError(
            "locked",
            record=item_id,
            problem="it is locked; a site lead must sign an unlock with a reason",
        )
    return records.revise(item_id, {**current.body, "status": status}, reason=reason)


@mutation("items.unlock_item")
def unlock_item(
    project: Project,
    item_id: str,
    *,
    reason: str,
    site_lead_id: str,
    site_lead_password: str,
) -> Revision:
    """Unlock a locked item: a site lead signs the unlock with a reason.

    The signature (meaning ``unlocked``) and the move back to in_progress
    commit together.

    Raises
    ------
    TransitionError
        When the item is not locked or no reason is given.
    WrongPasswordError, PermissionDeniedError
        When the site lead's password is wrong or they are not a site lead.
    """
    from storage.signatures import authenticate_signer, sign_with

    current = project.records.head(item_id)
    if current.body.get("status") != states.LOCKED:
        raise TransitionError("not locked", record=item_id, problem="it is not locked")
    if not reason.strip():
        raise TransitionError(
            "reason", record=item_id, problem="unlocking needs a reason"
        )

    # The password check stays outside the transaction, so a failure is
    # recorded even though nothing else is written.
    signer = authenticate_signer(
        project, "unlocked", password=site_lead_password, user_id=site_lead_id
    )
    with project.records.transaction():
        sign_with(project, signer, [item_id], "unlocked", reason=reason)
        with project.records.unlocking(item_id):
            return project.records.revise(
                item_id, {**current.body, "status": states.IN_PROGRESS}, reason=reason
            )


def list_items(records: RecordStore, kind: str | None = None) -> list[Revision]:
    """Return the live items, oldest first, of one kind or of all."""
    items = records.current("item")
    if kind is None:
        return items
    return [item for item in items if item.body.get("kind") == kind]
