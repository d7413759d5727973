"""The ``haiops`` command: one parser, with commands contributed by app/cli_*.py.

Each module ``app/cli_<area>.py`` defines ``register(subparsers)``, adding its
commands with ``set_defaults(handler=function)``; a handler takes the parsed
arguments and returns the exit status. Errors of the project's tree are
printed once, as their two-part message, never as a traceback; log records
go to the rotating log file (app/logs.py), not to the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

import app
from storage.errors import HaiopsError

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every command module's commands registered."""
    parser = argparse.ArgumentParser(
        prog="haiops",
        description="HAIOps Workstation: annotation for regulated healthcare AI.",
    )
    parser.add_argument("--version", action="version", version=app.__version__)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(subparsers)
    return parser


def _command_modules() -> list[ModuleType]:
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(app.__path__)
        if info.name.startswith("cli_")
    )
    return [importlib.import_module(f"app.{name}") for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``haiops`` command and return its exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    handler = getattr(arguments, "handler", None)
    if handler is None:
        parser.print_help()
        return 2

    _log_to_file()

    try:
        return int(handler(arguments) or 0)
    except HaiopsError as error:
        logger.warning("Command %s failed: %s", arguments.command, error)
        print(f"haiops: {error_message(error)}", file=sys.stderr)  # noqa: T201
        hint = error.hint.format_map(_Fields(error.fields)) if error.hint else ""
        if hint:
            print(f"  {hint}", file=sys.stderr)  # noqa: T201 -- the CLI's output
        return 1
    except KeyboardInterrupt:
        return 130


def error_message(error: HaiopsError) -> str:
    """Return what happened, with the developer detail only when it adds to it.

    Parameters
    ----------
    error
        An error of the project's tree.

    Returns
    -------
    str
        ``error.what`` filled with the error's fields, followed by
        ``(detail)`` unless the detail is empty or already said by the text.
    """
    text = error.what.format_map(_Fields(error.fields))
    detail = error.detail.strip().rstrip(".")
    if not detail or detail.casefold() in text.casefold():
        return text
    return f"{text} ({error.detail})"


class _Fields(dict[str, object]):
    """Leave a ``{placeholder}`` with no field as it is rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _log_to_file() -> None:
    """Send log records to the rotating log file rather than to the terminal.

    Without a handler, logging's last resort would print every warning on
    standard error, repeating the message the command prints itself.
    """
    from app.logs import setup_logging

    try:
        setup_logging()
    except OSError as error:
        # The command can still run; its warnings are dropped, not repeated.
        logging.getLogger().addHandler(logging.NullHandler())
        print(  # noqa: T201 -- the CLI's output
            f"haiops: the log file cannot be written ({error}); running without it",
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
