"""The slice view with a real CT series: scrolling, window/level, overlay, drawing."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume
from viewers.roi_items import RoiShape
from viewers.slice_view import SliceView, orientation_letters


@pytest.fixture(scope="module")
def ct_volume(dicom_data: Path) -> Volume:
    """The 28-slice Philips CT phantom at 5 mm."""
    result = scan(dicom_data / "ct_philips_5mm_28")
    return load_volume(result.series[0])


@pytest.fixture
def view(qtbot: QtBot, ct_volume: Volume) -> SliceView:
    widget = SliceView()
    qtbot.addWidget(widget)
    widget.resize(800, 700)
    widget.show()
    widget.set_volume(ct_volume)
    return widget


def at(view: SliceView, column: float, row: float) -> QPoint:
    """The viewport position of an image pixel, through the view's transform."""
    return view.image_to_widget(column, row).toPoint()


def test_opens_at_middle_slice_with_file_window(view: SliceView) -> None:
    assert view.slice_index() == 14
    assert view.window_level() == (40.0, 80.0)
    overlay = view.overlay_text()
    assert overlay["top_left"][0] == "Slice 15/28"
    assert overlay["top_right"] == ["W 80 L 40", "Brain"]


def test_wheel_keys_and_slider_scroll(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    qtbot.keyClick(viewport, Qt.Key.Key_Down)
    assert view.slice_index() == 15
    qtbot.keyClick(viewport, Qt.Key.Key_PageUp)
    assert view.slice_index() == 5
    qtbot.keyClick(viewport, Qt.Key.Key_Home)
    assert view.slice_index() == 0
    qtbot.keyClick(viewport, Qt.Key.Key_End)
    assert view.slice_index() == 27
    assert view.slider().value() == 27
    view.slider().setValue(3)
    assert view.slice_index() == 3
    assert view.overlay_text()["top_left"][0] == "Slice 4/28"


def test_overlay_shows_hu_of_air_under_cursor(qtbot: QtBot, view: SliceView) -> None:
    qtbot.mouseMove(view.viewport(), at(view, 5, 5))
    value, (x, y, z) = view.cursor_value() or (None, (0.0, 0.0, 0.0))
    assert value is not None
    assert -1024 <= value <= -950
    lines = view.overlay_text()["bottom_left"]
    assert lines[0] == f"{int(value)} HU"
    expected = view.volume().image_to_patient(14, 5.0, 5.0)  # type: ignore[union-attr]
    assert (x, y, z) == expected
    assert lines[1] == f"x {x:.1f} y {y:.1f} z {z:.1f} mm"


def test_right_drag_changes_window(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    start = QPoint(400, 350)
    qtbot.mousePress(viewport, Qt.MouseButton.RightButton, pos=start)
    qtbot.mouseMove(viewport, QPoint(464, 382))
    qtbot.mouseRelease(viewport, Qt.MouseButton.RightButton, pos=QPoint(464, 382))
    # 64 px right widens and 32 px down raises the centre by 80/256 per pixel.
    assert view.window_level() == (40.0 + 32 * 80 / 256, 80.0 + 64 * 80 / 256)


def test_lung_preset_and_orientation_letters(view: SliceView) -> None:
    view.apply_preset("lung")
    assert view.window_level() == (-600.0, 1500.0)
    assert view.overlay_text()["top_right"] == ["W 1500 L -600", "Lung"]
    assert orientation_letters((1.0, 0.0, 0.0)) == "L"
    assert orientation_letters((-1.0, 0.0, 0.0)) == "R"
    assert orientation_letters((0.0, -1.0, 0.0)) == "A"
    assert orientation_letters((0.0, 0.0, -1.0)) == "F"
    assert orientation_letters((0.8, 0.0, -0.6)) == "LF"


def test_square_pixels_keep_aspect_and_map_back(view: SliceView) -> None:
    transform = view.transform()
    assert transform.m11() == transform.m22()
    column, row = view.widget_to_image(view.image_to_widget(100.0, 300.0))
    assert (round(column, 9), round(row, 9)) == (100.0, 300.0)


def test_monochrome1_is_inverted_after_window(qtbot: QtBot, ct_volume: Volume) -> None:
    plain, inverted = SliceView(), SliceView()
    for widget, volume in (
        (plain, ct_volume),
        (inverted, dataclasses.replace(ct_volume, photometric="MONOCHROME1")),
    ):
        qtbot.addWidget(widget)
        widget.resize(300, 300)
        widget.set_volume(volume)
    a = plain._slice_image().constBits()
    b = inverted._slice_image().constBits()
    grey = np.frombuffer(a, dtype=np.uint8)
    assert np.array_equal(np.frombuffer(b, dtype=np.uint8), 255 - grey)


def test_rectangle_drag_reports_pixel_centres(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    qtbot.keyClick(viewport, Qt.Key.Key_R)
    assert view.tool() == "rectangle"
    with qtbot.waitSignal(view.roi_drawn) as drawn:
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, 120, 130))
        qtbot.mouseMove(viewport, at(view, 200, 180))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, 200, 180))
    assert drawn.args == ["rectangle", 14, [[120.0, 130.0], [200.0, 180.0]]]


def test_polygon_closes_with_enter(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    view.set_tool("polygon")
    vertices = [(100, 100), (200, 100), (150, 200)]
    with qtbot.waitSignal(view.roi_drawn) as drawn:
        for column, row in vertices:
            position = at(view, column, row)
            qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=position)
            qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=position)
        qtbot.keyClick(viewport, Qt.Key.Key_Return)
    assert drawn.args[0] == "polygon"
    assert drawn.args[2] == [[100.0, 100.0], [200.0, 100.0], [150.0, 200.0]]


def test_select_move_and_delete(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    view.set_rois([RoiShape("k1", "rectangle", "lesion", 14, ((100, 100), (200, 160)))])
    with qtbot.waitSignal(view.roi_selected):
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=at(view, 150, 130))
    assert view.selected_roi() == "k1"
    with qtbot.waitSignal(view.roi_edited) as edited:
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, 150, 130))
        qtbot.mouseMove(viewport, at(view, 160, 140))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, 160, 140))
    assert edited.args == ["k1", [[110.0, 110.0], [210.0, 170.0]]]
    # Dragging the bottom-right handle edits one corner only.
    with qtbot.waitSignal(view.roi_edited) as edited:
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, 210, 170))
        qtbot.mouseMove(viewport, at(view, 230, 190))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, 230, 190))
    assert edited.args == ["k1", [[110.0, 110.0], [230.0, 190.0]]]
    with qtbot.waitSignal(view.roi_delete_requested) as deleted:
        qtbot.keyClick(viewport, Qt.Key.Key_Delete)
    assert deleted.args == ["k1"]


def test_label_keys_zoom_and_pan(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    with qtbot.waitSignal(view.label_key_pressed) as pressed:
        qtbot.keyClick(viewport, Qt.Key.Key_2)
    assert pressed.args == ["2"]
    zoom = view.zoom()
    qtbot.keyClick(viewport, Qt.Key.Key_Plus)
    assert view.zoom() == pytest.approx(zoom * 1.25)
    before = view.image_to_widget(256, 256)
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(300, 300))
    qtbot.mouseMove(viewport, QPoint(340, 320))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(340, 320))
    assert view.image_to_widget(256, 256) == before + QPointF(40, 20)


def test_uneven_tilted_series_is_reported_and_padding_named(
    qtbot: QtBot, dicom_data: Path
) -> None:
    volume = load_volume(scan(dicom_data / "ct_ge_tilt_uneven_28").series[0])
    widget = SliceView()
    qtbot.addWidget(widget)
    widget.resize(600, 600)
    widget.show()
    widget.set_volume(volume)
    top_left = widget.overlay_text()["top_left"]
    assert top_left[2:] == ["Uneven spacing 1.08-7.00 mm", "Tilt -18.5°"]
    qtbot.mouseMove(widget.viewport(), at(widget, 0, 0))
    assert widget.overlay_text()["bottom_left"][0] == "padding"


def test_polygon_closes_with_double_click(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    qtbot.keyClick(viewport, Qt.Key.Key_G)
    with qtbot.waitSignal(view.roi_drawn) as drawn:
        for column, row in ((300, 300), (340, 300)):
            position = at(view, column, row)
            qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=position)
            qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=position)
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=at(view, 320, 350))
    assert drawn.args[2] == [[300.0, 300.0], [340.0, 300.0], [320.0, 350.0]]


def test_radiograph_without_spacing_or_position(qtbot: QtBot) -> None:
    from pydicom.data import get_testdata_file

    found = get_testdata_file("RG1_UNCI.dcm")
    if found is None:
        pytest.skip("pydicom-data's RG1_UNCI.dcm is not installed")
    volume = load_volume(scan(Path(str(found))).series[0])
    widget = SliceView()
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    widget.show()
    widget.set_volume(volume)
    assert volume.photometric == "MONOCHROME1"
    # No "0.00 mm" line: without ImagePositionPatient there is no position.
    assert widget.overlay_text()["top_left"][1:] == [
        "No patient position in the files",
        "Pixel spacing unknown: no mm",
    ]
    transform = widget.transform()
    assert transform.m11() == transform.m22()
    # At this zoom a screen pixel covers several: read back which one it is.
    qtbot.mouseMove(widget.viewport(), at(widget, 900, 1000))
    column, row = widget.widget_to_image(at(widget, 900, 1000).toPointF())
    value = int(volume.pixels[0, round(row), round(column)])
    assert widget.overlay_text()["bottom_left"] == [str(value)]


def test_space_drag_pans_without_drawing(qtbot: QtBot, view: SliceView) -> None:
    viewport = view.viewport()
    view.set_tool("rectangle")
    before = view.image_to_widget(100, 100)
    qtbot.keyPress(viewport, Qt.Key.Key_Space)
    with qtbot.assertNotEmitted(view.roi_drawn):
        qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
        qtbot.mouseMove(viewport, QPoint(170, 230))
        qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(170, 230))
    qtbot.keyRelease(viewport, Qt.Key.Key_Space)
    assert view.image_to_widget(100, 100) == before + QPointF(-30, 30)
