"""DICOM Segmentation export of a series item's area ROIs, one segment per label.

The masks are those of :func:`viewers.imaging.roi.roi_mask` on the source
slices (pixel centres inside the outline), so the SEG holds exactly the
pixels whose statistics the workstation showed. Patient and study attributes
come from the source files: the SEG belongs with the study it was drawn on.
What the SEG and SR exports share is in :mod:`app.exports._dicom_common`;
this module also offers it under its own name.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import highdicom as hd
import numpy as np

import app
from app.exports._dicom_common import (
    AREA_KINDS,
    MANUFACTURER,
    DicomExportError,
    ExportResult,
    SeriesSource,
    SourceFileError,
    copy_patient_study,
    export_rois,
    label_codes,
    label_of,
    printed_name,
    read_series_source,
    select_rois,
    source_names_as_they_are,
    write_audited,
)
from app.logs import short_hash
from storage.errors import HaiopsError
from storage.labels import LabelSet, current_label_set, label_set_version
from storage.project import Project
from storage.records import RecordStore, Revision
from viewers.imaging.errors import RoiError
from viewers.imaging.roi import roi_mask

__all__ = [
    "AREA_KINDS",
    "DicomExportError",
    "ExportResult",
    "SeriesSource",
    "SourceFileError",
    "build_segmentation",
    "copy_patient_study",
    "export_dicom_seg",
    "label_codes",
    "label_sets_of",
    "printed_name",
    "read_series_source",
    "select_rois",
    "source_names_as_they_are",
    "write_audited",
]

logger = logging.getLogger(__name__)

MODEL_NAME = "HAIOps Workstation"
SEG_SERIES_NUMBER = 901
# Shown for a label the label set no longer has (or an ROI without a label).
FALLBACK_COLOUR = "#c8c8c8"


def build_segmentation(
    source: SeriesSource,
    rois: Sequence[Revision],
    label_sets: Mapping[int, LabelSet],
    *,
    creator_name: str,
    device_serial_number: str,
    series_number: int = SEG_SERIES_NUMBER,
) -> Any:
    """Build a binary DICOM Segmentation with one segment per label.

    Parameters
    ----------
    source
        The series and its headers.
    rois
        Area ROIs (rectangle, ellipse, polygon, freehand) of this series.
    label_sets
        Label sets by version, for each label's colour (the version each
        ROI was drawn with; the newest wins for a label used in several).
    creator_name
        The annotator's printed name (ContentCreatorName).
    device_serial_number
        This workstation's ID.
    series_number
        SeriesNumber of the new series.

    Returns
    -------
    highdicom.seg.Segmentation
        Frames only where a segment has pixels; patient and study
        attributes copied from the source.

    Raises
    ------
    DicomExportError
        An ROI is on a slice the series does not have, of another kind, or
        covers no pixel.
    """
    item_id = source.item.record_id
    series = source.series
    shape = (series.rows, series.columns)

    labels = _ordered_labels(rois, label_sets)
    masks: dict[tuple[int, str], np.ndarray] = {}
    for roi in rois:
        index, mask = _roi_mask(source, roi, shape)
        label = label_of(roi)
        key = (index, label)
        masks[key] = mask if key not in masks else masks[key] | mask

    slices = sorted({index for index, _ in masks})
    pixels = np.zeros((len(slices), *shape, len(labels)), dtype=bool)
    for (index, label), mask in masks.items():
        pixels[slices.index(index), :, :, labels.index(label)] = mask

    descriptions = [
        _segment(number, label, _colour(label, rois, label_sets))
        for number, label in enumerate(labels, start=1)
    ]
    try:
        with source_names_as_they_are():
            segmentation = hd.seg.Segmentation(
                source_images=[source.datasets[i] for i in slices],
                pixel_array=pixels,
                segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
                segment_descriptions=descriptions,
                series_instance_uid=hd.UID(),
                series_number=series_number,
                sop_instance_uid=hd.UID(),
                instance_number=1,
                manufacturer=MANUFACTURER,
                manufacturer_model_name=MODEL_NAME,
                software_versions=app.__version__,
                device_serial_number=device_serial_number,
                content_label="ROIS",
                content_description="Manual ROIs",
                content_creator_name=creator_name,
                omit_empty_frames=True,
            )
    except (ValueError, TypeError, AttributeError) as error:
        raise DicomExportError(
            str(error), format="SEG", item=item_id, problem="highdicom refused it"
        ) from error
    copy_patient_study(source.datasets[0], segmentation)
    return segmentation


def _ordered_labels(
    rois: Sequence[Revision], label_sets: Mapping[int, LabelSet]
) -> list[str]:
    """Labels in the order of the newest label set, unknown ones after by name."""
    used = {label_of(roi) for roi in rois}
    newest = label_sets[max(label_sets)] if label_sets else None
    known = [lab.name for lab in newest.labels] if newest is not None else []
    ordered = [name for name in known if name in used]
    return ordered + sorted(used - set(ordered))


def _colour(
    label: str, rois: Sequence[Revision], label_sets: Mapping[int, LabelSet]
) -> str:
    versions = sorted(
        {
            int(r.body.get("label_set_version") or 0)
            for r in rois
            if label_of(r) == label
        },
        reverse=True,
    )
    for version in versions:
        label_set = label_sets.get(version)
        found = None if label_set is None else label_set.by_name(label)
        if found is not None:
            return found.colour
    return FALLBACK_COLOUR


def _segment(number: int, label: str, colour: str) -> Any:
    category, kind = label_codes(label)
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return hd.seg.SegmentDescription(
        segment_number=number,
        segment_label=label,
        segmented_property_category=category,
        segmented_property_type=kind,
        algorithm_type=hd.seg.SegmentAlgorithmTypeValues.MANUAL,
        tracking_uid=hd.UID(),
        tracking_id=label,
        display_color=hd.color.CIELabColor.from_rgb(red, green, blue),
    )


def _roi_mask(
    source: SeriesSource, roi: Revision, shape: tuple[int, int]
) -> tuple[int, np.ndarray]:
    """Return the slice index and mask of an area ROI, checked against the series."""
    body = roi.body
    item_id = source.item.record_id
    kind = str(body.get("kind"))
    if kind not in AREA_KINDS:
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SEG",
            item=item_id,
            problem=f"a {kind} ROI has no area",
        )
    index = source.slice_of(str(body.get("sop_instance_uid")))
    if index < 0:
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SEG",
            item=item_id,
            problem="an ROI is on an image that is not part of the series",
        )
    points = [(float(c), float(r)) for c, r in body.get("points_image") or []]
    try:
        mask = roi_mask(kind, points, shape)
    except RoiError as error:
        raise DicomExportError(
            error.detail, format="SEG", item=item_id, problem=f"ROI {roi.record_id}"
        ) from error
    if not mask.any():
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SEG",
            item=item_id,
            problem="an ROI covers no pixel of its slice",
        )
    return index, mask


def label_sets_of(
    records: RecordStore, rois: Sequence[Revision]
) -> dict[int, LabelSet]:
    """Return the image label sets the ROIs were drawn with, and the newest."""
    found: dict[int, LabelSet] = {}
    current = current_label_set(records, "image")
    if current.version:
        found[current.version] = current
    for version in {int(r.body.get("label_set_version") or 0) for r in rois}:
        if version and version not in found:
            try:
                found[version] = label_set_version(records, "image", version)
            except HaiopsError:
                # A version that is gone (not synced) only costs the colour.
                logger.warning("label set version %d not found", version)
    return found


def export_dicom_seg(
    project: Project,
    item_id: str,
    folder: Path,
    *,
    author: str | None = None,
) -> ExportResult:
    """Write a series item's area ROIs as a DICOM SEG file into ``folder``.

    Parameters
    ----------
    project
        The signed-in project.
    item_id
        A worklist item of kind "series".
    folder
        Where to write (made if missing); the file is named
        ``SEG_<SOPInstanceUID>.dcm``.
    author
        The annotator whose ROIs to export; None when there is only one.

    Returns
    -------
    ExportResult
        The file written, its UIDs, the ROI records and the segment labels.

    Raises
    ------
    DicomExportError, SourceFileError
        See :func:`read_series_source`, :func:`select_rois` and
        :func:`build_segmentation`.
    """

    def build(
        source: SeriesSource, rois: list[Revision]
    ) -> tuple[Any, tuple[str, ...]]:
        segmentation = build_segmentation(
            source,
            rois,
            label_sets_of(project.records, rois),
            creator_name=printed_name(project, rois[0].author),
            device_serial_number=project.workstation_id,
        )
        return segmentation, tuple(
            str(item.SegmentLabel) for item in segmentation.SegmentSequence
        )

    result = export_rois(
        project,
        item_id,
        folder,
        author=author,
        kinds=AREA_KINDS,
        format_name="SEG",
        build=build,
    )
    logger.info(
        "SEG of item %s: %d ROIs, %d segments",
        short_hash(item_id),
        len(result.roi_record_ids),
        len(result.labels),
    )
    return result
