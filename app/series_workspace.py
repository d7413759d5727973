"""The series workspace: worklist items of DICOM series, their loading and ROIs."""

from __future__ import annotations

import hashlib
import logging
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QKeySequence,
    QPalette,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.errors_ui import show_error
from app.item_views import ItemContext, ItemView, register_item_view
from app.logs import short_hash
from app.workflow import ShownRecords, shown_records
from storage.errors import QT_TRANSLATE_NOOP, HaiopsError, ImagingError
from storage.items import add_item, list_items, set_item_status
from storage.labels import current_label_set
from storage.progress import CancelledError, Progress
from storage.project import Project
from storage.records import RecordStore, Revision
from viewers.imaging.roi import roi_statistics, ruler_length_mm
from viewers.imaging.series import LeftOut, ScanResult, SeriesInfo, scan
from viewers.imaging.volume import Volume, load_volume
from viewers.mpr_view import MprView
from viewers.roi_items import AREA_KINDS, RoiShape, tool_icon
from viewers.slice_view import TOOLS, SliceView, preset_label
from widgets.label_palette import LabelPalette
from widgets.roi_panel import RoiPanel, RoiRow

logger = logging.getLogger(__name__)

_HASH_CHUNK = 1 << 20
#: Statuses after which deleting an ROI needs a reason (21 CFR 11.10(e)).
_REASON_STATUSES = frozenset(
    {"submitted", "reviewed", "approved", "rejected", "locked"}
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("SeriesWorkspace", text)


# -- errors -----------------------------------------------------------------


class SeriesFileMissingError(ImagingError):
    """A file of a series item is no longer where it was added from."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The file {path} of this series is missing (moved or deleted)."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Put the file back where it was, or add the series again."
    )


class SeriesFileChangedError(ImagingError):
    """A file of a series item has other content than when it was added."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The file {path} of this series has changed since it was added."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "ROIs may no longer match the pixels. Restore the original file or add "
        "the series again.",
    )


class SeriesNotFoundError(ImagingError):
    """A series item's files no longer hold its series."""

    what = QT_TRANSLATE_NOOP("errors", "The files of series {uid} were not found.")
    hint = QT_TRANSLATE_NOOP("errors", "Check the folder the series was added from.")


class FilesLeftOutError(ImagingError):
    """Some files of an imported folder are not part of any series."""

    what = QT_TRANSLATE_NOOP(
        "errors", "{count} files in {path} were not added: {first}: {reason}"
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "The other series were added. The reason for each file is in the log."
    )


# -- items of kind "series" ----------------------------------------------------


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's content as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def series_title(series: SeriesInfo) -> str:
    """Return a worklist title from the series header (no patient data).

    Parameters
    ----------
    series
        The scanned series.

    Returns
    -------
    str
        Modality, SeriesNumber, SeriesDescription and slice count.
    """
    parts = [series.modality]
    if series.series_number is not None:
        parts.append(f"#{series.series_number}")
    if series.description:
        parts.append(series.description)
    if series.part:
        parts.append(f"({_tr('part')} {series.part})")
    count = _tr("{count} slices").format(count=series.slice_count)
    return f"{' '.join(parts)} - {count}"


def series_source(
    series: SeriesInfo, progress: Progress | None = None
) -> dict[str, Any]:
    """Return the item source that references a series' files, hashed.

    The source names each slice's file, SOPInstanceUID and frame with the
    SHA-256 of the file; pixels are never copied into the project.

    Parameters
    ----------
    series
        The scanned series.
    progress
        Reports one step per file; cancel stops with CancelledError.

    Returns
    -------
    dict
        JSON-ready source for :func:`storage.items.add_item`.
    """
    hashes: dict[Path, str] = {}
    paths = list(dict.fromkeys(slice_file.path for slice_file in series.slices))
    for done, path in enumerate(paths):
        if progress is not None:
            progress.report(done, len(paths), path.name)
        hashes[path] = file_sha256(path)
    files = [
        {
            "path": str(Path(s.path).resolve()),
            "sop_instance_uid": s.sop_instance_uid,
            "frame": s.frame,
            "sha256": hashes[s.path],
        }
        for s in series.slices
    ]
    return {
        "series_instance_uid": series.series_instance_uid,
        "study_instance_uid": series.study_instance_uid,
        "part": series.part,
        "modality": series.modality,
        "description": series.description,
        "rows": series.rows,
        "columns": series.columns,
        "slice_count": series.slice_count,
        # null when the files give no PixelSpacing: the stand-in 1 is not mm.
        "pixel_spacing_mm": (
            list(series.pixel_spacing_mm) if series.has_pixel_spacing else None
        ),
        "files": files,
    }


def _store_series_item(
    project: Project, series: SeriesInfo, source: Mapping[str, Any]
) -> Revision:
    from app.sync_ui import remember_series_patient_strings

    # Both add_series_item and the folder import come here; the bundle gate
    # refuses these strings later (never logged).
    title = series_title(series)
    remember_series_patient_strings(project, series, [title, series.description])
    item = add_item(project.records, "series", title, source)
    logger.info(
        "series item %s added: series %s, %d slices",
        short_hash(item.record_id),
        short_hash(series.series_instance_uid),
        series.slice_count,
    )
    return item


def add_series_item(project: Project, series: SeriesInfo) -> Revision:
    """Add a worklist item of kind "series" that references the series' files.

    Parameters
    ----------
    project
        The signed-in project.
    series
        The scanned series.

    Returns
    -------
    Revision
        The item's first revision; its source lists paths, SOPInstanceUIDs
        and SHA-256 content hashes, never pixels.
    """
    return _store_series_item(project, series, series_source(series))


def _series_uids(records: RecordStore) -> set[tuple[str, int]]:
    found = set()
    for item in list_items(records, "series"):
        source = item.body.get("source", {})
        found.add((str(source.get("series_instance_uid")), int(source.get("part", 0))))
    return found


def import_series_folder(
    context: ItemContext,
    folder: Path,
    *,
    on_done: Callable[[list[Revision]], None] | None = None,
) -> None:
    """Scan ``folder`` in the background and add one worklist item per series.

    Series already in the project are not added twice. Files that are not
    part of any series are reported in one message naming the first file
    and its reason (all of them go to the log).

    Parameters
    ----------
    context
        Gives the project, the task runner and the parent for messages;
        its item is not used.
    folder
        A folder of DICOM files, a DICOMDIR or a single file.
    on_done
        Called on the GUI thread with the new items.
    """
    folder = Path(folder)
    project = context.project
    present = _series_uids(project.records)

    def work(progress: Progress) -> tuple[ScanResult, list[dict[str, Any]]]:
        result = scan(folder, progress)
        sources = [
            series_source(series, progress)
            for series in result.series
            if (series.series_instance_uid, series.part) not in present
        ]
        return result, sources

    def done(found: tuple[ScanResult, list[dict[str, Any]]]) -> None:
        result, sources = found
        by_uid = {(s.series_instance_uid, s.part): s for s in result.series}
        items = [
            _store_series_item(
                project, by_uid[(src["series_instance_uid"], src["part"])], src
            )
            for src in sources
        ]
        logger.info(
            "imported %d series (%d already present), %d files left out",
            len(items),
            len(result.series) - len(items),
            len(result.left_out),
        )
        if result.left_out:
            _report_left_out(context.parent, folder, result.left_out)
        refresh = getattr(context.parent, "refresh_worklist", None)
        if callable(refresh):
            refresh()
        if on_done is not None:
            on_done(items)

    context.tasks.run(_tr("Reading DICOM folder"), work, done)


def _report_left_out(
    parent: QWidget | None, folder: Path, left_out: Sequence[LeftOut]
) -> None:
    # File names only: a folder may be named after the patient.
    for note in left_out:
        logger.warning("left out %s: %s", Path(note.path).name, note.reason)
    first = left_out[0]
    error = FilesLeftOutError(
        "; ".join(f"{Path(n.path).name}: {n.reason}" for n in left_out),
        count=len(left_out),
        path=folder,
        first=Path(first.path).name,
        reason=first.reason,
    )
    show_error(parent, error)


def check_series_files(
    item: Revision, progress: Progress | None = None
) -> list[ImagingError]:
    """Find files of a series item that were moved, deleted or changed.

    Parameters
    ----------
    item
        A worklist item of kind "series".
    progress
        Reports one step per file.

    Returns
    -------
    list of ImagingError
        One :class:`SeriesFileMissingError` or :class:`SeriesFileChangedError`
        per file, carrying ``path`` and ``uid`` (SOPInstanceUID); empty when
        every file is as it was added.
    """
    files = item.body.get("source", {}).get("files", [])
    by_path: dict[str, dict[str, Any]] = {}
    for entry in files:
        by_path.setdefault(str(entry["path"]), entry)

    problems: list[ImagingError] = []
    for done, (path, entry) in enumerate(by_path.items()):
        if progress is not None:
            progress.report(done, len(by_path), Path(path).name)
        uid = entry.get("sop_instance_uid", "")
        if not Path(path).is_file():
            problems.append(SeriesFileMissingError("not found", path=path, uid=uid))
        elif file_sha256(Path(path)) != entry.get("sha256"):
            problems.append(
                SeriesFileChangedError("SHA-256 differs", path=path, uid=uid)
            )
    return problems


def load_series_volume(item: Revision, progress: Progress | None = None) -> Volume:
    """Check a series item's files, scan them and load the volume.

    Raises
    ------
    SeriesFileMissingError, SeriesFileChangedError
        The first problem found (all are logged).
    SeriesNotFoundError
        When the files no longer hold the series.
    """
    problems = check_series_files(item, progress)
    for problem in problems:
        logger.warning("series file problem: %s", problem)
    if problems:
        raise problems[0]

    source = item.body.get("source", {})
    if "files" in source:
        paths = list(dict.fromkeys(Path(entry["path"]) for entry in source["files"]))
        result = scan(paths, progress)
    elif "folder" in source:
        # An item made without this module (the demo's fallback) names only
        # its folder: no hashes to check.
        paths = [Path(source["folder"])]
        result = scan(paths[0], progress)
    else:
        raise SeriesNotFoundError(
            "the item names no files", uid=source.get("series_instance_uid")
        )
    uid, part = source["series_instance_uid"], int(source.get("part", 0))
    for series in result.series:
        if series.series_instance_uid == uid and series.part == part:
            return load_volume(series, progress)
    raise SeriesNotFoundError(f"{len(paths)} files scanned", uid=uid)


# -- ROI records -----------------------------------------------------------


def _finite(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def roi_body(
    volume: Volume,
    *,
    kind: str,
    label: str,
    label_set_version: int,
    slice_index: int,
    points: Sequence[Sequence[float]],
) -> dict[str, Any]:
    """Build the body of an "roi" record from image points.

    Parameters
    ----------
    volume
        The loaded series.
    kind, label, label_set_version
        The ROI kind, the label's name and the label set version it is from.
    slice_index
        Index into ``volume.pixels``.
    points
        Image points (column, row), pixel centres at integers.

    Returns
    -------
    dict
        Image and patient points (LPS, mm), statistics in the volume's units
        (area in mm²; null for points and rulers) and the ruler's length in
        mm (null for other kinds).
    """
    image = [[float(c), float(r)] for c, r in points]
    patient = [list(volume.image_to_patient(slice_index, c, r)) for c, r in image]
    pairs = [(c, r) for c, r in image]
    statistics: dict[str, Any] | None = None
    length: float | None = None
    # Without a PixelSpacing (some radiographs say 0) there is no mm to give.
    has_spacing = volume.series.has_pixel_spacing
    if kind in AREA_KINDS:
        found = asdict(roi_statistics(volume, slice_index, kind, pairs))
        statistics = {
            k: (_finite(v) if isinstance(v, float) else v) for k, v in found.items()
        }
        if not has_spacing:
            statistics["area_mm2"] = None
    elif kind == "ruler" and has_spacing:
        length = ruler_length_mm(volume, slice_index, pairs[0], pairs[-1])
    return {
        "kind": kind,
        "label": label,
        "label_set_version": label_set_version,
        "series_instance_uid": volume.series.series_instance_uid,
        "sop_instance_uid": volume.series.slices[slice_index].sop_instance_uid,
        "slice_index": slice_index,
        "points_image": image,
        "points_patient_mm": patient,
        "statistics": statistics,
        "length_mm": length,
    }


def measurements_text(body: Mapping[str, Any]) -> str:
    """Return the ROI's measurements as the panel shows them, with units."""
    if body.get("length_mm") is not None:
        return _tr("{length} mm").format(length=f"{body['length_mm']:.2f}")
    if body.get("kind") == "ruler":
        return _tr("no mm: the files give no pixel spacing")
    stats = body.get("statistics")
    if not stats:
        x, y, z = body["points_patient_mm"][0]
        return _tr("x {x} y {y} z {z} mm").format(
            x=f"{x:.1f}", y=f"{y:.1f}", z=f"{z:.1f}"
        )
    units = stats.get("units") or ""

    def value(key: str) -> str:
        found = stats.get(key)
        return "-" if found is None else f"{found:.1f}"

    area = (
        _tr("no mm")
        if stats.get("area_mm2") is None
        else _tr("{area} mm²").format(area=value("area_mm2"))
    )
    return _tr("{area}, mean {mean}, SD {sd}, min {min}, max {max}").format(
        area=area,
        mean=f"{value('mean')} {units}".strip(),
        sd=value("sd"),
        min=value("minimum"),
        max=value("maximum"),
    )


def _shape_of(revision: Revision, author: str = "") -> RoiShape:
    body = revision.body
    caption = ""
    if body.get("length_mm") is not None:
        caption = f"{body['length_mm']:.2f} mm"
    elif body.get("kind") == "ruler":
        caption = _tr("no mm")
    caption = " · ".join(part for part in (author, caption) if part)
    return RoiShape(
        key=revision.record_id,
        kind=str(body["kind"]),
        label=str(body["label"]),
        slice_index=int(body["slice_index"]),
        points=tuple((float(c), float(r)) for c, r in body["points_image"]),
        caption=caption,
    )


def _author_of(shown: ShownRecords, record_id: str) -> str:
    """Return who made an ROI where both annotators' ROIs show, else ""."""
    author = shown.authors.get(record_id, "")
    if author and record_id in shown.adjudicated:
        return _tr("adjudicated by {author}").format(author=author)
    return author


class _RoiChange(QUndoCommand):
    """One saved ROI change; undo and redo each write a new revision.

    ``before`` and ``after`` are bodies, None meaning "not there" (deleted).
    """

    def __init__(
        self,
        workspace: SeriesItemView,
        text: str,
        record_id: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        reason: str | None = None,
    ) -> None:
        super().__init__(text)
        self._workspace = workspace
        self.record_id = record_id
        self._before = before
        self._after = after
        self._reason = reason
        self._is_first = True

    # The audit trail keeps these reasons in English, whatever the UI language.
    def redo(self) -> None:
        reason = self._reason if self._is_first else "redo"
        self._is_first = False
        if not self._apply(self._after, reason):
            self.setObsolete(True)

    def undo(self) -> None:
        self._apply(self._before, "undo")

    def _apply(self, body: dict[str, Any] | None, reason: str | None) -> bool:
        records = self._workspace.records
        try:
            if self.record_id is None:
                assert body is not None
                created = records.create(
                    "roi", body, item_id=self._workspace.item_id, reason=reason
                )
                self.record_id = created.record_id
            elif body is None:
                records.delete(self.record_id, reason=reason)
            else:
                # Revising a deleted head brings the ROI back (undo of a delete,
                # redo of a creation) as a new revision of the same record.
                records.revise(self.record_id, body, reason=reason)
        except HaiopsError as error:
            show_error(self._workspace, error)
            return False
        finally:
            self._workspace.reload_rois()
        return True


# -- the item view -------------------------------------------------------------


class _LoadRelay(QObject):
    progressed = Signal(int, int)


class SeriesItemView(ItemView):
    """The series workspace: slice view, label palette and ROI panel.

    Loads the item's volume in the background (progress and Cancel on the
    loading page and in the status bar). Every ROI change is saved at once
    as a revision of an "roi" record; undo and redo write new revisions.

    Parameters
    ----------
    context
        The project, the series item and the task runner.
    """

    def __init__(self, context: ItemContext) -> None:
        super().__init__(context.parent)
        self.context = context
        self.records = context.project.records
        self.item_id = context.item.record_id
        self.volume: Volume | None = None
        self.undo_stack = QUndoStack(self)
        self._is_closed = False
        self._load_progress: Progress | None = None

        self.slice_view = SliceView(self)
        self.label_palette = LabelPalette()
        self.roi_panel = RoiPanel()
        self._side = QSplitter(Qt.Orientation.Vertical)
        self._side.addWidget(self.label_palette)
        self._side.addWidget(self.roi_panel)
        self._side.setStretchFactor(1, 3)

        self._build_pages()
        self._actions = self._build_actions()
        self._connect()
        self.label_palette.set_label_set(current_label_set(self.records, "image"))
        self.slice_view.set_label_colours(self.label_palette.colours())
        active = self.label_palette.active_label()
        self.slice_view.set_label(active.name if active is not None else "")
        self._start_loading()

    # -- building ------------------------------------------------------------

    def _build_pages(self) -> None:
        self._loading = QWidget(self)
        self._loading_text = QLabel(_tr("Loading the series..."), self._loading)
        self._loading_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._loading_text.setWordWrap(True)
        self._loading_bar = QProgressBar(self._loading)
        self._loading_bar.setRange(0, 0)
        self._cancel = QPushButton(_tr("Cancel"), self._loading)
        self._cancel.setToolTip(_tr("Stop loading the series"))
        self._cancel.clicked.connect(self.cancel_loading)
        self._retry = QPushButton(_tr("Try again"), self._loading)
        self._retry.setToolTip(_tr("Load the series again"))
        self._retry.clicked.connect(self._start_loading)
        self._retry.hide()
        box = QVBoxLayout(self._loading)
        box.addStretch(1)
        box.addWidget(self._loading_text)
        box.addWidget(self._loading_bar)
        box.addWidget(self._cancel, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self._retry, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addStretch(1)
        self._pages = QStackedLayout(self)
        self._pages.addWidget(self._loading)
        self._pages.addWidget(self.slice_view)
        self.setFocusProxy(self.slice_view)

    def _build_actions(self) -> list[QAction]:
        actions: list[QAction] = []
        self._tool_group = QActionGroup(self)
        names = {
            "select": _tr("Select and edit"),
            "point": _tr("Point"),
            "rectangle": _tr("Rectangle"),
            "ellipse": _tr("Ellipse"),
            "polygon": _tr("Polygon (Enter or double-click closes)"),
            "freehand": _tr("Freehand"),
            "ruler": _tr("Ruler (length in mm)"),
        }
        self.tool_actions_by_name: dict[str, QAction] = {}
        icon_colour = self.palette().color(QPalette.ColorRole.ButtonText)
        for tool in TOOLS:
            key = SliceView.TOOL_KEYS[tool]
            action = QAction(names[tool].split(" (")[0], self)
            action.setIcon(tool_icon(tool, icon_colour))
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{names[tool]} ({key})")
            action.triggered.connect(
                lambda _=False, t=tool: self.slice_view.set_tool(t)
            )
            self._tool_group.addAction(action)
            self.tool_actions_by_name[tool] = action
            actions.append(action)
        self.tool_actions_by_name["select"].setChecked(True)

        self._preset_menu = QMenu(self)
        self.window_action = QAction(_tr("Window"), self)
        self.window_action.setToolTip(
            _tr("Window/level presets (Alt+1..Alt+9); right-drag sets the window")
        )
        self.window_action.setMenu(self._preset_menu)
        actions.append(self.window_action)

        self.delete_action = QAction(_tr("Delete ROI"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setToolTip(_tr("Delete the selected ROI (Del)"))
        self.delete_action.triggered.connect(self._delete_selected)
        actions.append(self.delete_action)

        fit = QAction(_tr("Fit"), self)
        fit.setShortcut(QKeySequence("0"))
        fit.setToolTip(_tr("Fit the slice to the view (0); +/- or Ctrl+wheel zoom"))
        fit.triggered.connect(self.slice_view.fit)
        actions.append(fit)

        self.mpr_view: MprView | None = None
        self.mpr_action = QAction(_tr("MPR"), self)
        self.mpr_action.setCheckable(True)
        self.mpr_action.setShortcut(QKeySequence("X"))
        self.mpr_action.setToolTip(
            _tr("Axial, coronal, sagittal and 3D, or back to the slices (X)")
        )
        self.mpr_action.toggled.connect(self.show_mpr)
        actions.append(self.mpr_action)

        self.export_seg_action = QAction(
            QCoreApplication.translate("SeriesWorkspace", "Export DICOM SEG…"), self
        )
        self.export_seg_action.setToolTip(
            QCoreApplication.translate(
                "SeriesWorkspace", "Write the area ROIs as a DICOM SEG file"
            )
        )
        self.export_seg_action.triggered.connect(lambda: self.export_dicom("seg"))
        actions.append(self.export_seg_action)
        self.export_sr_action = QAction(
            QCoreApplication.translate("SeriesWorkspace", "Export DICOM SR…"), self
        )
        self.export_sr_action.setToolTip(
            QCoreApplication.translate(
                "SeriesWorkspace", "Write the measurements as a DICOM SR file"
            )
        )
        self.export_sr_action.triggered.connect(lambda: self.export_dicom("sr"))
        actions.append(self.export_sr_action)
        return actions

    def export_dicom(self, kind: str, folder: Path | None = None) -> None:
        """Write this series' ROIs as DICOM SEG or SR in the background.

        Parameters
        ----------
        kind
            ``"seg"`` (segmentation of the area ROIs) or ``"sr"`` (TID 1500
            structured report of rulers and area ROIs).
        folder
            Where the file goes; asked for with a dialog when not given.
        """
        if kind not in ("seg", "sr"):
            raise ValueError(f"unknown DICOM export {kind!r}; expected seg or sr")
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self,
                QCoreApplication.translate("SeriesWorkspace", "Export to folder"),
            )
            if not chosen:
                return
            folder = Path(chosen)

        # Imported here: the exports pull in highdicom, only needed on export.
        if kind == "seg":
            from app.exports.dicom_seg import export_dicom_seg as export

            title = QCoreApplication.translate("SeriesWorkspace", "Writing DICOM SEG")
        else:
            from app.exports.dicom_sr import export_dicom_sr as export

            title = QCoreApplication.translate("SeriesWorkspace", "Writing DICOM SR")
        project = self.context.project
        item_id = self.item_id
        target = folder

        def work(_progress: Progress) -> Path:
            return export(project, item_id, target).path

        def done(path: Path) -> None:
            logger.info("DICOM %s written for item %s", kind, short_hash(item_id))
            QMessageBox.information(
                self.context.parent,
                title,
                QCoreApplication.translate(
                    "SeriesWorkspace", "The file was written to:\n{path}"
                ).replace("{path}", str(path)),
            )

        def failed(error: BaseException) -> None:
            show_error(self.context.parent, error)

        self.context.tasks.run(title, work, done, failed)

    def show_mpr(self, shown: bool) -> None:
        """Swap the slice view for the MPR layout (or back), linked by position.

        The layout opens at the slice view's slice centre with its window;
        going back shows the slice nearest to the MPR crosshair.
        """
        volume = self.volume
        # Reformats need real positions and more than one slice to cut across.
        if shown and (
            volume is None
            or volume.pixels.shape[0] < 2
            or not volume.series.has_geometry
        ):
            self.mpr_action.setChecked(False)
            return
        if volume is None:
            return
        view = self.slice_view
        if not shown:
            if self.mpr_view is not None:
                index = volume.patient_to_image(self.mpr_view.crosshair_mm())[0]
                view.set_slice_index(min(max(round(index), 0), view.slice_count() - 1))
            self._pages.setCurrentWidget(view)
            view.setFocus()
            return
        if self.mpr_view is None:
            self.mpr_view = MprView(self)
            self._pages.addWidget(self.mpr_view)
            view.window_changed.connect(self.mpr_view.set_window_level)
            self.mpr_view.window_changed.connect(view.set_window_level)
        _, rows, columns = volume.pixels.shape
        centre = volume.image_to_patient(
            view.slice_index(), (columns - 1) / 2.0, (rows - 1) / 2.0
        )
        self.mpr_view.set_volume(volume, view.window_level(), centre)
        self.mpr_view.set_rois(view.rois(), self.label_palette.colours())
        self._pages.setCurrentWidget(self.mpr_view)

    def _fill_presets(self) -> None:
        self._preset_menu.clear()
        for number, name in enumerate(self.slice_view.window_presets(), start=1):
            action = self._preset_menu.addAction(preset_label(name))
            if number <= 9:
                action.setShortcut(QKeySequence(f"Alt+{number}"))
            action.triggered.connect(
                lambda _=False, n=name: self.slice_view.apply_preset(n)
            )
            self.addAction(action)

    def _connect(self) -> None:
        view = self.slice_view
        view.roi_drawn.connect(self._on_drawn)
        view.roi_edited.connect(self._on_edited)
        view.roi_delete_requested.connect(self.delete_roi)
        view.roi_selected.connect(lambda key: self.roi_panel.select(key or None))
        view.label_key_pressed.connect(self.label_palette.choose_key)
        view.undo_requested.connect(self.undo_stack.undo)
        view.redo_requested.connect(self.undo_stack.redo)
        view.tool_changed.connect(
            lambda tool: self.tool_actions_by_name[tool].setChecked(True)
        )
        self.label_palette.label_chosen.connect(view.set_label)
        self.label_palette.label_chosen.connect(self._relabel_selected)
        self.roi_panel.roi_activated.connect(view.select_roi)

    # -- ItemView --------------------------------------------------------------

    def tool_actions(self) -> list[QAction]:
        """Return the tools, window presets, delete and fit actions."""
        return list(self._actions)

    def side_panel(self) -> QWidget | None:
        """Return the label palette above the ROI list."""
        return self._side

    def close_item(self) -> None:
        """Stop loading; every change is already saved."""
        self._is_closed = True
        self.cancel_loading()
        if self.mpr_view is not None:
            self.mpr_view.close_view()

    # -- loading ---------------------------------------------------------------

    def is_loaded(self) -> bool:
        """Say whether the volume is shown."""
        return self.volume is not None

    def cancel_loading(self) -> None:
        """Ask the background loading to stop."""
        if self._load_progress is not None:
            self._load_progress.cancel()

    def _start_loading(self) -> None:
        self.load_error: BaseException | None = None
        self._loading_text.setText(_tr("Loading the series..."))
        self._loading_bar.setRange(0, 0)
        self._loading_bar.show()
        self._cancel.show()
        self._retry.hide()
        relay = _LoadRelay(self)
        relay.progressed.connect(self._on_progress)
        item = self.context.item
        outer: list[Progress] = []

        # Our Cancel button cancels the inner object at once (even before the
        # worker starts); the status bar's makes the outer report raise.
        def report(done: int, total: int, message: str) -> None:
            for progress in outer:
                progress.report(done, total, message)
            relay.progressed.emit(done, total)

        inner = Progress(report)
        self._load_progress = inner

        def work(progress: Progress) -> Volume:
            outer.append(progress)
            inner.report(0, 0, "")
            return load_series_volume(item, inner)

        self.context.tasks.run(
            _tr("Loading series"), work, self._on_loaded, self._on_load_failed
        )

    def _on_progress(self, done: int, total: int) -> None:
        self._loading_bar.setRange(0, max(total, 0))
        self._loading_bar.setValue(min(done, total))

    def _on_loaded(self, volume: Volume) -> None:
        if self._is_closed:
            return
        self.volume = volume
        self.slice_view.set_volume(volume)
        self._fill_presets()
        self.reload_rois()
        self._pages.setCurrentWidget(self.slice_view)
        self.slice_view.setFocus()
        logger.info(
            "series item %s shown with %d slices",
            short_hash(self.item_id),
            volume.pixels.shape[0],
        )

    def _on_load_failed(self, error: BaseException) -> None:
        if self._is_closed:
            return
        self.load_error = error
        self._loading_bar.hide()
        self._cancel.hide()
        self._retry.show()
        if isinstance(error, CancelledError):
            self._loading_text.setText(_tr("Loading was cancelled."))
            return
        if isinstance(error, HaiopsError):
            what = QCoreApplication.translate("errors", type(error).what)
            hint = QCoreApplication.translate("errors", type(error).hint)
            fields = _Fields(error.fields)
            self._loading_text.setText(
                f"{what.format_map(fields)}\n{hint.format_map(fields)}"
            )
        else:
            self._loading_text.setText(_tr("The series could not be loaded."))
        show_error(self.context.parent, error)

    def loading_text(self) -> str:
        """Return the text of the loading page (progress or what went wrong)."""
        return self._loading_text.text()

    # -- ROIs ------------------------------------------------------------------

    def shown_rois(self) -> ShownRecords:
        """Return the ROI records the user may see, oldest first, with authors.

        Blind double annotation: an annotator sees only their own ROIs until
        every annotator has submitted; reviewers see both sides by author.
        """
        return shown_records(self.context.project, self.item_id, "roi")

    def roi_revisions(self) -> list[Revision]:
        """Return the ROI records of this item the user may see, oldest first."""
        return list(self.shown_rois().records)

    def reload_rois(self) -> None:
        """Show the saved ROIs in the view and the panel (by author, if both)."""
        shown = self.shown_rois()
        revisions = shown.records
        colours = self.label_palette.colours()
        self.slice_view.set_rois(
            [_shape_of(r, _author_of(shown, r.record_id)) for r in revisions]
        )
        self.roi_panel.set_rows(
            [
                RoiRow(
                    key=r.record_id,
                    label=" · ".join(
                        part
                        for part in (
                            str(r.body["label"]),
                            _author_of(shown, r.record_id),
                        )
                        if part
                    ),
                    colour=colours.get(str(r.body["label"]), "#c8c8c8"),
                    slice_index=int(r.body["slice_index"]),
                    kind=str(r.body["kind"]),
                    measurements=measurements_text(r.body),
                )
                for r in revisions
            ]
        )
        self.roi_panel.select(self.slice_view.selected_roi())

    def _on_drawn(self, kind: str, slice_index: int, points: list[list[float]]) -> None:
        if self.volume is None:
            return
        label_set = self.label_palette.label_set()
        active = self.label_palette.active_label()
        body = roi_body(
            self.volume,
            kind=kind,
            label=active.name if active is not None else "",
            label_set_version=label_set.version,
            slice_index=slice_index,
            points=points,
        )
        command = _RoiChange(
            self, _tr("Draw {kind}").format(kind=kind), None, None, body
        )
        self.undo_stack.push(command)
        if command.record_id is not None:
            self._mark_in_progress()
            self.slice_view.select_roi(command.record_id)

    def _on_edited(self, key: str, points: list[list[float]]) -> None:
        if self.volume is None:
            return
        before = dict(self.records.head(key).body)
        after = roi_body(
            self.volume,
            kind=before["kind"],
            label=before["label"],
            label_set_version=before["label_set_version"],
            slice_index=int(before["slice_index"]),
            points=points,
        )
        self.undo_stack.push(_RoiChange(self, _tr("Edit ROI"), key, before, after))

    def _relabel_selected(self, label: str) -> None:
        # Only with the select tool: after drawing, the new ROI is selected
        # and a key then picks the label of the next ROI instead.
        key = self.slice_view.selected_roi()
        if self.slice_view.tool() != "select" or key is None:
            return
        before = dict(self.records.head(key).body)
        if before["label"] == label:
            return
        after = {
            **before,
            "label": label,
            "label_set_version": self.label_palette.label_set().version,
        }
        self.undo_stack.push(_RoiChange(self, _tr("Change label"), key, before, after))

    def _delete_selected(self) -> None:
        key = self.slice_view.selected_roi()
        if key is not None:
            self.delete_roi(key)

    def delete_roi(self, key: str) -> None:
        """Delete the ROI ``key``, asking a reason once the item is submitted."""
        status = self.records.head(self.item_id).body.get("status")
        reason: str | None = None
        if status in _REASON_STATUSES:
            reason = self.ask_reason()
            if not reason:
                return
        before = dict(self.records.head(key).body)
        self.undo_stack.push(
            _RoiChange(self, _tr("Delete ROI"), key, before, None, reason)
        )

    def ask_reason(self) -> str | None:
        """Ask why a submitted item's ROI is deleted; None when cancelled."""
        text, is_ok = QInputDialog.getText(
            self,
            _tr("Reason for the change"),
            _tr("This item was submitted. Why is the ROI deleted?"),
        )
        return text.strip() if is_ok and text.strip() else None

    def _mark_in_progress(self) -> None:
        item = self.records.head(self.item_id)
        if item.body.get("status") == "not_started":
            try:
                set_item_status(self.records, self.item_id, "in_progress")
            except HaiopsError as error:
                show_error(self, error)
                return
            refresh = getattr(self.context.parent, "refresh_worklist", None)
            if callable(refresh):
                refresh()


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


register_item_view("series", SeriesItemView)
