"""Fixtures of the workflow tests: a real encrypted project with its team."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_support import ANN, BOB, LEAD, REV

from storage import accounts
from storage.project import create_project, open_project


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 parameters for new wraps (the parameters travel with them)."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A project made by the site lead with annotators ann and bob, reviewer rev.

    bob is a reviewer too, so that the refusal of own work is the workflow's
    and not only the role matrix's.
    """
    folder = tmp_path / "project"
    create_project(
        folder, name="Workflow", user_id=LEAD[0], printed_name=LEAD[1], password=LEAD[2]
    )
    with open_project(folder, user_id=LEAD[0], password=LEAD[2]) as project:
        for (user_id, name, password), roles in (
            (ANN, ["annotator"]),
            (BOB, ["annotator", "reviewer"]),
            (REV, ["reviewer"]),
        ):
            accounts.add_user(
                project, user_id, name, roles, password, must_change_password=False
            )
    return folder
