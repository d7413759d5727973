"""Agreement statistics: percent agreement, Cohen's kappa (weighted) and Fleiss' kappa.

Ratings are category names (text). Cohen's kappa compares two raters who
rated the same items; the weighted forms (linear, quadratic) are for ordinal
scales, where the order of ``categories`` is the order of the scale. Fleiss'
kappa compares three or more raters with the same number of ratings per item.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from app.quality.errors import RatingsError, RatingsTableError

__all__ = [
    "WEIGHTS",
    "Agreement",
    "MultiRaterAgreement",
    "cohen_kappa",
    "fleiss_kappa",
    "ordered_categories",
    "ratings_from_csv",
]

logger = logging.getLogger(__name__)

#: Weightings of Cohen's kappa: None (unweighted), linear or quadratic.
WEIGHTS = ("linear", "quadratic")


@dataclass(frozen=True)
class Agreement:
    """How far two raters agree on the same items.

    Parameters
    ----------
    categories
        The categories in scale order: rows and columns of ``confusion``.
    confusion
        Counts of items rated ``categories[i]`` by rater A (row) and
        ``categories[j]`` by rater B (column).
    n_items
        Items rated by both.
    observed
        Fraction of items on which both gave the same category (0 to 1).
    expected
        Fraction of exact agreement expected by chance from the raters'
        marginal distributions.
    kappa
        Cohen's kappa with ``weights``; None when it is undefined (chance
        agreement is already perfect, e.g. both raters used one category).
    weights
        None, ``"linear"`` or ``"quadratic"``.
    """

    categories: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    n_items: int
    observed: float
    expected: float
    kappa: float | None
    weights: str | None = None

    @property
    def percent_agreement(self) -> float:
        """Observed exact agreement in percent (0 to 100)."""
        return 100.0 * self.observed


@dataclass(frozen=True)
class MultiRaterAgreement:
    """How far three or more raters agree (Fleiss' kappa).

    Parameters
    ----------
    categories
        The categories, columns of the per-item counts.
    category_totals
        Ratings given to each category over all items and raters.
    n_items, n_raters
        Items, and ratings per item.
    observed
        Mean over items of the fraction of rater pairs that agree (Fleiss' P-bar).
    expected
        Chance agreement from the overall category proportions (P-bar-e).
    kappa
        Fleiss' kappa; None when undefined (every rating in one category).
    """

    categories: tuple[str, ...]
    category_totals: tuple[int, ...]
    n_items: int
    n_raters: int
    observed: float
    expected: float
    kappa: float | None

    @property
    def percent_agreement(self) -> float:
        """Mean pairwise agreement in percent (0 to 100)."""
        return 100.0 * self.observed


def ordered_categories(values: Sequence[str]) -> tuple[str, ...]:
    """Return the distinct ratings in scale order: numeric if all are numbers.

    Parameters
    ----------
    values
        Every rating given.

    Returns
    -------
    tuple of str
        Numbers sort by value ("2" before "10"); anything else sorts as text
        ("A" before "B").
    """
    distinct = set(values)
    try:
        return tuple(sorted(distinct, key=float))
    except ValueError:
        return tuple(sorted(distinct))


def cohen_kappa(
    rater_a: Sequence[str],
    rater_b: Sequence[str],
    *,
    categories: Sequence[str] | None = None,
    weights: str | None = None,
) -> Agreement:
    """Compare two raters' ratings of the same items.

    Parameters
    ----------
    rater_a, rater_b
        One rating per item, item ``i`` at index ``i`` in both.
    categories
        The categories in scale order; by default :func:`ordered_categories`
        of both raters' ratings. The order matters only for weighted kappa.
    weights
        None for Cohen's kappa, ``"linear"`` or ``"quadratic"`` for the
        weighted kappa of an ordinal scale (disagreement weight ``|i - j|``
        or ``(i - j)**2`` between category positions).

    Returns
    -------
    Agreement
        Counts, observed and chance agreement and kappa.

    Raises
    ------
    RatingsError
        When the lengths differ, there is no item, ``weights`` is unknown or a
        rating is not one of ``categories``.
    """
    if len(rater_a) != len(rater_b):
        raise RatingsError(
            f"{len(rater_a)} and {len(rater_b)} ratings",
            problem="the raters rated different numbers of items",
        )
    if not rater_a:
        raise RatingsError("no ratings", problem="there is no item rated by both")
    if weights is not None and weights not in WEIGHTS:
        raise RatingsError(str(weights), problem=f"weights must be one of {WEIGHTS}")
    cats = (
        tuple(categories)
        if categories is not None
        else ordered_categories([*rater_a, *rater_b])
    )
    unknown = (set(rater_a) | set(rater_b)) - set(cats)
    if unknown:
        raise RatingsError(
            str(sorted(unknown)), problem="some ratings are not among the categories"
        )

    index = {category: i for i, category in enumerate(cats)}
    table = np.zeros((len(cats), len(cats)), dtype=np.int64)
    np.add.at(table, ([index[v] for v in rater_a], [index[v] for v in rater_b]), 1)
    n = int(table.sum())
    observed = float(np.trace(table)) / n
    expected = float(table.sum(axis=1) @ table.sum(axis=0)) / (n * n)

    # Kappa divides by the chance disagreement; with none it is undefined.
    kappa: float | None = None
    if _chance_disagreement(table, weights) > 0:
        kappa = float(
            cohen_kappa_score(
                list(rater_a), list(rater_b), labels=list(cats), weights=weights
            )
        )
    return Agreement(
        categories=cats,
        confusion=tuple(tuple(int(v) for v in row) for row in table),
        n_items=n,
        observed=observed,
        expected=expected,
        kappa=kappa,
        weights=weights,
    )


def _chance_disagreement(table: np.ndarray, weights: str | None) -> float:
    """Return the weighted disagreement expected by chance (kappa's divisor)."""
    k = table.shape[0]
    positions = np.arange(k)
    distance = np.abs(positions[:, None] - positions[None, :]).astype(float)
    if weights is None:
        w = (distance > 0).astype(float)
    elif weights == "linear":
        w = distance
    else:
        w = distance**2
    n = table.sum()
    chance = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    return float((w * chance).sum())


def fleiss_kappa(
    ratings: Sequence[Sequence[str]], *, categories: Sequence[str] | None = None
) -> MultiRaterAgreement:
    """Compare three or more raters (Fleiss, 1971): (P-bar - P-bar-e) / (1 - P-bar-e).

    Parameters
    ----------
    ratings
        One row per item holding every rater's rating of it; every row has the
        same length (the raters need not be the same people on every item).
    categories
        The categories; by default the ratings' distinct values in order.

    Returns
    -------
    MultiRaterAgreement
        Category totals, mean pairwise agreement, chance agreement and kappa.

    Raises
    ------
    RatingsError
        When there is no item, fewer than two ratings per item, rows of
        different lengths, or a rating that is not one of ``categories``.
    """
    if not ratings:
        raise RatingsError("no items", problem="there is no item to compare")
    n_raters = len(ratings[0])
    if n_raters < 2 or any(len(row) != n_raters for row in ratings):
        raise RatingsError(
            f"ratings per item: {sorted({len(row) for row in ratings})}",
            problem="every item needs the same number (two or more) of ratings",
        )
    flat = [value for row in ratings for value in row]
    cats = tuple(categories) if categories is not None else ordered_categories(flat)
    unknown = set(flat) - set(cats)
    if unknown:
        raise RatingsError(
            str(sorted(unknown)), problem="some ratings are not among the categories"
        )

    index = {category: i for i, category in enumerate(cats)}
    table = np.zeros((len(ratings), len(cats)), dtype=np.int64)
    for row_number, row in enumerate(ratings):
        for value in row:
            table[row_number, index[value]] += 1
    per_item = (np.square(table).sum(axis=1) - n_raters) / (n_raters * (n_raters - 1))
    observed = float(per_item.mean())
    shares = table.sum(axis=0) / table.sum()
    expected = float(np.square(shares).sum())

    kappa = None if expected >= 1.0 else (observed - expected) / (1.0 - expected)
    return MultiRaterAgreement(
        categories=cats,
        category_totals=tuple(int(v) for v in table.sum(axis=0)),
        n_items=len(ratings),
        n_raters=n_raters,
        observed=observed,
        expected=expected,
        kappa=kappa,
    )


def ratings_from_csv(
    path: Path, rater_a: str, rater_b: str
) -> tuple[list[str], list[str]]:
    """Read two raters' columns from a CSV table with a header row.

    Parameters
    ----------
    path
        A UTF-8 CSV file (a byte order mark is allowed); quoted cells may hold
        line breaks.
    rater_a, rater_b
        Header names of the two raters' columns.

    Returns
    -------
    tuple of two lists of str
        The ratings, one per data row, with surrounding spaces removed.

    Raises
    ------
    RatingsTableError
        When the file cannot be read, a column is missing or a rating is empty
        (``row`` is the data row, 1 for the first row after the header).
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            for column in (rater_a, rater_b):
                if column not in header:
                    raise RatingsTableError(
                        f"columns are {header}",
                        path=path,
                        problem=f"there is no column {column!r}",
                    )
            a: list[str] = []
            b: list[str] = []
            for row_number, row in enumerate(reader, start=1):
                first = (row.get(rater_a) or "").strip()
                second = (row.get(rater_b) or "").strip()
                if not first or not second:
                    raise RatingsTableError(
                        f"row {row_number}",
                        path=path,
                        row=row_number,
                        problem=f"row {row_number} has an empty rating",
                    )
                a.append(first)
                b.append(second)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RatingsTableError(str(error), path=path, problem=str(error)) from error
    if not a:
        raise RatingsTableError("no rows", path=path, problem="the table has no rows")
    logger.info("read %d rating pairs from a CSV table", len(a))
    return a, b
