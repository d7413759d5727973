"""The page view and the text view on real rendered pages and astral text."""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from viewers.documents.model import Document, open_document
from viewers.page_view import Highlight, PageView, TextView


@pytest.fixture
def rotated_document(tmp_path: Path) -> Document:
    pdf = pymupdf.open()
    page = pdf.new_page(width=595, height=842)
    page.insert_text((72, 100), "Severe hepatic failure", fontname="japan", fontsize=16)
    page.set_rotation(90)
    path = tmp_path / "turned.pdf"
    pdf.save(path)
    return open_document(path)


def make_view(qtbot: QtBot, document: Document) -> PageView:
    view = PageView()
    qtbot.addWidget(view)
    view.resize(700, 700)
    view.show()
    view.set_zoom(1.0)
    view.set_document(document)
    view.set_zoom(1.0)
    return view


def dark_pixels(image: QImage, rect: QRect) -> int:
    count = 0
    for y in range(max(rect.top(), 0), min(rect.bottom(), image.height())):
        for x in range(max(rect.left(), 0), min(rect.right(), image.width())):
            if image.pixelColor(x, y).lightness() < 100:
                count += 1
    return count


def test_word_boxes_land_on_the_ink_of_a_turned_page(
    qtbot: QtBot, rotated_document: Document
) -> None:
    view = make_view(qtbot, rotated_document)
    page = view.page
    assert page is not None
    image = view.canvas.grab().toImage()

    # The page is turned: 842 wide, 595 high at zoom 1.
    assert (view.canvas.width(), view.canvas.height()) == (842, 595)
    hepatic = page.words[1]
    rect = view.page_rect_to_canvas(hepatic.rect).toRect()
    assert rect.height() > rect.width()  # the line now runs downwards
    assert dark_pixels(image, rect) > 30
    assert dark_pixels(image, rect.translated(rect.width() * 3, 0)) == 0


def test_keys_move_and_extend_the_selection_by_word(
    qtbot: QtBot, rotated_document: Document
) -> None:
    view = make_view(qtbot, rotated_document)
    text = rotated_document.text
    seen: list[tuple[int, int]] = []
    view.selection_changed.connect(lambda start, end: seen.append((start, end)))

    qtbot.keyClick(view.canvas, Qt.Key.Key_Home)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    selected = view.selection()

    assert selected is not None
    assert text[selected[0] : selected[1]] == "Severe hepatic"
    assert seen[-1] == selected
    qtbot.keyClick(view.canvas, Qt.Key.Key_End)
    last = view.selection()
    assert last is not None
    assert text[last[0] : last[1]] == "failure"
    qtbot.keyClick(view.canvas, Qt.Key.Key_Escape)
    assert view.selection() is None
    assert seen[-1] == (-1, -1)


def test_drag_selects_whole_words_and_click_finds_highlight(
    qtbot: QtBot, rotated_document: Document
) -> None:
    view = make_view(qtbot, rotated_document)
    page = view.page
    assert page is not None
    severe, hepatic, failure = page.words
    view.set_highlights([Highlight("span-1", failure.start, failure.end, "#e4572e")])
    clicked: list[str] = []
    view.span_clicked.connect(clicked.append)

    qtbot.mousePress(
        view.canvas, Qt.MouseButton.LeftButton, pos=view.word_centre(severe)
    )
    qtbot.mouseMove(view.canvas, pos=view.word_centre(hepatic))
    qtbot.mouseRelease(
        view.canvas, Qt.MouseButton.LeftButton, pos=view.word_centre(hepatic)
    )
    assert view.selection() == (severe.start, hepatic.end)

    qtbot.mouseClick(
        view.canvas, Qt.MouseButton.LeftButton, pos=view.word_centre(failure)
    )
    assert clicked == ["span-1"]


def test_text_view_converts_qt_positions_only_at_its_edge(
    qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "note.txt"
    path.write_text("😀𠮷 Patient nausea\nfever", encoding="utf-8")
    document = open_document(path)
    view = TextView()
    qtbot.addWidget(view)
    view.set_document(document)

    view.set_selection(11, 17)

    cursor = view.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (13, 19)
    assert cursor.selectedText() == "nausea"
    assert view.selection() == (11, 17)
    assert view.fragments() == [(11, 17)]
    view.set_highlights([Highlight("s", 0, 2, "#3aa0ff", is_selected=True)])
    [extra] = view.extraSelections()
    assert (extra.cursor.selectionStart(), extra.cursor.selectionEnd()) == (0, 4)


def test_shift_click_extends_the_selection(
    qtbot: QtBot, rotated_document: Document
) -> None:
    view = make_view(qtbot, rotated_document)
    page = view.page
    assert page is not None
    severe, _, failure = page.words

    qtbot.mouseClick(
        view.canvas, Qt.MouseButton.LeftButton, pos=view.word_centre(severe)
    )
    qtbot.mouseClick(
        view.canvas,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        pos=view.word_centre(failure),
    )

    assert view.selection() == (severe.start, failure.end)
    view.reveal(failure.start, failure.end)
