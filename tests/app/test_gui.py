"""Starting the window: theme, sign-in with given details, quit; light and dark."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.gui import run_gui
from app.main_window import MainWindow
from app.settings import Settings
from resources.theme import apply_theme
from storage.project import create_project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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


def test_themes(qapp) -> None:
    apply_theme(qapp, "dark")
    assert qapp.style().name().lower() == "fusion"
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#2b2b2b"

    apply_theme(qapp, "light")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200

    apply_theme(qapp, "dark")
    with pytest.raises(ValueError, match="unknown theme 'blue'"):
        apply_theme(qapp, "blue")


def test_run_gui_signs_in_and_quits(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial",
        user_id="rad1",
        printed_name="Dr R",
        password="pw-long-enough-1",
    )
    seen: list[str] = []

    def close_window() -> None:
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
        ]
        visible = [w for w in windows if w.isVisible()]
        seen.extend(w.user_label.text() for w in visible)
        for window in visible:
            window.close()

    QTimer.singleShot(200, close_window)
    status = run_gui(
        [], project_folder=folder, user_id="rad1", password="pw-long-enough-1"
    )

    assert status == 0
    assert seen == ["Signed in: Dr R"]
    settings = Settings()
    assert settings.recent_projects == [folder]
    assert settings.last_user == "rad1"


def test_open_folder_shows_the_first_imported_series(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dicom_data: Path
) -> None:
    from app.series_workspace import SeriesItemView

    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial",
        user_id="rad1",
        printed_name="Dr R",
        password="pw-long-enough-1",
    )
    seen: list[tuple[str, str | None, str, bool]] = []
    timer = QTimer()

    def close_when_opened() -> None:
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible()
        ]
        for window in windows:
            if window.current_item is None:
                continue
            seen.append(
                (
                    window.current_item.record_id,
                    window.worklist.current_item_id(),
                    str(window.current_item.body["kind"]),
                    isinstance(window.current_view, SeriesItemView),
                )
            )
            timer.stop()
            window.close()

    def give_up() -> None:
        # Without an opened series the window would stay open: close it so the
        # test fails instead of hanging.
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                window.close()

    timer.timeout.connect(close_when_opened)
    timer.start(100)
    QTimer.singleShot(60_000, give_up)
    status = run_gui(
        [],
        project_folder=folder,
        user_id="rad1",
        password="pw-long-enough-1",
        series_folder=dicom_data / "ct_philips_5mm_28",
    )

    assert status == 0
    assert len(seen) == 1
    item_id, selected, kind, is_series_view = seen[0]
    assert selected == item_id
    assert kind == "series"
    assert is_series_view
