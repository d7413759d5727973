"""Multiplanar reformatting of real CT and MR series, in true patient mm."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from viewers.imaging.reslice import (
    Reslice,
    ResliceError,
    reslice,
    reslice_oblique,
    sample_patient,
)
from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume


@pytest.fixture(scope="module")
def ct_1mm(dicom_data: Path) -> Volume:
    return load_volume(scan(dicom_data / "ct_philips_1mm_140").series[0])


@pytest.fixture(scope="module")
def ct_tilted(dicom_data: Path) -> Volume:
    return load_volume(scan(dicom_data / "ct_philips_tilt_minus18_54").series[0])


def test_coronal_of_the_1mm_ct_has_true_aspect(ct_1mm: Volume) -> None:
    coronal = reslice(ct_1mm, "coronal")

    # 140 slices 1 mm apart span 139 mm; square pixels of 0.451171875 mm.
    assert coronal.pixels.shape == (309, 512)
    assert coronal.pixel_spacing_mm == (0.451171875, 0.451171875)
    assert coronal.row_direction == (1.0, 0.0, 0.0)
    assert coronal.column_direction == (0.0, 0.0, -1.0)
    assert coronal.origin_mm[0] == -115.5
    assert coronal.origin_mm[2] == pytest.approx(833.21)
    assert coronal.pixels.dtype == np.float32
    assert coronal.units == "HU"
    assert bool(coronal.inside.all())

    sagittal = reslice(ct_1mm, "sagittal")
    assert sagittal.pixels.shape == (309, 512)
    assert sagittal.row_direction == (0.0, 1.0, 0.0)


def test_a_point_has_the_same_hu_as_on_the_axial_slice(ct_1mm: Volume) -> None:
    slice_index, column, row = 70, 300, 256
    point = ct_1mm.image_to_patient(slice_index, column, row)
    axial_value = float(ct_1mm.pixels[slice_index, row, column])

    # Rows 1 mm apart fall on the slices, columns on the pixel centres.
    coronal = reslice(ct_1mm, "coronal", point[1], spacing_mm=(1.0, 0.451171875))
    at_column, at_row, distance = coronal.patient_to_image(point)

    assert coronal.pixels.shape == (140, 512)
    assert (at_column, at_row, distance) == pytest.approx((300.0, 69.0, 0.0), abs=1e-6)
    assert coronal.pixels[69, 300] == pytest.approx(axial_value, abs=1e-3)
    assert coronal.image_to_patient(300, 69) == pytest.approx(point, abs=1e-9)

    # Between two slices the value is interpolated linearly along the normal.
    between = (point[0], point[1], point[2] + 0.25)
    values, inside = sample_patient(ct_1mm, np.asarray([between]))
    above = float(ct_1mm.pixels[slice_index + 1, row, column])
    assert bool(inside[0])
    assert values[0] == pytest.approx(0.75 * axial_value + 0.25 * above, abs=1e-3)


def test_oblique_plane_along_the_slices_is_the_slice(ct_1mm: Volume) -> None:
    point = ct_1mm.image_to_patient(70, 300, 256)

    plane = reslice_oblique(ct_1mm, point, (0.0, 0.0, 2.0))

    assert plane.plane == "oblique"
    assert plane.pixels.shape == (512, 512)
    assert np.abs(plane.pixels - ct_1mm.pixels[70]).max() < 1e-3
    axial = reslice(ct_1mm, "axial", point[2])
    assert np.abs(axial.pixels - ct_1mm.pixels[70]).max() < 1e-3


def test_oblique_plane_is_perpendicular_to_its_normal(ct_1mm: Volume) -> None:
    centre = ct_1mm.image_to_patient(70, 256, 256)
    normal = (0.0, math.sin(math.radians(30)), math.cos(math.radians(30)))

    plane = reslice_oblique(ct_1mm, centre, normal, spacing_mm=1.0)

    assert plane.pixel_spacing_mm == (1.0, 1.0)
    assert plane.normal == pytest.approx(normal, abs=1e-12)
    assert np.dot(plane.row_direction, normal) == pytest.approx(0.0, abs=1e-12)
    # The plane passes through the point; what it shows there is the volume's.
    column, row, distance = plane.patient_to_image(centre)
    assert distance == pytest.approx(0.0, abs=1e-9)
    values, _ = sample_patient(
        ct_1mm, np.asarray([plane.image_to_patient(column, row)])
    )
    expected = float(ct_1mm.pixels[70, 256, 256])
    assert values[0] == pytest.approx(expected, abs=1e-3)


def _front_edges(plane: Reslice, x: float, heights: np.ndarray) -> np.ndarray:
    """Anterior edge (y, mm) of the phantom's upright insert at each height z."""
    edges = []
    for z in heights:
        _, row, _ = plane.patient_to_image((x, 0.0, z))
        line = plane.pixels[round(row)]
        y = plane.origin_mm[1] + np.arange(line.size) * plane.pixel_spacing_mm[1]
        found = np.flatnonzero((y > 80) & (y < 140) & (line > -300))
        edges.append(y[found[0]])
    return np.asarray(edges)


def test_tilted_series_is_desheared(ct_tilted: Volume, ct_1mm: Volume) -> None:
    assert ct_tilted.series.geometric_tilt_deg == pytest.approx(-18.5, abs=1e-3)
    heights = np.arange(756.0, 780.0, 2.0)

    tilted = _front_edges(reslice(ct_tilted, "sagittal", 0.0), 0.0, heights)
    straight = _front_edges(reslice(ct_1mm, "sagittal", 0.0), 0.0, heights)

    # The same phantom scanned without tilt: the edge runs the same way in
    # patient space (its small lean is the insert's own, about 0.1 mm/mm).
    tilted_slope = np.polyfit(heights, tilted, 1)[0]
    straight_slope = np.polyfit(heights, straight, 1)[0]
    assert abs(tilted_slope - straight_slope) < 0.03
    assert np.abs(tilted - straight).max() < 1.5

    # Stacking the slices by index (ignoring the shear) leans it by tan 18.5°.
    by_index = dataclasses.replace(
        ct_tilted,
        series=dataclasses.replace(
            ct_tilted.series, orientation=(1.0, 0.0, 0.0, 0.0, 1.0, 0.0)
        ),
    )
    sheared = _front_edges(reslice(by_index, "sagittal", 0.0), 0.0, heights)
    sheared_slope = np.polyfit(heights, sheared, 1)[0]
    assert abs(sheared_slope - straight_slope) > 0.25


def test_tilted_voxels_are_found_at_their_patient_positions(
    ct_tilted: Volume,
) -> None:
    voxels = [(0, 10, 20), (27, 260, 250), (53, 500, 480), (40, 128, 384)]
    points = np.asarray([ct_tilted.image_to_patient(k, c, r) for k, r, c in voxels])

    values, inside = sample_patient(ct_tilted, points)

    expected = [float(ct_tilted.pixels[k, r, c]) for k, r, c in voxels]
    assert values.tolist() == pytest.approx(expected, abs=1e-3)
    assert inside.tolist() == [True] * 4
    # A sagittal plane through one of them shows it where the point lies.
    sagittal = reslice(ct_tilted, "sagittal", float(points[1][0]))
    column, row, distance = sagittal.patient_to_image(points[1])
    assert distance == pytest.approx(0.0, abs=1e-9)
    assert sagittal.inside[round(row), round(column)]


def test_uneven_ge_series_reslices_by_position(dicom_data: Path) -> None:
    volume = load_volume(scan(dicom_data / "ct_ge_tilt_uneven_28").series[0])
    coronal = reslice(volume, "coronal", spacing_mm=1.0)

    # The slices span 5.84 .. 157.78 mm along z; corners of tilted slices more.
    assert coronal.pixel_spacing_mm == (1.0, 1.0)
    assert coronal.pixels.shape[1] == 250
    assert 0.2 < float(coronal.inside.mean()) < 1.0
    assert coronal.fill == float(volume.pixels.min())
    assert float(coronal.pixels[~coronal.inside].max()) == coronal.fill


def test_bad_requests_are_refused(ct_1mm: Volume) -> None:
    with pytest.raises(ResliceError, match="unknown plane 'transverse'"):
        reslice(ct_1mm, "transverse")
    with pytest.raises(ResliceError, match="has no direction"):
        reslice_oblique(ct_1mm, (0.0, 0.0, 0.0), (0.0, 0.0, 0.0))
    with pytest.raises(ResliceError, match="is not above 0"):
        reslice(ct_1mm, "axial", spacing_mm=0.0)
    with pytest.raises(ResliceError, match="pixels at"):
        reslice(ct_1mm, "coronal", spacing_mm=0.001)


def test_oblique_mr_voxels_and_planes(dicom_data: Path) -> None:
    volume = load_volume(scan(dicom_data / "mr_ge_oblique_t1_130").series[0])
    voxels = [(64, 128, 100), (30, 100, 140), (100, 150, 90), (129, 255, 255)]
    points = np.asarray([volume.image_to_patient(k, c, r) for k, r, c in voxels])

    values, inside = sample_patient(volume, points)

    expected = [float(volume.pixels[k, r, c]) for k, r, c in voxels]
    assert values.tolist() == pytest.approx(expected, abs=1e-3)
    assert min(expected[:3]) > 0
    assert inside.tolist() == [True] * 4
    # The plane of the slices themselves, through the middle one, is that slice.
    plane = reslice_oblique(volume, points[0], volume.series.normal)
    assert plane.pixel_spacing_mm == (0.9375, 0.9375)
    assert plane.pixels.shape == (256, 256)
    assert np.abs(plane.pixels - volume.pixels[64]).max() < 1e-2
    coronal = reslice(volume, "coronal")
    assert coronal.pixel_spacing_mm == (0.9375, 0.9375)
    assert 0.3 < float(coronal.inside.mean()) < 1.0
