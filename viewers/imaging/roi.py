"""ROI geometry and statistics on one slice, in image coordinates and mm.

Image coordinates are (column, row) floats with pixel centres at integers:
pixel (c, r) covers c - 0.5 .. c + 0.5. A pixel belongs to an ROI when its
centre lies inside the shape: on the edge counts for rectangles and ellipses;
polygons follow the even-odd rule, half-open (left and top edges in).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from viewers.imaging.errors import RoiError
from viewers.imaging.volume import Volume

__all__ = [
    "ROI_KINDS",
    "RoiStatistics",
    "roi_mask",
    "roi_statistics",
    "ruler_length_mm",
]

ROI_KINDS = ("point", "rectangle", "ellipse", "polygon", "freehand", "ruler")

_MIN_POINTS = {
    "point": 1,
    "rectangle": 2,
    "ellipse": 2,
    "polygon": 3,
    "freehand": 3,
    "ruler": 2,
}

Point = tuple[float, float]


@dataclass(frozen=True)
class RoiStatistics:
    """What a radiologist reads off an ROI.

    ``area_mm2`` is the number of pixels whose centre is inside the ROI times
    the pixel area (row spacing x column spacing); padding pixels count in the
    area; it is NaN when the series has no pixel spacing
    (``SeriesInfo.has_pixel_spacing`` False), since there are no mm then.
    ``mean``, ``sd`` (sample standard deviation, n - 1), ``minimum``,
    ``maximum`` and ``pixel_count`` use only the pixels that are not padding
    (PixelPaddingValue); they are NaN when no pixel is left. For a ruler the
    area is 0 and the statistics are those of the pixels along the line.
    """

    area_mm2: float
    mean: float
    sd: float
    minimum: float
    maximum: float
    pixel_count: int
    units: str


def roi_mask(kind: str, points: Sequence[Point], shape: tuple[int, int]) -> np.ndarray:
    """Return the pixels of a slice that an ROI covers.

    Parameters
    ----------
    kind
        One of :data:`ROI_KINDS`.
    points
        (column, row) image points: one for a point; two opposite corners for
        a rectangle, and of the bounding box for an ellipse; the vertices for
        a polygon or freehand outline (closed automatically); the two ends of
        a ruler.
    shape
        (rows, columns) of the slice.

    Returns
    -------
    numpy.ndarray
        bool (rows, columns); parts of the ROI outside the slice are dropped.

    Raises
    ------
    RoiError
        When ``kind`` is unknown or there are too few points.
    """
    if kind not in ROI_KINDS:
        raise RoiError(
            f"unknown ROI kind {kind!r}; expected one of {ROI_KINDS}", kind=kind
        )
    needed = _MIN_POINTS[kind]
    if len(points) < needed:
        raise RoiError(
            f"a {kind} ROI needs at least {needed} points, got {len(points)}",
            kind=kind,
        )
    rows, columns = shape
    xy = np.asarray(points, dtype=float)

    if kind == "point":
        return _point_mask(xy[0], shape)
    if kind == "ruler":
        return _line_mask(xy[0], xy[1], shape)
    if kind in ("polygon", "freehand"):
        return _polygon_mask(xy, shape)

    (c0, r0), (c1, r1) = np.minimum(xy[0], xy[1]), np.maximum(xy[0], xy[1])
    cols = np.arange(columns, dtype=float)[None, :]
    rws = np.arange(rows, dtype=float)[:, None]
    if kind == "rectangle":
        box: np.ndarray = (cols >= c0) & (cols <= c1) & (rws >= r0) & (rws <= r1)
        return box

    # Ellipse inscribed in the box; a flat box is a line of pixels.
    cc, rc = (c0 + c1) / 2.0, (r0 + r1) / 2.0
    ac, ar = max((c1 - c0) / 2.0, 1e-9), max((r1 - r0) / 2.0, 1e-9)
    inside: np.ndarray = ((cols - cc) / ac) ** 2 + ((rws - rc) / ar) ** 2 <= 1.0 + 1e-9
    return inside


def roi_statistics(
    volume: Volume, slice_index: int, kind: str, points: Sequence[Point]
) -> RoiStatistics:
    """Area and value statistics of an ROI on one slice, padding left out.

    Parameters
    ----------
    volume
        The loaded series.
    slice_index
        Index into ``volume.pixels``.
    kind, points
        As for :func:`roi_mask`.

    Returns
    -------
    RoiStatistics
        In the volume's units (HU for CT) and mm²; the area is NaN when the
        series has no pixel spacing.
    """
    if not 0 <= slice_index < volume.pixels.shape[0]:
        raise RoiError(
            f"slice {slice_index} is outside 0..{volume.pixels.shape[0] - 1}",
            kind=kind,
            uid=volume.series.series_instance_uid,
        )
    pixels = volume.pixels[slice_index]
    mask = roi_mask(kind, points, pixels.shape)

    row_spacing, column_spacing = volume.series.pixel_spacing_mm
    area = 0.0 if kind == "ruler" else float(mask.sum()) * row_spacing * column_spacing
    if not volume.series.has_pixel_spacing:
        area = float("nan")
    padding = volume.is_padding(slice_index)
    if padding is not None:
        mask = mask & ~padding
    values = pixels[mask].astype(np.float64)

    if values.size == 0:
        nan = float("nan")
        return RoiStatistics(area, nan, nan, nan, nan, 0, volume.units)
    sd = float(values.std(ddof=1)) if values.size > 1 else 0.0
    return RoiStatistics(
        area_mm2=area,
        mean=float(values.mean()),
        sd=sd,
        minimum=float(values.min()),
        maximum=float(values.max()),
        pixel_count=int(values.size),
        units=volume.units,
    )


def ruler_length_mm(volume: Volume, slice_index: int, p0: Point, p1: Point) -> float:
    """Length of a ruler on a slice in mm, using PixelSpacing (row, column).

    Parameters
    ----------
    volume
        The loaded series.
    slice_index
        Index into ``volume.pixels`` (in-plane spacing is the same on every
        slice of a series).
    p0, p1
        The ends as (column, row) image points.

    Returns
    -------
    float
        The distance in mm; NaN when the series has no pixel spacing
        (``SeriesInfo.has_pixel_spacing`` False), since there are no mm then.
    """
    del slice_index
    if not volume.series.has_pixel_spacing:
        return float("nan")
    row_spacing, column_spacing = volume.series.pixel_spacing_mm
    d_column = (p1[0] - p0[0]) * column_spacing
    d_row = (p1[1] - p0[1]) * row_spacing
    return math.hypot(d_column, d_row)


def _point_mask(point: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Mark the one pixel whose square holds the point."""
    mask = np.zeros(shape, dtype=bool)
    c, r = (math.floor(v + 0.5) for v in point)
    if 0 <= r < shape[0] and 0 <= c < shape[1]:
        mask[r, c] = True
    return mask


def _line_mask(p0: np.ndarray, p1: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Mark the pixels a straight line passes through (two samples a pixel)."""
    mask = np.zeros(shape, dtype=bool)
    steps = max(2, math.ceil(2 * np.abs(p1 - p0).max()) + 1)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    samples = np.floor(p0 + t * (p1 - p0) + 0.5).astype(int)
    inside = (
        (samples[:, 0] >= 0)
        & (samples[:, 0] < shape[1])
        & (samples[:, 1] >= 0)
        & (samples[:, 1] < shape[0])
    )
    samples = samples[inside]
    mask[samples[:, 1], samples[:, 0]] = True
    return mask


def _polygon_mask(vertices: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Mark pixels whose centres are inside a closed outline (even-odd rule)."""
    mask = np.zeros(shape, dtype=bool)
    rows, columns = shape
    c_low = max(0, math.ceil(vertices[:, 0].min()))
    c_high = min(columns - 1, math.floor(vertices[:, 0].max()))
    r_low = max(0, math.ceil(vertices[:, 1].min()))
    r_high = min(rows - 1, math.floor(vertices[:, 1].max()))
    if c_low > c_high or r_low > r_high:
        return mask

    cols = np.arange(c_low, c_high + 1, dtype=float)[None, :]
    rws = np.arange(r_low, r_high + 1, dtype=float)[:, None]
    inside = np.zeros((r_high - r_low + 1, c_high - c_low + 1), dtype=bool)
    nxt = np.roll(vertices, -1, axis=0)
    for (xa, ya), (xb, yb) in zip(vertices, nxt, strict=True):
        if ya == yb:
            continue
        # The edge crosses the row's horizontal ray left of the centre.
        spans = (rws >= min(ya, yb)) & (rws < max(ya, yb))
        x_cross = xa + (rws - ya) * (xb - xa) / (yb - ya)
        inside ^= spans & (cols < x_cross)
    mask[r_low : r_high + 1, c_low : c_high + 1] = inside
    return mask
