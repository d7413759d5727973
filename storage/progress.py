"""A progress-and-cancel object that long work takes, so CLI and GUI share it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from storage.errors import QT_TRANSLATE_NOOP, HaiopsError


class CancelledError(HaiopsError):
    """The user cancelled long work; whatever was saved before stays saved."""

    what = QT_TRANSLATE_NOOP("errors", "The work was cancelled.")
    hint = QT_TRANSLATE_NOOP("errors", "Nothing that was saved before has been lost.")


ProgressCallback = Callable[[int, int, str], None]


class Progress:
    """Reports how far long work has come and lets another thread cancel it.

    Long functions take a ``Progress`` and call :meth:`report` between steps;
    once :meth:`cancel` was called (from any thread), the next ``report``
    raises :class:`CancelledError`.

    Parameters
    ----------
    callback
        Called as ``callback(done, total, message)`` on every report, on the
        thread doing the work.
    """

    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancelled = threading.Event()

    def report(self, done: int, total: int, message: str = "") -> None:
        """Say that ``done`` of ``total`` steps are finished; stop if cancelled."""
        if self._cancelled.is_set():
            raise CancelledError(f"cancelled at {done} of {total}")
        if self._callback is not None:
            self._callback(done, total, message)

    def cancel(self) -> None:
        """Ask the work to stop at its next report."""
        self._cancelled.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._cancelled.is_set()
