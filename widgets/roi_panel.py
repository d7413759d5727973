"""The ROI panel: the ROIs of a series with label, slice, kind and measurements."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from storage.errors import QT_TRANSLATE_NOOP
from widgets.label_palette import swatch, tree_items

logger = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RoiPanel", text)


@dataclass(frozen=True)
class RoiRow:
    """One line of the panel.

    Parameters
    ----------
    key
        The ROI's record ID.
    label, colour
        The label's name and colour ("#rrggbb").
    slice_index
        0-based slice; the panel shows it 1-based as the overlay does.
    kind
        The ROI kind ("rectangle", "ruler", ...).
    measurements
        Text of the statistics or length, already formatted with units.
    """

    key: str
    label: str
    colour: str
    slice_index: int
    kind: str
    measurements: str


_KIND_NAMES = {
    "point": QT_TRANSLATE_NOOP("RoiPanel", "Point"),
    "rectangle": QT_TRANSLATE_NOOP("RoiPanel", "Rectangle"),
    "ellipse": QT_TRANSLATE_NOOP("RoiPanel", "Ellipse"),
    "polygon": QT_TRANSLATE_NOOP("RoiPanel", "Polygon"),
    "freehand": QT_TRANSLATE_NOOP("RoiPanel", "Freehand"),
    "ruler": QT_TRANSLATE_NOOP("RoiPanel", "Ruler"),
}


class RoiPanel(QWidget):
    """Lists the ROIs of one series; choosing one asks the view to show it.

    Parameters
    ----------
    parent
        The owning widget.
    """

    roi_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tree = QTreeWidget(self)
        self._tree.setColumnCount(4)
        self._tree.setHeaderLabels(
            [_tr("Label"), _tr("Slice"), _tr("Kind"), _tr("Measurements")]
        )
        self._tree.setRootIsDecorated(False)
        # Statistics go one per line in the measurements column, so rows grow
        # rather than truncating "713.2 mm², mean ..." at the default width.
        self._tree.setUniformRowHeights(False)
        self._tree.setWordWrap(True)
        self._tree.setSortingEnabled(False)
        self._tree.itemSelectionChanged.connect(self._on_selection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tree)
        self._is_updating = False

    def set_rows(self, rows: Sequence[RoiRow]) -> None:
        """Show ``rows`` (ordered by slice, then as given)."""
        selected = self.selected_key()
        self._is_updating = True
        try:
            self._tree.clear()
            for row in sorted(rows, key=lambda r: r.slice_index):
                kind = QCoreApplication.translate(
                    "RoiPanel", _KIND_NAMES.get(row.kind, row.kind)
                )
                lines = "\n".join(row.measurements.split(", "))
                item = QTreeWidgetItem(
                    [row.label, str(row.slice_index + 1), kind, lines]
                )
                item.setIcon(0, swatch(row.colour))
                item.setData(0, Qt.ItemDataRole.UserRole, row.key)
                item.setToolTip(3, row.measurements)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
                self._tree.addTopLevelItem(item)
            for column in range(3):
                self._tree.resizeColumnToContents(column)
            if selected is not None:
                self._select(selected)
        finally:
            self._is_updating = False

    def rows_text(self) -> list[list[str]]:
        """Return the text of every line, column by column (for checks and tests)."""
        return [[item.text(c) for c in range(4)] for item in tree_items(self._tree)]

    def selected_key(self) -> str | None:
        """Return the record ID of the selected line."""
        items = self._tree.selectedItems()
        return str(items[0].data(0, Qt.ItemDataRole.UserRole)) if items else None

    def select(self, key: str | None) -> None:
        """Select the line of ``key`` without announcing it."""
        self._is_updating = True
        try:
            self._select(key)
        finally:
            self._is_updating = False

    def _select(self, key: str | None) -> None:
        self._tree.clearSelection()
        for item in tree_items(self._tree):
            if key is not None and item.data(0, Qt.ItemDataRole.UserRole) == key:
                item.setSelected(True)
                self._tree.scrollToItem(item)

    def _on_selection(self) -> None:
        if self._is_updating:
            return
        key = self.selected_key()
        if key is not None:
            self.roi_activated.emit(key)
