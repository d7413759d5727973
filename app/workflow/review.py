"""Review decisions: the review queue, approving and rejecting submitted items.

Approving and rejecting are signed (meanings ``approved`` and ``rejected``,
21 CFR 11.50) over the item and the records it holds: the adjudicated
records where there are any, else every annotation record. A rejected item
goes back to its annotators, who see the reason in their queue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.workflow.adjudication import ItemAgreement, compare_item
from app.workflow.assignment import (
    ItemState,
    annotation_records,
    check_reviewer,
)
from app.workflow.errors import OwnWorkError, WorkflowError
from storage import states
from storage.items import list_items, set_item_status
from storage.records import Revision
from storage.signatures import authenticate_signer, sign_with

if TYPE_CHECKING:
    from storage.project import Project

__all__ = [
    "QueueEntry",
    "ReviewDecision",
    "approve_item",
    "check_approver",
    "records_to_sign",
    "reject_item",
    "review_queue",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueEntry:
    """An item waiting for review, adjudication or approval.

    ``agreement`` is given for double-annotated items only.
    """

    state: ItemState
    needs_adjudication: bool
    agreement: ItemAgreement | None


@dataclass(frozen=True)
class ReviewDecision:
    """The item's new revision and the signature of the decision."""

    item: Revision
    signature: Revision


def review_queue(project: Project, *, with_agreement: bool = True) -> list[QueueEntry]:
    """Return the items the signed-in user may review, adjudicate or approve.

    Items they annotated, and reviewed items they adjudicated, are left out
    (nobody reviews or approves their own work).

    Parameters
    ----------
    project
        The signed-in project.
    with_agreement
        Compute each double-annotated item's agreement (masks for ROIs).

    Returns
    -------
    list of QueueEntry
        Submitted items, then reviewed ones, each earliest due date first.
    """
    found = []
    for item in list_items(project.records):
        status = item.body.get("status")
        if status not in (states.SUBMITTED, states.REVIEWED):
            continue
        try:
            state = (
                check_approver(project, item.record_id)
                if status == states.REVIEWED
                else check_reviewer(project, item.record_id)
            )
        except OwnWorkError:
            continue
        needs = state.is_double and status == states.SUBMITTED
        agreement = None
        if with_agreement and state.is_double:
            agreement = compare_item(project, item.record_id).agreement
        found.append(QueueEntry(state, needs, agreement))
    found.sort(
        key=lambda e: (
            e.state.status != states.SUBMITTED,
            e.state.due is None,
            e.state.due or "",
            e.state.title,
        )
    )
    return found


def records_to_sign(project: Project, item_id: str) -> list[str]:
    """Return the item and the records a decision on it signs.

    The adjudicated records where the item was adjudicated, else every live
    annotation record; the item itself first.
    """
    records = annotation_records(project, item_id)
    adjudicated = [r for r in records if "adjudicated_from" in r.body]
    return [item_id, *(r.record_id for r in (adjudicated or records))]


def _adjudicators(project: Project, item_id: str) -> set[str]:
    return {
        record.author
        for record in annotation_records(project, item_id)
        if "adjudicated_from" in record.body
    }


def check_approver(project: Project, item_id: str) -> ItemState:
    """Raise unless the signed-in user may approve the item.

    Neither an annotator nor the adjudicator approves: the adjudicated
    records are the adjudicator's own work.

    Raises
    ------
    OwnWorkError
        When the signed-in user annotated or adjudicated the item.
    """
    state = check_reviewer(project, item_id)
    me = project.user.user_id
    if me in _adjudicators(project, item_id):
        raise OwnWorkError(
            "own adjudication", user=me, record=item_id, item=state.title
        )
    return state


def approve_item(
    project: Project,
    item_id: str,
    *,
    password: str,
    user_id: str | None = None,
    reason: str | None = None,
) -> ReviewDecision:
    """Approve a submitted or reviewed item and sign it with the meaning approved.

    A submitted item of one annotator moves through reviewed to approved; a
    double-annotated one must be adjudicated (reviewed) first, and then
    someone other than the adjudicator approves it.

    Raises
    ------
    OwnWorkError
        When the signed-in user annotated or adjudicated the item.
    WorkflowError
        When the item is not submitted or reviewed, or needs adjudication.
    WrongPasswordError, SessionExpiredError, PermissionDeniedError
        When the signature is refused; nothing is written then.
    """
    state = check_approver(project, item_id)
    if state.status not in (states.SUBMITTED, states.REVIEWED):
        raise WorkflowError(
            state.status,
            record=item_id,
            item=state.title,
            problem=f"it is {state.status}",
        )
    if state.status == states.SUBMITTED and state.is_double:
        raise WorkflowError(
            "adjudicate first",
            record=item_id,
            item=state.title,
            problem="its two annotations must be adjudicated first",
        )

    signer = authenticate_signer(
        project, "approved", password=password, user_id=user_id
    )
    with project.records.transaction():
        if state.status == states.SUBMITTED:
            set_item_status(project.records, item_id, states.REVIEWED, reason=reason)
        item = set_item_status(project.records, item_id, states.APPROVED, reason=reason)
        signature = sign_with(
            project,
            signer,
            records_to_sign(project, item_id),
            "approved",
            reason=reason,
        )
    logger.info("item approved")
    return ReviewDecision(item, signature)


def reject_item(
    project: Project,
    item_id: str,
    *,
    reason: str,
    password: str,
    user_id: str | None = None,
) -> ReviewDecision:
    """Reject a submitted or reviewed item with a reason, signed as rejected.

    The item returns to its annotators: every one of them submits again, and
    :func:`app.workflow.assignment.my_work` shows them the reason. A rejected
    adjudication's records are deleted (with the reason; their history
    stays), so that the next round is adjudicated afresh.

    Raises
    ------
    WorkflowError
        Without a reason, or when the item is not submitted or reviewed.
    OwnWorkError
        When the signed-in user annotated the item.
    WrongPasswordError, SessionExpiredError, PermissionDeniedError
        When the signature is refused; nothing is written then.
    """
    state = check_reviewer(project, item_id)
    if not reason.strip():
        raise WorkflowError(
            "reason",
            record=item_id,
            item=state.title,
            problem="a rejection needs a reason",
        )
    if state.status not in (states.SUBMITTED, states.REVIEWED):
        raise WorkflowError(
            state.status,
            record=item_id,
            item=state.title,
            problem=f"it is {state.status}",
        )

    signer = authenticate_signer(
        project, "rejected", password=password, user_id=user_id
    )
    with project.records.transaction():
        # An adjudication rejected is withdrawn: the next round is compared
        # and adjudicated afresh (the records stay in the item's history).
        for record in annotation_records(project, item_id):
            if "adjudicated_from" in record.body:
                project.records.delete(record.record_id, reason=reason)
        # A new round: every annotator submits again (and is blind again).
        # Cleared before the move, so that the signature holds the last state.
        current = project.records.head(item_id)
        project.records.revise(
            item_id, {**current.body, "submitted_by": []}, reason=reason
        )
        item = set_item_status(project.records, item_id, states.REJECTED, reason=reason)
        # The item and the annotators' records sent back to them.
        signature = sign_with(
            project,
            signer,
            records_to_sign(project, item_id),
            "rejected",
            reason=reason,
        )
    logger.info("item rejected")
    return ReviewDecision(item, signature)
