"""The series workspace's MPR toggle: the 2x2 layout linked to the slice view."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pydicom.data import get_testdata_file
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.item_views import ItemContext
from app.series_workspace import SeriesItemView, add_series_item
from app.tasks import TaskRunner
from storage.project import Project, create_project, open_project
from viewers.imaging.series import scan

PASSWORD = "correct horse battery staple"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder,
        name="CT reads",
        user_id="rad1",
        printed_name="Rad One",
        password=PASSWORD,
    )
    with open_project(folder, user_id="rad1", password=PASSWORD) as opened:
        yield opened


def _open(qtbot: QtBot, project: Project, source: Path) -> SeriesItemView:
    item = add_series_item(project, scan(source).series[0])
    opened = SeriesItemView(ItemContext(project, item, TaskRunner(), None))
    qtbot.addWidget(opened)
    opened.resize(900, 800)
    opened.show()
    qtbot.waitUntil(opened.is_loaded, timeout=60_000)
    return opened


@pytest.fixture
def view(qtbot: QtBot, project: Project, dicom_data: Path) -> SeriesItemView:
    return _open(qtbot, project, dicom_data / "ct_philips_5mm_28")


def test_mpr_action_is_a_keyed_toolbar_toggle(view: SeriesItemView) -> None:
    assert view.mpr_action in view.tool_actions()
    assert view.mpr_action.isCheckable()
    assert view.mpr_action.shortcut().toString() == "X"
    assert view.mpr_action.toolTip().endswith("(X)")


def test_toggle_swaps_the_centre_and_links_position_and_window(
    qtbot: QtBot, view: SeriesItemView
) -> None:
    slices = view.slice_view
    slices.set_slice_index(20)
    slices.set_window_level(400.0, 1800.0)
    volume = view.volume
    assert volume is not None

    view.mpr_action.trigger()

    mpr = view.mpr_view
    assert mpr is not None
    assert view._pages.currentWidget() is mpr
    assert mpr.window_level() == (400.0, 1800.0)
    assert mpr.crosshair_mm()[2] == pytest.approx(
        volume.image_to_patient(20, 255.5, 255.5)[2]
    )

    # A click in the coronal plane picks a height; back in the slice view
    # the slice nearest to it is shown.
    coronal = mpr.planes["coronal"]
    image = coronal.reslice()
    assert image is not None
    target = volume.image_to_patient(6, 0.0, 0.0)[2]
    row = (image.origin_mm[2] - target) / image.pixel_spacing_mm[0]
    qtbot.mouseClick(
        coronal,
        Qt.MouseButton.LeftButton,
        pos=coronal.image_to_widget(255.0, row).toPoint(),
    )
    slices.set_window_level(40.0, 80.0)
    assert mpr.window_level() == (40.0, 80.0)

    view.mpr_action.trigger()

    assert view._pages.currentWidget() is slices
    assert slices.slice_index() == 6


def test_single_image_without_position_stays_in_the_slice_view(
    qtbot: QtBot, project: Project
) -> None:
    # pydicom's vlut_04.dcm: one secondary capture, no position, no spacing.
    view = _open(qtbot, project, Path(get_testdata_file("vlut_04.dcm")))

    view.mpr_action.trigger()

    assert not view.mpr_action.isChecked()
    assert view.mpr_view is None
    assert view._pages.currentWidget() is view.slice_view
