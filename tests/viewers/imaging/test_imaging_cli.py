"""``haiops inspect``: the series summary, as data and from the command line."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli_imaging import inspect_json, register


def test_inspect_json_of_the_shared_folder(dicom_data: Path) -> None:
    report = inspect_json(dicom_data)

    by_count = {s["slice_count"]: s for s in report["series"]}
    assert sorted(by_count) == [28, 54, 130, 140]
    assert len(report["series"]) == 5
    ge = next(s for s in report["series"] if s["recorded_tilt_deg"] == 18.5)
    assert ge["largest_gap_files"] == [
        "ct_ge_tilt_uneven_28/15.dcm",
        "ct_ge_tilt_uneven_28/16.dcm",
    ]
    assert ge["spacing_along_normal_mm"]["max"] == pytest.approx(6.9986, abs=1e-3)
    assert ge["geometric_tilt_deg"] == pytest.approx(-18.5, abs=0.1)
    philips = by_count[140]
    assert philips["pixel_spacing_mm"] == [0.451171875, 0.451171875]
    assert philips["orientation"] == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    assert philips["rows"] == philips["columns"] == 512
    left_out = {item["path"]: item["reason"] for item in report["left_out"]}
    assert "localizer" in left_out["ct_philips_localizer/I10"]
    assert "ct_philips_1mm_140/DIRFILE" in left_out
    assert all(not p.startswith("/") for p in left_out)


def test_inspect_prints_no_patient_name_or_id(dicom_data: Path) -> None:
    import pydicom

    folder = dicom_data / "ct_philips_5mm_28"
    header = pydicom.dcmread(folder / "I10", stop_before_pixels=True)
    text = json.dumps(inspect_json(folder))

    for value in (str(header.get("PatientName", "")), str(header.get("PatientID", ""))):
        if len(value) > 2:
            assert value not in text


def test_register_adds_the_inspect_command(
    dicom_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="haiops")
    register(parser.add_subparsers(dest="command"))

    arguments = parser.parse_args(
        ["inspect", str(dicom_data / "ct_philips_5mm_28"), "--json"]
    )
    status = arguments.handler(arguments)

    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["slice_count"] for s in report["series"]] == [28]


def test_inspect_runs_as_a_command(dicom_data: Path) -> None:
    code = (
        "import sys, argparse; from app.cli_imaging import register; "
        "p = argparse.ArgumentParser(); register(p.add_subparsers()); "
        "a = p.parse_args(sys.argv[1:]); sys.exit(a.handler(a))"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "inspect",
            str(dicom_data / "ct_ge_tilt_uneven_28"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )

    assert "28 slices" in done.stdout
    assert "tilt -18.50 deg (recorded 18.5)" in done.stdout
    assert "largest gap between 15.dcm and 16.dcm" in done.stdout


def test_inspect_says_no_mm_when_the_file_has_no_pixel_spacing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pydicom.data import get_testdata_file

    source = Path(str(get_testdata_file("vlut_04.dcm")))
    (tmp_path / "vlut_04.dcm").write_bytes(source.read_bytes())

    report = inspect_json(tmp_path)
    assert [s["pixel_spacing_mm"] for s in report["series"]] == [None]

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    arguments = parser.parse_args(["inspect", str(tmp_path)])
    assert arguments.handler(arguments) == 0
    assert "pixel spacing unknown (no mm)" in capsys.readouterr().out
