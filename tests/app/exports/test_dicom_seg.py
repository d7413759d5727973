"""DICOM SEG export of ROIs drawn on real CT and MR series in a real project."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import uuid
import warnings
from pathlib import Path
from typing import Any

import highdicom as hd
import numpy as np
import pydicom
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dicom_support import PASSWORD, dciodvfy_errors, draw

from app.exports.dicom_seg import (
    DicomExportError,
    SourceFileError,
    export_dicom_seg,
)
from app.series_workspace import add_series_item
from storage.accounts import add_user
from storage.project import Project, open_project
from viewers.imaging.roi import roi_mask
from viewers.imaging.series import SeriesInfo, scan
from viewers.imaging.volume import Volume, load_volume

SEG_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4"
# (kind, label, slice index, image points (column, row)) on the 5 mm CT.
CT_ROIS = [
    ("rectangle", "nodule", 10, [[200, 200], [240, 230]]),
    ("ellipse", "nodule", 12, [[100, 100], [140, 150]]),
    ("polygon", "vessel", 10, [[300, 300], [350, 310], [330, 360]]),
    ("freehand", "vessel", 14, [[50, 60], [80, 62], [90, 90], [60, 95]]),
    ("rectangle", "vessel", 14, [[70, 80], [120, 110]]),
    ("ruler", "vessel", 10, [[100, 100], [300, 100]]),
    ("point", "nodule", 11, [[256, 256]]),
]


def frames_by_segment(seg: Any) -> dict[int, list[tuple[str, np.ndarray]]]:
    pixels = seg.pixel_array.reshape(-1, seg.Rows, seg.Columns)
    shared = seg.SharedFunctionalGroupsSequence[0]
    found: dict[int, list[tuple[str, np.ndarray]]] = {}
    for frame, item in zip(pixels, seg.PerFrameFunctionalGroupsSequence, strict=True):
        # One segment only: highdicom names it once, in the shared groups.
        holder = item if "SegmentIdentificationSequence" in item else shared
        identification = holder.SegmentIdentificationSequence[0]
        number = int(identification.ReferencedSegmentNumber)
        source = item.DerivationImageSequence[0].SourceImageSequence[0]
        found.setdefault(number, []).append(
            (str(source.ReferencedSOPInstanceUID), frame.astype(bool))
        )
    return found


def test_seg_holds_one_segment_per_label_with_the_roi_masks(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS)

    result = export_dicom_seg(project, item.record_id, tmp_path / "out")

    assert result.path.parent == tmp_path / "out"
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.path.name]
    assert result.labels == ("nodule", "vessel")
    assert len(result.roi_record_ids) == 5  # the ruler and the point have no area
    seg = pydicom.dcmread(result.path)
    assert seg.SOPClassUID == SEG_STORAGE
    assert seg.SegmentationType == "BINARY"
    assert str(seg.ContentCreatorName) == "Rad One^"
    assert seg.SOPInstanceUID == result.sop_instance_uid

    segments = {int(s.SegmentNumber): s for s in seg.SegmentSequence}
    assert [str(segments[n].SegmentLabel) for n in (1, 2)] == ["nodule", "vessel"]
    nodule, vessel = segments[1], segments[2]
    assert nodule.SegmentedPropertyTypeCodeSequence[0].CodeValue == "27925004"
    assert nodule.SegmentedPropertyCategoryCodeSequence[0].CodeValue == "49755003"
    assert vessel.SegmentedPropertyTypeCodeSequence[0].CodeValue == "59820001"
    assert vessel.SegmentedPropertyCategoryCodeSequence[0].CodeValue == "91723000"
    assert nodule.SegmentAlgorithmType == "MANUAL"
    assert list(nodule.RecommendedDisplayCIELabValue) == list(
        hd.color.CIELabColor.from_rgb(0xFF, 0x5A, 0x36).value
    )
    assert list(vessel.RecommendedDisplayCIELabValue) == list(
        hd.color.CIELabColor.from_rgb(0x3A, 0xA0, 0xFF).value
    )

    shape = (series.rows, series.columns)
    uid = [s.sop_instance_uid for s in series.slices]
    expected = {
        1: {
            uid[10]: roi_mask("rectangle", [(200, 200), (240, 230)], shape),
            uid[12]: roi_mask("ellipse", [(100, 100), (140, 150)], shape),
        },
        2: {
            uid[10]: roi_mask("polygon", [(300, 300), (350, 310), (330, 360)], shape),
            uid[14]: roi_mask(
                "freehand", [(50, 60), (80, 62), (90, 90), (60, 95)], shape
            )
            | roi_mask("rectangle", [(70, 80), (120, 110)], shape),
        },
    }
    frames = frames_by_segment(seg)
    assert {n: len(f) for n, f in frames.items()} == {1: 2, 2: 2}
    for number, masks in expected.items():
        got = dict(frames[number])
        assert set(got) == set(masks)
        for sop_uid, mask in masks.items():
            assert int(got[sop_uid].sum()) == int(mask.sum())
            assert np.array_equal(got[sop_uid], mask)
    assert int(expected[1][uid[10]].sum()) == 41 * 31


def test_seg_belongs_with_the_source_study_and_passes_dciodvfy(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS[:2])

    result = export_dicom_seg(project, item.record_id, tmp_path)

    seg = pydicom.dcmread(result.path)
    source = pydicom.dcmread(series.slices[0].path, stop_before_pixels=True)
    for keyword in (
        "PatientName",
        "PatientID",
        "PatientBirthDate",
        "PatientSex",
        "StudyInstanceUID",
        "StudyDate",
        "StudyTime",
        "StudyID",
        "AccessionNumber",
        "FrameOfReferenceUID",
    ):
        assert seg.get(keyword) == source.get(keyword), keyword
    assert seg.SeriesInstanceUID != source.SeriesInstanceUID
    assert dciodvfy_errors(result.path) == []


def test_seg_export_is_audited(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    rois = draw(project, item, volume, CT_ROIS[:3])

    result = export_dicom_seg(project, item.record_id, tmp_path)

    entries = project.audit.entries(action="export.dicom_seg")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.record_id == item.record_id
    assert entry.user_id == "rad1"
    new = json.loads(entry.new_value or "{}")
    assert new["sop_instance_uid"] == result.sop_instance_uid
    assert new["path"] == str(result.path)
    assert new["roi_revision_ids"] == [r.revision_id for r in rois]
    assert new["labels"] == ["nodule", "vessel"]
    assert project.audit.verify().is_ok


def test_oblique_mr_with_orientation_noise_exports(
    project: Project, dicom_data: Path, tmp_path: Path
) -> None:
    series = scan(dicom_data / "mr_ge_oblique_t1_130").series[0]
    volume = load_volume(series)
    item = add_series_item(project, series)
    draw(
        project,
        item,
        volume,
        [
            ("ellipse", "nodule", 60, [[100, 100], [140, 130]]),
            ("polygon", "nodule", 61, [[100, 100], [150, 105], [120, 140]]),
        ],
    )
    # The files themselves differ after the 9th decimal (why alignment is needed).
    orientations = {
        tuple(pydicom.dcmread(s.path, stop_before_pixels=True).ImageOrientationPatient)
        for s in series.slices[60:62]
    }
    assert len(orientations) == 2

    # pydicom warns once per place: reset so a warning here is not hidden
    # by the one add_series_item gave (the GE private Coil ID, SH, of the
    # source files, read by app.sync_ui), then fail on any value longer
    # than its VR allows in the export or the file it writes.
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="The value length")
        result = export_dicom_seg(project, item.record_id, tmp_path)
        seg = pydicom.dcmread(result.path)
        seg.walk(lambda _ds, _element: None)

    assert seg.Modality == "SEG"
    shared = seg.SharedFunctionalGroupsSequence[0]
    written = [
        float(v) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient
    ]
    assert np.allclose(written, series.orientation, atol=1e-6)
    assert {n: len(f) for n, f in frames_by_segment(seg).items()} == {1: 2}
    assert dciodvfy_errors(result.path) == []


def test_several_annotators_need_a_choice(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS[:1])
    add_user(
        project, "rad2", "Rad Two", ["annotator"], PASSWORD, must_change_password=False
    )
    with open_project(project.folder, user_id="rad2", password=PASSWORD) as second:
        draw(second, item, volume, CT_ROIS[2:3])

    with pytest.raises(DicomExportError, match="2 annotators drew ROIs; choose one"):
        export_dicom_seg(project, item.record_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()

    result = export_dicom_seg(project, item.record_id, tmp_path / "out", author="rad2")
    seg = pydicom.dcmread(result.path)
    assert str(seg.ContentCreatorName) == "Rad Two^"
    assert [str(s.SegmentLabel) for s in seg.SegmentSequence] == ["vessel"]


def test_roi_with_conflicting_edits_is_refused(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    (first,) = draw(project, item, volume, CT_ROIS[:1])
    project.records.revise(first.record_id, {**first.body, "label": "vessel"})
    # The same first revision edited on another workstation, synced in.
    other = dataclasses.replace(
        first,
        revision_id=str(uuid.uuid4()),
        supersedes=first.revision_id,
        workstation_id="another-workstation",
        body={**first.body, "points_image": [[10.0, 10.0], [20.0, 20.0]]},
    )
    assert project.records.add_foreign(other)

    with pytest.raises(DicomExportError, match="has conflicting edits"):
        export_dicom_seg(project, item.record_id, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_changed_source_file_is_named_and_nothing_written(
    project: Project, dicom_data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "series"
    shutil.copytree(dicom_data / "ct_philips_5mm_28", folder)
    series = scan(folder).series[0]
    item = add_series_item(project, series)
    draw(project, item, load_volume(series), CT_ROIS[:1])
    changed = series.slices[5].path
    with changed.open("r+b") as stream:
        stream.seek(-1, os.SEEK_END)
        last = stream.read(1)
        stream.seek(-1, os.SEEK_END)
        stream.write(bytes([last[0] ^ 0xFF]))

    with pytest.raises(SourceFileError) as raised:
        export_dicom_seg(project, item.record_id, tmp_path / "out")

    assert raised.value.path == str(changed.resolve())
    assert not (tmp_path / "out").exists()
    assert project.audit.entries(action="export.dicom_seg") == []


def test_item_without_area_rois_is_refused(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS[5:])

    with pytest.raises(DicomExportError, match="the item has no ROI to export"):
        export_dicom_seg(project, item.record_id, tmp_path)
    assert list(tmp_path.iterdir()) == [tmp_path / "project"]


def test_output_that_is_a_file_is_refused(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS[:1])
    taken = tmp_path / "report.txt"
    taken.write_text("not a folder", encoding="utf-8")

    with pytest.raises(DicomExportError) as raised:
        export_dicom_seg(project, item.record_id, taken)

    assert raised.value.path == str(taken)
    assert raised.value.fields["problem"] == f"{taken} is not a folder"
    assert project.audit.entries(action="export.dicom_seg") == []
