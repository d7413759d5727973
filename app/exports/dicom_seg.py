"""DICOM Segmentation export of a series item's area ROIs, one segment per label.

The masks are those of :func:`viewers.imaging.roi.roi_mask` on the source
slices (pixel centres inside the outline), so the SEG holds exactly the
pixels whose statistics the workstation showed. Patient and study attributes
come from the source files: the SEG belongs with the study it was drawn on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import highdicom as hd
import numpy as np
import pydicom
from pydicom.sr.codedict import codes

import app
from app.logs import short_hash
from storage.errors import QT_TRANSLATE_NOOP, HaiopsError, ServiceError
from storage.labels import LabelSet, current_label_set, label_set_version
from storage.project import Project
from storage.records import RecordStore, Revision
from storage.users import read_user
from viewers.imaging.errors import RoiError
from viewers.imaging.roi import roi_mask
from viewers.imaging.series import ORIENTATION_TOLERANCE, SeriesInfo, scan

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

AREA_KINDS = ("rectangle", "ellipse", "polygon", "freehand")
MANUFACTURER = "HAIOps"
MODEL_NAME = "HAIOps Workstation"
SEG_SERIES_NUMBER = 901
# Shown for a label the label set no longer has (or an ROI without a label).
FALLBACK_COLOUR = "#c8c8c8"
UNLABELLED = "unlabelled"

# Patient, General Study and Patient Study module attributes (PS3.3 C.7.1.1,
# C.7.2.1, C.7.2.2) copied from the source so the object files with its study.
PATIENT_STUDY_KEYWORDS = (
    "PatientName",
    "PatientID",
    "IssuerOfPatientID",
    "TypeOfPatientID",
    "PatientBirthDate",
    "PatientBirthTime",
    "PatientSex",
    "OtherPatientIDsSequence",
    "PatientComments",
    "PatientIdentityRemoved",
    "DeidentificationMethod",
    "DeidentificationMethodCodeSequence",
    "StudyInstanceUID",
    "StudyDate",
    "StudyTime",
    "ReferringPhysicianName",
    "StudyID",
    "AccessionNumber",
    "StudyDescription",
    "PatientAge",
    "PatientSize",
    "PatientWeight",
)

_HASH_CHUNK = 1 << 20

# Label name (lower case) -> (segmented property category, type), SNOMED CT.
_MORPHOLOGY = hd.sr.CodedConcept("49755003", "SCT", "Morphologically Altered Structure")
_ANATOMY = codes.SCT.AnatomicalStructure
_LABEL_CODES: dict[str, tuple[Any, Any]] = {
    "nodule": (_MORPHOLOGY, codes.SCT.Nodule),
    "mass": (_MORPHOLOGY, codes.SCT.Mass),
    "lesion": (_MORPHOLOGY, codes.SCT.Lesion),
    "tumor": (_MORPHOLOGY, codes.SCT.Neoplasm),
    "tumour": (_MORPHOLOGY, codes.SCT.Neoplasm),
    "neoplasm": (_MORPHOLOGY, codes.SCT.Neoplasm),
    "cyst": (_MORPHOLOGY, codes.SCT.Cyst),
    "hemorrhage": (_MORPHOLOGY, codes.SCT.Hemorrhage),
    "haemorrhage": (_MORPHOLOGY, codes.SCT.Hemorrhage),
    "vessel": (_ANATOMY, codes.SCT.BloodVessel),
    "blood vessel": (_ANATOMY, codes.SCT.BloodVessel),
    "aorta": (_ANATOMY, codes.SCT.Aorta),
    "liver": (_ANATOMY, codes.SCT.Liver),
    "lung": (_ANATOMY, codes.SCT.Lung),
    "kidney": (_ANATOMY, codes.SCT.Kidney),
    "spleen": (_ANATOMY, codes.SCT.Spleen),
    "heart": (_ANATOMY, codes.SCT.Heart),
    "brain": (_ANATOMY, codes.SCT.Brain),
    "bone": (_ANATOMY, codes.SCT.Bone),
    "muscle": (_ANATOMY, codes.SCT.Muscle),
    "fat": (_ANATOMY, codes.SCT.Fat),
    "lymph node": (_ANATOMY, codes.SCT.LymphNode),
}
# Any other label: tissue of some kind, named by the label itself.
_GENERIC_CODES = (codes.SCT.Tissue, codes.SCT.Tissue)


class DicomExportError(ServiceError):
    """A DICOM SEG or SR cannot be made from a series item's ROIs."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The DICOM {format} of item {item} cannot be written: {problem}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Nothing was written. Correct the ROIs or the choice of annotator and "
        "export again.",
    )


class SourceFileError(DicomExportError):
    """A source file of the series is missing or differs from when it was added."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The source file {path} of the series is missing or has changed."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "The export must reference the very images the ROIs were drawn on. "
        "Restore the file or add the series again.",
    )


@dataclass(frozen=True)
class SeriesSource:
    """The series of a worklist item: geometry and the slices' DICOM headers.

    ``datasets`` are the headers (no pixels) in the order of
    ``series.slices``, ascending along the slice normal, with
    ImageOrientationPatient set to the series' value where a slice differed
    from it by no more than the scan tolerance.
    """

    item: Revision
    series: SeriesInfo
    datasets: tuple[Any, ...]

    def slice_of(self, sop_instance_uid: str) -> int:
        """Return the slice index of a SOP Instance UID, or -1 if not in the series."""
        for index, slice_file in enumerate(self.series.slices):
            if slice_file.sop_instance_uid == sop_instance_uid:
                return index
        return -1


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the file, its UIDs and what it holds."""

    path: Path
    sop_instance_uid: str
    series_instance_uid: str
    roi_record_ids: tuple[str, ...]
    labels: tuple[str, ...]


def read_series_source(
    records: RecordStore, item_id: str, format_name: str
) -> SeriesSource:
    """Read the headers of a series item's files, checking their SHA-256 first.

    Parameters
    ----------
    records
        The project's record store.
    item_id
        A worklist item of kind "series".
    format_name
        "SEG" or "SR", named in errors.

    Returns
    -------
    SeriesSource
        The item, its series and the slices' headers.

    Raises
    ------
    DicomExportError
        The item is not a series or names no files.
    SourceFileError
        A file is missing or its content changed since the item was added.
    """
    item = records.head(item_id)
    body = item.body
    source = body.get("source") or {}
    if item.record_type != "item" or body.get("kind") != "series":
        raise DicomExportError(
            "the item is not a series",
            format=format_name,
            item=item_id,
            problem="not a series item",
        )
    files = source.get("files") or []
    if not files:
        raise DicomExportError(
            "the item names no files",
            format=format_name,
            item=item_id,
            problem="the series item names no files",
        )

    expected: dict[str, str] = {}
    for entry in files:
        expected.setdefault(str(entry["path"]), str(entry.get("sha256", "")))
    for path_text, digest in expected.items():
        path = Path(path_text)
        if not path.is_file():
            raise SourceFileError("not found", format=format_name, path=path)
        if _sha256(path) != digest:
            raise SourceFileError("SHA-256 differs", format=format_name, path=path)

    uid, part = str(source["series_instance_uid"]), int(source.get("part", 0))
    result = scan([Path(p) for p in expected])
    series = next(
        (s for s in result.series if s.series_instance_uid == uid and s.part == part),
        None,
    )
    if series is None:
        raise DicomExportError(
            f"{len(expected)} files scanned",
            format=format_name,
            item=item_id,
            problem="the files no longer hold the series",
        )
    if any(slice_file.frame is not None for slice_file in series.slices):
        # Known shortcoming: multi-frame (enhanced) sources are not exported.
        raise DicomExportError(
            "multi-frame source",
            format=format_name,
            item=item_id,
            problem="multi-frame source images are not supported",
        )
    datasets = tuple(_header(s.path, series.orientation) for s in series.slices)
    return SeriesSource(item=item, series=series, datasets=datasets)


def _header(path: Path, orientation: Sequence[float]) -> Any:
    """Read one slice's header and align its orientation with the series'."""
    dataset = pydicom.dcmread(path, stop_before_pixels=True)
    found = [float(v) for v in dataset.get("ImageOrientationPatient", [])]
    # GE writes the oblique MR's cosines differently after the 9th decimal;
    # highdicom refuses such a stack, so values within tolerance are unified.
    if len(found) == len(orientation) and all(
        abs(a - b) <= ORIENTATION_TOLERANCE
        for a, b in zip(found, orientation, strict=True)
    ):
        dataset.ImageOrientationPatient = [float(v) for v in orientation]
    return dataset


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def select_rois(
    records: RecordStore,
    item_id: str,
    kinds: Sequence[str],
    *,
    author: str | None,
    format_name: str,
) -> list[Revision]:
    """Return the item's live ROIs of the given kinds made by one annotator.

    Parameters
    ----------
    records
        The project's record store.
    item_id
        The series item.
    kinds
        ROI kinds to keep.
    author
        The annotator's user ID; None means the only annotator there is.
    format_name
        "SEG" or "SR", named in errors.

    Returns
    -------
    list of Revision
        Heads of "roi" records, oldest first.

    Raises
    ------
    DicomExportError
        No ROI of those kinds, an ROI with conflicting edits, or several
        annotators and none chosen (a SEG or SR names one content creator or
        observer).
    """
    rois = [
        r
        for r in records.current("roi", item_id=item_id)
        if r.body.get("kind") in kinds
    ]
    if author is not None:
        rois = [r for r in rois if r.author == author]
    authors = sorted({r.author for r in rois})
    seen: set[str] = set()
    for roi in rois:
        if roi.record_id in seen:
            # Two heads: edits made offline on two workstations. Exporting
            # both would show one ROI twice; exporting one would be a choice.
            raise DicomExportError(
                f"ROI {roi.record_id}",
                format=format_name,
                item=item_id,
                problem=f"ROI {roi.record_id} has conflicting edits; resolve them",
            )
        seen.add(roi.record_id)
    if not rois:
        raise DicomExportError(
            f"kinds {', '.join(kinds)}",
            format=format_name,
            item=item_id,
            problem="the item has no ROI to export"
            + ("" if author is None else f" by {author}"),
        )
    if len(authors) > 1:
        raise DicomExportError(
            f"annotators {', '.join(authors)}",
            format=format_name,
            item=item_id,
            problem=f"{len(authors)} annotators drew ROIs; choose one",
        )
    return rois


def label_codes(label: str) -> tuple[Any, Any]:
    """Return the (category, type) codes of a label name, tissue when unknown.

    Parameters
    ----------
    label
        The label's name, compared in lower case.

    Returns
    -------
    tuple
        Segmented property category and type, SNOMED CT codes.
    """
    return _LABEL_CODES.get(label.strip().lower(), _GENERIC_CODES)


def copy_patient_study(source: Any, target: Any) -> None:
    """Copy the patient and study attributes the target lacks from the source.

    Parameters
    ----------
    source
        A source image's dataset.
    target
        The new SEG or SR dataset, changed in place.
    """
    for keyword in PATIENT_STUDY_KEYWORDS:
        if keyword not in source:
            continue
        value = source[keyword].value
        if keyword not in target or target[keyword].value in (None, ""):
            setattr(target, keyword, value)


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
        label = _label_of(roi)
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


def _label_of(roi: Revision) -> str:
    return str(roi.body.get("label") or "").strip() or UNLABELLED


def _ordered_labels(
    rois: Sequence[Revision], label_sets: Mapping[int, LabelSet]
) -> list[str]:
    """Labels in the order of the newest label set, unknown ones after by name."""
    used = {_label_of(roi) for roi in rois}
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
            if _label_of(r) == label
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


def printed_name(project: Project, user_id: str) -> str:
    """Return a user's printed name as a DICOM person name (the ID if unknown)."""
    user = read_user(project.connection, user_id)
    name = user.printed_name if user is not None else user_id
    # A printed name is one free text: it goes whole into the family name
    # component, the trailing "^" saying that it is not a legacy single form.
    return name.replace("^", " ").replace("\\", " ").strip() + "^"


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
    rois = select_rois(
        project.records, item_id, AREA_KINDS, author=author, format_name="SEG"
    )
    source = read_series_source(project.records, item_id, "SEG")

    label_sets = label_sets_of(project.records, rois)
    segmentation = build_segmentation(
        source,
        rois,
        label_sets,
        creator_name=printed_name(project, rois[0].author),
        device_serial_number=project.workstation_id,
    )
    labels = tuple(str(item.SegmentLabel) for item in segmentation.SegmentSequence)
    result = ExportResult(
        path=Path(folder) / f"SEG_{segmentation.SOPInstanceUID}.dcm",
        sop_instance_uid=str(segmentation.SOPInstanceUID),
        series_instance_uid=str(segmentation.SeriesInstanceUID),
        roi_record_ids=tuple(r.record_id for r in rois),
        labels=labels,
    )
    write_audited(project, "export.dicom_seg", segmentation, result, rois)
    logger.info(
        "SEG of item %s: %d ROIs, %d segments",
        short_hash(item_id),
        len(rois),
        len(labels),
    )
    return result


def write_audited(
    project: Project,
    action: str,
    dataset: Any,
    result: ExportResult,
    rois: Sequence[Revision],
) -> None:
    """Write a dataset and its audit entry together: both or neither.

    Parameters
    ----------
    project
        The signed-in project.
    action
        The audit action, "export.dicom_seg" or "export.dicom_sr".
    dataset
        The DICOM object.
    result
        Where it goes and what it holds.
    rois
        The ROI revisions exported (their revision IDs are audited).
    """
    folder = result.path.parent
    format_name = action.rsplit("_", 1)[-1].upper()
    if folder.exists() and not folder.is_dir():
        raise DicomExportError(
            "not a folder",
            format=format_name,
            item=rois[0].item_id,
            problem=f"{folder} is not a folder",
            path=folder,
        )
    with _temporary(result.path) as partial:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            dataset.save_as(partial, enforce_file_format=True)
        except OSError as error:
            raise DicomExportError(
                f"{type(error).__name__}: {error}",
                format=format_name,
                item=rois[0].item_id,
                problem=f"{folder} cannot be written to",
                path=folder,
            ) from error
        with project.records.transaction():
            project.audit.append(
                action,
                record_type="item",
                record_id=rois[0].item_id,
                new={
                    "path": str(result.path),
                    "sop_instance_uid": result.sop_instance_uid,
                    "series_instance_uid": result.series_instance_uid,
                    "roi_revision_ids": [r.revision_id for r in rois],
                    "labels": list(result.labels),
                },
            )
            os.replace(partial, result.path)


@contextmanager
def source_names_as_they_are() -> Iterator[None]:
    """Copy the source's person names unchanged without highdicom's warning.

    A scanner's one-component PatientName ("HEAD") is what the study says;
    changing it would file the object under another name.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=".*unlikely to represent the intended person name",
            category=UserWarning,
        )
        yield


@contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    """Give a temporary name beside ``path`` and remove it if it is left over."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)
