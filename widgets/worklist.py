"""The worklist: the project's items with kind, status, assignee and due date."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from storage.errors import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from storage.records import Revision


STATUS_NAMES = {
    "not_started": QT_TRANSLATE_NOOP("Worklist", "Not started"),
    "in_progress": QT_TRANSLATE_NOOP("Worklist", "In progress"),
    "submitted": QT_TRANSLATE_NOOP("Worklist", "Submitted"),
    "reviewed": QT_TRANSLATE_NOOP("Worklist", "Reviewed"),
    "approved": QT_TRANSLATE_NOOP("Worklist", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("Worklist", "Rejected"),
    "locked": QT_TRANSLATE_NOOP("Worklist", "Locked"),
}
KIND_NAMES = {
    "series": QT_TRANSLATE_NOOP("Worklist", "Series"),
    "document": QT_TRANSLATE_NOOP("Worklist", "Document"),
    "pair": QT_TRANSLATE_NOOP("Worklist", "Pair"),
}
COLUMNS = (
    QT_TRANSLATE_NOOP("Worklist", "Kind"),
    QT_TRANSLATE_NOOP("Worklist", "Title"),
    QT_TRANSLATE_NOOP("Worklist", "Status"),
    QT_TRANSLATE_NOOP("Worklist", "Assignee"),
    QT_TRANSLATE_NOOP("Worklist", "Due"),
)
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
_TITLE_COLUMN = 1


def _tr(text: str) -> str:
    return QCoreApplication.translate("Worklist", text)


def status_name(status: str) -> str:
    """Return the translated name of an item status.

    Parameters
    ----------
    status
        A status key such as ``"in_progress"``.

    Returns
    -------
    str
        The name in the current language (the key itself when unknown).
    """
    return _tr(STATUS_NAMES[status]) if status in STATUS_NAMES else status


class _WorklistFilter(QSortFilterProxyModel):
    """Keeps rows whose status matches and whose text contains the filter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = ""
        self.text = ""

    def set_filter(self, text: str, status: str) -> None:
        self.beginFilterChange()
        self.text = text.casefold()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        first = model.index(source_row, 0, source_parent)
        if self.status and model.data(first, STATUS_ROLE) != self.status:
            return False
        if not self.text:
            return True
        cells = (
            str(model.data(model.index(source_row, column, source_parent)) or "")
            for column in range(model.columnCount(source_parent))
        )
        return any(self.text in cell.casefold() for cell in cells)


class _WorklistTree(QTreeView):
    """A tree view whose Enter key opens the current item."""

    enterPressed = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enterPressed.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class WorklistPanel(QWidget):
    """The list of worklist items, with a filter box and a status filter.

    Double-click or Enter on a row emits :attr:`itemOpened` with the item ID.

    Parameters
    ----------
    parent
        Owner widget.
    """

    itemOpened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox(self)
        self.status_combo.addItem("", "")
        for key in STATUS_NAMES:
            self.status_combo.addItem("", key)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.proxy = _WorklistFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = _WorklistTree(self)
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.header()
        header.setStretchLastSection(False)
        for column in range(len(COLUMNS)):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == _TITLE_COLUMN
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.view.doubleClicked.connect(self._open_index)
        self.view.enterPressed.connect(self._open_index)

        row = QHBoxLayout()
        row.addWidget(self.filter_edit, 1)
        row.addWidget(self.status_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(row)
        layout.addWidget(self.view)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the panel's own texts in the current language.

        The rows keep their texts until :meth:`set_items` is called again.
        """
        self.filter_edit.setPlaceholderText(self.tr("Filter items"))
        self.filter_edit.setToolTip(self.tr("Show only items whose text contains this"))
        self.status_combo.setItemText(0, self.tr("All statuses"))
        for index, key in enumerate(STATUS_NAMES, start=1):
            self.status_combo.setItemText(index, status_name(key))
        self.status_combo.setToolTip(self.tr("Show only items with this status"))
        self.model.setHorizontalHeaderLabels([_tr(c) for c in COLUMNS])

    def sizeHint(self) -> QSize:
        """Prefer a width that shows every column of a typical item."""
        return QSize(500, 600)

    def set_items(self, items: Iterable[Revision]) -> None:
        """Show ``items`` (item revisions), keeping the current one selected.

        Parameters
        ----------
        items
            Heads of the records of type ``"item"``.
        """
        current = self.current_item_id()
        self.model.removeRows(0, self.model.rowCount())
        for item in items:
            self.model.appendRow(self._row(item))
        if current:
            self.select_item(current)

    def _row(self, item: Revision) -> list[QStandardItem]:
        body = item.body
        kind = str(body.get("kind", ""))
        status = str(body.get("status", ""))
        texts = (
            _tr(KIND_NAMES[kind]) if kind in KIND_NAMES else kind,
            str(body.get("title", "")),
            status_name(status),
            str(body.get("assignee") or ""),
            str(body.get("due") or ""),
        )
        cells = [QStandardItem(text) for text in texts]
        cells[0].setData(item.record_id, ITEM_ID_ROLE)
        cells[0].setData(status, STATUS_ROLE)
        cells[_TITLE_COLUMN].setToolTip(texts[_TITLE_COLUMN])
        return cells

    def visible_items(self) -> list[tuple[str, ...]]:
        """Return the rows shown after filtering, as their cell texts.

        Returns
        -------
        list of tuple of str
            (kind, title, status, assignee, due) per visible row, top to bottom.
        """
        rows = []
        for row in range(self.proxy.rowCount()):
            rows.append(
                tuple(
                    str(self.proxy.index(row, column).data() or "")
                    for column in range(len(COLUMNS))
                )
            )
        return rows

    def set_status_filter(self, status: str) -> None:
        """Show only items of ``status`` (``""`` for every status).

        Parameters
        ----------
        status
            A status key or ``""``.
        """
        index = self.status_combo.findData(status)
        if index < 0:
            raise ValueError(f"unknown item status {status!r}")
        self.status_combo.setCurrentIndex(index)

    def current_item_id(self) -> str | None:
        """Return the item ID of the selected row, if any.

        Returns
        -------
        str or None
            The item ID.
        """
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        value = self.proxy.index(index.row(), 0).data(ITEM_ID_ROLE)
        return str(value) if value else None

    def select_item(self, item_id: str) -> bool:
        """Select the row of ``item_id`` when it is visible.

        Parameters
        ----------
        item_id
            The item's record ID.

        Returns
        -------
        bool
            Whether the row was found.
        """
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ITEM_ID_ROLE) == item_id:
                self.view.setCurrentIndex(index)
                return True
        return False

    def move_selection(self, step: int) -> str | None:
        """Select the next (``step=1``) or previous (``-1``) visible item.

        Parameters
        ----------
        step
            Rows to move.

        Returns
        -------
        str or None
            The newly selected item ID, or None when there is no row there.
        """
        count = self.proxy.rowCount()
        if count == 0:
            return None
        current = self.view.currentIndex()
        row = (
            current.row() + step
            if current.isValid()
            else (0 if step > 0 else count - 1)
        )
        if not 0 <= row < count:
            return None
        self.view.setCurrentIndex(self.proxy.index(row, 0))
        return self.current_item_id()

    def _apply_filter(self) -> None:
        self.proxy.set_filter(
            self.filter_edit.text(), str(self.status_combo.currentData() or "")
        )

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        value = self.proxy.index(index.row(), 0).data(ITEM_ID_ROLE)
        if value:
            self.itemOpened.emit(str(value))
