"""TID 1500 Measurement Report (Comprehensive 3D SR) of a series item's ROIs.

Each area ROI becomes a planar ROI measurement group (TID 1410) whose image
region (a closed outline or an ellipse) references the source slice by SOP
Instance UID, with the area in mm² and the mean, standard deviation, minimum
and maximum of the pixel values (attenuation in HU for CT, signal intensity
without units for MR). Each ruler becomes a measurement group (TID 1501)
whose length in mm (TID 300) is inferred from its two end points on the
source slice, since TID 1410 allows only closed regions. The values are those
the workstation recorded with the ROI, so the report says what the annotator
saw.

Graphic data are DICOM SCOORD image coordinates, in which the top left corner
of the first pixel is (0, 0) and its centre (0.5, 0.5): the workstation's
(column, row) points, with pixel centres at integers, are shifted by 0.5.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import highdicom as hd
import numpy as np
from pydicom.sr.codedict import codes

from app.exports._dicom_common import (
    AREA_KINDS,
    MANUFACTURER,
    DicomExportError,
    ExportResult,
    SeriesSource,
    copy_patient_study,
    export_rois,
    label_codes,
    label_of,
    printed_name,
    source_names_as_they_are,
)
from app.logs import short_hash
from storage.project import Project
from storage.records import Revision

__all__ = [
    "SR_KINDS",
    "build_measurement_report",
    "export_dicom_sr",
    "tracking_uid",
]

logger = logging.getLogger(__name__)

SR_KINDS = ("ruler", *AREA_KINDS)
SR_SERIES_NUMBER = 902
# Image SCOORD origin is the first pixel's corner; ours is its centre.
_SCOORD_SHIFT = 0.5

# Statistic field of an ROI record -> the derivation code (TID 1419).
_DERIVATIONS = (
    ("mean", codes.SCT.Mean),
    ("sd", codes.SCT.StandardDeviation),
    ("minimum", codes.SCT.Minimum),
    ("maximum", codes.SCT.Maximum),
)


def tracking_uid(record_id: str) -> str:
    """Return the DICOM UID that tracks an ROI record (2.25 form of its UUID).

    Parameters
    ----------
    record_id
        The ROI record's UUID.

    Returns
    -------
    str
        ``2.25.<the UUID as an integer>``, the same for every export.
    """
    return f"2.25.{uuid.UUID(record_id).int}"


def build_measurement_report(
    source: SeriesSource,
    rois: Sequence[Revision],
    *,
    observer_name: str,
    observer_id: str,
    series_number: int = SR_SERIES_NUMBER,
) -> Any:
    """Build a Comprehensive 3D SR holding a TID 1500 Measurement Report.

    Parameters
    ----------
    source
        The series and its headers.
    rois
        Ruler and area ROIs of this series.
    observer_name, observer_id
        The annotator: printed name (DICOM person name) and user ID (login).
    series_number
        SeriesNumber of the new series.

    Returns
    -------
    highdicom.sr.Comprehensive3DSR
        One measurement group per ROI, in the order given (planar ROI
        groups for area ROIs, measurement groups for rulers); patient and
        study attributes copied from the source.

    Raises
    ------
    DicomExportError
        An ROI is on an image the series does not have, lacks its
        measurement, or highdicom refuses the content.
    """
    item_id = source.item.record_id
    modality = source.series.modality
    referenced = sorted(
        {source.slice_of(str(r.body["sop_instance_uid"])) for r in rois}
    )
    evidence = [source.datasets[i] for i in referenced]

    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Person,
        observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(
            name=observer_name, login_name=observer_id
        ),
    )
    try:
        groups = [_group(source, roi, modality) for roi in rois]
        report = hd.sr.MeasurementReport(
            observation_context=hd.sr.ObservationContext(
                observer_person_context=observer
            ),
            procedure_reported=_procedure(modality),
            imaging_measurements=groups,
        )
        with source_names_as_they_are():
            document = hd.sr.Comprehensive3DSR(
                evidence=evidence,
                content=report,
                series_instance_uid=hd.UID(),
                series_number=series_number,
                sop_instance_uid=hd.UID(),
                instance_number=1,
                manufacturer=MANUFACTURER,
                is_complete=True,
                is_final=False,
                is_verified=False,
            )
    except (ValueError, TypeError, AttributeError) as error:
        raise DicomExportError(
            str(error), format="SR", item=item_id, problem="highdicom refused it"
        ) from error
    copy_patient_study(source.datasets[0], document)
    return document


def _procedure(modality: str) -> Any:
    if modality == "CT":
        return codes.LN.CTUnspecifiedBodyRegion
    if modality == "MR":
        return codes.LN.MRIUnspecifiedBodyRegion
    return codes.SCT.ImagingProcedure


def _group(source: SeriesSource, roi: Revision, modality: str) -> Any:
    """One measurement group for one ROI record: TID 1410, or 1501 for a ruler."""
    body = roi.body
    item_id = source.item.record_id
    kind = str(body.get("kind"))
    label = label_of(roi)
    index = source.slice_of(str(body.get("sop_instance_uid")))
    if index < 0:
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SR",
            item=item_id,
            problem="an ROI is on an image that is not part of the series",
        )
    image = source.datasets[index]
    sop_class, sop_instance = str(image.SOPClassUID), str(image.SOPInstanceUID)
    graphic_data = _graphic_data(kind, body.get("points_image") or [], roi, item_id)
    tracking = hd.sr.TrackingIdentifier(
        uid=tracking_uid(roi.record_id), identifier=f"{label} {kind}"
    )

    if kind == "ruler":
        ends = hd.sr.CoordinatesForMeasurement(
            graphic_type=hd.sr.GraphicTypeValues.POLYLINE,
            graphic_data=graphic_data,
            source_image=hd.sr.SourceImageForRegion(sop_class, sop_instance),
        )
        return hd.sr.MeasurementsAndQualitativeEvaluations(
            tracking_identifier=tracking,
            finding_type=label_codes(label)[1],
            measurements=[_length(roi, item_id, ends)],
            source_images=[
                hd.sr.SourceImageForMeasurementGroup(sop_class, sop_instance)
            ],
        )
    region = hd.sr.ImageRegion(
        graphic_type=_graphic_type(kind),
        graphic_data=graphic_data,
        source_image=hd.sr.SourceImageForRegion(sop_class, sop_instance),
    )
    return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
        tracking_identifier=tracking,
        referenced_region=region,
        finding_type=label_codes(label)[1],
        measurements=_area_measurements(roi, item_id, modality),
    )


def _graphic_type(kind: str) -> Any:
    if kind == "ellipse":
        return hd.sr.GraphicTypeValues.ELLIPSE
    return hd.sr.GraphicTypeValues.POLYLINE


def _graphic_data(
    kind: str, points: Sequence[Sequence[float]], roi: Revision, item_id: str
) -> np.ndarray:
    """SCOORD points of an ROI: closed outlines, an ellipse's two axes."""
    xy = np.asarray(points, dtype=float).reshape(-1, 2) + _SCOORD_SHIFT
    needed = {"ruler": 2, "rectangle": 2, "ellipse": 2}.get(kind, 3)
    if len(xy) < needed:
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SR",
            item=item_id,
            problem=f"a {kind} ROI needs {needed} points, it has {len(xy)}",
        )
    if kind == "ruler":
        return xy[:2]
    (c0, r0), (c1, r1) = np.minimum(xy[0], xy[1]), np.maximum(xy[0], xy[1])
    if kind == "rectangle":
        return np.array([[c0, r0], [c1, r0], [c1, r1], [c0, r1], [c0, r0]])
    if kind == "ellipse":
        cc, rc, ac, ar = (c0 + c1) / 2, (r0 + r1) / 2, (c1 - c0) / 2, (r1 - r0) / 2
        across = [[cc - ac, rc], [cc + ac, rc]]
        down = [[cc, rc - ar], [cc, rc + ar]]
        # The major axis comes first (PS3.3 C.18.6.1.2).
        return np.array(across + down if ac >= ar else down + across)
    return np.vstack([xy, xy[:1]])


def _length(roi: Revision, item_id: str, ends: Any) -> Any:
    length = roi.body.get("length_mm")
    if length is None or not math.isfinite(float(length)):
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SR",
            item=item_id,
            problem="a ruler has no length in mm (the images give no pixel spacing)",
        )
    return hd.sr.Measurement(
        name=codes.SCT.Length,
        value=float(length),
        unit=codes.UCUM.Millimeter,
        referenced_coordinates=[ends],
    )


def _area_measurements(roi: Revision, item_id: str, modality: str) -> list[Any]:
    stats: Mapping[str, Any] = roi.body.get("statistics") or {}
    area = stats.get("area_mm2")
    if area is None:
        raise DicomExportError(
            f"ROI {roi.record_id}",
            format="SR",
            item=item_id,
            problem="an ROI has no area in mm² (the images give no pixel spacing)",
        )
    found = [
        hd.sr.Measurement(
            name=codes.SCT.Area, value=float(area), unit=codes.UCUM.SquareMillimeter
        )
    ]
    if modality == "CT":
        quantity, unit = codes.DCM.AttenuationCoefficient, codes.UCUM.HounsfieldUnit
    elif modality == "MR":
        quantity, unit = codes.DCM.MRSignalIntensity, codes.UCUM.NoUnits
    else:
        # Known shortcoming: pixel statistics of other modalities have no
        # agreed quantity code, so only the area is reported for them.
        return found
    for field, derivation in _DERIVATIONS:
        value = stats.get(field)
        # None: every pixel was padding, so there is no value to report.
        if value is not None and math.isfinite(float(value)):
            found.append(
                hd.sr.Measurement(
                    name=quantity, value=float(value), unit=unit, derivation=derivation
                )
            )
    return found


def export_dicom_sr(
    project: Project,
    item_id: str,
    folder: Path,
    *,
    author: str | None = None,
) -> ExportResult:
    """Write a series item's rulers and area ROIs as a TID 1500 SR into ``folder``.

    Parameters
    ----------
    project, item_id, folder
        As for :func:`app.exports.dicom_seg.export_dicom_seg`; the file is
        named ``SR_<SOPInstanceUID>.dcm``.
    author
        The annotator whose ROIs to report (the observer); None when there
        is only one.

    Returns
    -------
    ExportResult
        The file written, its UIDs, the ROI records and their labels.

    Raises
    ------
    DicomExportError, SourceFileError
        See :func:`app.exports.dicom_seg.read_series_source`,
        :func:`app.exports.dicom_seg.select_rois` and
        :func:`build_measurement_report`.
    """

    def build(
        source: SeriesSource, rois: list[Revision]
    ) -> tuple[Any, tuple[str, ...]]:
        observer = rois[0].author
        document = build_measurement_report(
            source,
            rois,
            observer_name=printed_name(project, observer),
            observer_id=observer,
        )
        return document, tuple(dict.fromkeys(label_of(r) for r in rois))

    result = export_rois(
        project,
        item_id,
        folder,
        author=author,
        kinds=SR_KINDS,
        format_name="SR",
        build=build,
    )
    logger.info(
        "SR of item %s: %d measurement groups",
        short_hash(item_id),
        len(result.roi_record_ids),
    )
    return result
