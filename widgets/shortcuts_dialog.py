"""Help > Keyboard shortcuts: every action that has a key, in one table."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """Return (action text, keys) for every action with a shortcut, sorted by text.

    Parameters
    ----------
    actions
        Actions of the window and its views.

    Returns
    -------
    list of tuple of str
        Text (or tooltip) without its ``&`` mnemonic marker, and the keys as
        the platform writes them (several joined by ", ").
    """
    rows: dict[tuple[str, str], None] = {}
    for action in actions:
        keys = [
            key.toString(QKeySequence.SequenceFormat.NativeText)
            for key in action.shortcuts()
            if not key.isEmpty()
        ]
        if not keys:
            continue
        text = action.text() or action.toolTip() or action.statusTip()
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        text = text.rstrip("…").rstrip(".") or QCoreApplication.translate(
            "ShortcutsDialog", "(action without a name)"
        )
        rows[(text, ", ".join(keys))] = None
    return sorted(rows, key=lambda row: row[0].casefold())


class ShortcutsDialog(QDialog):
    """Lists every action with a keyboard shortcut.

    Parameters
    ----------
    actions
        Actions of the window and the open view.
    parent
        Owner window.
    """

    def __init__(
        self, actions: Iterable[QAction], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(480, 520)
        self.rows = shortcut_rows(actions)
        table = QTableWidget(len(self.rows), 2, self)
        table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, (text, keys) in enumerate(self.rows):
            table.setItem(row, 0, QTableWidgetItem(text))
            table.setItem(row, 1, QTableWidgetItem(keys))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
