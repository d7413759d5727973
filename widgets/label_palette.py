"""The label palette: the project's labels with their colours and keys 1-9."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from storage.labels import Label, LabelSet

logger = logging.getLogger(__name__)

_SWATCH_PX = 14


def _tr(text: str) -> str:
    return QCoreApplication.translate("LabelPalette", text)


def swatch(colour: str, size: int = _SWATCH_PX) -> QIcon:
    """Return a square icon filled with ``colour`` ("#rrggbb")."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class LabelPalette(QWidget):
    """Lists the labels of one label set; one is active for new annotations.

    Clicking a label or pressing its key (1-9) makes it active. The key
    actions from :meth:`key_actions` can be added to the viewer so the keys
    work while it has focus.

    Parameters
    ----------
    parent
        The owning widget.
    """

    label_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label_set = LabelSet("image", 0, ())
        self._active: str | None = None
        self._tree = QTreeWidget(self)
        self._tree.setColumnCount(2)
        self._tree.setHeaderLabels([_tr("Label"), _tr("Key")])
        self._tree.setRootIsDecorated(False)
        self._tree.setUniformRowHeights(True)
        self._tree.itemClicked.connect(self._on_clicked)
        self._empty = QLabel(
            _tr("No labels defined yet. A site lead sets the project's labels."), self
        )
        self._empty.setWordWrap(True)
        self._empty.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tree)
        layout.addWidget(self._empty)
        self._key_actions: list[QAction] = []
        for key in "123456789":
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, k=key: self.choose_key(k))
            self.addAction(action)
            self._key_actions.append(action)
        self.set_label_set(self._label_set)

    def label_set(self) -> LabelSet:
        """Return the label set shown."""
        return self._label_set

    def set_label_set(self, label_set: LabelSet) -> None:
        """Show ``label_set``; the first label becomes active if none is."""
        self._label_set = label_set
        self._tree.clear()
        for label in label_set.labels:
            item = QTreeWidgetItem([label.name, label.key])
            item.setIcon(0, swatch(label.colour))
            item.setData(0, Qt.ItemDataRole.UserRole, label.name)
            tip = label.description or label.name
            if label.key:
                tip = _tr("{text} (key {key})").format(text=tip, key=label.key)
            item.setToolTip(0, tip)
            item.setToolTip(1, tip)
            self._tree.addTopLevelItem(item)
        self._tree.resizeColumnToContents(0)
        self._name_key_actions()
        self._tree.setVisible(bool(label_set.labels))
        self._empty.setVisible(not label_set.labels)
        if label_set.by_name(self._active or "") is None:
            first = label_set.labels[0].name if label_set.labels else None
            self._active = None
            if first is not None:
                self.set_active_label(first)
        else:
            self._mark_active()

    def active_label(self) -> Label | None:
        """Return the active label, if the set has any."""
        return self._label_set.by_name(self._active or "")

    def set_active_label(self, name: str) -> None:
        """Make the label ``name`` active; ValueError if the set has no such label."""
        if self._label_set.by_name(name) is None:
            raise ValueError(
                f"label {name!r} is not in version {self._label_set.version}"
            )
        changed = name != self._active
        self._active = name
        self._mark_active()
        if changed:
            self.label_chosen.emit(name)

    def choose_key(self, key: str) -> bool:
        """Make the label with ``key`` ("1".."9") active; False if none has it."""
        for label in self._label_set.labels:
            if label.key == key:
                self.set_active_label(label.name)
                return True
        return False

    def _name_key_actions(self) -> None:
        # The shortcuts dialog lists actions by their text: name each key's label.
        for key, action in zip("123456789", self._key_actions, strict=True):
            label = next((x for x in self._label_set.labels if x.key == key), None)
            if label is not None:
                action.setText(label.name)
            else:
                action.setText(
                    QCoreApplication.translate(
                        "LabelPalette", "Label key {key} (no label)"
                    ).replace("{key}", key)
                )

    def key_actions(self) -> list[QAction]:
        """Return the actions of the keys 1-9 (to add to the viewer as well)."""
        return list(self._key_actions)

    def colours(self) -> dict[str, str]:
        """Return each label's colour ("#rrggbb") by name."""
        return {label.name: label.colour for label in self._label_set.labels}

    def _mark_active(self) -> None:
        for item in tree_items(self._tree):
            is_active = item.data(0, Qt.ItemDataRole.UserRole) == self._active
            font = item.font(0)
            font.setBold(is_active)
            item.setFont(0, font)
            item.setSelected(is_active)

    def _on_clicked(self, item: QTreeWidgetItem, column: int) -> None:
        self.set_active_label(str(item.data(0, Qt.ItemDataRole.UserRole)))


def tree_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """Return the top-level items of ``tree``."""
    root = tree.invisibleRootItem()
    return [item for i in range(root.childCount()) if (item := root.child(i))]
