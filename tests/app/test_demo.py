"""The demo project: created once, with label sets, real images and the phantom."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pydicom
import pymupdf
import pytest

from app.demo import (
    DEMO_PASSWORD,
    DEMO_USER_ID,
    DOCUMENT_FILE,
    PHANTOM_FOLDER,
    demo_folder,
    ensure_demo_project,
    phantom_volume,
)
from storage.items import list_items
from storage.labels import current_label_set
from storage.project import open_project


def test_phantom_volume_values() -> None:
    volume = phantom_volume(slices=8, size=64)
    assert volume.shape == (8, 64, 64)
    assert volume[0, 0, 0] == -1000  # air outside the body
    assert volume[4, 32, 32] == 35  # soft tissue at the centre
    assert set(volume.ravel().tolist()) >= {-1000, -820, -100, 35, 250, 700}


@pytest.mark.slow
def test_demo_project(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = demo_folder()
    assert (
        folder.parent == Path(__import__("os").environ["HAIOPS_DATA_DIR"]) / "projects"
    )

    assert ensure_demo_project(folder) is True
    assert ensure_demo_project(folder) is False

    with open_project(folder, user_id=DEMO_USER_ID, password=DEMO_PASSWORD) as project:
        assert project.name == "HAIOps demo"
        image = current_label_set(project.records, "image")
        assert [(label.name, label.key) for label in image.labels] == [
            ("Lesion", "1"),
            ("Nodule", "2"),
            ("Haemorrhage", "3"),
            ("Oedema", "4"),
            ("Calcification", "5"),
            ("Normal", "6"),
            ("Artefact", "7"),
        ]
        assert len({label.colour for label in image.labels}) == 7
        document = current_label_set(project.records, "document")
        assert [label.name for label in document.labels] == [
            "Adverse event",
            "Drug",
            "Dose",
            "Indication",
            "Medical history",
        ]
        items = list_items(project.records, "series")
        assert len(items) == 6
        assert all(item.body["assignee"] == DEMO_USER_ID for item in items)
        synthetic = [item for item in items if item.body["source"].get("synthetic")]
        assert len(synthetic) == 1
        assert "SYNTHETIC PHANTOM" in synthetic[0].body["title"]

        all_items = list_items(project.records)
        kinds = Counter(str(item.body["kind"]) for item in all_items)
        assert kinds == {"series": 6, "document": 1, "pair": 3}
        assert all(item.body["assignee"] == DEMO_USER_ID for item in all_items)
        (document,) = list_items(project.records, "document")
        assert document.body["title"] == "SYNTHETIC case narrative DEMO-0001"
        assert document.body["source"]["file_name"] == "synthetic-case-narrative.pdf"
        assert document.body["source"]["pages"] == 1
        pairs = list_items(project.records, "pair")
        assert len(pairs) == 3

    text = pymupdf.open(folder / DOCUMENT_FILE)[0].get_text()
    assert text.startswith("SYNTHETIC DEMO TEXT - not a real case")
    assert "metformin 500 mg twice daily" in text
    assert "lactic acidosis" in text

    files = sorted((folder / PHANTOM_FOLDER).glob("*.dcm"))
    assert len(files) == 64
    first = pydicom.dcmread(files[0])
    assert first.SeriesDescription == "SYNTHETIC PHANTOM"
    assert first.PatientName == "SYNTHETIC^PHANTOM"
    assert first.pixel_array.shape == (256, 256)
