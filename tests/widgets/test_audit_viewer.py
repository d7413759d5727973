"""The audit viewer filters the trail, shows a record's history, records reviews."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from storage.project import Project, create_project, open_project
from widgets.audit_viewer import (
    ACTION_CODE_COLUMN,
    AuditViewer,
    ValueLine,
    changed_keys,
    local_time_text,
    pretty_lines,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSWORD = "rad1's long password"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial",
        user_id="rad1",
        printed_name="Dr A. Reader",
        password=PASSWORD,
    )
    with open_project(folder, user_id="rad1", password=PASSWORD) as opened:
        yield opened


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _tip(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.toolTip()


@pytest.fixture
def in_tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run as a workstation in Japan (TZ=Asia/Tokyo), then restore the zone."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_record_history_shows_every_old_and_new_value(
    qtbot: QtBot,
    project: Project,
) -> None:
    roi = project.records.create("roi", {"label": "nodule"})
    project.records.revise(roi.record_id, {"label": "mass"}, reason="re-read")
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)

    viewer.show_record(roi.record_id)

    assert viewer.table.rowCount() == 2
    cells = [[_cell(viewer.table, r, c) for c in (4, 7, 8, 9)] for r in range(2)]
    assert cells == [
        ["Record created", "", '{"label":"nodule"}', ""],
        ["Record revised", '{"label":"nodule"}', '{"label":"mass"}', "re-read"],
    ]
    reviews = project.audit.entries(action="audit.review")
    assert [r.record_id for r in reviews] == [roi.record_id]


def test_filters_by_user_and_action_and_verifies(
    qtbot: QtBot, project: Project
) -> None:
    project.records.create("roi", {"label": "nodule"})
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)
    viewer.action_box.setCurrentIndex(viewer.action_box.findData("sign_in"))
    viewer.user_edit.setText("rad1")
    viewer.use_dates.setChecked(True)
    viewer.refresh()
    assert viewer.table.rowCount() == 1
    assert _cell(viewer.table, 0, 4) == "Signed in"
    assert _tip(viewer.table, 0, 4) == "sign_in"
    assert _cell(viewer.table, 0, 3) == "Dr A. Reader"
    viewer.verify()
    assert viewer.status.text().startswith("Chain OK:")


def test_actions_show_human_names_with_the_code_at_hand(
    qtbot: QtBot,
    project: Project,
) -> None:
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)

    viewer.refresh()

    names = [_cell(viewer.table, r, 4) for r in range(viewer.table.rowCount())]
    codes = [
        _cell(viewer.table, r, ACTION_CODE_COLUMN)
        for r in range(viewer.table.rowCount())
    ]
    assert names == [
        "Project created",
        "User added",
        "Signed in",
        "Signing key created",
    ]
    assert codes == ["project.create", "user.add", "sign_in", "signing_key.create"]
    assert _tip(viewer.table, 3, 4) == "signing_key.create"
    header = viewer.table.horizontalHeaderItem(ACTION_CODE_COLUMN)
    assert header is not None
    assert header.text() == "Action code"
    assert viewer.table.isColumnHidden(ACTION_CODE_COLUMN)
    box = viewer.action_box
    assert box.itemText(box.findData("signing_key.create")) == "Signing key created"
    assert viewer.action_name("alert.unknown_station") == "Alert: unknown_station"
    # A name typed and entered (Qt appends it without data) filters by its code.
    box.addItem("Signing key created")
    box.setCurrentIndex(box.count() - 1)
    assert viewer.current_filter().action == "signing_key.create"
    assert viewer.action_name("future.thing") == "future.thing"


def test_selected_entry_shows_full_values_with_changed_keys_marked(
    qtbot: QtBot,
    project: Project,
) -> None:
    old = {"label": "nodule", "slice_index": 10, "points": [[1, 2], [3, 4]]}
    roi = project.records.create("roi", old)
    project.records.revise(
        roi.record_id, {**old, "label": "mass", "note": "spiculated"}, reason="re-read"
    )
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)
    viewer.show_record(roi.record_id)

    viewer.table.selectRow(1)

    text = viewer.details.toPlainText()
    assert "Record revised" in text
    assert '"points": [\n    [\n      1,' in text
    assert '"note": "spiculated"' in text
    marked = viewer.details.palette().color(QPalette.ColorRole.Highlight).name()
    html = viewer.details.toHtml()
    # "label" on both sides, "note" (added) on the new side only.
    assert html.count(f"background-color:{marked}") == 3
    entry = viewer.entries[1]
    assert changed_keys(entry.old_value, entry.new_value) == {"label", "note"}
    # Stored bodies are canonical JSON (RFC 8785): keys in sorted order.
    assert pretty_lines(entry.new_value, frozenset({"label", "note"})) == [
        ValueLine("{", False),
        ValueLine('  "label": "mass",', True),
        ValueLine('  "note": "spiculated",', True),
        ValueLine('  "points": [', False),
        ValueLine("    [", False),
        ValueLine("      1,", False),
        ValueLine("      2", False),
        ValueLine("    ],", False),
        ValueLine("    [", False),
        ValueLine("      3,", False),
        ValueLine("      4", False),
        ValueLine("    ]", False),
        ValueLine("  ],", False),
        ValueLine('  "slice_index": 10', False),
        ValueLine("}", False),
    ]


def test_a_creation_marks_nothing_and_plain_text_stays_as_is() -> None:
    assert changed_keys(None, '{"label":"nodule"}') == frozenset()
    assert pretty_lines('{"label":"nodule"}', frozenset()) == [
        ValueLine("{", False),
        ValueLine('  "label": "nodule"', False),
        ValueLine("}", False),
    ]
    assert pretty_lines("not json", frozenset()) == [ValueLine("not json", False)]
    assert pretty_lines(None, frozenset()) == []


def test_times_show_in_full_with_the_local_zone(
    qtbot: QtBot,
    project: Project,
    in_tokyo: None,
) -> None:
    assert local_time_text("2026-12-03T09:20:05.123456+00:00") == (
        "2026-12-03 18:20:05 JST"
    )
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)
    viewer.show()

    viewer.refresh()

    shown = _cell(viewer.table, 0, 1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST", shown)
    assert shown == local_time_text(viewer.entries[0].at)
    needed = viewer.table.fontMetrics().horizontalAdvance(shown)
    assert viewer.table.columnWidth(1) > needed


def test_dates_read_as_iso_and_rows_are_numbered_once(
    qtbot: QtBot,
    project: Project,
) -> None:
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)

    assert viewer.since_edit.displayFormat() == "yyyy-MM-dd"
    assert viewer.until_edit.text() == QDate.currentDate().toString("yyyy-MM-dd")
    assert viewer.table.verticalHeader().isHidden()
    first = viewer.table.horizontalHeaderItem(0)
    assert first is not None
    assert first.text() == "Seq"


def test_action_names_and_columns_read_in_japanese(
    qtbot: QtBot, project: Project
) -> None:
    from app.i18n import install_translator

    assert install_translator("ja")
    try:
        viewer = AuditViewer(project)
        qtbot.addWidget(viewer)
        viewer.refresh()
        names = [_cell(viewer.table, r, 4) for r in range(viewer.table.rowCount())]
        header = viewer.table.horizontalHeaderItem(0)
    finally:
        install_translator("en")

    assert names == [
        "プロジェクトの作成",
        "ユーザーの追加",
        "サインイン",
        "署名鍵の作成",
    ]
    assert header is not None
    assert header.text() == "連番"
    assert _tip(viewer.table, 3, 4) == "signing_key.create"
