"""Errors of the review workflow: assignment, blind double review, adjudication."""

from __future__ import annotations

from typing import Any

from storage.errors import QT_TRANSLATE_NOOP, ServiceError


class WorkflowError(ServiceError):
    """A workflow step cannot be taken on an item.

    Messages name the item by ``item`` (its title, as users know it); raise
    with ``item=state.title`` where the title is known. Without it the
    item's ID (``record``) stands in, so that no placeholder is left empty.
    """

    what = QT_TRANSLATE_NOOP("errors", "The item {item} cannot move on: {problem}.")

    def __init__(self, detail: str = "", **fields: Any) -> None:
        if not fields.get("item") and fields.get("record") is not None:
            fields["item"] = fields["record"]
        super().__init__(detail, **fields)

    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was changed. Check the item's status and try again."
    )


class AssignmentError(WorkflowError):
    """The annotators or the due date of an assignment cannot be used."""

    what = QT_TRANSLATE_NOOP("errors", "The item {item} cannot be assigned: {problem}.")
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Nothing was changed. Name active users with the annotator role and a "
        "due date as YYYY-MM-DD.",
    )


class NotAnnotatorError(WorkflowError):
    """The signed-in user is not one of the item's annotators."""

    what = QT_TRANSLATE_NOOP("errors", "{user} is not an annotator of the item {item}.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was changed. Ask the site lead to assign the item to you."
    )


class BlindReviewError(WorkflowError):
    """An annotator asked for another annotator's records before both submitted."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "The records of the item {item} stay hidden from {user} until every "
        "annotator has submitted.",
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "The item is annotated blind twice. Submit your own work first."
    )


class OwnWorkError(WorkflowError):
    """A reviewer or adjudicator annotated the item they would review."""

    what = QT_TRANSLATE_NOOP(
        "errors", "{user} annotated the item {item} and cannot review it."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Nothing was changed. Nobody reviews their own work: ask another reviewer.",
    )


class AdjudicationError(WorkflowError):
    """The choices for an adjudication are incomplete or out of date."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The adjudication of {item} cannot be saved: {problem}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Nothing was changed or signed. Choose a side for every difference and "
        "give a reason.",
    )
