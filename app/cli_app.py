"""Commands that start the window or make projects: open, demo, gui, project create."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import re
import sys
from pathlib import Path

from app.commands import command_group
from storage.errors import QT_TRANSLATE_NOOP, ServiceError

logger = logging.getLogger(__name__)


class PasswordInputError(ServiceError):
    """No usable password was given for a new project."""

    what = QT_TRANSLATE_NOOP("errors", "No password was given for {path}.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Give the password on standard input with --password-stdin."
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``open``, ``demo``, ``gui`` and ``project create`` to ``haiops``.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    """
    data_dir_help = (
        "folder for projects and data (default: HAIOPS_DATA_DIR or the platform's)"
    )

    gui = subparsers.add_parser("gui", help="start the workstation window")
    gui.add_argument("--data-dir", type=Path, help=data_dir_help)
    gui.add_argument("--project", type=Path, help="project folder to sign in to")
    gui.set_defaults(handler=_gui)

    open_ = subparsers.add_parser(
        "open", help="start the window and open a folder of DICOM files or a project"
    )
    open_.add_argument(
        "path", type=Path, help="a folder of DICOM files, or a project folder"
    )
    open_.add_argument("--data-dir", type=Path, help=data_dir_help)
    open_.add_argument("--project", type=Path, help="project folder to import into")
    open_.set_defaults(handler=_open)

    demo = subparsers.add_parser(
        "demo", help="create the demo project once and open it as the demo user"
    )
    demo.add_argument("--data-dir", type=Path, help=data_dir_help)
    demo.add_argument(
        "--no-window", action="store_true", help="only create the demo project"
    )
    demo.set_defaults(handler=_demo)

    actions = command_group(subparsers, "project", "manage projects")
    create = actions.add_parser("create", help="create an encrypted project")
    create.add_argument("name", help="the project's name")
    create.add_argument("--user", required=True, help="user ID of the creator")
    create.add_argument(
        "--printed-name",
        required=True,
        help="the creator's name as printed in signatures",
    )
    create.add_argument(
        "--folder", type=Path, help="project folder (default: under the data folder)"
    )
    create.add_argument("--data-dir", type=Path, help=data_dir_help)
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of standard input",
    )
    create.set_defaults(handler=_project_create)


def _use_data_dir(arguments: argparse.Namespace) -> None:
    if getattr(arguments, "data_dir", None) is not None:
        os.environ["HAIOPS_DATA_DIR"] = str(arguments.data_dir)


def _gui(arguments: argparse.Namespace) -> int:
    from app.gui import run_gui

    _use_data_dir(arguments)
    return run_gui(project_folder=arguments.project)


def _open(arguments: argparse.Namespace) -> int:
    from app.gui import run_gui
    from storage.project import is_project

    _use_data_dir(arguments)
    path: Path = arguments.path
    if is_project(path):
        return run_gui(project_folder=path)
    if not path.exists():
        raise ServiceError("no such file or folder", path=path)
    return run_gui(project_folder=arguments.project, series_folder=path)


def _demo(arguments: argparse.Namespace) -> int:
    from app.demo import (
        DEMO_PASSWORD,
        DEMO_USER_ID,
        demo_folder,
        ensure_demo_project,
    )
    from app.logs import setup_logging

    _use_data_dir(arguments)
    setup_logging()
    folder = demo_folder()
    created = ensure_demo_project(folder)
    print(  # noqa: T201 -- the command's output
        f"Demo project {'created' if created else 'already present'} in {folder}\n"
        f"  user ID:  {DEMO_USER_ID}\n  password: {DEMO_PASSWORD}"
    )
    if arguments.no_window:
        return 0

    from app.gui import run_gui

    return run_gui(project_folder=folder, user_id=DEMO_USER_ID, password=DEMO_PASSWORD)


def folder_for(name: str) -> Path:
    """Return a folder under the projects folder named after ``name``.

    Parameters
    ----------
    name
        The project's name.

    Returns
    -------
    Path
        ``default_projects_dir() / slug``, where the slug keeps letters and
        digits (any script) and turns the rest into hyphens.
    """
    from storage.project import default_projects_dir

    slug = re.sub(r"[^\w]+", "-", name.strip().casefold()).strip("-") or "project"
    return default_projects_dir() / slug


def _read_password(arguments: argparse.Namespace, folder: Path) -> str:
    if arguments.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise PasswordInputError("the two passwords differ", path=folder)
    else:
        raise PasswordInputError("no terminal to ask for it", path=folder)
    if not password:
        raise PasswordInputError("empty password", path=folder)
    return password


def _project_create(arguments: argparse.Namespace) -> int:
    from app.logs import setup_logging
    from storage.project import create_project

    if getattr(arguments, "project_command", None) != "create":
        print("haiops project: choose an action: create", file=sys.stderr)  # noqa: T201
        return 2
    _use_data_dir(arguments)
    setup_logging()
    folder: Path = arguments.folder or folder_for(arguments.name)
    password = _read_password(arguments, folder)
    create_project(
        folder,
        name=arguments.name,
        user_id=arguments.user,
        printed_name=arguments.printed_name,
        password=password,
    )
    print(f"Project created in {folder}")  # noqa: T201 -- the command's output
    return 0
