"""Fixtures for the quality tests: a real encrypted project with three annotators."""

from __future__ import annotations

from pathlib import Path

import pytest
from quality_support import ANN, BOB, CYD, LEAD

from storage import accounts
from storage.project import create_project, open_project


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 parameters for new wraps (the parameters travel with them)."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A project made by the site lead, with annotators ann, bob and cyd."""
    folder = tmp_path / "project"
    create_project(
        folder, name="Quality", user_id=LEAD[0], printed_name=LEAD[1], password=LEAD[2]
    )
    with open_project(folder, user_id=LEAD[0], password=LEAD[2]) as project:
        for user_id, name, password in (ANN, BOB, CYD):
            accounts.add_user(
                project,
                user_id,
                name,
                ["annotator"],
                password,
                must_change_password=False,
            )
    return folder
