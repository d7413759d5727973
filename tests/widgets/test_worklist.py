"""The worklist shows items with their statuses, filters them and opens them."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from storage.records import Revision
from widgets.worklist import WorklistPanel

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _item(
    number: int, kind: str, title: str, status: str, assignee: str = ""
) -> Revision:
    return Revision(
        revision_id=f"rev-{number}",
        record_id=f"item-{number}",
        record_type="item",
        item_id=f"item-{number}",
        supersedes=None,
        author="rad1",
        workstation_id="ws",
        created_at="2026-12-03T17:40:00.000000+00:00",
        reason=None,
        is_deleted=False,
        body={
            "kind": kind,
            "title": title,
            "status": status,
            "assignee": assignee or None,
            "due": "2026-12-10" if number == 2 else None,
            "source": {},
        },
    )


ITEMS = [
    _item(1, "series", "Chest CT 1 mm", "not_started", "rad1"),
    _item(2, "document", "AE form 0042", "in_progress", "coder7"),
    _item(3, "pair", "Dosing answer pair 3", "submitted"),
    _item(4, "series", "Head CT tilted", "in_progress", "rad1"),
]


def _panel(qtbot) -> WorklistPanel:
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.set_items(ITEMS)
    panel.show()
    return panel


def test_shows_items_with_statuses(qtbot) -> None:
    panel = _panel(qtbot)

    assert panel.visible_items() == [
        ("Series", "Chest CT 1 mm", "Not started", "rad1", ""),
        ("Document", "AE form 0042", "In progress", "coder7", "2026-12-10"),
        ("Pair", "Dosing answer pair 3", "Submitted", "", ""),
        ("Series", "Head CT tilted", "In progress", "rad1", ""),
    ]


def test_status_filter_and_text_filter(qtbot) -> None:
    panel = _panel(qtbot)

    panel.set_status_filter("in_progress")
    assert [row[1] for row in panel.visible_items()] == [
        "AE form 0042",
        "Head CT tilted",
    ]

    qtbot.keyClicks(panel.filter_edit, "head")
    assert [row[1] for row in panel.visible_items()] == ["Head CT tilted"]

    panel.set_status_filter("")
    panel.filter_edit.setText("RAD1")
    assert [row[1] for row in panel.visible_items()] == [
        "Chest CT 1 mm",
        "Head CT tilted",
    ]

    panel.filter_edit.clear()
    panel.set_status_filter("approved")
    assert panel.visible_items() == []


def test_double_click_and_enter_open_the_item(qtbot) -> None:
    panel = _panel(qtbot)
    opened: list[str] = []
    panel.itemOpened.connect(opened.append)

    assert panel.select_item("item-3")
    rect = panel.view.visualRect(panel.view.currentIndex())
    # A real double-click is a click then a double-click event on the same row.
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    qtbot.mouseDClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert opened == ["item-3"]

    panel.view.setFocus()
    assert panel.move_selection(1) == "item-4"
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert opened == ["item-3", "item-4"]


def test_refresh_keeps_selection(qtbot) -> None:
    panel = _panel(qtbot)
    panel.select_item("item-2")

    panel.set_items(ITEMS[1:])

    assert panel.current_item_id() == "item-2"
    assert len(panel.visible_items()) == 3
