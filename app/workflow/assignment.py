"""Assignment of items to annotators, their queue, submission and blind reading.

An item's body names its annotators in ``"annotators"`` (one, or two or more
for double annotation), the first of them in ``"assignee"`` (the worklist
column), its ``"due"`` date (ISO ``YYYY-MM-DD``) and in ``"submitted_by"``
the annotators who have submitted this round. Each change is a new revision
of the item, audited by :class:`storage.records.RecordStore` like any other.

While an item annotated by two or more people is not submitted by all of
them, each annotator sees only the records they made themselves (blind
double annotation); :func:`visible_records` is the one way screens read them,
and :func:`shown_records` adds who made each record where both sides show.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from app.workflow.errors import (
    AssignmentError,
    BlindReviewError,
    NotAnnotatorError,
    OwnWorkError,
    WorkflowError,
)
from storage import states
from storage.errors import PermissionDeniedError
from storage.items import list_items, set_item_status
from storage.records import Revision
from storage.users import read_user

if TYPE_CHECKING:
    from storage.project import Project

__all__ = [
    "ASSIGNERS",
    "OVERSEERS",
    "ItemState",
    "ShownRecords",
    "annotation_records",
    "assign_item",
    "blind_items",
    "check_reviewer",
    "item_state",
    "my_work",
    "record_author",
    "shown_records",
    "start_work",
    "submit_work",
    "visible_records",
]

logger = logging.getLogger(__name__)

#: Roles that may assign items (the site decides who annotates what).
ASSIGNERS = frozenset({"site_lead", "admin"})

#: Roles that see both sides of a double-annotated item (review, adjudication).
OVERSEERS = frozenset({"reviewer", "site_lead", "admin"})

#: Statuses in which an item waits for its annotators' work.
OPEN_STATUSES = (states.NOT_STARTED, states.IN_PROGRESS, states.REJECTED)

#: Record types about records rather than content: never annotation.
_NOT_ANNOTATION = frozenset({"item", "signature", "alert"})


@dataclass(frozen=True)
class ItemState:
    """Where an item stands in the workflow.

    Parameters
    ----------
    item_id, title, kind, status
        From the item's current revision.
    annotators
        User IDs of the people annotating it (two or more: double annotation).
    submitted_by
        The annotators who submitted this round.
    due
        ISO date ``YYYY-MM-DD``, or None.
    rejection_reason
        Why the item was rejected, while it is rejected or being reworked.
    """

    item_id: str
    title: str
    kind: str
    status: str
    annotators: tuple[str, ...]
    submitted_by: tuple[str, ...]
    due: str | None
    rejection_reason: str | None

    @property
    def is_double(self) -> bool:
        """Whether two or more people annotate the item blind."""
        return len(self.annotators) >= 2

    @property
    def all_submitted(self) -> bool:
        """Whether every annotator has submitted this round."""
        return bool(self.annotators) and set(self.annotators) <= set(self.submitted_by)


def _annotators(body: dict[str, Any]) -> tuple[str, ...]:
    found = body.get("annotators")
    if isinstance(found, list) and found:
        return tuple(str(user) for user in found)
    assignee = body.get("assignee")
    return (str(assignee),) if assignee else ()


def _rejection_reason(project: Project, item_id: str, status: str) -> str | None:
    """Return why the item was last rejected, while it is rejected or reworked."""
    if status not in (states.REJECTED, states.IN_PROGRESS):
        return None
    reason = None
    previous = None
    for revision in project.records.history(item_id):
        now = revision.body.get("status")
        if now != previous:
            if now == states.REJECTED:
                reason = revision.reason
            elif not (now == states.IN_PROGRESS and previous == states.REJECTED):
                reason = None
        previous = now
    return reason


def item_state(project: Project, item_id: str) -> ItemState:
    """Return where the item ``item_id`` stands in the workflow.

    Raises
    ------
    WorkflowError
        When ``item_id`` names no item.
    """
    head = project.records.head(item_id)
    if head.record_type != "item":
        raise WorkflowError(
            f"{head.record_type} is not an item",
            record=item_id,
            problem="it is not a worklist item",
        )
    body = head.body
    status = str(body.get("status"))
    return ItemState(
        item_id=item_id,
        title=str(body.get("title", "")),
        kind=str(body.get("kind", "")),
        status=status,
        annotators=_annotators(body),
        submitted_by=tuple(str(user) for user in body.get("submitted_by") or ()),
        due=body.get("due"),
        rejection_reason=_rejection_reason(project, item_id, status),
    )


def assign_item(
    project: Project,
    item_id: str,
    annotators: Sequence[str],
    *,
    due: str | None = None,
    reason: str | None = None,
) -> Revision:
    """Assign an item to one annotator, or to two or more for double annotation.

    Parameters
    ----------
    project
        The signed-in project; its user must be a site lead or an admin.
    item_id
        The worklist item.
    annotators
        User IDs of active users with the annotator role, each once.
    due
        Due date as ISO ``YYYY-MM-DD``, or None.
    reason
        Why, when the assignment changes (kept in the item's revision).

    Returns
    -------
    Revision
        The item's new revision.

    Raises
    ------
    PermissionDeniedError
        Unless the signed-in user is a site lead or an admin.
    AssignmentError
        For an unknown, inactive or non-annotator user, a repeated one, a due
        date that is not ISO, or an item already submitted or later.
    """
    user = project.user
    if not (ASSIGNERS & user.roles) or not user.is_active:
        raise PermissionDeniedError(
            "assign item", user=user.user_id, action="assign items"
        )
    chosen = [a.strip() for a in annotators if a.strip()]
    if not chosen or len(set(chosen)) != len(chosen):
        raise AssignmentError(
            "annotators", record=item_id, problem="name each annotator once"
        )
    for annotator in chosen:
        found = read_user(project.connection, annotator)
        if found is None or not found.is_active or "annotator" not in found.roles:
            raise AssignmentError(
                annotator,
                record=item_id,
                problem=f"{annotator} is not an active annotator of the project",
            )
    if due is not None:
        try:
            date.fromisoformat(due)
        except ValueError:
            raise AssignmentError(
                due, record=item_id, problem=f"the due date {due} is not YYYY-MM-DD"
            ) from None
    state = item_state(project, item_id)
    if state.status not in OPEN_STATUSES:
        raise AssignmentError(
            state.status,
            record=item_id,
            item=state.title,
            problem=f"it is {state.status}; only open items are assigned",
        )

    body = {
        **project.records.head(item_id).body,
        "assignee": chosen[0],
        "annotators": chosen,
        "due": due,
        "submitted_by": [],
    }
    revision = project.records.revise(item_id, body, reason=reason)
    logger.info("item assigned to %d annotators", len(chosen))
    return revision


def _require_annotator(project: Project, state: ItemState) -> str:
    user_id = project.user.user_id
    if user_id not in state.annotators:
        raise NotAnnotatorError(
            "not assigned", user=user_id, record=state.item_id, item=state.title
        )
    return user_id


def start_work(project: Project, item_id: str) -> Revision:
    """Move an assigned item to in_progress (also a rejected one, to rework it).

    Raises
    ------
    NotAnnotatorError
        When the signed-in user is not one of the item's annotators.
    TransitionError
        When the item is not open.
    """
    state = item_state(project, item_id)
    _require_annotator(project, state)
    if state.status == states.IN_PROGRESS:
        return project.records.head(item_id)
    return set_item_status(project.records, item_id, states.IN_PROGRESS)


def submit_work(project: Project, item_id: str) -> Revision:
    """Submit the signed-in annotator's work on an item.

    The item moves to submitted once every annotator has submitted; until
    then it stays in progress and each annotator sees only their own records.

    Raises
    ------
    NotAnnotatorError
        When the signed-in user is not one of the item's annotators.
    WorkflowError
        When they submitted already or the item is not open.
    """
    state = item_state(project, item_id)
    user_id = _require_annotator(project, state)
    if user_id in state.submitted_by:
        raise WorkflowError(
            "submitted twice",
            record=item_id,
            item=state.title,
            problem="you submitted it already",
        )
    if state.status not in OPEN_STATUSES:
        raise WorkflowError(
            state.status,
            record=item_id,
            item=state.title,
            problem=f"it is {state.status}",
        )

    submitted = [*state.submitted_by, user_id]
    done = set(state.annotators) <= set(submitted)
    with project.records.transaction():
        # A rejected item is reworked in progress; submitted needs in progress
        # first unless one annotator submits straight away.
        if state.status == states.REJECTED or (
            state.status == states.NOT_STARTED and not done
        ):
            set_item_status(project.records, item_id, states.IN_PROGRESS)
        head = project.records.head(item_id)
        revision = project.records.revise(
            item_id, {**head.body, "submitted_by": submitted}
        )
        if done:
            revision = set_item_status(project.records, item_id, states.SUBMITTED)
    logger.info(
        "work submitted (%d of %d annotators)", len(submitted), len(state.annotators)
    )
    return revision


def my_work(project: Project, user_id: str | None = None) -> list[ItemState]:
    """Return the open items assigned to a user that they have not submitted.

    Parameters
    ----------
    project
        The signed-in project.
    user_id
        Whose work; the signed-in user by default.

    Returns
    -------
    list of ItemState
        Earliest due date first; items without one last, then by title.
    """
    who = user_id or project.user.user_id
    found = []
    for item in list_items(project.records):
        if who not in _annotators(item.body):
            continue
        if item.body.get("status") not in OPEN_STATUSES:
            continue
        if who in (item.body.get("submitted_by") or ()):
            continue
        found.append(item_state(project, item.record_id))
    found.sort(key=lambda s: (s.due is None, s.due or "", s.title, s.item_id))
    return found


def record_author(project: Project, record: Revision) -> str:
    """Return who created a record (its first revision's author)."""
    if record.supersedes is None:
        return record.author
    return project.records.history(record.record_id)[0].author


def annotation_records(
    project: Project, item_id: str, record_type: str | None = None
) -> list[Revision]:
    """Return every live annotation record of an item, adjudicated ones included.

    Screens use :func:`visible_records`, which keeps double annotation blind.
    """
    return [
        record
        for record in project.records.current(record_type, item_id=item_id)
        if record.record_type not in _NOT_ANNOTATION and record.record_id != item_id
    ]


def _is_blind(
    project: Project, annotators: Sequence[str], submitted_by: Sequence[str]
) -> bool:
    """Whether the signed-in user sees only their own records of an item.

    On an item annotated by two or more people: its annotators until all of
    them submitted, and always anyone who neither annotates it nor reviews
    (a judge working through the whole pair queue, say).
    """
    if len(annotators) < 2:
        return False
    user = project.user
    if user.user_id in annotators:
        return not set(annotators) <= set(submitted_by)
    return not (OVERSEERS & user.roles)


def visible_records(
    project: Project,
    item_id: str,
    record_type: str | None = None,
    *,
    of: str | None = None,
) -> list[Revision]:
    """Return the item's records the signed-in user may see now.

    While an item annotated by two or more people is not submitted by all of
    them, an annotator sees only the records they made; so does, always,
    a user who neither annotates the item nor has a role of
    :data:`OVERSEERS`. Items of one annotator show every record to everyone.

    Parameters
    ----------
    project
        The signed-in project.
    item_id
        The worklist item.
    record_type
        Only records of this type ("roi", "span", "judgement", ...).
    of
        Only the records this user made.

    Raises
    ------
    BlindReviewError
        When a blind user asks for another user's records (``of``).
    """
    state = item_state(project, item_id)
    me = project.user.user_id
    blind = _is_blind(project, state.annotators, state.submitted_by)
    if blind and of is not None and of != me:
        raise BlindReviewError("blind", record=item_id, item=state.title, user=me)
    wanted = me if blind else of
    records = annotation_records(project, item_id, record_type)
    if wanted is None:
        return records
    return [r for r in records if record_author(project, r) == wanted]


@dataclass(frozen=True)
class ShownRecords:
    """An item's records as a screen shows them to the signed-in user.

    Parameters
    ----------
    records
        What :func:`visible_records` returns, oldest first.
    authors
        Who made each record (record ID to user ID) where the screen labels
        records by author: on a double-annotated item for a user who sees
        both sides. Empty for items of one annotator and for blind users.
    adjudicated
        Record IDs among ``records`` written by an adjudication (the
        consensus; their author is the adjudicator).
    """

    records: tuple[Revision, ...]
    authors: Mapping[str, str] = field(default_factory=dict)
    adjudicated: frozenset[str] = frozenset()

    @property
    def by_author(self) -> bool:
        """Whether the screen labels each record with who made it."""
        return bool(self.authors)


def shown_records(
    project: Project, item_id: str, record_type: str | None = None
) -> ShownRecords:
    """Return the item's records the signed-in user sees, with their authors.

    The one way the item workspaces read an item's records: blind double
    annotation holds as in :func:`visible_records`; a reviewer, an
    adjudicator or a site lead, and the annotators once all submitted, get
    each record's author to label both sides.

    Parameters
    ----------
    project
        The signed-in project.
    item_id
        The worklist item.
    record_type
        Only records of this type ("roi", "span", "relation", "judgement").

    Returns
    -------
    ShownRecords
        The records, and their authors where both sides show.
    """
    state = item_state(project, item_id)
    records = visible_records(project, item_id, record_type)
    if not state.is_double or _is_blind(project, state.annotators, state.submitted_by):
        return ShownRecords(tuple(records))

    authors = {r.record_id: record_author(project, r) for r in records}
    adjudicated = frozenset(
        r.record_id for r in records if "adjudicated_from" in r.body
    )
    return ShownRecords(tuple(records), authors, adjudicated)


def blind_items(project: Project) -> frozenset[str]:
    """Return the items whose other people's records the signed-in user may not see.

    For screens that read records across items (the code suggestions of
    earlier spans): records of these items by anyone else stay out.
    """
    return frozenset(
        item.record_id
        for item in list_items(project.records)
        if _is_blind(
            project,
            _annotators(item.body),
            [str(user) for user in item.body.get("submitted_by") or ()],
        )
    )


def check_reviewer(project: Project, item_id: str) -> ItemState:
    """Raise unless the signed-in user may review the item (not their own work).

    A reviewer may not be one of the item's annotators nor the author of
    any of its annotation records; storage refuses the last submitter too.

    Raises
    ------
    OwnWorkError
        When the signed-in user annotated the item.
    """
    state = item_state(project, item_id)
    me = project.user.user_id
    authors = {
        record_author(project, record)
        for record in annotation_records(project, item_id)
        if "adjudicated_from" not in record.body
    }
    if me in state.annotators or me in authors:
        raise OwnWorkError("own work", user=me, record=item_id, item=state.title)
    return state
