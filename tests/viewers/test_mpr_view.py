"""The MPR layout: true-aspect reformats, edge letters, linked crosshair, window."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from viewers.imaging.reslice import reslice
from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume
from viewers.mpr_view import PLANE_COLOURS, MprView, PlaneView
from viewers.roi_items import RoiShape

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ct_5mm(dicom_data: Path) -> Volume:
    """The Philips skull phantom, 28 axial slices at 5 mm, 0.451 mm pixels."""
    return load_volume(scan(dicom_data / "ct_philips_5mm_28").series[0])


@pytest.fixture
def mpr(qtbot: QtBot, ct_5mm: Volume) -> MprView:
    view = MprView(show_3d=False)
    qtbot.addWidget(view)
    view.resize(900, 800)
    view.show()
    view.set_volume(ct_5mm, (40.0, 400.0))
    return view


def _click(qtbot: QtBot, plane: PlaneView, column: float, row: float) -> None:
    where = plane.image_to_widget(column, row).toPoint()
    qtbot.mouseClick(plane, Qt.MouseButton.LeftButton, pos=where)


def test_opens_at_the_volume_centre_with_true_aspect(
    mpr: MprView, ct_5mm: Volume
) -> None:
    centre = ct_5mm.image_to_patient(13.5, 255.5, 255.5)
    assert mpr.crosshair_mm() == pytest.approx(centre)
    axial = mpr.planes["axial"].reslice()
    coronal = mpr.planes["coronal"].reslice()
    assert axial is not None
    assert coronal is not None
    assert axial.pixels.shape == (512, 512)
    # 27 gaps of 5 mm down a coronal image of 0.451171875 mm pixels.
    assert coronal.pixels.shape == (int(135 / 0.451171875) + 1, 512)
    assert coronal.pixel_spacing_mm == (0.451171875, 0.451171875)

    # On screen a mm is as long across as down.
    plane = mpr.planes["coronal"]
    top_left = plane.image_to_widget(0, 0)
    bottom_right = plane.image_to_widget(511, 299)
    across_mm = 511 * 0.451171875
    down_mm = 299 * 0.451171875
    assert (bottom_right.x() - top_left.x()) / across_mm == pytest.approx(
        (bottom_right.y() - top_left.y()) / down_mm
    )


def test_edge_letters_follow_radiology_convention(mpr: MprView) -> None:
    letters = {name: view.edge_letters() for name, view in mpr.planes.items()}

    assert letters["axial"] == {"left": "R", "right": "L", "top": "A", "bottom": "P"}
    assert letters["coronal"] == {"left": "R", "right": "L", "top": "H", "bottom": "F"}
    assert letters["sagittal"] == {"left": "A", "right": "P", "top": "H", "bottom": "F"}
    assert mpr.planes["axial"].overlay_text()["top_left"][0] == "Axial"


def test_click_in_axial_moves_coronal_and_sagittal(qtbot: QtBot, mpr: MprView) -> None:
    axial = mpr.planes["axial"]
    image = axial.reslice()
    assert image is not None
    before_z = mpr.crosshair_mm()[2]
    with qtbot.waitSignal(mpr.crosshair_changed) as moved:
        _click(qtbot, axial, 100.0, 300.0)

    x, y, z = moved.args
    # Within one screen pixel of the aimed pixel centre.
    tolerance = 1.0 / axial.scale()
    expected = image.image_to_patient(100.0, 300.0)
    assert x == pytest.approx(expected[0], abs=tolerance)
    assert y == pytest.approx(expected[1], abs=tolerance)
    assert z == pytest.approx(before_z)
    sagittal = mpr.planes["sagittal"].reslice()
    coronal = mpr.planes["coronal"].reslice()
    assert sagittal is not None
    assert coronal is not None
    assert sagittal.origin_mm[0] == pytest.approx(x)
    assert coronal.origin_mm[1] == pytest.approx(y)
    assert axial.reslice() is image  # its own position did not change


def test_drag_draws_nearest_then_linear_on_release(
    qtbot: QtBot, mpr: MprView, ct_5mm: Volume
) -> None:
    axial = mpr.planes["axial"]
    start = axial.image_to_widget(200.0, 200.0).toPoint()
    end = axial.image_to_widget(260.0, 230.0).toPoint()
    qtbot.mousePress(axial, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(axial, end)

    y = mpr.crosshair_mm()[1]
    dragged = mpr.planes["coronal"].reslice()
    assert dragged is not None
    nearest = reslice(ct_5mm, "coronal", y, order=0).pixels
    np.testing.assert_array_equal(dragged.pixels, nearest)

    qtbot.mouseRelease(axial, Qt.MouseButton.LeftButton, pos=end)

    released = mpr.planes["coronal"].reslice()
    assert released is not None
    linear = reslice(ct_5mm, "coronal", y, order=1).pixels
    np.testing.assert_array_equal(released.pixels, linear)


def test_overlay_shows_the_value_and_position_under_the_mouse(
    qtbot: QtBot, mpr: MprView
) -> None:
    axial = mpr.planes["axial"]
    image = axial.reslice()
    assert image is not None
    where = axial.image_to_widget(100.0, 300.0).toPoint()
    column, row = (round(v) for v in axial.widget_to_image(where.toPointF()))

    qtbot.mouseMove(axial, where)

    value = round(float(image.pixels[row, column]), 1)
    x, y, z = image.image_to_patient(column, row)
    assert axial.overlay_text()["bottom_left"] == [
        f"{int(value)} HU" if value.is_integer() else f"{value:.1f} HU",
        f"x {x:.1f} y {y:.1f} z {z:.1f} mm",
    ]


def test_crosshair_lines_take_the_other_planes_colours(
    qtbot: QtBot, mpr: MprView
) -> None:
    axial = mpr.planes["axial"]
    point = axial.crosshair_widget()
    assert point is not None

    picture = axial.grab().toImage()

    # The sagittal plane crosses the axial as a vertical line, the coronal
    # as a horizontal one; look 40 pixels away from the centre along each.
    column = round(point.x() - 0.5)
    row = round(point.y() - 0.5)
    vertical = {
        picture.pixelColor(c, row - 40).name() for c in (column - 1, column, column + 1)
    }
    horizontal = {
        picture.pixelColor(column - 40, r).name() for r in (row - 1, row, row + 1)
    }
    assert PLANE_COLOURS["sagittal"] in vertical
    assert PLANE_COLOURS["coronal"] in horizontal


def test_wheel_steps_the_axial_plane_by_the_slice_spacing(
    qtbot: QtBot, mpr: MprView
) -> None:
    before = mpr.crosshair_mm()
    mpr.step_plane("axial", 2)

    after = mpr.crosshair_mm()
    assert after[2] == pytest.approx(before[2] + 10.0)
    axial = mpr.planes["axial"].reslice()
    assert axial is not None
    assert axial.origin_mm[2] == pytest.approx(after[2])
    # The crosshair stays inside the volume.
    mpr.step_plane("axial", 100)
    assert mpr.crosshair_mm()[2] == pytest.approx(
        max(s.position_mm[2] for s in mpr.volume().series.slices)  # type: ignore[union-attr]
    )


def test_window_is_shared_and_right_drag_changes_it(qtbot: QtBot, mpr: MprView) -> None:
    mpr.set_window_level(400.0, 1800.0)
    assert mpr.planes["sagittal"].overlay_text()["top_right"] == ["W 1800 L 400"]

    plane = mpr.planes["coronal"]
    qtbot.mousePress(plane, Qt.MouseButton.RightButton, pos=QPoint(100, 100))
    with qtbot.waitSignal(mpr.window_changed) as changed:
        qtbot.mouseMove(plane, QPoint(110, 90))
    qtbot.mouseRelease(plane, Qt.MouseButton.RightButton, pos=QPoint(110, 90))
    assert changed.args == [420.0, 1820.0]
    assert mpr.planes["axial"].overlay_text()["top_right"] == ["W 1820 L 420"]


def test_rois_show_in_the_plane_through_their_slice(
    mpr: MprView, ct_5mm: Volume
) -> None:
    box = RoiShape("r", "rectangle", "nodule", 14, ((100.0, 50.0), (300.0, 250.0)))
    mpr.set_rois([box], {"nodule": "#ff5a36"})
    corner = ct_5mm.image_to_patient(14, 100.0, 50.0)
    mpr.set_crosshair_mm(*corner)

    axial = mpr.planes["axial"]
    shown = axial.visible_rois()
    assert [(len(points), colour) for points, colour, _ in shown] == [(5, "#ff5a36")]
    image = axial.reslice()
    assert image is not None
    column, row, distance = image.patient_to_image(corner)
    assert distance == pytest.approx(0.0, abs=1e-9)
    assert shown[0][0][0] == axial.image_to_widget(column, row)
    # Across the slice, and one slice (5 mm) away, the ROI is not drawn.
    assert mpr.planes["coronal"].visible_rois() == []
    mpr.step_plane("axial", 1)
    assert axial.visible_rois() == []


def test_without_a_screen_the_3d_cell_says_so(mpr: MprView) -> None:
    notes = [label.text() for label in mpr.findChildren(QLabel)]

    assert mpr.volume_view is None
    assert notes == ["The 3D view needs a screen (OpenGL)."]


_EMBEDDED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from viewers.imaging.series import scan
    from viewers.imaging.volume import load_volume
    from viewers.mpr_view import MprView
    volume = load_volume(scan(Path(sys.argv[1])).series[0])
    view = MprView()
    view.resize(800, 700)
    view.move(0, 0)
    view.show()
    view.set_volume(volume)
    for _ in range(20):
        app.processEvents()
    window = view.volume_view.vtk_widget().GetRenderWindow()
    window.Render()
    app.processEvents()
    cell = view.volume_view.vtk_widget()
    corner = cell.mapToGlobal(cell.rect().topLeft())
    shot = app.primaryScreen().grabWindow(0).toImage()
    middle = corner + cell.rect().center()
    centre = shot.pixelColor(middle.x(), middle.y())
    edge = shot.pixelColor(corner.x() + cell.width() - 3, corner.y() + 3)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    QTest.keyClick(cell, Qt.Key.Key_L)
    camera = view.volume_view.scene.renderer.GetActiveCamera()
    side = camera.GetPosition()[0] - camera.GetFocalPoint()[0]
    scene = view.volume_view.scene
    print(scene.preset_name, centre.name(), edge.name(), side > 0)
    view.close_view()
    """
)


@pytest.mark.display
def test_3d_view_renders_inside_qt_on_a_screen(dicom_data: Path) -> None:
    # VTK inside Qt needs the xcb platform, which this process (offscreen Qt)
    # cannot switch to: the embedded view runs in a child process.
    if not os.environ.get("DISPLAY"):
        reason = "this test needs an X display: run the suite under xvfb-run"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", _EMBEDDED, str(dicom_data / "ct_philips_5mm_28")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    preset, centre, edge, from_left = done.stdout.split()[-4:]
    assert preset == "bone"
    assert from_left == "True"  # the L key put the camera at the patient's left
    assert edge == "#0d0d12"  # the scene's background
    assert centre != "#0d0d12"  # the skull
