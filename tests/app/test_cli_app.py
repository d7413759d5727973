"""The window's commands: project create (password from stdin), demo, open."""

from __future__ import annotations

import argparse
import io
import os
from pathlib import Path

import pytest

from app import cli_app
from app.cli_app import PasswordInputError, folder_for
from storage.errors import ProjectExistsError, ServiceError
from storage.project import open_project


def haiops(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="haiops")
    cli_app.register(parser.add_subparsers())
    arguments = parser.parse_args(argv)
    return int(arguments.handler(arguments))


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


def test_project_create_reads_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-pass-phrase\n"))

    status = haiops(
        [
            "project",
            "create",
            "Chest CT reading 2026",
            "--user",
            "rad1",
            "--printed-name",
            "Dr A. Reader",
            "--password-stdin",
        ]
    )

    folder = Path(os.environ["HAIOPS_DATA_DIR"]) / "projects" / "chest-ct-reading-2026"
    assert status == 0
    assert capsys.readouterr().out == f"Project created in {folder}\n"
    with open_project(folder, user_id="rad1", password="a-long-pass-phrase") as project:
        assert project.name == "Chest CT reading 2026"
        assert project.user.printed_name == "Dr A. Reader"

    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-pass-phrase\n"))
    with pytest.raises(ProjectExistsError):
        haiops(
            [
                "project",
                "create",
                "Chest CT reading 2026",
                "--user",
                "x",
                "--printed-name",
                "X",
                "--password-stdin",
            ]
        )


def test_project_create_refuses_empty_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    with pytest.raises(PasswordInputError, match="empty password"):
        haiops(
            [
                "project",
                "create",
                "P",
                "--user",
                "u",
                "--printed-name",
                "U",
                "--password-stdin",
            ]
        )


def test_password_is_never_an_argument() -> None:
    with pytest.raises(SystemExit):
        haiops(
            [
                "project",
                "create",
                "P",
                "--user",
                "u",
                "--printed-name",
                "U",
                "--password",
                "secret",
            ]
        )


def test_folder_for_keeps_japanese_letters() -> None:
    assert folder_for("治験 001 / 胸部CT").name == "治験-001-胸部ct"


def test_open_missing_path_names_it(tmp_path: Path) -> None:
    with pytest.raises(ServiceError) as caught:
        haiops(["open", str(tmp_path / "nowhere")])
    assert caught.value.path == str(tmp_path / "nowhere")


@pytest.mark.slow
def test_demo_without_window(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert haiops(["demo", "--no-window", "--data-dir", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"Demo project created in {tmp_path / 'd' / 'projects' / 'haiops-demo'}"
    )
    assert "user ID:  demo" in out
    assert "password: haiops-demo-2026" in out
