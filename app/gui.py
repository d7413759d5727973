"""Start the window: application, theme, language, logging, sign-in, main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog

from app.errors_ui import show_error
from app.i18n import install_translator, translate_error
from app.logs import setup_logging, short_hash
from app.main_window import MainWindow
from app.session import Session
from app.settings import Settings
from resources.theme import apply_theme
from storage.errors import HaiopsError
from widgets.sign_in_dialog import SignInDialog

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)


def application(argv: Sequence[str] | None = None) -> QApplication:
    """Return the running QApplication, creating it when there is none.

    Parameters
    ----------
    argv
        Command-line arguments for Qt.

    Returns
    -------
    QApplication
        The application.
    """
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    instance = QApplication(list(argv or sys.argv[:1]))
    instance.setApplicationName("HAIOps Workstation")
    instance.setOrganizationName("HAIOps")
    return instance


def prepare(settings: Settings) -> None:
    """Apply the saved theme and language to the running application.

    Parameters
    ----------
    settings
        The user's settings.
    """
    instance = application()
    apply_theme(instance, settings.theme)
    install_translator(settings.language)


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    # Whatever escapes a slot becomes a message, never a traceback on screen.
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    error.__traceback__ = trace
    show_error(QApplication.activeWindow(), error)


def open_project_for(
    folder: Path, user_id: str, password: str, new_password: str | None = None
) -> Project:
    """Open ``folder`` as ``user_id`` (the sign-in dialog's callable).

    Parameters
    ----------
    folder
        The project folder.
    user_id
        The user ID.
    password
        The user's password.
    new_password
        A new password to set while signing in (after a reset).

    Returns
    -------
    Project
        The signed-in project.
    """
    from storage.project import open_project

    return open_project(
        folder, user_id=user_id, password=password, new_password=new_password
    )


def create_project_for(
    folder: Path, name: str, user_id: str, printed_name: str, password: str
) -> None:
    """Create a project (the sign-in dialog's "New project…" callable).

    Parameters
    ----------
    folder
        An empty or new folder.
    name
        The project's name.
    user_id, printed_name, password
        The creator, who gets every role.
    """
    from storage.project import create_project

    create_project(
        folder, name=name, user_id=user_id, printed_name=printed_name, password=password
    )
    logger.info("project created from the sign-in dialog")


def sign_in(
    settings: Settings,
    *,
    project_folder: Path | None = None,
    user_id: str | None = None,
    password: str | None = None,
) -> Project | None:
    """Sign in with the given details, or ask for them with the sign-in dialog.

    Parameters
    ----------
    settings
        The user's settings (last project folder and user ID are offered).
    project_folder, user_id, password
        Details given on the command line; with all three the dialog is
        skipped unless they are refused.

    Returns
    -------
    Project or None
        The signed-in project, or None when the user cancelled.
    """
    folder = project_folder or settings.last_project
    user = user_id or settings.last_user
    if folder is not None and user and password is not None:
        try:
            project = open_project_for(folder, user, password)
        except HaiopsError as error:
            show_error(None, error, wait=True)
        else:
            _remember(settings, project)
            return project

    from storage.project import default_projects_dir

    dialog = SignInDialog(
        open_project_for,
        translate_error,
        folder=folder,
        user_id=user or "",
        create_project=create_project_for,
        projects_dir=default_projects_dir(),
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.project is None:
        return None
    signed_in: Project = dialog.project
    _remember(settings, signed_in)
    return signed_in


def _remember(settings: Settings, project: Project) -> None:
    settings.add_recent_project(project.folder)
    settings.last_user = project.user.user_id
    settings.sync()
    logger.info(
        "signed in to project %s as %s",
        short_hash(project.project_id),
        short_hash(project.user.user_id),
    )


def build_main_window(project: Project, settings: Settings) -> MainWindow:
    """Return the main window of a new session on ``project`` (not shown).

    Parameters
    ----------
    project
        The signed-in project.
    settings
        The user's settings.

    Returns
    -------
    MainWindow
        The window; closing it closes the session and the project.
    """
    # The user may lock sooner than the site's policy asks, never later.
    idle = min(settings.idle_minutes, project.policy.idle_minutes)
    session = Session(project, idle_minutes=idle)
    return MainWindow(session, settings)


def run_gui(
    argv: Sequence[str] | None = None,
    *,
    project_folder: Path | None = None,
    user_id: str | None = None,
    password: str | None = None,
    series_folder: Path | None = None,
) -> int:
    """Run the workstation window until the user quits.

    Parameters
    ----------
    argv
        Command-line arguments for Qt.
    project_folder, user_id, password
        Sign-in details to use instead of asking (password only from a safe
        source such as the demo).
    series_folder
        A folder of DICOM files to import once signed in.

    Returns
    -------
    int
        The exit status (0 when the user quit normally or cancelled sign-in).
    """
    instance = application(argv)
    log_file = setup_logging()
    logger.info("HAIOps Workstation starting; log %s", log_file.name)
    settings = Settings()
    prepare(settings)
    sys.excepthook = _excepthook

    status = 0
    while True:
        try:
            project = sign_in(
                settings,
                project_folder=project_folder,
                user_id=user_id,
                password=password,
            )
        except Exception as error:  # noqa: BLE001 -- a message, never a traceback
            show_error(None, error, wait=True)
            return 1
        if project is None:
            return status
        try:
            window = build_main_window(project, settings)
        except Exception as error:  # noqa: BLE001 -- a message, never a traceback
            project.close()
            show_error(None, error, wait=True)
            return 1
        switch: list[Path | None] = []

        def switch_to(folder: Path | None, w: MainWindow = window) -> None:
            switch.append(folder)  # noqa: B023 -- read right after this loop's exec
            w.close()

        window.switchProjectRequested.connect(switch_to)
        window.show()
        if series_folder is not None:
            window.open_series_folder(series_folder, open_first=True)
            series_folder = None
        status = instance.exec()
        if not switch:
            return status
        # Another project was chosen from File > Recent projects: sign in again.
        project_folder, password = switch[0], None
        QCoreApplication.processEvents()
