"""Background work: a function on a worker thread, its result back on the GUI thread."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from storage.progress import CancelledError, Progress

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class _Task:
    task_id: int
    title: str
    progress: Progress
    on_success: Callable[[Any], None]
    on_failure: Callable[[BaseException], None] | None
    started: float = field(default_factory=time.monotonic)


class _Relay(QObject):
    """Lives on the GUI thread; its signals carry worker events across threads."""

    reported = Signal(int, int, int, str)  # task id, done, total, message
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(
        self, relay: _Relay, task: _Task, work: Callable[[Progress], Any]
    ) -> None:
        super().__init__()
        self._relay = relay
        self._task = task
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(self._task.progress)
        except BaseException as error:  # noqa: BLE001 -- every failure goes to the GUI
            self._relay.failed.emit(self._task.task_id, error)
        else:
            self._relay.succeeded.emit(self._task.task_id, result)


class TaskStatusWidget(QWidget):
    """The status bar part that shows running work with a Cancel button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        """Set the button's texts in the current language."""
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the background work"))


class TaskRunner(QObject):
    """Runs long work off the GUI thread, one per main window.

    ``run`` hands ``work`` a :class:`~storage.progress.Progress`; its reports
    move the progress bar of :attr:`status_widget`, whose Cancel button
    cancels the newest running task. The result or exception comes back on
    the GUI thread through ``on_success`` or ``on_failure`` (by default
    :func:`app.errors_ui.show_error`). A cancelled task passes its
    :class:`~storage.progress.CancelledError` to ``on_failure`` when one was
    given and is otherwise only logged.

    Parameters
    ----------
    parent
        The main window (also the parent of error messages).
    """

    taskStarted = Signal(str)
    taskFinished = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._window = parent
        self._pool = QThreadPool(self)
        self._relay = _Relay(self)
        self._relay.reported.connect(self._on_reported)
        self._relay.succeeded.connect(self._on_succeeded)
        self._relay.failed.connect(self._on_failed)
        self._ids = itertools.count(1)
        self._tasks: dict[int, _Task] = {}
        self.status_widget = TaskStatusWidget(parent)
        self.status_widget.cancel_button.clicked.connect(self.cancel_newest)

    @property
    def running_count(self) -> int:
        """How many tasks have not finished yet."""
        return len(self._tasks)

    def run(
        self,
        title: str,
        work: Callable[[Progress], T],
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Start ``work`` on a worker thread.

        Parameters
        ----------
        title
            Translated text shown beside the progress bar.
        work
            Plain function doing the work; calls ``progress.report`` between
            steps and touches no widget.
        on_success
            Called on the GUI thread with the result.
        on_failure
            Called on the GUI thread with the exception; shows the error
            message when not given.
        """
        task_id = next(self._ids)
        relay = self._relay

        def report(done: int, total: int, message: str) -> None:
            relay.reported.emit(task_id, done, total, message)

        task = _Task(task_id, title, Progress(report), on_success, on_failure)
        self._tasks[task_id] = task
        self._show(task, 0, 0)
        self.taskStarted.emit(title)
        self._pool.start(_Job(relay, task, work))

    def cancel_newest(self) -> None:
        """Ask the most recently started running task to stop."""
        if self._tasks:
            newest = self._tasks[max(self._tasks)]
            newest.progress.cancel()
            logger.info("task %d cancel requested", newest.task_id)

    def cancel_all(self) -> None:
        """Ask every running task to stop."""
        for task in self._tasks.values():
            task.progress.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker threads are idle (at shutdown and in tests).

        Parameters
        ----------
        msecs
            Longest wait in milliseconds; -1 waits without limit.

        Returns
        -------
        bool
            Whether all work finished in time (results still need the event
            loop to be delivered).
        """
        return self._pool.waitForDone(msecs)

    def _show(self, task: _Task, done: int, total: int) -> None:
        widget = self.status_widget
        widget.label.setText(task.title)
        widget.bar.setRange(0, max(total, 0))
        widget.bar.setValue(min(done, total) if total > 0 else 0)
        widget.setVisible(True)

    @Slot(int, int, int, str)
    def _on_reported(self, task_id: int, done: int, total: int, message: str) -> None:
        task = self._tasks.get(task_id)
        if task is not None and task_id == max(self._tasks):
            self._show(task, done, total)
            if message:
                self.status_widget.label.setText(f"{task.title}: {message}")

    def _finish(self, task_id: int) -> _Task | None:
        task = self._tasks.pop(task_id, None)
        if self._tasks:
            self._show(self._tasks[max(self._tasks)], 0, 0)
        else:
            self.status_widget.setVisible(False)
        if task is not None:
            logger.info(
                "task %d finished in %.2f s", task_id, time.monotonic() - task.started
            )
        return task

    @Slot(int, object)
    def _on_succeeded(self, task_id: int, result: object) -> None:
        task = self._finish(task_id)
        if task is None:
            return
        try:
            task.on_success(result)
        except Exception as error:  # noqa: BLE001 -- shown, never lost
            self._fail(task, error)
        self.taskFinished.emit(task.title)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: BaseException) -> None:
        task = self._finish(task_id)
        if task is None:
            return
        if isinstance(error, CancelledError) and task.on_failure is None:
            logger.info("task %d cancelled", task_id)
        else:
            self._fail(task, error)
        self.taskFinished.emit(task.title)

    def _fail(self, task: _Task, error: BaseException) -> None:
        if task.on_failure is not None:
            task.on_failure(error)
            return
        from app.errors_ui import show_error

        show_error(self._window, error)
