"""Fixtures of the terminology tests: the synthetic MedDRA and an open project."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.terminology.meddra import MeddraTerminology, load_meddra


@pytest.fixture(scope="session")
def meddra_folder(shared_data: Path) -> Path:
    return shared_data / "terminology" / "meddra_synthetic"


@pytest.fixture(scope="session")
def meddra(meddra_folder: Path) -> MeddraTerminology:
    return load_meddra(meddra_folder, version="27.0")


@pytest.fixture
def meddra_copy(meddra_folder: Path, tmp_path: Path) -> Path:
    """A writable copy of the synthetic release, for version and damage tests."""
    folder = tmp_path / "release"
    shutil.copytree(meddra_folder, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    from storage.project import create_project, open_project

    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "pv-project"
    create_project(
        folder,
        name="PV",
        user_id="coder1",
        printed_name="C. Oder",
        password="Ume-plum 7 Kyoto",
    )
    session = open_project(folder, user_id="coder1", password="Ume-plum 7 Kyoto")
    try:
        yield session
    finally:
        session.close()
