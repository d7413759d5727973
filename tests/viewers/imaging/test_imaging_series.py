"""Scanning real scanner series: grouping, order, spacing, tilt, files left out."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from pydicom.data import get_testdata_file

from storage.progress import CancelledError, Progress
from viewers.imaging.errors import SeriesSourceError
from viewers.imaging.series import scan

SERIES = [
    ("ct_philips_1mm_140", 140, 1.0),
    ("ct_philips_5mm_28", 28, 5.0),
    ("ct_philips_tilt_minus18_54", 54, 2.3708),
    ("ct_ge_tilt_uneven_28", 28, None),
    ("mr_ge_oblique_t1_130", 130, 1.2),
]


@pytest.mark.parametrize(("folder", "count", "spacing"), SERIES)
def test_each_series_keeps_its_slices(
    dicom_data: Path, folder: str, count: int, spacing: float | None
) -> None:
    result = scan(dicom_data / folder)

    assert len(result.series) == 1
    series = result.series[0]
    assert series.slice_count == count
    assert series.part == 0
    normal = np.asarray(series.normal)
    along = [float(np.dot(s.position_mm, normal)) for s in series.slices]
    assert along == sorted(along)
    assert len(set(along)) == count
    if spacing is not None:
        assert series.spacing_min_mm == pytest.approx(spacing, abs=1e-3)
        assert series.spacing_max_mm == pytest.approx(spacing, abs=1e-3)
        assert series.largest_gap is None


def test_slices_follow_position_not_file_name(dicom_data: Path) -> None:
    series = scan(dicom_data / "ct_philips_1mm_140").series[0]

    names = [s.path.name for s in series.slices]
    assert names[:3] == ["I10", "I20", "I30"]
    assert names[-1] == "I1400"
    assert sorted(names)[:3] == ["I10", "I100", "I1000"]
    assert series.slices[0].position_mm[2] == pytest.approx(694.21)
    assert series.slices[-1].position_mm[2] == pytest.approx(833.21)
    assert series.rows == series.columns == 512
    assert series.pixel_spacing_mm == (0.451171875, 0.451171875)
    assert series.modality == "CT"


def test_uneven_ge_head_ct_reports_its_largest_gap(dicom_data: Path) -> None:
    series = scan(dicom_data / "ct_ge_tilt_uneven_28").series[0]

    # Table steps of 4.22, 1.14 and 7.38 mm along z, measured along the
    # normal of an 18.5 degree tilted slice: x cos(18.5 degrees).
    assert series.spacing_min_mm == pytest.approx(1.0811, abs=1e-3)
    assert series.spacing_max_mm == pytest.approx(6.9986, abs=1e-3)
    assert series.largest_gap is not None
    assert [p.name for p in series.largest_gap] == ["15.dcm", "16.dcm"]
    assert not series.is_evenly_spaced
    assert series.pixel_padding_value == -1500


@pytest.mark.parametrize(
    ("folder", "recorded"),
    [("ct_philips_tilt_minus18_54", -18.5), ("ct_ge_tilt_uneven_28", 18.5)],
)
def test_tilted_series_measure_18_5_degrees(
    dicom_data: Path, folder: str, recorded: float
) -> None:
    series = scan(dicom_data / folder).series[0]

    # Same geometry from both vendors: the same signed geometric tilt.
    assert series.geometric_tilt_deg == pytest.approx(-18.5, abs=0.1)
    assert series.recorded_tilt_deg == recorded


def test_untilted_series_measure_no_tilt(dicom_data: Path) -> None:
    for folder in ("ct_philips_1mm_140", "mr_ge_oblique_t1_130"):
        series = scan(dicom_data / folder).series[0]
        assert series.geometric_tilt_deg == pytest.approx(0.0, abs=0.01)
    assert scan(dicom_data / "mr_ge_oblique_t1_130").series[0].recorded_tilt_deg is None


def test_localizer_and_dicomdir_are_left_out(dicom_data: Path) -> None:
    localizer = scan(dicom_data / "ct_philips_localizer")
    plain = scan(dicom_data / "ct_philips_1mm_140")

    assert localizer.series == ()
    reasons = {item.path.name: item.reason for item in localizer.left_out}
    assert "localizer" in reasons["I10"]
    assert "DICOMDIR" in reasons["DIRFILE"]
    assert [(item.path.name, item.reason) for item in plain.left_out] == [
        ("DIRFILE", "a DICOMDIR (media directory), not an image")
    ]


def test_oblique_mr_stays_one_series(dicom_data: Path) -> None:
    result = scan(dicom_data / "mr_ge_oblique_t1_130")

    assert [s.slice_count for s in result.series] == [130]
    assert result.left_out == ()
    orientation = result.series[0].orientation
    assert orientation[0] == pytest.approx(0.99801035, abs=1e-8)
    assert result.series[0].modality == "MR"


def test_whole_folder_recursively(dicom_data: Path) -> None:
    result = scan(dicom_data)

    assert sorted(s.slice_count for s in result.series) == [28, 28, 54, 130, 140]
    localizers = [i for i in result.left_out if "localizer" in i.reason]
    assert len(localizers) == 1


def test_dicomdir_from_pydicom_scans() -> None:
    dicomdir = Path(get_testdata_file("DICOMDIR"))
    result = scan(dicomdir)

    modalities = sorted({s.modality for s in result.series})
    assert modalities == ["CR", "CT", "MR"]
    ct = [s for s in result.series if s.modality == "CT"]
    assert sorted(s.slice_count for s in ct) == [4, 5]
    assert all(s.rows == 16 for s in result.series)
    assert {i.reason for i in result.left_out} == {
        "a localizer (ImageType LOCALIZER), not part of a volume"
    }


def test_a_list_of_files_scans(dicom_data: Path) -> None:
    folder = dicom_data / "ct_philips_5mm_28"
    files = sorted(p for p in folder.iterdir() if p.name != "DIRFILE")[:5]

    result = scan(files)

    assert [s.slice_count for s in result.series] == [5]


def test_series_mixing_orientations_is_split(tmp_path: Path) -> None:
    source = Path(get_testdata_file("CT_small.dcm"))
    for i, orientation in enumerate([[1, 0, 0, 0, 1, 0]] * 2 + [[0, 1, 0, 0, 0, -1]]):
        ds = pydicom.dcmread(source)
        ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{i}"
        ds.ImageOrientationPatient = orientation
        ds.ImagePositionPatient = [0, 0, float(i)]
        ds.save_as(tmp_path / f"slice{i}.dcm")

    result = scan(tmp_path)

    assert [(s.part, s.slice_count) for s in result.series] == [(1, 2), (2, 1)]
    assert len({s.series_instance_uid for s in result.series}) == 1


def test_repeated_position_is_left_out_with_a_note(tmp_path: Path) -> None:
    source = Path(get_testdata_file("CT_small.dcm"))
    for i in range(2):
        ds = pydicom.dcmread(source)
        ds.SOPInstanceUID = f"{ds.SOPInstanceUID}.{i}"
        ds.save_as(tmp_path / f"slice{i}.dcm")

    result = scan(tmp_path)

    assert result.series[0].slice_count == 1
    assert [i.reason for i in result.left_out] == ["same slice position as slice0.dcm"]


def test_non_dicom_and_damaged_headers_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not an image")
    good = tmp_path / "good.dcm"
    shutil.copy(get_testdata_file("CT_small.dcm"), good)
    damaged = tmp_path / "damaged.dcm"
    damaged.write_bytes(good.read_bytes()[:400])

    result = scan(tmp_path)

    assert [s.slice_count for s in result.series] == [1]
    reasons = {i.path.name: i.reason for i in result.left_out}
    assert reasons["notes.txt"] == "not a DICOM file"
    assert "damaged.dcm" in reasons


def test_enhanced_multi_frame_positions_come_from_functional_groups() -> None:
    result = scan(Path(get_testdata_file("eCT_Supplemental.dcm")))

    series = result.series[0]
    assert series.slice_count == 2
    # The normal of (-1,0,0 / 0,1,0) points to -z: frame 2 (z -149) comes first.
    assert series.normal == (0.0, 0.0, -1.0)
    assert [s.frame for s in series.slices] == [1, 0]
    assert series.has_geometry
    assert series.slices[0].position_mm == (99.5, -301.5, -149.0)
    assert series.pixel_spacing_mm == (0.388672, 0.388672)
    assert series.spacing_min_mm == pytest.approx(10.0)


def test_missing_source_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SeriesSourceError) as raised:
        scan(tmp_path / "nowhere")
    assert raised.value.path == str(tmp_path / "nowhere")


def test_scan_reports_progress_and_cancels(dicom_data: Path) -> None:
    seen: list[tuple[int, int]] = []
    scan(
        dicom_data / "ct_ge_tilt_uneven_28",
        Progress(lambda d, t, _: seen.append((d, t))),
    )
    assert seen[-1] == (28, 28)

    progress = Progress()
    progress.cancel()
    with pytest.raises(CancelledError):
        scan(dicom_data / "ct_ge_tilt_uneven_28", progress)
