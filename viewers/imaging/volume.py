"""Load a series' pixels into one volume of modality values, with its geometry."""

from __future__ import annotations

import dataclasses
import io
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pydicom
from pydicom.pixels.utils import pixel_array as decode_pixel_array

from storage.progress import Progress
from viewers.imaging._header import uid_of
from viewers.imaging.errors import NoImageError, PixelDecodeError
from viewers.imaging.series import LeftOut, SeriesInfo, SliceFile, describe_geometry
from viewers.imaging.windowing import (
    CT_DEFAULT_PRESET,
    CT_PRESETS,
    VoiLut,
    apply_voi_lut,
    auto_window,
    covers_range,
    window_to_uint8,
)

__all__ = ["Volume", "load_volume"]

log = logging.getLogger(__name__)

_INT16 = np.iinfo(np.int16)


@dataclass(eq=False)
class Volume:
    """The pixels of one series in modality units, and their place in the patient.

    ``pixels`` has axes (slice, row, column), slices in the order of
    ``series.slices`` (ascending along the slice normal). Values are modality
    values after RescaleSlope/RescaleIntercept (HU for CT): int16 when every
    slope and intercept is an integer and the values fit, float32 otherwise.
    Patient coordinates are LPS in mm; image coordinates are (column, row)
    with pixel centres at integers. When ``series.has_pixel_spacing`` is False
    the in-plane steps are a stand-in of 1 (pixel units, not mm).
    """

    series: SeriesInfo
    pixels: np.ndarray
    padding_mask: np.ndarray | None
    photometric: str
    default_window: tuple[float, float] | None
    window_presets: dict[str, tuple[float, float]]
    voi_lut: VoiLut | None
    units: str
    left_out: tuple[LeftOut, ...]
    has_palette: bool = False

    @property
    def shape(self) -> tuple[int, int, int]:
        """(slices, rows, columns)."""
        n, r, c = self.pixels.shape
        return (n, r, c)

    def image_to_patient(
        self, slice_index: float, column: float, row: float
    ) -> tuple[float, float, float]:
        """Patient position (LPS, mm) of a point in a slice.

        Each slice is placed by its own ImagePositionPatient, so a sheared
        (gantry-tilted) stack keeps true positions; a fractional slice index
        interpolates between neighbouring slices.

        Parameters
        ----------
        slice_index
            Index into ``pixels`` (may be fractional).
        column, row
            Image position; pixel centres are at integers.

        Returns
        -------
        tuple of float
            (x, y, z) in mm, LPS.
        """
        origin = self._position_at(float(slice_index))
        row_spacing, column_spacing = self.series.pixel_spacing_mm
        x_axis, y_axis, _ = self._axes
        point = origin + column * column_spacing * x_axis + row * row_spacing * y_axis
        return (float(point[0]), float(point[1]), float(point[2]))

    def patient_to_image(self, xyz: Sequence[float]) -> tuple[float, float, float]:
        """Image position of a patient point (LPS, mm): the inverse of the above.

        Parameters
        ----------
        xyz
            (x, y, z) in mm, LPS.

        Returns
        -------
        tuple of float
            (slice, column, row), continuous; the slice index is found along
            the slice normal and extrapolated beyond the first and last slice.
        """
        point = np.asarray(xyz, dtype=float)
        x_axis, y_axis, normal = self._axes
        positions = self._positions
        row_spacing, column_spacing = self.series.pixel_spacing_mm

        # Pick the pair of slices around the point along the normal (the end
        # pairs continue outside), then solve exactly within that pair, since
        # image_to_patient is linear there even for a sheared stack.
        if len(positions) == 1:
            k, step = 0, normal
        else:
            along = positions @ normal
            found = np.searchsorted(along, float(point @ normal)) - 1
            k = int(np.clip(found, 0, len(positions) - 2))
            step = positions[k + 1] - positions[k]
        basis = np.column_stack((step, column_spacing * x_axis, row_spacing * y_axis))
        fraction, column, row = np.linalg.solve(basis, point - positions[k])
        return (float(k + fraction), float(column), float(row))

    def value_at(self, slice_index: int, column: float, row: float) -> float:
        """Return the modality value of the pixel nearest to (column, row).

        Parameters
        ----------
        slice_index
            Index into ``pixels``.
        column, row
            Image position; pixel centres are at integers.

        Returns
        -------
        float
            The value (HU for CT), or NaN outside the image.
        """
        c = int(np.floor(column + 0.5))
        r = int(np.floor(row + 0.5))
        n, rows, columns = self.pixels.shape
        if not (0 <= slice_index < n and 0 <= r < rows and 0 <= c < columns):
            return float("nan")
        return float(self.pixels[slice_index, r, c])

    def is_padding(self, slice_index: int) -> np.ndarray | None:
        """Return one slice's padding mask (rows, columns), None without padding."""
        return None if self.padding_mask is None else self.padding_mask[slice_index]

    def opening_window(self, slice_index: int) -> tuple[float, float]:
        """Return the window (center, width) a slice is first shown with.

        The file's first window, unless it spans every value of the slice
        (then it only stretches min to max); otherwise a CT series opens at
        the soft-tissue preset (W 400 L 40 HU) and any other modality at the
        1st to 99th percentile of its non-padding pixels.

        Parameters
        ----------
        slice_index
            Index into ``pixels`` of the slice to be shown.

        Returns
        -------
        tuple of float
            (center, width) in modality units (HU for CT).
        """
        pixels = self.pixels[slice_index]
        padding = self.is_padding(slice_index)
        values = pixels if padding is None else pixels[~padding]
        window = self.default_window
        if window is not None and not (
            values.size
            and covers_range(window, float(values.min()), float(values.max()))
        ):
            return window

        if self.series.modality == "CT":
            center, width = CT_PRESETS[CT_DEFAULT_PRESET]
            return (center, width)
        return auto_window(pixels, padding)

    def render_slice(
        self,
        slice_index: int,
        window: tuple[float, float] | None = None,
    ) -> np.ndarray:
        """Return a slice as 8-bit grey levels ready to draw, 255 meaning white.

        Parameters
        ----------
        slice_index
            Index into ``pixels``.
        window
            (center, width) to use; by default the file's VOI LUT, else its
            first window, else the window of :meth:`opening_window`.

        Returns
        -------
        numpy.ndarray
            uint8 (rows, columns); MONOCHROME1 is inverted after the VOI step.
        """
        pixels = self.pixels[slice_index]
        invert = self.photometric == "MONOCHROME1"
        if window is None and self.voi_lut is not None:
            return apply_voi_lut(pixels, self.voi_lut, invert=invert)
        if window is None:
            window = self.opening_window(slice_index)
        return window_to_uint8(pixels, window[0], window[1], invert=invert)

    @property
    def _axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row direction, column direction and unit normal, LPS."""
        x_axis = np.asarray(self.series.orientation[:3], dtype=float)
        y_axis = np.asarray(self.series.orientation[3:6], dtype=float)
        return x_axis, y_axis, np.asarray(self.series.normal)

    @property
    def _positions(self) -> np.ndarray:
        """Every slice's ImagePositionPatient, (slices, 3), mm."""
        return np.asarray([s.position_mm for s in self.series.slices], dtype=float)

    def _position_at(self, slice_index: float) -> np.ndarray:
        """ImagePositionPatient at a fractional slice index, linear in between."""
        positions = self._positions
        if len(positions) == 1:
            alone: np.ndarray = positions[0] + slice_index * np.asarray(
                self.series.normal
            )
            return alone
        k = int(np.clip(np.floor(slice_index), 0, len(positions) - 2))
        fraction = slice_index - k
        result: np.ndarray = positions[k] + fraction * (positions[k + 1] - positions[k])
        return result


def load_volume(series: SeriesInfo, progress: Progress | None = None) -> Volume:
    """Read every slice of a series into one array of modality values.

    Native (uncompressed) slices are read straight from their files into the
    volume's own memory and rescaled in place; compressed ones are decoded by
    pydicom (with pylibjpeg). A slice that cannot be read is left out with its
    reason and the rest still load.

    Parameters
    ----------
    series
        A series from :func:`viewers.imaging.series.scan`.
    progress
        Told after each slice; its cancel stops loading with CancelledError.

    Returns
    -------
    Volume
        The pixels and geometry; ``volume.series`` lacks any slice left out.

    Raises
    ------
    NoImageError
        When no slice of the series can be read.
    """
    if not series.slices:
        raise NoImageError("the series has no slices", uid=series.series_instance_uid)
    started = time.perf_counter()
    loader = _Loader(series)

    kept: list[SliceFile] = []
    left_out: list[LeftOut] = []
    total = len(series.slices)
    for done, slice_file in enumerate(series.slices, start=1):
        try:
            loader.load(slice_file, len(kept))
        except (PixelDecodeError, OSError) as error:
            left_out.append(LeftOut(slice_file.path, _reason(error)))
        except Exception as error:  # noqa: BLE001 -- any decoder failure leaves one file out
            left_out.append(
                LeftOut(slice_file.path, f"{type(error).__name__}: {error}")
            )
        else:
            kept.append(slice_file)
        if progress is not None:
            progress.report(done, total, "slice")

    if not kept:
        raise NoImageError(
            "; ".join(f"{item.path.name}: {item.reason}" for item in left_out[:3]),
            uid=series.series_instance_uid,
            path=series.slices[0].path,
        )
    if left_out:
        series = _without(series, kept)
    volume = _volume_of(series, loader, len(kept), tuple(left_out))
    log.info(
        "loaded %d slices (%d left out) as %s in %.3f s",
        len(kept),
        len(left_out),
        volume.pixels.dtype,
        time.perf_counter() - started,
    )
    return volume


def _reason(error: Exception) -> str:
    """Return a short reason for a left-out slice."""
    if isinstance(error, PixelDecodeError):
        return error.detail
    return f"cannot be read: {type(error).__name__}: {error}"


def _without(series: SeriesInfo, kept: list[SliceFile]) -> SeriesInfo:
    """Return the series with only the kept slices, spacing measured again."""
    geometry = describe_geometry(kept, series.orientation)
    return dataclasses.replace(
        series,
        slices=tuple(kept),
        spacing_min_mm=geometry.spacing_min_mm,
        spacing_max_mm=geometry.spacing_max_mm,
        largest_gap=geometry.largest_gap,
        geometric_tilt_deg=geometry.geometric_tilt_deg,
    )


class _Loader:
    """Fills a preallocated array slice by slice, choosing the cheapest path."""

    def __init__(self, series: SeriesInfo) -> None:
        self.series = series
        self.signed = series.pixel_representation == 1
        self.bits_allocated = series.bits_allocated
        self.bits_stored = min(series.bits_stored, series.bits_allocated)
        self.integral = all(
            float(s.rescale_slope).is_integer()
            and float(s.rescale_intercept).is_integer()
            for s in series.slices
        )
        shape = (len(series.slices), series.rows, series.columns)
        self.pixels: np.ndarray = np.empty(
            shape, dtype=np.int16 if self.integral else np.float32
        )
        self.padding_mask: np.ndarray | None = None
        self.frame_bytes = series.rows * series.columns * series.bits_allocated // 8

    def load(self, slice_file: SliceFile, index: int) -> None:
        """Put one slice's modality values at ``pixels[index]``."""
        if slice_file.pixel_offset is not None and self._is_direct(slice_file):
            self._load_direct(slice_file, index)
            return
        raw = self._stored_values(slice_file)
        self._fix_bits(raw)
        self._mark_padding(raw, index)
        self._rescale_into(raw, slice_file, index)

    def _is_direct(self, slice_file: SliceFile) -> bool:
        """Whether the file's bytes are already the int16 the volume holds."""
        ts = uid_of(slice_file.transfer_syntax_uid)
        fits = self.signed or self.bits_stored <= 15
        return (
            self.pixels.dtype == np.int16
            and self.bits_allocated == 16
            and ts.is_little_endian
            and fits
        )

    def _load_direct(self, slice_file: SliceFile, index: int) -> None:
        """Read native little-endian 16-bit pixels into the volume, then rescale."""
        target = self.pixels[index]
        with slice_file.path.open("rb") as fp:
            _read_exactly(fp, slice_file, target, self.frame_bytes)
        self._fix_bits(target if self.signed else target.view(np.uint16))
        self._mark_padding(target, index)

        slope = int(slice_file.rescale_slope)
        intercept = int(slice_file.rescale_intercept)
        if slope == 1 and intercept == 0:
            return
        low, high = _raw_range(self.bits_stored, self.signed)
        ends = (low * slope + intercept, high * slope + intercept)
        if min(ends) < _INT16.min or max(ends) > _INT16.max:
            # Rescale could overflow int16: take the generic path on a copy.
            self._rescale_into(target.copy(), slice_file, index)
            return
        if slope != 1:
            np.multiply(target, np.int16(slope), out=target)
        np.add(target, np.int16(intercept), out=target)

    def _stored_values(self, slice_file: SliceFile) -> np.ndarray:
        """Return the slice's stored values (before rescale) as a 2-D array."""
        shape = (self.series.rows, self.series.columns)
        if slice_file.pixel_offset is not None:
            ts = uid_of(slice_file.transfer_syntax_uid)
            kind = "i" if self.signed else "u"
            order = "<" if ts.is_little_endian else ">"
            dtype = np.dtype(f"{order}{kind}{self.bits_allocated // 8}")
            raw = np.empty(shape, dtype=dtype)
            with slice_file.path.open("rb") as fp:
                _read_exactly(fp, slice_file, raw, self.frame_bytes)
            return raw.astype(dtype.newbyteorder("="), copy=False)

        index = slice_file.frame
        try:
            if uid_of(slice_file.transfer_syntax_uid).is_deflated:
                # pixel_array() on a path does not inflate: read the dataset.
                whole = pydicom.dcmread(slice_file.path).pixel_array
                array = whole if index is None else whole[index]
            else:
                array = decode_pixel_array(str(slice_file.path), index=index)
        except Exception as error:
            raise PixelDecodeError(
                f"pixel data cannot be decoded: {type(error).__name__}: {error}",
                path=slice_file.path,
            ) from error
        array = np.asarray(array)
        if array.shape != shape:
            raise PixelDecodeError(
                f"decoded to shape {array.shape}, expected {shape}",
                path=slice_file.path,
            )
        return array

    def _fix_bits(self, raw: np.ndarray) -> None:
        """Clear bits above BitsStored, or sign-extend them (PS3.5 8.1.1)."""
        unused = raw.dtype.itemsize * 8 - self.bits_stored
        if unused <= 0 or raw.dtype.kind not in "iu":
            return
        if raw.dtype.kind == "i":
            np.left_shift(raw, unused, out=raw)
            np.right_shift(raw, unused, out=raw)
        elif int(raw.max()) >> self.bits_stored:
            # Only when set: clearing costs a write pass, the check a read.
            np.bitwise_and(raw, raw.dtype.type((1 << self.bits_stored) - 1), out=raw)

    def _mark_padding(self, raw: np.ndarray, index: int) -> None:
        """Mark PixelPaddingValue (and its range limit) in stored values."""
        value = self.series.pixel_padding_value
        if value is None:
            return
        limit = self.series.pixel_padding_range_limit
        if limit is None and self.padding_mask is not None:
            np.equal(raw, value, out=self.padding_mask[index])
            return
        if limit is None:
            padded = raw == value
        else:
            low, high = sorted((value, limit))
            padded = (raw >= low) & (raw <= high)
        if self.padding_mask is None:
            if not padded.any():
                return
            # Allocated at the first padded slice: series without padding pixels
            # then cost no mask at all.
            self.padding_mask = np.zeros(self.pixels.shape, dtype=bool)
        self.padding_mask[index] = padded

    def _rescale_into(self, raw: np.ndarray, slice_file: SliceFile, index: int) -> None:
        """Apply the Modality LUT (slope, intercept) and store at ``index``."""
        slope = slice_file.rescale_slope
        intercept = slice_file.rescale_intercept
        if self.pixels.dtype == np.int16:
            values = raw.astype(np.int64) * int(slope) + int(intercept)
            if values.size and (values.min() < _INT16.min or values.max() > _INT16.max):
                # Values beyond int16 (e.g. unsigned 16-bit MR): widen once.
                log.info("values exceed int16; the volume becomes float32")
                self.pixels = self.pixels.astype(np.float32)
                self.pixels[index] = values
                return
            self.pixels[index] = values
            return
        self.pixels[index] = raw.astype(np.float64) * slope + intercept


def _read_exactly(
    fp: io.BufferedReader, slice_file: SliceFile, target: np.ndarray, nbytes: int
) -> None:
    """Read one frame's bytes into ``target`` or say where the file ends."""
    assert slice_file.pixel_offset is not None
    fp.seek(slice_file.pixel_offset)
    view = target.data.cast("B")
    got = fp.readinto(view)
    if got != nbytes:
        raise PixelDecodeError(
            f"pixel data ends after {got} of {nbytes} bytes (file truncated)",
            path=slice_file.path,
        )


def _raw_range(bits_stored: int, signed: bool) -> tuple[int, int]:
    """Return the smallest and largest stored value."""
    if signed:
        return (-(1 << (bits_stored - 1)), (1 << (bits_stored - 1)) - 1)
    return (0, (1 << bits_stored) - 1)


def _volume_of(
    series: SeriesInfo, loader: _Loader, count: int, left_out: tuple[LeftOut, ...]
) -> Volume:
    """Assemble the volume and read the display attributes of its first slice."""
    pixels = loader.pixels[:count]
    mask = None if loader.padding_mask is None else loader.padding_mask[:count]
    header = pydicom.dcmread(series.slices[0].path, stop_before_pixels=True)
    default, presets = _windows(header)
    return Volume(
        series=series,
        pixels=pixels,
        padding_mask=mask,
        photometric=series.photometric,
        default_window=default,
        window_presets=presets,
        voi_lut=_voi_lut(header),
        units="HU" if series.modality == "CT" else "",
        left_out=left_out,
        has_palette=_has_palette(header),
    )


def _has_palette(header: Any) -> bool:
    """Say whether the file has a colour palette (PS3.3 C.7.6.3.1.6, C.8.16.2)."""
    if "RedPaletteColorLookupTableData" in header:
        return True
    presentation = str(header.get("PixelPresentation", "")).strip().upper()
    return presentation in ("COLOR", "MIXED")


def _windows(
    header: Any,
) -> tuple[tuple[float, float] | None, dict[str, tuple[float, float]]]:
    """Return the file's windows (PS3.3 C.11.2) by explanation, and the first."""
    source = header
    if "WindowCenter" not in header:
        # Enhanced objects keep windows in the Frame VOI LUT functional group.
        for name in (
            "SharedFunctionalGroupsSequence",
            "PerFrameFunctionalGroupsSequence",
        ):
            groups = header.get(name)
            if groups and "FrameVOILUTSequence" in groups[0]:
                source = groups[0].FrameVOILUTSequence[0]
                break
    centers = _floats(source.get("WindowCenter"))
    widths = _floats(source.get("WindowWidth"))
    names = source.get("WindowCenterWidthExplanation") or []
    names = [names] if isinstance(names, str) else list(names)

    presets: dict[str, tuple[float, float]] = {}
    for i, (center, width) in enumerate(zip(centers, widths, strict=False)):
        if (center, width) in presets.values():
            continue
        # Unnamed windows get a key the views translate ("File window 1").
        name = (
            str(names[i])
            if i < len(names) and str(names[i])
            else f"File window {i + 1}"
        )
        presets[name] = (center, width)
    default = (centers[0], widths[0]) if centers and widths else None
    return default, presets


def _voi_lut(header: Any) -> VoiLut | None:
    """Return the first VOI LUT of the VOI LUT Sequence, when there is one."""
    sequence = header.get("VOILUTSequence")
    if not sequence:
        return None
    item = sequence[0]
    entries, first, bits = (int(v) for v in item.LUTDescriptor)
    entries = entries or 65536  # 0 means 2**16 entries (PS3.3 C.11.2.1.1)
    data = item.LUTData
    if isinstance(data, bytes):
        table = np.frombuffer(data, dtype="<u2" if bits > 8 else "u1")
    else:
        table = np.asarray(data, dtype=np.uint16)
    if header.get("PixelRepresentation", 0) == 1 and first >= 1 << 15:
        first -= 1 << 16  # first value mapped is SS for signed pixels
    return VoiLut(
        first_mapped=first,
        table=table[:entries].copy(),
        bits=bits,
        explanation=str(item.get("LUTExplanation", "")),
    )


def _floats(value: Any) -> list[float]:
    """Return a DS value or multi-value as floats."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, bytes, int, float)):
        return [float(value)]
    return [float(v) for v in value]
