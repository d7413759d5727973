"""What every ``haiops`` command module shares: signing in and command groups.

The command modules (``app/cli_<area>.py``) add their commands through
:func:`command_group`, so that two modules may add actions to one command
(``doc``, ``series``, ``project``) in any order, and sign in through
:func:`add_project_arguments` and :func:`open_from_arguments`. Passwords come
from standard input (``--password-stdin``, one per line) or from a prompt on a
terminal, never from an argument, so they stay out of shell history and
process lists.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import QT_TRANSLATE_NOOP, ServiceError

if TYPE_CHECKING:
    from typing import TypeAlias

    from storage.project import Project

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = [
    "STDIN_LINES_HELP",
    "STDIN_LINE_HELP",
    "PasswordInputError",
    "add_project_arguments",
    "command_group",
    "open_from_arguments",
    "read_password",
]

STDIN_LINE_HELP = "read the password from the first line of standard input"
"""Help of ``--password-stdin`` for a command that reads one password."""
STDIN_LINES_HELP = "read passwords from standard input, one per line"
"""Help of ``--password-stdin`` for a command that reads several (see its help)."""


class PasswordInputError(ServiceError):
    """A password the command needs was not given."""

    what = QT_TRANSLATE_NOOP("errors", "A password is missing: {which}.")
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "Give passwords on standard input, one per line, with --password-stdin.",
    )


def command_group(
    subparsers: Subparsers, name: str, help_text: str, *, metavar: str = "ACTION"
) -> Subparsers:
    """Return the actions of command ``name``, creating the command if needed.

    Parameters
    ----------
    subparsers
        The sub-parser collection of the ``haiops`` parser.
    name
        The command, such as ``doc`` or ``series``.
    help_text
        The command's help, used when this call creates it.
    metavar
        How the help names the command's actions.

    Returns
    -------
    argparse._SubParsersAction
        The command's actions (parsed into ``<name>_command``), the same
        for every module that asks, whichever asks first.
    """
    existing = subparsers.choices.get(name)
    if existing is not None:
        for action in existing._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action
        return existing.add_subparsers(dest=f"{name}_command", metavar=metavar)
    parser = subparsers.add_parser(name, help=help_text)
    return parser.add_subparsers(dest=f"{name}_command", metavar=metavar)


def add_project_arguments(
    parser: argparse.ArgumentParser,
    *,
    required: bool = True,
    password_help: str = STDIN_LINE_HELP,
) -> None:
    """Add ``--project FOLDER``, ``--user ID`` and ``--password-stdin``.

    Parameters
    ----------
    parser
        A command's parser.
    required
        Whether the command always needs a project (False where it can do
        without one, such as a terminology search in a release folder).
    password_help
        Help of ``--password-stdin``: :data:`STDIN_LINE_HELP` or
        :data:`STDIN_LINES_HELP`.
    """
    parser.add_argument(
        "--project",
        type=Path,
        required=required,
        metavar="FOLDER",
        help="project folder",
    )
    parser.add_argument("--user", required=required, metavar="ID", help="your user ID")
    parser.add_argument("--password-stdin", action="store_true", help=password_help)


def read_password(arguments: argparse.Namespace, which: str = "your password") -> str:
    """Read the next password: a line of standard input, or a terminal prompt.

    Parameters
    ----------
    arguments
        The parsed arguments; ``password_stdin`` says where the password
        comes from.
    which
        The password asked for ("your password", "your password to sign",
        ...), named in the prompt and in the error.

    Returns
    -------
    str
        The password, without its line ending.

    Raises
    ------
    PasswordInputError
        If the line is empty, or there is neither ``--password-stdin`` nor a
        terminal to ask on.
    """
    project = getattr(arguments, "project", None)
    if getattr(arguments, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"{which.capitalize()}: ")
    else:
        raise PasswordInputError("no terminal", which=which, path=project or which)
    if not password:
        raise PasswordInputError("empty line", which=which, path=project or which)
    return password


@contextmanager
def open_from_arguments(
    arguments: argparse.Namespace, which: str = "your password"
) -> Iterator[Project]:
    """Sign in to ``--project`` as ``--user`` and close the project afterwards.

    Parameters
    ----------
    arguments
        Parsed arguments holding ``project``, ``user`` and
        ``password_stdin`` (see :func:`add_project_arguments`).
    which
        The password asked for, see :func:`read_password`.

    Yields
    ------
    Project
        The signed-in project.

    Raises
    ------
    PasswordInputError
        See :func:`read_password`.
    """
    # Imported here so that ``haiops --help``, which loads every command
    # module, does not load the database driver.
    from storage.project import open_project

    password = read_password(arguments, which)
    with open_project(
        arguments.project, user_id=arguments.user, password=password
    ) as project:
        yield project
