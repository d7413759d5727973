"""Fixtures for the preference tests: a real encrypted project and pair files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.project import Project, create_project, open_project

PASSWORD = "correct horse battery staple"


@pytest.fixture
def project_folder(tmp_path: Path) -> Path:
    """A new encrypted project whose first user is the judge ``eval1``."""
    folder = tmp_path / "project"
    create_project(
        folder,
        name="LLM evaluation",
        user_id="eval1",
        printed_name="Eval One",
        password=PASSWORD,
    )
    return folder


@pytest.fixture
def project(project_folder: Path) -> Iterator[Project]:
    """The project, signed in as ``eval1``."""
    with open_project(project_folder, user_id="eval1", password=PASSWORD) as opened:
        yield opened


@pytest.fixture
def hh_file(shared_data: Path) -> Path:
    """The 31 real HH-RLHF health pairs (implicit dialogue form)."""
    return shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
