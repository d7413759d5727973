"""Fixtures of the export tests: a labelled project and the 5 mm CT series."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dicom_support import labelled_project

from storage.project import Project
from viewers.imaging.series import SeriesInfo, scan
from viewers.imaging.volume import Volume, load_volume


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """A new project signed in as rad1, with the nodule and vessel labels."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    with labelled_project(tmp_path / "project") as opened:
        yield opened


@pytest.fixture
def ct(dicom_data: Path) -> tuple[SeriesInfo, Volume]:
    """The 28-slice 5 mm Philips CT series and its volume."""
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    return series, load_volume(series)
