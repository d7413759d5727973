"""ROI masks, statistics and rulers as a radiologist would check them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from viewers.imaging.errors import RoiError
from viewers.imaging.roi import roi_mask, roi_statistics, ruler_length_mm
from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume


@cache
def _volume(path: Path) -> Volume:
    return load_volume(scan(path).series[0])


def test_rectangle_statistics_match_numpy(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_5mm_28")

    stats = roi_statistics(volume, 10, "rectangle", [(300.0, 200.0), (240.0, 260.0)])

    region = volume.pixels[10, 200:261, 240:301].astype(float)
    assert stats.pixel_count == 61 * 61
    assert stats.area_mm2 == pytest.approx(61 * 61 * 0.451171875**2)
    assert stats.mean == pytest.approx(region.mean())
    assert stats.sd == pytest.approx(region.std(ddof=1))
    assert stats.minimum == region.min()
    assert stats.maximum == region.max()
    assert stats.units == "HU"


def test_padding_stays_out_of_roi_statistics(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_ge_tilt_uneven_28")

    # From the padded corner into the head.
    stats = roi_statistics(volume, 14, "rectangle", [(0.0, 0.0), (300.0, 300.0)])

    region = volume.pixels[14, :301, :301]
    assert volume.padding_mask is not None
    kept = region[~volume.padding_mask[14, :301, :301]]
    assert (region == -1500).any()
    assert stats.minimum != -1500
    assert stats.minimum == kept.min()
    assert stats.pixel_count == kept.size
    assert stats.mean == pytest.approx(kept.astype(float).mean())
    assert stats.area_mm2 == pytest.approx(301 * 301 * 0.4882812**2)


def test_ruler_of_200_pixels_on_the_1_mm_series(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_1mm_140")

    length = ruler_length_mm(volume, 0, (100.0, 50.0), (300.0, 50.0))
    diagonal = ruler_length_mm(volume, 0, (0.0, 0.0), (120.0, 160.0))

    assert length == 90.234375
    assert diagonal == pytest.approx(200 * 0.451171875)


def test_ellipse_mask_is_symmetric_and_inside_its_box() -> None:
    mask = roi_mask("ellipse", [(10.0, 10.0), (30.0, 20.0)], (40, 40))

    assert mask[15, 20]
    assert mask[15, 10]
    assert mask[15, 30]
    assert mask[10, 20]
    assert mask[20, 20]
    assert not mask[10, 10]
    assert not mask[9, 20]
    np.testing.assert_array_equal(mask, mask[::-1, :][::-1, :])
    assert mask.sum() == np.count_nonzero(mask[:, 10:31][10:21])


def test_polygon_mask_of_a_triangle() -> None:
    mask = roi_mask("polygon", [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)], (12, 12))

    assert mask[2, 2]
    assert mask[1, 7]
    assert not mask[8, 8]
    assert not mask[:, 11].any()
    freehand = roi_mask("freehand", [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0)], (12, 12))
    np.testing.assert_array_equal(mask, freehand)


def test_point_and_ruler_masks() -> None:
    point = roi_mask("point", [(3.4, 5.6)], (10, 10))
    ruler = roi_mask("ruler", [(0.0, 0.0), (9.0, 0.0)], (10, 10))

    assert np.argwhere(point).tolist() == [[6, 3]]
    assert ruler[0].all()
    assert ruler.sum() == 10


def test_rois_outside_the_slice_are_clipped() -> None:
    mask = roi_mask("rectangle", [(-5.0, -5.0), (2.0, 2.0)], (10, 10))

    assert mask.sum() == 9


def test_unknown_kind_and_too_few_points_are_errors() -> None:
    with pytest.raises(RoiError, match="unknown ROI kind"):
        roi_mask("circle", [(0.0, 0.0), (1.0, 1.0)], (4, 4))
    with pytest.raises(RoiError, match="at least 3 points"):
        roi_mask("polygon", [(0.0, 0.0), (1.0, 1.0)], (4, 4))


def test_roi_on_a_missing_slice_is_an_error(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_5mm_28")

    with pytest.raises(RoiError) as raised:
        roi_statistics(volume, 28, "point", [(1.0, 1.0)])
    assert str(raised.value).startswith("The point ROI cannot be measured.")
