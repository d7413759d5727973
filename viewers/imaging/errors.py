"""Errors of the DICOM imaging model, each naming the file, folder or series."""

from __future__ import annotations

from storage.errors import QT_TRANSLATE_NOOP, ImagingError

__all__ = [
    "ImagingError",
    "NoImageError",
    "PixelDecodeError",
    "RoiError",
    "SeriesSourceError",
]


class SeriesSourceError(ImagingError):
    """The folder, DICOMDIR or file list given to scan cannot be read at all."""

    what = QT_TRANSLATE_NOOP("errors", "{path} cannot be opened as DICOM images.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Choose a folder of DICOM files, a DICOMDIR or DICOM files."
    )


class NoImageError(ImagingError):
    """A series has no slice whose pixels could be read."""

    what = QT_TRANSLATE_NOOP(
        "errors", "No slice of the series {uid} could be read (first file {path})."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "The reason for each file is listed; check the files or re-export."
    )


class PixelDecodeError(ImagingError):
    """The pixels of one file cannot be decoded; the file is left out."""

    what = QT_TRANSLATE_NOOP("errors", "The pixels of {path} cannot be decoded.")


class RoiError(ImagingError):
    """An ROI of an unknown kind, with too few points or on a missing slice."""

    what = QT_TRANSLATE_NOOP("errors", "The {kind} ROI cannot be measured.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Draw the ROI again on a slice of the open series."
    )
