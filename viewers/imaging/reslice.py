"""Multiplanar reformatting: axial, coronal, sagittal and oblique planes in mm.

Every output pixel is a point in patient coordinates (LPS, mm) that is mapped
to the volume through each slice's own ImagePositionPatient, as
:meth:`viewers.imaging.volume.Volume.patient_to_image` does: a gantry-tilted
(sheared) stack and unevenly spaced slices come out in their true shape, never
by index. Values are interpolated linearly (or taken from the nearest pixel)
between pixel centres and between neighbouring slices.

An output image follows DICOM's conventions: ``row_direction`` is the patient
direction in which the column index grows, ``column_direction`` the one in
which the row index grows, ``pixel_spacing_mm`` is (row spacing, column
spacing), and ``origin_mm`` is the centre of pixel (row 0, column 0).
Standard planes are shown as radiologists read them: axial with patient left
to the right of the image and anterior up, coronal with left to the right and
head up, sagittal with anterior to the left and head up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import map_coordinates

from storage.errors import QT_TRANSLATE_NOOP
from viewers.imaging.errors import ImagingError
from viewers.imaging.volume import Volume

__all__ = [
    "PLANES",
    "Reslice",
    "ResliceError",
    "reslice",
    "reslice_oblique",
    "sample_patient",
]

PLANES = ("axial", "coronal", "sagittal")

# (row direction, column direction) of each standard plane, LPS.
_PLANE_AXES: dict[
    str, tuple[tuple[float, float, float], tuple[float, float, float]]
] = {
    "axial": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
    "coronal": ((1.0, 0.0, 0.0), (0.0, 0.0, -1.0)),
    "sagittal": ((0.0, 1.0, 0.0), (0.0, 0.0, -1.0)),
}
# The patient axis (0 x, 1 y, 2 z) across each standard plane.
_PLANE_NORMAL_AXIS = {"axial": 2, "coronal": 1, "sagittal": 0}
# Index positions this close to the first or last slice or pixel count as on it.
_EDGE = 1e-6
# More output pixels than this would be a mistake in the spacing (about 1 GB).
_MAX_PIXELS = 1 << 28


class ResliceError(ImagingError):
    """A reformatted plane cannot be made as asked."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The {plane} view of series {uid} cannot be made."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Choose another plane, position or pixel spacing."
    )


@dataclass(frozen=True, eq=False)
class Reslice:
    """One reformatted image and its place in the patient (LPS, mm).

    ``pixels`` are modality values (HU for CT) as float32, (rows, columns);
    ``inside`` is True where the pixel's centre lies within the volume (the
    others hold ``fill``).
    """

    plane: str
    pixels: np.ndarray
    inside: np.ndarray
    origin_mm: tuple[float, float, float]
    row_direction: tuple[float, float, float]
    column_direction: tuple[float, float, float]
    pixel_spacing_mm: tuple[float, float]
    units: str
    fill: float

    @property
    def normal(self) -> tuple[float, float, float]:
        """The unit plane normal, row direction x column direction, LPS."""
        n = np.cross(self.row_direction, self.column_direction)
        return (float(n[0]), float(n[1]), float(n[2]))

    def image_to_patient(self, column: float, row: float) -> tuple[float, float, float]:
        """Patient position (LPS, mm) of an image point; pixel centres at integers.

        Parameters
        ----------
        column, row
            Image position in this reformatted image.

        Returns
        -------
        tuple of float
            (x, y, z) in mm.
        """
        row_spacing, column_spacing = self.pixel_spacing_mm
        point = (
            np.asarray(self.origin_mm)
            + column * column_spacing * np.asarray(self.row_direction)
            + row * row_spacing * np.asarray(self.column_direction)
        )
        return (float(point[0]), float(point[1]), float(point[2]))

    def patient_to_image(self, xyz: Sequence[float]) -> tuple[float, float, float]:
        """Image position of a patient point, and its distance from the plane.

        Parameters
        ----------
        xyz
            (x, y, z) in mm, LPS.

        Returns
        -------
        tuple of float
            (column, row, distance in mm along the normal).
        """
        offset = np.asarray(xyz, dtype=float) - np.asarray(self.origin_mm)
        row_spacing, column_spacing = self.pixel_spacing_mm
        return (
            float(offset @ np.asarray(self.row_direction)) / column_spacing,
            float(offset @ np.asarray(self.column_direction)) / row_spacing,
            float(offset @ np.asarray(self.normal)),
        )


def sample_patient(
    volume: Volume,
    points_mm: np.ndarray,
    *,
    order: int = 1,
    fill: float = math.nan,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the volume's values at patient points.

    Parameters
    ----------
    volume
        The loaded series.
    points_mm
        (..., 3) LPS points in mm.
    order
        1 for linear interpolation, 0 for the nearest pixel.
    fill
        The value of points outside the volume.

    Returns
    -------
    values, inside
        float32 values and a bool mask, both of shape ``points_mm.shape[:-1]``.
    """
    if order not in (0, 1):
        raise ValueError(f"order must be 0 or 1, got {order}")
    points = np.asarray(points_mm, dtype=float)
    shape = points.shape[:-1]
    flat = points.reshape(-1, 3)

    indices = _patient_to_indices(volume, flat)
    n, rows, columns = volume.pixels.shape
    slice_index, row, column = indices
    inside = (
        (slice_index >= -_EDGE)
        & (slice_index <= n - 1 + _EDGE)
        & (row >= -0.5)
        & (row <= rows - 0.5)
        & (column >= -0.5)
        & (column <= columns - 0.5)
    )

    # "nearest" extends edge pixels half a pixel out; farther points are filled.
    values = map_coordinates(
        volume.pixels, indices, order=order, mode="nearest", output=np.float32
    )
    values[~inside] = fill
    return values.reshape(shape), inside.reshape(shape)


def _patient_to_indices(volume: Volume, points: np.ndarray) -> np.ndarray:
    """Map (M, 3) LPS points to (3, M) continuous (slice, row, column) indices."""
    x_axis = np.asarray(volume.series.orientation[:3], dtype=float)
    y_axis = np.asarray(volume.series.orientation[3:6], dtype=float)
    normal = np.asarray(volume.series.normal, dtype=float)
    positions = np.asarray([s.position_mm for s in volume.series.slices], dtype=float)
    row_spacing, column_spacing = volume.series.pixel_spacing_mm

    # Between two neighbouring slices the stack is linear even when sheared:
    # the fraction along the normal places the point between their positions.
    distance = points @ normal
    if len(positions) == 1:
        fraction = distance - float(positions[0] @ normal)
        base = positions[0] + fraction[:, None] * normal
        slice_index = fraction
    else:
        along = positions @ normal
        k = np.clip(np.searchsorted(along, distance) - 1, 0, len(positions) - 2)
        fraction = (distance - along[k]) / (along[k + 1] - along[k])
        base = positions[k] + fraction[:, None] * (positions[k + 1] - positions[k])
        slice_index = k + fraction

    offset = points - base
    column = (offset @ x_axis) / column_spacing
    row = (offset @ y_axis) / row_spacing
    return np.stack([slice_index, row, column])


def reslice(
    volume: Volume,
    plane: str,
    position_mm: float | None = None,
    *,
    spacing_mm: float | tuple[float, float] | None = None,
    order: int = 1,
    fill: float | None = None,
) -> Reslice:
    """Reformat a volume into an axial, coronal or sagittal plane.

    Parameters
    ----------
    volume
        The loaded series (any orientation, tilt or spacing).
    plane
        One of :data:`PLANES`.
    position_mm
        Where the plane cuts the patient axis across it (LPS mm): z for
        axial, y for coronal, x for sagittal; by default the volume's centre.
    spacing_mm
        Output pixel spacing, one value (square pixels) or (row spacing,
        column spacing); by default square pixels of the volume's finer
        in-plane spacing, so the image has the patient's true aspect.
    order
        1 for linear interpolation, 0 for the nearest pixel.
    fill
        The value outside the volume; by default the volume's minimum.

    Returns
    -------
    Reslice
        The image over the volume's extent in that plane.

    Raises
    ------
    ResliceError
        An unknown plane, a spacing not above 0, or an image too large.
    """
    if plane not in PLANES:
        raise ResliceError(
            f"unknown plane {plane!r}; expected one of {PLANES}",
            plane=plane,
            uid=volume.series.series_instance_uid,
        )
    row_direction, column_direction = (np.asarray(v) for v in _PLANE_AXES[plane])
    axis = _PLANE_NORMAL_AXIS[plane]
    corners = _corners(volume)
    point = corners.mean(axis=0)
    if position_mm is not None:
        point[axis] = float(position_mm)
    return _resample(
        volume,
        plane,
        point,
        row_direction,
        column_direction,
        spacing_mm,
        order,
        fill,
    )


def reslice_oblique(
    volume: Volume,
    point_mm: Sequence[float],
    normal: Sequence[float],
    *,
    spacing_mm: float | tuple[float, float] | None = None,
    order: int = 1,
    fill: float | None = None,
) -> Reslice:
    """Reformat a volume into the plane through a point with a given normal.

    The image's row direction is the volume's own row direction projected
    into the plane (its column direction when that is nearly along the
    normal), so a plane close to the slices looks like them.

    Parameters
    ----------
    volume
        The loaded series.
    point_mm
        A point of the plane (LPS, mm).
    normal
        The plane's normal (LPS; any length above zero).
    spacing_mm, order, fill
        As for :func:`reslice`.

    Returns
    -------
    Reslice
        The image over the volume's extent in that plane, ``plane`` "oblique".

    Raises
    ------
    ResliceError
        A zero normal, a spacing not above 0, or an image too large.
    """
    n = np.asarray(normal, dtype=float)
    length = float(np.linalg.norm(n))
    if not math.isfinite(length) or length < 1e-9:
        raise ResliceError(
            f"the normal {tuple(normal)} has no direction",
            plane="oblique",
            uid=volume.series.series_instance_uid,
        )
    n = n / length
    x_axis = np.asarray(volume.series.orientation[:3], dtype=float)
    y_axis = np.asarray(volume.series.orientation[3:6], dtype=float)
    candidate = x_axis if abs(float(x_axis @ n)) < 0.9 else y_axis
    row_direction = candidate - (candidate @ n) * n
    row_direction /= np.linalg.norm(row_direction)
    column_direction = np.cross(n, row_direction)
    return _resample(
        volume,
        "oblique",
        np.asarray(point_mm, dtype=float),
        row_direction,
        column_direction,
        spacing_mm,
        order,
        fill,
    )


def _corners(volume: Volume) -> np.ndarray:
    """Return every slice's four corner pixel centres, (4 x slices, 3), LPS mm."""
    x_axis = np.asarray(volume.series.orientation[:3], dtype=float)
    y_axis = np.asarray(volume.series.orientation[3:6], dtype=float)
    row_spacing, column_spacing = volume.series.pixel_spacing_mm
    _, rows, columns = volume.pixels.shape
    across = (columns - 1) * column_spacing * x_axis
    down = (rows - 1) * row_spacing * y_axis
    positions = np.asarray([s.position_mm for s in volume.series.slices], dtype=float)
    return np.concatenate(
        [positions, positions + across, positions + down, positions + across + down]
    )


def _spacing(
    volume: Volume, spacing_mm: float | tuple[float, float] | None, plane: str
) -> tuple[float, float]:
    if spacing_mm is None:
        finest = float(min(volume.series.pixel_spacing_mm))
        return (finest, finest)
    pair = (
        (float(spacing_mm), float(spacing_mm))
        if isinstance(spacing_mm, (int, float))
        else (float(spacing_mm[0]), float(spacing_mm[1]))
    )
    if not all(math.isfinite(v) and v > 0 for v in pair):
        raise ResliceError(
            f"pixel spacing {pair} mm is not above 0",
            plane=plane,
            uid=volume.series.series_instance_uid,
        )
    return pair


def _resample(
    volume: Volume,
    plane: str,
    point: np.ndarray,
    row_direction: np.ndarray,
    column_direction: np.ndarray,
    spacing_mm: float | tuple[float, float] | None,
    order: int,
    fill: float | None,
) -> Reslice:
    """Sample the plane through ``point`` over the volume's projected extent."""
    row_spacing, column_spacing = _spacing(volume, spacing_mm, plane)

    # The extent: every slice corner projected into the plane.
    corners = _corners(volume) - point
    across = corners @ row_direction
    down = corners @ column_direction
    columns = math.floor((across.max() - across.min()) / column_spacing + 1e-6) + 1
    rows = math.floor((down.max() - down.min()) / row_spacing + 1e-6) + 1
    if rows * columns > _MAX_PIXELS:
        raise ResliceError(
            f"{rows} x {columns} pixels at {row_spacing} x {column_spacing} mm",
            plane=plane,
            uid=volume.series.series_instance_uid,
        )
    origin = point + across.min() * row_direction + down.min() * column_direction

    column_offsets = np.arange(columns) * column_spacing
    row_offsets = np.arange(rows) * row_spacing
    grid = (
        origin
        + row_offsets[:, None, None] * column_direction
        + column_offsets[None, :, None] * row_direction
    )
    value_fill = float(volume.pixels.min()) if fill is None else float(fill)
    pixels, inside = sample_patient(volume, grid, order=order, fill=value_fill)
    return Reslice(
        plane=plane,
        pixels=pixels,
        inside=inside,
        origin_mm=_triple(origin),
        row_direction=_triple(row_direction),
        column_direction=_triple(column_direction),
        pixel_spacing_mm=(row_spacing, column_spacing),
        units=volume.units,
        fill=value_fill,
    )


def _triple(vector: np.ndarray) -> tuple[float, float, float]:
    return (float(vector[0]), float(vector[1]), float(vector[2]))
