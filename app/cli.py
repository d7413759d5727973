"""The ``haiops`` command: one parser, with commands contributed by app/cli_*.py.

Each module ``app/cli_<area>.py`` defines ``register(subparsers)``, adding its
commands with ``set_defaults(handler=function)``; a handler takes the parsed
arguments and returns the exit status. Errors of the project's tree are
printed as their two-part message, never as a traceback.
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
    try:
        return int(handler(arguments) or 0)
    except HaiopsError as error:
        logger.warning("Command %s failed: %s", arguments.command, error)
        print(f"haiops: {error}", file=sys.stderr)  # noqa: T201 -- the CLI's output
        if error.hint:
            print(f"  {error.hint}", file=sys.stderr)  # noqa: T201
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
