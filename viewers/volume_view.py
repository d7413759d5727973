"""The 3D view of a series: VTK volume rendering in patient space (LPS, mm).

The volume is placed where the patient is: a vtkImageData whose origin is the
first slice's ImagePositionPatient, whose spacing is (column spacing, row
spacing, slice step) in mm and whose direction matrix holds the row
direction, the column direction and the direction in which slices advance
(not the normal: a gantry-tilted stack is sheared). VTK's x, y and z are
DICOM's LPS x, y and z, so ROIs and the orientation marker share the space.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Only the VTK modules the view needs: "import vtk" loads all, about 3x slower.
import vtkmodules.vtkRenderingFreeType  # draws the cube's letters
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401 -- the OpenGL render window
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import (
    VTK_FLOAT,
    VTK_SHORT,
    vtkCommand,
    vtkPoints,
    vtkUnsignedCharArray,
)
from vtkmodules.vtkCommonDataModel import (
    vtkCellArray,
    vtkImageData,
    vtkPiecewiseFunction,
    vtkPolyData,
)
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTrackballCamera
from vtkmodules.vtkRenderingAnnotation import vtkAnnotatedCubeActor
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkColorTransferFunction,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkVolume,
    vtkVolumeProperty,
)
from vtkmodules.vtkRenderingVolumeOpenGL2 import vtkSmartVolumeMapper

from viewers.imaging.volume import Volume
from viewers.imaging.windowing import auto_window
from viewers.mpr_view import roi_outline_mm
from viewers.roi_items import RoiShape

__all__ = [
    "CAMERA_VIEWS",
    "VOLUME_PRESETS",
    "VolumePreset",
    "VolumeScene",
    "VolumeView",
    "roi_outline_mm",
    "volume_image_data",
]

log = logging.getLogger(__name__)

# In-plane size above which the 3D view renders a subsampled copy: software
# OpenGL ray casting of a full 512 x 512 CT is too slow to turn by hand.
# Known shortcoming: the 3D view thus shows 512 x 512 series at half resolution.
DEFAULT_MAX_IN_PLANE = 256
_BACKGROUND = (0.05, 0.05, 0.07)


def _tr(text: str) -> str:
    return QCoreApplication.translate("VolumeView", text)


@dataclass(frozen=True)
class VolumePreset:
    """A transfer function: opacity and colour by value (HU for CT).

    ``opacity`` holds (value, opacity 0..1) points and ``colours`` (value, red,
    green, blue 0..1) points; VTK interpolates linearly between them and keeps
    the end values beyond them.
    """

    name: str
    opacity: tuple[tuple[float, float], ...]
    colours: tuple[tuple[float, float, float, float], ...]
    shade: bool = True


# CT presets in HU, after those radiology workstations ship.
VOLUME_PRESETS: dict[str, VolumePreset] = {
    "bone": VolumePreset(
        "bone",
        opacity=(
            (-1000.0, 0.0),
            (150.0, 0.0),
            (300.0, 0.15),
            (700.0, 0.6),
            (1500.0, 0.9),
        ),
        colours=(
            (150.0, 0.55, 0.25, 0.15),
            (300.0, 0.9, 0.75, 0.55),
            (1000.0, 1.0, 0.97, 0.9),
        ),
    ),
    "soft tissue": VolumePreset(
        "soft tissue",
        opacity=(
            (-1000.0, 0.0),
            (-200.0, 0.0),
            (-50.0, 0.08),
            (80.0, 0.35),
            (400.0, 0.7),
        ),
        colours=(
            (-200.0, 0.55, 0.25, 0.15),
            (0.0, 0.85, 0.45, 0.35),
            (80.0, 0.95, 0.7, 0.6),
            (400.0, 1.0, 0.95, 0.9),
        ),
    ),
    "lung": VolumePreset(
        "lung",
        opacity=(
            (-1000.0, 0.0),
            (-950.0, 0.0),
            (-800.0, 0.1),
            (-500.0, 0.15),
            (-300.0, 0.0),
        ),
        colours=(
            (-950.0, 0.3, 0.45, 0.7),
            (-700.0, 0.6, 0.75, 0.95),
            (-400.0, 0.95, 0.95, 1.0),
        ),
        shade=False,
    ),
}

# Where the camera stands, as a unit direction from the volume's centre (LPS),
# and which way is up. From the front the patient's left is on the right.
CAMERA_VIEWS: dict[
    str, tuple[tuple[float, float, float], tuple[float, float, float]]
] = {
    "anterior": ((0.0, -1.0, 0.0), (0.0, 0.0, 1.0)),
    "posterior": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "left": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "right": ((-1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "superior": ((0.0, 0.0, 1.0), (0.0, -1.0, 0.0)),
    "inferior": ((0.0, 0.0, -1.0), (0.0, -1.0, 0.0)),
}

_VIEW_KEYS = {
    Qt.Key.Key_A: "anterior",
    Qt.Key.Key_P: "posterior",
    Qt.Key.Key_L: "left",
    Qt.Key.Key_R: "right",
    Qt.Key.Key_S: "superior",
    Qt.Key.Key_I: "inferior",
}


def window_preset(centre: float, width: float) -> VolumePreset:
    """Return a grey preset that ramps opacity across a window.

    Parameters
    ----------
    centre, width
        The window in modality units (HU for CT).

    Returns
    -------
    VolumePreset
        Transparent below the window, 0.8 opaque above it, grey in between.
    """
    width = max(float(width), 1.0)
    low, high = centre - width / 2.0, centre + width / 2.0
    return VolumePreset(
        "window",
        opacity=((low, 0.0), (high, 0.8)),
        colours=((low, 0.0, 0.0, 0.0), (high, 1.0, 1.0, 1.0)),
    )


def volume_image_data(
    volume: Volume, max_in_plane: int | None = DEFAULT_MAX_IN_PLANE
) -> Any:
    """Return the volume as a vtkImageData placed in patient space (LPS, mm).

    Parameters
    ----------
    volume
        The loaded series.
    max_in_plane
        Subsample rows and columns by a whole factor until both are at most
        this; None keeps every pixel.

    Returns
    -------
    vtkImageData
        Point scalars are the modality values; point (i, j, k) is column i,
        row j of slice k. Unevenly spaced slices are resampled linearly onto
        an even grid at the smallest spacing, so the shape stays true.
    """
    pixels, origin, step = _even_stack(volume)
    _, rows, columns = pixels.shape
    factor = 1
    if max_in_plane is not None and max_in_plane > 0:
        factor = max(1, math.ceil(max(rows, columns) / max_in_plane))
    if factor > 1:
        pixels = pixels[:, ::factor, ::factor]
    pixels = np.ascontiguousarray(pixels)
    n, rows, columns = pixels.shape

    row_spacing, column_spacing = volume.series.pixel_spacing_mm
    step_length = float(np.linalg.norm(step))
    x_axis = np.asarray(volume.series.orientation[:3], dtype=float)
    y_axis = np.asarray(volume.series.orientation[3:6], dtype=float)
    z_axis = step / step_length

    image = vtkImageData()
    image.SetDimensions(columns, rows, n)
    image.SetSpacing(column_spacing * factor, row_spacing * factor, step_length)
    image.SetOrigin(*(float(v) for v in origin))
    image.SetDirectionMatrix(
        *np.column_stack((x_axis, y_axis, z_axis)).ravel().tolist()
    )
    kind = VTK_SHORT if pixels.dtype == np.int16 else VTK_FLOAT
    values = pixels if kind == VTK_SHORT else pixels.astype(np.float32)
    scalars = numpy_to_vtk(  # type: ignore[no-untyped-call]  # VTK's helper is unannotated
        values.ravel(), deep=True, array_type=kind
    )
    scalars.SetName("values")
    image.GetPointData().SetScalars(scalars)
    return image


def _even_stack(volume: Volume) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return pixels on evenly spaced slices, the first position and the step.

    The step (LPS, mm) goes from one slice's ImagePositionPatient to the next;
    for a single slice it is the unit normal.
    """
    positions = np.asarray([s.position_mm for s in volume.series.slices], dtype=float)
    pixels = volume.pixels
    if len(positions) == 1:
        return pixels, positions[0], np.asarray(volume.series.normal, dtype=float)
    advance = positions[-1] - positions[0]
    if volume.series.is_evenly_spaced:
        return pixels, positions[0], advance / (len(positions) - 1)

    # Uneven gaps (the GE head CT): resample at the smallest spacing so that
    # the volume is not stretched where slices are far apart.
    normal = np.asarray(volume.series.normal, dtype=float)
    along = positions @ normal
    spacing = float(volume.series.spacing_min_mm or 1.0)
    count = math.floor((along[-1] - along[0]) / spacing + 1e-6) + 1
    targets = along[0] + np.arange(count) * spacing
    index = np.interp(targets, along, np.arange(len(along), dtype=float))
    low = np.clip(np.floor(index).astype(int), 0, len(along) - 2)
    fraction = (index - low)[:, None, None]
    blended = (1.0 - fraction) * pixels[low] + fraction * pixels[low + 1]
    out = np.rint(blended).astype(np.int16) if pixels.dtype == np.int16 else blended
    step = advance * (spacing / float(along[-1] - along[0]))
    return out.astype(pixels.dtype, copy=False), positions[0], step


class VolumeScene:
    """The VTK side of the 3D view, usable without Qt (offscreen windows).

    Parameters
    ----------
    render_window
        A vtkRenderWindow to draw into (from a Qt widget, or offscreen).
    max_in_plane
        As for :func:`volume_image_data`.
    """

    def __init__(
        self, render_window: Any, max_in_plane: int | None = DEFAULT_MAX_IN_PLANE
    ) -> None:
        self.render_window = render_window
        self.max_in_plane = max_in_plane
        self.volume: Volume | None = None
        self.preset_name = ""
        self._window_preset: VolumePreset | None = None

        self.renderer = vtkRenderer()
        self.renderer.SetBackground(*_BACKGROUND)
        # ROIs are drawn over the volume (layer 1) so that dense tissue never
        # hides them; they share the main camera.
        self.roi_renderer = vtkRenderer()
        self.roi_renderer.SetLayer(1)
        self.roi_renderer.InteractiveOff()
        self.roi_renderer.SetActiveCamera(self.renderer.GetActiveCamera())
        self.marker_renderer = vtkRenderer()
        self.marker_renderer.SetLayer(2)
        self.marker_renderer.InteractiveOff()
        self.marker_renderer.SetViewport(0.0, 0.0, 0.18, 0.18)
        render_window.SetNumberOfLayers(3)
        for renderer in (self.renderer, self.roi_renderer, self.marker_renderer):
            render_window.AddRenderer(renderer)
        self.marker_renderer.AddActor(_orientation_cube())
        self.renderer.AddObserver(vtkCommand.StartEvent, self._follow_camera)

        self._volume_actor: Any = None
        self._roi_actor: Any = None

    # -- content ----------------------------------------------------------------

    def set_volume(self, volume: Volume) -> None:
        """Show a volume with the bone preset for CT, a window ramp otherwise."""
        image = volume_image_data(volume, self.max_in_plane)
        mapper = vtkSmartVolumeMapper()
        mapper.SetInputData(image)
        # Interactive turning may drop resolution; a still frame does not.
        mapper.SetRequestedRenderModeToDefault()
        if self._volume_actor is not None:
            self.renderer.RemoveVolume(self._volume_actor)
        actor = vtkVolume()
        actor.SetMapper(mapper)
        actor.SetProperty(vtkVolumeProperty())
        self.renderer.AddVolume(actor)
        self._volume_actor = actor
        self.volume = volume

        centre, width = volume.default_window or auto_window(
            volume.pixels[volume.pixels.shape[0] // 2]
        )
        self._window_preset = window_preset(centre, width)
        self.set_preset("bone" if volume.units == "HU" else "window")
        self.set_rois([], {})
        self.view_from("anterior")
        log.info("3D view shows %d x %d x %d points", *image.GetDimensions())

    def preset_names(self) -> list[str]:
        """Return the presets that fit the volume (CT presets only for HU)."""
        ct = list(VOLUME_PRESETS) if self.volume and self.volume.units == "HU" else []
        return [*ct, "window"]

    def set_preset(self, name: str) -> None:
        """Apply a transfer function by name (see :meth:`preset_names`)."""
        if name not in self.preset_names():
            raise ValueError(
                f"unknown 3D preset {name!r}; one of {self.preset_names()}"
            )
        preset = self._window_preset if name == "window" else VOLUME_PRESETS[name]
        if self._volume_actor is None or preset is None:
            return
        prop = self._volume_actor.GetProperty()
        opacity = vtkPiecewiseFunction()
        for value, alpha in preset.opacity:
            opacity.AddPoint(value, alpha)
        colours = vtkColorTransferFunction()
        for value, red, green, blue in preset.colours:
            colours.AddRGBPoint(value, red, green, blue)
        prop.SetScalarOpacity(opacity)
        prop.SetColor(colours)
        prop.SetInterpolationTypeToLinear()
        if preset.shade:
            prop.ShadeOn()
            prop.SetAmbient(0.3)
            prop.SetDiffuse(0.7)
            prop.SetSpecular(0.2)
        else:
            prop.ShadeOff()
        self.preset_name = name

    def set_rois(self, shapes: Sequence[RoiShape], colours: Mapping[str, str]) -> None:
        """Draw ROIs as outlines at their patient positions (LPS, mm).

        The MPR crosshair is not drawn here (known shortcoming: each 3D frame
        costs 1 to 2 s on software OpenGL, too slow to follow every click).

        Parameters
        ----------
        shapes
            The ROIs of the shown series.
        colours
            Label name to "#rrggbb"; other labels are drawn light grey.
        """
        if self._roi_actor is not None:
            self.roi_renderer.RemoveActor(self._roi_actor)
            self._roi_actor = None
        if self.volume is None or not shapes:
            return
        points = vtkPoints()
        lines = vtkCellArray()
        rgb = vtkUnsignedCharArray()
        rgb.SetNumberOfComponents(3)
        rgb.SetName("colours")
        for shape in shapes:
            outline, closed = roi_outline_mm(self.volume, shape)
            colour = _rgb(colours.get(shape.label, "#c8c8c8"))
            segments = (
                [[0, 1], [2, 3]]
                if shape.kind == "point"
                else [list(range(len(outline))) + ([0] if closed else [])]
            )
            first = points.GetNumberOfPoints()
            for xyz in outline:
                points.InsertNextPoint(*(float(v) for v in xyz))
            for segment in segments:
                lines.InsertNextCell(len(segment), [first + i for i in segment])
                rgb.InsertNextTypedTuple(colour)
        poly = vtkPolyData()
        poly.SetPoints(points)
        poly.SetLines(lines)
        poly.GetCellData().SetScalars(rgb)
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(poly)
        mapper.SetScalarModeToUseCellData()
        actor = vtkActor()
        actor.SetMapper(mapper)
        actor.GetProperty().SetLineWidth(2.5)
        actor.GetProperty().LightingOff()
        self.roi_renderer.AddActor(actor)
        self._roi_actor = actor

    def roi_point_count(self) -> int:
        """Return how many outline points are drawn (0 without ROIs)."""
        if self._roi_actor is None:
            return 0
        return int(self._roi_actor.GetMapper().GetInput().GetNumberOfPoints())

    # -- camera -----------------------------------------------------------------

    def view_from(self, name: str) -> None:
        """Point the camera at the volume from one side of the patient.

        Parameters
        ----------
        name
            One of :data:`CAMERA_VIEWS` ("anterior", "left", "superior", ...).
        """
        if name not in CAMERA_VIEWS:
            raise ValueError(f"unknown view {name!r}; one of {list(CAMERA_VIEWS)}")
        direction, up = CAMERA_VIEWS[name]
        camera = self.renderer.GetActiveCamera()
        centre = self.centre_mm()
        camera.SetFocalPoint(*centre)
        camera.SetPosition(
            *(c + 500.0 * d for c, d in zip(centre, direction, strict=True))
        )
        camera.SetViewUp(*up)
        camera.OrthogonalizeViewUp()
        self.renderer.ResetCamera()
        self.renderer.ResetCameraClippingRange()

    def centre_mm(self) -> tuple[float, float, float]:
        """Return the centre of the volume's bounds (LPS, mm), or the origin."""
        if self._volume_actor is None:
            return (0.0, 0.0, 0.0)
        b = self._volume_actor.GetBounds()
        return ((b[0] + b[1]) / 2.0, (b[2] + b[3]) / 2.0, (b[4] + b[5]) / 2.0)

    def bounds_mm(self) -> tuple[float, ...]:
        """Return (xmin, xmax, ymin, ymax, zmin, zmax) of the volume (LPS, mm)."""
        if self._volume_actor is None:
            return (0.0,) * 6
        return tuple(float(v) for v in self._volume_actor.GetBounds())

    def render(self) -> None:
        """Draw a frame."""
        self.render_window.Render()

    def _follow_camera(self, _caller: Any = None, _event: str = "") -> None:
        # The marker turns with the scene but keeps its own distance and size.
        main = self.renderer.GetActiveCamera()
        marker = self.marker_renderer.GetActiveCamera()
        direction = np.asarray(main.GetPosition()) - np.asarray(main.GetFocalPoint())
        length = float(np.linalg.norm(direction)) or 1.0
        marker.SetFocalPoint(0.0, 0.0, 0.0)
        marker.SetPosition(*(direction / length * 5.0))
        marker.SetViewUp(*main.GetViewUp())
        self.marker_renderer.ResetCamera()


def _orientation_cube() -> Any:
    """Return a cube labelled with patient directions on its faces (LPS axes)."""
    cube = vtkAnnotatedCubeActor()
    cube.SetXPlusFaceText("L")
    cube.SetXMinusFaceText("R")
    cube.SetYPlusFaceText("P")
    cube.SetYMinusFaceText("A")
    cube.SetZPlusFaceText("H")
    cube.SetZMinusFaceText("F")
    cube.SetFaceTextScale(0.6)
    cube.GetCubeProperty().SetColor(0.35, 0.4, 0.5)
    cube.GetTextEdgesProperty().SetColor(0.9, 0.9, 0.9)
    for face in ("XPlus", "XMinus", "YPlus", "YMinus", "ZPlus", "ZMinus"):
        getattr(cube, f"Get{face}FaceProperty")().SetColor(1.0, 1.0, 1.0)
    # The text faces sit on the cube; draw them clearly outside its surface.
    cube.GetTextEdgesProperty().SetLineWidth(1.0)
    return cube


def _rgb(colour: str) -> tuple[int, int, int]:
    """Turn "#rrggbb" into three 0..255 integers (grey when malformed)."""
    text = colour.lstrip("#")
    if len(text) != 6:
        return (200, 200, 200)
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        return (200, 200, 200)


class VolumeView(QWidget):
    """A VTK 3D view of a series inside Qt.

    Keys: A anterior, P posterior, L left, R right, S superior (head),
    I inferior (feet) reset the camera to that side; the mouse turns (left),
    pans (middle) and zooms (right, wheel).
    """

    preset_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        max_in_plane: int | None = DEFAULT_MAX_IN_PLANE,
    ) -> None:
        super().__init__(parent)
        # Imported here, after PySide6, so that VTK picks PySide6 as its Qt.
        from vtkmodules.qt.QVTKRenderWindowInteractor import (
            QVTKRenderWindowInteractor,
        )

        # VTK's Qt widget ships no annotations: treat it as Any.
        widget_class: Any = QVTKRenderWindowInteractor
        self._vtk_widget: Any = widget_class(self)
        self._vtk_widget.installEventFilter(self)
        self.scene = VolumeScene(self._vtk_widget.GetRenderWindow(), max_in_plane)
        interactor = self._vtk_widget.GetRenderWindow().GetInteractor()
        interactor.SetInteractorStyle(vtkInteractorStyleTrackballCamera())
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self._vtk_widget)
        self.setToolTip(
            _tr("3D: A/P/L/R/S/I view from that side; drag turns, wheel zooms")
        )
        self._vtk_widget.Initialize()

    def vtk_widget(self) -> QWidget:
        """Return the QVTKRenderWindowInteractor (for focus and screenshots)."""
        widget: QWidget = self._vtk_widget
        return widget

    def set_volume(self, volume: Volume) -> None:
        """Show a volume (bone preset for CT) seen from the front."""
        self.scene.set_volume(volume)
        self.preset_changed.emit(self.scene.preset_name)
        self._vtk_widget.update()

    def set_preset(self, name: str) -> None:
        """Apply a transfer function by name."""
        self.scene.set_preset(name)
        self.preset_changed.emit(name)
        self._render()

    def set_rois(self, shapes: Sequence[RoiShape], colours: Mapping[str, str]) -> None:
        """Draw ROIs as outlines at their patient positions."""
        self.scene.set_rois(shapes, colours)
        self._render()

    def view_from(self, name: str) -> None:
        """Reset the camera to one side of the patient (see CAMERA_VIEWS)."""
        self.scene.view_from(name)
        self._render()

    def close_view(self) -> None:
        """Release the render window before the widget goes away."""
        self._vtk_widget.Finalize()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        """Take the view keys from the VTK widget and keep VTK's own keys away."""
        # VTK's own keys (e exits, w wireframe, ...) must not reach it, and the
        # view keys must win over the window's shortcuts with the same letter.
        if watched is self._vtk_widget and isinstance(event, QKeyEvent):
            name = _VIEW_KEYS.get(Qt.Key(event.key()))
            plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
            if event.type() == QEvent.Type.ShortcutOverride and name and plain:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                if name and plain:
                    self.view_from(name)
                    return True
                return event.text().isalnum()
            if event.type() == QEvent.Type.KeyRelease:
                return event.text().isalnum()
        return super().eventFilter(watched, event)

    def _render(self) -> None:
        if self.isVisible():
            self._vtk_widget.GetRenderWindow().Render()
