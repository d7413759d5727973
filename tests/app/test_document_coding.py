"""MedDRA coding, dictionary suggestions, relations and cross-page spans, end to end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QInputMethodEvent, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.cli_documents import import_document
from app.document_workspace import (
    DocumentItemView,
    load_meddra_in_background,
    load_meddra_interactively,
    newest_meddra,
)
from app.item_views import ItemContext
from app.tasks import TaskRunner
from app.terminology.meddra import MeddraTerminology
from storage import assets
from storage.labels import Label, save_label_set
from storage.project import Project, create_project, open_project
from storage.records import Revision
from viewers.documents.model import Word
from widgets.code_search import CodeChangesDialog, CodeSearchDialog

PASSWORD = "Ume-plum 7 Kyoto"
LABELS = [
    Label("adverse_event", "#e4572e", "1", "Adverse event"),
    Label("drug", "#3aa0ff", "2", "Drug"),
]
PAGE_ONE = (
    "The patient reported nausea and atrial fibrillation after the second "
    "dose of Drugamab. Cephalgia was also noted. Later she described "
    "peripheral sensory"
)
PAGE_TWO = "neuropathy that resolved. Tiredness persisted."
CODE_AF = {
    "system": "MedDRA",
    "version": "27.0",
    "llt_code": 95000008,
    "llt": "Atrial fibrillation",
    "pt_code": 96000005,
    "pt": "Atrial fibrillation",
    "hlt_code": 97000004,
    "hlt": "Supraventricular arrhythmias",
    "hlgt_code": 98000004,
    "hlgt": "Cardiac arrhythmias",
    "soc_code": 99000003,
    "soc": "Cardiac disorders",
    "primary_soc": True,
}


@pytest.fixture
def meddra_folder(shared_data: Path) -> Path:
    return shared_data / "terminology" / "meddra_synthetic"


@pytest.fixture
def narrative_pdf(tmp_path: Path) -> Path:
    document = pymupdf.open()
    first = document.new_page(width=595, height=842)
    first.insert_textbox(
        pymupdf.Rect(72, 700, 520, 800), PAGE_ONE, fontname="helv", fontsize=11
    )
    second = document.new_page(width=595, height=842)
    second.insert_textbox(
        pymupdf.Rect(72, 60, 520, 160), PAGE_TWO, fontname="helv", fontsize=11
    )
    path = tmp_path / "narrative.pdf"
    document.save(path)
    return path


@pytest.fixture
def project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "pv-project"
    create_project(
        folder, name="PV", user_id="coder1", printed_name="C. Oder", password=PASSWORD
    )
    with open_project(folder, user_id="coder1", password=PASSWORD) as project:
        save_label_set(project.records, "document", LABELS)
    return folder


@pytest.fixture
def project(project_folder: Path) -> Iterator[Project]:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as opened:
        yield opened


def load_synthetic_meddra(
    qtbot: QtBot, project: Project, folder: Path, version: str = "27.0"
) -> tuple[MeddraTerminology, CodeChangesDialog | None]:
    """Load the release through the background task, as Tools > Load MedDRA does."""
    done: list[tuple[MeddraTerminology, CodeChangesDialog | None]] = []
    tasks = TaskRunner()
    load_meddra_in_background(
        None, project, tasks, folder, version, lambda t, d: done.append((t, d))
    )
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    return done[0]


def open_view(qtbot: QtBot, project: Project, item: Revision) -> DocumentItemView:
    view = DocumentItemView(ItemContext(project, item, TaskRunner(), None))
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


def drag(qtbot: QtBot, view: DocumentItemView, first: str, last: str) -> None:
    canvas = view.page_view.canvas
    start = view.page_view.word_centre(word(view, first))
    end = view.page_view.word_centre(word(view, last))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=(start + end) / 2)
    qtbot.mouseMove(canvas, pos=end)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=end)


def click(
    qtbot: QtBot,
    view: DocumentItemView,
    text: str,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    position = view.page_view.word_centre(word(view, text))
    qtbot.mouseClick(
        view.page_view.canvas, Qt.MouseButton.LeftButton, modifier, position
    )


def type_with_input_method(box: QLineEdit, text: str) -> None:
    """Type kana as a Japanese input method does: one committed string per kana."""
    for character in text:
        event = QInputMethodEvent()
        event.setCommitString(character)
        QApplication.sendEvent(box, event)


def open_code_search(qtbot: QtBot, view: DocumentItemView) -> CodeSearchDialog:
    qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_C)
    dialog = view.code_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def spans(project: Project, item: Revision) -> list[Revision]:
    return project.records.current("span", item_id=item.record_id)


def grab_workspace(qtbot: QtBot, view: DocumentItemView, path: Path) -> None:
    """Save the page and the span panel side by side, as the main window shows them."""
    panel = view.side_panel()
    assert isinstance(panel, QWidget)
    qtbot.addWidget(panel)
    panel.resize(420, view.height())
    panel.show()
    qtbot.waitExposed(panel)
    page, side = view.grab(), panel.grab()
    image = QImage(
        page.width() + side.width(), page.height(), QImage.Format.Format_RGB32
    )
    painter = QPainter(image)
    painter.drawPixmap(0, 0, page)
    painter.drawPixmap(page.width(), 0, side)
    painter.end()
    assert image.save(str(path))


def test_kana_search_codes_the_span_and_survives_a_restart(
    qtbot: QtBot,
    project_folder: Path,
    narrative_pdf: Path,
    meddra_folder: Path,
    tmp_path: Path,
) -> None:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        load_synthetic_meddra(qtbot, project, meddra_folder)
        item = import_document(project, narrative_pdf, title="Case 12")
        view = open_view(qtbot, project, item)

        drag(qtbot, view, "atrial", "fibrillation")
        qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_1)
        [span] = spans(project, item)
        assert span.body["text"].split() == ["atrial", "fibrillation"]
        dialog = open_code_search(qtbot, view)
        dialog.query_box.clear()
        type_with_input_method(dialog.query_box, "しんぼう")
        assert dialog.result_rows() == [
            (
                "Atrial fibrillation / 心房細動 (95000008)",
                "Atrial fibrillation / 心房細動 (96000005)",
                "Supraventricular arrhythmias",
                "Cardiac arrhythmias",
                "Cardiac disorders - primary",
            )
        ]
        assert dialog.grab().save(str(tmp_path / "code_search.png"))
        qtbot.keyClick(dialog.query_box, Qt.Key.Key_Return)

        coded = project.records.head(span.record_id)
        assert coded.body["code"] == CODE_AF
        assert coded.supersedes == span.revision_id
        assert view.code_dialog is None
        [row] = view.panel.rows()
        assert row.code == (
            "LLT 95000008 Atrial fibrillation / PT 96000005 Atrial fibrillation "
            "(MedDRA 27.0)"
        )
        view.close_item()

    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        again = open_view(qtbot, project, project.records.head(item.record_id))
        [row] = again.panel.rows()
        assert (row.key, row.text, row.code) == (
            span.record_id,
            span.body["text"],
            "LLT 95000008 Atrial fibrillation / PT 96000005 Atrial fibrillation "
            "(MedDRA 27.0)",
        )
        again.close_item()


def test_non_current_llt_cannot_be_chosen(
    qtbot: QtBot, project: Project, narrative_pdf: Path, meddra_folder: Path
) -> None:
    load_synthetic_meddra(qtbot, project, meddra_folder)
    item = import_document(project, narrative_pdf)
    view = open_view(qtbot, project, item)
    click(qtbot, view, "Cephalgia")
    qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_1)

    dialog = open_code_search(qtbot, view)
    assert dialog.query_box.text() == "Cephalgia"
    # Letters typed in the search are text, not the workspace's keys (A, C, R).
    dialog.query_box.clear()
    qtbot.keyClicks(dialog.query_box, "cephalgia")
    assert dialog.query_box.text() == "cephalgia"
    [cephalgia] = dialog.result_rows()
    assert cephalgia[0] == "Cephalgia / 頭部痛 (95000006) - not current"
    assert dialog.results.currentItem() is None
    qtbot.keyClick(dialog.query_box, Qt.Key.Key_Return)
    assert not dialog.choose_row(0)
    assert dialog.message.text() == "Choose a current LLT from the list."
    qtbot.keyClick(dialog.query_box, Qt.Key.Key_Escape)

    [span] = spans(project, item)
    assert span.body["code"] is None
    assert len(project.records.history(span.record_id)) == 1
    assert view.code_dialog is None


def test_without_meddra_the_dialog_says_what_to_do(
    qtbot: QtBot, project: Project, narrative_pdf: Path
) -> None:
    item = import_document(project, narrative_pdf)
    view = open_view(qtbot, project, item)
    click(qtbot, view, "nausea")
    qtbot.keyClick(view.page_view.canvas, Qt.Key.Key_1)

    dialog = open_code_search(qtbot, view)
    assert dialog.message.text() == (
        "No MedDRA is loaded in this project. Load your MedDRA release with "
        "Tools > Load MedDRA..., then press C again."
    )
    assert not dialog.query_box.isEnabled()
    assert not dialog.ok_button.isEnabled()


def test_suggestions_accept_one_reject_one_save_exactly_one(
    qtbot: QtBot,
    project: Project,
    narrative_pdf: Path,
    meddra_folder: Path,
    tmp_path: Path,
) -> None:
    load_synthetic_meddra(qtbot, project, meddra_folder)
    item = import_document(project, narrative_pdf)
    view = open_view(qtbot, project, item)
    assert view.document is not None
    text = view.document.text
    canvas = view.page_view.canvas

    qtbot.keyClick(
        canvas,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(view.pending_suggestions()), timeout=30_000)
    qtbot.waitUntil(lambda: view.context.tasks.running_count == 0)
    # The task runner's status widget has no window here and took the focus.
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    assert [(s.term, s.llt_code) for s in view.pending_suggestions()] == [
        ("Nausea", 95000001),
        ("Atrial fibrillation", 95000008),
        ("Peripheral sensory neuropathy", 95000007),
        ("Tiredness", 95000012),
    ]
    assert spans(project, item) == []
    assert view.panel.review_label.text().startswith("Suggestion: Nausea (4 left)")

    qtbot.keyClick(canvas, Qt.Key.Key_A)
    assert view.page_view.canvas.grab().save(str(tmp_path / "suggestions.png"))
    qtbot.keyClick(canvas, Qt.Key.Key_R)

    [span] = spans(project, item)
    assert view.panel.selected_key() == span.record_id
    start = text.index("nausea")
    assert span.body["fragments"] == [[start, start + 6]]
    assert span.body["label"] == "adverse_event"
    assert span.body["code"]["llt_code"] == 95000001
    assert span.body["code"]["version"] == "27.0"
    assert [s.term for s in view.pending_suggestions()] == [
        "Peripheral sensory neuropathy",
        "Tiredness",
    ]
    assert view.panel.review_label.text().startswith(
        "Suggestion: Peripheral sensory neuropathy (2 left)"
    )
    view.close_item()
    # Unreviewed suggestions are never saved.
    assert len(spans(project, item)) == 1


def test_relation_saved_drawn_listed_reopened_and_deleted(
    qtbot: QtBot, project_folder: Path, narrative_pdf: Path, tmp_path: Path
) -> None:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        item = import_document(project, narrative_pdf)
        view = open_view(qtbot, project, item)
        canvas = view.page_view.canvas
        click(qtbot, view, "Drugamab.")
        qtbot.keyClick(canvas, Qt.Key.Key_2)
        drag(qtbot, view, "atrial", "fibrillation")
        qtbot.keyClick(canvas, Qt.Key.Key_1)
        [event, drug] = sorted(spans(project, item), key=lambda s: s.body["label"])

        click(qtbot, view, "Drugamab.")
        assert view.panel.selected_key() == drug.record_id
        click(qtbot, view, "fibrillation", Qt.KeyboardModifier.ControlModifier)
        assert view.selected_pair() == (drug.record_id, event.record_id)
        before = view.page_view.canvas.grab().toImage()
        qtbot.keyClick(canvas, Qt.Key.Key_L)
        dialog = view.relation_dialog
        assert dialog is not None
        assert dialog.comboBoxItems() == ["causes", "dose_of", "indication"]
        dialog.setTextValue("causes")
        dialog.accept()

        [relation] = project.records.current("relation", item_id=item.record_id)
        assert relation.body == {
            "type": "causes",
            "from": drug.record_id,
            "to": event.record_id,
        }
        after = view.page_view.canvas.grab().toImage()
        [(line, arc)] = view.page_view.relation_paths()
        along = [arc.pointAtPercent(n / 100) for n in range(20, 81)]
        changed = sum(
            before.pixel(p.toPoint()) != after.pixel(p.toPoint()) for p in along
        )
        assert changed > 40  # the arc is drawn between the two boxes
        grab_workspace(qtbot, view, tmp_path / "annotated_page.png")
        view.close_item()

    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        again = open_view(qtbot, project, project.records.head(item.record_id))
        assert again.panel.relation_rows() == [
            ("Drugamab.", "causes", "atrial fibrillation")
        ]
        [(line, _arc)] = again.page_view.relation_paths()
        assert (line.key, line.from_key, line.to_key, line.label) == (
            relation.record_id,
            drug.record_id,
            event.record_id,
            "causes",
        )

        again.panel.select_relation(0)
        again.panel.delete_relation_button.click()
        assert project.records.current("relation", item_id=item.record_id) == []
        assert project.records.history(relation.record_id)[-1].is_deleted
        assert again.panel.relation_rows() == []
        assert again.page_view.relation_paths() == []
        again.close_item()


def test_span_across_the_page_break_is_one_span(
    qtbot: QtBot, project_folder: Path, narrative_pdf: Path
) -> None:
    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        item = import_document(project, narrative_pdf)
        view = open_view(qtbot, project, item)
        assert view.document is not None
        text = view.document.text
        canvas = view.page_view.canvas
        start = text.index("peripheral")
        end = text.index("neuropathy") + len("neuropathy")

        # Keys: select on page 1, Shift+PageDown carries it onto page 2.
        drag(qtbot, view, "peripheral", "sensory")
        qtbot.keyClick(canvas, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ShiftModifier)
        assert view.page_view.page_number() == 1
        assert view.page_view.selection() == (start, end)
        qtbot.keyClick(canvas, Qt.Key.Key_1)

        # Mouse: select, turn the page, Shift+click the last word.
        qtbot.keyClick(canvas, Qt.Key.Key_PageUp)
        click(qtbot, view, "sensory")
        qtbot.keyClick(canvas, Qt.Key.Key_PageDown)
        assert view.page_view.selection() is None
        click(qtbot, view, "that", Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClick(canvas, Qt.Key.Key_1)
        view.close_item()

    with open_project(project_folder, user_id="coder1", password=PASSWORD) as project:
        bodies = [s.body for s in spans(project, item)]
    separator = text[text.index("sensory") + 7 : text.index("neuropathy")]
    assert "\f" in separator
    assert [(b["fragments"], b["text"]) for b in bodies] == [
        ([[start, end]], text[start:end]),
        (
            [[text.index("sensory"), text.index("that") + 4]],
            "sensory" + separator + "neuropathy that",
        ),
    ]
    assert text[start:end] == "peripheral sensory" + separator + "neuropathy"


def test_newer_meddra_lists_the_codes_it_changes(
    qtbot: QtBot, project: Project, meddra_folder: Path, tmp_path: Path
) -> None:
    load_synthetic_meddra(qtbot, project, meddra_folder)
    project.records.create(
        "span",
        {"text": "atrial fibrillation", "code": CODE_AF, "fragments": [[0, 1]]},
    )
    newer = tmp_path / "release-28"
    newer.mkdir()
    for path in meddra_folder.iterdir():
        data = path.read_bytes()
        if path.name == "llt.asc":
            # In the newer release, LLT Atrial fibrillation is no longer current.
            data = data.replace(
                b"95000008$Atrial fibrillation$96000005$$$$$$$Y$",
                b"95000008$Atrial fibrillation$96000005$$$$$$$N$",
            )
        (newer / path.name).write_bytes(data)

    terminology, dialog = load_synthetic_meddra(qtbot, project, newer, "28.0")

    assert terminology.version == "28.0"
    assert dialog is not None
    assert dialog.rows() == [
        (
            "atrial fibrillation",
            "95000008 Atrial fibrillation",
            "96000005 Atrial fibrillation",
            "LLT no longer current",
        )
    ]
    dialog.close()


def test_tools_load_meddra_asks_folder_and_version(
    qtbot: QtBot,
    project: Project,
    meddra_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The operating system's folder picker and the version question are modal;
    # answer them as the coder would.
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *_a, **_k: str(meddra_folder)
    )
    asked: list[str] = []

    def answer(_parent: object, _title: str, label: str) -> tuple[str, bool]:
        asked.append(label)
        return "27.0", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    done: list[MeddraTerminology] = []

    tasks = TaskRunner()
    load_meddra_interactively(None, project, tasks, lambda t, _d: done.append(t))
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)

    assert asked == [
        "The folder has no meddra_release.asc. Which version is it (for example 27.0)?"
    ]
    assert newest_meddra(project) is not None
    assert [v for _k, v, _t in assets.list_assets(project, "terminology")] == ["27.0"]
