"""A DICOMDIR that cannot be read: its folder is searched, and the DICOMDIR noted."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from pydicom.dataset import FileMetaDataset
from pydicom.uid import UID, ExplicitVRLittleEndian

from app.cli import main
from viewers.imaging.errors import SeriesSourceError
from viewers.imaging.series import scan

REASON = (
    "a DICOMDIR that cannot be read (The IMAGE directory record at offset 390 "
    "is missing a required element); its folder was searched"
)


def _broken_dicomdir(path: Path) -> Path:
    """Write a DICOMDIR whose IMAGE record lacks its ReferencedFileID."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UID("1.2.840.10008.1.3.10")
    meta.MediaStorageSOPInstanceUID = UID("1.2.3.4")
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    record = pydicom.Dataset()
    record.DirectoryRecordType = "IMAGE"
    record.OffsetOfTheNextDirectoryRecord = 0
    record.OffsetOfReferencedLowerLevelDirectoryEntity = 0
    record.RecordInUseFlag = 0xFFFF
    dataset = pydicom.Dataset()
    dataset.file_meta = meta
    dataset.FileSetID = "BROKEN"
    dataset.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity = 0
    dataset.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity = 0
    dataset.FileSetConsistencyFlag = 0
    dataset.DirectoryRecordSequence = [record]
    dataset.save_as(path, enforce_file_format=True)
    return path


def test_unreadable_dicomdir_falls_back_to_its_folder(dicom_data: Path) -> None:
    dicomdir = dicom_data / "ct_philips_5mm_28" / "DIRFILE"

    result = scan(dicomdir)

    assert [info.slice_count for info in result.series] == [28]
    assert result.series[0].spacing_min_mm == pytest.approx(5.0)
    assert [(item.path, item.reason) for item in result.left_out] == [
        (dicomdir, REASON)
    ]


def test_inspect_lists_the_series_of_an_unreadable_dicomdir(
    dicom_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dicomdir = dicom_data / "ct_philips_5mm_28" / "DIRFILE"

    assert main(["inspect", str(dicomdir)]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert " 28 slices " in lines[0]
    assert lines[1:] == [f"left out: DIRFILE: {REASON}"]


def test_unreadable_dicomdir_alone_in_its_folder_is_an_error(tmp_path: Path) -> None:
    dicomdir = _broken_dicomdir(tmp_path / "DICOMDIR")

    with pytest.raises(SeriesSourceError) as caught:
        scan(dicomdir)

    assert caught.value.path == str(dicomdir)
    # The offset depends on the file meta pydicom writes; the rest is fixed.
    assert caught.value.detail.startswith(
        "DICOMDIR unreadable: The IMAGE directory record at offset "
    )
    assert caught.value.detail.endswith(" is missing a required element")


def test_unreadable_dicomdir_beside_a_non_image_leaves_both_out(
    tmp_path: Path,
) -> None:
    dicomdir = _broken_dicomdir(tmp_path / "DICOMDIR")
    notes = tmp_path / "notes.txt"
    notes.write_text("not DICOM", encoding="utf-8")

    result = scan(dicomdir)

    assert result.series == ()
    assert [item.path for item in result.left_out] == [dicomdir, notes]
