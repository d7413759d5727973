"""Edit a label set (names, colours, keys 1-9, descriptions) and save a new version."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.errors import HaiopsError
from storage.labels import Label, LabelSet, load_label_set_json, save_label_set

logger = logging.getLogger(__name__)

KEYS = ("", "1", "2", "3", "4", "5", "6", "7", "8", "9")
_NAME, _COLOUR, _KEY, _DESCRIPTION = range(4)
DescribeError = Callable[[BaseException], tuple[str, str]]


class LabelSetDialog(QDialog):
    """A table of labels that saves a new version of the label set of a scope.

    Parameters
    ----------
    records
        The project's record store.
    label_set
        The current label set of the scope (its labels fill the table).
    describe_error
        Turns an error into its translated ``(what, hint)``.
    parent
        Owner window.
    """

    def __init__(
        self,
        records: Any,
        label_set: LabelSet,
        describe_error: DescribeError,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._records = records
        self._describe_error = describe_error
        self.scope = label_set.scope
        self.saved: LabelSet | None = None
        self.setWindowTitle(
            self.tr("Label set: {scope} (version {version})")
            .replace("{scope}", self._scope_name(label_set.scope))
            .replace("{version}", str(label_set.version))
        )
        self.resize(640, 420)

        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Colour"), self.tr("Key"), self.tr("Description")]
        )
        self.table.horizontalHeader().setSectionResizeMode(
            _DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)

        add = QPushButton(self.tr("Add label"), self)
        add.clicked.connect(lambda: self.add_label(Label("", "#808080", "", "")))
        remove = QPushButton(self.tr("Remove"), self)
        remove.clicked.connect(self._remove_selected)
        import_button = QPushButton(self.tr("Import from JSON…"), self)
        import_button.setToolTip(
            self.tr("Replace the table with the labels of a JSON file")
        )
        import_button.clicked.connect(self._choose_json)
        row = QHBoxLayout()
        for button in (add, remove, import_button):
            row.addWidget(button)
        row.addStretch(1)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.set_labels(label_set.labels)

    def _scope_name(self, scope: str) -> str:
        names = {"image": self.tr("images"), "document": self.tr("documents")}
        return names.get(scope, scope)

    def set_labels(self, labels: Sequence[Label]) -> None:
        """Replace the table's rows with ``labels``.

        Parameters
        ----------
        labels
            Labels in their order.
        """
        self.table.setRowCount(0)
        for label in labels:
            self.add_label(label)

    def add_label(self, label: Label) -> None:
        """Append a row for ``label``.

        Parameters
        ----------
        label
            The label to show.
        """
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, _NAME, QTableWidgetItem(label.name))
        self.table.setCellWidget(row, _COLOUR, self._colour_button(label.colour))
        keys = QComboBox(self.table)
        keys.addItems([key or "-" for key in KEYS])
        keys.setCurrentIndex(KEYS.index(label.key) if label.key in KEYS else 0)
        self.table.setCellWidget(row, _KEY, keys)
        self.table.setItem(row, _DESCRIPTION, QTableWidgetItem(label.description))

    def _colour_button(self, colour: str) -> QPushButton:
        button = QPushButton(colour, self.table)
        button.setToolTip(self.tr("Choose the label's colour"))
        self._paint_swatch(button, colour)
        button.clicked.connect(lambda: self._choose_colour(button))
        return button

    def _paint_swatch(self, button: QPushButton, colour: str) -> None:
        # The swatch is the user's colour, so it is drawn as an icon, not styled.
        from PySide6.QtGui import QIcon, QPixmap

        pixmap = QPixmap(14, 14)
        pixmap.fill(QColor(colour))
        button.setIcon(QIcon(pixmap))
        button.setText(colour)

    def _choose_colour(self, button: QPushButton) -> None:
        colour = QColorDialog.getColor(QColor(button.text()), self, self.tr("Colour"))
        if colour.isValid():
            self._paint_swatch(button, colour.name())

    def _remove_selected(self) -> None:
        rows = sorted(
            {index.row() for index in self.table.selectedIndexes()}, reverse=True
        )
        for row in rows:
            self.table.removeRow(row)

    def _choose_json(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import label set"), "", self.tr("Label sets (*.json)")
        )
        if path:
            self.import_json(Path(path))

    def import_json(self, path: Path) -> bool:
        """Fill the table with the labels of the JSON file at ``path``.

        Parameters
        ----------
        path
            A label-set JSON file.

        Returns
        -------
        bool
            Whether the file was read (otherwise the error is shown).
        """
        try:
            labels = load_label_set_json(path)
        except HaiopsError as error:
            self._show_error(error)
            return False
        self.set_labels(labels)
        self.message.setVisible(False)
        return True

    def labels(self) -> list[Label]:
        """Return the labels as the table shows them now.

        Returns
        -------
        list of Label
            One per row, top to bottom.
        """
        labels = []
        for row in range(self.table.rowCount()):
            name_item = self.table.item(row, _NAME)
            description_item = self.table.item(row, _DESCRIPTION)
            colour = self.table.cellWidget(row, _COLOUR)
            keys = self.table.cellWidget(row, _KEY)
            assert isinstance(colour, QPushButton)
            assert isinstance(keys, QComboBox)
            labels.append(
                Label(
                    name=name_item.text().strip() if name_item else "",
                    colour=colour.text(),
                    key=KEYS[keys.currentIndex()],
                    description=description_item.text().strip()
                    if description_item
                    else "",
                )
            )
        return labels

    def problems(self) -> list[str]:
        """Return what stops the table from being saved (translated), if anything.

        Returns
        -------
        list of str
            Empty when the labels can be saved.
        """
        labels = self.labels()
        problems = []
        if not labels:
            problems.append(self.tr("Add at least one label."))
        names = [label.name for label in labels]
        if any(not name for name in names):
            problems.append(self.tr("Every label needs a name."))
        if len({name.casefold() for name in names}) != len(names):
            problems.append(self.tr("Two labels have the same name."))
        keys = [label.key for label in labels if label.key]
        if len(set(keys)) != len(keys):
            problems.append(self.tr("Two labels have the same key."))
        return problems

    def save(self) -> None:
        """Save the table as a new version of the label set and close the dialog."""
        problems = self.problems()
        if problems:
            self.message.setText("\n".join(problems))
            self.message.setVisible(True)
            self.adjustSize()
            return

        try:
            self.saved = save_label_set(
                self._records, self.scope, self.labels(), reason="label set edited"
            )
        except HaiopsError as error:
            self._show_error(error)
            return
        logger.info(
            "label set %s saved as version %d with %d labels",
            self.scope,
            self.saved.version,
            len(self.saved.labels),
        )
        self.accept()

    def _show_error(self, error: HaiopsError) -> None:
        what, hint = self._describe_error(error)
        self.message.setText(f"{what}\n{hint}")
        self.message.setVisible(True)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
