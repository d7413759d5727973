"""The audit viewer: the trail filtered by record, user, action and date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage.audit_export import AuditFilter, review_entries
from storage.errors import HaiopsError
from storage.signatures import describe_signatures, local_time

if TYPE_CHECKING:
    from storage.audit import AuditEntry
    from storage.project import Project

COLUMNS = (
    "Seq",
    "Time (local)",
    "User",
    "Printed name",
    "Action",
    "Record type",
    "Record",
    "Old value",
    "New value",
    "Reason",
)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class AuditViewer(QWidget):
    """Shows the audit trail of a project with filters; every look is recorded.

    Filtering (the Show button) and opening a record's history each write an
    ``audit.review`` entry (EU GMP Annex 11 section 9). Double-clicking a row
    shows that record's whole history, every old and new value, with its
    signatures (printed name, local time, meaning, status) below.

    Parameters
    ----------
    project
        The signed-in project.
    parent
        Owner widget.
    """

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.entries: list[AuditEntry] = []

        self.record_edit = QLineEdit(self)
        self.record_edit.setPlaceholderText(self.tr("Record ID"))
        self.user_edit = QLineEdit(self)
        self.user_edit.setPlaceholderText(self.tr("User ID"))
        self.action_box = QComboBox(self)
        self.action_box.setEditable(True)
        self.action_box.addItem(self.tr("Any action"), None)
        for (action,) in project.connection.execute(
            "SELECT DISTINCT action FROM audit_entries ORDER BY action"
        ):
            self.action_box.addItem(action, action)
        self.use_dates = QCheckBox(self.tr("From"), self)
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-30), self)
        self.until_edit = QDateEdit(QDate.currentDate(), self)
        for edit in (self.since_edit, self.until_edit):
            edit.setCalendarPopup(True)
        show = QPushButton(self.tr("Show"), self)
        show.clicked.connect(self.refresh)
        verify = QPushButton(self.tr("Verify chain"), self)
        verify.clicked.connect(self.verify)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.cellDoubleClicked.connect(self._open_history)
        self.signatures = QLabel(self)
        self.signatures.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )

        filters = QHBoxLayout()
        for widget in (
            self.record_edit,
            self.user_edit,
            self.action_box,
            self.use_dates,
            self.since_edit,
            QLabel(self.tr("to"), self),
            self.until_edit,
            show,
            verify,
        ):
            filters.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.signatures)
        layout.addWidget(self.status)

    def current_filter(self) -> AuditFilter:
        """Return the filter the controls describe (dates as whole UTC days)."""
        since = until = None
        if self.use_dates.isChecked():
            start = _day(self.since_edit.date())
            end = _day(self.until_edit.date())
            since = datetime.combine(start, time.min, UTC).isoformat()
            until = datetime.combine(end, time.max, UTC).isoformat()
        action = self.action_box.currentData()
        if action is None and self.action_box.currentIndex() != 0:
            action = self.action_box.currentText().strip() or None
        return AuditFilter(
            record_id=self.record_edit.text().strip() or None,
            user_id=self.user_edit.text().strip() or None,
            action=action,
            since=since,
            until=until,
        )

    def refresh(self) -> None:
        """Show the entries matching the filters (and record the review)."""
        try:
            self.entries = review_entries(self.project, self.current_filter())
        except HaiopsError as error:
            self.status.setText(str(error))
            return
        self._fill()
        self.status.setText(
            self.tr("{count} entries").replace("{count}", str(len(self.entries)))
        )

    def show_record(self, record_id: str) -> None:
        """Show one record's whole history and its signatures."""
        self.record_edit.setText(record_id)
        self.user_edit.clear()
        self.action_box.setCurrentIndex(0)
        self.use_dates.setChecked(False)
        self.refresh()
        views = describe_signatures(self.project, record_id)
        self.signatures.setText(
            "\n".join(
                f"{v.printed_name} ({v.signer_id}), {v.signed_at_local}: {v.meaning} "
                f"[{v.status}]"
                for v in views
            )
        )

    def verify(self) -> None:
        """Check the hash chain and say the result."""
        result = self.project.audit.verify()
        if result.is_ok:
            text = self.tr("Chain OK: {count} entries, head {hash}")
        else:
            text = (
                self.tr("Chain broken at entry {seq}: {problem}")
                .replace("{seq}", str(result.first_bad_seq))
                .replace("{problem}", result.problem or "")
            )
        self.status.setText(
            text.replace("{count}", str(result.count)).replace(
                "{hash}", result.head_hash[:16]
            )
        )

    def _fill(self) -> None:
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (
                str(entry.seq),
                local_time(entry.at),
                entry.user_id or "",
                entry.printed_name or "",
                entry.action,
                entry.record_type or "",
                entry.record_id or "",
                entry.old_value or "",
                entry.new_value or "",
                entry.reason or "",
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))

    def _open_history(self, row: int, column: int) -> None:
        del column
        record_id = self.entries[row].record_id
        if record_id:
            self.show_record(record_id)
