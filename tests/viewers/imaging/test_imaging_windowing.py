"""Window/level to 8 bits, presets and automatic windows."""

from __future__ import annotations

import numpy as np
import pytest

from viewers.imaging.windowing import (
    CT_DEFAULT_PRESET,
    CT_PRESETS,
    VoiLut,
    apply_voi_lut,
    auto_window,
    covers_range,
    window_to_uint8,
)


def test_brain_window_limits() -> None:
    hu = np.array([[-1000, 0, 1, 40, 78, 79, 80, 3000]], dtype=np.int16)

    shown = window_to_uint8(hu, 40, 80)

    # PS3.3 C.11.2.1.2.1: ((x - (c - 0.5)) / (w - 1) + 0.5) * 255, clamped:
    # 0 at and below c - 0.5 - (w - 1) / 2 = 0 HU, 255 from 79 HU.
    assert shown.dtype == np.uint8
    assert shown.tolist() == [[0, 0, 3, 129, 252, 255, 255, 255]]


def test_lookup_table_agrees_with_direct_computation() -> None:
    rng = np.random.default_rng(7)
    hu = rng.integers(-2000, 3000, size=(64, 64)).astype(np.int16)

    from_table = window_to_uint8(hu, -600, 1500)
    direct = window_to_uint8(hu.astype(np.float32), -600, 1500)

    np.testing.assert_array_equal(from_table, direct)
    unsigned = hu.clip(0).astype(np.uint16)
    np.testing.assert_array_equal(
        window_to_uint8(unsigned, 400, 1800),
        window_to_uint8(unsigned.astype(np.float32), 400, 1800),
    )


def test_invert_for_monochrome1() -> None:
    hu = np.arange(-100, 100, dtype=np.int16).reshape(10, 20)

    np.testing.assert_array_equal(
        window_to_uint8(hu, 0, 100, invert=True), 255 - window_to_uint8(hu, 0, 100)
    )


def test_presets_are_the_usual_ct_windows() -> None:
    assert CT_PRESETS["brain"] == (40.0, 80.0)
    assert CT_PRESETS["lung"] == (-600.0, 1500.0)
    assert set(CT_PRESETS) == {
        "brain",
        "subdural",
        "lung",
        "mediastinum",
        "bone",
        "abdomen",
    }


def test_auto_window_ignores_padding() -> None:
    pixels = np.full((100, 100), -1500, dtype=np.int16)
    pixels[20:80, 20:80] = np.arange(3600, dtype=np.int16).reshape(60, 60) % 100
    padding = pixels == -1500

    center, width = auto_window(pixels, padding)

    assert center == pytest.approx(49.5, abs=1)
    assert width == pytest.approx(99, abs=2)
    assert auto_window(pixels)[1] > 1000
    assert auto_window(pixels, np.ones_like(padding)) == (0.0, 1.0)


def test_voi_lut_maps_and_clamps() -> None:
    lut = VoiLut(first_mapped=10, table=np.array([0, 255, 511, 1023]), bits=10)

    shown = apply_voi_lut(np.array([5, 10, 11, 12, 13, 99]), lut)

    assert shown.tolist() == [0, 0, 64, 127, 255, 255]


def test_auto_window_spans_1st_to_99th_percentile() -> None:
    # 0..99 once each plus ten outliers at 10000: min-max would give W 10000.
    values = np.concatenate([np.arange(100), np.full(10, 10000)]).astype(np.int16)

    center, width = auto_window(values)

    low, high = np.percentile(values, [1.0, 99.0])
    assert (center, width) == ((low + high) / 2.0, high - low)
    assert (low, high) == (1.09, 10000.0)
    assert auto_window(np.arange(101, dtype=np.int16)) == (50.0, 98.0)


def test_full_range_window_is_recognised() -> None:
    assert covers_range((15000.0, 30000.0), 874.0, 26479.0)
    assert not covers_range((40.0, 400.0), -1024.0, 1500.0)


def test_ct_default_preset_is_soft_tissue() -> None:
    assert CT_PRESETS[CT_DEFAULT_PRESET] == (40.0, 400.0)
