"""The slice view: one acquisition-plane slice of a volume, with ROIs and overlay."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QSlider, QWidget

from storage.errors import QT_TRANSLATE_NOOP
from viewers.imaging.volume import Volume
from viewers.imaging.windowing import CT_PRESETS, window_to_uint8
from viewers.roi_items import (
    BOX_KINDS,
    ROI_TOOL_KINDS,
    Point,
    RoiShape,
    hit_test,
    move_handle,
    paint_roi,
    translate,
)

logger = logging.getLogger(__name__)

#: Tool names: "select" plus the ROI kinds.
TOOLS = ("select", *ROI_TOOL_KINDS)

_ZOOM_STEP = 1.25
_ZOOM_MIN, _ZOOM_MAX = 0.1, 32.0
_CLOSE_POLYGON_PX = 7.0
_FREEHAND_STEP_PX = 2.0
_MIN_DRAG_PX = 3.0
_DEFAULT_COLOUR = QColor("#c8c8c8")
_OVERLAY_TEXT = QColor(235, 235, 235)
_OVERLAY_SHADOW = QColor(0, 0, 0, 220)
_LETTERS = (("L", "R"), ("P", "A"), ("H", "F"))  # +x, +y, +z of DICOM LPS


def _tr(text: str) -> str:
    return QCoreApplication.translate("SliceView", text)


# Display words of the built-in CT preset keys (windowing.CT_PRESETS).
_PRESET_LABELS = {
    "brain": QT_TRANSLATE_NOOP("SliceView", "Brain"),
    "subdural": QT_TRANSLATE_NOOP("SliceView", "Subdural"),
    "lung": QT_TRANSLATE_NOOP("SliceView", "Lung"),
    "mediastinum": QT_TRANSLATE_NOOP("SliceView", "Mediastinum"),
    "bone": QT_TRANSLATE_NOOP("SliceView", "Bone"),
    "abdomen": QT_TRANSLATE_NOOP("SliceView", "Abdomen"),
}
# Keys the volume gives the file's windows that have no explanation.
_FILE_WINDOW = re.compile(r"File window (\d+)")


def orientation_letters(direction: Sequence[float] | npt.NDArray[np.float64]) -> str:
    """Return the patient directions a vector points to, strongest first.

    Parameters
    ----------
    direction
        A unit vector in DICOM patient coordinates (LPS: +x left, +y
        posterior, +z head).

    Returns
    -------
    str
        One letter per axis whose share exceeds 0.25 ("L", "RA", "HPL", ...).
    """
    values = [float(v) for v in direction]
    parts = sorted(((abs(v), axis) for axis, v in enumerate(values)), reverse=True)
    letters = [
        _LETTERS[axis][0 if values[axis] > 0 else 1]
        for share, axis in parts
        if share > 0.25
    ]
    return "".join(letters)


class _Geometry:
    """Pixel spacing and directions of the volume's slices."""

    def __init__(self, volume: Volume) -> None:
        series = volume.series
        row_spacing, column_spacing = (float(v) for v in series.pixel_spacing_mm)
        # No PixelSpacing (vlut_04.dcm) or 0 (RG1_UNCI.dcm): square pixels
        # are shown and the overlay says the spacing is unknown.
        self.has_spacing = series.has_pixel_spacing and all(
            math.isfinite(v) and v > 0 for v in (row_spacing, column_spacing)
        )
        #: mm between neighbouring rows (vertical) and columns (horizontal)
        self.row_spacing = row_spacing if self.has_spacing else 1.0
        self.column_spacing = column_spacing if self.has_spacing else 1.0
        #: whether positions and orientation come from the files (not made up)
        self.has_geometry = series.has_geometry
        self.row_direction = np.asarray(series.orientation[:3], dtype=float)
        self.column_direction = np.asarray(series.orientation[3:6], dtype=float)
        self.normal = np.asarray(series.normal, dtype=float)

    def slice_position_mm(self, volume: Volume, slice_index: int) -> float:
        """Return the slice's position along the normal, in mm."""
        corner = np.asarray(volume.image_to_patient(slice_index, 0.0, 0.0))
        return float(np.dot(corner, self.normal))


class _Canvas(QWidget):
    """The painted area of a SliceView; forwards everything to the view."""

    def __init__(self, view: SliceView) -> None:
        super().__init__(view)
        self._view = view
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._view._paint(painter)
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._view._on_resize()

    def event(self, event: QEvent) -> bool:
        # The view's own keys win over window shortcuts while it has focus.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._view._handles_key(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._view._key_press(event):
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._view._is_space_down = False
        super().keyReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._view._wheel(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self._view._mouse_press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._view._mouse_move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._view._mouse_release(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._view._mouse_double_click(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._view._cursor = None
        self._view._hovered = None
        self.update()


class SliceView(QWidget):
    """Shows one acquisition-plane slice of a volume with its ROIs.

    Image positions are (column, row) in pixels with pixel centres at
    integers; patient positions are DICOM LPS in mm. The view draws what it
    is given: it reports drawn, edited and deleted ROIs through signals and
    shows them once the owner passes them back with :meth:`set_rois` or
    :meth:`upsert_roi`.

    Keys: Up/Down one slice, PageUp/PageDown ten, Home/End first/last;
    ``+``/``-`` zoom, ``0`` fit; tools V (select), P (point), R (rectangle),
    E (ellipse), G (polygon), F (freehand), M (ruler); 1-9 pick a label;
    Delete deletes the selected ROI; Enter closes a polygon, Esc cancels.
    Mouse: wheel scrolls slices, Ctrl+wheel zooms, right-drag sets
    window/level, middle-drag or Space+drag pans.
    """

    slice_changed = Signal(int)
    window_changed = Signal(float, float)
    tool_changed = Signal(str)
    #: kind, slice index, image points [[column, row], ...]
    roi_drawn = Signal(str, int, list)
    #: key, new image points
    roi_edited = Signal(str, list)
    roi_delete_requested = Signal(str)
    #: key, or "" when nothing is selected
    roi_selected = Signal(str)
    #: "1".."9"
    label_key_pressed = Signal(str)
    undo_requested = Signal()
    redo_requested = Signal()

    TOOL_KEYS: Mapping[str, str] = {
        "select": "V",
        "point": "P",
        "rectangle": "R",
        "ellipse": "E",
        "polygon": "G",
        "freehand": "F",
        "ruler": "M",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._volume: Volume | None = None
        self._geometry: _Geometry | None = None
        self._slice_index = 0
        self._window = (40.0, 400.0)
        self._zoom = 1.0  # screen pixels per image pixel on the finer axis
        self._is_fitted = True
        self._pan = QPointF(0.0, 0.0)
        self._tool = "select"
        self._label = ""
        self._colours: dict[str, QColor] = {}
        self._rois: dict[str, RoiShape] = {}
        self._selected: str | None = None
        self._hovered: str | None = None
        self._cursor: QPointF | None = None
        self._draft: list[Point] = []
        self._draft_tip: Point | None = None
        self._drag: _Drag | None = None
        self._is_space_down = False
        self._image: QImage | None = None
        self._image_key: tuple[int, float, float, bool] | None = None
        self._uses_voi_lut = False
        self._image_buffer: npt.NDArray[np.uint8] | None = None
        self._roi_version = 0
        self._layer: QImage | None = None
        self._layer_key: tuple[object, ...] | None = None
        self._positions: dict[int, float] = {}
        self._presets: dict[str, tuple[float, float]] = {}
        self._cursor_key: tuple[object, ...] | None = None
        self._cursor_text: list[str] = []
        self._geometry_notes: list[str] = []

        self._canvas = _Canvas(self)
        self._slider = QSlider(Qt.Orientation.Vertical, self)
        self._slider.setInvertedAppearance(True)
        self._slider.setToolTip(_tr("Slice (Up/Down, PageUp/PageDown, wheel)"))
        self._slider.valueChanged.connect(self.set_slice_index)
        self._slider.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._canvas, 1)
        layout.addWidget(self._slider)
        self.setFocusProxy(self._canvas)

    # -- public API ---------------------------------------------------------

    def viewport(self) -> QWidget:
        """Return the painted widget that takes the mouse and keys."""
        return self._canvas

    def slider(self) -> QSlider:
        """Return the slice slider."""
        return self._slider

    def volume(self) -> Volume | None:
        """Return the volume shown, if any."""
        return self._volume

    def set_volume(self, volume: Volume) -> None:
        """Show ``volume`` at its middle slice with its default window."""
        if volume.pixels.ndim != 3 or 0 in volume.pixels.shape:
            raise ValueError(
                f"expected (slice, row, column) pixels: {volume.pixels.shape}"
            )

        self._volume = volume
        self._geometry = _Geometry(volume)
        self._positions = {}
        self._presets = dict(CT_PRESETS) if volume.units == "HU" else {}
        self._presets.update(volume.window_presets)
        self._geometry_notes = _geometry_notes(volume)

        middle = volume.pixels.shape[0] // 2
        centre, width = volume.opening_window(middle)
        self._window = (float(centre), float(width))
        # A file's VOI LUT is shown until the user sets a window.
        self._uses_voi_lut = volume.voi_lut is not None and not volume.default_window
        self._image_key = None

        self._is_fitted = True
        self._pan = QPointF(0.0, 0.0)
        count = volume.pixels.shape[0]
        self._slider.blockSignals(True)
        self._slider.setRange(0, count - 1)
        self._slider.setEnabled(True)
        self._slider.blockSignals(False)
        self._fit()
        self.set_slice_index(count // 2)
        self.window_changed.emit(*self._window)

    def slice_count(self) -> int:
        """Return the number of slices (0 without a volume)."""
        return 0 if self._volume is None else int(self._volume.pixels.shape[0])

    def slice_index(self) -> int:
        """Return the shown slice (0-based)."""
        return self._slice_index

    def set_slice_index(self, index: int) -> None:
        """Show slice ``index``, clamped to the volume."""
        if self._volume is None:
            return
        index = max(0, min(int(index), self.slice_count() - 1))
        if index == self._slice_index and self._slider.value() == index:
            self._canvas.update()
            return
        self._slice_index = index
        self._draft = []
        self._drag = None
        self._slider.blockSignals(True)
        self._slider.setValue(index)
        self._slider.blockSignals(False)
        self._canvas.update()
        self.slice_changed.emit(index)

    def window_level(self) -> tuple[float, float]:
        """Return the window (centre, width) in the modality's units."""
        return self._window

    def set_window_level(self, centre: float, width: float) -> None:
        """Set the window centre and width (width at least 1)."""
        self._window = (float(centre), max(1.0, float(width)))
        self._uses_voi_lut = False
        self._canvas.update()
        self.window_changed.emit(*self._window)

    def window_presets(self) -> dict[str, tuple[float, float]]:
        """Return the presets for the volume: CT presets for HU, the file's windows."""
        return dict(self._presets)

    def apply_preset(self, name: str) -> None:
        """Set the window of the preset ``name``; KeyError if the volume has none."""
        centre, width = self.window_presets()[name]
        self.set_window_level(centre, width)

    def zoom(self) -> float:
        """Return screen pixels per image pixel (on the axis with finer spacing)."""
        return self._zoom

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``zoom`` screen pixels per pixel, keeping ``anchor`` in place."""
        zoom = max(_ZOOM_MIN, min(_ZOOM_MAX, float(zoom)))
        if anchor is None:
            anchor = QPointF(self._canvas.width() / 2.0, self._canvas.height() / 2.0)
        before = self.widget_to_image(anchor)
        self._zoom = zoom
        self._is_fitted = False
        after = self.image_to_widget(*before)
        self._pan += anchor - after
        self._canvas.update()

    def fit(self) -> None:
        """Fit the whole slice into the view, centred."""
        self._is_fitted = True
        self._pan = QPointF(0.0, 0.0)
        self._fit()
        self._canvas.update()

    def tool(self) -> str:
        """Return the active tool ("select" or an ROI kind)."""
        return self._tool

    def set_tool(self, tool: str) -> None:
        """Make ``tool`` active; ValueError if it is not one of ``TOOLS``."""
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}; expected one of {TOOLS}")
        self._draft = []
        self._tool = tool
        self._canvas.setCursor(
            Qt.CursorShape.ArrowCursor
            if tool == "select"
            else Qt.CursorShape.CrossCursor
        )
        self._canvas.update()
        self.tool_changed.emit(tool)

    def set_label_colours(self, colours: Mapping[str, str]) -> None:
        """Set the colour ("#rrggbb") of each label name."""
        self._colours = {name: QColor(value) for name, value in colours.items()}
        self._roi_version += 1
        self._canvas.update()

    def set_label(self, name: str) -> None:
        """Set the label new ROIs are drawn with (its colour for the draft)."""
        self._label = name
        self._canvas.update()

    def set_rois(self, shapes: Sequence[RoiShape]) -> None:
        """Replace every ROI the view shows."""
        self._rois = {shape.key: shape for shape in shapes}
        self._roi_version += 1
        if self._selected not in self._rois:
            self._selected = None
        self._canvas.update()

    def upsert_roi(self, shape: RoiShape) -> None:
        """Add or replace one ROI."""
        self._rois[shape.key] = shape
        self._roi_version += 1
        self._canvas.update()

    def remove_roi(self, key: str) -> None:
        """Stop showing the ROI ``key``."""
        self._rois.pop(key, None)
        self._roi_version += 1
        if self._selected == key:
            self.select_roi(None)
        self._canvas.update()

    def rois(self) -> list[RoiShape]:
        """Return the ROIs shown, on every slice."""
        return list(self._rois.values())

    def selected_roi(self) -> str | None:
        """Return the key of the selected ROI."""
        return self._selected

    def select_roi(self, key: str | None) -> None:
        """Select the ROI ``key`` (showing its slice), or none."""
        if key is not None and key not in self._rois:
            key = None
        changed = key != self._selected
        self._selected = key
        if key is not None:
            self.set_slice_index(self._rois[key].slice_index)
        self._canvas.update()
        if changed:
            self.roi_selected.emit(key or "")

    def transform(self) -> QTransform:
        """Return the mapping from image (column, row) to viewport pixels."""
        sx, sy = self._scales()
        rows, columns = self._shape()
        ox = (self._canvas.width() - columns * sx) / 2.0 + 0.5 * sx + self._pan.x()
        oy = (self._canvas.height() - rows * sy) / 2.0 + 0.5 * sy + self._pan.y()
        return QTransform(sx, 0.0, 0.0, sy, ox, oy)

    def image_to_widget(self, column: float, row: float) -> QPointF:
        """Map an image position (column, row) to a viewport position."""
        return self.transform().map(QPointF(column, row))

    def widget_to_image(self, position: QPointF) -> Point:
        """Map a viewport position to an image position (column, row)."""
        inverse, _ = self.transform().inverted()
        mapped = inverse.map(QPointF(position))
        return (mapped.x(), mapped.y())

    def snap(self, point: Point) -> Point:
        """Round an image position to the grid ROIs are drawn on.

        The grid is 1/k pixel with k the largest power of two not above the
        zoom, so a click lands on the pixel centre (or sub-pixel point) the
        user aimed at, and stored coordinates are exact binary fractions.
        """
        sx, sy = self._scales()
        k = 2.0 ** max(0, math.floor(math.log2(max(min(sx, sy), 1.0))))
        return (round(point[0] * k) / k, round(point[1] * k) / k)

    def overlay_text(self) -> dict[str, list[str]]:
        """Return the overlay lines by corner ("top_left", ..., "bottom_right")."""
        if self._volume is None or self._geometry is None:
            return {}
        volume, geometry = self._volume, self._geometry
        centre, width = self._window
        preset = next(
            (n for n, cw in self._presets.items() if cw == (centre, width)), ""
        )
        top_right = [
            _tr("W {width} L {centre}").format(width=_num(width), centre=_num(centre))
        ]
        if self._uses_voi_lut:
            top_right = [_tr("VOI LUT of the file")]
        elif preset:
            top_right.append(preset_label(preset))
        top_left = [
            _tr("Slice {n}/{count}").format(
                n=self._slice_index + 1, count=self.slice_count()
            )
        ]
        # Without ImagePositionPatient a position in mm would be made up.
        if volume.series.has_geometry:
            position = self._positions.get(self._slice_index)
            if position is None:
                position = geometry.slice_position_mm(volume, self._slice_index)
                self._positions[self._slice_index] = position
            top_left.append(_tr("{position} mm").format(position=f"{position:.2f}"))
        top_left.extend(self._geometry_notes)
        return {
            "top_left": top_left,
            "top_right": top_right,
            "bottom_left": self._cursor_lines(),
            "bottom_right": [
                _tr("Zoom {percent}%").format(percent=round(self._zoom * 100))
            ],
        }

    def cursor_value(self) -> tuple[float | None, tuple[float, float, float]] | None:
        """Return the value and patient position (mm, LPS) under the cursor.

        The value is in the modality's units (HU for CT), None on a padding
        pixel; the whole result is None off the image.
        """
        if self._volume is None or self._cursor is None:
            return None
        column, row = self.widget_to_image(self._cursor)
        c, r = round(column), round(row)
        rows, columns = self._shape()
        if not (0 <= c < columns and 0 <= r < rows):
            return None
        padding = self._volume.is_padding(self._slice_index)
        value = (
            None
            if padding is not None and padding[r, c]
            else (self._volume.value_at(self._slice_index, c, r))
        )
        position = self._volume.image_to_patient(self._slice_index, float(c), float(r))
        return value, position

    # -- geometry -------------------------------------------------------------

    def _shape(self) -> tuple[int, int]:
        if self._volume is None:
            return (1, 1)
        return (int(self._volume.pixels.shape[1]), int(self._volume.pixels.shape[2]))

    def _scales(self) -> tuple[float, float]:
        """Return screen pixels per column step and per row step."""
        if self._geometry is None:
            return (self._zoom, self._zoom)
        finer = min(self._geometry.column_spacing, self._geometry.row_spacing)
        return (
            self._zoom * self._geometry.column_spacing / finer,
            self._zoom * self._geometry.row_spacing / finer,
        )

    def _fit(self) -> None:
        if self._volume is None or self._geometry is None:
            return
        rows, columns = self._shape()
        finer = min(self._geometry.column_spacing, self._geometry.row_spacing)
        width_units = columns * self._geometry.column_spacing / finer
        height_units = rows * self._geometry.row_spacing / finer
        w, h = max(self._canvas.width(), 1), max(self._canvas.height(), 1)
        self._zoom = max(_ZOOM_MIN, min(w / width_units, h / height_units))

    def _on_resize(self) -> None:
        if self._is_fitted:
            self._fit()

    # -- painting -------------------------------------------------------------

    def _slice_image(self) -> QImage:
        """Return the windowed slice as an 8-bit image, cached until it changes."""
        assert self._volume is not None
        uses_lut = self._uses_voi_lut
        key = (self._slice_index, self._window[0], self._window[1], uses_lut)
        if self._image is None or self._image_key != key:
            # MONOCHROME1 shows low values bright: invert after the VOI window
            # or the file's VOI LUT (PS3.3 C.7.6.3.1.2).
            if uses_lut:
                grey = self._volume.render_slice(self._slice_index)
            else:
                grey = window_to_uint8(
                    self._volume.pixels[self._slice_index],
                    self._window[0],
                    self._window[1],
                    invert=self._volume.photometric == "MONOCHROME1",
                )
            buffer = np.ascontiguousarray(grey, dtype=np.uint8)
            rows, columns = buffer.shape
            self._image_buffer = buffer
            self._image = QImage(
                buffer.data, columns, rows, columns, QImage.Format.Format_Grayscale8
            )
            self._image_key = key
        return self._image

    def _paint(self, painter: QPainter) -> None:
        painter.fillRect(self._canvas.rect(), QColor(0, 0, 0))
        if self._volume is None:
            return
        transform = self.transform()
        rows, columns = self._shape()
        painter.setRenderHint(
            QPainter.RenderHint.SmoothPixmapTransform, self._zoom < 1.0
        )
        painter.setTransform(transform)
        painter.drawImage(QRectF(-0.5, -0.5, columns, rows), self._slice_image())
        painter.resetTransform()

        # ROIs and edge letters change less often than the window or the
        # cursor: they are drawn once into a layer that each frame reuses.
        painter.drawImage(0, 0, self._annotation_layer(transform))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._overlay_font(painter.font()))
        if self._drag is not None and self._drag.preview is not None:
            self._paint_roi(painter, transform, self._drag.preview)
        self._paint_draft(painter, transform)
        self._paint_overlay(painter)

    def _overlay_font(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        return small

    def _annotation_layer(self, transform: QTransform) -> QImage:
        """Return the ROIs and edge letters of the slice drawn on a clear image."""
        ratio = self._canvas.devicePixelRatioF()
        dragged = self._drag.shape if self._drag is not None else None
        key = (
            self._slice_index,
            transform,
            self._canvas.size(),
            ratio,
            self._roi_version,
            self._selected,
            self._hovered,
            dragged.key if dragged is not None else None,
        )
        if self._layer is not None and key == self._layer_key:
            return self._layer
        size = self._canvas.size() * ratio
        layer = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        layer.setDevicePixelRatio(ratio)
        layer.fill(Qt.GlobalColor.transparent)
        painter = QPainter(layer)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setFont(self._overlay_font(self._canvas.font()))
            self._paint_rois(painter, transform, skip=key[-1])
            self._paint_letters(painter)
        finally:
            painter.end()
        self._layer, self._layer_key = layer, key
        return layer

    def _colour(self, label: str) -> QColor:
        return self._colours.get(label, _DEFAULT_COLOUR)

    def _paint_rois(
        self, painter: QPainter, transform: QTransform, *, skip: object
    ) -> None:
        for shape in self._rois.values():
            if shape.slice_index == self._slice_index and shape.key != skip:
                self._paint_roi(painter, transform, shape)

    def _paint_roi(
        self, painter: QPainter, transform: QTransform, shape: RoiShape
    ) -> None:
        paint_roi(
            painter,
            shape,
            transform,
            self._colour(shape.label),
            is_selected=shape.key == self._selected,
            is_hovered=shape.key == self._hovered,
        )

    def _paint_draft(self, painter: QPainter, transform: QTransform) -> None:
        if not self._draft:
            return
        points = list(self._draft)
        if self._tool == "polygon" and self._draft_tip is not None:
            points.append(self._draft_tip)
        kind = "ruler" if self._tool == "polygon" and len(points) == 2 else self._tool
        if kind == "polygon" and len(points) > 2:
            # An open polyline until the polygon is closed.
            painter.setPen(QPen(self._colour(self._label), 1.5, Qt.PenStyle.DashLine))
            mapped = [transform.map(QPointF(c, r)) for c, r in points]
            painter.drawPolyline(mapped)
            return
        shape = RoiShape("", kind, self._label, self._slice_index, tuple(points))
        paint_roi(painter, shape, transform, self._colour(self._label))

    def _paint_letters(self, painter: QPainter) -> None:
        if self._geometry is None or not self._geometry.has_geometry:
            return
        right = orientation_letters(self._geometry.row_direction)
        left = orientation_letters(-self._geometry.row_direction)
        bottom = orientation_letters(self._geometry.column_direction)
        top = orientation_letters(-self._geometry.column_direction)
        rect = QRectF(self._canvas.rect()).adjusted(6.0, 4.0, -6.0, -4.0)
        flags = Qt.AlignmentFlag
        _shadowed(painter, rect, flags.AlignLeft | flags.AlignVCenter, left)
        _shadowed(painter, rect, flags.AlignRight | flags.AlignVCenter, right)
        _shadowed(painter, rect, flags.AlignHCenter | flags.AlignTop, top)
        _shadowed(painter, rect, flags.AlignHCenter | flags.AlignBottom, bottom)

    def _paint_overlay(self, painter: QPainter) -> None:
        flags = Qt.AlignmentFlag
        rect = QRectF(self._canvas.rect()).adjusted(6.0, 4.0, -6.0, -4.0)
        corners = {
            "top_left": flags.AlignLeft | flags.AlignTop,
            "top_right": flags.AlignRight | flags.AlignTop,
            "bottom_left": flags.AlignLeft | flags.AlignBottom,
            "bottom_right": flags.AlignRight | flags.AlignBottom,
        }
        # The top corners sit below the edge letters' line.
        line = painter.fontMetrics().height()
        for corner, lines in self.overlay_text().items():
            area = rect.adjusted(
                0.0, line if corner.startswith("top") else 0.0, 0.0, 0.0
            )
            _shadowed(painter, area, corners[corner], "\n".join(lines))

    def _cursor_lines(self) -> list[str]:
        # Worked out once per cursor position and slice, not once per frame.
        key = (self._slice_index, self._cursor, self._volume)
        if key != self._cursor_key:
            self._cursor_key, self._cursor_text = key, self._cursor_lines_now()
        return list(self._cursor_text)

    def _cursor_lines_now(self) -> list[str]:
        found = self.cursor_value()
        if found is None or self._volume is None:
            return []
        value, (x, y, z) = found
        units = self._volume.units
        text = _tr("padding") if value is None else f"{_num(value)} {units}".strip()
        if self._geometry is None or not self._geometry.has_geometry:
            return [text]
        return [
            text,
            _tr("x {x} y {y} z {z} mm").format(
                x=f"{x:.1f}", y=f"{y:.1f}", z=f"{z:.1f}"
            ),
        ]

    # -- keys -------------------------------------------------------------

    _SLICE_KEYS: Mapping[int, int] = {
        Qt.Key.Key_Up: -1,
        Qt.Key.Key_Down: 1,
        Qt.Key.Key_PageUp: -10,
        Qt.Key.Key_PageDown: 10,
    }

    def _handles_key(self, event: QKeyEvent) -> bool:
        """Say whether the view takes this key itself (before window shortcuts)."""
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            return key in (Qt.Key.Key_Z, Qt.Key.Key_Y)
        if modifiers & ~Qt.KeyboardModifier.ShiftModifier:
            return False
        text = event.text().upper()
        return (
            key in self._SLICE_KEYS
            or key
            in (
                Qt.Key.Key_Home,
                Qt.Key.Key_End,
                Qt.Key.Key_Delete,
                Qt.Key.Key_Backspace,
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
                Qt.Key.Key_Escape,
                Qt.Key.Key_Space,
            )
            or (text != "" and text in "+-=0123456789")
            or (text != "" and text in self.TOOL_KEYS.values())
        )

    def _key_press(self, event: QKeyEvent) -> bool:
        if not self._handles_key(event):
            return False
        key = event.key()
        text = event.text().upper()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            is_redo = key == Qt.Key.Key_Y or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            (self.redo_requested if is_redo else self.undo_requested).emit()
        elif key in self._SLICE_KEYS:
            self.set_slice_index(self._slice_index + self._SLICE_KEYS[key])
        elif key == Qt.Key.Key_Home:
            self.set_slice_index(0)
        elif key == Qt.Key.Key_End:
            self.set_slice_index(self.slice_count() - 1)
        elif key == Qt.Key.Key_Space:
            self._is_space_down = not event.isAutoRepeat() or self._is_space_down
        else:
            self._edit_key(key, text)
        return True

    def _edit_key(self, key: int, text: str) -> None:
        tools = {letter: tool for tool, letter in self.TOOL_KEYS.items()}
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if self._selected is not None:
                self.roi_delete_requested.emit(self._selected)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._finish_polygon()
        elif key == Qt.Key.Key_Escape:
            if self._draft:
                self._draft = []
                self._canvas.update()
            else:
                self.select_roi(None)
        elif text in ("+", "="):
            self.set_zoom(self._zoom * _ZOOM_STEP)
        elif text == "-":
            self.set_zoom(self._zoom / _ZOOM_STEP)
        elif text == "0":
            self.fit()
        elif text in "123456789":
            self.label_key_pressed.emit(text)
        elif text in tools:
            self.set_tool(tools[text])

    def _wheel(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps == 0:
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.set_zoom(self._zoom * _ZOOM_STEP**steps, event.position())
        else:
            self.set_slice_index(self._slice_index - int(math.copysign(1, steps)))
        event.accept()

    # -- mouse ----------------------------------------------------------------

    def _mouse_press(self, event: QMouseEvent) -> None:
        if self._volume is None:
            return
        position = event.position()
        button = event.button()
        if button == Qt.MouseButton.RightButton:
            self._drag = _Drag("window", position, window=self._window)
        elif button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and self._is_space_down
        ):
            self._drag = _Drag("pan", position, pan=QPointF(self._pan))
        elif button == Qt.MouseButton.LeftButton:
            self._left_press(position)
        self._canvas.update()

    def _left_press(self, position: QPointF) -> None:
        point = self.snap(self.widget_to_image(position))
        if self._tool == "select":
            self._start_edit(position)
        elif self._tool == "polygon":
            if self._near_first_vertex(position) and len(self._draft) >= 3:
                self._finish_polygon()
            else:
                self._draft.append(point)
        else:
            self._draft = [point, point] if self._tool != "freehand" else [point]
            self._drag = _Drag("draw", position)

    def _start_edit(self, position: QPointF) -> None:
        transform = self.transform()
        if self._selected is not None:
            shape = self._rois[self._selected]
            if shape.slice_index == self._slice_index:
                hit = hit_test(shape, position, transform, with_handles=True)
                if hit is not None:
                    self._drag = _Drag("edit", position, shape=shape, handle=hit)
                    return
        key = self._roi_at(position)
        self.select_roi(key)
        if key is not None:
            shape = self._rois[key]
            self._drag = _Drag("edit", position, shape=shape, handle=-1)

    def _roi_at(self, position: QPointF) -> str | None:
        transform = self.transform()
        for shape in reversed(list(self._rois.values())):
            if shape.slice_index != self._slice_index:
                continue
            if hit_test(shape, position, transform, with_handles=False) is not None:
                return shape.key
        return None

    def _mouse_move(self, event: QMouseEvent) -> None:
        position = event.position()
        self._cursor = position
        drag = self._drag
        if drag is None:
            self._update_hover(position)
        elif drag.mode == "window":
            self._drag_window(drag, position)
        elif drag.mode == "pan":
            self._pan = drag.pan + (position - drag.start)
            self._is_fitted = False
        elif drag.mode == "draw":
            self._drag_draw(position)
        elif drag.mode == "edit":
            self._drag_edit(drag, position)
        if self._tool == "polygon" and self._draft:
            self._draft_tip = self.snap(self.widget_to_image(position))
        self._canvas.update()

    def _update_hover(self, position: QPointF) -> None:
        self._hovered = self._roi_at(position)

    def _drag_window(self, drag: _Drag, position: QPointF) -> None:
        # Right-drag: horizontal changes the width, vertical the centre, by
        # a share of the starting width so fine and coarse windows both move.
        delta = position - drag.start
        centre, width = drag.window
        step = max(width, 10.0) / 256.0
        self.set_window_level(centre + delta.y() * step, width + delta.x() * step)

    def _drag_draw(self, position: QPointF) -> None:
        point = self.snap(self.widget_to_image(position))
        if self._tool == "freehand":
            last = self.image_to_widget(*self._draft[-1])
            if math.hypot(last.x() - position.x(), last.y() - position.y()) >= (
                _FREEHAND_STEP_PX
            ):
                self._draft.append(point)
        elif self._draft:
            self._draft[-1] = point

    def _drag_edit(self, drag: _Drag, position: QPointF) -> None:
        assert drag.shape is not None
        if drag.handle >= 0:
            point = self.snap(self.widget_to_image(position))
            drag.preview = move_handle(drag.shape, drag.handle, point)
        else:
            start = self.widget_to_image(drag.start)
            now = self.widget_to_image(position)
            d_column, d_row = self.snap((now[0] - start[0], now[1] - start[1]))
            drag.preview = translate(drag.shape, d_column, d_row)

    def _mouse_release(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            self._canvas.update()
            return
        if drag.mode == "draw":
            self._finish_draw(drag, event.position())
        elif (
            drag.mode == "edit"
            and drag.preview is not None
            and drag.preview.points != drag.shape_points()
        ):
            self._rois[drag.preview.key] = drag.preview
            self._roi_version += 1
            self.roi_edited.emit(drag.preview.key, _as_lists(drag.preview.points))
        self._canvas.update()

    def _finish_draw(self, drag: _Drag, position: QPointF) -> None:
        points, self._draft = self._draft, []
        moved = math.hypot(*(position - drag.start).toTuple())
        if self._tool == "point":
            self.roi_drawn.emit("point", self._slice_index, _as_lists(points[:1]))
        elif self._tool == "freehand":
            if len(points) >= 3:
                self.roi_drawn.emit("freehand", self._slice_index, _as_lists(points))
        elif moved >= _MIN_DRAG_PX and points[0] != points[-1]:
            self.roi_drawn.emit(self._tool, self._slice_index, _as_lists(points))

    def _mouse_double_click(self, event: QMouseEvent) -> None:
        # A real double-click's first press already added the vertex; a
        # synthetic one may come alone, so add it when it is new.
        if self._tool == "polygon" and event.button() == Qt.MouseButton.LeftButton:
            point = self.snap(self.widget_to_image(event.position()))
            if not self._draft or self._draft[-1] != point:
                self._draft.append(point)
            self._finish_polygon()
        else:
            self._mouse_press(event)

    def _near_first_vertex(self, position: QPointF) -> bool:
        if not self._draft:
            return False
        first = self.image_to_widget(*self._draft[0])
        return math.hypot(*(first - position).toTuple()) <= _CLOSE_POLYGON_PX

    def _finish_polygon(self) -> None:
        if self._tool != "polygon":
            return
        points, self._draft, self._draft_tip = self._draft, [], None
        # A double-click can leave the same vertex twice at the end.
        while len(points) >= 2 and points[-1] == points[-2]:
            points.pop()
        if len(points) >= 3:
            self.roi_drawn.emit("polygon", self._slice_index, _as_lists(points))
        self._canvas.update()


class _Drag:
    """What a mouse drag in progress is doing."""

    def __init__(
        self,
        mode: str,
        start: QPointF,
        *,
        window: tuple[float, float] = (0.0, 1.0),
        pan: QPointF | None = None,
        shape: RoiShape | None = None,
        handle: int = -1,
    ) -> None:
        self.mode = mode  # "window", "pan", "draw" or "edit"
        self.start = QPointF(start)
        self.window = window
        self.pan = pan if pan is not None else QPointF()
        self.shape = shape
        self.handle = handle  # vertex index, or -1 for moving the whole ROI
        self.preview: RoiShape | None = None

    def shape_points(self) -> tuple[Point, ...]:
        return () if self.shape is None else self.shape.points


def preset_label(name: str) -> str:
    """Return the words to show for a window preset key, translated.

    Built-in CT presets are keyed in lowercase ("brain") and the file's
    unnamed windows "File window N" (see ``Volume.window_presets``); the file's
    own explanations are shown as written.

    Parameters
    ----------
    name
        A key of :meth:`SliceView.window_presets`.

    Returns
    -------
    str
        The label for menus and the overlay.
    """
    if name in _PRESET_LABELS:
        return QCoreApplication.translate("SliceView", _PRESET_LABELS[name])
    match = _FILE_WINDOW.fullmatch(name)
    if match:
        return _tr("File window {n}").format(n=match.group(1))
    return name


def geometry_notes(volume: Volume) -> list[str]:
    """Overlay warnings: no position, no spacing, uneven, tilted, palette unshown.

    Parameters
    ----------
    volume
        The volume shown.

    Returns
    -------
    list of str
        Translated lines, empty for a regular stack.
    """
    series = volume.series
    notes = []
    if not series.has_geometry:
        notes.append(_tr("No patient position in the files"))
    if not series.has_pixel_spacing:
        notes.append(_tr("Pixel spacing unknown: no mm"))
    if not series.is_evenly_spaced and series.spacing_min_mm is not None:
        notes.append(
            _tr("Uneven spacing {low}-{high} mm").format(
                low=f"{series.spacing_min_mm:.2f}",
                high=f"{series.spacing_max_mm or 0.0:.2f}",
            )
        )
    if abs(series.geometric_tilt_deg) >= 0.05:
        notes.append(
            _tr("Tilt {angle}°").format(angle=f"{series.geometric_tilt_deg:.1f}")
        )
    if volume.has_palette:
        # Known shortcoming: the file's colour palette is not applied, so a
        # perfusion or fusion map shows in grey; say so rather than mislead.
        notes.append(_tr("Colour palette in the file not shown"))
    return notes


_geometry_notes = geometry_notes


def _as_lists(points: Sequence[Point]) -> list[list[float]]:
    return [[float(c), float(r)] for c, r in points]


def _num(value: float) -> str:
    """Format a window or pixel value: integers without a decimal point."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shadowed(
    painter: QPainter, rect: QRectF, flags: Qt.AlignmentFlag, text: str
) -> None:
    """Draw overlay text with a dark shadow so it reads on any grey."""
    if not text:
        return
    painter.setPen(_OVERLAY_SHADOW)
    painter.drawText(rect.translated(1.0, 1.0), int(flags), text)
    painter.setPen(_OVERLAY_TEXT)
    painter.drawText(rect, int(flags), text)


__all__ = [
    "BOX_KINDS",
    "TOOLS",
    "RoiShape",
    "SliceView",
    "Volume",
    "geometry_notes",
    "orientation_letters",
    "preset_label",
]
