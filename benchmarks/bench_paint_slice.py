"""Painting a windowed 512x512 slice with 20 ROIs vs the bare windowed slice.

Both runs window the slice again on every frame (a new window each time, as
during a right-drag) and paint the whole view at 1:1 zoom into a QImage,
offscreen. Target: the frame with ROIs and overlay at most 2x the bare one.

Run: .venv/bin/python benchmarks/bench_paint_slice.py
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from viewers.imaging.series import scan
from viewers.imaging.volume import Volume, load_volume
from viewers.imaging.windowing import window_to_uint8
from viewers.roi_items import ROI_TOOL_KINDS, RoiShape
from viewers.slice_view import SliceView

TARGET_RATIO = 2.0
FRAMES = 200
SIZE = 512
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dicom"


def _volume() -> Volume:
    series = scan(DATA / "ct_philips_1mm_140").series[0]
    return load_volume(series)


def _rois(slice_index: int) -> list[RoiShape]:
    """Twenty ROIs of every kind spread over the slice."""
    shapes = []
    for n in range(20):
        kind = ROI_TOOL_KINDS[n % len(ROI_TOOL_KINDS)]
        c, r = 60.0 + (n % 5) * 90.0, 60.0 + (n // 5) * 100.0
        if kind == "point":
            points: tuple[tuple[float, float], ...] = ((c, r),)
        elif kind in ("rectangle", "ellipse", "ruler"):
            points = ((c, r), (c + 60.0, r + 40.0))
        else:
            count = 8 if kind == "polygon" else 60
            points = tuple(
                (
                    c + 30 + 28 * math.cos(2 * math.pi * k / count),
                    r + 20 + 18 * math.sin(2 * math.pi * k / count),
                )
                for k in range(count)
            )
        caption = "27.07 mm" if kind == "ruler" else ""
        shapes.append(
            RoiShape(f"k{n}", kind, f"l{n % 3}", slice_index, points, caption)
        )
    return shapes


def _bare_frame(
    pixels: np.ndarray, window: tuple[float, float], target: QImage
) -> None:
    grey = np.ascontiguousarray(window_to_uint8(pixels, *window))
    image = QImage(grey.data, SIZE, SIZE, SIZE, QImage.Format.Format_Grayscale8)
    painter = QPainter(target)
    painter.fillRect(target.rect(), QColor(0, 0, 0))
    painter.drawImage(QRectF(0, 0, SIZE, SIZE), image)
    painter.end()


def _median_ms(run: list[float]) -> float:
    return statistics.median(run) * 1000.0


def main() -> int:
    app = QApplication.instance() or QApplication([])
    volume = _volume()
    view = SliceView()
    view.resize(SIZE + view.slider().sizeHint().width(), SIZE)
    view.set_volume(volume)
    view.set_zoom(1.0)
    view.fit()
    view.set_zoom(1.0)
    slice_index = view.slice_index()
    view.set_label_colours({"l0": "#ff5a36", "l1": "#3aa0ff", "l2": "#f2d24b"})
    view.set_rois(_rois(slice_index))
    view.select_roi("k3")
    view._cursor = QPointF(200.0, 200.0)
    canvas = view.viewport()
    target = QImage(canvas.size(), QImage.Format.Format_RGB32)
    pixels = volume.pixels[slice_index]
    windows = [(-600.0 + k, 1500.0) for k in range(FRAMES)]

    bare, full, cold = [], [], []
    for window in windows:
        start = time.perf_counter()
        _bare_frame(pixels, window, target)
        bare.append(time.perf_counter() - start)

        start = time.perf_counter()
        view.set_window_level(*window)
        canvas.render(target, QPoint(0, 0))
        full.append(time.perf_counter() - start)

        # The same frame when the ROI layer must be drawn again (a new slice,
        # hover or selection): reported, not the target.
        start = time.perf_counter()
        view._roi_version += 1
        canvas.render(target, QPoint(0, 0))
        cold.append(time.perf_counter() - start)

    ratio = _median_ms(full) / _median_ms(bare)
    print(
        f"slice {SIZE}x{SIZE}, zoom {view.zoom():.2f}, {len(view.rois())} ROIs, "
        f"{FRAMES} frames"
    )
    print(f"bare windowed image : {_median_ms(bare):7.3f} ms median")
    print(f"with ROIs + overlay : {_median_ms(full):7.3f} ms median")
    print(
        f"ROI layer redrawn   : {_median_ms(cold):7.3f} ms median "
        f"(ratio {_median_ms(cold) / _median_ms(bare):.2f}, slice change or hover)"
    )
    print(
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO:.1f}): "
        f"{'PASS' if ratio <= TARGET_RATIO else 'MISS'}"
    )
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
