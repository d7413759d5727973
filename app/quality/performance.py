"""Work monitoring: items per status per assignee, overdue items, time per item.

An item is overdue when its due date (``due``, an ISO date or date-time,
compared as a UTC date) is before today and it has not been submitted yet:
its status is not_started, in_progress or rejected (sent back).
"""

from __future__ import annotations

import logging
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.quality.drift import ItemTime
from app.quality.errors import QualityError
from storage.items import STATUSES, list_items
from storage.records import RecordStore, Revision

__all__ = [
    "OPEN_STATUSES",
    "AssigneeLoad",
    "OverdueItem",
    "assignee_loads",
    "overdue_items",
]

logger = logging.getLogger(__name__)

#: Statuses in which an item still waits for its assignee's work.
OPEN_STATUSES = ("not_started", "in_progress", "rejected")

#: How an item without an assignee is listed.
UNASSIGNED = ""


@dataclass(frozen=True)
class AssigneeLoad:
    """One assignee's items: count per status, overdue count, time per item.

    ``median_seconds`` is over the items this person finished
    (:func:`app.quality.drift.item_times`), None before any.
    """

    assignee: str
    counts: tuple[tuple[str, int], ...]
    overdue: int
    finished: int
    median_seconds: float | None

    def count(self, status: str) -> int:
        """Return the number of the assignee's items in ``status``."""
        return dict(self.counts).get(status, 0)

    @property
    def total(self) -> int:
        """All the assignee's items."""
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class OverdueItem:
    """An item past its due date and not yet submitted."""

    item_id: str
    kind: str
    title: str
    assignee: str
    status: str
    due: str
    days_overdue: int


def _due_date(item: Revision) -> date | None:
    due = item.body.get("due")
    if due in (None, ""):
        return None
    text = str(due)
    try:
        if len(text) == len("2026-12-03"):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text).date()
    except ValueError as error:
        raise QualityError(
            f"item {item.record_id} has due date {due!r}",
            record=item.record_id,
            problem="the due date is not an ISO date",
        ) from error


def overdue_items(records: RecordStore, *, today: date) -> list[OverdueItem]:
    """Return the open items whose due date is before ``today``, most overdue first.

    Raises
    ------
    QualityError
        When an item's due date is not an ISO date.
    """
    found = []
    for item in list_items(records):
        due = _due_date(item)
        status = str(item.body.get("status"))
        if due is None or due >= today or status not in OPEN_STATUSES:
            continue
        found.append(
            OverdueItem(
                item_id=item.record_id,
                kind=str(item.body.get("kind")),
                title=str(item.body.get("title", "")),
                assignee=str(item.body.get("assignee") or UNASSIGNED),
                status=status,
                due=due.isoformat(),
                days_overdue=(today - due).days,
            )
        )
    found.sort(key=lambda o: (-o.days_overdue, o.title))
    logger.info("%d overdue items", len(found))
    return found


def assignee_loads(
    records: RecordStore, times: Sequence[ItemTime], *, today: date
) -> list[AssigneeLoad]:
    """Return every assignee's items per status, overdue items and time per item.

    Parameters
    ----------
    records
        The project's record store.
    times
        Finished items' times (:func:`app.quality.drift.item_times`).
    today
        The UTC date against which due dates are compared.

    Returns
    -------
    list of AssigneeLoad
        By user ID; unassigned items under ``""`` first.
    """
    counts: dict[str, Counter[str]] = {}
    for item in list_items(records):
        assignee = str(item.body.get("assignee") or UNASSIGNED)
        counts.setdefault(assignee, Counter())[str(item.body.get("status"))] += 1
    overdue = Counter(o.assignee for o in overdue_items(records, today=today))
    seconds: dict[str, list[float]] = {}
    for t in times:
        seconds.setdefault(t.person, []).append(t.seconds)

    loads = []
    for person in sorted(set(counts) | set(seconds)):
        found = counts.get(person, Counter())
        mine = seconds.get(person, [])
        loads.append(
            AssigneeLoad(
                assignee=person,
                counts=tuple((s, found[s]) for s in STATUSES if found[s]),
                overdue=overdue[person],
                finished=len(mine),
                median_seconds=float(statistics.median(mine)) if mine else None,
            )
        )
    return loads
