"""The page view: a PDF page rendered by PyMuPDF with span highlights on its words.

Two views share one interface (``set_document``, ``set_highlights``,
``selection``, ``set_selection``, ``selection_changed``): :class:`PageView`
draws a PDF page and selects whole words with the mouse or the keyboard;
:class:`TextView` shows a plain-text document and selects characters. Offsets
in and out are code points of the document's canonical text; the text view
converts Qt's UTF-16 positions only through :mod:`viewers.documents.offsets`.

Coordinates: the model's boxes are in page points, unrotated page space; the
rendering's matrix turns them into pixels of the rotated page at the zoom
(pixels per point), and the canvas draws those pixels at its top left.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QWheelEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QScrollArea, QTextEdit, QWidget

from viewers.documents.errors import DocumentError
from viewers.documents.model import Document, PageText, RenderedPage, Word
from viewers.documents.offsets import codepoint_to_utf16, utf16_to_codepoint

__all__ = ["Highlight", "PageView", "RelationLine", "TextView"]

logger = logging.getLogger(__name__)

_FILL_ALPHA = 90  # label colours show through, the words stay readable
_NEAREST_PX = 40  # a drag this close to a word selects it
_ZOOM_STEP = 1.25
_ZOOM_RANGE = (0.25, 6.0)


def _tr(text: str) -> str:
    return QCoreApplication.translate("PageView", text)


@dataclass(frozen=True)
class Highlight:
    """One fragment of a span to draw.

    Attributes
    ----------
    key
        The span's record ID (all fragments of a span share it).
    start, end
        Code-point offsets into the canonical text.
    colour
        The label's colour, ``"#rrggbb"``.
    is_selected
        Whether the span is the selected one (drawn with an outline).
    is_suggestion
        Whether this is a dictionary suggestion not yet reviewed (drawn with
        a dashed outline and no fill; the selected one with a thicker line).
    """

    key: str
    start: int
    end: int
    colour: str
    is_selected: bool = False
    is_suggestion: bool = False


@dataclass(frozen=True)
class RelationLine:
    """A relation between two spans, drawn as an arrow between their boxes.

    Attributes
    ----------
    key
        The relation's record ID.
    from_key, to_key
        The keys (record IDs) of the spans it joins, arrow from the first.
    label
        Its type as shown beside the arrow (for example "causes").
    colour
        The line's colour, ``"#rrggbb"``.
    """

    key: str
    from_key: str
    to_key: str
    label: str
    colour: str = "#505050"


class _PageCanvas(QWidget):
    """Paints the rendered page, the highlights and the selection."""

    def __init__(self, view: PageView) -> None:
        super().__init__()
        self._view = view
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._view.paint_canvas(self, event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._view.press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._view.drag(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._view.release(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._view.handle_key(event):
            super().keyPressEvent(event)


class PageView(QScrollArea):
    """Shows one PDF page at a time with span highlights; selects words.

    Mouse: press on a word and drag to select whole words; Shift+click
    extends the selection (also onto the next page after turning it);
    Ctrl+drag adds a fragment (a discontinuous span); a click on a highlight
    without dragging selects that span, a Ctrl+click adds it for a relation.
    Keys: Left/Right move by a word, Shift+Left/Right extend the selection,
    Home/End, PageUp/PageDown change page, Shift+PageDown carries the
    selection onto the next page, Esc clears the selection, Ctrl++ / Ctrl+-
    zoom.

    Signals
    -------
    selection_changed(int, int)
        Code-point offsets of the new selection; (-1, -1) when cleared.
    span_clicked(str)
        The key of the highlight clicked.
    span_ctrl_clicked(str)
        The key of the highlight clicked with Ctrl (adds a second span, for
        a relation).
    page_changed(int)
        The 0-based page now shown.
    page_failed(object)
        The :class:`DocumentError` raised when a page turned by key could not
        be shown (the previous page stays).
    """

    selection_changed = Signal(int, int)
    span_clicked = Signal(str)
    span_ctrl_clicked = Signal(str)
    page_changed = Signal(int)
    page_failed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = _PageCanvas(self)
        self.setWidget(self.canvas)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setFocusProxy(self.canvas)
        self.document: Document | None = None
        self.page: PageText | None = None
        self._rendered: RenderedPage | None = None
        self._image = QImage()
        self._zoom = 1.5
        self._highlights: list[Highlight] = []
        self._relations: list[RelationLine] = []
        self._highlight_cache: list[tuple[Highlight, QRectF]] | None = None
        self._word_rects_cache: list[QRectF] | None = None
        # Start offset of a selection carried over from the page before, so a
        # span can run over a page break (Shift+PageDown, or Shift+click).
        self._carry: int | None = None
        self._anchor: int | None = None  # index into page.words
        self._active: int | None = None
        self._kept: list[tuple[int, int]] = []  # earlier fragments (Ctrl+drag)
        self._exact: tuple[int, int] | None = None  # set_selection's own range
        self._pressed_at: QPointF | None = None
        self._dragged = False

    # -- showing ---------------------------------------------------------------

    def set_document(self, document: Document, page: int = 0) -> None:
        """Show ``document`` from page ``page`` (0-based), fitted to the width."""
        self.document = document
        self.page = None
        number = max(0, min(page, document.page_count - 1))
        self._zoom = self._width_zoom(document.page(number)) or self._zoom
        self.show_page(number)

    def fit_width(self) -> None:
        """Zoom so that the page fills the view's width."""
        if self.page is not None:
            self.set_zoom(self._width_zoom(self.page) or self._zoom)

    def _width_zoom(self, page: PageText) -> float | None:
        """Return the zoom at which ``page`` fills the viewport's width, if any."""
        turned = page.rotation % 180 == 90
        width = page.height_pt if turned else page.width_pt
        room = self.viewport().width() - 2 * self.frameWidth() - 8
        if width <= 0 or room < 100:
            return None
        return float(min(max(room / width, _ZOOM_RANGE[0]), _ZOOM_RANGE[1]))

    def show_page(self, number: int) -> None:
        """Render and show page ``number`` (0-based); the selection is cleared."""
        if self.document is None:
            return
        number = max(0, min(number, self.document.page_count - 1))
        changed = self.page is None or self.page.number != number
        selected = self.selection() if not self._kept else None
        turned_forward = self.page is not None and number == self.page.number + 1
        self.page = self.document.page(number)
        self._carry = selected[0] if selected and turned_forward else None
        self._anchor = self._active = None
        self._exact = None
        self._kept = []
        self._render()
        if changed:
            self.page_changed.emit(number)
        self.selection_changed.emit(-1, -1)

    def page_number(self) -> int:
        """Return the 0-based page shown (0 before a document is set)."""
        return 0 if self.page is None else self.page.number

    def zoom(self) -> float:
        """Return the zoom in pixels per page point."""
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        """Set the zoom (pixels per page point) and render again."""
        self._zoom = min(max(zoom, _ZOOM_RANGE[0]), _ZOOM_RANGE[1])
        self._render()

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Draw these span fragments (those on other pages are kept for later)."""
        self._highlights = list(highlights)
        self._highlight_cache = None
        self.canvas.update()

    def set_relations(self, relations: Sequence[RelationLine]) -> None:
        """Draw these relations as arrows between their spans' highlights."""
        self._relations = list(relations)
        self.canvas.update()

    def relation_paths(self) -> list[tuple[RelationLine, QPainterPath]]:
        """Return each relation drawn on this page with its arc, in canvas pixels.

        The arc runs from the top of the first box of one span to the top of
        the first box of the other, bowing upwards (as brat draws relations)
        so that it crosses as little text as it can.
        """
        first_box: dict[str, QRectF] = {}
        for highlight, rect in self._highlight_rects():
            if not highlight.is_suggestion:
                first_box.setdefault(highlight.key, rect)
        paths = []
        for relation in self._relations:
            source = first_box.get(relation.from_key)
            target = first_box.get(relation.to_key)
            # Known shortcoming: a relation whose spans lie on two pages is
            # listed in the panel but drawn on neither page.
            if source is None or target is None:
                continue
            start = QPointF(source.center().x(), source.top())
            end = QPointF(target.center().x(), target.top())
            rise = 18 + 0.2 * math.hypot(end.x() - start.x(), end.y() - start.y())
            control = QPointF((start.x() + end.x()) / 2, min(start.y(), end.y()) - rise)
            path = QPainterPath(start)
            path.quadTo(control, end)
            paths.append((relation, path))
        return paths

    def _render(self) -> None:
        if self.document is None or self.page is None:
            return
        ratio = self.devicePixelRatioF() or 1.0
        rendered = self.document.render(self.page.number, self._zoom * ratio)
        image = QImage(
            rendered.samples,
            rendered.width,
            rendered.height,
            rendered.stride,
            QImage.Format.Format_RGB888,
        ).copy()  # own the pixels: the bytes object goes away
        image.setDevicePixelRatio(ratio)
        self._rendered = rendered
        self._image = image
        self._ratio = ratio
        self._word_rects_cache = None
        self._highlight_cache = None
        self.canvas.resize(
            math.ceil(rendered.width / ratio), math.ceil(rendered.height / ratio)
        )
        self.canvas.update()

    # -- coordinates -----------------------------------------------------------

    def page_to_canvas(self, x: float, y: float) -> QPointF:
        """Map a point in page points (unrotated page space) to canvas pixels."""
        if self._rendered is None:
            return QPointF(x, y)
        a, b, c, d, e, f = self._rendered.matrix
        return QPointF(
            (a * x + c * y + e) / self._ratio, (b * x + d * y + f) / self._ratio
        )

    def page_rect_to_canvas(self, rect: tuple[float, float, float, float]) -> QRectF:
        """Map a box in page points to the canvas rectangle it covers."""
        if self._rendered is None:
            return QRectF(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1])
        a, b, c, d, e, f = self._rendered.matrix
        scale = self._ratio
        x0 = (a * rect[0] + c * rect[1] + e) / scale
        y0 = (b * rect[0] + d * rect[1] + f) / scale
        x1 = (a * rect[2] + c * rect[3] + e) / scale
        y1 = (b * rect[2] + d * rect[3] + f) / scale
        return QRectF(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))

    def _word_rects(self) -> list[QRectF]:
        """Return the canvas rectangles of the page's words, made on first use."""
        if self._word_rects_cache is None:
            words = self.page.words if self.page is not None else ()
            self._word_rects_cache = [self.page_rect_to_canvas(w.rect) for w in words]
        return self._word_rects_cache

    def reveal(self, start: int, end: int) -> None:
        """Scroll so that the text ``start..end`` on this page is in view."""
        if self.document is None or self.page is None:
            return
        for number, box in self.document.span_boxes(start, end):
            if number == self.page.number:
                centre = self.page_rect_to_canvas(box).center()
                self.ensureVisible(int(centre.x()), int(centre.y()), 60, 60)
                return

    def word_centre(self, word: Word) -> QPoint:
        """Return the canvas position of a word's centre (for tests and tools)."""
        return self.page_rect_to_canvas(word.rect).center().toPoint()

    def word_index_at(self, position: QPointF, *, nearest: bool = True) -> int | None:
        """Return the index of the word under (or nearest to) a canvas position."""
        best: tuple[float, int] | None = None
        for index, rect in enumerate(self._word_rects()):
            if rect.contains(position):
                return index
            if nearest:
                dx = max(rect.left() - position.x(), 0.0, position.x() - rect.right())
                dy = max(rect.top() - position.y(), 0.0, position.y() - rect.bottom())
                distance = math.hypot(dx, dy)
                if distance <= _NEAREST_PX and (best is None or distance < best[0]):
                    best = (distance, index)
        return None if best is None else best[1]

    # -- selection -------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """Return the selected code-point range, or None.

        A selection carried over from the page before starts on that page and
        runs over the page separator.
        """
        if self.page is None or self._anchor is None or self._active is None:
            return None
        if self._exact is not None:
            return self._exact
        first, last = sorted((self._anchor, self._active))
        if self._carry is not None:
            return self._carry, self.page.words[last].end
        return self.page.words[first].start, self.page.words[last].end

    def carried_start(self) -> int | None:
        """Return the start offset carried from the page before, if any."""
        return self._carry

    def fragments(self) -> list[tuple[int, int]]:
        """Return every selected fragment (Ctrl+drag adds one), in text order."""
        current = self.selection()
        chosen = sorted([*self._kept, *([current] if current else [])])
        merged: list[tuple[int, int]] = []
        for start, end in chosen:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def set_selection(self, start: int, end: int) -> None:
        """Select exactly ``start..end`` (clipped to this page).

        The mouse and the arrow keys then go on from the words it touches.
        """
        if self.page is None:
            return
        self._kept = []
        self._carry = None
        start, end = max(start, self.page.start), min(end, self.page.end)
        inside = [
            index
            for index, word in enumerate(self.page.words)
            if word.start < end and start < word.end
        ]
        if inside:
            self._anchor, self._active = inside[0], inside[-1]
            self._exact = (start, end)
        else:
            self._anchor = self._active = None
            self._exact = None
        self._selection_moved()

    def clear_selection(self) -> None:
        """Select nothing."""
        self._anchor = self._active = None
        self._exact = None
        self._kept = []
        self._carry = None
        self._selection_moved()

    def _selection_moved(self) -> None:
        selected = self.selection()
        self.selection_changed.emit(*(selected or (-1, -1)))
        if self._active is not None and self._active < len(self._word_rects()):
            centre = self._word_rects()[self._active].center()
            self.ensureVisible(int(centre.x()), int(centre.y()), 40, 40)
        self.canvas.update()

    # -- mouse and keys (called by the canvas) ------------------------------------

    def press(self, event: QMouseEvent) -> None:
        """Start a selection at the word under the mouse."""
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self.canvas.setFocus()
        self._pressed_at = event.position()
        self._dragged = False
        current = self.selection()
        self._exact = None
        index = self.word_index_at(event.position(), nearest=False)
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            # Shift+click extends the selection to the word clicked; after the
            # page was turned, from the start carried over the page break.
            if index is not None:
                if self._carry is not None:
                    self._anchor = 0
                elif self._anchor is None:
                    self._anchor = index
                self._active = index
            self._selection_moved()
            return
        self._carry = None
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # Ctrl keeps what is selected: the new drag adds a fragment.
            if current is not None:
                self._kept.append(current)
        else:
            self._kept = []
        self._anchor = self._active = index
        self._selection_moved()

    def drag(self, event: QMouseEvent) -> None:
        """Extend the selection to the word under (or nearest) the mouse."""
        if self._pressed_at is None:
            return
        if (event.position() - self._pressed_at).manhattanLength() > 3:
            self._dragged = True
        index = self.word_index_at(event.position())
        if index is None:
            return
        if self._anchor is None:
            self._anchor = index
        if index != self._active:
            self._active = index
            self._selection_moved()

    def release(self, event: QMouseEvent) -> None:
        """Finish a drag; a click on a highlight selects its span."""
        if event.button() != Qt.MouseButton.LeftButton or self._pressed_at is None:
            return
        self._pressed_at = None
        if self._dragged:
            return
        key = self.highlight_at(event.position())
        if key is None:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.span_ctrl_clicked.emit(key)
        else:
            self.span_clicked.emit(key)

    def highlight_at(self, position: QPointF) -> str | None:
        """Return the key of the highlight drawn at a canvas position, if any."""
        for highlight, rect in self._highlight_rects():
            if rect.contains(position) and not highlight.is_suggestion:
                return highlight.key
        return None

    def handle_key(self, event: QKeyEvent) -> bool:
        """Move or extend the selection, change page or zoom; False if not ours."""
        key = event.key()
        extend = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if control and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.set_zoom(self._zoom * _ZOOM_STEP)
        elif control and key == Qt.Key.Key_Minus:
            self.set_zoom(self._zoom / _ZOOM_STEP)
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            step = 1 if key == Qt.Key.Key_PageDown else -1
            try:
                self.show_page(self.page_number() + step)
            except DocumentError as error:
                self.page_failed.emit(error)
                return True
            if extend and step == 1:
                self.extend_to_next_page()
        elif key == Qt.Key.Key_Escape:
            self.clear_selection()
        elif key in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        ):
            self._move_word(key, extend=extend)
        else:
            return False
        return True

    def extend_to_next_page(self) -> None:
        """Run the selection carried from the page before to this page's first word.

        Shift+PageDown does this; Shift+Right and Shift+click go on from there.
        """
        # Known shortcoming: only forward; Shift+PageUp does not carry a
        # selection back onto the page before.
        if self.page is None or not self.page.words or self._carry is None:
            return
        self._anchor = self._active = 0
        self._exact = None
        self._selection_moved()

    def _move_word(self, key: int, *, extend: bool) -> None:
        if self.page is None or not self.page.words:
            return
        if not extend:
            self._carry = None
        last = len(self.page.words) - 1
        current = self._active if self._active is not None else -1
        target = {
            Qt.Key.Key_Left: max(current - 1, 0),
            Qt.Key.Key_Right: min(current + 1, last),
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: last,
        }[Qt.Key(key)]
        self._exact = None
        if self._carry is not None:
            self._anchor = 0
        elif not extend or self._anchor is None:
            self._anchor = target
        self._active = target
        self._selection_moved()

    # -- painting ----------------------------------------------------------------

    def _highlight_rects(self) -> list[tuple[Highlight, QRectF]]:
        if self.document is None or self.page is None:
            return []
        if self._highlight_cache is not None:
            return self._highlight_cache
        result: list[tuple[Highlight, QRectF]] = []
        for highlight in self._highlights:
            if highlight.end <= self.page.start or highlight.start >= self.page.end:
                continue
            for number, box in self.document.span_boxes(highlight.start, highlight.end):
                if number == self.page.number:
                    result.append((highlight, self.page_rect_to_canvas(box)))
        self._highlight_cache = result
        return result

    def paint_canvas(self, canvas: QWidget, event: QPaintEvent) -> None:
        """Draw the page, the highlights, the selection and the page overlay."""
        painter = QPainter(canvas)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.Dark))
        if self._image.isNull():
            painter.end()
            return
        painter.drawImage(QPoint(0, 0), self._image)

        for highlight, rect in self._highlight_rects():
            colour = QColor(highlight.colour)
            if highlight.is_suggestion:
                # Dashed and unfilled: a suggestion is not a span until accepted.
                width = 2.5 if highlight.is_selected else 1.2
                painter.setPen(QPen(colour.darker(120), width, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-2, -2, 2, 2))
                continue
            fill = QColor(colour)
            fill.setAlpha(_FILL_ALPHA)
            painter.fillRect(rect, fill)
            if highlight.is_selected:
                painter.setPen(QPen(colour.darker(130), 2))
                painter.drawRect(rect.adjusted(-1, -1, 1, 1))
        self._paint_relations(painter)

        fragments = self.fragments()
        if fragments and self.document is not None and self.page is not None:
            colour = self.palette().color(QPalette.ColorRole.Highlight)
            fill = QColor(colour)
            fill.setAlpha(70)
            # A dashed outline tells the selection from a label of a like colour.
            painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(fill)
            for start, end in fragments:
                for number, box in self.document.span_boxes(start, end):
                    if number == self.page.number:
                        painter.drawRect(
                            self.page_rect_to_canvas(box).adjusted(-1, -1, 1, 1)
                        )
            painter.setBrush(Qt.BrushStyle.NoBrush)

        self._paint_overlay(painter, canvas)
        painter.end()

    def _paint_relations(self, painter: QPainter) -> None:
        """Draw each relation as an arc with an arrow head and its type on top."""
        metrics = painter.fontMetrics()
        for relation, path in self.relation_paths():
            colour = QColor(relation.colour)
            painter.setPen(QPen(colour, 1.8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)

            # The arrow head follows the arc's direction where it lands.
            tip = path.pointAtPercent(1.0)
            before = path.pointAtPercent(0.92)
            dx, dy = tip.x() - before.x(), tip.y() - before.y()
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            for side in (1, -1):
                wing = QPointF(
                    tip.x() - 9 * ux + side * 4.5 * uy,
                    tip.y() - 9 * uy - side * 4.5 * ux,
                )
                painter.drawLine(tip, wing)

            top = path.pointAtPercent(0.5)
            width = metrics.horizontalAdvance(relation.label)
            backing = QRectF(
                top.x() - width / 2 - 3,
                top.y() - metrics.ascent() / 2 - 2,
                width + 6,
                metrics.height() + 2,
            )
            painter.fillRect(backing, QColor(255, 255, 255, 225))
            painter.drawRect(backing)
            painter.drawText(
                backing.adjusted(3, 1, -3, -1),
                Qt.AlignmentFlag.AlignCenter,
                relation.label,
            )

    def _paint_overlay(self, painter: QPainter, canvas: QWidget) -> None:
        if self.document is None or self.page is None:
            return
        text = _tr("Page {number} of {count}").format(
            number=self.page.number + 1, count=self.document.page_count
        )
        if self.page.ocr_used:
            text += " · " + _tr("OCR")
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        painter.setFont(font)
        visible = canvas.visibleRegion().boundingRect()
        origin = QPoint(visible.right() - 8, visible.bottom() - 8)
        width = painter.fontMetrics().horizontalAdvance(text)
        position = QPoint(origin.x() - width, origin.y())
        # A dark backing keeps the light text readable on a white page.
        metrics = painter.fontMetrics()
        backing = QRectF(
            position.x() - 4,
            position.y() - metrics.ascent() - 2,
            width + 8,
            metrics.height() + 4,
        )
        painter.fillRect(backing, QColor(0, 0, 0, 110))
        painter.setPen(QColor(0, 0, 0, 200))
        painter.drawText(position + QPoint(1, 1), text)
        painter.setPen(QColor(235, 235, 235))
        painter.drawText(position, text)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            step = _ZOOM_STEP if event.angleDelta().y() > 0 else 1 / _ZOOM_STEP
            self.set_zoom(self._zoom * step)
            return
        super().wheelEvent(event)


class TextView(QPlainTextEdit):
    """Shows a plain-text document with span highlights; selects characters.

    Signals
    -------
    selection_changed(int, int)
        Code-point offsets of the new selection; (-1, -1) when cleared.
    span_clicked(str)
        The key of the highlight under a click without selection.
    """

    selection_changed = Signal(int, int)
    span_clicked = Signal(str)
    page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document_model: Document | None = None
        self._text = ""
        self._highlights: list[Highlight] = []
        self.selectionChanged.connect(self._on_selection)

    def set_document(self, document: Document, page: int = 0) -> None:
        """Show the text of ``document`` (``page`` is ignored: one page)."""
        del page
        self.document_model = document
        self._text = document.text
        self.setPlainText(self._text)
        self.page_changed.emit(0)

    def page_number(self) -> int:
        """Return 0: a text document is one page."""
        return 0

    def selection(self) -> tuple[int, int] | None:
        """Return the selected code-point range, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return (
            utf16_to_codepoint(self._text, cursor.selectionStart()),
            utf16_to_codepoint(self._text, cursor.selectionEnd()),
        )

    # Known shortcoming: Qt's text edit keeps one selection, so spans of plain
    # text have one fragment; Ctrl+drag adds none here.
    def fragments(self) -> list[tuple[int, int]]:
        """Return the selection as a list of one fragment (or none)."""
        selected = self.selection()
        return [selected] if selected else []

    def set_selection(self, start: int, end: int) -> None:
        """Select code points ``start..end``."""
        cursor = self.textCursor()
        cursor.setPosition(codepoint_to_utf16(self._text, start))
        cursor.setPosition(
            codepoint_to_utf16(self._text, end), QTextCursor.MoveMode.KeepAnchor
        )
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        """Select nothing."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Colour these span fragments in the text."""
        self._highlights = list(highlights)
        selections = []
        for highlight in self._highlights:
            extra = QTextEdit.ExtraSelection()
            colour = QColor(highlight.colour)
            colour.setAlpha(_FILL_ALPHA + (60 if highlight.is_selected else 0))
            text_format = QTextCharFormat()
            if highlight.is_suggestion:
                # Not a span yet: a dashed underline, no fill.
                text_format.setUnderlineStyle(
                    QTextCharFormat.UnderlineStyle.DashUnderline
                )
                text_format.setUnderlineColor(QColor(highlight.colour))
                if highlight.is_selected:
                    text_format.setFontWeight(700)
            else:
                text_format.setBackground(colour)
            if highlight.is_selected and not highlight.is_suggestion:
                text_format.setFontUnderline(True)
            extra.format = text_format
            cursor = QTextCursor(self.document())
            cursor.setPosition(codepoint_to_utf16(self._text, highlight.start))
            cursor.setPosition(
                codepoint_to_utf16(self._text, highlight.end),
                QTextCursor.MoveMode.KeepAnchor,
            )
            extra.cursor = cursor
            selections.append(extra)
        self.setExtraSelections(selections)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Select the span under a click that selected no text."""
        super().mouseReleaseEvent(event)
        if self.textCursor().hasSelection():
            return
        position = utf16_to_codepoint(
            self._text, self.cursorForPosition(event.position().toPoint()).position()
        )
        for highlight in self._highlights:
            if highlight.start <= position < highlight.end and (
                not highlight.is_suggestion
            ):
                self.span_clicked.emit(highlight.key)
                return

    def _on_selection(self) -> None:
        selected = self.selection()
        self.selection_changed.emit(*(selected or (-1, -1)))
