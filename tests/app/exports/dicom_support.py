"""Shared setup of the DICOM export tests: a labelled project, ROIs, dciodvfy."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.series_workspace import roi_body
from storage.labels import Label, save_label_set
from storage.project import Project, create_project, open_project
from storage.records import Revision
from viewers.imaging.volume import Volume

PASSWORD = "correct horse battery staple"
LABELS = [
    Label("nodule", "#ff5a36", "1", "Lung nodule"),
    Label("vessel", "#3aa0ff", "2", ""),
]
# (kind, label, slice index, image points (column, row)).
Drawing = tuple[str, str, int, list[list[int]]]


@contextmanager
def labelled_project(
    folder: Path, labels: Sequence[Label] = LABELS
) -> Iterator[Project]:
    """Create a project as rad1 ("Rad One"), open it and save its image labels."""
    create_project(
        folder,
        name="CT reads",
        user_id="rad1",
        printed_name="Rad One",
        password=PASSWORD,
    )
    with open_project(folder, user_id="rad1", password=PASSWORD) as opened:
        save_label_set(opened.records, "image", list(labels))
        yield opened


def draw(
    project: Project, item: Revision, volume: Volume, rois: list[Drawing]
) -> list[Revision]:
    """Record ROIs on an item as the signed-in user, label set version 1."""
    made = []
    for kind, label, index, points in rois:
        body = roi_body(
            volume,
            kind=kind,
            label=label,
            label_set_version=1,
            slice_index=index,
            points=[[float(c), float(r)] for c, r in points],
        )
        made.append(project.records.create("roi", body, item_id=item.record_id))
    return made


def dciodvfy_errors(path: Path) -> list[str]:
    """The lines of dciodvfy's verdict on a DICOM file that report an error."""
    tool = Path(sys.executable).parent / "dciodvfy"
    run = subprocess.run(
        [str(tool), str(path)], capture_output=True, text=True, check=False
    )
    lines = (run.stdout + run.stderr).splitlines()
    return [line for line in lines if line.startswith("Error")]
