"""Window/level and VOI LUTs: modality values (HU for CT) to 8-bit grey levels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "CT_DEFAULT_PRESET",
    "CT_PRESETS",
    "VoiLut",
    "apply_voi_lut",
    "auto_window",
    "covers_range",
    "window_to_uint8",
]

# Common CT windows as (center, width) in HU.
CT_PRESETS: dict[str, tuple[float, float]] = {
    "brain": (40.0, 80.0),
    "subdural": (75.0, 215.0),
    "lung": (-600.0, 1500.0),
    "mediastinum": (50.0, 350.0),
    "bone": (400.0, 1800.0),
    "abdomen": (40.0, 400.0),
}

# The window a CT series opens at when its files carry none: soft tissue.
CT_DEFAULT_PRESET = "abdomen"

# At most this many values are sampled to choose an automatic window.
_AUTO_WINDOW_SAMPLES = 1 << 20


@dataclass(frozen=True, eq=False)
class VoiLut:
    """A VOI LUT from the file (PS3.3 C.11.2.1.1): values to display levels.

    ``first_mapped`` is the input value of ``table[0]``; inputs below it take
    ``table[0]`` and inputs above the last take ``table[-1]``. Outputs range
    over 0 .. 2**bits - 1.
    """

    first_mapped: int
    table: np.ndarray
    bits: int
    explanation: str = ""


def window_to_uint8(
    pixels_2d: np.ndarray, center: float, width: float, *, invert: bool = False
) -> np.ndarray:
    """Map modality values to 0..255 with a linear window (PS3.3 C.11.2.1.2.1).

    Parameters
    ----------
    pixels_2d
        Modality values (HU for CT), any shape; int16 and uint16 go through a
        lookup table (``np.take``), other types are computed directly.
    center, width
        The window centre and width in the same units; a width below 1 is
        taken as 1.
    invert
        Reverse the grey levels after the window, for MONOCHROME1 images.

    Returns
    -------
    numpy.ndarray
        uint8 of the same shape: 0 at and below the window, 255 above it.
    """
    width = max(float(width), 1.0)
    center = float(center)

    if pixels_2d.dtype in (np.int16, np.uint16):
        lut = _window_lut(pixels_2d.dtype.str, center, width, invert)
        return np.take(lut, pixels_2d.view(np.uint16))
    values = np.asarray(pixels_2d, dtype=np.float32)
    return _window_values(values, center, width, invert)


def apply_voi_lut(
    pixels_2d: np.ndarray, lut: VoiLut, *, invert: bool = False
) -> np.ndarray:
    """Map modality values through a file's VOI LUT to 0..255.

    Parameters
    ----------
    pixels_2d
        Modality values, any shape.
    lut
        The VOI LUT; its output is scaled from ``bits`` to 8 bits.
    invert
        Reverse the grey levels after the LUT, for MONOCHROME1 images.

    Returns
    -------
    numpy.ndarray
        uint8 of the same shape.
    """
    top = float((1 << lut.bits) - 1)
    scaled = np.rint(lut.table.astype(np.float64) * (255.0 / top))
    table = np.clip(scaled, 0, 255).astype(np.uint8)
    if invert:
        table = 255 - table

    index = np.asarray(pixels_2d).astype(np.int64) - lut.first_mapped
    np.clip(index, 0, len(table) - 1, out=index)
    return np.take(table, index)


def auto_window(
    pixels: np.ndarray, padding_mask: np.ndarray | None = None
) -> tuple[float, float]:
    """Choose a window covering the 1st to 99th percentile of the values.

    Percentiles rather than min and max keep a few extreme pixels (metal,
    collimator edges, burnt-in text) from washing out the image.

    Parameters
    ----------
    pixels
        Modality values of a slice or a volume.
    padding_mask
        True where a pixel is padding (PixelPaddingValue); those are ignored.

    Returns
    -------
    tuple of float
        (center, width), width at least 1; (0, 1) when no value is left.
    """
    values = pixels if padding_mask is None else pixels[~padding_mask]
    values = values.ravel()
    if values.size == 0:
        return (0.0, 1.0)

    # A strided sample is enough for percentiles and keeps a volume fast.
    step = max(1, values.size // _AUTO_WINDOW_SAMPLES)
    low, high = np.percentile(values[::step], [1.0, 99.0])
    width = max(float(high - low), 1.0)
    return (float(low + high) / 2.0, width)


def covers_range(window: tuple[float, float], low: float, high: float) -> bool:
    """Say whether a window spans the whole range ``low`` .. ``high`` of values.

    Such a window (e.g. W 30000 L 15000 on a CR whose values run 874..26479)
    shows nothing a min-max stretch would not, and so carries no reading
    intent of the modality.

    Parameters
    ----------
    window
        (center, width) in modality units.
    low, high
        The smallest and largest value of the pixels it is meant for.

    Returns
    -------
    bool
        True when ``center - width / 2 <= low`` and ``high <= center + width / 2``.
    """
    center, width = window
    return center - width / 2.0 <= low and high <= center + width / 2.0


@lru_cache(maxsize=16)
def _window_lut(dtype: str, center: float, width: float, invert: bool) -> np.ndarray:
    """Build the 65536-entry table for int16 or uint16 values, by bit pattern."""
    if np.dtype(dtype) == np.int16:
        # Entry u holds the int16 whose bit pattern is u: 0..32767 then -32768..-1.
        values = np.arange(65536, dtype=np.int32)
        values[32768:] -= 65536
    else:
        values = np.arange(65536, dtype=np.int32)
    lut = _window_values(values.astype(np.float32), center, width, invert)
    lut.flags.writeable = False
    return lut


def _window_values(
    values: np.ndarray, center: float, width: float, invert: bool
) -> np.ndarray:
    """Apply the linear VOI function of PS3.3 C.11.2.1.2.1, then invert."""
    low = center - 0.5 - (width - 1.0) / 2.0
    scaled = (
        ((values - (center - 0.5)) / (width - 1.0) + 0.5) * 255.0
        if width > 1
        else (np.where(values > low, 255.0, 0.0))
    )
    out = np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
    out[values <= low] = 0
    out[values > center - 0.5 + (width - 1.0) / 2.0] = 255
    if invert:
        np.subtract(255, out, out=out)
    return out
