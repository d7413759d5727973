"""Record states (21 CFR 11.10(f)): which moves are allowed, by whom, with what.

An item moves not_started -> in_progress -> submitted -> reviewed ->
approved or rejected -> locked. The records that belong to an item (ROIs,
spans, codes, judgements) take their state from it: while the item is
submitted, reviewed, approved or rejected, changing or deleting them needs a
reason; while it is locked they cannot change at all until a site lead signs
an unlock with a reason. :class:`storage.records.RecordStore` applies these
rules to every write, so no screen can skip them.
"""

from __future__ import annotations

from storage.errors import TransitionError

# The item statuses (storage.items.STATUSES keeps these names).
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
REVIEWED = "reviewed"
APPROVED = "approved"
REJECTED = "rejected"
LOCKED = "locked"

TRANSITIONS: dict[str, frozenset[str]] = {
    NOT_STARTED: frozenset({IN_PROGRESS, SUBMITTED}),
    IN_PROGRESS: frozenset({SUBMITTED}),
    # Back to in_progress: the author withdraws the submission, with a reason.
    SUBMITTED: frozenset({REVIEWED, REJECTED, IN_PROGRESS}),
    REVIEWED: frozenset({APPROVED, REJECTED}),
    REJECTED: frozenset({IN_PROGRESS, LOCKED}),
    APPROVED: frozenset({LOCKED}),
    # Only through storage.items.unlock_item, which needs a site lead's signature.
    LOCKED: frozenset({IN_PROGRESS}),
}

# States in which a change to the item's records needs a reason.
NEEDS_REASON = frozenset({SUBMITTED, REVIEWED, APPROVED, REJECTED})

# Moves that need a reason whatever the state.
MOVES_NEEDING_REASON = frozenset(
    {
        (SUBMITTED, IN_PROGRESS),
        (SUBMITTED, REJECTED),
        (REVIEWED, REJECTED),
        (LOCKED, IN_PROGRESS),
        (REJECTED, LOCKED),
    }
)

# Record types that are about records rather than content: they may be added
# to an item in any state (a signature on an approved item, an alert).
EXEMPT_TYPES = frozenset({"signature", "alert"})


def check_transition(
    record_id: str,
    old: str,
    new: str,
    *,
    user_id: str,
    submitter: str | None,
    reason: str | None,
    is_unlock: bool = False,
) -> None:
    """Raise TransitionError unless ``old`` -> ``new`` is allowed here.

    ``submitter`` is the user who moved the item to submitted most recently:
    they may not review or approve their own work.
    """
    if new not in TRANSITIONS.get(old, frozenset()):
        raise TransitionError(
            f"{old} -> {new}", record=record_id, problem=f"no move from {old} to {new}"
        )
    if old == LOCKED and not is_unlock:
        raise TransitionError(
            "locked",
            record=record_id,
            problem="it is locked; a site lead must sign an unlock with a reason",
        )
    if (old, new) in MOVES_NEEDING_REASON and not (reason and reason.strip()):
        raise TransitionError(
            "reason", record=record_id, problem=f"moving to {new} needs a reason"
        )
    if new in (REVIEWED, APPROVED) and submitter == user_id:
        raise TransitionError(
            "own work",
            record=record_id,
            problem="nobody reviews or approves their own work",
        )


def check_change(record_id: str, state: str | None, reason: str | None) -> None:
    """Raise TransitionError unless a record in an item at ``state`` may change."""
    if state == LOCKED:
        raise TransitionError(
            "locked",
            record=record_id,
            problem="its item is locked; a site lead must sign an unlock first",
        )
    if state in NEEDS_REASON and not (reason and reason.strip()):
        raise TransitionError(
            "reason",
            record=record_id,
            problem=f"its item is {state}; a change needs a reason",
        )
