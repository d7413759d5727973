"""Export DICOM SEG and SR from the series workspace on a real CT series."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.series_workspace import add_series_item
from storage.project import Project
from tests.app.test_series_workspace import (  # noqa: F401 -- fixtures
    drag,
    open_view,
    project,
    project_folder,
)
from viewers.imaging.series import scan


@pytest.mark.parametrize(
    ("action_name", "modality"),
    [("export_seg_action", "SEG"), ("export_sr_action", "SR")],
)
def test_export_writes_the_file_and_says_where(
    qtbot: QtBot,
    project: Project,  # noqa: F811 -- the fixture
    dicom_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    action_name: str,
    modality: str,
) -> None:
    import pydicom

    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    item = add_series_item(project, series)
    view = open_view(qtbot, project, item)
    view.tool_actions_by_name["rectangle"].trigger()
    drag(qtbot, view, (150, 150), (250, 250))
    assert len(view.roi_revisions()) == 1

    out = tmp_path / "exports"
    out.mkdir()
    messages: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *_args, **_kw: str(out)
    )
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, _t, text, *_a: messages.append(text)
    )
    action = getattr(view, action_name)
    assert action in view.tool_actions()
    action.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=60_000)

    written = list(out.iterdir())
    assert len(written) == 1
    assert messages == [f"The file was written to:\n{written[0]}"]
    assert pydicom.dcmread(written[0]).Modality == modality


def test_cancelled_folder_dialog_writes_nothing(
    qtbot: QtBot,
    project: Project,  # noqa: F811 -- the fixture
    dicom_data: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    view = open_view(qtbot, project, add_series_item(project, series))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a, **_k: "")
    view.export_seg_action.trigger()
    assert view.context.tasks.running_count == 0
