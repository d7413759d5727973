"""Loading pixels: modality values, padding, compressed files, geometry, damage."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

from storage.progress import CancelledError, Progress
from viewers.imaging.errors import NoImageError
from viewers.imaging.series import SeriesInfo, scan
from viewers.imaging.volume import Volume, load_volume
from viewers.imaging.windowing import window_to_uint8

MR_SMALL_VARIANTS = [
    "MR_small_RLE.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_expb.dcm",
    "MR_small_implicit.dcm",
    "MR_small_jp2klossless.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
    "MR_small_padded.dcm",
]


def _series(path: Path) -> SeriesInfo:
    result = scan(path)
    assert len(result.series) == 1, result
    return result.series[0]


def _volume(path: Path) -> Volume:
    return load_volume(_series(path))


def test_phantom_air_is_near_minus_1000_hu(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_1mm_140")

    assert volume.pixels.shape == (140, 512, 512)
    assert volume.pixels.dtype == np.int16
    assert volume.units == "HU"
    air = volume.pixels[70, :20, :20]  # the corner outside the phantom
    assert air.mean() == pytest.approx(-1000, abs=10)
    assert volume.pixels.min() == -1024  # stored 0 with RescaleIntercept -1024
    assert volume.padding_mask is None
    assert volume.default_window == (40.0, 80.0)
    assert volume.photometric == "MONOCHROME2"
    assert volume.left_out == ()


def test_pixels_match_pydicom_for_every_slice_of_a_series(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_5mm_28")

    for index in (0, 13, 27):
        ds = pydicom.dcmread(volume.series.slices[index].path)
        expected = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        np.testing.assert_array_equal(volume.pixels[index], expected)


def test_ge_padding_is_masked(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_ge_tilt_uneven_28")

    assert volume.padding_mask is not None
    assert volume.padding_mask.shape == volume.pixels.shape
    assert volume.padding_mask[14, 0, 0]
    assert not volume.padding_mask[14, 256, 256]
    assert (volume.pixels[volume.padding_mask] == -1500).all()
    assert volume.default_window == (35.0, 100.0)


@pytest.mark.parametrize("name", MR_SMALL_VARIANTS)
def test_every_encoding_of_mr_small_gives_the_same_pixels(name: str) -> None:
    reference = _volume(Path(get_testdata_file("MR_small.dcm")))
    variant = _volume(Path(get_testdata_file(name)))

    assert variant.left_out == ()
    np.testing.assert_array_equal(variant.pixels, reference.pixels)
    assert reference.pixels.dtype == np.int16
    assert int(reference.pixels.min()) == 127
    assert int(reference.pixels.max()) == 2145


def test_compressed_ct_matches_its_uncompressed_twin() -> None:
    lossless = _volume(Path(get_testdata_file("693_J2KR.dcm")))
    plain = _volume(Path(get_testdata_file("693_UNCR.dcm")))

    np.testing.assert_array_equal(lossless.pixels, plain.pixels)


def test_monochrome1_is_shown_inverted() -> None:
    volume = _volume(Path(get_testdata_file("RG1_UNCI.dcm")))

    assert volume.photometric == "MONOCHROME1"
    # The file's W 30000 L 15000 spans every value, so the percentiles win.
    center, width = volume.opening_window(0)
    assert volume.default_window == (15000.0, 30000.0)
    assert (center, width) != volume.default_window
    shown = volume.render_slice(0)
    plain = window_to_uint8(volume.pixels[0], center, width)
    np.testing.assert_array_equal(shown, 255 - plain)
    # In MONOCHROME1 values below the window are white, above it black.
    pixels = volume.pixels[0]
    low = np.unravel_index(np.argmin(pixels), pixels.shape)
    high = np.unravel_index(np.argmax(pixels), pixels.shape)
    narrow = volume.render_slice(0, window=(float(pixels.mean()), 2.0))
    assert (narrow[low], narrow[high]) == (255, 0)


def test_voi_lut_from_the_file_applies() -> None:
    path = Path(get_testdata_file("vlut_04.dcm"))
    volume = _volume(path)

    assert volume.voi_lut is not None
    assert volume.voi_lut.bits == 16
    ds = pydicom.dcmread(path)
    expected = pydicom.pixels.apply_voi_lut(ds.pixel_array, ds).astype(float)
    expected_8bit = np.rint(expected * 255 / 65535).astype(np.uint8)
    np.testing.assert_array_equal(volume.render_slice(0), expected_8bit)


def test_truncated_slice_is_left_out_and_the_rest_loads(
    dicom_data: Path, tmp_path: Path
) -> None:
    source = dicom_data / "ct_philips_5mm_28"
    for path in source.iterdir():
        if path.name != "DIRFILE":
            shutil.copy(path, tmp_path / path.name)
    damaged = tmp_path / "I150"
    damaged.write_bytes(damaged.read_bytes()[:300_000])

    series = _series(tmp_path)
    volume = load_volume(series)

    assert series.slice_count == 28
    assert volume.pixels.shape == (27, 512, 512)
    offset = next(s.pixel_offset for s in series.slices if s.path == damaged)
    assert offset is not None
    got = 300_000 - offset
    assert [(i.path.name, i.reason) for i in volume.left_out] == [
        ("I150", f"pixel data ends after {got} of 524288 bytes (file truncated)")
    ]
    assert volume.series.slice_count == 27
    assert damaged not in [s.path for s in volume.series.slices]
    # The gap left by the missing slice shows in the spacing.
    assert volume.series.spacing_max_mm == pytest.approx(10.0)
    assert volume.series.largest_gap is not None


def test_no_readable_slice_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "only.dcm"
    data = Path(get_testdata_file("CT_small.dcm")).read_bytes()
    path.write_bytes(data[:-5000])

    with pytest.raises(NoImageError) as raised:
        load_volume(_series(tmp_path))
    assert raised.value.path == str(path)


def test_image_to_patient_uses_each_slice_position(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_tilt_minus18_54")
    series = volume.series

    for index in (0, 20, 53):
        assert volume.image_to_patient(index, 0, 0) == pytest.approx(
            series.slices[index].position_mm
        )
    # One column right is along +x by the column spacing; one row down
    # follows the tilted column direction by the row spacing.
    x0 = np.asarray(volume.image_to_patient(5, 0, 0))
    assert np.asarray(volume.image_to_patient(5, 1, 0)) - x0 == pytest.approx(
        [0.482421875, 0, 0]
    )
    assert np.asarray(volume.image_to_patient(5, 0, 1)) - x0 == pytest.approx(
        [0, 0.482421875 * 0.9483237, -0.482421875 * 0.3173047]
    )
    point = volume.image_to_patient(7.5, 100.25, 300.5)
    assert volume.patient_to_image(point) == pytest.approx((7.5, 100.25, 300.5))


def test_value_at_reads_the_nearest_pixel(dicom_data: Path) -> None:
    volume = _volume(dicom_data / "ct_philips_5mm_28")

    assert volume.value_at(3, 10.4, 20.6) == float(volume.pixels[3, 21, 10])
    assert np.isnan(volume.value_at(3, -1, 0))


def test_non_integer_rescale_gives_float32(tmp_path: Path) -> None:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.RescaleSlope = 0.5
    ds.RescaleIntercept = -10.25
    ds.save_as(tmp_path / "half.dcm")

    volume = _volume(tmp_path / "half.dcm")

    assert volume.pixels.dtype == np.float32
    np.testing.assert_array_equal(volume.pixels[0], ds.pixel_array * 0.5 - 10.25)


def test_enhanced_multi_frame_loads_each_frame() -> None:
    path = Path(get_testdata_file("eCT_Supplemental.dcm"))
    volume = _volume(path)

    frames = pydicom.dcmread(path).pixel_array
    assert volume.pixels.shape == (2, 512, 512)
    # Sorted along the normal: frame 2 first; RescaleIntercept -1024 per frame.
    np.testing.assert_array_equal(volume.pixels[0], frames[1].astype(int) - 1024)
    assert volume.default_window == (49.0, 102.0)


def test_compressed_multi_frame_loads() -> None:
    plain = _volume(Path(get_testdata_file("emri_small.dcm")))
    rle = _volume(Path(get_testdata_file("emri_small_RLE.dcm")))

    assert plain.pixels.shape == (10, 64, 64)
    assert not plain.series.has_geometry
    np.testing.assert_array_equal(plain.pixels, rle.pixels)


def test_loading_reports_progress_and_cancels(dicom_data: Path) -> None:
    series = _series(dicom_data / "ct_philips_5mm_28")
    seen: list[int] = []
    load_volume(series, Progress(lambda done, total, _: seen.append(done)))
    assert seen == list(range(1, 29))

    progress = Progress(lambda done, total, _: progress.cancel() if done == 3 else None)
    with pytest.raises(CancelledError):
        load_volume(series, progress)


def test_unsigned_values_beyond_int16_become_float32(tmp_path: Path) -> None:
    ds = pydicom.dcmread(get_testdata_file("MR_small.dcm"))
    stored = ds.pixel_array.astype(np.uint16) + 40000
    ds.PixelRepresentation = 0
    ds.PixelData = stored.tobytes()
    ds.save_as(tmp_path / "bright.dcm")

    volume = _volume(tmp_path / "bright.dcm")

    assert volume.pixels.dtype == np.float32
    np.testing.assert_array_equal(volume.pixels[0], stored)


def test_signed_pixels_below_16_bits_are_sign_extended(tmp_path: Path) -> None:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    values = ds.pixel_array.astype(np.int16) - 2000
    ds.BitsStored = 12
    ds.HighBit = 11
    # Write 12-bit two's complement with junk in the 4 unused high bits.
    ds.PixelData = ((values.view(np.uint16) & 0x0FFF) | 0x5000).tobytes()
    ds.save_as(tmp_path / "twelve.dcm")

    volume = _volume(tmp_path / "twelve.dcm")

    assert volume.pixels.dtype == np.int16
    expected = values * int(ds.RescaleSlope) + int(ds.RescaleIntercept)
    np.testing.assert_array_equal(volume.pixels[0], expected)


def test_deflated_8_bit_image_loads_as_pydicom_reads_it() -> None:
    path = Path(get_testdata_file("image_dfl.dcm"))

    volume = _volume(path)

    np.testing.assert_array_equal(volume.pixels[0], pydicom.dcmread(path).pixel_array)
    assert volume.units == ""
