"""Drift of annotators' labels over time windows and of their time per item.

A window's labels are those whose record took its current value within the
window (the head revision's time, UTC). Each annotator's labels in a window
are compared with every other label of the same record type in the project
by a chi-square test of homogeneity; p < 0.01 flags the window.
"""

from __future__ import annotations

import logging
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from scipy.stats import chi2_contingency, linregress

from app.preference.judgements import JUDGEMENT
from app.quality.errors import QualityError
from app.quality.preference import Verdict
from app.quality.scores import is_adjudicated
from storage.items import list_items
from storage.records import RecordStore, Revision

__all__ = [
    "ALPHA",
    "ItemTime",
    "LabelDrift",
    "Labelled",
    "TimeTrend",
    "item_times",
    "label_drift",
    "labelled_records",
    "time_trends",
]

logger = logging.getLogger(__name__)

#: p-value under which a window or a trend is flagged.
ALPHA = 0.01


@dataclass(frozen=True)
class Labelled:
    """One label given: record type ("span", "roi", "judgement"), who, what, when."""

    record_type: str
    author: str
    label: str
    created_at: str


@dataclass(frozen=True)
class LabelDrift:
    """One annotator's labels of one record type in one time window.

    Parameters
    ----------
    annotator, record_type
        The user ID and the record type.
    window_start, window_end
        UTC dates; the window holds ``window_start`` <= day < ``window_end``.
    counts
        (label, count) of the annotator's labels in the window, by label.
    chi2, dof, p_value
        Chi-square test (no continuity correction) of the 2 x k table: these
        counts against every other label of the record type in the project;
        None when fewer than two labels occur or no other label exists.
    min_expected
        The smallest expected count of that table; below 5 the p-value is
        only approximate (read it with care).
    is_flagged
        ``p_value`` below the threshold.
    """

    annotator: str
    record_type: str
    window_start: str
    window_end: str
    counts: tuple[tuple[str, int], ...]
    chi2: float | None
    dof: int | None
    p_value: float | None
    is_flagged: bool
    min_expected: float | None = None

    @property
    def n_labels(self) -> int:
        """Labels the annotator gave in the window."""
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class ItemTime:
    """Seconds one person spent on one item, finished at ``finished_at`` (UTC)."""

    item_id: str
    person: str
    kind: str
    seconds: float
    finished_at: str


@dataclass(frozen=True)
class TimeTrend:
    """A person's time per item, in the order the items were finished.

    ``slope`` is seconds per item of a least-squares line over the items in
    finishing order, ``p_value`` its two-sided test against no trend; both
    None for fewer than three items. ``is_flagged`` when ``p_value`` < 0.01.
    """

    person: str
    items: int
    median_seconds: float
    slope: float | None
    p_value: float | None
    is_flagged: bool


def _day(created_at: str) -> date:
    try:
        return datetime.fromisoformat(created_at).date()
    except ValueError as error:
        raise QualityError(f"bad time {created_at!r}", problem=str(error)) from error


def labelled_records(
    records: RecordStore, verdicts: Sequence[Verdict] = ()
) -> list[Labelled]:
    """Return the labels of every live span and ROI, and the pair verdicts given.

    Records written by an adjudication are left out (the consensus, not the
    adjudicator's labelling).

    Raises
    ------
    QualityError
        When a span or ROI has no label.
    """
    # Known shortcoming: a label's time is its head revision's, so relabelling
    # an old span moves it into the window of the relabel.
    found = []
    for record_type in ("span", "roi"):
        for r in records.current(record_type):
            if is_adjudicated(r):
                continue  # the consensus, not the adjudicator's labelling
            label = r.body.get("label")
            if not isinstance(label, str) or not label:
                raise QualityError(
                    f"{record_type} {r.record_id} has no label", record=r.record_id
                )
            found.append(Labelled(record_type, r.author, label, r.created_at))
    found += [Labelled(JUDGEMENT, v.judge, v.outcome, v.created_at) for v in verdicts]
    return found


def label_drift(
    labelled: Sequence[Labelled], *, window_days: int = 7, alpha: float = ALPHA
) -> list[LabelDrift]:
    """Test every annotator's label distribution per window against the project's.

    Parameters
    ----------
    labelled
        From :func:`labelled_records`.
    window_days
        Width of a window; windows start on the day of the first label of the
        record type.
    alpha
        Flag windows whose p-value is below it.

    Returns
    -------
    list of LabelDrift
        Sorted by record type, annotator and window.
    """
    if window_days < 1:
        raise QualityError(str(window_days), problem="a window is at least one day")
    found = []
    for record_type in sorted({x.record_type for x in labelled}):
        mine = [x for x in labelled if x.record_type == record_type]
        origin = min(_day(x.created_at) for x in mine)
        cells: dict[tuple[str, int], Counter[str]] = {}
        for x in mine:
            window = (_day(x.created_at) - origin).days // window_days
            cells.setdefault((x.author, window), Counter())[x.label] += 1
        total = Counter(x.label for x in mine)
        for (author, window), counts in sorted(cells.items()):
            start = origin + timedelta(days=window * window_days)
            found.append(
                _drift(record_type, author, start, window_days, counts, total, alpha)
            )
    logger.info(
        "label drift: %d windows, %d flagged",
        len(found),
        sum(d.is_flagged for d in found),
    )
    return found


def _drift(
    record_type: str,
    author: str,
    start: date,
    window_days: int,
    counts: Counter[str],
    total: Counter[str],
    alpha: float,
) -> LabelDrift:
    labels = sorted(total)
    rest = total - counts
    chi2 = p_value = smallest = None
    dof = None
    if len(labels) >= 2 and sum(rest.values()) > 0:
        table = np.array([[counts[x] for x in labels], [rest[x] for x in labels]])
        result = chi2_contingency(table, correction=False)
        chi2, p_value, dof = float(result[0]), float(result[1]), int(result[2])
        smallest = float(np.min(result[3]))
    return LabelDrift(
        annotator=author,
        record_type=record_type,
        window_start=start.isoformat(),
        window_end=(start + timedelta(days=window_days)).isoformat(),
        counts=tuple(sorted(counts.items())),
        chi2=chi2,
        dof=dof,
        p_value=p_value,
        is_flagged=p_value is not None and p_value < alpha,
        min_expected=smallest,
    )


def item_times(
    records: RecordStore, verdicts: Sequence[Verdict] = ()
) -> list[ItemTime]:
    """Return the time spent per finished item, oldest finish first.

    Series and documents: from the first move to in_progress to the next move
    to submitted, for the person who submitted. Pairs: each judge's own
    ``seconds`` in the judgement. Items never submitted are not finished.
    """
    found = []
    for item in list_items(records):
        if item.body.get("kind") == "pair":
            continue
        timed = _submission_time(records.history(item.record_id))
        if timed is not None:
            person, seconds, finished = timed
            found.append(
                ItemTime(
                    item.record_id, person, str(item.body["kind"]), seconds, finished
                )
            )
    found += [
        ItemTime(v.item_id, v.judge, "pair", v.seconds, v.created_at) for v in verdicts
    ]
    return sorted(found, key=lambda t: t.finished_at)


def _submission_time(history: Sequence[Revision]) -> tuple[str, float, str] | None:
    # Known shortcoming: only the first in_progress -> submitted stretch is
    # timed; rework after a rejection is not added to the item's time.
    started: datetime | None = None
    for revision in history:
        status = revision.body.get("status")
        when = datetime.fromisoformat(revision.created_at)
        if status == "in_progress" and started is None:
            started = when
        elif status == "submitted" and started is not None:
            seconds = (when - started).total_seconds()
            return revision.author, seconds, revision.created_at
    return None


def time_trends(times: Sequence[ItemTime], alpha: float = ALPHA) -> list[TimeTrend]:
    """Return each person's median time per item and its trend, by user ID."""
    by_person: dict[str, list[float]] = {}
    for t in sorted(times, key=lambda t: t.finished_at):
        by_person.setdefault(t.person, []).append(t.seconds)
    found = []
    for person, seconds in sorted(by_person.items()):
        slope = p_value = None
        if len(seconds) >= 3 and len(set(seconds)) > 1:
            fit = linregress(np.arange(len(seconds), dtype=float), seconds)
            slope, p_value = float(fit.slope), float(fit.pvalue)
        found.append(
            TimeTrend(
                person=person,
                items=len(seconds),
                median_seconds=float(statistics.median(seconds)),
                slope=slope,
                p_value=p_value,
                is_flagged=p_value is not None and p_value < alpha,
            )
        )
    return found
