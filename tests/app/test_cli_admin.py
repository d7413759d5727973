from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from app import cli_admin
from app.commands import command_group
from storage.errors import HaiopsError, WrongPasswordError
from storage.project import create_project, open_project

PASSWORD = "ada's long password 1"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "project"
    create_project(
        path, name="CT", user_id="ada", printed_name="Ada Admin", password=PASSWORD
    )
    return path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haiops")
    subparsers = parser.add_subparsers(dest="command")
    cli_admin.register(subparsers)
    # app/cli_app.py adds "project create" after this module: both share the group.
    command_group(subparsers, "project", "manage projects").add_parser("create")
    return parser


def run(
    argv: list[str],
    stdin: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    arguments = _parser().parse_args(argv)
    status = arguments.handler(arguments)
    return status, capsys.readouterr().out


def _signed(folder: Path, *rest: str) -> list[str]:
    return [*rest, "--project", str(folder), "--user", "ada", "--password-stdin"]


def test_project_actions_join_the_project_command_made_later() -> None:
    parser = _parser()
    arguments = parser.parse_args(["project", "restore", "b", "f", "--user", "x"])
    assert arguments.handler is cli_admin._project_restore


def test_user_add_list_and_passwd(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(
        _signed(
            folder,
            "user",
            "add",
            "bob",
            "--name",
            "Bob Baker",
            "--role",
            "annotator",
            "--role",
            "reviewer",
        ),
        f"{PASSWORD}\nbob's first password\n",
        monkeypatch,
        capsys,
    )
    assert status == 0
    assert out == (
        "Added bob (annotator, reviewer); they choose a new password at first sign-in\n"
    )

    status, out = run(
        _signed(folder, "user", "list"), f"{PASSWORD}\n", monkeypatch, capsys
    )
    assert out.splitlines() == [
        "User ID\tPrinted name\tRoles\tState",
        "ada\tAda Admin\tadmin,annotator,reviewer,site_lead\tactive",
        "bob\tBob Baker\tannotator,reviewer\tactive",
    ]

    argv = [
        "user",
        "passwd",
        "--project",
        str(folder),
        "--user",
        "bob",
        "--password-stdin",
    ]
    status, out = run(
        argv, "bob's first password\nbob's own password\n", monkeypatch, capsys
    )
    assert out == "Password changed; a new signing key was made\n"
    with open_project(folder, user_id="bob", password="bob's own password"):
        pass


def test_a_reset_reads_three_passwords(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_project(folder, user_id="ada", password=PASSWORD) as project:
        from storage.accounts import add_user

        add_user(
            project,
            "lee",
            "Lee Lead",
            ["site_lead"],
            "lee's long password",
            must_change_password=False,
        )
        add_user(
            project,
            "ann",
            "Ann",
            ["annotator"],
            "ann's long password",
            must_change_password=False,
        )
    status, out = run(
        _signed(
            folder, "user", "reset", "ann", "--site-lead", "lee", "--reason", "forgot"
        ),
        f"{PASSWORD}\nlee's long password\ntemporary password 1\n",
        monkeypatch,
        capsys,
    )
    assert (status, out) == (
        0,
        "Reset the password of ann; their signing key is revoked\n",
    )


def test_audit_verify_checkpoint_export(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = run(
        _signed(folder, "audit", "verify"), f"{PASSWORD}\n", monkeypatch, capsys
    )
    assert status == 0
    assert out.startswith("OK ")

    checkpoint = tmp_path / "cp.json"
    run(
        _signed(folder, "audit", "checkpoint", str(checkpoint)),
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    status, out = run(
        _signed(folder, "audit", "verify", "--checkpoint", str(checkpoint)),
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    assert status == 0
    assert out.startswith("OK ")

    status, out = run(
        _signed(
            folder,
            "audit",
            "export",
            "--pdf",
            str(tmp_path / "a.pdf"),
            "--csv",
            str(tmp_path / "a.csv"),
        ),
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    assert status == 0
    assert out.startswith("Exported ")
    assert (tmp_path / "a.pdf").stat().st_size > 0


def test_audit_verify_reports_the_first_bad_entry(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlcipher3

    from storage.keyfile import KeyFile

    key = KeyFile.read(folder / "project.key").unwrap("ada", PASSWORD)
    connection = sqlcipher3.connect(str(folder / "project.db"), isolation_level=None)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    connection.execute("DROP TRIGGER audit_no_update")
    connection.execute("UPDATE audit_entries SET printed_name = 'Eve' WHERE seq = 2")
    connection.close()
    status, out = run(
        _signed(folder, "audit", "verify"), f"{PASSWORD}\n", monkeypatch, capsys
    )
    assert status == 1
    assert out == (
        "BAD at entry 2: the entry was edited: its content does not match its hash\n"
    )


def test_backup_restore_and_alerts(
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out = run(
        _signed(folder, "project", "backup", str(tmp_path / "b")),
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    assert status == 0
    assert out.startswith(f"Backup written to {tmp_path / 'b'}")
    status, out = run(
        [
            "project",
            "restore",
            str(tmp_path / "b"),
            str(tmp_path / "restored"),
            "--user",
            "ada",
            "--password-stdin",
        ],
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    assert status == 0
    assert "audit chain OK" in out
    status, out = run(_signed(folder, "alerts"), f"{PASSWORD}\n", monkeypatch, capsys)
    assert out == "No open alerts\n"


def test_a_wrong_password_is_a_clear_error(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(WrongPasswordError):
        run(_signed(folder, "user", "list"), "not it at all\n", monkeypatch, capsys)


def test_an_empty_password_line_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(HaiopsError, match="A password is missing: your password"):
        run(_signed(folder, "user", "list"), "\n", monkeypatch, capsys)


def test_roles_and_deactivate(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        _signed(folder, "user", "add", "bob", "--name", "Bob", "--role", "annotator"),
        f"{PASSWORD}\nbob's first password\n",
        monkeypatch,
        capsys,
    )
    status, out = run(
        _signed(
            folder, "user", "roles", "bob", "--role", "reviewer", "--reason", "trained"
        ),
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    assert (status, out) == (0, "bob now has the roles reviewer\n")
    status, out = run(
        _signed(folder, "user", "deactivate", "bob", "--reason", "left"),
        f"{PASSWORD}\n",
        monkeypatch,
        capsys,
    )
    assert (status, out) == (0, "Deactivated bob; their signing key is revoked\n")
    _, out = run(_signed(folder, "user", "list"), f"{PASSWORD}\n", monkeypatch, capsys)
    assert out.splitlines()[2] == "bob\tBob\treviewer\tdeactivated"
