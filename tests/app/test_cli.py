"""The ``haiops`` entry point: cheap registration, errors printed once (app/cli.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import error_message, main
from app.cli_quality import WEIGHTS
from app.quality import agreement
from storage.errors import HaiopsError, WeakPasswordError

HEAVY = (
    "sklearn",
    "scipy",
    "pymupdf",
    "fitz",
    "highdicom",
    "pandas",
    "psycopg",
    "pyarrow",
    "PySide6",
    "vtk",
    "vtkmodules",
)
REPO = Path(__file__).resolve().parents[2]


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, HAIOPS_LOG_DIR=str(tmp_path / "logs"))
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_building_the_parser_imports_no_heavy_library(tmp_path: Path) -> None:
    code = (
        "import app.cli, sys; app.cli.build_parser(); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {set(HEAVY)!r}))"
    )

    result = _python(code, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"


def test_quality_weights_match_the_agreement_module() -> None:
    assert WEIGHTS == agreement.WEIGHTS


def test_an_error_is_printed_once(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"

    result = _python(
        f"import app.cli; app.cli.main(['inspect', {str(missing)!r}])", tmp_path
    )

    lines = result.stderr.splitlines()
    assert lines == [
        f"haiops: {missing} cannot be opened as DICOM images. (does not exist)",
        "  Choose a folder of DICOM files, a DICOMDIR or DICOM files.",
    ]
    log = (tmp_path / "logs" / "haiops.log").read_text(encoding="utf-8")
    assert "Command inspect failed" in log


def test_a_weak_password_is_described_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("abc\n"))

    status = main(
        [
            "project",
            "create",
            str(tmp_path / "X"),
            "--user",
            "bob",
            "--printed-name",
            "Bob",
            "--password-stdin",
        ]
    )

    assert status == 1
    assert capsys.readouterr().err.splitlines() == [
        "haiops: The new password does not meet the site's rules: "
        "fewer than 12 characters.",
        "  Choose a longer password that is not a common one.",
    ]


def test_a_detail_that_adds_something_is_kept() -> None:
    repeated = WeakPasswordError("is the user ID", problems="is the user ID")
    added = HaiopsError("disk full")

    assert error_message(repeated) == (
        "The new password does not meet the site's rules: is the user ID."
    )
    assert error_message(added) == "Something went wrong. (disk full)"
