"""Detection scores (precision, recall, F1) and one-to-one matching by overlap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from storage.records import Revision

__all__ = ["ADJUDICATED_FROM", "F1Score", "is_adjudicated", "match_by_overlap"]

#: Body key of a record written by an adjudication (:mod:`app.workflow`):
#: the IDs of the annotators' records it was chosen from.
ADJUDICATED_FROM = "adjudicated_from"


def is_adjudicated(revision: Revision) -> bool:
    """Whether a record is an adjudication's consensus rather than a rater's work.

    Its author is the adjudicator, who did not rate the item: agreement,
    gold scores, drift and side bias leave such records out.
    """
    return ADJUDICATED_FROM in revision.body


@dataclass(frozen=True)
class F1Score:
    """Matches of candidate annotations against reference annotations.

    Parameters
    ----------
    matched
        Candidate annotations paired one-to-one with a reference annotation.
    reference
        Reference annotations (rater A, or the gold standard).
    candidate
        Candidate annotations (rater B, or the annotator scored).
    """

    matched: int
    reference: int
    candidate: int

    @property
    def precision(self) -> float | None:
        """Matched over candidate annotations; None without any candidate."""
        return self.matched / self.candidate if self.candidate else None

    @property
    def recall(self) -> float | None:
        """Matched over reference annotations; None without any reference."""
        return self.matched / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall: 2 matched / (ref. + candidates)."""
        total = self.reference + self.candidate
        return 2.0 * self.matched / total if total else None

    def __add__(self, other: F1Score) -> F1Score:
        return F1Score(
            self.matched + other.matched,
            self.reference + other.reference,
            self.candidate + other.candidate,
        )


def match_by_overlap(overlap: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pair rows with columns one-to-one so that the summed overlap is largest.

    Parameters
    ----------
    overlap
        ``overlap[i][j]`` >= 0 between reference ``i`` and candidate ``j``
        (shared characters, IoU, ...).

    Returns
    -------
    list of (int, int)
        (reference index, candidate index) pairs with an overlap above 0,
        sorted by reference index.
    """
    table = np.asarray(overlap, dtype=float)
    if table.size == 0:
        return []
    rows, columns = linear_sum_assignment(table, maximize=True)
    return sorted(
        (int(r), int(c)) for r, c in zip(rows, columns, strict=True) if table[r, c] > 0
    )
