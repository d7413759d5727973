"""A file without PixelSpacing gives no mm: no length, no area, marked spacing."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
from pydicom.data import get_testdata_file

from viewers.imaging.roi import roi_statistics, ruler_length_mm
from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume


@cache
def _volume(path: Path) -> Volume:
    return load_volume(scan(path).series[0])


def _vlut_04() -> Path:
    # vlut_04.dcm ships inside pydicom itself: it has no PixelSpacing and no
    # ImagerPixelSpacing (a secondary capture, modality OT).
    return Path(get_testdata_file("vlut_04.dcm"))


def test_file_without_pixel_spacing_is_marked() -> None:
    series = scan(_vlut_04()).series[0]

    assert not series.has_pixel_spacing
    # A stand-in of one pixel unit keeps the geometry usable; it is not mm.
    assert series.pixel_spacing_mm == (1.0, 1.0)
    assert (series.rows, series.columns) == (512, 512)


def test_zero_pixel_spacing_is_marked() -> None:
    # RG1_UNCI.dcm writes PixelSpacing 0\0.
    series = scan(Path(get_testdata_file("RG1_UNCI.dcm"))).series[0]

    assert not series.has_pixel_spacing
    assert series.pixel_spacing_mm == (1.0, 1.0)


def test_series_with_pixel_spacing_has_mm(dicom_data: Path) -> None:
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]

    assert series.has_pixel_spacing
    assert series.pixel_spacing_mm == (0.451171875, 0.451171875)


def test_area_without_pixel_spacing_is_nan_not_pixels() -> None:
    volume = _volume(_vlut_04())

    stats = roi_statistics(volume, 0, "rectangle", [(100.0, 200.0), (160.0, 240.0)])

    region = volume.pixels[0, 200:241, 100:161].astype(float)
    assert math.isnan(stats.area_mm2)
    assert stats.pixel_count == 61 * 41
    assert stats.mean == float(np.mean(region))
    assert stats.minimum == region.min()
    assert stats.maximum == region.max()


def test_ruler_without_pixel_spacing_is_nan_not_256_mm() -> None:
    volume = _volume(_vlut_04())

    length = ruler_length_mm(volume, 0, (0.0, 0.0), (256.0, 0.0))

    assert math.isnan(length)
