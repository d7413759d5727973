"""Find DICOM series in a folder, DICOMDIR or file list, and describe their geometry.

Coordinates are patient LPS in mm (DICOM PS3.3 C.7.6.2.1.1). A slice's
ImageOrientationPatient holds the row direction (the direction in which the
column index grows) and then the column direction (the direction in which the
row index grows); PixelSpacing is (row spacing, column spacing), that is the
distance between rows and then between columns. The slice normal is
row direction x column direction.
"""

from __future__ import annotations

import logging
import math
import os
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
import pydicom.fileset
from pydicom.errors import InvalidDicomError
from pydicom.uid import UID

from storage.progress import Progress
from viewers.imaging._header import read_fast_header, uid_of
from viewers.imaging.errors import SeriesSourceError

__all__ = [
    "LeftOut",
    "ScanResult",
    "SeriesInfo",
    "SliceFile",
    "describe_geometry",
    "scan",
]

log = logging.getLogger(__name__)

# Orientation cosines and pixel spacings closer than this are the same: GE writes
# the oblique MR's cosines differently after the 9th decimal from slice to slice.
ORIENTATION_TOLERANCE = 1e-4
# Slices closer than this along the normal (mm) stand at the same position.
SAME_POSITION_MM = 1e-3
# Spacings along the normal that differ by no more than this (mm) are even.
EVEN_SPACING_MM = 0.01

_MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
_PIXEL_DATA_TAG = b"\xe0\x7f\x10\x00"
_PIXEL_DATA_TAG_BE = b"\x7f\xe0\x00\x10"
_UNDEFINED_LENGTH = 0xFFFFFFFF


@dataclass(frozen=True)
class LeftOut:
    """A file (or frame) that is not part of any series, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class SliceFile:
    """One slice of a series: a single-frame file, or one frame of a multi-frame.

    ``position_mm`` is the slice's own ImagePositionPatient (LPS, mm): the
    centre of its first transmitted pixel. ``frame`` is the 0-based frame
    index in a multi-frame file, ``None`` for a single-frame file.

    The fields after ``frame`` are what the pixel loader needs so that it does
    not read the header a second time.
    """

    path: Path
    sop_instance_uid: str
    position_mm: tuple[float, float, float]
    frame: int | None
    instance_number: int | None = None
    rescale_slope: float = 1.0
    rescale_intercept: float = 0.0
    # Byte offset of the first pixel of this slice for native (uncompressed,
    # not deflated) transfer syntaxes; None means "decode with pydicom".
    pixel_offset: int | None = None
    transfer_syntax_uid: str = ""


@dataclass(frozen=True)
class SeriesInfo:
    """A stack of slices that share orientation, size and pixel format.

    ``slices`` are sorted by position along the slice normal (ascending),
    never by file name or InstanceNumber. Spacings are measured along the
    normal in mm. ``geometric_tilt_deg`` is the signed angle between the
    direction in which slice positions advance and the slice normal; see
    :func:`describe_geometry` for the sign. ``recorded_tilt_deg`` is the
    GantryDetectorTilt the scanner wrote, whose sign differs between vendors.
    ``part`` is 0 for a whole SeriesInstanceUID and 1, 2, ... when one
    SeriesInstanceUID was split by orientation, image size or pixel format.
    ``spacing_max_mm`` is the largest gap along the normal; ``largest_gap``
    names the two files around it when the spacing is uneven (by more than
    0.01 mm), and is None for an evenly spaced series or a single slice.
    """

    series_instance_uid: str
    study_instance_uid: str
    modality: str
    description: str
    rows: int
    columns: int
    slices: tuple[SliceFile, ...]
    pixel_spacing_mm: tuple[float, float]
    orientation: tuple[float, ...]
    spacing_min_mm: float | None
    spacing_max_mm: float | None
    largest_gap: tuple[Path, Path] | None
    geometric_tilt_deg: float
    recorded_tilt_deg: float | None
    part: int
    series_number: int | None = None
    bits_allocated: int = 16
    bits_stored: int = 16
    pixel_representation: int = 0
    photometric: str = "MONOCHROME2"
    pixel_padding_value: int | None = None
    pixel_padding_range_limit: int | None = None
    # False when the files hold no ImagePositionPatient/ImageOrientationPatient
    # (a CR, a secondary capture): positions are then made up, 1 mm apart.
    has_geometry: bool = True
    # False when the files give no PixelSpacing (nor ImagerPixelSpacing) or a
    # spacing not above 0: pixel_spacing_mm is then (1.0, 1.0), a stand-in that
    # keeps image geometry in pixel units, and no length or area in mm exists.
    has_pixel_spacing: bool = True
    # Files of this series left out while scanning (duplicate positions).
    left_out: tuple[LeftOut, ...] = field(default=())

    @property
    def slice_count(self) -> int:
        """The number of slices kept in the series."""
        return len(self.slices)

    @property
    def normal(self) -> tuple[float, float, float]:
        """The unit slice normal (row direction x column direction), LPS."""
        row = np.asarray(self.orientation[:3], dtype=float)
        col = np.asarray(self.orientation[3:], dtype=float)
        n = np.cross(row, col)
        n /= np.linalg.norm(n)
        return (float(n[0]), float(n[1]), float(n[2]))

    @property
    def is_evenly_spaced(self) -> bool:
        """Whether all spacings along the normal agree within 0.01 mm."""
        return self.largest_gap is None


@dataclass(frozen=True)
class ScanResult:
    """Every series found, and every file left out with its reason."""

    series: tuple[SeriesInfo, ...]
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class _Candidate:
    """One slice read from a header, before it is grouped into a series."""

    slice: SliceFile
    series_uid: str
    study_uid: str
    series_number: int | None
    modality: str
    description: str
    rows: int
    columns: int
    orientation: tuple[float, ...]
    pixel_spacing: tuple[float, float]
    bits_allocated: int
    bits_stored: int
    pixel_representation: int
    photometric: str
    padding_value: int | None
    padding_limit: int | None
    recorded_tilt: float | None
    has_geometry: bool
    has_pixel_spacing: bool


@dataclass(frozen=True)
class Geometry:
    """Spacing along the normal and tilt of a sorted stack of slices."""

    spacing_min_mm: float | None
    spacing_max_mm: float | None
    largest_gap: tuple[Path, Path] | None
    geometric_tilt_deg: float


def scan(source: Path | Sequence[Path], progress: Progress | None = None) -> ScanResult:
    """Read the headers of DICOM files and group their slices into series.

    Parameters
    ----------
    source
        A folder (searched recursively), a DICOMDIR file, one DICOM file, or a
        sequence of DICOM files.
    progress
        Told after each file; its cancel stops the scan with CancelledError.

    Returns
    -------
    ScanResult
        Series grouped by SeriesInstanceUID (split into parts when orientation,
        image size or pixel format differ), each sorted along its slice normal,
        and one :class:`LeftOut` note for every file that is not part of one
        (not DICOM, not an image, a localizer, a DICOMDIR, colour, ...). A
        DICOMDIR that cannot be read is itself left out, with the reason, and
        its folder is searched recursively instead.

    Raises
    ------
    SeriesSourceError
        When ``source`` does not exist, or a DICOMDIR cannot be read and its
        folder holds no other file.
    """
    files, left_out = _files_of(source)

    candidates: list[_Candidate] = []
    for done, path in enumerate(files, start=1):
        found = _read_candidates(path)
        if isinstance(found, LeftOut):
            left_out.append(found)
        else:
            candidates.extend(found)
        if progress is not None:
            progress.report(done, len(files), "header")

    series = _group(candidates)
    for info in series:
        left_out.extend(info.left_out)
    log.info(
        "scanned %d files: %d series, %d left out",
        len(files),
        len(series),
        len(left_out),
    )
    return ScanResult(series=tuple(series), left_out=tuple(left_out))


def describe_geometry(
    slices: Sequence[SliceFile], orientation: Sequence[float]
) -> Geometry:
    """Measure spacing along the normal and the geometric tilt of sorted slices.

    Parameters
    ----------
    slices
        Slices sorted by position along the normal (ascending).
    orientation
        The six direction cosines (row direction, column direction), LPS.

    Returns
    -------
    Geometry
        Minimum and maximum spacing along the normal in mm (None for one
        slice); the two files around the largest gap when the spacing is
        uneven by more than 0.01 mm (the first such gap in slice order when
        several are equal within 0.001 mm), else None; and the geometric tilt.

    Notes
    -----
    The geometric tilt is the angle in degrees between the direction in which
    slice positions advance (first slice to last) and the slice normal. Its
    sign is that of a right-handed rotation about the row direction (the +column
    image axis, patient left for an axial slice) taking the advance direction
    onto the normal. A gantry tilted so that the normal leans toward anterior
    while the table moves toward head gives a negative angle: the Philips series
    with GantryDetectorTilt -18.5 and the GE series with GantryDetectorTilt
    +18.5 (the same geometry; the vendors disagree on the sign) both measure
    -18.5 degrees here.
    """
    if len(slices) < 2:
        return Geometry(None, None, None, 0.0)

    row = np.asarray(orientation[:3], dtype=float)
    col = np.asarray(orientation[3:6], dtype=float)
    normal = np.cross(row, col)
    normal /= np.linalg.norm(normal)
    positions = np.asarray([s.position_mm for s in slices], dtype=float)

    # Spacing along the normal, not between positions: a tilted stack is sheared.
    along = positions @ normal
    steps = np.diff(along)
    spacing_min = float(steps.min())
    spacing_max = float(steps.max())
    largest_gap = None
    if spacing_max - spacing_min > EVEN_SPACING_MM:
        first = int(np.flatnonzero(steps >= spacing_max - SAME_POSITION_MM)[0])
        largest_gap = (slices[first].path, slices[first + 1].path)

    advance = positions[-1] - positions[0]
    length = float(np.linalg.norm(advance))
    tilt = 0.0
    if length > 0:
        advance /= length
        cosine = float(np.clip(advance @ normal, -1.0, 1.0))
        sine = float(np.cross(advance, normal) @ row)
        tilt = math.degrees(math.atan2(sine, cosine))
    return Geometry(spacing_min, spacing_max, largest_gap, tilt)


def _files_of(source: Path | Sequence[Path]) -> tuple[list[Path], list[LeftOut]]:
    """List the files to read (a folder's, a DICOMDIR's, or those given).

    Also returns the note on a DICOMDIR that could not be used, whose folder
    is then searched instead.
    """
    if not isinstance(source, (str, os.PathLike)):
        return [Path(p) for p in source], []

    path = Path(source)
    if not path.exists():
        raise SeriesSourceError("does not exist", path=path)
    if path.is_dir():
        return _folder_files(path), []
    if not _is_dicomdir(path):
        return [path], []

    try:
        return _dicomdir_files(path), []
    except SeriesSourceError as error:
        # Vendors write DICOMDIRs that break the standard (a record without a
        # required element); the images beside them are usually fine.
        files = [p for p in _folder_files(path.parent) if p != path]
        if not files:
            raise
        reason = str(error.__cause__ or error.detail)
        log.warning("DICOMDIR unusable, searching its folder: %s", reason)
        note = LeftOut(
            path, f"a DICOMDIR that cannot be read ({reason}); its folder was searched"
        )
        return files, [note]


def _folder_files(folder: Path) -> list[Path]:
    """Every file under ``folder``, recursively, in path order."""
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _is_dicomdir(path: Path) -> bool:
    """Whether ``path`` is a DICOMDIR (Media Storage Directory), by its meta."""
    try:
        meta = pydicom.filereader.read_file_meta_info(path)
    except (InvalidDicomError, OSError, ValueError, EOFError):
        return False
    return str(meta.get("MediaStorageSOPClassUID", "")) == _MEDIA_STORAGE_DIRECTORY


def _dicomdir_files(path: Path) -> list[Path]:
    """List the files a DICOMDIR refers to (relative to its folder)."""
    try:
        fileset = pydicom.fileset.FileSet(pydicom.dcmread(path))
        files = [Path(instance.path) for instance in fileset]
    except Exception as error:
        raise SeriesSourceError(f"DICOMDIR unreadable: {error}", path=path) from error
    return sorted(files)


def _read_candidates(path: Path) -> list[_Candidate] | LeftOut:
    """Read one file's header; return its slices or why it is left out."""
    try:
        ds, header_end, size, element = _read_header(path)
    except InvalidDicomError:
        return LeftOut(path, "not a DICOM file")
    except Exception as error:  # noqa: BLE001 -- a damaged header is a reason, not a crash
        return LeftOut(path, f"header cannot be read: {type(error).__name__}: {error}")

    reason = _not_an_image(ds, header_end, size, element)
    if reason is not None:
        return LeftOut(path, reason)
    try:
        return _candidates_of(path, ds, header_end, element)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        return LeftOut(path, f"header values cannot be used: {error}")


def _read_header(path: Path) -> tuple[Any, int, int, bytes]:
    """Read a header fast where possible, else with pydicom.

    Returns the header, the offset where the header ends (the Pixel Data
    element, when there is one), the file size and the 12 bytes there.
    """
    fast = read_fast_header(path)
    if fast is not None:
        return fast
    with path.open("rb") as fp:
        ds = pydicom.dcmread(fp, stop_before_pixels=True)
        header_end = fp.tell()
        size = os.fstat(fp.fileno()).st_size
        fp.seek(header_end)
        return ds, header_end, size, fp.read(12)


def _not_an_image(ds: Any, header_end: int, size: int, element: bytes) -> str | None:
    """Say why a dataset is not a grey-scale image slice, or None when it is."""
    meta = getattr(ds, "file_meta", None)
    meta_class = "" if meta is None else meta.get("MediaStorageSOPClassUID", "")
    sop_class = uid_of(str(ds.get("SOPClassUID", meta_class)))
    if sop_class == _MEDIA_STORAGE_DIRECTORY:
        return "a DICOMDIR (media directory), not an image"
    if "Rows" not in ds or "Columns" not in ds:
        return f"not an image ({sop_class.name or 'no SOP class'})"
    ts = _transfer_syntax(ds)
    if not ts.is_deflated and header_end >= size:
        return "no pixel data"
    if not ts.is_deflated and element[:4] not in (_PIXEL_DATA_TAG, _PIXEL_DATA_TAG_BE):
        return "no pixel data (only float or double float pixel data)"
    image_type = [str(v).upper() for v in _as_list(ds.get("ImageType", []))]
    if "LOCALIZER" in image_type:
        return "a localizer (ImageType LOCALIZER), not part of a volume"
    samples = int(ds.get("SamplesPerPixel", 1))
    photometric = str(ds.get("PhotometricInterpretation", "")).strip()
    if samples != 1 or photometric not in ("MONOCHROME1", "MONOCHROME2"):
        # Known shortcoming: colour and palette images are not shown at all.
        return f"colour image ({photometric or 'unknown'}) is not supported"
    bits = int(ds.get("BitsAllocated", 0))
    if bits not in (8, 16, 32):
        return f"BitsAllocated {bits} is not supported ({sop_class.name})"
    return None


def _transfer_syntax(ds: Any) -> UID:
    """Return the transfer syntax; implicit VR little endian when not stated."""
    meta = getattr(ds, "file_meta", None)
    value = None if meta is None else meta.get("TransferSyntaxUID")
    return uid_of(str(value) if value else "1.2.840.10008.1.2")


def _candidates_of(
    path: Path, ds: Any, header_end: int, element: bytes
) -> list[_Candidate]:
    """Turn a header into one candidate slice per frame."""
    ts = _transfer_syntax(ds)
    rows, columns = int(ds.Rows), int(ds.Columns)
    bits_allocated = int(ds.BitsAllocated)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    offset = _pixel_value_offset(ts, header_end, element)

    per_frame = _frame_values(ds, frames)
    frame_bytes = rows * columns * bits_allocated // 8
    sop_uid = str(ds.get("SOPInstanceUID", ""))
    series_uid = str(ds.get("SeriesInstanceUID", "")) or f"no-series-uid:{path}"
    instance_number = _int_or_none(ds.get("InstanceNumber"))
    padding = _int_or_none(ds.get("PixelPaddingValue"))
    padding_limit = _int_or_none(ds.get("PixelPaddingRangeLimit"))
    tilt = ds.get("GantryDetectorTilt")

    result = []
    for index, values in enumerate(per_frame):
        position, orientation, spacing, slope, intercept, has_geometry, has_mm = values
        slice_file = SliceFile(
            path=path,
            sop_instance_uid=sop_uid,
            position_mm=position,
            frame=index if frames > 1 else None,
            instance_number=instance_number,
            rescale_slope=slope,
            rescale_intercept=intercept,
            pixel_offset=None if offset is None else offset + index * frame_bytes,
            transfer_syntax_uid=str(ts),
        )
        result.append(
            _Candidate(
                slice=slice_file,
                series_uid=series_uid,
                study_uid=str(ds.get("StudyInstanceUID", "")),
                series_number=_int_or_none(ds.get("SeriesNumber")),
                modality=str(ds.get("Modality", "")),
                description=str(ds.get("SeriesDescription", "")),
                rows=rows,
                columns=columns,
                orientation=orientation,
                pixel_spacing=spacing,
                bits_allocated=bits_allocated,
                bits_stored=int(ds.get("BitsStored", bits_allocated)),
                pixel_representation=int(ds.get("PixelRepresentation", 0)),
                photometric=str(ds.PhotometricInterpretation).strip(),
                padding_value=padding,
                padding_limit=padding_limit,
                recorded_tilt=None if tilt in (None, "") else float(tilt),
                has_geometry=has_geometry,
                has_pixel_spacing=has_mm,
            )
        )
    return result


def _pixel_value_offset(ts: UID, header_end: int, element: bytes) -> int | None:
    """Where the native pixel bytes start, or None when pydicom must decode."""
    if ts.is_compressed or ts.is_deflated or len(element) < 8:
        return None
    order = "<" if ts.is_little_endian else ">"
    if ts.is_implicit_VR:
        (length,) = struct.unpack(order + "I", element[4:8])
        start = header_end + 8
    elif element[4:6] in (b"OB", b"OW", b"UN", b"OV"):
        (length,) = struct.unpack(order + "I", element[8:12])
        start = header_end + 12
    else:
        (length,) = struct.unpack(order + "H", element[6:8])
        start = header_end + 8
    return None if length == _UNDEFINED_LENGTH else start


_FrameValues = tuple[
    tuple[float, float, float],
    tuple[float, ...],
    tuple[float, float],
    float,
    float,
    bool,
    bool,
]


def _frame_values(ds: Any, frames: int) -> list[_FrameValues]:
    """Position, orientation, spacing and rescale of each frame (PS3.3 C.7.6.16).

    Enhanced objects keep them in the per-frame functional groups, falling back
    to the shared ones; classic objects keep them at the top level.
    """
    per_frame = ds.get("PerFrameFunctionalGroupsSequence")
    shared_seq = ds.get("SharedFunctionalGroupsSequence")
    shared = shared_seq[0] if shared_seq else None
    if per_frame is not None and len(per_frame) != frames:
        per_frame = None

    values: list[_FrameValues] = []
    for index in range(frames):
        item = per_frame[index] if per_frame is not None else None

        def find(sequence: str, keyword: str, item: Any = item) -> Any:
            for source in (item, shared):
                if source is not None and sequence in source and source[sequence].value:
                    found = source[sequence][0].get(keyword)
                    if found is not None and found != "":
                        return found
            return ds.get(keyword)

        position = find("PlanePositionSequence", "ImagePositionPatient")
        orientation = find("PlaneOrientationSequence", "ImageOrientationPatient")
        spacing = find("PixelMeasuresSequence", "PixelSpacing")
        if spacing in (None, ""):
            # Known shortcoming: ImagerPixelSpacing stands in for projection
            # images, so their mm are at the detector, not the patient.
            spacing = ds.get("ImagerPixelSpacing")
        slope = find("PixelValueTransformationSequence", "RescaleSlope")
        intercept = find("PixelValueTransformationSequence", "RescaleIntercept")
        values.append(
            _frame_tuple(ds, index, position, orientation, spacing, slope, intercept)
        )
    return values


def _frame_tuple(
    ds: Any,
    index: int,
    position: Any,
    orientation: Any,
    spacing: Any,
    slope: Any,
    intercept: Any,
) -> _FrameValues:
    """Build one frame's values, making up a position where the file has none."""
    has_geometry = bool(position) and bool(orientation)
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    classic_multiframe = frames > 1 and "PerFrameFunctionalGroupsSequence" not in ds
    cosines = (
        tuple(float(v) for v in orientation) if orientation else (1.0, 0, 0, 0, 1.0, 0)
    )
    if len(cosines) != 6:
        raise ValueError(f"ImageOrientationPatient has {len(cosines)} values, not 6")
    pixel_spacing = (float(spacing[0]), float(spacing[1])) if spacing else (0.0, 0.0)
    # No spacing, or 0 (RG1_UNCI.dcm says 0): keep square pixel units for the
    # geometry, and mark that they are not mm.
    has_pixel_spacing = all(math.isfinite(v) and v > 0 for v in pixel_spacing)
    if not has_pixel_spacing:
        pixel_spacing = (1.0, 1.0)
    origin = tuple(float(v) for v in position) if position else (0.0, 0.0, 0.0)
    if len(origin) != 3:
        raise ValueError(f"ImagePositionPatient has {len(origin)} values, not 3")
    xyz: tuple[float, ...] = origin
    if classic_multiframe or not position:
        # One position for many frames: step along the normal by
        # GridFrameOffsetVector (RT dose, PS3.3 C.8.8.3.2) or else 1 mm, and
        # say the geometry is made up unless the offsets were given.
        offsets = ds.get("GridFrameOffsetVector")
        has_offsets = bool(offsets) and len(offsets) == frames
        step = float(offsets[index]) if has_offsets else float(index)
        has_geometry = has_geometry and has_offsets
        normal = np.cross(cosines[:3], cosines[3:])
        xyz = tuple(float(o + n * step) for o, n in zip(origin, normal, strict=True))
    return (
        (xyz[0], xyz[1], xyz[2]),
        cosines,
        pixel_spacing,
        float(slope) if slope not in (None, "") else 1.0,
        float(intercept) if intercept not in (None, "") else 0.0,
        has_geometry,
        has_pixel_spacing,
    )


def _group(candidates: Iterable[_Candidate]) -> list[SeriesInfo]:
    """Group candidates by SeriesInstanceUID, then split into stackable parts."""
    by_uid: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        by_uid.setdefault(candidate.series_uid, []).append(candidate)

    series: list[SeriesInfo] = []
    for members in by_uid.values():
        parts = _split(members)
        for number, part in enumerate(parts, start=1):
            series.append(_series_of(part, number if len(parts) > 1 else 0))
    series.sort(
        key=lambda s: (
            s.series_number if s.series_number is not None else 1 << 31,
            s.series_instance_uid,
            s.part,
        )
    )
    return series


def _split(members: list[_Candidate]) -> list[list[_Candidate]]:
    """Split one SeriesInstanceUID where orientation, size or format differ."""
    parts: list[list[_Candidate]] = []
    for candidate in members:
        for part in parts:
            if _stackable(part[0], candidate):
                part.append(candidate)
                break
        else:
            parts.append([candidate])
    return parts


def _stackable(a: _Candidate, b: _Candidate) -> bool:
    """Whether two slices can share one volume."""
    # Without geometry, separate single-frame images have no order to stack in.
    if not (a.has_geometry and b.has_geometry) and a.slice.path != b.slice.path:
        return False
    same_format = (a.rows, a.columns, a.bits_allocated, a.pixel_representation) == (
        b.rows,
        b.columns,
        b.bits_allocated,
        b.pixel_representation,
    ) and a.photometric == b.photometric
    return (
        same_format
        and _close(a.orientation, b.orientation)
        and _close(a.pixel_spacing, b.pixel_spacing)
        and a.has_pixel_spacing == b.has_pixel_spacing
    )


def _close(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether two value tuples agree within the orientation tolerance."""
    return all(abs(x - y) <= ORIENTATION_TOLERANCE for x, y in zip(a, b, strict=True))


def _series_of(part: list[_Candidate], number: int) -> SeriesInfo:
    """Sort one part along its normal, drop repeated positions, measure it."""
    first = part[0]
    row = np.asarray(first.orientation[:3])
    col = np.asarray(first.orientation[3:])
    normal = np.cross(row, col)

    def order(c: _Candidate) -> tuple[float, int, str, int]:
        along = float(np.dot(c.slice.position_mm, normal))
        return (
            along,
            c.slice.instance_number or 0,
            str(c.slice.path),
            c.slice.frame or 0,
        )

    ordered = sorted(part, key=order)
    kept: list[SliceFile] = []
    left_out: list[LeftOut] = []
    previous = None
    for candidate in ordered:
        along = order(candidate)[0]
        if previous is not None and along - previous < SAME_POSITION_MM:
            # Two slices at one position (echoes, phases) cannot share a stack.
            left_out.append(
                LeftOut(
                    candidate.slice.path,
                    f"same slice position as {kept[-1].path.name}"
                    + _frame_note(candidate.slice),
                )
            )
            continue
        kept.append(candidate.slice)
        previous = along

    geometry = describe_geometry(kept, first.orientation)
    return SeriesInfo(
        series_instance_uid=first.series_uid,
        study_instance_uid=first.study_uid,
        modality=first.modality,
        description=first.description,
        rows=first.rows,
        columns=first.columns,
        slices=tuple(kept),
        pixel_spacing_mm=first.pixel_spacing,
        orientation=first.orientation,
        spacing_min_mm=geometry.spacing_min_mm,
        spacing_max_mm=geometry.spacing_max_mm,
        largest_gap=geometry.largest_gap,
        geometric_tilt_deg=geometry.geometric_tilt_deg,
        recorded_tilt_deg=first.recorded_tilt,
        part=number,
        series_number=first.series_number,
        bits_allocated=first.bits_allocated,
        bits_stored=first.bits_stored,
        pixel_representation=first.pixel_representation,
        photometric=first.photometric,
        pixel_padding_value=first.padding_value,
        pixel_padding_range_limit=first.padding_limit,
        has_geometry=first.has_geometry,
        has_pixel_spacing=first.has_pixel_spacing,
        left_out=tuple(left_out),
    )


def _frame_note(slice_file: SliceFile) -> str:
    """Return `` (frame N)`` for a frame of a multi-frame file, else ``""``."""
    return "" if slice_file.frame is None else f" (frame {slice_file.frame + 1})"


def _int_or_none(value: Any) -> int | None:
    """Return an integer attribute's value, or None when absent or empty."""
    if value is None or value == "":
        return None
    return int(value)


def _as_list(value: Any) -> list[Any]:
    """Return a multi-valued attribute as a list (one value comes as a str)."""
    if isinstance(value, (str, bytes)):
        return [value]
    return list(value)
