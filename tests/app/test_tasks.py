"""Background work: results and errors come back on the GUI thread; Cancel stops it."""

from __future__ import annotations

import os
import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.tasks import TaskRunner
from storage.errors import ProjectNotFoundError
from storage.progress import CancelledError, Progress

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def test_result_arrives_on_gui_thread(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)
    seen: dict[str, object] = {}

    def work(progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        for step in range(1, 4):
            progress.report(step, 3, "slice")
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.run("Counting", work, done)
        assert runner.running_count == 1
        assert runner.status_widget.isVisibleTo(parent)

    assert seen["value"] == 42
    assert seen["gui"] is True
    assert seen["worker"] != threading.get_ident()
    assert runner.running_count == 0
    assert not runner.status_widget.isVisibleTo(parent)


def test_failure_goes_to_on_failure(qtbot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise ProjectNotFoundError("test", path="/nowhere")

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.run("Failing", work, lambda _v: None, errors.append)

    assert len(errors) == 1
    assert isinstance(errors[0], ProjectNotFoundError)


def test_failure_without_handler_shows_message(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = TaskRunner(parent)

    def work(progress: Progress) -> None:
        raise ProjectNotFoundError("test", path="/nowhere")

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.run("Failing", work, lambda _v: None)

    boxes = [w for w in parent.findChildren(QMessageBox) if w.isVisible()]
    assert [box.text() for box in boxes] == ["/nowhere is not a HAIOps project."]
    boxes[0].close()


def test_cancel_stops_work(qtbot) -> None:
    runner = TaskRunner()
    started = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        started.set()
        release.wait(5)
        progress.report(1, 2)

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.run("Long", work, lambda _v: None, errors.append)
        assert started.wait(5)
        runner.status_widget.cancel_button.click()
        release.set()

    assert len(errors) == 1
    assert isinstance(errors[0], CancelledError)
