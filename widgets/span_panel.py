"""The span panel: labels with keys 1-9, a document's spans, relations and codes."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets.code_search import top_items
from widgets.label_palette import LabelPalette, swatch, tree_items

__all__ = [
    "RELATION_TYPES",
    "SERIOUSNESS",
    "SEVERITIES",
    "RelationRow",
    "SpanPanel",
    "SpanRow",
    "empty_attributes",
]

logger = logging.getLogger(__name__)

SEVERITIES = ("mild", "moderate", "severe")
"""Severity of an adverse event as coders record it (CTCAE-like words)."""
SERIOUSNESS = (
    "death",
    "life_threatening",
    "hospitalisation",
    "disability",
    "congenital_anomaly",
    "other_medically_important",
)
"""ICH E2A seriousness criteria, in the words the exports use."""
RELATION_TYPES = ("causes", "dose_of", "indication")
"""Types of a relation between two spans (drug causes event, dose of drug, ...)."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("SpanPanel", text)


def _seriousness_names() -> dict[str, str]:
    return {
        "death": _tr("Results in death"),
        "life_threatening": _tr("Life-threatening"),
        "hospitalisation": _tr("Hospitalisation or its prolongation"),
        "disability": _tr("Disability or incapacity"),
        "congenital_anomaly": _tr("Congenital anomaly or birth defect"),
        "other_medically_important": _tr("Other medically important"),
    }


def empty_attributes() -> dict[str, Any]:
    """Return the attributes of a new span: affirmed, factual, no severity."""
    return {
        "negated": False,
        "hypothetical": False,
        "severity": None,
        "seriousness": [],
    }


@dataclass(frozen=True)
class SpanRow:
    """One span as the panel lists it.

    Attributes
    ----------
    key
        The span's record ID.
    label, colour
        Its label and the label's colour ("#rrggbb").
    text
        Its text (fragments joined by " … ").
    page
        1-based page of its first fragment.
    attributes
        ``{"negated", "hypothetical", "severity", "seriousness"}``.
    code
        A short text of its code (e.g. "PT 10016256 Fatigue"), or "".
    """

    key: str
    label: str
    colour: str
    text: str
    page: int
    attributes: Mapping[str, Any]
    code: str = ""


@dataclass(frozen=True)
class RelationRow:
    """One relation as the panel lists it.

    Attributes
    ----------
    key
        The relation's record ID.
    type
        One of :data:`RELATION_TYPES`.
    from_text, to_text
        The texts of the two spans, the relation running from the first.
    """

    key: str
    type: str
    from_text: str
    to_text: str


class SpanPanel(QWidget):
    """Lists the labels (keys 1-9), the spans and the selected span's attributes.

    Signals
    -------
    span_activated(str)
        A span was chosen in the list.
    attributes_edited(str, dict)
        The user changed the attributes of the span ``key``.
    delete_requested(str)
        The user asked to delete the span ``key``.
    code_requested(str)
        The user asked to code the span ``key``.
    relation_delete_requested(str)
        The user asked to delete the relation ``key``.
    """

    span_activated = Signal(str)
    attributes_edited = Signal(str, dict)
    delete_requested = Signal(str)
    code_requested = Signal(str)
    relation_delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.palette_widget = LabelPalette(self)
        self._rows: dict[str, SpanRow] = {}

        self.span_list = QTreeWidget(self)
        self.span_list.setColumnCount(3)
        self.span_list.setHeaderLabels([_tr("Label"), _tr("Text"), _tr("Page")])
        self.span_list.setRootIsDecorated(False)
        self.span_list.setUniformRowHeights(True)
        self.span_list.currentItemChanged.connect(self._on_current)

        self.review_label = QLabel(self)
        self.review_label.setWordWrap(True)
        self.review_label.hide()
        self._build_attributes()
        self._build_relations()
        self.delete_button = QPushButton(_tr("Delete span"), self)
        self.delete_button.setToolTip(_tr("Delete the selected span (Del)"))
        self.delete_button.clicked.connect(self._on_delete)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.palette_widget)
        splitter.addWidget(self.span_list)
        splitter.addWidget(self.relations_box)
        splitter.addWidget(self.attributes_box)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.review_label)
        layout.addWidget(splitter)
        layout.addWidget(self.delete_button)
        self._show_attributes(None)

    def _build_relations(self) -> None:
        self.relations_box = QGroupBox(_tr("Relations"), self)
        self.relation_list = QTreeWidget(self.relations_box)
        self.relation_list.setColumnCount(3)
        self.relation_list.setHeaderLabels([_tr("From"), _tr("Type"), _tr("To")])
        self.relation_list.setRootIsDecorated(False)
        self.delete_relation_button = QPushButton(
            _tr("Delete relation"), self.relations_box
        )
        self.relation_list.currentItemChanged.connect(
            lambda: self.delete_relation_button.setEnabled(
                self.selected_relation() is not None
            )
        )
        self.delete_relation_button.setToolTip(_tr("Delete the selected relation"))
        self.delete_relation_button.setEnabled(False)
        self.delete_relation_button.clicked.connect(self._on_delete_relation)
        box = QVBoxLayout(self.relations_box)
        box.addWidget(self.relation_list)
        box.addWidget(self.delete_relation_button)

    def _build_attributes(self) -> None:
        self.attributes_box = QGroupBox(_tr("Attributes"), self)
        form = QFormLayout(self.attributes_box)
        self.negated_box = QCheckBox(_tr("Negated (N)"), self.attributes_box)
        self.negated_box.setToolTip(_tr("The text says the event did not occur (N)"))
        self.hypothetical_box = QCheckBox(_tr("Hypothetical (H)"), self.attributes_box)
        self.hypothetical_box.setToolTip(
            _tr("The event is possible or conditional, not reported (H)")
        )
        self.severity_combo = QComboBox(self.attributes_box)
        self.severity_combo.addItem(_tr("Not stated"), None)
        for severity, name in zip(
            SEVERITIES, (_tr("Mild"), _tr("Moderate"), _tr("Severe")), strict=True
        ):
            self.severity_combo.addItem(name, severity)
        self.severity_combo.setToolTip(_tr("Severity as the text states it"))
        form.addRow(self.negated_box)
        form.addRow(self.hypothetical_box)
        form.addRow(_tr("Severity"), self.severity_combo)
        self.code_label = QLabel(self.attributes_box)
        self.code_label.setWordWrap(True)
        self.code_button = QPushButton(_tr("Code..."), self.attributes_box)
        self.code_button.setToolTip(_tr("Search MedDRA for the span's code (C)"))
        self.code_button.clicked.connect(self._on_code)
        form.addRow(_tr("Code"), self.code_label)
        form.addRow(self.code_button)
        self.seriousness_boxes: dict[str, QCheckBox] = {}
        for criterion, name in _seriousness_names().items():
            box = QCheckBox(name, self.attributes_box)
            box.toggled.connect(self._on_edited)
            form.addRow(box)
            self.seriousness_boxes[criterion] = box
        self.negated_box.toggled.connect(self._on_edited)
        self.hypothetical_box.toggled.connect(self._on_edited)
        self.severity_combo.currentIndexChanged.connect(self._on_edited)

    # -- rows ------------------------------------------------------------------

    def set_rows(self, rows: Sequence[SpanRow]) -> None:
        """List ``rows`` (in document order), keeping the selection if it stays."""
        selected = self.selected_key()
        self._rows = {row.key: row for row in rows}
        with QSignalBlocker(self.span_list):
            self.span_list.clear()
            for row in rows:
                text = row.text.replace("\n", " ")
                item = QTreeWidgetItem([row.label, text, str(row.page)])
                item.setIcon(0, swatch(row.colour))
                item.setData(0, Qt.ItemDataRole.UserRole, row.key)
                flags = self._flags_text(row.attributes)
                item.setToolTip(1, f"{text}\n{flags}\n{row.code}".strip())
                self.span_list.addTopLevelItem(item)
            self.span_list.resizeColumnToContents(0)
        self.select(selected if selected in self._rows else None)

    def rows(self) -> list[SpanRow]:
        """Return the rows listed, in order."""
        return list(self._rows.values())

    def set_relations(self, rows: Sequence[RelationRow]) -> None:
        """List the relations ``rows`` (From, Type, To)."""
        with QSignalBlocker(self.relation_list):
            self.relation_list.clear()
            for row in rows:
                item = QTreeWidgetItem(
                    [
                        row.from_text.replace("\n", " "),
                        row.type,
                        row.to_text.replace("\n", " "),
                    ]
                )
                item.setData(0, Qt.ItemDataRole.UserRole, row.key)
                self.relation_list.addTopLevelItem(item)
            self.relation_list.resizeColumnToContents(1)
        self.delete_relation_button.setEnabled(False)

    def relation_rows(self) -> list[tuple[str, str, str]]:
        """Return the relations listed as (from, type, to) texts."""
        return [
            (item.text(0), item.text(1), item.text(2))
            for item in top_items(self.relation_list)
        ]

    def selected_relation(self) -> str | None:
        """Return the key of the relation selected in the list, or None."""
        item = self.relation_list.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def select_relation(self, row: int) -> None:
        """Make relation ``row`` (0-based) the current one in the list."""
        self.relation_list.setCurrentItem(top_items(self.relation_list)[row])

    def set_review_status(self, text: str) -> None:
        """Show what is being reviewed (a suggestion) above the lists; "" hides it."""
        self.review_label.setText(text)
        self.review_label.setVisible(bool(text))

    def selected_key(self) -> str | None:
        """Return the key of the selected span, or None."""
        item = self.span_list.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def select(self, key: str | None) -> None:
        """Select the span ``key`` (None: no span) without emitting a signal."""
        with QSignalBlocker(self.span_list):
            self.span_list.clearSelection()
            self.span_list.setCurrentIndex(self.span_list.rootIndex())
            for item in tree_items(self.span_list):
                if item.data(0, Qt.ItemDataRole.UserRole) == key:
                    self.span_list.setCurrentItem(item)
                    break
        self._show_attributes(self._rows.get(key or ""))

    def toggle(self, attribute: str) -> None:
        """Flip ``negated`` or ``hypothetical`` of the selected span (keys N, H)."""
        box = {"negated": self.negated_box, "hypothetical": self.hypothetical_box}[
            attribute
        ]
        if box.isEnabled():
            box.setChecked(not box.isChecked())

    # -- attributes -----------------------------------------------------------

    def attributes(self) -> dict[str, Any]:
        """Return the attributes shown in the editor."""
        return {
            "negated": self.negated_box.isChecked(),
            "hypothetical": self.hypothetical_box.isChecked(),
            "severity": self.severity_combo.currentData(),
            "seriousness": [
                criterion
                for criterion, box in self.seriousness_boxes.items()
                if box.isChecked()
            ],
        }

    def _show_attributes(self, row: SpanRow | None) -> None:
        attributes = dict(row.attributes) if row is not None else empty_attributes()
        boxes: list[QWidget] = [
            self.negated_box,
            self.hypothetical_box,
            self.severity_combo,
            *self.seriousness_boxes.values(),
        ]
        blockers = [QSignalBlocker(widget) for widget in boxes]
        self.negated_box.setChecked(bool(attributes.get("negated")))
        self.hypothetical_box.setChecked(bool(attributes.get("hypothetical")))
        index = self.severity_combo.findData(attributes.get("severity"))
        self.severity_combo.setCurrentIndex(max(index, 0))
        chosen = set(attributes.get("seriousness") or [])
        for criterion, box in self.seriousness_boxes.items():
            box.setChecked(criterion in chosen)
        del blockers
        self.code_label.setText(row.code if row is not None and row.code else "-")
        self.attributes_box.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)

    def _flags_text(self, attributes: Mapping[str, Any]) -> str:
        parts = []
        if attributes.get("negated"):
            parts.append(_tr("negated"))
        if attributes.get("hypothetical"):
            parts.append(_tr("hypothetical"))
        if attributes.get("severity"):
            parts.append(str(attributes["severity"]))
        parts += [str(criterion) for criterion in attributes.get("seriousness") or []]
        return ", ".join(parts)

    def _on_current(self) -> None:
        key = self.selected_key()
        self._show_attributes(self._rows.get(key or ""))
        if key is not None:
            self.span_activated.emit(key)

    def _on_edited(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.attributes_edited.emit(key, self.attributes())

    def _on_delete(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.delete_requested.emit(key)

    def _on_code(self) -> None:
        key = self.selected_key()
        if key is not None:
            self.code_requested.emit(key)

    def _on_delete_relation(self) -> None:
        key = self.selected_relation()
        if key is not None:
            self.relation_delete_requested.emit(key)
