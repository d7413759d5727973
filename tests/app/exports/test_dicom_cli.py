"""``haiops series list`` and ``haiops series export`` on a real project."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pydicom
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dicom_support import PASSWORD, labelled_project

from app.cli import main
from app.series_workspace import add_series_item, roi_body
from storage.labels import Label
from viewers.imaging.series import scan
from viewers.imaging.volume import load_volume


@pytest.fixture
def project_with_rois(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dicom_data: Path
) -> tuple[Path, str]:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    volume = load_volume(series)
    nodule = Label("nodule", "#ff5a36", "1", "")
    with labelled_project(folder, [nodule]) as project:
        item = add_series_item(project, series)
        for kind, points in (
            ("rectangle", [[200.0, 200.0], [240.0, 230.0]]),
            ("ruler", [[100.0, 100.0], [300.0, 100.0]]),
        ):
            body = roi_body(
                volume,
                kind=kind,
                label="nodule",
                label_set_version=1,
                slice_index=5,
                points=points,
            )
            project.records.create("roi", body, item_id=item.record_id)
    return folder, item.record_id


def run(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return main(list(argv))


def test_series_list_shows_items_and_their_rois(
    project_with_rois: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, item_id = project_with_rois
    sign_in = ("--project", str(folder), "--user", "rad1", "--password-stdin")

    assert run(monkeypatch, "series", "list", *sign_in) == 0

    out = capsys.readouterr().out
    assert out.splitlines() == [
        f"{item_id}  not_started  [1 rectangle, 1 ruler]  "
        "CT #201 STD BRAIN 5MM - 28 slices"
    ]


@pytest.mark.parametrize(
    ("fmt", "prefix", "modality", "rois"),
    [("seg", "SEG_", "SEG", 1), ("sr", "SR_", "SR", 2)],
)
def test_series_export_writes_the_file(
    project_with_rois: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    fmt: str,
    prefix: str,
    modality: str,
    rois: int,
) -> None:
    folder, item_id = project_with_rois
    out = tmp_path / "exports"
    sign_in = ("--project", str(folder), "--user", "rad1", "--password-stdin")

    status = run(
        monkeypatch,
        "series",
        "export",
        "--format",
        fmt,
        "--item",
        item_id,
        str(out),
        *sign_in,
    )

    assert status == 0
    written = list(out.iterdir())
    assert len(written) == 1
    assert written[0].name.startswith(prefix)
    assert pydicom.dcmread(written[0]).Modality == modality
    assert capsys.readouterr().out.startswith(
        f"wrote {written[0]} ({rois} ROIs; labels nodule;"
    )


def test_export_of_an_unknown_item_fails_with_a_message(
    project_with_rois: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    folder, _ = project_with_rois
    sign_in = ("--project", str(folder), "--user", "rad1", "--password-stdin")

    status = run(
        monkeypatch,
        "series",
        "export",
        "--format",
        "seg",
        "--item",
        "nope",
        str(tmp_path / "x"),
        *sign_in,
    )

    assert status == 1
    assert capsys.readouterr().err.startswith("haiops: ")
    assert not (tmp_path / "x").exists()
