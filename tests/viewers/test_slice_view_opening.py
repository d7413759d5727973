"""Opening windows, preset words, position line and MPR warnings (demo review)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.data import get_testdata_file
from pytestqt.qtbot import QtBot

from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume
from viewers.mpr_view import MprView
from viewers.slice_view import SliceView, orientation_letters, preset_label
from widgets.roi_panel import RoiPanel, RoiRow


def _open(qtbot: QtBot, volume: Volume) -> SliceView:
    widget = SliceView()
    qtbot.addWidget(widget)
    widget.resize(500, 500)
    widget.show()
    widget.set_volume(volume)
    return widget


def _testdata(name: str) -> Path:
    found = get_testdata_file(name)
    if found is None:
        pytest.skip(f"pydicom-data's {name} is not installed")
    return Path(str(found))


def test_ct_without_file_window_opens_at_soft_tissue(qtbot: QtBot) -> None:
    volume = load_volume(scan(_testdata("CT_small.dcm")).series[0])
    assert volume.default_window is None

    view = _open(qtbot, volume)

    assert view.window_level() == (40.0, 400.0)
    assert view.overlay_text()["top_right"] == ["W 400 L 40", "Abdomen"]


def test_full_range_file_window_of_cr_gives_way_to_percentiles(
    qtbot: QtBot,
) -> None:
    volume = load_volume(scan(_testdata("RG1_UNCR.dcm")).series[0])
    assert volume.default_window == (15000.0, 30000.0)

    view = _open(qtbot, volume)

    # 1st and 99th percentile of a strided sample of the pixels.
    assert view.window_level() == (12473.5, 20635.0)
    assert view.overlay_text()["top_right"] == ["W 20635 L 12473.5"]
    assert [preset_label(n) for n in view.window_presets()] == ["File window 1"]
    assert view.overlay_text()["top_left"] == [
        "Slice 1/1",
        "No patient position in the files",
        "Pixel spacing unknown: no mm",
    ]


def test_built_in_presets_are_capitalised() -> None:
    assert [
        preset_label(n)
        for n in ("brain", "subdural", "lung", "mediastinum", "bone", "abdomen")
    ] == ["Brain", "Subdural", "Lung", "Mediastinum", "Bone", "Abdomen"]
    assert preset_label("WINDOW1 BRAIN") == "WINDOW1 BRAIN"


def test_mpr_shows_uneven_spacing_and_tilt(qtbot: QtBot, dicom_data: Path) -> None:
    volume = load_volume(scan(dicom_data / "ct_ge_tilt_uneven_28").series[0])
    view = MprView(show_3d=False)
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    view.set_volume(volume, (40.0, 80.0))

    notes = view.planes["axial"].overlay_text()["top_left"][2:]

    assert notes == ["Uneven spacing 1.08-7.00 mm", "Tilt -18.5°"]


def test_roi_panel_puts_each_statistic_on_its_own_line(qtbot: QtBot) -> None:
    panel = RoiPanel()
    qtbot.addWidget(panel)
    text = "713.2 mm², mean 40.1 HU, SD 12.0 HU, min -3 HU, max 90 HU"

    panel.set_rows([RoiRow("a", "nodule", "#ff5a36", 0, "ellipse", text)])

    assert panel.rows_text()[0][3].split("\n") == [
        "713.2 mm²",
        "mean 40.1 HU",
        "SD 12.0 HU",
        "min -3 HU",
        "max 90 HU",
    ]
    item = panel._tree.topLevelItem(0)
    assert item is not None
    assert item.toolTip(3) == text


def test_enhanced_ct_with_palette_says_it_is_not_shown(qtbot: QtBot) -> None:
    volume = load_volume(scan(_testdata("eCT_Supplemental.dcm")).series[0])
    assert volume.has_palette

    view = _open(qtbot, volume)

    assert view.overlay_text()["top_left"][-1] == "Colour palette in the file not shown"
    # The file's rows run towards the patient's right (-x): L is on the left.
    assert volume.series.orientation[:3] == (-1.0, 0.0, 0.0)
    assert orientation_letters([1.0, 0.0, 0.0]) == "L"
