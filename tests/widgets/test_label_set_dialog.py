"""The label set editor saves a new version and imports labels from JSON."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from app.i18n import translate_error
from storage.labels import Label, current_label_set, save_label_set
from storage.project import Project, create_project, open_project
from widgets.label_set_dialog import LabelSetDialog

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial",
        user_id="lead",
        printed_name="L",
        password="pw-long-enough-1",
    )
    with open_project(folder, user_id="lead", password="pw-long-enough-1") as opened:
        yield opened


def _dialog(qtbot, project: Project) -> LabelSetDialog:
    dialog = LabelSetDialog(
        project.records, current_label_set(project.records, "image"), translate_error
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_edit_and_save_new_version(qtbot, project: Project) -> None:
    save_label_set(project.records, "image", [Label("Lesion", "#e6194b", "1", "")])
    dialog = _dialog(qtbot, project)
    assert dialog.windowTitle() == "Label set: images (version 1)"

    dialog.add_label(Label("Nodule", "#f58231", "", "Rounded opacity"))
    keys = dialog.table.cellWidget(1, 2)
    assert isinstance(keys, QComboBox)
    keys.setCurrentIndex(2)
    dialog.table.setItem(0, 3, QTableWidgetItem("Any focal abnormality"))
    dialog.save()

    assert dialog.result() == LabelSetDialog.DialogCode.Accepted
    saved = current_label_set(project.records, "image")
    assert saved.version == 2
    assert saved.labels == (
        Label("Lesion", "#e6194b", "1", "Any focal abnormality"),
        Label("Nodule", "#f58231", "2", "Rounded opacity"),
    )


def test_duplicate_key_is_refused(qtbot, project: Project) -> None:
    dialog = _dialog(qtbot, project)
    dialog.add_label(Label("Lesion", "#e6194b", "1", ""))
    dialog.add_label(Label("Nodule", "#f58231", "1", ""))
    dialog.save()

    assert dialog.result() == 0
    assert dialog.message.text() == "Two labels have the same key."
    assert current_label_set(project.records, "image").version == 0


def test_import_json(qtbot, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "labels.json"
    path.write_text(
        json.dumps(
            {
                "labels": [
                    {"name": "Drug", "colour": "#4363d8", "key": "2"},
                    {"name": "Dose", "colour": "#f58231", "description": "Amount"},
                ]
            }
        ),
        encoding="utf-8",
    )
    dialog = LabelSetDialog(
        project.records, current_label_set(project.records, "document"), translate_error
    )
    qtbot.addWidget(dialog)

    assert dialog.import_json(path)
    assert dialog.labels() == [
        Label("Drug", "#4363d8", "2", ""),
        Label("Dose", "#f58231", "", "Amount"),
    ]
    dialog.save()
    assert current_label_set(project.records, "document").version == 1


def test_bad_json_names_the_file(qtbot, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"name": "X"}]', encoding="utf-8")
    dialog = _dialog(qtbot, project)

    assert not dialog.import_json(path)
    assert dialog.message.text().startswith(f"The label set {path} is not valid.")
