"""Differences between two annotators' records of an item, and their adjudication.

Records are paired before they are compared:

- ROIs on the same slice, first with the same label by the largest mask
  overlap (IoU of :func:`viewers.imaging.roi.roi_mask` masks in image pixel
  row/column), then the rest whatever their label; points and rulers pair
  with the same label and kind by the nearest points. A pair agrees when the
  labels are equal and the Dice coefficient is at least :data:`DICE_AGREES`
  (points within :data:`POINT_TOLERANCE_PX` pixels).
- Spans first by equal code-point offsets and label, then by the most shared
  characters; a pair agrees when offsets, label, attributes and code match.
- Judgements (one per judge) agree when the verdict and the response
  preferred (or the ranking) are equal.

The adjudicator takes one side of each difference, or writes a record of
their own; agreeing pairs are kept as annotator A drew them. The result is
a set of new records whose body adds ``"adjudicated_from"`` (the source
record IDs) and ``"adjudication_reason"``; the item moves to reviewed and the
adjudicator signs the item and those records with the meaning ``reviewed``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from app.quality.preference import preference_agreement, verdicts_of
from app.quality.rois import roi_agreement, rois_of
from app.quality.scores import match_by_overlap
from app.quality.spans import span_agreement, spans_of
from app.workflow.assignment import (
    annotation_records,
    check_reviewer,
    record_author,
)
from app.workflow.errors import AdjudicationError, WorkflowError
from storage import states
from storage.errors import HaiopsError
from storage.items import set_item_status
from storage.records import Revision
from storage.signatures import authenticate_signer, sign_with
from viewers.imaging.roi import roi_mask

if TYPE_CHECKING:
    from storage.project import Project

__all__ = [
    "DICE_AGREES",
    "EDIT",
    "LEFT",
    "POINT_TOLERANCE_PX",
    "RIGHT",
    "Adjudication",
    "Choice",
    "Comparison",
    "ItemAgreement",
    "Pair",
    "adjudicate_item",
    "choices_from_sides",
    "compare_item",
    "item_agreement",
]

logger = logging.getLogger(__name__)

#: Dice at or above which two ROIs with the same label agree.
DICE_AGREES = 0.9
#: Image pixels within which two points or ruler ends agree.
POINT_TOLERANCE_PX = 2.0

#: The adjudicator's answers to a difference.
LEFT, RIGHT, EDIT = "left", "right", "edit"

#: Record types compared per item kind.
COMPARED_TYPES: dict[str, tuple[str, ...]] = {
    "series": ("roi",),
    "document": ("span",),
    "pair": ("judgement", "ranking"),
}

_AREA_KINDS = ("rectangle", "ellipse", "polygon", "freehand")


@dataclass(frozen=True)
class Pair:
    """One unit of comparison: annotator A's record, B's, or both.

    Parameters
    ----------
    record_type
        "roi", "span", "judgement" or "ranking".
    left, right
        Annotator A's and B's record; None where one of them made none.
    problems
        Empty when the two agree; else some of ``only_a``, ``only_b``,
        ``label``, ``outline``, ``points``, ``offsets``, ``attributes``,
        ``code``, ``verdict``.
    overlap
        Dice of two ROIs, or shared characters over the union of two spans;
        None otherwise.
    """

    record_type: str
    left: Revision | None
    right: Revision | None
    problems: tuple[str, ...]
    overlap: float | None = None

    @property
    def is_difference(self) -> bool:
        """Whether the adjudicator must decide this pair."""
        return bool(self.problems)

    @property
    def source_ids(self) -> list[str]:
        """Record IDs of the annotators' records in the pair, A's first."""
        return [r.record_id for r in (self.left, self.right) if r is not None]


@dataclass(frozen=True)
class ItemAgreement:
    """Agreement of the two annotators on one item, from :mod:`app.quality`.

    ``measure`` is ``mean_dice`` (ROIs), ``lenient_f1`` (spans) or
    ``observed_agreement`` (verdicts, 0 to 1); ``value`` is None when there is
    nothing to compare; ``detail`` is the quality service's full result.
    """

    measure: str
    value: float | None
    detail: object = None


@dataclass(frozen=True)
class Comparison:
    """Two annotators' records of one item, paired."""

    item_id: str
    kind: str
    annotator_a: str
    annotator_b: str
    pairs: tuple[Pair, ...]
    agreement: ItemAgreement

    @property
    def differences(self) -> tuple[Pair, ...]:
        """The pairs the adjudicator decides, in reading order."""
        return tuple(p for p in self.pairs if p.is_difference)

    @property
    def matches(self) -> tuple[Pair, ...]:
        """The pairs on which both annotators agree."""
        return tuple(p for p in self.pairs if not p.is_difference)

    def revision_ids(self) -> list[str]:
        """Return the revisions compared (to tell whether records changed since)."""
        return sorted(r.revision_id for p in self.pairs for r in (p.left, p.right) if r)


@dataclass(frozen=True)
class Choice:
    """The adjudicator's answer to one difference.

    ``side`` is :data:`LEFT`, :data:`RIGHT` or :data:`EDIT`; ``body`` is the
    record the adjudicator wrote, for :data:`EDIT` only. Taking a side
    without a record (the annotator made none) keeps no record.
    """

    side: str
    body: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Adjudication:
    """What an adjudication wrote: the item, the adjudicated records, the signature."""

    item: Revision
    records: tuple[Revision, ...]
    signature: Revision


# -- ROIs ----------------------------------------------------------------------


def _slice_shape(project: Project, item_id: str) -> tuple[int, int]:
    source = project.records.head(item_id).body.get("source") or {}
    rows, columns = source.get("rows"), source.get("columns")
    if not isinstance(rows, int) or not isinstance(columns, int):
        raise WorkflowError(
            "no slice size",
            record=item_id,
            problem="its series has no rows and columns",
        )
    return rows, columns


def _points(record: Revision) -> list[tuple[float, float]]:
    return [(float(c), float(r)) for c, r in record.body["points_image"]]


def _mask(record: Revision, shape: tuple[int, int]) -> np.ndarray:
    try:
        return roi_mask(str(record.body["kind"]), _points(record), shape)
    except (KeyError, TypeError, ValueError, HaiopsError) as error:
        raise WorkflowError(
            f"ROI {record.record_id}: {error}",
            record=record.record_id,
            problem="its points do not make an outline",
        ) from error


def _dice_iou(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    both = int(np.count_nonzero(a & b))
    size = int(np.count_nonzero(a)) + int(np.count_nonzero(b))
    if size == 0:
        return 0.0, 0.0
    return 2.0 * both / size, both / (size - both)


def _point_distance(a: Revision, b: Revision) -> float:
    pa, pb = _points(a), _points(b)
    if len(pa) != len(pb):
        return math.inf
    return max(math.dist(p, q) for p, q in zip(pa, pb, strict=True))


def _pair_by(
    left: list[Revision],
    right: list[Revision],
    score: Callable[[Revision, Revision], float],
) -> list[tuple[Revision, Revision]]:
    """Pair records one-to-one by the largest total score (0: never paired)."""
    if not left or not right:
        return []
    matched = match_by_overlap([[score(a, b) for b in right] for a in left])
    return [(left[i], right[j]) for i, j in matched]


def _roi_pair(a: Revision, b: Revision, masks: Mapping[str, np.ndarray]) -> Pair:
    """Compare two paired ROIs: label, then outline (Dice) or points."""
    problems = []
    if a.body.get("label") != b.body.get("label"):
        problems.append("label")
    dice = None
    if a.record_id in masks and b.record_id in masks:
        dice = _dice_iou(masks[a.record_id], masks[b.record_id])[0]
        if dice < DICE_AGREES:
            problems.append("outline")
    elif _point_distance(a, b) > POINT_TOLERANCE_PX:
        problems.append("points")
    return Pair("roi", a, b, tuple(problems), dice)


def _roi_pairs(
    project: Project, item_id: str, left: list[Revision], right: list[Revision]
) -> list[Pair]:
    shape = _slice_shape(project, item_id)
    masks = {
        r.record_id: _mask(r, shape)
        for r in [*left, *right]
        if r.body.get("kind") in _AREA_KINDS
    }

    def iou(a: Revision, b: Revision) -> float:
        if a.record_id not in masks or b.record_id not in masks:
            return 0.0
        return _dice_iou(masks[a.record_id], masks[b.record_id])[1]

    def same_label(a: Revision, b: Revision) -> float:
        if a.body.get("label") != b.body.get("label"):
            return 0.0
        if a.record_id in masks:
            return iou(a, b)
        if a.body.get("kind") != b.body.get("kind"):
            return 0.0
        return 1.0 / (1.0 + _point_distance(a, b))

    found: list[Pair] = []
    slices = sorted({int(r.body["slice_index"]) for r in [*left, *right]})
    for index in slices:
        a_rois = [r for r in left if int(r.body["slice_index"]) == index]
        b_rois = [r for r in right if int(r.body["slice_index"]) == index]
        pairs = _pair_by(a_rois, b_rois, same_label)
        a_rest = [r for r in a_rois if all(r is not a for a, _ in pairs)]
        b_rest = [r for r in b_rois if all(r is not b for _, b in pairs)]
        pairs += _pair_by(a_rest, b_rest, iou)
        found += [_roi_pair(a, b, masks) for a, b in pairs]
        paired = {r.record_id for pair in pairs for r in pair}
        found += [
            Pair("roi", a, None, ("only_a",))
            for a in a_rois
            if a.record_id not in paired
        ]
        found += [
            Pair("roi", None, b, ("only_b",))
            for b in b_rois
            if b.record_id not in paired
        ]
    return found


# -- spans ---------------------------------------------------------------------


def _fragments(record: Revision) -> tuple[tuple[int, int], ...]:
    try:
        return tuple(sorted((int(s), int(e)) for s, e in record.body["fragments"]))
    except (KeyError, TypeError, ValueError) as error:
        raise WorkflowError(
            f"span {record.record_id}: {error!r}",
            record=record.record_id,
            problem="its offsets are not [start, end] pairs",
        ) from error


def _characters(record: Revision) -> set[int]:
    return {i for start, end in _fragments(record) for i in range(start, end)}


def _span_pairs(left: list[Revision], right: list[Revision]) -> list[Pair]:
    def exact(a: Revision, b: Revision) -> float:
        same = _fragments(a) == _fragments(b) and a.body.get("label") == b.body.get(
            "label"
        )
        return 1.0 if same else 0.0

    def shared(a: Revision, b: Revision) -> float:
        return float(len(_characters(a) & _characters(b)))

    pairs = _pair_by(left, right, exact)
    a_rest = [r for r in left if all(r is not a for a, _ in pairs)]
    b_rest = [r for r in right if all(r is not b for _, b in pairs)]
    pairs += _pair_by(a_rest, b_rest, shared)

    found: list[tuple[int, Pair]] = []
    for a, b in pairs:
        problems = []
        if _fragments(a) != _fragments(b):
            problems.append("offsets")
        for key in ("label", "attributes", "code"):
            if a.body.get(key) != b.body.get(key):
                problems.append(key)
        union = len(_characters(a) | _characters(b))
        overlap = len(_characters(a) & _characters(b)) / union if union else None
        start = min(_fragments(a)[0][0], _fragments(b)[0][0])
        found.append((start, Pair("span", a, b, tuple(problems), overlap)))
    paired = {r.record_id for pair in pairs for r in pair}
    for record, side in [(r, "only_a") for r in left] + [(r, "only_b") for r in right]:
        if record.record_id not in paired:
            alone = (
                Pair("span", record, None, (side,))
                if side == "only_a"
                else Pair("span", None, record, (side,))
            )
            found.append((_fragments(record)[0][0], alone))
    found.sort(key=lambda entry: entry[0])
    return [pair for _, pair in found]


# -- judgements ----------------------------------------------------------------


def _verdict_key(record: Revision) -> tuple[Any, ...]:
    body = record.body
    if record.record_type == "ranking":
        return (body.get("verdict"), tuple(body.get("ranking") or ()))
    return (body.get("verdict"), body.get("preferred"))


def _judgement_pairs(left: list[Revision], right: list[Revision]) -> list[Pair]:
    # One judgement per judge and item (app.preference revises the judge's own).
    a = left[-1] if left else None
    b = right[-1] if right else None
    if a is None and b is None:
        return []
    record_type = (a or b).record_type  # type: ignore[union-attr]  # one is set
    if a is None:
        return [Pair(record_type, None, b, ("only_b",))]
    if b is None:
        return [Pair(record_type, a, None, ("only_a",))]
    problems = () if _verdict_key(a) == _verdict_key(b) else ("verdict",)
    return [Pair(record_type, a, b, problems)]


# -- comparing -----------------------------------------------------------------


def item_agreement(
    project: Project,
    item_id: str,
    kind: str,
    annotators: tuple[str, str],
    record_ids: set[str],
) -> ItemAgreement:
    """Agreement of two annotators' records of one item, from :mod:`app.quality`.

    Parameters
    ----------
    project
        The signed-in project.
    item_id, kind
        The item and its kind ("series", "document", "pair").
    annotators
        Annotator A's and B's user IDs.
    record_ids
        Their records of the item (adjudicated records left out).
    """
    ids = record_ids
    a, b = annotators
    if kind == "series":
        rois = [r for r in rois_of(project.records) if r.record_id in ids]
        roi_result = roi_agreement(rois, a, b)
        return ItemAgreement("mean_dice", roi_result.mean_dice, roi_result)
    if kind == "document":
        spans = [s for s in spans_of(project.records) if s.record_id in ids]
        span_result = span_agreement(spans, a, b)
        return ItemAgreement("lenient_f1", span_result.lenient.f1, span_result)
    verdicts = [
        v
        for v in verdicts_of(project.records)
        if v.item_id == item_id and v.judge in (a, b)
    ]
    pairwise = preference_agreement(verdicts).pairwise
    if not pairwise:
        return ItemAgreement("observed_agreement", None)
    found = pairwise[0].agreement
    return ItemAgreement("observed_agreement", found.observed, found)


def compare_item(project: Project, item_id: str) -> Comparison:
    """Pair the two annotators' records of a double-annotated item.

    Parameters
    ----------
    project
        The signed-in project; its user must not have annotated the item.
    item_id
        An item whose annotators have all submitted.

    Returns
    -------
    Comparison
        Every pair in reading order (slice, then position; document
        offsets), the differences among them, and the agreement.

    Raises
    ------
    OwnWorkError
        When the signed-in user annotated the item.
    WorkflowError
        When the item is not annotated by two people or not yet submitted
        by both.
    """
    state = check_reviewer(project, item_id)
    if not state.is_double:
        raise WorkflowError(
            "single",
            record=item_id,
            item=state.title,
            problem="it is not annotated by two people",
        )
    if not state.all_submitted and state.status in (
        states.NOT_STARTED,
        states.IN_PROGRESS,
        states.REJECTED,
    ):
        raise WorkflowError(
            "not submitted",
            record=item_id,
            item=state.title,
            problem="not every annotator has submitted it",
        )
    # Known shortcoming: with three or more annotators only the first two are
    # compared; the others' records are left out of the adjudication.
    a, b = state.annotators[:2]
    types = COMPARED_TYPES.get(state.kind, ())
    records = [
        r
        for r in annotation_records(project, item_id)
        if r.record_type in types and "adjudicated_from" not in r.body
    ]
    authors = {r.record_id: record_author(project, r) for r in records}
    left = [r for r in records if authors[r.record_id] == a]
    right = [r for r in records if authors[r.record_id] == b]

    if state.kind == "series":
        pairs = _roi_pairs(project, item_id, left, right)
    elif state.kind == "document":
        pairs = _span_pairs(left, right)
    else:
        pairs = _judgement_pairs(left, right)
    agreement = item_agreement(
        project, item_id, state.kind, (a, b), {r.record_id for r in records}
    )
    comparison = Comparison(item_id, state.kind, a, b, tuple(pairs), agreement)
    logger.info(
        "item compared: %d pairs, %d differences",
        len(comparison.pairs),
        len(comparison.differences),
    )
    return comparison


def _chosen_bodies(
    comparison: Comparison, choices: Mapping[int, Choice]
) -> list[tuple[str, dict[str, Any], list[str]]]:
    """Return (record type, body, source IDs) of each record to write."""
    differences = comparison.differences
    unknown = sorted(set(choices) - set(range(len(differences))))
    missing = [i + 1 for i in range(len(differences)) if i not in choices]
    if unknown or missing:
        raise AdjudicationError(
            f"missing {missing}, unknown {unknown}",
            record=comparison.item_id,
            problem=f"differences {missing} have no choice" if missing else "unknown",
        )
    chosen: list[tuple[str, dict[str, Any], list[str]]] = []
    index = 0
    for pair in comparison.pairs:
        if not pair.is_difference:
            assert pair.left is not None  # agreeing pairs have both sides
            chosen.append((pair.record_type, dict(pair.left.body), pair.source_ids))
            continue
        choice = choices[index]
        index += 1
        if choice.side == EDIT:
            if not choice.body:
                raise AdjudicationError(
                    "edit without body",
                    record=comparison.item_id,
                    problem="an edited record needs its content",
                )
            chosen.append((pair.record_type, dict(choice.body), pair.source_ids))
        elif choice.side in (LEFT, RIGHT):
            taken = pair.left if choice.side == LEFT else pair.right
            if taken is not None:
                chosen.append((pair.record_type, dict(taken.body), pair.source_ids))
        else:
            raise AdjudicationError(
                choice.side, record=comparison.item_id, problem="unknown choice"
            )
    return chosen


def adjudicate_item(
    project: Project,
    comparison: Comparison,
    choices: Mapping[int, Choice],
    *,
    reason: str,
    password: str,
    user_id: str | None = None,
) -> Adjudication:
    """Write the adjudicated records, move the item to reviewed and sign them.

    Parameters
    ----------
    project
        The signed-in project; its user adjudicates and signs.
    comparison
        From :func:`compare_item`, still current.
    choices
        A :class:`Choice` for each difference, by its index in
        ``comparison.differences``.
    reason
        Why (kept in each record's body and revision, and the signature).
    password, user_id
        The adjudicator's password; the user ID where the first signature of
        the session needs it.

    Returns
    -------
    Adjudication
        The item's reviewed revision, the adjudicated records and the
        signature (meaning ``reviewed``).

    Raises
    ------
    AdjudicationError
        A difference without a choice, no reason, or records that changed
        since the comparison.
    OwnWorkError, WorkflowError
        When the user annotated the item, or it is not submitted.
    WrongPasswordError, SessionExpiredError, PermissionDeniedError
        When the signature is refused; nothing is written then.
    """
    item_id = comparison.item_id
    state = check_reviewer(project, item_id)
    if state.status != states.SUBMITTED:
        raise WorkflowError(
            state.status,
            record=item_id,
            item=state.title,
            problem=f"it is {state.status}, not submitted",
        )
    if not reason.strip():
        raise AdjudicationError(
            "reason",
            record=item_id,
            item=state.title,
            problem="an adjudication needs a reason",
        )
    if compare_item(project, item_id).revision_ids() != comparison.revision_ids():
        raise AdjudicationError(
            "stale",
            record=item_id,
            item=state.title,
            problem="the records changed since they were compared; compare again",
        )
    chosen = _chosen_bodies(comparison, choices)

    # The password check stays outside the transaction, so that a refused
    # signature is recorded although nothing else is written.
    signer = authenticate_signer(
        project, "reviewed", password=password, user_id=user_id
    )
    with project.records.transaction():
        created = tuple(
            project.records.create(
                record_type,
                {**body, "adjudicated_from": sources, "adjudication_reason": reason},
                item_id=item_id,
                reason=reason,
            )
            for record_type, body, sources in chosen
        )
        item = set_item_status(project.records, item_id, states.REVIEWED, reason=reason)
        signature = sign_with(
            project,
            signer,
            [item_id, *(r.record_id for r in created)],
            "reviewed",
            reason=reason,
        )
    logger.info(
        "item adjudicated: %d differences, %d records",
        len(comparison.differences),
        len(created),
    )
    return Adjudication(item, created, signature)


def choices_from_sides(sides: Sequence[str]) -> dict[int, Choice]:
    """Return choices taking ``sides[i]`` ("left"/"right") for difference ``i``."""
    return {i: Choice(side) for i, side in enumerate(sides)}
