"""Review screens: items awaiting review, my work, and the adjudication view."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from storage.errors import QT_TRANSLATE_NOOP, HaiopsError
from widgets.signature_dialog import SignatureDialog
from widgets.worklist import KIND_NAMES, status_name

if TYPE_CHECKING:
    from storage.project import Project

__all__ = [
    "PROBLEM_NAMES",
    "ActionSignatureDialog",
    "AdjudicationView",
    "DifferenceRow",
    "MyWorkPanel",
    "ReviewPanel",
    "ReviewRow",
    "WorkRow",
]

_CONTEXT = "ReviewPanel"

#: What differs between two annotators' records, as the view names it.
PROBLEM_NAMES = {
    "only_a": QT_TRANSLATE_NOOP(_CONTEXT, "only A"),
    "only_b": QT_TRANSLATE_NOOP(_CONTEXT, "only B"),
    "label": QT_TRANSLATE_NOOP(_CONTEXT, "label"),
    "outline": QT_TRANSLATE_NOOP(_CONTEXT, "outline"),
    "points": QT_TRANSLATE_NOOP(_CONTEXT, "points"),
    "offsets": QT_TRANSLATE_NOOP(_CONTEXT, "offsets"),
    "attributes": QT_TRANSLATE_NOOP(_CONTEXT, "attributes"),
    "code": QT_TRANSLATE_NOOP(_CONTEXT, "code"),
    "verdict": QT_TRANSLATE_NOOP(_CONTEXT, "verdict"),
}
_MEASURE_NAMES = {
    "mean_dice": QT_TRANSLATE_NOOP(_CONTEXT, "Dice"),
    "lenient_f1": QT_TRANSLATE_NOOP(_CONTEXT, "F1"),
    "observed_agreement": QT_TRANSLATE_NOOP(_CONTEXT, "agreement"),
}
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# The adjudicator's answers (the workflow service uses the same words).
LEFT, RIGHT, EDIT = "left", "right", "edit"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def agreement_text(measure: str | None, value: float | None) -> str:
    """Return an agreement as the panels show it: ``Dice 0.83``, or ``—``.

    Parameters
    ----------
    measure
        ``mean_dice``, ``lenient_f1`` or ``observed_agreement``; None when
        the item is annotated once.
    value
        Between 0 and 1; None when there was nothing to compare.
    """
    if measure is None:
        return ""
    if value is None:
        return "—"
    name = _tr(_MEASURE_NAMES.get(measure, measure))
    return f"{name} {value:.2f}"


@dataclass(frozen=True)
class ReviewRow:
    """One item waiting for review, adjudication or approval."""

    item_id: str
    title: str
    kind: str
    status: str
    annotators: tuple[str, ...]
    due: str | None
    needs_adjudication: bool
    agreement_measure: str | None = None
    agreement_value: float | None = None


@dataclass(frozen=True)
class WorkRow:
    """One item in an annotator's queue; ``note`` holds a rejection's reason."""

    item_id: str
    title: str
    kind: str
    status: str
    due: str | None
    note: str | None


@dataclass(frozen=True)
class DifferenceRow:
    """One difference as the adjudication view lists it.

    ``left`` and ``right`` describe annotator A's and B's record in a line
    ("" where one made none), ``left_detail`` and ``right_detail`` in full
    for the panes below; ``overlap`` is Dice or the shared part of two spans.
    """

    index: int
    record_type: str
    problems: tuple[str, ...]
    left: str
    right: str
    overlap: float | None = None
    left_detail: str = ""
    right_detail: str = ""


class _ItemTable(QTableWidget):
    """A read-only table of items; Enter activates the selected one."""

    activated_item = Signal(str)

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        # The title takes the room left; the other columns fit their text.
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cellActivated.connect(lambda row, _c: self._activate(row))
        self.cellDoubleClicked.connect(lambda row, _c: self._activate(row))

    def fill(self, rows: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.setRowCount(len(rows))
        for r, (item_id, texts) in enumerate(rows):
            for c, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                cell.setData(ITEM_ID_ROLE, item_id)
                self.setItem(r, c, cell)
        if rows:
            self.selectRow(0)

    def selected_item_id(self) -> str | None:
        row = self.currentRow()
        cell = self.item(row, 0) if row >= 0 else None
        return None if cell is None else str(cell.data(ITEM_ID_ROLE))

    def texts(self) -> list[tuple[str, ...]]:
        return [
            tuple(
                cell.text() if (cell := self.item(r, c)) is not None else ""
                for c in range(self.columnCount())
            )
            for r in range(self.rowCount())
        ]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.currentRow())
            return
        super().keyPressEvent(event)

    def _activate(self, row: int) -> None:
        cell = self.item(row, 0) if row >= 0 else None
        if cell is not None:
            self.activated_item.emit(str(cell.data(ITEM_ID_ROLE)))


class ReviewPanel(QWidget):
    """Items awaiting review or adjudication, with status, annotators, agreement.

    Enter adjudicates an item that needs it and opens any other; the
    buttons (and their keys: J, A, R) ask for the decision on the selected
    item. The owner fills the rows and acts on the signals.
    """

    adjudicate_requested = Signal(str)
    approve_requested = Signal(str)
    reject_requested = Signal(str)
    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: dict[str, ReviewRow] = {}
        self.table = _ItemTable(
            [
                self.tr("Title"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("Annotators"),
                self.tr("Agreement"),
                self.tr("Due"),
            ],
            self,
        )
        self.table.activated_item.connect(self._activated)
        self.empty_label = QLabel(self.tr("Nothing is waiting for your review."), self)
        self.adjudicate_button = self._button(
            self.tr("Adjudicate"), "J", self.adjudicate_requested
        )
        self.approve_button = self._button(
            self.tr("Approve…"), "A", self.approve_requested
        )
        self.reject_button = self._button(
            self.tr("Reject…"), "R", self.reject_requested
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.adjudicate_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _button(self, text: str, key: str, signal: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(f"{text.rstrip('…')} ({key})")
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(button.click)
        self.addAction(action)
        button.clicked.connect(lambda: self._emit(signal))
        return button

    def _emit(self, signal: Any) -> None:
        item_id = self.table.selected_item_id()
        if item_id is not None:
            signal.emit(item_id)

    def set_rows(self, rows: Sequence[ReviewRow]) -> None:
        """Show ``rows``: submitted items first, as the workflow orders them."""
        self._rows = {row.item_id: row for row in rows}
        self.table.fill(
            [
                (
                    row.item_id,
                    (
                        row.title,
                        _kind_name(row.kind),
                        self._status_text(row),
                        ", ".join(row.annotators),
                        agreement_text(row.agreement_measure, row.agreement_value),
                        row.due or "",
                    ),
                )
                for row in rows
            ]
        )
        self.empty_label.setVisible(not rows)
        self._update_buttons()
        self.table.setFocus()

    def _status_text(self, row: ReviewRow) -> str:
        if row.needs_adjudication:
            return self.tr("To adjudicate")
        return status_name(row.status)

    def selected_item_id(self) -> str | None:
        """Return the item of the selected row, if any."""
        return self.table.selected_item_id()

    def row_texts(self) -> list[tuple[str, ...]]:
        """Return the texts of every row, top to bottom (for tests and exports)."""
        return self.table.texts()

    def _update_buttons(self) -> None:
        row = self._rows.get(self.table.selected_item_id() or "")
        self.adjudicate_button.setEnabled(bool(row and row.needs_adjudication))
        self.approve_button.setEnabled(bool(row and not row.needs_adjudication))
        self.reject_button.setEnabled(row is not None)

    def _activated(self, item_id: str) -> None:
        row = self._rows.get(item_id)
        if row is not None and row.needs_adjudication:
            self.adjudicate_requested.emit(item_id)
        else:
            self.open_requested.emit(item_id)


def _one_line(text: str) -> str:
    return " · ".join(part for part in text.splitlines() if part)


def _kind_name(kind: str) -> str:
    return QCoreApplication.translate("Worklist", KIND_NAMES.get(kind, kind))


class MyWorkPanel(QWidget):
    """The signed-in annotator's open items, earliest due date first.

    A rejected item shows the reviewer's reason; Enter opens the item.
    """

    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _ItemTable(
            [
                self.tr("Title"),
                self.tr("Kind"),
                self.tr("Status"),
                self.tr("Due"),
                self.tr("Reviewer's reason"),
            ],
            self,
        )
        self.table.activated_item.connect(self.open_requested.emit)
        self.empty_label = QLabel(self.tr("No open work is assigned to you."), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table)

    def set_rows(self, rows: Sequence[WorkRow]) -> None:
        """Show ``rows`` in the order given."""
        self.table.fill(
            [
                (
                    row.item_id,
                    (
                        row.title,
                        _kind_name(row.kind),
                        status_name(row.status),
                        row.due or "",
                        row.note or "",
                    ),
                )
                for row in rows
            ]
        )
        self.empty_label.setVisible(not rows)
        self.table.setFocus()

    def row_texts(self) -> list[tuple[str, ...]]:
        """Return the texts of every row, top to bottom."""
        return self.table.texts()


class AdjudicationView(QWidget):
    """Two annotators' differences side by side, decided one key at a time.

    Keys: 1 takes A's record (left), 2 takes B's (right), E writes a record
    of the adjudicator's own (through ``edit``), N and P move to the next
    and previous difference, Ctrl+Enter asks to sign once every difference
    is decided. After 1, 2 or E the view moves to the next undecided
    difference.

    Parameters
    ----------
    title
        The item's title.
    annotator_a, annotator_b
        User IDs of the two annotators (A on the left).
    differences
        The differences in reading order.
    agreement
        The agreement text (:func:`agreement_text`).
    agreeing
        How many pairs agree (kept as annotator A made them).
    edit
        Called with a difference's index for E; returns the new record's
        body, or None when the adjudicator cancelled.
    parent
        Owner widget.
    """

    decided = Signal(int, str)
    finish_requested = Signal()

    def __init__(
        self,
        title: str,
        annotator_a: str,
        annotator_b: str,
        differences: Sequence[DifferenceRow],
        *,
        agreement: str = "",
        agreeing: int = 0,
        edit: Callable[[int], Mapping[str, Any] | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.annotators = (annotator_a, annotator_b)
        self.differences = list(differences)
        self.choices: dict[int, str] = {}
        self.edited: dict[int, Mapping[str, Any]] = {}
        self._edit = edit
        self.current = 0

        header = self.tr("{title}: A = {a}, B = {b}").format(
            title=title, a=annotator_a, b=annotator_b
        )
        if agreement:
            header += f" · {agreement}"
        header += " · " + self.tr(
            "differences: {n}; agreeing pairs, kept as A made them: {agreeing}"
        ).format(n=len(self.differences), agreeing=agreeing)
        self.header = QLabel(header, self)
        self.header.setWordWrap(True)
        self.table = QTableWidget(len(self.differences), 4, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Difference"),
                self.tr("A: {who}").format(who=annotator_a),
                self.tr("B: {who}").format(who=annotator_b),
                self.tr("Decision"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch
        )
        self.table.currentCellChanged.connect(lambda row, *_: self._go(row))

        self.left_view = QTextBrowser(self)
        self.right_view = QTextBrowser(self)
        sides = QHBoxLayout()
        sides.addWidget(self.left_view)
        sides.addWidget(self.right_view)
        self.progress = QLabel(self)
        self.keys_label = QLabel(
            self.tr(
                "1 = take A · 2 = take B · E = edit · N = next · P = previous · "
                "Ctrl+Enter = sign"
            ),
            self,
        )
        self.sign_button = QPushButton(self.tr("Sign as reviewed…"), self)
        self.sign_button.setToolTip(self.tr("Sign as reviewed (Ctrl+Enter)"))
        self.sign_button.clicked.connect(self.request_finish)
        footer = QHBoxLayout()
        footer.addWidget(self.keys_label, 1)
        footer.addWidget(self.progress)
        footer.addWidget(self.sign_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 2)
        layout.addLayout(sides, 1)
        layout.addLayout(footer)

        self.key_actions: list[QAction] = []
        for keys, slot, tip in (
            (("1",), lambda: self.choose(LEFT), self.tr("Take A's record")),
            (("2",), lambda: self.choose(RIGHT), self.tr("Take B's record")),
            (("E",), self.edit_current, self.tr("Write a record of your own")),
            (("N",), self.next_difference, self.tr("Next difference")),
            (("P",), self.previous_difference, self.tr("Previous difference")),
            (("Ctrl+Return", "Ctrl+Enter"), self.request_finish, self.tr("Sign")),
        ):
            action = QAction(tip, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{tip} ({keys[0]})")
            action.triggered.connect(slot)
            self.addAction(action)
            self.key_actions.append(action)

        for row, difference in enumerate(self.differences):
            problems = ", ".join(
                _tr(PROBLEM_NAMES.get(p, p)) for p in difference.problems
            )
            if difference.overlap is not None:
                problems += " · " + self.tr("overlap {value}").format(
                    value=f"{difference.overlap:.2f}"
                )
            for column, text in enumerate(
                (
                    problems,
                    _one_line(difference.left) or "—",
                    _one_line(difference.right) or "—",
                    "",
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._go(0)

    # -- decisions ----------------------------------------------------------

    def is_complete(self) -> bool:
        """Whether every difference has a decision."""
        return len(self.choices) == len(self.differences)

    def choose(self, side: str, body: Mapping[str, Any] | None = None) -> None:
        """Decide the current difference: ``left``, ``right`` or ``edit`` (body)."""
        if not self.differences:
            return
        self.choices[self.current] = side
        if side == EDIT and body is not None:
            self.edited[self.current] = body
        else:
            self.edited.pop(self.current, None)
        self._show_decision(self.current)
        self.decided.emit(self.current, side)
        self._go(self._next_undecided())

    def edit_current(self) -> None:
        """Ask ``edit`` for a record of the adjudicator's own (E)."""
        if not self.differences or self._edit is None:
            return
        body = self._edit(self.current)
        if body is not None:
            self.choose(EDIT, body)

    def next_difference(self) -> None:
        """Move to the next difference (N), wrapping round."""
        if self.differences:
            self._go((self.current + 1) % len(self.differences))

    def previous_difference(self) -> None:
        """Move to the previous difference (P), wrapping round."""
        if self.differences:
            self._go((self.current - 1) % len(self.differences))

    def request_finish(self) -> None:
        """Ask the owner to sign (Ctrl+Enter) once every difference is decided."""
        if self.is_complete():
            self.finish_requested.emit()
        else:
            self._go(self._next_undecided())

    # -- display ------------------------------------------------------------

    def _next_undecided(self) -> int:
        count = len(self.differences)
        for step in range(1, count + 1):
            index = (self.current + step) % count
            if index not in self.choices:
                return index
        return self.current

    def _decision_text(self, index: int) -> str:
        side = self.choices.get(index)
        difference = self.differences[index]
        if side == LEFT:
            return self.tr("A (1)") if difference.left else self.tr("none, as A (1)")
        if side == RIGHT:
            return self.tr("B (2)") if difference.right else self.tr("none, as B (2)")
        if side == EDIT:
            label = self.edited.get(index, {}).get("label")
            own = self.tr("Own record (E)")
            return f"{own}: {label}" if label else own
        return ""

    def _show_decision(self, index: int) -> None:
        cell = self.table.item(index, 3)
        if cell is not None:
            cell.setText(self._decision_text(index))
        bold = QFont(self.table.font())
        bold.setBold(True)
        side = self.choices.get(index)
        for column, chosen in ((1, side == LEFT), (2, side == RIGHT)):
            item = self.table.item(index, column)
            if item is not None:
                item.setFont(bold if chosen else self.table.font())

    def _go(self, index: int) -> None:
        if not self.differences or not 0 <= index < len(self.differences):
            self.progress.setText(self.tr("No differences"))
            self.sign_button.setEnabled(not self.differences or self.is_complete())
            return
        self.current = index
        if self.table.currentRow() != index:
            self.table.blockSignals(True)
            self.table.setCurrentCell(index, 0)
            self.table.blockSignals(False)
        difference = self.differences[index]
        side = self.choices.get(index)
        for view, name, text, chosen in (
            (
                self.left_view,
                "A",
                difference.left_detail or difference.left,
                side == LEFT,
            ),
            (
                self.right_view,
                "B",
                difference.right_detail or difference.right,
                side == RIGHT,
            ),
        ):
            who = self.annotators[0] if name == "A" else self.annotators[1]
            title = f"{name}: {who}" + ("  ✔ " + self.tr("chosen") if chosen else "")
            view.setPlainText(f"{title}\n\n{text or self.tr('(no record)')}")
        self.progress.setText(
            self.tr("Difference {n} of {count}, {done} decided").format(
                n=index + 1, count=len(self.differences), done=len(self.choices)
            )
        )
        self.sign_button.setEnabled(self.is_complete())


class ActionSignatureDialog(SignatureDialog):
    """The signature dialog for a workflow step that writes as it signs.

    Instead of signing the named records, "Sign" calls ``sign(password,
    user_id, reason)``, which does the step and signs in one transaction
    (an adjudication, an approval, a rejection). A refused signature keeps
    the dialog open with the message, as in :class:`SignatureDialog`.

    Parameters
    ----------
    project
        The signed-in project.
    record_ids
        The records the summary names (the item).
    meaning
        ``reviewed``, ``approved`` or ``rejected``.
    sign
        Does the step; raises a HaiopsError when it is refused.
    needs_reason
        Whether the signer must give a reason.
    describe_error
        Turns an error into its translated ``(what, hint)``.
    parent
        Owner window.
    """

    def __init__(
        self,
        project: Project,
        record_ids: Sequence[str],
        *,
        meaning: str,
        sign: Callable[[str, str | None, str | None], object],
        needs_reason: bool,
        describe_error: Callable[[BaseException], tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            project,
            record_ids,
            meaning=meaning,
            describe_error=describe_error,
            parent=parent,
        )
        self._sign = sign
        self._needs_reason = needs_reason
        self.result_value: object = None
        if needs_reason:
            self.reason_edit.setPlaceholderText(self.tr("Why (needed)"))

    def try_sign(self) -> None:
        """Do the step with the typed details; accept the dialog on success."""
        user_id = self.user_edit.text().strip() if self.is_asking_user_id else None
        reason = self.reason_edit.text().strip() or None
        if self.is_asking_user_id and not user_id:
            self.show_message(self.tr("Enter your user ID and password."))
            return
        if self._needs_reason and reason is None:
            self.show_message(self.tr("Enter the reason for this signature."))
            return
        try:
            self.result_value = self._sign(self.password_edit.text(), user_id, reason)
        except HaiopsError as error:
            what, hint = self._describe_error(error)
            self.show_message(f"{what}\n{hint}")
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.password_edit.clear()
        self.accept()
