"""The document workspace on a real encrypted project and a rendered PDF."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from app.cli_documents import TEXT_ASSET_KIND, import_document
from app.document_workspace import DocumentItemView, import_document_files
from app.item_views import ItemContext, view_factory
from app.tasks import TaskRunner
from storage import assets
from storage.items import add_item, list_items
from storage.labels import Label, save_label_set
from storage.project import Project, create_project, open_project
from storage.records import Revision
from viewers.documents.model import Word

PASSWORD = "correct horse battery staple"
LABELS = [
    Label("adverse_event", "#e4572e", "1", "Adverse event"),
    Label("drug", "#3aa0ff", "2", "Drug"),
]
LEFT = (
    "Patients treated with 5-fluoro-\nuracil reported nausea and atrial "
    "\ufb01brillation. Doxo-\nrubicin was stopped in two patients."
)
RIGHT = "The right column starts here and continues with hepatic failure in one case."


@pytest.fixture
def report_pdf(tmp_path: Path) -> Path:
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_text((72, 60), "Case narrative", fontname="japan", fontsize=14)
    page.insert_textbox(
        pymupdf.Rect(72, 80, 290, 400), LEFT, fontname="japan", fontsize=11
    )
    page.insert_textbox(
        pymupdf.Rect(310, 80, 525, 400), RIGHT, fontname="japan", fontsize=11
    )
    second = document.new_page(width=595, height=842)
    second.insert_text((72, 72), "Page two: rash.", fontname="japan", fontsize=12)
    path = tmp_path / "narrative.pdf"
    document.save(path)
    return path


@pytest.fixture
def project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder,
        name="PV",
        user_id="coder1",
        printed_name="Coder One",
        password=PASSWORD,
    )
    with open_project(folder, user_id="coder1", password=PASSWORD) as project:
        save_label_set(project.records, "document", LABELS)
    return folder


@pytest.fixture
def project(project_folder: Path) -> Iterator[Project]:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as opened:
        yield opened


def open_view(qtbot: QtBot, project: Project, item: Revision) -> DocumentItemView:
    factory = view_factory("document")
    assert factory is DocumentItemView
    view = factory(ItemContext(project, item, TaskRunner(), None))
    assert isinstance(view, DocumentItemView)
    qtbot.addWidget(view)
    view.resize(900, 1000)
    view.show()
    qtbot.waitUntil(view.is_loaded, timeout=30_000)
    view.activateWindow()
    return view


def word(view: DocumentItemView, text: str) -> Word:
    assert view.document is not None
    page = view.page_view.page
    assert page is not None
    return next(w for w in page.words if view.document.text[w.start : w.end] == text)


def drag(qtbot: QtBot, view: DocumentItemView, first: Word, last: Word) -> None:
    canvas = view.page_view.canvas
    start = view.page_view.word_centre(first)
    end = view.page_view.word_centre(last)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=(start + end) / 2)
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


def test_span_selected_by_mouse_and_key_survives_a_restart(
    qtbot: QtBot, project_folder: Path, report_pdf: Path, tmp_path: Path
) -> None:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        item = import_document(project, report_pdf, title="Case 7")
        view = open_view(qtbot, project, item)

        drag(qtbot, view, word(view, "atrial"), word(view, "fibrillation."))
        assert view.page_view.selection() is not None
        qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_1)

        [span] = project.records.current("span", item_id=item.record_id)
        assert view.document is not None
        expected_start = view.document.text.index("atrial")
        expected_end = view.document.text.index("fibrillation.") + len("fibrillation.")
        document_hash = view.document.content_hash
        screen = QSplitter()
        qtbot.addWidget(screen)
        screen.addWidget(view)
        screen.addWidget(view.side_panel())
        screen.resize(1300, 900)
        screen.show()
        qtbot.waitExposed(screen)
        assert screen.grab().save(str(tmp_path / "document_workspace.png"))
        view.close_item()
        status = project.records.head(item.record_id).body["status"]

    assert span.body == {
        "document_hash": document_hash,
        "label": "adverse_event",
        "label_set_version": 1,
        "fragments": [[expected_start, expected_end]],
        "text": "atrial\nfibrillation.",
        "attributes": {
            "negated": False,
            "hypothetical": False,
            "severity": None,
            "seriousness": [],
        },
        "code": None,
    }
    assert status == "in_progress"

    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        again = open_view(qtbot, project, project.records.head(item.record_id))
        [row] = again.panel.rows()
        assert again.document is not None
        assert (
            again.document.text[expected_start:expected_end] == "atrial\nfibrillation."
        )
        assert (row.key, row.label, row.text, row.page) == (
            span.record_id,
            "adverse_event",
            "atrial\nfibrillation.",
            1,
        )
        # Two boxes: the span runs over a line end.
        assert len(again.document.span_boxes(expected_start, expected_end)) == 2
        again.close_item()


def test_keyboard_selection_attributes_and_delete(
    qtbot: QtBot, project: Project, report_pdf: Path
) -> None:
    item = import_document(project, report_pdf)
    view = open_view(qtbot, project, item)
    canvas = view.page_view.canvas
    doxo = word(view, "Doxo-")
    view.page_view.set_selection(doxo.start, doxo.end)

    qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(canvas, Qt.Key.Key_2)

    [span] = project.records.current("span", item_id=item.record_id)
    assert span.body["label"] == "drug"
    assert span.body["text"] == "Doxo-\nrubicin"
    assert view.panel.selected_key() == span.record_id

    qtbot.keyClick(canvas, Qt.Key.Key_N)
    view.panel.severity_combo.setCurrentIndex(3)
    view.panel.seriousness_boxes["hospitalisation"].setChecked(True)
    attributes = project.records.head(span.record_id).body["attributes"]
    assert attributes == {
        "negated": True,
        "hypothetical": False,
        "severity": "severe",
        "seriousness": ["hospitalisation"],
    }
    assert len(project.records.history(span.record_id)) == 4

    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert project.records.current("span", item_id=item.record_id) == []

    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    [back] = project.records.current("span", item_id=item.record_id)
    assert back.record_id == span.record_id
    assert back.body["attributes"]["severity"] == "severe"
    assert back.reason == "undo"
    assert [row.key for row in view.panel.rows()] == [span.record_id]


def test_find_selects_the_exact_term_on_its_page(
    qtbot: QtBot, project: Project, report_pdf: Path
) -> None:
    item = import_document(project, report_pdf)
    view = open_view(qtbot, project, item)
    assert view.document is not None
    text = view.document.text

    assert view.find_next("Atrial Fibrillation")
    qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_1)
    assert view.find_next("rash")
    assert view.page_view.page_number() == 1
    qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_1)
    assert not view.find_next("pneumonia")

    bodies = [s.body for s in project.records.current("span", item_id=item.record_id)]
    assert [(b["fragments"], b["text"]) for b in bodies] == [
        ([[text.index("atrial"), text.index("atrial") + 19]], "atrial\nfibrillation"),
        ([[text.index("rash"), text.index("rash") + 4]], "rash"),
    ]


def test_ctrl_drag_makes_a_discontinuous_span(
    qtbot: QtBot, project: Project, report_pdf: Path
) -> None:
    item = import_document(project, report_pdf)
    view = open_view(qtbot, project, item)
    canvas = view.page_view.canvas
    nausea = view.page_view.word_centre(word(view, "nausea"))
    stopped = view.page_view.word_centre(word(view, "stopped"))

    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=nausea)
    qtbot.mouseClick(
        canvas,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        pos=stopped,
    )
    qtbot.keyClick(canvas, Qt.Key.Key_1)

    [span] = project.records.current("span", item_id=item.record_id)
    assert view.document is not None
    text = view.document.text
    assert span.body["fragments"] == [
        [text.index("nausea"), text.index("nausea") + 6],
        [text.index("stopped"), text.index("stopped") + 7],
    ]
    assert span.body["text"] == "nausea … stopped"
    assert view.page_view.fragments() == []


def test_page_keys_and_highlight_click_select_a_span(
    qtbot: QtBot, project: Project, report_pdf: Path
) -> None:
    item = import_document(project, report_pdf)
    view = open_view(qtbot, project, item)
    canvas = view.page_view.canvas
    hepatic = word(view, "hepatic")
    view.page_view.set_selection(hepatic.start, hepatic.end)
    qtbot.keyClick(canvas, Qt.Key.Key_1)
    [span] = project.records.current("span", item_id=item.record_id)
    view.select_span("")

    qtbot.mouseClick(
        canvas, Qt.MouseButton.LeftButton, pos=view.page_view.word_centre(hepatic)
    )
    assert view.panel.selected_key() == span.record_id

    qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
    assert view.page_view.page_number() == 1
    page = view.page_view.page
    assert page is not None
    assert view.document is not None
    assert view.document.text[page.start : page.end] == "Page two: rash."
    qtbot.keyClick(canvas, Qt.Key.Key_PageUp)
    assert view.page_view.page_number() == 0
    assert view.page_view.highlight_at(QPoint(1, 1).toPointF()) is None


def test_text_file_opens_in_the_text_view_with_utf16_positions(
    qtbot: QtBot, project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("😀𠮷 Patient nausea\r\nno rash".encode())
    item = import_document(project, path)
    view = open_view(qtbot, project, item)

    assert view.current_view() is view.text_view
    view.text_view.set_selection(11, 17)
    assert view.text_view.textCursor().selectedText() == "nausea"
    assert view.text_view.textCursor().selectionStart() == 13
    qtbot.keyClick(view.text_view, Qt.Key.Key_1)

    [span] = project.records.current("span", item_id=item.record_id)
    assert span.body["fragments"] == [[11, 17]]
    assert span.body["text"] == "nausea"


def test_text_kept_without_a_file_opens_from_the_project(
    qtbot: QtBot, project: Project
) -> None:
    text = "Adverse reactions: headache.\n"
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assets.put_asset(project, TEXT_ASSET_KIND, key, text.encode("utf-8"))
    item = add_item(project.records, "document", "Label 3", {"document_hash": key})

    view = open_view(qtbot, project, item)

    assert view.document is not None
    assert view.document.content_hash == key
    assert view.text_view.toPlainText() == text


def test_import_in_the_background_adds_items(
    qtbot: QtBot, project: Project, report_pdf: Path, tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes("頭痛、悪心。".encode("cp932"))
    added: list[list[Revision]] = []

    tasks = TaskRunner()  # kept: the runner delivers the result

    import_document_files(None, project, tasks, [report_pdf, note], added.append)

    qtbot.waitUntil(lambda: bool(added), timeout=30_000)
    [items] = added
    assert [item.body["title"] for item in items] == ["narrative.pdf", "note.txt"]
    assert [item.body["source"]["pages"] for item in items] == [2, 1]
    assert [i.body["title"] for i in list_items(project.records, "document")] == [
        "narrative.pdf",
        "note.txt",
    ]
