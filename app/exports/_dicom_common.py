"""What the DICOM SEG and SR exports share: the source series, ROIs, writing.

Both exports read a series item's files (checking their SHA-256 against the
item), pick one annotator's live ROIs, copy the patient and study attributes
from the source, and write the new object together with its audit entry.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import highdicom as hd
import pydicom
from pydicom.sr.codedict import codes

from storage.errors import QT_TRANSLATE_NOOP, ServiceError
from storage.project import Project
from storage.records import RecordStore, Revision
from storage.users import read_user
from viewers.imaging.series import ORIENTATION_TOLERANCE, SeriesInfo, scan

__all__ = [
    "AREA_KINDS",
    "MANUFACTURER",
    "UNLABELLED",
    "DicomExportError",
    "ExportResult",
    "SeriesSource",
    "SourceFileError",
    "copy_patient_study",
    "export_rois",
    "label_codes",
    "label_of",
    "printed_name",
    "read_series_source",
    "select_rois",
    "source_names_as_they_are",
    "write_audited",
]

AREA_KINDS = ("rectangle", "ellipse", "polygon", "freehand")
MANUFACTURER = "HAIOps"
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


def label_of(roi: Revision) -> str:
    """Return an ROI's label name, :data:`UNLABELLED` when it has none."""
    return str(roi.body.get("label") or "").strip() or UNLABELLED


def printed_name(project: Project, user_id: str) -> str:
    """Return a user's printed name as a DICOM person name (the ID if unknown)."""
    user = read_user(project.connection, user_id)
    name = user.printed_name if user is not None else user_id
    # A printed name is one free text: it goes whole into the family name
    # component, the trailing "^" saying that it is not a legacy single form.
    return name.replace("^", " ").replace("\\", " ").strip() + "^"


def export_rois(
    project: Project,
    item_id: str,
    folder: Path,
    *,
    author: str | None,
    kinds: Sequence[str],
    format_name: str,
    build: Callable[[SeriesSource, list[Revision]], tuple[Any, tuple[str, ...]]],
) -> ExportResult:
    """Select the ROIs, read the source, build the object and write it audited.

    Parameters
    ----------
    project, item_id, folder, author
        As given to :func:`app.exports.dicom_seg.export_dicom_seg` or
        :func:`app.exports.dicom_sr.export_dicom_sr`; the file is named
        ``<format_name>_<SOPInstanceUID>.dcm``.
    kinds
        ROI kinds the format holds.
    format_name
        "SEG" or "SR": named in errors, the file name and the audit action
        (``export.dicom_seg``, ``export.dicom_sr``).
    build
        Makes the DICOM object from the source and the ROIs (oldest first)
        and returns it with the labels it holds, in its order.

    Returns
    -------
    ExportResult
        The file written, its UIDs, the ROI records and the labels.

    Raises
    ------
    DicomExportError, SourceFileError
        See :func:`select_rois`, :func:`read_series_source` and ``build``.
    """
    rois = select_rois(
        project.records, item_id, kinds, author=author, format_name=format_name
    )
    source = read_series_source(project.records, item_id, format_name)

    dataset, labels = build(source, rois)
    result = ExportResult(
        path=Path(folder) / f"{format_name}_{dataset.SOPInstanceUID}.dcm",
        sop_instance_uid=str(dataset.SOPInstanceUID),
        series_instance_uid=str(dataset.SeriesInstanceUID),
        roi_record_ids=tuple(r.record_id for r in rois),
        labels=labels,
    )
    write_audited(project, f"export.dicom_{format_name.lower()}", dataset, result, rois)
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
