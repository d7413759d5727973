"""The command modules' shared sign-in and command groups (app/commands.py)."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from app.commands import (
    STDIN_LINES_HELP,
    PasswordInputError,
    add_project_arguments,
    command_group,
    open_from_arguments,
    read_password,
)
from storage.errors import WrongPasswordError
from storage.project import create_project

PASSWORD = "ada's long password 1"


def _signed(parser: argparse.ArgumentParser, *rest: str) -> argparse.Namespace:
    return parser.parse_args(
        [*rest, "--project", "p", "--user", "ada", "--password-stdin"]
    )


@pytest.mark.parametrize("first", ["a", "b"])
def test_two_modules_share_a_command_group_in_either_order(first: str) -> None:
    parser = argparse.ArgumentParser(prog="haiops")
    subparsers = parser.add_subparsers(dest="command")
    helps = {"a": "made by a", "b": "made by b"}
    order = [first, "b" if first == "a" else "a"]

    groups = [command_group(subparsers, "doc", helps[name]) for name in order]
    groups[0].add_parser("inspect").set_defaults(handler="inspect")
    groups[1].add_parser("export").set_defaults(handler="export")

    assert groups[0] is groups[1]
    assert list(subparsers.choices) == ["doc"]
    assert subparsers._choices_actions[0].help == helps[first]
    arguments = parser.parse_args(["doc", "export"])
    assert (arguments.doc_command, arguments.handler) == ("export", "export")


def test_project_arguments_are_named_as_the_help_says() -> None:
    parser = argparse.ArgumentParser()
    add_project_arguments(parser, password_help=STDIN_LINES_HELP)

    arguments = _signed(parser)

    assert (arguments.project, arguments.user) == (Path("p"), "ada")
    assert arguments.password_stdin is True
    assert "--project FOLDER --user ID" in parser.format_usage()
    assert STDIN_LINES_HELP in parser.format_help()


def test_passwords_are_read_one_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = argparse.ArgumentParser()
    add_project_arguments(parser)
    arguments = _signed(parser)
    monkeypatch.setattr("sys.stdin", io.StringIO("first\r\nsecond\n\n"))

    assert read_password(arguments) == "first"
    assert read_password(arguments, "your password to sign") == "second"
    with pytest.raises(PasswordInputError) as raised:
        read_password(arguments, "your new password")
    assert str(raised.value) == "A password is missing: your new password. (empty line)"


def test_without_stdin_or_terminal_no_password_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parser = argparse.ArgumentParser()
    add_project_arguments(parser)
    arguments = parser.parse_args(["--project", "p", "--user", "ada"])
    monkeypatch.setattr("sys.stdin", io.StringIO("never read\n"))

    with pytest.raises(PasswordInputError) as raised:
        read_password(arguments)

    assert raised.value.fields["which"] == "your password"
    assert raised.value.path == "p"


def test_open_from_arguments_signs_in_with_the_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder, name="CT", user_id="ada", printed_name="Ada Admin", password=PASSWORD
    )
    parser = argparse.ArgumentParser()
    add_project_arguments(parser)
    arguments = parser.parse_args(
        ["--project", str(folder), "--user", "ada", "--password-stdin"]
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\nwrong\n"))

    with open_from_arguments(arguments) as project:
        assert (project.folder, project.user.user_id) == (folder, "ada")
    with pytest.raises(WrongPasswordError), open_from_arguments(arguments):
        pass
