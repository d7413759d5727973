"""The audit viewer filters the trail, shows a record's history, records reviews."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.project import Project, create_project, open_project
from widgets.audit_viewer import AuditViewer

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


def test_a_record_history_shows_every_old_and_new_value(
    qtbot,
    project: Project,  # type: ignore[no-untyped-def]
) -> None:
    roi = project.records.create("roi", {"label": "nodule"})
    project.records.revise(roi.record_id, {"label": "mass"}, reason="re-read")
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)

    viewer.show_record(roi.record_id)

    assert viewer.table.rowCount() == 2
    cells = [[viewer.table.item(r, c).text() for c in (4, 7, 8, 9)] for r in range(2)]
    assert cells == [
        ["record.create", "", '{"label":"nodule"}', ""],
        ["record.revise", '{"label":"nodule"}', '{"label":"mass"}', "re-read"],
    ]
    reviews = project.audit.entries(action="audit.review")
    assert [r.record_id for r in reviews] == [roi.record_id]


def test_filters_by_user_and_action_and_verifies(qtbot, project: Project) -> None:  # type: ignore[no-untyped-def]
    project.records.create("roi", {"label": "nodule"})
    viewer = AuditViewer(project)
    qtbot.addWidget(viewer)
    viewer.action_box.setCurrentIndex(viewer.action_box.findData("sign_in"))
    viewer.user_edit.setText("rad1")
    viewer.use_dates.setChecked(True)
    viewer.refresh()
    assert viewer.table.rowCount() == 1
    assert viewer.table.item(0, 4).text() == "sign_in"
    assert viewer.table.item(0, 3).text() == "Dr A. Reader"
    viewer.verify()
    assert viewer.status.text().startswith("Chain OK:")
