"""The MPR layout: axial, coronal, sagittal reformats with a linked crosshair, and 3D.

Each plane is a :class:`viewers.imaging.reslice.Reslice` through the crosshair
point (patient LPS, mm), drawn with square pixels in mm so shapes keep their
true aspect, and with the same window as the slice view. Clicking or dragging
in one plane moves the crosshair there; the other planes follow.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

import numpy as np
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
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
    QGuiApplication,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from viewers.imaging.reslice import PLANES, Reslice, reslice
from viewers.imaging.volume import Volume
from viewers.imaging.windowing import window_to_uint8
from viewers.roi_items import RoiShape
from viewers.slice_view import geometry_notes, orientation_letters

__all__ = ["PLANE_COLOURS", "MprView", "PlaneView", "roi_outline_mm"]

log = logging.getLogger(__name__)

#: The colour of each plane's crosshair line in the other planes.
PLANE_COLOURS: dict[str, str] = {
    "axial": "#f2d24b",
    "coronal": "#4bd97a",
    "sagittal": "#3aa0ff",
}
_PLANE_TITLES = {
    "axial": QT_TRANSLATE_NOOP("MprView", "Axial"),
    "coronal": QT_TRANSLATE_NOOP("MprView", "Coronal"),
    "sagittal": QT_TRANSLATE_NOOP("MprView", "Sagittal"),
}
# The patient axis (0 x, 1 y, 2 z) across each plane.
_NORMAL_AXIS = {"axial": 2, "coronal": 1, "sagittal": 0}
_AXIS_NAMES = ("x", "y", "z")
_OVERLAY_TEXT = QColor(235, 235, 235)
_OVERLAY_SHADOW = QColor(0, 0, 0, 220)
# Keys that step a plane along its normal, and by how many steps.
_STEP_KEYS = {
    Qt.Key.Key_Up: 1,
    Qt.Key.Key_Down: -1,
    Qt.Key.Key_PageUp: 10,
    Qt.Key.Key_PageDown: -10,
}
_ELLIPSE_STEPS = 64
# Half the arm of a point ROI's cross, in mm.
_POINT_ARM_MM = 4.0
# An ROI outline to draw: points (LPS, mm), closed, colour, is a point's cross.
_Outline = tuple[np.ndarray, bool, str, bool]
# Screen pixels of mouse travel per window unit when right-dragging.
_WINDOW_DRAG_GAIN = 2.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("MprView", text)


def roi_outline_mm(volume: Volume, shape: RoiShape) -> tuple[np.ndarray, bool]:
    """Return an ROI's outline as patient points (LPS, mm).

    Parameters
    ----------
    volume
        The series the ROI was drawn on.
    shape
        The ROI (image points on its slice).

    Returns
    -------
    points, closed
        (N, 3) points in mm and whether the last joins the first. A point ROI
        gives the four ends of a small cross (two segments).
    """
    index = shape.slice_index
    xy = np.asarray(shape.points, dtype=float)
    if shape.kind in ("rectangle", "ellipse"):
        (c0, r0), (c1, r1) = xy[0], xy[1]
        if shape.kind == "rectangle":
            image = [(c0, r0), (c1, r0), (c1, r1), (c0, r1)]
        else:
            angles = np.linspace(0.0, 2.0 * math.pi, _ELLIPSE_STEPS, endpoint=False)
            cc, rc = (c0 + c1) / 2.0, (r0 + r1) / 2.0
            ac, ar = abs(c1 - c0) / 2.0, abs(r1 - r0) / 2.0
            image = [
                (cc + ac * math.cos(a), rc + ar * math.sin(a)) for a in angles.tolist()
            ]
        closed = True
    elif shape.kind == "point":
        row_spacing, column_spacing = volume.series.pixel_spacing_mm
        dc, dr = _POINT_ARM_MM / column_spacing, _POINT_ARM_MM / row_spacing
        c, r = xy[0]
        image = [(c - dc, r), (c + dc, r), (c, r - dr), (c, r + dr)]
        closed = False
    else:
        image = [(float(c), float(r)) for c, r in xy]
        closed = shape.kind in ("polygon", "freehand")
    points = np.asarray(
        [volume.image_to_patient(index, float(c), float(r)) for c, r in image]
    )
    return points, closed


class PlaneView(QWidget):
    """One reformatted plane with its crosshair, edge letters and overlay.

    Image coordinates are (column, row) of the reslice, pixel centres at
    integers; screen scale is the same in both directions per mm.

    Parameters
    ----------
    plane
        "axial", "coronal" or "sagittal".
    parent
        The owning widget.
    """

    #: LPS mm of a click or drag (left button) in this plane
    point_picked = Signal(float, float, float)
    #: steps of the wheel (positive away from the viewer's scroll direction)
    stepped = Signal(int)
    #: centre and width from a right-button drag
    window_dragged = Signal(float, float)
    #: the left button was released after a click or drag
    pick_finished = Signal()

    def __init__(self, plane: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if plane not in PLANES:
            raise ValueError(f"unknown plane {plane!r}; one of {PLANES}")
        self.plane = plane
        self._reslice: Reslice | None = None
        self._window = (40.0, 400.0)
        self._invert = False
        self._units = ""
        self._crosshair: tuple[float, float, float] | None = None
        self._image: QImage | None = None
        self._buffer: np.ndarray | None = None
        self._drag_start: tuple[QPointF, tuple[float, float]] | None = None
        self._rois: list[_Outline] = []
        self._roi_tolerance_mm = 0.5
        self._cursor: QPointF | None = None
        self._notes: list[str] = []
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(120, 120)

    # -- state --------------------------------------------------------------

    def reslice(self) -> Reslice | None:
        """Return the shown reformat (None before a volume)."""
        return self._reslice

    def set_reslice(
        self, image: Reslice, window: tuple[float, float], *, invert: bool = False
    ) -> None:
        """Show a reformat with a window (centre, width in modality units)."""
        self._reslice = image
        self._window = window
        self._invert = invert
        self._units = image.units
        self._image = None
        self.update()

    def set_notes(self, notes: list[str]) -> None:
        """Set the warning lines under the position (spacing, tilt, geometry)."""
        self._notes = list(notes)
        self.update()

    def set_window(self, window: tuple[float, float]) -> None:
        """Redraw with another window (centre, width)."""
        if window != self._window:
            self._window = window
            self._image = None
            self.update()

    def set_crosshair(self, xyz: Sequence[float]) -> None:
        """Move the crosshair to a patient point (LPS, mm)."""
        self._crosshair = (float(xyz[0]), float(xyz[1]), float(xyz[2]))
        self.update()

    def set_rois(self, outlines: Sequence[_Outline], tolerance_mm: float) -> None:
        """Set ROI outlines (LPS mm) to draw where they lie in this plane.

        Parameters
        ----------
        outlines
            (points (N, 3) in mm, closed, "#rrggbb", is_point) of each ROI.
        tolerance_mm
            An outline is drawn when every point is this close to the plane.
        """
        self._rois = list(outlines)
        self._roi_tolerance_mm = tolerance_mm
        self.update()

    def visible_rois(self) -> list[tuple[list[QPointF], str, bool]]:
        """Return the ROI outlines that lie in this plane, in widget points.

        Each is (points, "#rrggbb", is a point's cross); a closed outline ends
        with its first point again.
        """
        if self._reslice is None:
            return []
        shown = []
        for points, closed, colour, is_point in self._rois:
            placed = [self._reslice.patient_to_image(p) for p in points]
            if max(abs(d) for _, _, d in placed) > self._roi_tolerance_mm:
                continue
            widget = [self.image_to_widget(c, r) for c, r, _ in placed]
            shown.append((widget + widget[:1] if closed else widget, colour, is_point))
        return shown

    def scale(self) -> float:
        """Return screen pixels per mm (the same across and down)."""
        if self._reslice is None:
            return 1.0
        rows, columns = self._reslice.pixels.shape
        row_spacing, column_spacing = self._reslice.pixel_spacing_mm
        width_mm, height_mm = columns * column_spacing, rows * row_spacing
        return float(max(1e-6, min(self.width() / width_mm, self.height() / height_mm)))

    def image_to_widget(self, column: float, row: float) -> QPointF:
        """Return the widget position of an image point (pixel centres at integers)."""
        if self._reslice is None:
            return QPointF(column, row)
        left, top, per_mm = self._placement()
        row_spacing, column_spacing = self._reslice.pixel_spacing_mm
        return QPointF(
            left + (column + 0.5) * column_spacing * per_mm,
            top + (row + 0.5) * row_spacing * per_mm,
        )

    def widget_to_image(self, position: QPointF) -> tuple[float, float]:
        """Return the image point (column, row) under a widget position."""
        if self._reslice is None:
            return (position.x(), position.y())
        left, top, per_mm = self._placement()
        row_spacing, column_spacing = self._reslice.pixel_spacing_mm
        return (
            (position.x() - left) / (column_spacing * per_mm) - 0.5,
            (position.y() - top) / (row_spacing * per_mm) - 0.5,
        )

    def crosshair_widget(self) -> QPointF | None:
        """Return where the crosshair is drawn (widget position), if set."""
        if self._reslice is None or self._crosshair is None:
            return None
        column, row, _ = self._reslice.patient_to_image(self._crosshair)
        return self.image_to_widget(column, row)

    def edge_letters(self) -> dict[str, str]:
        """Return the patient directions at the "left", "right", "top", "bottom"."""
        if self._reslice is None:
            return {}
        across = np.asarray(self._reslice.row_direction)
        down = np.asarray(self._reslice.column_direction)
        return {
            "left": orientation_letters(-across),
            "right": orientation_letters(across),
            "top": orientation_letters(-down),
            "bottom": orientation_letters(down),
        }

    def overlay_text(self) -> dict[str, list[str]]:
        """Return the overlay lines by corner ("top_left", "top_right", "bottom_left").

        The bottom left holds the value and patient position (LPS, mm) of the
        pixel under the mouse, when it is over the volume.
        """
        if self._reslice is None:
            return {}
        axis = _NORMAL_AXIS[self.plane]
        position = self._reslice.origin_mm[axis]
        centre, width = self._window
        return {
            "bottom_left": self._cursor_lines(),
            "top_left": [
                _tr(str(_PLANE_TITLES[self.plane])),
                _tr("{axis} {position} mm").format(
                    axis=_AXIS_NAMES[axis], position=f"{position:.1f}"
                ),
                # The same spacing and tilt warnings as the single view.
                *self._notes,
            ],
            "top_right": [
                _tr("W {width} L {centre}").format(
                    width=_num(width), centre=_num(centre)
                )
            ],
        }

    def _cursor_lines(self) -> list[str]:
        if self._reslice is None or self._cursor is None:
            return []
        column, row = (round(v) for v in self.widget_to_image(self._cursor))
        rows, columns = self._reslice.pixels.shape
        if not (0 <= row < rows and 0 <= column < columns):
            return []
        if not self._reslice.inside[row, column]:
            return []
        value = float(self._reslice.pixels[row, column])
        x, y, z = self._reslice.image_to_patient(column, row)
        return [
            f"{_num(round(value, 1))} {self._units}".strip(),
            _tr("x {x} y {y} z {z} mm").format(
                x=f"{x:.1f}", y=f"{y:.1f}", z=f"{z:.1f}"
            ),
        ]

    # -- painting -----------------------------------------------------------

    def _placement(self) -> tuple[float, float, float]:
        """Return the image's left and top edge on screen, and pixels per mm."""
        assert self._reslice is not None
        rows, columns = self._reslice.pixels.shape
        row_spacing, column_spacing = self._reslice.pixel_spacing_mm
        per_mm = self.scale()
        left = (self.width() - columns * column_spacing * per_mm) / 2.0
        top = (self.height() - rows * row_spacing * per_mm) / 2.0
        return left, top, per_mm

    def _grey_image(self) -> QImage:
        assert self._reslice is not None
        if self._image is None:
            # Known shortcoming: a file's VOI LUT is not applied to reformats;
            # they use the linear window (the slice view's when it has one).
            grey = window_to_uint8(
                self._reslice.pixels, *self._window, invert=self._invert
            )
            grey[~self._reslice.inside] = 0
            self._buffer = np.ascontiguousarray(grey, dtype=np.uint8)
            rows, columns = self._buffer.shape
            self._image = QImage(
                self._buffer.data,
                columns,
                rows,
                columns,
                QImage.Format.Format_Grayscale8,
            )
        return self._image

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the plane, its crosshair and overlay."""
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(0, 0, 0))
            if self._reslice is None:
                return
            left, top, per_mm = self._placement()
            rows, columns = self._reslice.pixels.shape
            row_spacing, column_spacing = self._reslice.pixel_spacing_mm
            target = QRectF(
                left,
                top,
                columns * column_spacing * per_mm,
                rows * row_spacing * per_mm,
            )
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, self._grey_image())
            self._paint_crosshair(painter, target)
            self._paint_rois(painter)
            self._paint_text(painter)
        finally:
            painter.end()

    def _paint_crosshair(self, painter: QPainter, target: QRectF) -> None:
        point = self.crosshair_widget()
        if point is None or self._reslice is None:
            return
        across_axis = int(np.argmax(np.abs(self._reslice.row_direction)))
        for other in PLANES:
            if other == self.plane:
                continue
            pen = QPen(QColor(PLANE_COLOURS[other]), 1.0)
            painter.setPen(pen)
            # A plane across the row direction shows as a vertical line.
            if _NORMAL_AXIS[other] == across_axis:
                painter.drawLine(
                    QPointF(point.x(), target.top()),
                    QPointF(point.x(), target.bottom()),
                )
            else:
                painter.drawLine(
                    QPointF(target.left(), point.y()),
                    QPointF(target.right(), point.y()),
                )

    def _paint_rois(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for widget, colour, is_point in self.visible_rois():
            painter.setPen(QPen(QColor(colour), 1.5))
            if is_point:
                painter.drawLine(widget[0], widget[1])
                painter.drawLine(widget[2], widget[3])
            else:
                painter.drawPolyline(widget)

    def _paint_text(self, painter: QPainter) -> None:
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        rect = QRectF(self.rect()).adjusted(6.0, 4.0, -6.0, -4.0)
        flags = Qt.AlignmentFlag
        letters = self.edge_letters()
        _shadowed(painter, rect, flags.AlignLeft | flags.AlignVCenter, letters["left"])
        _shadowed(
            painter, rect, flags.AlignRight | flags.AlignVCenter, letters["right"]
        )
        _shadowed(painter, rect, flags.AlignHCenter | flags.AlignTop, letters["top"])
        _shadowed(
            painter, rect, flags.AlignHCenter | flags.AlignBottom, letters["bottom"]
        )
        overlay = self.overlay_text()
        colour = QColor(PLANE_COLOURS[self.plane])
        painter.setPen(colour)
        _shadowed(
            painter,
            rect,
            flags.AlignLeft | flags.AlignTop,
            "\n".join(overlay["top_left"]),
            colour,
        )
        _shadowed(
            painter,
            rect,
            flags.AlignRight | flags.AlignTop,
            "\n".join(overlay["top_right"]),
        )
        # Above the bottom edge letter's line.
        _shadowed(
            painter,
            rect.adjusted(0.0, 0.0, 0.0, -painter.fontMetrics().height()),
            flags.AlignLeft | flags.AlignBottom,
            "\n".join(overlay["bottom_left"]),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Redraw at the new size (the image stays fitted)."""
        self.update()

    # -- mouse --------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Left picks the crosshair point; right starts a window drag."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._pick(event.position())
        elif event.button() == Qt.MouseButton.RightButton:
            self._drag_start = (event.position(), self._window)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Drag the crosshair (left) or the window (right); track the cursor."""
        self._cursor = event.position()
        self.update()
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pick(event.position())
        elif event.buttons() & Qt.MouseButton.RightButton and self._drag_start:
            start, (centre, width) = self._drag_start
            delta = event.position() - start
            self.window_dragged.emit(
                centre - delta.y() * _WINDOW_DRAG_GAIN,
                max(1.0, width + delta.x() * _WINDOW_DRAG_GAIN),
            )

    def leaveEvent(self, event: QEvent) -> None:
        """Forget the cursor when the mouse leaves the plane."""
        self._cursor = None
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End a crosshair or window drag."""
        self._drag_start = None
        if event.button() == Qt.MouseButton.LeftButton:
            self.pick_finished.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Step the plane with Up/Down (1) and Page Up/Page Down (10)."""
        steps = _STEP_KEYS.get(Qt.Key(event.key()))
        if steps is None:
            super().keyPressEvent(event)
            return
        self.stepped.emit(steps)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Step the plane along its normal."""
        steps = round(event.angleDelta().y() / 120.0)
        if steps:
            self.stepped.emit(steps)

    def _pick(self, position: QPointF) -> None:
        if self._reslice is None:
            return
        rows, columns = self._reslice.pixels.shape
        column, row = self.widget_to_image(position)
        column = min(max(column, 0.0), columns - 1.0)
        row = min(max(row, 0.0), rows - 1.0)
        self.point_picked.emit(*self._reslice.image_to_patient(column, row))


class MprView(QWidget):
    """Axial, coronal and sagittal reformats and a 3D view, in a 2x2 grid.

    Parameters
    ----------
    parent
        The owning widget.
    show_3d
        Whether to embed the VTK 3D view; by default only when Qt draws to a
        real screen (VTK inside Qt cannot render with the offscreen platform).
    """

    crosshair_changed = Signal(float, float, float)
    window_changed = Signal(float, float)

    def __init__(
        self, parent: QWidget | None = None, show_3d: bool | None = None
    ) -> None:
        super().__init__(parent)
        if show_3d is None:
            # Known shortcoming: with Qt's offscreen platform (tests, headless
            # runs) the 3D cell is a note; VTK inside Qt needs a real screen.
            show_3d = QGuiApplication.platformName() != "offscreen"
        self._volume: Volume | None = None
        self._window = (40.0, 400.0)
        self._crosshair = (0.0, 0.0, 0.0)
        self._cache: dict[str, tuple[float, int, Reslice]] = {}
        self.planes: dict[str, PlaneView] = {
            name: PlaneView(name, self) for name in PLANES
        }
        # Interpolation order of the reformats: nearest while the crosshair
        # is dragged (about 4x faster), linear once the button is released.
        self._order = 1
        for view in self.planes.values():
            view.point_picked.connect(self._on_picked)
            view.pick_finished.connect(self._on_pick_finished)
            view.window_dragged.connect(self._on_window_dragged)
        for name, view in self.planes.items():
            view.stepped.connect(lambda steps, n=name: self.step_plane(n, steps))

        self.volume_view = None
        self._presets = QComboBox(self)
        self._presets.setToolTip(
            _tr("3D transfer function (opacity and colour by value)")
        )
        corner = QWidget(self)
        box = QVBoxLayout(corner)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self._presets)
        if show_3d:
            # Imported here: VTK loads only where a screen can show it.
            from viewers.volume_view import VolumeView

            self.volume_view = VolumeView(corner)
            box.addWidget(self.volume_view, 1)
            self._presets.currentTextChanged.connect(self._on_preset)
        else:
            self._presets.setEnabled(False)
            note = QLabel(_tr("The 3D view needs a screen (OpenGL)."), corner)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            note.setWordWrap(True)
            box.addWidget(note, 1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        grid.addWidget(self.planes["axial"], 0, 0)
        grid.addWidget(self.planes["coronal"], 0, 1)
        grid.addWidget(self.planes["sagittal"], 1, 0)
        grid.addWidget(corner, 1, 1)
        for index in range(2):
            grid.setRowStretch(index, 1)
            grid.setColumnStretch(index, 1)

    # -- public API ---------------------------------------------------------

    def volume(self) -> Volume | None:
        """Return the shown volume."""
        return self._volume

    def set_volume(
        self,
        volume: Volume,
        window: tuple[float, float] | None = None,
        crosshair_mm: Sequence[float] | None = None,
    ) -> None:
        """Show a volume.

        Parameters
        ----------
        volume
            The loaded series.
        window
            (centre, width) in modality units; by default the file's window.
        crosshair_mm
            The first crosshair point (LPS, mm); by default the volume's centre.
        """
        self._volume = volume
        self._cache.clear()
        notes = geometry_notes(volume)
        for plane in self.planes.values():
            plane.set_notes(notes)
        middle = volume.pixels.shape[0] // 2
        self._window = window or volume.opening_window(middle)
        if crosshair_mm is None:
            _, rows, columns = volume.pixels.shape
            crosshair_mm = volume.image_to_patient(
                (volume.pixels.shape[0] - 1) / 2.0,
                (columns - 1) / 2.0,
                (rows - 1) / 2.0,
            )
        if self.volume_view is not None:
            self.volume_view.set_volume(volume)
            self._presets.blockSignals(True)
            self._presets.clear()
            self._presets.addItems(self.volume_view.scene.preset_names())
            self._presets.setCurrentText(self.volume_view.scene.preset_name)
            self._presets.blockSignals(False)
        if len(crosshair_mm) != 3:
            raise ValueError(f"a crosshair point has 3 values, got {len(crosshair_mm)}")
        x, y, z = (float(v) for v in crosshair_mm)
        self._show((x, y, z))
        log.info("MPR shows %d slices", volume.pixels.shape[0])

    def window_level(self) -> tuple[float, float]:
        """Return (centre, width) of the planes' window."""
        return self._window

    def set_window_level(self, centre: float, width: float) -> None:
        """Draw the planes with another window (does not emit window_changed)."""
        self._window = (float(centre), max(float(width), 1.0))
        for view in self.planes.values():
            view.set_window(self._window)

    def crosshair_mm(self) -> tuple[float, float, float]:
        """Return the crosshair point (LPS, mm)."""
        return self._crosshair

    def set_crosshair_mm(self, x: float, y: float, z: float) -> None:
        """Move the crosshair; each plane whose position changed is reformatted."""
        if self._volume is None:
            return
        self._show((float(x), float(y), float(z)))
        self.crosshair_changed.emit(*self._crosshair)

    def step_plane(self, plane: str, steps: int) -> None:
        """Move one plane along its normal by whole steps of the volume's spacing."""
        if self._volume is None:
            return
        axis = _NORMAL_AXIS[plane]
        point = list(self._crosshair)
        point[axis] += steps * self._step_mm(plane)
        self.set_crosshair_mm(*point)

    def set_rois(self, shapes: Sequence[RoiShape], colours: Mapping[str, str]) -> None:
        """Draw the series' ROIs: in 3D, and in each plane that passes through one.

        Parameters
        ----------
        shapes
            The ROIs (on acquisition slices) of the shown series.
        colours
            Label name to "#rrggbb"; other labels are drawn light grey.
        """
        if self._volume is None:
            return
        # Known shortcoming: an ROI shows only in a plane that contains it, not
        # as the line where another plane cuts across it.
        outlines: list[_Outline] = []
        for shape in shapes:
            points, closed = roi_outline_mm(self._volume, shape)
            colour = colours.get(shape.label, "#c8c8c8")
            outlines.append((points, closed, colour, shape.kind == "point"))
        for name, view in self.planes.items():
            view.set_rois(outlines, self._step_mm(name) / 2.0)
        if self.volume_view is not None:
            self.volume_view.set_rois(shapes, colours)

    def close_view(self) -> None:
        """Release the 3D view's render window."""
        if self.volume_view is not None:
            self.volume_view.close_view()

    # -- internals ----------------------------------------------------------

    def _show(self, point: tuple[float, float, float]) -> None:
        assert self._volume is not None
        volume = self._volume
        self._crosshair = self._clamped(point)
        invert = volume.photometric == "MONOCHROME1"
        for name, view in self.planes.items():
            position = self._crosshair[_NORMAL_AXIS[name]]
            cached = self._cache.get(name)
            if (
                cached is None
                or cached[1] < self._order
                or not math.isclose(cached[0], position, abs_tol=1e-6)
            ):
                image = reslice(volume, name, position, order=self._order)
                cached = (position, self._order, image)
                self._cache[name] = cached
                view.set_reslice(image, self._window, invert=invert)
            view.set_crosshair(self._crosshair)

    def _clamped(self, point: tuple[float, float, float]) -> tuple[float, float, float]:
        """Keep the crosshair within the volume's bounds (LPS, mm)."""
        assert self._volume is not None
        _, rows, columns = self._volume.pixels.shape
        n = self._volume.pixels.shape[0]
        corners = np.asarray(
            [
                self._volume.image_to_patient(k, c, r)
                for k in (0, n - 1)
                for c in (0, columns - 1)
                for r in (0, rows - 1)
            ]
        )
        low, high = corners.min(axis=0), corners.max(axis=0)
        clipped = np.clip(np.asarray(point), low, high)
        return (float(clipped[0]), float(clipped[1]), float(clipped[2]))

    def _step_mm(self, plane: str) -> float:
        assert self._volume is not None
        series = self._volume.series
        if plane == "axial" and series.spacing_min_mm:
            return float(series.spacing_min_mm)
        return float(min(series.pixel_spacing_mm))

    def _on_picked(self, x: float, y: float, z: float) -> None:
        self._order = 0
        self.set_crosshair_mm(x, y, z)

    def _on_pick_finished(self) -> None:
        self._order = 1
        if self._volume is not None:
            self._show(self._crosshair)

    def _on_window_dragged(self, centre: float, width: float) -> None:
        self.set_window_level(centre, width)
        self.window_changed.emit(*self._window)

    def _on_preset(self, name: str) -> None:
        if self.volume_view is not None and name:
            self.volume_view.set_preset(name)


def _num(value: float) -> str:
    """Format a window value: integers without a decimal point."""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _shadowed(
    painter: QPainter,
    rect: QRectF,
    flags: Qt.AlignmentFlag,
    text: str,
    colour: QColor = _OVERLAY_TEXT,
) -> None:
    """Draw overlay text with a dark shadow so it reads on any grey."""
    if not text:
        return
    painter.setPen(_OVERLAY_SHADOW)
    painter.drawText(rect.translated(1.0, 1.0), int(flags), text)
    painter.setPen(colour)
    painter.drawText(rect, int(flags), text)
