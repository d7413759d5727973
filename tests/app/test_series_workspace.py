"""The series workspace on a real encrypted project and real CT series."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.item_views import ItemContext, view_factory
from app.series_workspace import (
    SeriesFileChangedError,
    SeriesFileMissingError,
    SeriesItemView,
    add_series_item,
    check_series_files,
    import_series_folder,
)
from app.tasks import TaskRunner
from storage.items import list_items
from storage.labels import Label, save_label_set
from storage.project import Project, create_project, open_project
from storage.records import Revision
from viewers.imaging.series import scan

PASSWORD = "correct horse battery staple"
LABELS = [
    Label("nodule", "#ff5a36", "1", "Lung nodule"),
    Label("vessel", "#3aa0ff", "2", ""),
]


@pytest.fixture
def project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder,
        name="CT reads",
        user_id="rad1",
        printed_name="Rad One",
        password=PASSWORD,
    )
    with open_project(folder, user_id="rad1", password=PASSWORD) as project:
        save_label_set(project.records, "image", LABELS)
    return folder


@pytest.fixture
def project(project_folder: Path) -> Iterator[Project]:
    with open_project(project_folder, user_id="rad1", password=PASSWORD) as opened:
        yield opened


def open_view(qtbot: QtBot, project: Project, item: Revision) -> SeriesItemView:
    tasks = TaskRunner()
    factory = view_factory("series")
    assert factory is SeriesItemView
    view = factory(ItemContext(project, item, tasks, None))
    assert isinstance(view, SeriesItemView)
    qtbot.addWidget(view)
    view.resize(900, 800)
    view.show()
    qtbot.waitUntil(view.is_loaded, timeout=60_000)
    return view


def at(view: SeriesItemView, column: float, row: float) -> QPoint:
    """The viewport position of an image pixel, through the view's transform."""
    return view.slice_view.image_to_widget(column, row).toPoint()


def click(qtbot: QtBot, view: SeriesItemView, column: float, row: float) -> None:
    viewport = view.slice_view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, column, row))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, column, row))


def drag(
    qtbot: QtBot, view: SeriesItemView, start: tuple[int, int], end: tuple[int, int]
) -> None:
    viewport = view.slice_view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(view, *start))
    qtbot.mouseMove(viewport, at(view, (start[0] + end[0]) // 2, end[1]))
    qtbot.mouseMove(viewport, at(view, *end))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(view, *end))


def test_series_item_references_files_by_hash(
    project: Project, dicom_data: Path
) -> None:
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    item = add_series_item(project, series)
    source = item.body["source"]
    assert item.body["kind"] == "series"
    assert item.body["status"] == "not_started"
    assert item.body["title"].endswith("28 slices")
    assert len(source["files"]) == 28
    first = source["files"][0]
    assert set(first) == {"path", "sop_instance_uid", "frame", "sha256"}
    assert re.fullmatch("[0-9a-f]{64}", first["sha256"])
    assert first["sop_instance_uid"] == series.slices[0].sop_instance_uid
    assert "pixels" not in str(source).lower()
    assert check_series_files(item) == []


def test_moved_or_changed_files_are_named(
    project: Project, dicom_data: Path, tmp_path: Path
) -> None:
    # A copy to change: the shared data itself stays untouched.
    folder = tmp_path / "series"
    shutil.copytree(dicom_data / "ct_philips_5mm_28", folder)
    item = add_series_item(project, scan(folder).series[0])
    files = [Path(entry["path"]) for entry in item.body["source"]["files"]]
    files[3].unlink()
    with files[7].open("r+b") as stream:
        stream.seek(-1, os.SEEK_END)
        last = stream.read(1)
        stream.seek(-1, os.SEEK_END)
        stream.write(bytes([last[0] ^ 0xFF]))

    problems = check_series_files(item)

    assert [type(p) for p in problems] == [
        SeriesFileMissingError,
        SeriesFileChangedError,
    ]
    assert problems[0].path == str(files[3])
    assert problems[1].path == str(files[7])
    assert str(problems[1]).startswith(
        f"The file {files[7]} of this series has changed"
    )


def test_import_folder_adds_one_item_per_series(
    qtbot: QtBot, project: Project, dicom_data: Path, tmp_path: Path
) -> None:
    tasks = TaskRunner()
    found: list[list[Revision]] = []
    context = ItemContext(project, None, tasks, None)  # type: ignore[arg-type]
    import_series_folder(
        context, dicom_data / "ct_philips_5mm_28", on_done=found.append
    )
    qtbot.waitUntil(lambda: bool(found), timeout=60_000)
    assert len(found[0]) == 1
    assert [i.record_id for i in list_items(project.records, "series")] == [
        found[0][0].record_id
    ]
    # A second import of the same folder adds nothing.
    import_series_folder(
        context, dicom_data / "ct_philips_5mm_28", on_done=found.append
    )
    qtbot.waitUntil(lambda: len(found) == 2, timeout=60_000)
    assert found[1] == []


def test_acceptance_rois_survive_restart(
    qtbot: QtBot, project_folder: Path, dicom_data: Path, tmp_path: Path
) -> None:
    project = open_project(project_folder, user_id="rad1", password=PASSWORD)
    series = scan(dicom_data / "ct_philips_1mm_140").series[0]
    item = add_series_item(project, series)
    view = open_view(qtbot, project, item)
    slice_view = view.slice_view
    viewport = slice_view.viewport()

    # Slice 70 of 140 (one up from the middle), lung window.
    qtbot.keyClick(viewport, Qt.Key.Key_Up)
    assert slice_view.overlay_text()["top_left"][0] == "Slice 70/140"
    lung = next(a for a in view.window_action.menu().actions() if a.text() == "Lung")
    lung.trigger()
    assert slice_view.window_level() == (-600.0, 1500.0)

    # A polygon by clicks closed with Enter, then a ruler by a drag.
    view.tool_actions_by_name["polygon"].trigger()
    for column, row in ((150, 200), (250, 190), (260, 300), (160, 310)):
        click(qtbot, view, column, row)
    qtbot.keyClick(viewport, Qt.Key.Key_Return)
    qtbot.keyClick(viewport, Qt.Key.Key_2)
    qtbot.keyClick(viewport, Qt.Key.Key_M)
    assert slice_view.tool() == "ruler"
    drag(qtbot, view, (100, 100), (300, 100))

    saved = {r.body["kind"]: r for r in view.roi_revisions()}
    assert set(saved) == {"polygon", "ruler"}
    ruler = saved["ruler"].body
    assert ruler["length_mm"] == 90.234375
    assert ruler["points_image"] == [[100.0, 100.0], [300.0, 100.0]]
    assert ruler["label"] == "vessel"
    assert ruler["slice_index"] == 69
    assert ruler["sop_instance_uid"] == series.slices[69].sop_instance_uid
    assert ruler["points_patient_mm"][0] == list(
        view.volume.image_to_patient(69, 100.0, 100.0)  # type: ignore[union-attr]
    )
    polygon = saved["polygon"].body
    assert polygon["label"] == "nodule"
    assert polygon["label_set_version"] == 1
    assert polygon["points_image"] == [[150, 200], [250, 190], [260, 300], [160, 310]]
    assert polygon["statistics"]["units"] == "HU"
    assert polygon["statistics"]["area_mm2"] > 0
    assert polygon["length_mm"] is None
    assert project.records.head(item.record_id).body["status"] == "in_progress"
    panel = view.roi_panel.rows_text()
    assert ["vessel", "70", "Ruler", "90.23 mm"] in panel

    bodies = {kind: revision.body for kind, revision in saved.items()}
    view.close_item()
    project.close()

    reopened = open_project(project_folder, user_id="rad1", password=PASSWORD)
    try:
        again = open_view(qtbot, reopened, reopened.records.head(item.record_id))
        assert {r.body["kind"]: r.body for r in again.roi_revisions()} == bodies
        shapes = {s.kind: s for s in again.slice_view.rois()}
        assert shapes["ruler"].points == ((100.0, 100.0), (300.0, 100.0))
        assert shapes["ruler"].caption == "90.23 mm"
        # Choosing the ruler in the panel jumps to its slice.
        again.slice_view.set_slice_index(0)
        again.roi_panel.roi_activated.emit(saved["ruler"].record_id)
        assert again.slice_view.slice_index() == 69
        again.close_item()
    finally:
        reopened.close()


def test_undo_redo_and_delete_write_revisions(
    qtbot: QtBot, project: Project, dicom_data: Path
) -> None:
    item = add_series_item(project, scan(dicom_data / "ct_philips_5mm_28").series[0])
    view = open_view(qtbot, project, item)
    viewport = view.slice_view.viewport()
    qtbot.keyClick(viewport, Qt.Key.Key_R)
    drag(qtbot, view, (200, 200), (260, 240))
    (created,) = view.roi_revisions()
    record_id = created.record_id
    assert created.body["statistics"]["area_mm2"] == 61 * 41 * 0.451171875**2

    qtbot.keyClick(viewport, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.roi_revisions() == []
    assert view.slice_view.rois() == []
    undone = project.records.head(record_id)
    assert undone.is_deleted
    assert undone.reason == "undo"

    qtbot.keyClick(viewport, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    (redone,) = view.roi_revisions()
    assert redone.record_id == record_id
    assert redone.body == created.body
    assert len(project.records.history(record_id)) == 3

    view.slice_view.select_roi(record_id)
    qtbot.keyClick(viewport, Qt.Key.Key_Delete)
    deleted = project.records.head(record_id)
    assert deleted.is_deleted
    assert deleted.body == created.body
    assert view.roi_panel.rows_text() == []
    view.close_item()


def test_delete_after_submit_asks_a_reason(
    qtbot: QtBot, project: Project, dicom_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.items import set_item_status

    item = add_series_item(project, scan(dicom_data / "ct_philips_5mm_28").series[0])
    view = open_view(qtbot, project, item)
    view.slice_view.set_tool("point")
    click(qtbot, view, 256, 256)
    (roi,) = view.roi_revisions()
    set_item_status(project.records, item.record_id, "submitted")

    monkeypatch.setattr(view, "ask_reason", lambda: None)
    view.delete_roi(roi.record_id)
    assert not project.records.head(roi.record_id).is_deleted

    monkeypatch.setattr(view, "ask_reason", lambda: "drawn on the wrong slice")
    view.delete_roi(roi.record_id)
    head = project.records.head(roi.record_id)
    assert head.is_deleted
    assert head.reason == "drawn on the wrong slice"
    view.close_item()


def test_opening_a_moved_series_names_the_file(
    qtbot: QtBot,
    project: Project,
    dicom_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import app.series_workspace as workspace

    shown: list[BaseException] = []
    monkeypatch.setattr(
        workspace, "show_error", lambda parent, error: shown.append(error)
    )
    folder = tmp_path / "series"
    shutil.copytree(dicom_data / "ct_philips_5mm_28", folder)
    item = add_series_item(project, scan(folder).series[0])
    moved = Path(item.body["source"]["files"][0]["path"])
    moved.rename(tmp_path / "elsewhere")

    view = SeriesItemView(ItemContext(project, item, TaskRunner(), None))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.load_error is not None, timeout=60_000)

    assert isinstance(view.load_error, SeriesFileMissingError)
    assert [type(e) for e in shown] == [SeriesFileMissingError]
    assert view.loading_text().startswith(
        f"The file {moved} of this series is missing (moved or deleted)."
    )
    assert not view.is_loaded()
    view.close_item()


def test_moving_an_roi_revises_it_and_undo_restores(
    qtbot: QtBot, project: Project, dicom_data: Path
) -> None:
    item = add_series_item(project, scan(dicom_data / "ct_philips_5mm_28").series[0])
    view = open_view(qtbot, project, item)
    viewport = view.slice_view.viewport()
    qtbot.keyClick(viewport, Qt.Key.Key_E)
    drag(qtbot, view, (100, 100), (140, 120))
    (drawn,) = view.roi_revisions()
    qtbot.keyClick(viewport, Qt.Key.Key_V)
    assert view.tool_actions_by_name["select"].isChecked()

    drag(qtbot, view, (120, 110), (220, 310))

    moved = project.records.head(drawn.record_id)
    assert moved.supersedes == drawn.revision_id
    assert moved.body["points_image"] == [[200.0, 300.0], [240.0, 320.0]]
    assert moved.body["points_patient_mm"][0] == list(
        view.volume.image_to_patient(14, 200.0, 300.0)  # type: ignore[union-attr]
    )
    assert moved.body["statistics"] != drawn.body["statistics"]
    assert view.roi_panel.rows_text()[0][:3] == ["nodule", "15", "Ellipse"]

    view.undo_stack.undo()
    restored = project.records.head(drawn.record_id)
    assert restored.body == drawn.body
    assert len(project.records.history(drawn.record_id)) == 3
    view.close_item()


def test_cancel_loading_then_try_again(
    qtbot: QtBot, project: Project, dicom_data: Path
) -> None:
    item = add_series_item(project, scan(dicom_data / "ct_philips_5mm_28").series[0])
    view = SeriesItemView(ItemContext(project, item, TaskRunner(), None))
    qtbot.addWidget(view)
    view.cancel_loading()
    qtbot.waitUntil(lambda: view.load_error is not None, timeout=60_000)
    assert view.loading_text() == "Loading was cancelled."
    assert not view.is_loaded()

    qtbot.mouseClick(view._retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.is_loaded, timeout=60_000)
    assert view.slice_view.slice_count() == 28
    view.close_item()


def test_label_key_relabels_the_selected_roi_in_select_mode(
    qtbot: QtBot, project: Project, dicom_data: Path
) -> None:
    item = add_series_item(project, scan(dicom_data / "ct_philips_5mm_28").series[0])
    view = open_view(qtbot, project, item)
    viewport = view.slice_view.viewport()
    qtbot.keyClick(viewport, Qt.Key.Key_R)
    drag(qtbot, view, (200, 200), (260, 240))
    (drawn,) = view.roi_revisions()
    # Still drawing: the key picks the next label and leaves the ROI alone.
    qtbot.keyClick(viewport, Qt.Key.Key_2)
    assert project.records.head(drawn.record_id).body["label"] == "nodule"

    qtbot.keyClick(viewport, Qt.Key.Key_V)
    click(qtbot, view, 230, 220)
    qtbot.keyClick(viewport, Qt.Key.Key_1)
    assert project.records.head(drawn.record_id).body["label"] == "nodule"
    qtbot.keyClick(viewport, Qt.Key.Key_2)
    relabelled = project.records.head(drawn.record_id)
    assert relabelled.body == {**drawn.body, "label": "vessel"}
    assert view.roi_panel.rows_text()[0][0] == "vessel"
    view.close_item()
