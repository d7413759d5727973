"""The 3D view: volume placed in patient space, presets, ROIs and camera, rendered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import vtk
from vtkmodules.util.numpy_support import vtk_to_numpy

from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume
from viewers.roi_items import RoiShape
from viewers.volume_view import (
    CAMERA_VIEWS,
    VolumeScene,
    roi_outline_mm,
    volume_image_data,
)

SIZE = 240
# The scene's background as 8-bit RGB (0.05, 0.05, 0.07).
BACKGROUND = (13, 13, 18)


@pytest.fixture(scope="module")
def ct_5mm(dicom_data: Path) -> Volume:
    """The Philips skull phantom, 28 axial slices at 5 mm."""
    return load_volume(scan(dicom_data / "ct_philips_5mm_28").series[0])


@pytest.fixture(scope="module")
def ct_tilted(dicom_data: Path) -> Volume:
    """The same phantom with the gantry tilted 18.5 degrees (sheared stack)."""
    return load_volume(scan(dicom_data / "ct_philips_tilt_minus18_54").series[0])


@pytest.fixture
def scene() -> Iterator[VolumeScene]:
    # An offscreen render window: EGL without a display, GLX under Xvfb.
    window = vtk.vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(SIZE, SIZE)
    yield VolumeScene(window, max_in_plane=128)
    window.Finalize()


def _pixels(scene: VolumeScene) -> np.ndarray:
    """Render and read the frame back as (rows from the top, columns, RGB)."""
    scene.render()
    grab = vtk.vtkWindowToImageFilter()
    grab.SetInput(scene.render_window)
    grab.ReadFrontBufferOff()
    grab.Update()
    image = grab.GetOutput()
    width, height, _ = image.GetDimensions()
    rgb = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(height, width, -1)
    return rgb[::-1, :, :3]  # VTK's first row is the bottom one


def _physical(image: object, i: int, j: int, k: int) -> np.ndarray:
    """Return vtkImageData's patient position (mm) of point (i, j, k)."""
    out = [0.0, 0.0, 0.0]
    image.TransformIndexToPhysicalPoint((i, j, k), out)  # type: ignore[attr-defined]
    return np.asarray(out)


def _is_background(rgb: np.ndarray) -> bool:
    return bool(np.all(np.abs(rgb.astype(int) - BACKGROUND) <= 1))


def test_tilted_volume_points_are_at_their_patient_positions(
    ct_tilted: Volume,
) -> None:
    image = volume_image_data(ct_tilted, max_in_plane=None)

    assert image.GetDimensions() == (512, 512, 54)
    last = ct_tilted.pixels.shape[0] - 1
    for k, column, row in ((0, 0, 0), (last, 511, 0), (20, 100, 400), (last, 0, 511)):
        placed = _physical(image, column, row, k)
        np.testing.assert_allclose(
            placed, ct_tilted.image_to_patient(k, column, row), atol=1e-6
        )
    value = image.GetScalarComponentAsDouble(100, 400, 20, 0)
    assert value == ct_tilted.pixels[20, 400, 100]


def test_subsampled_volume_keeps_its_extent(ct_5mm: Volume) -> None:
    image = volume_image_data(ct_5mm, max_in_plane=128)

    assert image.GetDimensions() == (128, 128, 28)
    assert image.GetSpacing() == pytest.approx((4 * 0.451171875, 4 * 0.451171875, 5.0))
    np.testing.assert_allclose(
        _physical(image, 127, 127, 27),
        ct_5mm.image_to_patient(27, 508, 508),
        atol=1e-6,
    )


def test_uneven_series_is_resampled_at_its_smallest_spacing(
    dicom_data: Path,
) -> None:
    volume = load_volume(scan(dicom_data / "ct_ge_tilt_uneven_28").series[0])
    series = volume.series
    assert series.spacing_min_mm is not None
    normal = np.asarray(series.normal)
    span = (
        np.asarray(series.slices[-1].position_mm)
        - np.asarray(series.slices[0].position_mm)
    ) @ normal

    image = volume_image_data(volume, max_in_plane=None)

    count = image.GetDimensions()[2]
    assert count == int(np.floor(span / series.spacing_min_mm + 1e-6)) + 1
    # The first slice is the file's first slice, untouched; the last step
    # lands on the last file's plane (within one resampling step).
    assert (
        image.GetScalarComponentAsDouble(200, 150, 0, 0) == volume.pixels[0, 150, 200]
    )
    end = _physical(image, 0, 0, count - 1)
    last = np.asarray(series.slices[-1].position_mm)
    assert abs(float((last - end) @ normal)) < series.spacing_min_mm


def test_roi_outlines_are_in_patient_mm(ct_5mm: Volume) -> None:
    rectangle = RoiShape(
        "r", "rectangle", "nodule", 10, ((100.0, 50.0), (300.0, 250.0))
    )

    points, closed = roi_outline_mm(ct_5mm, rectangle)

    assert closed
    np.testing.assert_allclose(points[0], ct_5mm.image_to_patient(10, 100.0, 50.0))
    np.testing.assert_allclose(points[2], ct_5mm.image_to_patient(10, 300.0, 250.0))
    # 200 columns of 0.451171875 mm between the first two corners.
    assert np.linalg.norm(points[1] - points[0]) == pytest.approx(90.234375)


def test_camera_views_stand_on_the_named_side(
    scene: VolumeScene, ct_5mm: Volume
) -> None:
    scene.set_volume(ct_5mm)
    camera = scene.renderer.GetActiveCamera()
    for name, (direction, up) in CAMERA_VIEWS.items():
        scene.view_from(name)
        seen = np.asarray(camera.GetPosition()) - np.asarray(camera.GetFocalPoint())
        np.testing.assert_allclose(seen / np.linalg.norm(seen), direction, atol=1e-9)
        np.testing.assert_allclose(camera.GetViewUp(), up, atol=1e-9)
    with pytest.raises(ValueError, match="unknown view 'top'"):
        scene.view_from("top")


@pytest.mark.display
def test_bone_preset_shows_the_skull_in_the_centre(
    scene: VolumeScene, ct_5mm: Volume
) -> None:
    scene.set_volume(ct_5mm)
    assert scene.preset_name == "bone"
    assert scene.preset_names() == ["bone", "soft tissue", "lung", "window"]

    for view in ("anterior", "left", "superior"):
        scene.view_from(view)
        rgb = _pixels(scene)
        centre = rgb[SIZE // 2 - 5 : SIZE // 2 + 5, SIZE // 2 - 5 : SIZE // 2 + 5]
        assert not _is_background(centre), view
        for corner in (rgb[:4, :4], rgb[:4, -4:], rgb[-4:, -4:]):
            assert _is_background(corner), view


@pytest.mark.display
def test_lung_preset_replaces_bone_colours(scene: VolumeScene, ct_5mm: Volume) -> None:
    scene.set_volume(ct_5mm)
    middle = slice(SIZE // 2 - 20, SIZE // 2 + 20)
    bone = _pixels(scene)[middle, middle].reshape(-1, 3).mean(axis=0)
    scene.set_preset("lung")
    lung = _pixels(scene)[middle, middle].reshape(-1, 3).mean(axis=0)

    # Bone is drawn ivory (more red than blue), air edges pale blue.
    assert bone[0] > bone[2]
    assert lung[2] > lung[0]
    with pytest.raises(ValueError, match="unknown 3D preset 'teeth'"):
        scene.set_preset("teeth")


@pytest.mark.display
def test_roi_outline_and_orientation_marker_are_drawn(
    scene: VolumeScene, ct_5mm: Volume
) -> None:
    scene.set_volume(ct_5mm)
    scene.set_preset("lung")
    scene.view_from("superior")
    ellipse = RoiShape("e", "ellipse", "nodule", 14, ((150.0, 150.0), (350.0, 350.0)))
    scene.set_rois([ellipse], {"nodule": "#ff0000"})

    rgb = _pixels(scene)

    assert scene.roi_point_count() == 64
    red = (rgb[:, :, 0] == 255) & (rgb[:, :, 1] == 0) & (rgb[:, :, 2] == 0)
    assert red.sum() > 50
    # The labelled cube sits in the bottom-left corner.
    marker = rgb[-int(SIZE * 0.18) :, : int(SIZE * 0.18)]
    assert not _is_background(marker[marker.shape[0] // 2, marker.shape[1] // 2])


@pytest.mark.display
def test_tilted_stack_is_drawn_sheared_not_leaning(
    scene: VolumeScene, ct_tilted: Volume
) -> None:
    # The tilted series' own geometry, filled with an upright cylinder of
    # bone (radius 40 mm around x 0, y 90, along z): seen from the side its
    # front and back edges must stand vertical, only the cut ends slant.
    n, rows, columns = ct_tilted.pixels.shape
    column_grid, row_grid = np.meshgrid(np.arange(columns), np.arange(rows))
    cylinder = np.empty_like(ct_tilted.pixels)
    for k in range(n):
        origin = np.asarray(ct_tilted.image_to_patient(k, 0, 0))
        across = np.asarray(ct_tilted.image_to_patient(k, 1, 0)) - origin
        down = np.asarray(ct_tilted.image_to_patient(k, 0, 1)) - origin
        x = origin[0] + column_grid * across[0] + row_grid * down[0]
        y = origin[1] + column_grid * across[1] + row_grid * down[1]
        cylinder[k] = np.where(x**2 + (y - 90.0) ** 2 < 40.0**2, 2000, -1000)
    phantom = Volume(
        series=ct_tilted.series,
        pixels=cylinder,
        padding_mask=None,
        photometric=ct_tilted.photometric,
        default_window=ct_tilted.default_window,
        window_presets={},
        voi_lut=None,
        units="HU",
        left_out=(),
    )
    scene.set_volume(phantom)
    scene.view_from("left")
    scene.renderer.GetActiveCamera().ParallelProjectionOn()
    scene.renderer.ResetCamera()

    rgb = _pixels(scene)

    drawn = np.abs(rgb.astype(int) - BACKGROUND).sum(axis=2) > 30
    drawn[-int(SIZE * 0.2) :, : int(SIZE * 0.2)] = False  # the marker
    rows_drawn = np.flatnonzero(drawn.any(axis=1))
    top, bottom = rows_drawn.min(), rows_drawn.max()
    edges = []
    for row in (top + (bottom - top) // 3, top + 2 * (bottom - top) // 3):
        found = np.flatnonzero(drawn[row])
        edges.append((found.min(), found.max()))
    assert abs(edges[0][0] - edges[1][0]) <= 1
    assert abs(edges[0][1] - edges[1][1]) <= 1
