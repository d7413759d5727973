"""Fixtures for the storage tests: real encrypted projects with several users."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import accounts
from storage.project import Project, create_project, open_project
from tests.storage.helpers import ADMIN, ANNOTATOR, LEAD, REVIEWER, Opener


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 parameters for new wraps (the parameters travel with them)."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A new project made by the admin, with no other users."""
    path = tmp_path / "project"
    create_project(
        path,
        name="Chest CT",
        user_id=ADMIN[0],
        printed_name=ADMIN[1],
        password=ADMIN[2],
    )
    return path


@pytest.fixture
def team(folder: Path) -> Path:
    """The project with an annotator, a reviewer and a site lead added."""
    with open_project(folder, user_id=ADMIN[0], password=ADMIN[2]) as project:
        for user_id, name, password, roles in (
            (*ANNOTATOR, ["annotator"]),
            (*REVIEWER, ["reviewer"]),
            (*LEAD, ["site_lead"]),
        ):
            accounts.add_user(
                project, user_id, name, roles, password, must_change_password=False
            )
    return folder


@pytest.fixture
def sign_in(team: Path) -> Iterator[Opener]:
    """Open the team project as one of the users; closed at the end."""
    opened: list[Project] = []

    def open_as(who: tuple[str, str, str]) -> Project:
        project = open_project(team, user_id=who[0], password=who[2])
        opened.append(project)
        return project

    yield open_as
    for project in opened:
        project.close()
