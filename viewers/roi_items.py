"""How the slice view draws, hit-tests and edits ROIs in image coordinates."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)

#: The ROI kinds the view draws, in toolbar order.
ROI_TOOL_KINDS = ("point", "rectangle", "ellipse", "polygon", "freehand", "ruler")

#: Kinds stored as two opposite corners of their bounding box.
BOX_KINDS = frozenset({"rectangle", "ellipse"})

#: Kinds whose outline is closed (an area with statistics).
AREA_KINDS = frozenset({"rectangle", "ellipse", "polygon", "freehand"})

Point = tuple[float, float]
"""An image position (column, row) in pixels, pixel centres at integers."""

HANDLE_SIZE_PX = 7.0
HIT_TOLERANCE_PX = 5.0
_POINT_RADIUS_PX = 5.0
# Opaque on purpose: a translucent wide pen makes the raster engine stroke
# the outline into a path first, about 6x slower.
_SHADOW = QColor(0, 0, 0)
_HOVER = QColor(235, 235, 235)


@dataclass(frozen=True)
class RoiShape:
    """One ROI as the view draws it.

    Parameters
    ----------
    key
        The ROI's record ID (or a temporary key before it is saved).
    kind
        One of ``ROI_TOOL_KINDS``.
    label
        The label's name; its colour comes from the view's label colours.
    slice_index
        The slice (0-based, in the series' sorted order) the ROI lies on.
    points
        Image positions (column, row); rectangles and ellipses hold two
        opposite corners, rulers their two ends.
    caption
        Short text drawn beside the ROI (a ruler's length in mm).
    """

    key: str
    kind: str
    label: str
    slice_index: int
    points: tuple[Point, ...]
    caption: str = ""


def handle_points(shape: RoiShape) -> list[Point]:
    """Return the positions of the handles a selected ROI shows.

    Rectangles and ellipses get the four corners of their box; the other
    kinds one handle per vertex.
    """
    if shape.kind in BOX_KINDS:
        (c0, r0), (c1, r1) = shape.points[0], shape.points[-1]
        return [(c0, r0), (c1, r0), (c1, r1), (c0, r1)]
    return list(shape.points)


def move_handle(shape: RoiShape, index: int, to: Point) -> RoiShape:
    """Return the shape with handle ``index`` moved to the image position ``to``."""
    if shape.kind in BOX_KINDS:
        (c0, r0), (c1, r1) = shape.points[0], shape.points[-1]
        # Corners run (c0,r0), (c1,r0), (c1,r1), (c0,r1): each moves one column
        # and one row value of the box.
        if index in (0, 3):
            c0 = to[0]
        else:
            c1 = to[0]
        if index in (0, 1):
            r0 = to[1]
        else:
            r1 = to[1]
        return replace(shape, points=((c0, r0), (c1, r1)))
    points = list(shape.points)
    points[index] = to
    return replace(shape, points=tuple(points))


def translate(shape: RoiShape, d_column: float, d_row: float) -> RoiShape:
    """Return the shape moved by (d_column, d_row) pixels."""
    return replace(
        shape, points=tuple((c + d_column, r + d_row) for c, r in shape.points)
    )


def widget_path(shape: RoiShape, transform: QTransform) -> QPainterPath:
    """Return the ROI's outline in widget coordinates.

    The path is built from mapped points so that line widths and text stay
    in screen pixels at any zoom. A point ROI becomes a small circle.
    """
    path = QPainterPath()
    mapped = [transform.map(QPointF(c, r)) for c, r in shape.points]
    if not mapped:
        return path
    if shape.kind == "point":
        path.addEllipse(mapped[0], _POINT_RADIUS_PX, _POINT_RADIUS_PX)
    elif shape.kind in BOX_KINDS:
        box = QRectF(mapped[0], mapped[-1]).normalized()
        if shape.kind == "rectangle":
            path.addRect(box)
        else:
            path.addEllipse(box)
    elif shape.kind == "ruler":
        path.moveTo(mapped[0])
        path.lineTo(mapped[-1])
    else:
        path.addPolygon(transform.map(_image_polygon(shape.points)))
        path.closeSubpath()
    return path


def hit_test(
    shape: RoiShape, position: QPointF, transform: QTransform, *, with_handles: bool
) -> int | None:
    """Say what of the ROI lies under a widget position.

    Returns
    -------
    int or None
        The handle's index, ``-1`` for the ROI's body or outline, ``None``
        when the position misses it.
    """
    if with_handles:
        for index, (c, r) in enumerate(handle_points(shape)):
            centre = transform.map(QPointF(c, r))
            if (
                abs(centre.x() - position.x()) <= HIT_TOLERANCE_PX
                and abs(centre.y() - position.y()) <= HIT_TOLERANCE_PX
            ):
                return index

    path = widget_path(shape, transform)
    is_filled = shape.kind in AREA_KINDS or shape.kind == "point"
    if is_filled and path.contains(position):
        return -1
    stroker = QPainterPathStroker()
    stroker.setWidth(2 * HIT_TOLERANCE_PX)
    if stroker.createStroke(path).contains(position):
        return -1
    return None


def paint_roi(
    painter: QPainter,
    shape: RoiShape,
    transform: QTransform,
    colour: QColor,
    *,
    is_selected: bool = False,
    is_hovered: bool = False,
) -> None:
    """Draw one ROI in the label's colour over a dark shadow.

    A hovered ROI gets a thin light outline, a selected one square handles.
    The painter must have an identity transform (widget coordinates).
    """
    # A dark line under the coloured one keeps the outline visible on any
    # grey value, as the overlay text's shadow does.
    width = 2.5 if is_selected else 1.5
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(_SHADOW, width + 2.0))
    _draw_outline(painter, shape, transform)
    if is_hovered and not is_selected:
        painter.setPen(QPen(_HOVER, width + 1.0))
        _draw_outline(painter, shape, transform)
    painter.setPen(QPen(colour, width))
    _draw_outline(painter, shape, transform)

    if shape.kind == "ruler":
        _paint_ruler_ends(painter, shape, transform, colour)
    if shape.caption:
        _paint_caption(painter, shape, transform, colour)
    if is_selected:
        _paint_handles(painter, shape, transform, colour)


def _draw_outline(painter: QPainter, shape: RoiShape, transform: QTransform) -> None:
    """Draw the ROI's outline with the painter's pen, through Qt's fast primitives.

    The view's transform only scales and shifts, so boxes stay boxes.
    """
    if shape.kind == "point":
        centre = transform.map(QPointF(*shape.points[0]))
        painter.drawEllipse(centre, _POINT_RADIUS_PX, _POINT_RADIUS_PX)
    elif shape.kind in BOX_KINDS:
        box = QRectF(
            transform.map(QPointF(*shape.points[0])),
            transform.map(QPointF(*shape.points[-1])),
        ).normalized()
        if shape.kind == "rectangle":
            painter.drawRect(box)
        else:
            painter.drawEllipse(box)
    elif shape.kind == "ruler":
        painter.drawLine(
            transform.map(QPointF(*shape.points[0])),
            transform.map(QPointF(*shape.points[-1])),
        )
    else:
        painter.drawPolygon(transform.map(_image_polygon(shape.points)))


@lru_cache(maxsize=4096)
def _image_polygon(points: tuple[Point, ...]) -> QPolygonF:
    """Build the outline in image coordinates once per shape (freehand is long)."""
    return QPolygonF([QPointF(c, r) for c, r in points])


def _paint_ruler_ends(
    painter: QPainter, shape: RoiShape, transform: QTransform, colour: QColor
) -> None:
    """Draw short ticks across both ends of a ruler."""
    a = transform.map(QPointF(*shape.points[0]))
    b = transform.map(QPointF(*shape.points[-1]))
    length = math.hypot(b.x() - a.x(), b.y() - a.y())
    if length < 1e-6:
        return
    nx, ny = -(b.y() - a.y()) / length * 4.0, (b.x() - a.x()) / length * 4.0
    painter.setPen(QPen(colour, 1.5))
    for end in (a, b):
        painter.drawLine(
            QPointF(end.x() - nx, end.y() - ny), QPointF(end.x() + nx, end.y() + ny)
        )


def _paint_caption(
    painter: QPainter, shape: RoiShape, transform: QTransform, colour: QColor
) -> None:
    """Write the caption beside the ROI's last point, over a shadow."""
    anchor = transform.map(QPointF(*shape.points[-1])) + QPointF(8.0, -6.0)
    painter.setPen(_SHADOW)
    painter.drawText(anchor + QPointF(1.0, 1.0), shape.caption)
    painter.setPen(colour.lighter(130))
    painter.drawText(anchor, shape.caption)


def _paint_handles(
    painter: QPainter, shape: RoiShape, transform: QTransform, colour: QColor
) -> None:
    """Draw a square handle on each vertex (or box corner)."""
    half = HANDLE_SIZE_PX / 2.0
    painter.setPen(QPen(QColor(255, 255, 255), 1.0))
    painter.setBrush(QBrush(colour))
    for c, r in handle_points(shape):
        centre = transform.map(QPointF(c, r))
        painter.drawRect(
            QRectF(centre.x() - half, centre.y() - half, HANDLE_SIZE_PX, HANDLE_SIZE_PX)
        )
    painter.setBrush(Qt.BrushStyle.NoBrush)


def tool_icon(tool: str, colour: QColor, size: int = 24) -> QIcon:
    """Return a plain line icon for a tool ("select" or an ROI kind).

    Parameters
    ----------
    tool
        The tool's name.
    colour
        The line colour (the palette's button text, to stay neutral).
    size
        Edge of the square icon in pixels.
    """
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(colour, 1.6))
        m, e = size * 0.2, size * 0.8
        if tool == "select":
            arrow = [
                (0.25, 0.12),
                (0.25, 0.8),
                (0.41, 0.65),
                (0.53, 0.9),
                (0.63, 0.86),
                (0.51, 0.61),
                (0.73, 0.6),
            ]
            painter.setBrush(QBrush(colour))
            painter.drawPolygon(
                QPolygonF([QPointF(x * size, y * size) for x, y in arrow])
            )
        else:
            shape = RoiShape("", tool, "", 0, _icon_points(tool, m, e))
            identity = QTransform()
            if tool == "point":
                painter.setBrush(QBrush(colour))
            _draw_outline(painter, shape, identity)
            if tool == "ruler":
                _paint_ruler_ends(painter, shape, identity, colour)
    finally:
        painter.end()
    return QIcon(pixmap)


def _icon_points(tool: str, m: float, e: float) -> tuple[Point, ...]:
    """Points of a tool's icon between the margins m and e (pixels)."""
    middle, radius = (m + e) / 2, (e - m) / 2
    if tool == "point":
        return ((middle, middle),)
    if tool in BOX_KINDS:
        return ((m, m + 2), (e, e - 2))
    if tool == "polygon":
        return ((m, e), (m + 3, m), (e, m + 4), (e - 3, e))
    if tool == "ruler":
        return ((m, e), (e, m))
    return tuple(
        (
            middle + radius * math.cos(k / 3) * (0.8 + 0.2 * math.sin(k)),
            middle + radius * math.sin(k / 3) * (0.8 + 0.2 * math.cos(k)),
        )
        for k in range(19)
    )
