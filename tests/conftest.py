"""Fixtures shared by every test: the real public inputs and a clean environment."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# A run that proves the Qt-free packages need no Qt: PySide6 cannot be imported.
if os.environ.get("HAIOPS_BLOCK_QT") == "1":
    sys.modules["PySide6"] = None  # type: ignore[assignment]

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _shared(relative: str) -> Path:
    path = SHARED_DATA / relative
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared test data missing in CI: {path}")
        pytest.skip(f"shared test data not found: {path}")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real public inputs beside the project (../shared/data)."""
    return _shared("")


@pytest.fixture(scope="session")
def dicom_data() -> Path:
    """Real scanner series (../shared/data/dicom)."""
    return _shared("dicom")


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep every test's data, settings and logs out of the user's folders."""
    root = tmp_path_factory.mktemp("haiops-home")
    saved = {
        k: os.environ.get(k)
        for k in (
            "HAIOPS_DATA_DIR",
            "HAIOPS_CONFIG_DIR",
            "HAIOPS_LOG_DIR",
            "HAIOPS_KDF_FAST",
        )
    }
    os.environ["HAIOPS_DATA_DIR"] = str(root / "data")
    os.environ["HAIOPS_CONFIG_DIR"] = str(root / "config")
    os.environ["HAIOPS_LOG_DIR"] = str(root / "logs")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
