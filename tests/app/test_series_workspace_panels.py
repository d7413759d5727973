"""The side panels of the series workspace: label palette and ROI list."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.series_workspace import measurements_text
from storage.labels import Label, LabelSet
from widgets.label_palette import LabelPalette
from widgets.roi_panel import RoiPanel, RoiRow

LABELS = LabelSet(
    "image",
    3,
    (
        Label("nodule", "#ff5a36", "1", "Lung nodule"),
        Label("vessel", "#3aa0ff", "2"),
        Label("note", "#f2d24b", ""),
    ),
)


def test_palette_picks_by_key_and_click(qtbot: QtBot) -> None:
    palette = LabelPalette()
    qtbot.addWidget(palette)
    palette.set_label_set(LABELS)
    assert palette.active_label() == LABELS.labels[0]
    with qtbot.waitSignal(palette.label_chosen) as chosen:
        assert palette.choose_key("2")
    assert chosen.args == ["vessel"]
    assert not palette.choose_key("9")
    assert palette.colours() == {
        "nodule": "#ff5a36",
        "vessel": "#3aa0ff",
        "note": "#f2d24b",
    }
    with pytest.raises(ValueError, match="'tumour' is not in version 3"):
        palette.set_active_label("tumour")


def test_palette_without_labels_says_so(qtbot: QtBot) -> None:
    palette = LabelPalette()
    qtbot.addWidget(palette)
    palette.show()
    assert palette.active_label() is None
    assert palette._empty.isVisible()
    assert palette._empty.text().startswith("No labels defined yet.")


def test_roi_panel_orders_by_slice_and_announces_choice(qtbot: QtBot) -> None:
    panel = RoiPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 300)
    panel.show()
    panel.set_rows(
        [
            RoiRow("b", "vessel", "#3aa0ff", 40, "ruler", "12.50 mm"),
            RoiRow("a", "nodule", "#ff5a36", 9, "ellipse", "30.1 mm²"),
        ]
    )
    assert panel.rows_text() == [
        ["nodule", "10", "Ellipse", "30.1 mm²"],
        ["vessel", "41", "Ruler", "12.50 mm"],
    ]
    panel.select("b")
    assert panel.selected_key() == "b"
    with qtbot.waitSignal(panel.roi_activated) as activated:
        tree = panel._tree
        item = tree.topLevelItem(0)
        assert item is not None
        rect = tree.visualItemRect(item)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == ["a"]


def test_measurements_text_with_units() -> None:
    stats = {
        "area_mm2": 120.0,
        "mean": -800.25,
        "sd": 12.0,
        "minimum": -1000.0,
        "maximum": -700.0,
        "pixel_count": 590,
        "units": "HU",
    }
    area = {"kind": "ellipse", "statistics": stats, "length_mm": None}
    assert measurements_text(area) == (
        "120.0 mm², mean -800.2 HU, SD 12.0, min -1000.0, max -700.0"
    )
    ruler = {"kind": "ruler", "statistics": None, "length_mm": 90.234375}
    assert measurements_text(ruler) == "90.23 mm"
    point = {
        "kind": "point",
        "statistics": None,
        "length_mm": None,
        "points_patient_mm": [[1.0, -2.5, 30.25]],
    }
    assert measurements_text(point) == "x 1.0 y -2.5 z 30.2 mm"
