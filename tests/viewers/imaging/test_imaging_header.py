"""The fast header reader agrees with pydicom on every kind of file it accepts."""

from __future__ import annotations

import os
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from viewers.imaging import series as series_module
from viewers.imaging._header import read_fast_header

PYDICOM_FILES = [
    "CT_small.dcm",
    "MR_small.dcm",
    "MR_small_implicit.dcm",
    "MR_small_jp2klossless.dcm",
    "693_J2KR.dcm",
    "emri_small.dcm",
    "rtdose.dcm",
    "vlut_04.dcm",
    "RG1_UNCI.dcm",
]


def _pydicom_header(path: Path) -> tuple[object, int, int, bytes]:
    with path.open("rb") as fp:
        ds = pydicom.dcmread(fp, stop_before_pixels=True)
        end = fp.tell()
        size = os.fstat(fp.fileno()).st_size
        fp.seek(end)
        return ds, end, size, fp.read(12)


def _assert_same(path: Path) -> None:
    fast = read_fast_header(path)
    assert fast is not None, path
    slow = _pydicom_header(path)

    assert fast[1:] == slow[1:]
    reason = series_module._not_an_image(fast[0], *fast[1:])
    assert reason == series_module._not_an_image(slow[0], *slow[1:])
    if reason is None:
        assert series_module._candidates_of(
            path, fast[0], fast[1], fast[3]
        ) == series_module._candidates_of(path, slow[0], slow[1], slow[3])


def test_fast_header_matches_pydicom_on_shared_series(dicom_data: Path) -> None:
    files = [p for p in sorted(dicom_data.rglob("*")) if p.is_file()]
    dicom_files = [p for p in files if not p.name.startswith("LICENSE")]

    for path in dicom_files[::7]:
        _assert_same(path)


@pytest.mark.parametrize("name", PYDICOM_FILES)
def test_fast_header_matches_pydicom_on_pydicom_files(name: str) -> None:
    _assert_same(Path(get_testdata_file(name)))


@pytest.mark.parametrize(
    "name", ["MR_small_bigendian.dcm", "eCT_Supplemental.dcm", "no_meta.dcm"]
)
def test_fast_header_leaves_other_files_to_pydicom(name: str) -> None:
    assert read_fast_header(Path(get_testdata_file(name))) is None
