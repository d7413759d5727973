"""TID 1500 Measurement Report export of rulers and ROIs on real CT and MR series."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dicom_support import dciodvfy_errors, draw

from app.exports.dicom_seg import DicomExportError
from app.exports.dicom_sr import export_dicom_sr, tracking_uid
from app.series_workspace import add_series_item
from storage.project import Project
from viewers.imaging.series import SeriesInfo, scan
from viewers.imaging.volume import Volume, load_volume

COMPREHENSIVE_3D_SR = "1.2.840.10008.5.1.4.1.1.88.34"
CT_ROIS = [
    ("ruler", "vessel", 10, [[100, 100], [300, 120]]),
    ("rectangle", "nodule", 10, [[200, 200], [240, 230]]),
    ("ellipse", "nodule", 12, [[100, 100], [140, 160]]),
    ("polygon", "vessel", 14, [[300, 300], [350, 310], [330, 360]]),
    ("point", "nodule", 11, [[256, 256]]),
]


def measured(group: hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations) -> dict:
    found = {}
    for measurement in group.get_measurements():
        derivation = measurement.derivation
        key = measurement.name.meaning + (
            "" if derivation is None else f" {derivation.meaning}"
        )
        found[key] = (measurement.value, measurement.unit.value)
    return found


def test_sr_reports_rulers_and_roi_statistics_on_the_source_images(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    rois = draw(project, item, volume, CT_ROIS)

    result = export_dicom_sr(project, item.record_id, tmp_path / "out")

    assert result.labels == ("vessel", "nodule")
    assert result.roi_record_ids == tuple(r.record_id for r in rois[:4])
    document = hd.sr.srread(result.path)
    assert document.SOPClassUID == COMPREHENSIVE_3D_SR
    assert document.CompletionFlag == "COMPLETE"
    assert document.VerificationFlag == "UNVERIFIED"
    template = document.ContentTemplateSequence[0]
    assert (template.MappingResource, template.TemplateIdentifier) == ("DCMR", "1500")
    groups = document.content.get_planar_roi_measurement_groups()
    assert len(groups) == 3
    (ruler,) = document.content.get_image_measurement_groups()

    by_uid = {group.tracking_uid: group for group in groups}
    rectangle, ellipse, polygon = (by_uid[tracking_uid(r.record_id)] for r in rois[1:4])

    # The ruler: its length exactly as recorded, from its ends on its slice.
    assert ruler.tracking_uid == tracking_uid(rois[0].record_id)
    assert str(ruler.tracking_identifier) == "vessel ruler"
    assert ruler.finding_type.value == "59820001"
    (length,) = ruler.get_measurements()
    assert length.name.meaning == "Length"
    assert abs(length.value - rois[0].body["length_mm"]) < 1e-6
    assert abs(length.value - 0.451171875 * np.hypot(200, 20)) < 1e-9
    assert length.unit.value == "mm"
    (ends,) = length.referenced_coordinates
    assert ends.graphic_type == hd.sr.GraphicTypeValues.POLYLINE
    assert ends.value.tolist() == [[100.5, 100.5], [300.5, 120.5]]
    reference = ends.ContentSequence[0].ReferencedSOPSequence[0]
    assert reference.ReferencedSOPInstanceUID == series.slices[10].sop_instance_uid
    assert reference.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.2"

    # Area ROIs: area and HU statistics as recorded, the finding as coded.
    for group, roi in ((rectangle, rois[1]), (ellipse, rois[2]), (polygon, rois[3])):
        stats = roi.body["statistics"]
        values = measured(group)
        assert values["Area"] == pytest.approx((stats["area_mm2"], "mm2"), abs=1e-6)
        for name, field in (
            ("Mean", "mean"),
            ("Standard Deviation", "sd"),
            ("Minimum", "minimum"),
            ("Maximum", "maximum"),
        ):
            value, unit = values[f"Attenuation Coefficient {name}"]
            assert abs(value - stats[field]) < 1e-6
            assert unit == "[hnsf'U]"
        uid = group.roi.ContentSequence[0].ReferencedSOPSequence[0]
        assert uid.ReferencedSOPInstanceUID == roi.body["sop_instance_uid"]
    assert rectangle.finding_type.value == "27925004"
    assert polygon.finding_type.value == "59820001"
    assert rectangle.roi.value.tolist() == [
        [200.5, 200.5],
        [240.5, 200.5],
        [240.5, 230.5],
        [200.5, 230.5],
        [200.5, 200.5],
    ]
    assert ellipse.roi.graphic_type == hd.sr.GraphicTypeValues.ELLIPSE
    assert ellipse.roi.value.tolist() == [
        [120.5, 100.5],
        [120.5, 160.5],
        [100.5, 130.5],
        [140.5, 130.5],
    ]
    assert (
        polygon.roi.value.tolist()[0]
        == polygon.roi.value.tolist()[-1]
        == [
            300.5,
            300.5,
        ]
    )


def test_sr_names_the_annotator_and_belongs_with_the_study(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS[:2])

    result = export_dicom_sr(project, item.record_id, tmp_path)

    document = hd.sr.srread(result.path)
    observers = [
        node
        for node in document.ContentSequence
        if node.ConceptNameCodeSequence[0].CodeValue in ("121008", "128774")
    ]
    assert [str(n.get("PersonName", n.get("TextValue", ""))) for n in observers] == [
        "Rad One^",
        "rad1",
    ]
    source = pydicom.dcmread(series.slices[0].path, stop_before_pixels=True)
    for keyword in (
        "PatientName",
        "PatientID",
        "PatientBirthDate",
        "PatientSex",
        "StudyInstanceUID",
        "StudyDate",
        "StudyID",
        "AccessionNumber",
    ):
        assert document.get(keyword) == source.get(keyword), keyword
    evidence = document.CurrentRequestedProcedureEvidenceSequence[0]
    referenced = evidence.ReferencedSeriesSequence[0].ReferencedSOPSequence
    assert [r.ReferencedSOPInstanceUID for r in referenced] == [
        series.slices[10].sop_instance_uid
    ]
    assert dciodvfy_errors(result.path) == []

    entries = project.audit.entries(action="export.dicom_sr")
    assert [e.record_id for e in entries] == [item.record_id]
    assert json.loads(entries[0].new_value or "{}")["sop_instance_uid"] == (
        result.sop_instance_uid
    )


def test_mr_statistics_are_signal_intensity_and_pass_dciodvfy(
    project: Project, dicom_data: Path, tmp_path: Path
) -> None:
    series = scan(dicom_data / "mr_ge_oblique_t1_130").series[0]
    volume = load_volume(series)
    item = add_series_item(project, series)
    rois = draw(
        project,
        item,
        volume,
        [
            ("ellipse", "nodule", 60, [[100, 100], [140, 130]]),
            ("ruler", "vessel", 61, [[10, 10], [110, 10]]),
        ],
    )

    # pydicom warns once per place: reset so a warning here is not hidden
    # by the one add_series_item gave (the GE private Coil ID, SH, of the
    # source files, read by app.sync_ui), then fail on any value longer
    # than its VR allows in the export or the file it writes.
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="The value length")
        result = export_dicom_sr(project, item.record_id, tmp_path)
        document = hd.sr.srread(result.path)
        document.walk(lambda _ds, _element: None)

    content = document.content
    groups = {
        g.tracking_uid: g
        for g in [
            *content.get_planar_roi_measurement_groups(),
            *content.get_image_measurement_groups(),
        ]
    }
    ellipse = measured(groups[tracking_uid(rois[0].record_id)])
    mean, unit = ellipse["MR signal intensity Mean"]
    assert abs(mean - rois[0].body["statistics"]["mean"]) < 1e-6
    assert unit == "1"
    length, _ = measured(groups[tracking_uid(rois[1].record_id)])["Length"]
    assert abs(length - 93.75) < 1e-9
    assert dciodvfy_errors(result.path) == []


def test_sr_refuses_an_item_with_only_points(
    project: Project, ct: tuple[SeriesInfo, Volume], tmp_path: Path
) -> None:
    series, volume = ct
    item = add_series_item(project, series)
    draw(project, item, volume, CT_ROIS[4:])

    with pytest.raises(DicomExportError) as raised:
        export_dicom_sr(project, item.record_id, tmp_path / "out")

    assert raised.value.fields["problem"] == "the item has no ROI to export"
    assert raised.value.fields["format"] == "SR"
    assert not (tmp_path / "out").exists()
