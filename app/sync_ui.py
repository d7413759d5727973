"""Sync in the main window: the Sync menu actions, the status text, patient strings."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from app.cli_sync import open_store
from app.errors_ui import show_error
from app.i18n import translate_error
from storage.errors import QT_TRANSLATE_NOOP, HaiopsError, ImagingError
from widgets.sync_window import SyncWindow, enrol_from_file, short_local_time

if TYPE_CHECKING:
    from app.tasks import TaskRunner
    from storage.project import Project
    from viewers.imaging.series import SeriesInfo

logger = logging.getLogger(__name__)

_CONTEXT = "SyncMenu"
_OWNER_NAME = "sync_actions"

ProjectGetter = Callable[[], "Project | None"]


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _count(number: int, one: str, many: str) -> str:
    return _tr(one if number == 1 else many).replace("{n}", str(number))


# -- the status bar --------------------------------------------------------------


def sync_status_text(project: Project, *, now: datetime | None = None) -> str:
    """Return the sync state for the status bar, in the user's language.

    Parameters
    ----------
    project
        The signed-in project.
    now
        The present moment (for tests).

    Returns
    -------
    str
        For example ``"Last sync 12:30 JST · 3 changes not sent"``; parts
        for a bundle waiting to be sent, held bundles and conflicts appear
        only when there are any.
    """
    from widgets.sync_window import sync_overview

    overview = sync_overview(project, now=now)
    if not overview.is_enrolled:
        return QCoreApplication.translate("SyncMenu", "Sync: not enrolled")
    if overview.last_sync is None:
        parts = [QCoreApplication.translate("SyncMenu", "Never synced")]
    else:
        when = short_local_time(overview.last_sync[0], now=now)
        parts = [
            QCoreApplication.translate("SyncMenu", "Last sync {time}").replace(
                "{time}", when
            )
        ]
    if overview.is_roster_expired:
        parts.append(QCoreApplication.translate("SyncMenu", "roster expired: pull"))
    if overview.pending:
        parts.append(
            QCoreApplication.translate("SyncMenu", "1 bundle waiting to be sent")
        )
    if overview.unsent:
        parts.append(
            _count(
                overview.unsent,
                QT_TRANSLATE_NOOP("SyncMenu", "{n} change not sent"),
                QT_TRANSLATE_NOOP("SyncMenu", "{n} changes not sent"),
            )
        )
    if overview.held:
        parts.append(
            _count(
                overview.held,
                QT_TRANSLATE_NOOP("SyncMenu", "{n} bundle held"),
                QT_TRANSLATE_NOOP("SyncMenu", "{n} bundles held"),
            )
        )
    if overview.conflicts:
        parts.append(
            _count(
                overview.conflicts,
                QT_TRANSLATE_NOOP("SyncMenu", "{n} conflict"),
                QT_TRANSLATE_NOOP("SyncMenu", "{n} conflicts"),
            )
        )
    return " · ".join(parts)


# -- the Sync menu -----------------------------------------------------------------


class _SyncActions(QObject):
    """Owns the actions and the one Sync window of a main window."""

    def __init__(
        self, main_window: QWidget, project_getter: ProjectGetter, tasks: TaskRunner
    ) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self.project_getter = project_getter
        self.tasks = tasks
        self.window: SyncWindow | None = None

    def _project(self) -> Project | None:
        project = self.project_getter()
        if project is None or project.connection is None:
            return None
        return project

    def sync_window(self) -> SyncWindow | None:
        """Return the Sync window of the current project, made on first use."""
        project = self._project()
        if project is None:
            return None
        if self.window is not None and self.window.project is not project:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.window is None:
            self.window = SyncWindow(
                project,
                self.tasks,
                open_store=open_store,
                describe_error=translate_error,
                parent=self.main_window,
            )
            self.window.syncFinished.connect(self._finished)
        self.window.refresh()
        return self.window

    def show_window(self) -> SyncWindow | None:
        """Show the Sync window."""
        window = self.sync_window()
        if window is not None:
            window.show()
            window.raise_()
            window.activateWindow()
        return window

    def run(self, kind: str) -> None:
        """Push, pull or both; open the window when a store must be chosen first."""
        window = self.sync_window()
        if window is None:
            return
        if not window.start(kind):
            self.show_window()

    def sync_now(self) -> None:
        """Show the window and pull, then push."""
        window = self.show_window()
        if window is not None:
            window.start("sync")

    def show_conflicts(self) -> None:
        """Show the window on its Conflicts tab."""
        window = self.show_window()
        if window is not None:
            window.show_conflicts()

    def enrol(self, path: Path | None = None) -> bool:
        """Import an enrolment package chosen by the user (or ``path``)."""
        project = self._project()
        if project is None:
            return False
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.main_window,
                QCoreApplication.translate("SyncMenu", "Import enrolment package"),
                "",
                QCoreApplication.translate("SyncMenu", "All files (*)"),
            )
            if not chosen:
                return False
            path = Path(chosen)
        try:
            roster = enrol_from_file(project, path)
        except HaiopsError as error:
            show_error(self.main_window, error)
            return False
        self.update_status()
        status_bar = getattr(self.main_window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(
                QCoreApplication.translate(
                    "SyncMenu", "This workstation is enrolled with site {site}."
                ).replace("{site}", roster.site_id),
                10_000,
            )
        return True

    def update_status(self) -> None:
        """Put the sync state in the main window's status bar, if it has one."""
        project = self._project()
        setter = getattr(self.main_window, "set_sync_state", None)
        if project is None or not callable(setter):
            return
        try:
            setter(sync_status_text(project))
        except HaiopsError as error:
            logger.warning("sync state not read: %s", type(error).__name__)

    def _finished(self, kind: str) -> None:
        self.update_status()
        window = self.window
        if kind == "failed" and window is not None and not window.isVisible():
            # The reason is in the window; a failure must not pass unseen.
            self.show_window()


def install_sync_actions(
    main_window: QWidget,
    menu: QMenu,
    project_getter: ProjectGetter,
    tasks: TaskRunner,
) -> list[QAction]:
    """Add the sync actions to ``menu`` and return them.

    Adds "Sync now…" (F9), "Push", "Pull", "Conflicts…" and "Enrol this
    workstation…". Push and pull run in the background through ``tasks``;
    after each run the status bar text is set through the main window's
    ``set_sync_state(text)`` when it has one.

    Parameters
    ----------
    main_window
        The main window (parent of the Sync window and of messages).
    menu
        The Sync menu.
    project_getter
        Returns the signed-in project, or None when none is open.
    tasks
        The main window's task runner.

    Returns
    -------
    list of QAction
        The actions, in menu order (for the keyboard shortcuts list).
    """
    owner = _SyncActions(main_window, project_getter, tasks)
    specs: list[tuple[str, Callable[[], object], str | None, str]] = [
        (
            QT_TRANSLATE_NOOP("SyncMenu", "Sync now…"),
            owner.sync_now,
            "F9",
            QT_TRANSLATE_NOOP("SyncMenu", "Pull from the store, then push"),
        ),
        (
            QT_TRANSLATE_NOOP("SyncMenu", "Push"),
            lambda: owner.run("push"),
            None,
            QT_TRANSLATE_NOOP("SyncMenu", "Send the changes made here to the store"),
        ),
        (
            QT_TRANSLATE_NOOP("SyncMenu", "Pull"),
            lambda: owner.run("pull"),
            None,
            QT_TRANSLATE_NOOP("SyncMenu", "Apply the bundles the store accepted"),
        ),
        (
            QT_TRANSLATE_NOOP("SyncMenu", "Conflicts…"),
            owner.show_conflicts,
            None,
            QT_TRANSLATE_NOOP("SyncMenu", "Compare and resolve records in conflict"),
        ),
        (
            QT_TRANSLATE_NOOP("SyncMenu", "Enrol this workstation…"),
            owner.enrol,
            None,
            QT_TRANSLATE_NOOP("SyncMenu", "Import the enrolment package"),
        ),
    ]
    actions = []
    for text, slot, shortcut, tip in specs:
        action = QAction(_tr(text), main_window)
        tip_text = _tr(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            tip_text += f" ({shortcut})"
        action.setToolTip(tip_text)
        action.setStatusTip(tip_text)
        action.triggered.connect(lambda _checked=False, run=slot: run())
        menu.addAction(action)
        actions.append(action)
    owner.setObjectName(_OWNER_NAME)
    owner.update_status()
    return actions


def sync_actions_owner(main_window: QWidget) -> _SyncActions | None:
    """Return what :func:`install_sync_actions` installed on ``main_window``."""
    return main_window.findChild(_SyncActions, _OWNER_NAME)


# -- patient strings for the bundle gate ---------------------------------------------


class PatientStringsError(ImagingError):
    """The identifying strings of an imported file could not be read."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The file {path} could not be read for its patient details."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check that the file is still there and is DICOM, then add it again."
    )


def series_patient_strings(path: Path, carried: Iterable[str]) -> set[str]:
    """Return the identifying strings of a DICOM file for the bundle gate.

    The identifying attributes, person names and distinctive private text
    of the file (``sync.deidentify.patient_strings_from_dicom``) are kept,
    except a private or descriptive string that occurs in ``carried``: the
    texts the worklist item itself stores (title, SeriesDescription), which
    the gate would otherwise refuse in every bundle. Patient name, ID and birth date are
    always kept.

    Parameters
    ----------
    path
        One file of the series.
    carried
        Texts the item carries on purpose.

    Raises
    ------
    PatientStringsError
        When the file cannot be read as DICOM.
    """
    import pydicom

    from sync.deidentify import patient_strings_from_dicom

    try:
        found = patient_strings_from_dicom(path)
        header = pydicom.dcmread(
            path,
            stop_before_pixels=True,
            specific_tags=["PatientName", "PatientID", "PatientBirthDate"],
        )
    except (ValueError, OSError) as error:
        raise PatientStringsError(type(error).__name__, path=path) from error
    direct = {str(header.get(k, "")).strip() for k in ("PatientID", "PatientBirthDate")}
    name = str(header.get("PatientName", "")).strip()
    direct.add(name)
    direct.update(part for part in name.replace("=", "^").split("^") if part)
    direct.add(" ".join(part for part in name.split("^") if part))
    texts = " ".join(carried).lower()
    return {text for text in found if text in direct or text.lower() not in texts}


def remember_series_patient_strings(
    project: Project, series: SeriesInfo, carried: Iterable[str]
) -> None:
    """Record the patient strings of a series' first file for the bundle gate.

    Every slice of a series belongs to one patient (PS3.3 C.7.1), so the
    first file speaks for all. Nothing read here is logged.

    Parameters
    ----------
    project
        The signed-in project.
    series
        The series being added.
    carried
        Texts the item carries on purpose (see :func:`series_patient_strings`).
    """
    from sync.workstation import remember_patient_strings

    if not series.slices:
        return
    remember_patient_strings(
        project, series_patient_strings(series.slices[0].path, carried)
    )
