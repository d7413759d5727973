"""The demo project: real public DICOM images, a synthetic CT phantom and label sets."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.logs import short_hash
from storage.errors import QT_TRANSLATE_NOOP, ServiceError
from storage.labels import Label, save_label_set
from storage.progress import Progress

if TYPE_CHECKING:
    from storage.project import Project
    from storage.records import Revision

logger = logging.getLogger(__name__)

DEMO_PROJECT_NAME = "HAIOps demo"
DEMO_FOLDER_NAME = "haiops-demo"
DEMO_USER_ID = "demo"
DEMO_PRINTED_NAME = "Demo User"
# A fixed, printed password: the demo holds public and synthetic data only.
DEMO_PASSWORD = "haiops-demo-2026"  # noqa: S105 -- printed to the terminal on purpose
PHANTOM_DESCRIPTION = "SYNTHETIC PHANTOM"
PHANTOM_FOLDER = "demo-series/synthetic-phantom"

IMAGE_LABELS = (
    Label("Lesion", "#e6194b", "1", "Any focal abnormality"),
    Label("Nodule", "#f58231", "2", "Rounded opacity up to 30 mm"),
    Label("Haemorrhage", "#ffe119", "3", "Blood outside the vessels"),
    Label("Oedema", "#42d4f4", "4", "Excess fluid in tissue"),
    Label("Calcification", "#f0f0f0", "5", "Calcium deposit"),
    Label("Normal", "#3cb44b", "6", "Normal tissue, for reference regions"),
    Label("Artefact", "#911eb4", "7", "Not anatomy: streaks, motion, metal"),
)
DOCUMENT_LABELS = (
    Label("Adverse event", "#e6194b", "1", "An untoward medical occurrence"),
    Label("Drug", "#4363d8", "2", "A medicinal product"),
    Label("Dose", "#f58231", "3", "Amount, frequency or route"),
    Label("Indication", "#3cb44b", "4", "Why the drug was given"),
    Label("Medical history", "#911eb4", "5", "Conditions before the drug"),
)
# pydicom's own public test images: file name and the worklist title suffix.
PYDICOM_IMAGES = (
    ("CT_small.dcm", "CT small slice"),
    ("eCT_Supplemental.dcm", "Enhanced CT, 2 frames"),
    ("MR_small.dcm", "MR small slice"),
    ("RG1_UNCI.dcm", "CR MONOCHROME1, large"),
    ("vlut_04.dcm", "VOI LUT image"),
)

DOCUMENT_FILE = "demo-documents/synthetic-case-narrative.pdf"
DOCUMENT_TITLE = "SYNTHETIC case narrative DEMO-0001"
# Invented for the demo: no real patient, reporter or case.
DOCUMENT_TEXT = """SYNTHETIC DEMO TEXT - not a real case

Case narrative DEMO-0001 (invented for the HAIOps demo)

A 58-year-old woman with type 2 diabetes mellitus and hypertension was
started on metformin 500 mg twice daily by mouth for poor glycaemic
control. Her medical history included chronic kidney disease stage 3.

Nine days after the start of metformin she presented with nausea,
vomiting and abdominal pain. Blood tests showed lactic acidosis
(lactate 6.8 mmol/L). Metformin was stopped and she was treated with
intravenous fluids. The lactic acidosis resolved within three days and
she was discharged on insulin.

The reporter considered the lactic acidosis probably related to
metformin.

SYNTHETIC DEMO TEXT - not a real case"""
# Invented clinical questions and answers; each response is marked synthetic.
DEMO_PAIRS: tuple[dict[str, str], ...] = (
    {
        "prompt": "SYNTHETIC DEMO: What is the usual first-line drug for an adult "
        "with newly diagnosed type 2 diabetes and normal kidney function?",
        "chosen": "SYNTHETIC DEMO: Metformin is usually first line, started at a "
        "low dose and increased slowly to limit stomach upset, with lifestyle "
        "advice. Kidney function should be checked before and during treatment.",
        "rejected": "SYNTHETIC DEMO: Insulin should always be started first in "
        "every adult with type 2 diabetes.",
    },
    {
        "prompt": "SYNTHETIC DEMO: A patient on warfarin asks whether they can "
        "take ibuprofen for a headache. What should they be told?",
        "chosen": "SYNTHETIC DEMO: Ibuprofen raises the risk of bleeding with "
        "warfarin, so it is best avoided; paracetamol at the usual dose is a safer "
        "choice, and they should ask their clinician or pharmacist if unsure.",
        "rejected": "SYNTHETIC DEMO: Yes, ibuprofen and warfarin can be taken "
        "together without any concern.",
    },
    {
        "prompt": "SYNTHETIC DEMO: Which symptoms after starting a new drug "
        "should prompt urgent medical review for a possible allergic reaction?",
        "chosen": "SYNTHETIC DEMO: Swelling of the face, lips or tongue, "
        "difficulty breathing, wheeze, a widespread rash with blisters, or "
        "feeling faint need urgent care; stop the drug and call emergency "
        "services for breathing problems.",
        "rejected": "SYNTHETIC DEMO: A rash after a new drug is always harmless "
        "and can be ignored.",
    },
)


class DemoDataError(ServiceError):
    """A file the demo needs is not installed."""

    what = QT_TRANSLATE_NOOP("errors", "The demo image {path} is not installed.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Install the packages pydicom and pydicom-data, then try again."
    )


def demo_folder(projects_dir: Path | None = None) -> Path:
    """Return the demo project's folder under the projects folder.

    Parameters
    ----------
    projects_dir
        The projects folder; ``storage.project.default_projects_dir()`` when
        not given.

    Returns
    -------
    Path
        The folder (it may not exist yet).
    """
    from storage.project import default_projects_dir

    return (projects_dir or default_projects_dir()) / DEMO_FOLDER_NAME


def ensure_demo_project(folder: Path, progress: Progress | None = None) -> bool:
    """Create the demo project in ``folder`` unless it is already there.

    Parameters
    ----------
    folder
        The demo project's folder.
    progress
        Told after each step.

    Returns
    -------
    bool
        Whether the project was created now.
    """
    from storage.project import create_project, is_project, open_project

    if is_project(folder):
        return False
    sources = [_pydicom_file(name) for name, _ in PYDICOM_IMAGES]

    create_project(
        folder,
        name=DEMO_PROJECT_NAME,
        user_id=DEMO_USER_ID,
        printed_name=DEMO_PRINTED_NAME,
        password=DEMO_PASSWORD,
    )
    phantom = write_phantom_series(folder / PHANTOM_FOLDER)

    # Items are added in one signed-in session, as the demo user.
    # Known shortcoming: a failure here leaves a project with only some items.
    steps = len(sources) + 3
    with open_project(folder, user_id=DEMO_USER_ID, password=DEMO_PASSWORD) as project:
        save_label_set(project.records, "image", IMAGE_LABELS, reason="demo project")
        save_label_set(
            project.records, "document", DOCUMENT_LABELS, reason="demo project"
        )
        _report(progress, 1, steps)
        items = []
        for done, (path, (_, title)) in enumerate(
            zip(sources, PYDICOM_IMAGES, strict=True), start=2
        ):
            items.append((add_series(project, path, title), title))
            _report(progress, done, steps)
        phantom_item = add_series(project, phantom, PHANTOM_DESCRIPTION)
        items.append((phantom_item, f"{PHANTOM_DESCRIPTION} CT, 64 slices"))
        document = add_demo_document(project, folder / DOCUMENT_FILE)
        items.append((document, DOCUMENT_TITLE))
        for pair in add_demo_pairs(project):
            items.append((pair, str(pair.body.get("title", ""))))
        _assign(project, items, phantom_item.record_id)
        _report(progress, steps, steps)
    logger.info(
        "demo project created with %d series, 1 document and %d pair items",
        len(sources) + 1,
        len(DEMO_PAIRS),
    )
    return True


def write_demo_pdf(path: Path) -> Path:
    """Write the demo's one-page PDF of the synthetic case narrative.

    Parameters
    ----------
    path
        The PDF file to write (its folder is created).

    Returns
    -------
    Path
        ``path``.
    """
    import pymupdf

    path.parent.mkdir(parents=True, exist_ok=True)
    # PyMuPDF leaves these calls without annotations, hence the narrow ignores.
    pdf = pymupdf.open()  # type: ignore[no-untyped-call]
    page = pdf.new_page()  # A4 portrait; positions below are page points
    box = pymupdf.Rect(56, 56, 540, 786)  # type: ignore[no-untyped-call]
    page.insert_textbox(box, DOCUMENT_TEXT, fontsize=11, fontname="helv")
    pdf.save(str(path))  # type: ignore[no-untyped-call]
    pdf.close()  # type: ignore[no-untyped-call]
    return path


def add_demo_document(project: Project, path: Path) -> Revision:
    """Write the synthetic case narrative as a PDF and import it as an item.

    Parameters
    ----------
    project
        The signed-in demo project.
    path
        Where the PDF goes; the item refers to it there.

    Returns
    -------
    Revision
        The new document item.
    """
    from app.cli_documents import import_document

    write_demo_pdf(path)
    return import_document(project, path, title=DOCUMENT_TITLE)


def add_demo_pairs(project: Project) -> list[Revision]:
    """Import the demo's synthetic preference pairs through a temporary JSONL file.

    Parameters
    ----------
    project
        The signed-in demo project.

    Returns
    -------
    list of Revision
        The new pair items, in :data:`DEMO_PAIRS` order.
    """
    import json
    import tempfile

    from app.preference.importing import import_pairs

    with tempfile.TemporaryDirectory(prefix="haiops-demo-") as temporary:
        path = Path(temporary) / "demo-pairs.jsonl"
        path.write_text(
            "".join(json.dumps(pair) + "\n" for pair in DEMO_PAIRS), encoding="utf-8"
        )
        report = import_pairs(project.records, path)
    if report.problems:
        raise report.problems[0]
    return [project.records.head(item_id) for item_id in report.item_ids]


def _assign(
    project: Project, items: list[tuple[Revision, str]], phantom_id: str
) -> None:
    # The worklist shows title, assignee and due date: give the demo's items all.
    due = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    for item, title in items:
        body = {**item.body, "title": title, "assignee": DEMO_USER_ID, "due": due}
        reason = "demo assignment"
        if item.record_id == phantom_id:
            body["source"] = {**dict(item.body.get("source") or {}), "synthetic": True}
            reason = "synthetic phantom made by the demo"
        project.records.revise(item.record_id, body, reason=reason)


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress.report(done, total, "demo")


def _pydicom_file(name: str) -> Path:
    from pydicom.data import get_testdata_file

    found = get_testdata_file(name)
    if found is None:
        raise DemoDataError("pydicom test file not found", path=name)
    return Path(str(found))


def add_series(project: Project, source: Path, title: str) -> Revision:
    """Scan ``source`` (a DICOM file or folder) and add its first series as an item.

    The series engineer's ``app.series_workspace.add_series_item`` stores the
    item when it is installed; otherwise a plain item names the folder and
    the SeriesInstanceUID.

    Parameters
    ----------
    project
        The signed-in project.
    source
        A DICOM file or a folder of one series.
    title
        Title for the fallback item.

    Returns
    -------
    Revision
        The item's first revision.
    """
    from storage.items import add_item
    from viewers.imaging.series import scan

    result = scan(source)
    if not result.series:
        reasons = "; ".join(note.reason for note in result.left_out)
        raise DemoDataError(f"no image series found: {reasons}", path=source)
    series = result.series[0]

    add_series_item = _series_hook()
    if add_series_item is not None:
        item: Revision = add_series_item(project, series)
    else:
        item = add_item(
            project.records,
            "series",
            title,
            {
                "folder": str(source if source.is_dir() else source.parent),
                "series_instance_uid": series.series_instance_uid,
            },
        )
    logger.info(
        "demo series %s added with %d slices",
        short_hash(series.series_instance_uid),
        series.slice_count if hasattr(series, "slice_count") else len(series.slices),
    )
    return item


def _series_hook() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("app.series_workspace")
    except ImportError:
        return None
    hook = getattr(module, "add_series_item", None)
    return hook if callable(hook) else None


def phantom_volume(slices: int = 64, size: int = 256) -> np.ndarray:
    """Return a CT phantom in HU as (slice, row, column) int16.

    An elliptic water body with a fat rim, two air-filled "lungs", a bone
    ring (spine) and a small enhancing sphere (a "lesion") that appears on
    a few slices only, so scrolling shows something change.

    Parameters
    ----------
    slices
        Number of axial slices.
    size
        Rows and columns per slice.

    Returns
    -------
    numpy.ndarray
        HU values, air -1000 outside the body.
    """
    # Each slice is drawn at twice the size and averaged down, so that edges
    # get partial-volume values as on a real scanner.
    fine = np.linspace(-1.0, 1.0, 2 * size)
    y, x = np.meshgrid(fine, fine, indexing="ij")
    hu = np.empty((slices, size, size), dtype=np.int16)
    for index, z in enumerate(np.linspace(-1.0, 1.0, slices)):
        hu[index] = (
            _phantom_slice(x, y, float(z))
            .reshape(size, 2, size, 2)
            .mean(axis=(1, 3))
            .round()
        )
    return hu


def _phantom_slice(x: np.ndarray, y: np.ndarray, z: float) -> np.ndarray:
    values = np.full(x.shape, -1000.0)
    values[(x / 0.85) ** 2 + (y / 0.65) ** 2 <= 1.0] = -100.0
    values[(x / 0.80) ** 2 + (y / 0.60) ** 2 <= 1.0] = 35.0
    for side in (-0.38, 0.38):
        lung = ((x - side) / 0.28) ** 2 + ((y + 0.05) / 0.42) ** 2 + (z / 1.3) ** 2
        values[lung <= 1.0] = -820.0
    spine = x**2 + (y - 0.42) ** 2
    values[spine <= 0.1**2] = 700.0
    values[spine <= 0.06**2] = 250.0
    lesion = (x + 0.35) ** 2 + (y + 0.1) ** 2 + ((z - 0.2) * 1.6) ** 2
    values[lesion <= 0.09**2] = 120.0
    return values


def write_phantom_series(
    folder: Path, *, slices: int = 64, size: int = 256, spacing_mm: float = 2.5
) -> Path:
    """Write the CT phantom as a DICOM series, one file per slice.

    Every file says SeriesDescription "SYNTHETIC PHANTOM" and a synthetic
    patient name, so it can never be taken for a real patient.

    Parameters
    ----------
    folder
        Folder for the files (created).
    slices, size
        Number of slices, and rows and columns per slice.
    spacing_mm
        Slice spacing and thickness in mm; pixels are 1.5 mm square.

    Returns
    -------
    Path
        The folder.
    """
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

    folder.mkdir(parents=True, exist_ok=True)
    volume = phantom_volume(slices, size)
    study_uid, series_uid, frame_uid = generate_uid(), generate_uid(), generate_uid()
    pixel_mm = 1.5
    origin = -pixel_mm * (size - 1) / 2

    for index in range(slices):
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = CTImageStorage
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID = CTImageStorage
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
        ds.Modality = "CT"
        ds.PatientName = "SYNTHETIC^PHANTOM"
        ds.PatientID = "SYNTHETIC-0001"
        ds.StudyInstanceUID = study_uid
        ds.SeriesInstanceUID = series_uid
        ds.FrameOfReferenceUID = frame_uid
        ds.StudyDescription = PHANTOM_DESCRIPTION
        ds.SeriesDescription = PHANTOM_DESCRIPTION
        ds.SeriesNumber = 1
        ds.InstanceNumber = index + 1
        ds.ImageType = ["DERIVED", "SECONDARY", "AXIAL"]
        # LPS: rows run along +X (left), columns along +Y (posterior); slices go
        # from feet to head along +Z.
        ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
        ds.ImagePositionPatient = [origin, origin, index * spacing_mm]
        ds.SliceLocation = index * spacing_mm
        ds.PixelSpacing = [pixel_mm, pixel_mm]
        ds.SliceThickness = spacing_mm
        ds.Rows = size
        ds.Columns = size
        ds.SamplesPerPixel = 1
        ds.PhotometricInterpretation = "MONOCHROME2"
        ds.BitsAllocated = 16
        ds.BitsStored = 16
        ds.HighBit = 15
        ds.PixelRepresentation = 1
        ds.RescaleIntercept = 0
        ds.RescaleSlope = 1
        ds.RescaleType = "HU"
        ds.WindowCenter = 40
        ds.WindowWidth = 400
        ds.PixelData = volume[index].astype("<i2").tobytes()
        ds.save_as(folder / f"slice_{index + 1:03d}.dcm", enforce_file_format=True)
    return folder
