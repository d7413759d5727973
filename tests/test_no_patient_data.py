"""No patient name and no label text reaches a clear file: data, settings or logs."""

from __future__ import annotations

import argparse
import io
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from PySide6.QtWidgets import QMessageBox

from app import cli_app
from app.gui import build_main_window, sign_in
from app.logs import setup_logging
from app.settings import Settings
from storage.items import list_items
from storage.labels import Label, current_label_set, save_label_set

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSWORD = "no-leak-test-password-1"


@pytest.fixture(autouse=True)
def _drop_log_handlers() -> Iterator[None]:
    # setup_logging adds a file handler to the root logger; later tests must
    # not write into this test's folder.
    before = list(logging.getLogger().handlers)
    yield
    for handler in logging.getLogger().handlers:
        if handler not in before:
            logging.getLogger().removeHandler(handler)
            handler.close()


def _plant_patient_name(dicom_data: Path, folder: Path, marker: str) -> None:
    folder.mkdir()
    sources = sorted(
        p for p in (dicom_data / "ct_philips_5mm_28").iterdir() if p.is_file()
    )
    copied = 0
    for source in sources:
        try:
            dataset = pydicom.dcmread(source)
        except pydicom.errors.InvalidDicomError:
            continue
        if "PixelData" not in dataset:
            continue
        dataset.PatientName = marker
        dataset.save_as(folder / source.name)
        copied += 1
        if copied == 4:
            break
    assert copied == 4


def haiops(argv: list[str]) -> int:
    # Only this module's commands: the test must not depend on other commands.
    parser = argparse.ArgumentParser(prog="haiops")
    cli_app.register(parser.add_subparsers())
    arguments = parser.parse_args(argv)
    return int(arguments.handler(arguments))


def _files_holding(roots: list[Path], marker: str) -> list[Path]:
    patterns = (marker.encode("utf-8"), marker.encode("utf-16-le"))
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and any(p in path.read_bytes() for p in patterns):
                found.append(path)
    return found


def test_markers_stay_out_of_clear_files(
    qtbot, tmp_path: Path, dicom_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    patient_marker = f"PLANTEDPATIENT{uuid.uuid4().hex[:10].upper()}"
    label_marker = f"PlantedLabel{uuid.uuid4().hex[:10]}"
    series_folder = tmp_path / "incoming"
    _plant_patient_name(dicom_data, series_folder, patient_marker)
    data_dir = Path(os.environ["HAIOPS_DATA_DIR"])
    roots = [
        data_dir,
        Path(os.environ["HAIOPS_CONFIG_DIR"]),
        Path(os.environ["HAIOPS_LOG_DIR"]),
    ]
    log_file = setup_logging()

    # Create the project with the command, the password on standard input.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    folder = data_dir / "projects" / "leak-check"
    assert (
        haiops(
            [
                "project",
                "create",
                "Leak check",
                "--user",
                "rad1",
                "--printed-name",
                "Dr A. Reader",
                "--folder",
                str(folder),
                "--password-stdin",
            ]
        )
        == 0
    )

    # Sign in as the window does (settings remember the folder), then work.
    settings = Settings()
    project = sign_in(
        settings, project_folder=folder, user_id="rad1", password=PASSWORD
    )
    assert project is not None
    window = build_main_window(project, settings)
    qtbot.addWidget(window)
    window.show()
    save_label_set(project.records, "image", [Label(label_marker, "#e6194b", "1", "")])

    window.open_series_folder(series_folder)
    qtbot.waitUntil(lambda: window.tasks.running_count == 0, timeout=30_000)
    qtbot.wait(50)
    items = list_items(project.records, "series")
    assert len(items) == 1
    assert len(window.worklist.visible_items()) == 1  # refreshed after the import
    window.open_item(items[0].record_id)
    qtbot.waitUntil(lambda: window.tasks.running_count == 0, timeout=30_000)
    # A folder named after the patient that is not there: the message is
    # shown, the log holds no name.
    window.open_series_folder(tmp_path / patient_marker)
    qtbot.waitUntil(lambda: window.tasks.running_count == 0, timeout=30_000)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert patient_marker in boxes[-1].text()
    boxes[-1].button(QMessageBox.StandardButton.Ok).click()

    window.session.lock()
    window._lock_dialog.password.setText(PASSWORD)
    window._lock_dialog.unlock_button.click()
    assert current_label_set(project.records, "image").labels[0].name == label_marker

    # While the project is open its -wal and -shm files exist too: search them.
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert (folder / "project.db-wal").is_file()
    assert _files_holding(roots, patient_marker) == []
    assert _files_holding(roots, label_marker) == []
    window.close()
    qtbot.waitUntil(lambda: project.connection is None, timeout=5000)
    for handler in logging.getLogger().handlers:
        handler.flush()

    # The flows wrote real files: the database, key, settings and a log.
    assert (folder / "project.db").is_file()
    assert (folder / "project.key").is_file()
    assert settings.path.is_file()
    assert str(folder) in settings.path.read_text(encoding="utf-8")
    assert "series" in log_file.read_text(encoding="utf-8")

    assert _files_holding(roots, patient_marker) == []
    assert _files_holding(roots, label_marker) == []
    # The planted name is really in the source files, so the search can find it.
    assert _files_holding([series_folder], patient_marker)
