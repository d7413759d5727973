"""Agreement between annotators' ROIs on the same slices: Dice, IoU and labels.

ROIs are compared as pixel masks (:func:`viewers.imaging.roi.roi_mask`) on
the slice they were drawn on, in image (column, row) coordinates. On each
slice the two annotators' ROIs are paired one-to-one by the largest IoU,
whatever their labels; pairs that share no pixel are not pairs.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.quality.agreement import Agreement, cohen_kappa
from app.quality.errors import QualityError
from app.quality.scores import F1Score, is_adjudicated, match_by_overlap
from app.quality.spans import NO_LABEL
from storage.errors import HaiopsError
from storage.items import list_items
from storage.records import RecordStore, Revision
from viewers.imaging.roi import roi_mask

__all__ = [
    "AREA_KINDS",
    "LabelDice",
    "Roi",
    "RoiAgreement",
    "RoiGoldScore",
    "roi_adjudicated_scores",
    "roi_agreement",
    "roi_agreements",
    "roi_gold_scores",
    "rois_of",
]

logger = logging.getLogger(__name__)

#: ROI kinds that enclose pixels; points and rulers have no area to compare.
AREA_KINDS = ("rectangle", "ellipse", "polygon", "freehand")


@dataclass(frozen=True)
class Roi:
    """One area ROI's current state with its pixels on its slice.

    ``mask`` is cropped to the ROI's bounding box, whose first pixel is
    ``origin`` (row, column) of the slice: a full 512 x 512 mask per ROI
    would hold a quarter of a megabyte for a few hundred pixels.
    """

    record_id: str
    item_id: str
    author: str
    label: str
    slice_index: int
    origin: tuple[int, int]
    mask: np.ndarray
    is_gold: bool

    @property
    def pixel_count(self) -> int:
        """Pixels of the slice inside the ROI."""
        return int(np.count_nonzero(self.mask))


@dataclass(frozen=True)
class LabelDice:
    """Mean Dice and IoU of ROI pairs where both annotators gave ``label``."""

    label: str
    pairs: int
    mean_dice: float
    mean_iou: float


@dataclass(frozen=True)
class RoiAgreement:
    """Two annotators' area ROIs on the series both annotated.

    Parameters
    ----------
    annotator_a, annotator_b
        User IDs; A is the reference of precision and recall.
    series
        Items (series) on which both drew at least one area ROI.
    detection
        ROIs paired by overlap (whatever the labels) over each side's ROIs.
    mean_dice, mean_iou
        Over all pairs; None without pairs.
    by_label
        Mean Dice per label over pairs with the same label on both sides.
    labels
        Kappa of paired ROIs' labels; unpaired ROIs count against
        :data:`app.quality.spans.NO_LABEL`. None without ROIs.
    """

    annotator_a: str
    annotator_b: str
    series: int
    detection: F1Score
    mean_dice: float | None
    mean_iou: float | None
    by_label: tuple[LabelDice, ...]
    labels: Agreement | None


@dataclass(frozen=True)
class RoiGoldScore:
    """An annotator's ROIs against gold ROIs: detection, mean Dice, label accuracy."""

    annotator: str
    series: int
    detection: F1Score
    mean_dice: float | None
    label_accuracy: float | None


def rois_of(records: RecordStore, *, adjudicated: bool = False) -> list[Roi]:
    """Return every live area ROI of the project with its mask.

    The slice size comes from the series item's ``source`` (rows, columns).

    Parameters
    ----------
    records
        The signed-in project's record store.
    adjudicated
        False: the annotators' ROIs, without the records adjudications
        wrote (they are the consensus, not the adjudicator's rating). True:
        only those adjudicated ROIs.

    Raises
    ------
    QualityError
        When an ROI has no series item, the item has no rows and columns, or
        the ROI's points cannot make a mask.
    """
    shapes = {
        item.record_id: _slice_shape(item) for item in list_items(records, "series")
    }
    found = []
    for revision in records.current("roi"):
        if revision.body.get("kind") not in AREA_KINDS:
            continue
        if is_adjudicated(revision) != adjudicated:
            continue
        found.append(_roi(revision, shapes))
    return found


def _slice_shape(item: Revision) -> tuple[int, int] | None:
    source = item.body.get("source") or {}
    rows, columns = source.get("rows"), source.get("columns")
    if not isinstance(rows, int) or not isinstance(columns, int):
        return None
    return rows, columns


def _roi(revision: Revision, shapes: Mapping[str, tuple[int, int] | None]) -> Roi:
    body = revision.body
    shape = shapes.get(revision.item_id or "")
    if shape is None:
        raise QualityError(
            f"ROI {revision.record_id}: its series item has no rows and columns",
            record=revision.record_id,
        )
    try:
        points = [(float(c), float(r)) for c, r in body["points_image"]]
        origin, mask = _crop(roi_mask(str(body["kind"]), points, shape))
        return Roi(
            record_id=revision.record_id,
            item_id=str(revision.item_id),
            author=revision.author,
            label=str(body["label"]),
            slice_index=int(body["slice_index"]),
            origin=origin,
            mask=mask,
            is_gold=body.get("gold") is True,
        )
    except (KeyError, TypeError, ValueError, HaiopsError) as error:
        raise QualityError(
            f"ROI {revision.record_id}: {error}", record=revision.record_id
        ) from error


def _crop(mask: np.ndarray) -> tuple[tuple[int, int], np.ndarray]:
    """Return the bounding box's (row, column) origin and the mask inside it."""
    rows = np.flatnonzero(mask.any(axis=1))
    columns = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return (0, 0), np.zeros((0, 0), dtype=bool)
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, columns[0], columns[-1] + 1
    return (int(r0), int(c0)), mask[r0:r1, c0:c1].copy()


def _shared_pixels(a: Roi, b: Roi) -> int:
    """Count the slice pixels inside both ROIs (their boxes' overlap only)."""
    top = max(a.origin[0], b.origin[0])
    left = max(a.origin[1], b.origin[1])
    bottom = min(a.origin[0] + a.mask.shape[0], b.origin[0] + b.mask.shape[0])
    right = min(a.origin[1] + a.mask.shape[1], b.origin[1] + b.mask.shape[1])
    if top >= bottom or left >= right:
        return 0
    part_a = a.mask[
        top - a.origin[0] : bottom - a.origin[0],
        left - a.origin[1] : right - a.origin[1],
    ]
    part_b = b.mask[
        top - b.origin[0] : bottom - b.origin[0],
        left - b.origin[1] : right - b.origin[1],
    ]
    return int(np.count_nonzero(part_a & part_b))


def _overlaps(a: Roi, b: Roi) -> tuple[float, float]:
    """Return (IoU, Dice) of two ROIs; both 0 when neither has a pixel."""
    both = _shared_pixels(a, b)
    size_a, size_b = a.pixel_count, b.pixel_count
    union = size_a + size_b - both
    if union == 0:
        return 0.0, 0.0
    return both / union, 2.0 * both / (size_a + size_b)


@dataclass
class _Pairs:
    detection: F1Score
    pairs: list[tuple[Roi, Roi, float, float]]  # reference, candidate, IoU, Dice
    unpaired_reference: list[Roi]
    unpaired_candidate: list[Roi]


def _pair_rois(reference: Sequence[Roi], candidate: Sequence[Roi]) -> _Pairs:
    """Pair ROIs slice by slice by the largest IoU."""
    result = _Pairs(F1Score(0, len(reference), len(candidate)), [], [], [])
    slices = sorted(
        {r.slice_index for r in reference} | {c.slice_index for c in candidate}
    )
    for index in slices:
        ref = [r for r in reference if r.slice_index == index]
        cand = [c for c in candidate if c.slice_index == index]
        table = [[_overlaps(r, c) for c in cand] for r in ref]
        matched = match_by_overlap([[iou for iou, _ in row] for row in table])
        for i, j in matched:
            iou, dice = table[i][j]
            result.pairs.append((ref[i], cand[j], iou, dice))
        used_r, used_c = {i for i, _ in matched}, {j for _, j in matched}
        result.unpaired_reference += [r for i, r in enumerate(ref) if i not in used_r]
        result.unpaired_candidate += [c for j, c in enumerate(cand) if j not in used_c]
    result.detection = F1Score(len(result.pairs), len(reference), len(candidate))
    return result


def _by_item(rois: Sequence[Roi]) -> dict[str, list[Roi]]:
    found: dict[str, list[Roi]] = {}
    for roi in rois:
        found.setdefault(roi.item_id, []).append(roi)
    return found


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if values else None


def roi_agreement(
    rois: Sequence[Roi], annotator_a: str, annotator_b: str
) -> RoiAgreement:
    """Compare two annotators' (non-gold) area ROIs on the series both annotated.

    Parameters
    ----------
    rois
        The project's ROIs (:func:`rois_of`).
    annotator_a, annotator_b
        The two user IDs.

    Returns
    -------
    RoiAgreement
        Detection F1, mean Dice and IoU, Dice per label and label kappa.
    """
    own = [r for r in rois if not r.is_gold]
    a_items = _by_item([r for r in own if r.author == annotator_a])
    b_items = _by_item([r for r in own if r.author == annotator_b])
    shared = sorted(set(a_items) & set(b_items))

    detection = F1Score(0, 0, 0)
    pairs: list[tuple[Roi, Roi, float, float]] = []
    labels_a: list[str] = []
    labels_b: list[str] = []
    for item_id in shared:
        found = _pair_rois(a_items[item_id], b_items[item_id])
        detection += found.detection
        pairs += found.pairs
        labels_a += [r.label for r, _, _, _ in found.pairs]
        labels_b += [c.label for _, c, _, _ in found.pairs]
        labels_a += [r.label for r in found.unpaired_reference]
        labels_b += [NO_LABEL] * len(found.unpaired_reference)
        labels_a += [NO_LABEL] * len(found.unpaired_candidate)
        labels_b += [c.label for c in found.unpaired_candidate]

    by_label = []
    for label in sorted({r.label for r, c, _, _ in pairs if r.label == c.label}):
        same = [(iou, dice) for r, c, iou, dice in pairs if r.label == c.label == label]
        by_label.append(
            LabelDice(
                label=label,
                pairs=len(same),
                mean_dice=float(np.mean([d for _, d in same])),
                mean_iou=float(np.mean([i for i, _ in same])),
            )
        )
    return RoiAgreement(
        annotator_a=annotator_a,
        annotator_b=annotator_b,
        series=len(shared),
        detection=detection,
        mean_dice=_mean([d for _, _, _, d in pairs]),
        mean_iou=_mean([i for _, _, i, _ in pairs]),
        by_label=tuple(by_label),
        labels=cohen_kappa(labels_a, labels_b) if labels_a else None,
    )


def roi_agreements(rois: Sequence[Roi]) -> list[RoiAgreement]:
    """Return :func:`roi_agreement` for every two annotators sharing a series."""
    authors = sorted({r.author for r in rois if not r.is_gold})
    found = []
    for a, b in itertools.combinations(authors, 2):
        result = roi_agreement(rois, a, b)
        if result.series:
            found.append(result)
    logger.info("ROI agreement for %d annotator pairs", len(found))
    return found


def roi_gold_scores(rois: Sequence[Roi]) -> list[RoiGoldScore]:
    """Score every annotator's ROIs against gold ROIs (body ``"gold": true``)."""
    gold = _by_item([r for r in rois if r.is_gold])
    return _scores_against(gold, [r for r in rois if not r.is_gold])


def roi_adjudicated_scores(
    rois: Sequence[Roi], adjudicated: Sequence[Roi]
) -> list[RoiGoldScore]:
    """Score every annotator's ROIs against the adjudicated ROIs of each series.

    Parameters
    ----------
    rois
        The annotators' ROIs (:func:`rois_of`); gold ROIs are left out.
    adjudicated
        The adjudicated ROIs (``rois_of(records, adjudicated=True)``), the
        reference of precision and recall.

    Returns
    -------
    list of RoiGoldScore
        One per annotator with ROIs on an adjudicated series, by user ID.
    """
    return _scores_against(_by_item(adjudicated), [r for r in rois if not r.is_gold])


def _scores_against(
    gold: Mapping[str, Sequence[Roi]], own: Sequence[Roi]
) -> list[RoiGoldScore]:
    """Score each author's ROIs against the reference ROIs of the same series."""
    scores = []
    for annotator in sorted({r.author for r in own}):
        mine = _by_item([r for r in own if r.author == annotator])
        shared = sorted(set(gold) & set(mine))
        if not shared:
            continue
        detection = F1Score(0, 0, 0)
        pairs: list[tuple[Roi, Roi, float, float]] = []
        for item_id in shared:
            found = _pair_rois(gold[item_id], mine[item_id])
            detection += found.detection
            pairs += found.pairs
        same = sum(1 for g, m, _, _ in pairs if g.label == m.label)
        scores.append(
            RoiGoldScore(
                annotator=annotator,
                series=len(shared),
                detection=detection,
                mean_dice=_mean([d for _, _, _, d in pairs]),
                label_accuracy=same / len(pairs) if pairs else None,
            )
        )
    return scores
