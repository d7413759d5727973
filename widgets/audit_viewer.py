"""The audit viewer: the trail filtered by record, user, action and date."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from storage.audit_export import AuditFilter, review_entries
from storage.errors import QT_TRANSLATE_NOOP, HaiopsError
from storage.signatures import describe_signatures

if TYPE_CHECKING:
    from storage.audit import AuditEntry
    from storage.project import Project

COLUMNS = (
    QT_TRANSLATE_NOOP("AuditViewer", "Seq"),
    QT_TRANSLATE_NOOP("AuditViewer", "Time (local)"),
    QT_TRANSLATE_NOOP("AuditViewer", "User"),
    QT_TRANSLATE_NOOP("AuditViewer", "Printed name"),
    QT_TRANSLATE_NOOP("AuditViewer", "Action"),
    QT_TRANSLATE_NOOP("AuditViewer", "Record type"),
    QT_TRANSLATE_NOOP("AuditViewer", "Record"),
    QT_TRANSLATE_NOOP("AuditViewer", "Old value"),
    QT_TRANSLATE_NOOP("AuditViewer", "New value"),
    QT_TRANSLATE_NOOP("AuditViewer", "Reason"),
    QT_TRANSLATE_NOOP("AuditViewer", "Action code"),
)

#: Column of the action's human name; its code is in ACTION_CODE_COLUMN.
ACTION_COLUMN = 4
#: Hidden until an inspector shows it from the header's context menu.
ACTION_CODE_COLUMN = 10
#: Date filters read the same in every locale (ISO 8601).
DATE_FORMAT = "yyyy-MM-dd"

#: Human names of the audit actions written by storage/, sync/ and app/.
ACTION_NAMES = {
    "account.lock": QT_TRANSLATE_NOOP("AuditViewer", "Account locked"),
    "asset.put": QT_TRANSLATE_NOOP("AuditViewer", "Project file stored"),
    "audit.checkpoint": QT_TRANSLATE_NOOP("AuditViewer", "Audit checkpoint made"),
    "audit.export": QT_TRANSLATE_NOOP("AuditViewer", "Audit trail exported"),
    "audit.review": QT_TRANSLATE_NOOP("AuditViewer", "Audit trail reviewed"),
    "export.dicom_seg": QT_TRANSLATE_NOOP("AuditViewer", "DICOM SEG exported"),
    "export.dicom_sr": QT_TRANSLATE_NOOP("AuditViewer", "DICOM SR exported"),
    "password.change": QT_TRANSLATE_NOOP("AuditViewer", "Password changed"),
    "policy.change": QT_TRANSLATE_NOOP("AuditViewer", "Password policy changed"),
    "project.backup": QT_TRANSLATE_NOOP("AuditViewer", "Project backed up"),
    "project.create": QT_TRANSLATE_NOOP("AuditViewer", "Project created"),
    "project.restore": QT_TRANSLATE_NOOP("AuditViewer", "Project restored"),
    "record.apply": QT_TRANSLATE_NOOP("AuditViewer", "Record received in a bundle"),
    "record.create": QT_TRANSLATE_NOOP("AuditViewer", "Record created"),
    "record.delete": QT_TRANSLATE_NOOP("AuditViewer", "Record deleted"),
    "record.revise": QT_TRANSLATE_NOOP("AuditViewer", "Record revised"),
    "recovery.wrap": QT_TRANSLATE_NOOP("AuditViewer", "Recovery key stored"),
    "session.lock": QT_TRANSLATE_NOOP("AuditViewer", "Session locked"),
    "sign_in": QT_TRANSLATE_NOOP("AuditViewer", "Signed in"),
    "sign_in.failed": QT_TRANSLATE_NOOP("AuditViewer", "Sign-in failed"),
    "sign_in.refused": QT_TRANSLATE_NOOP("AuditViewer", "Sign-in refused"),
    "sign_out": QT_TRANSLATE_NOOP("AuditViewer", "Signed out"),
    "signature.refused": QT_TRANSLATE_NOOP("AuditViewer", "Signature refused"),
    "signature.sign": QT_TRANSLATE_NOOP("AuditViewer", "Signed"),
    "signing_key.create": QT_TRANSLATE_NOOP("AuditViewer", "Signing key created"),
    "user.add": QT_TRANSLATE_NOOP("AuditViewer", "User added"),
    "user.deactivate": QT_TRANSLATE_NOOP("AuditViewer", "User deactivated"),
    "user.reset": QT_TRANSLATE_NOOP("AuditViewer", "Password reset"),
    "user.roles": QT_TRANSLATE_NOOP("AuditViewer", "User roles changed"),
}
_ALERT = QT_TRANSLATE_NOOP("AuditViewer", "Alert: {kind}")


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def local_time_text(utc_text: str) -> str:
    """Return an ISO UTC time as local time with its zone, to the second.

    For example ``2026-12-03 18:20:05 JST`` on a workstation in Japan. Text
    that is not an ISO time is returned as it is.
    """
    try:
        moment = datetime.fromisoformat(utc_text)
    except ValueError:
        return utc_text
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


@dataclass(frozen=True)
class ValueLine:
    """One line of a pretty-printed value; ``is_changed`` marks a changed key."""

    text: str
    is_changed: bool


def _parse(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value


def changed_keys(old: str | None, new: str | None) -> frozenset[str]:
    """Return the top-level keys whose value differs between two JSON objects.

    Added and removed keys count as changed. Empty unless both values are
    JSON objects (a creation or deletion has nothing to compare).
    """
    before, after = _parse(old), _parse(new)
    if not isinstance(before, dict) or not isinstance(after, dict):
        return frozenset()
    return frozenset(
        str(key)
        for key in before.keys() | after.keys()
        if key not in before or key not in after or before[key] != after[key]
    )


def pretty_lines(value: str | None, changed: frozenset[str]) -> list[ValueLine]:
    """Return a JSON value indented by two spaces, lines of changed keys marked.

    The text equals ``json.dumps(value, indent=2, ensure_ascii=False)``; text
    that is not JSON is returned as its lines, unmarked.
    """
    parsed = _parse(value)
    if parsed is None:
        return []
    if isinstance(parsed, str) and parsed == value:
        return [ValueLine(line, False) for line in value.splitlines()]
    if not isinstance(parsed, dict) or not parsed:
        text = json.dumps(parsed, indent=2, ensure_ascii=False)
        return [ValueLine(line, False) for line in text.splitlines()]

    lines = [ValueLine("{", False)]
    for index, (key, item) in enumerate(parsed.items()):
        body = json.dumps(item, indent=2, ensure_ascii=False).splitlines()
        body[0] = f"{json.dumps(key, ensure_ascii=False)}: {body[0]}"
        if index < len(parsed) - 1:
            body[-1] += ","
        lines.extend(ValueLine("  " + line, key in changed) for line in body)
    lines.append(ValueLine("}", False))
    return lines


class AuditViewer(QWidget):
    """Shows the audit trail of a project with filters; every look is recorded.

    Filtering (the Show button) and opening a record's history each write an
    ``audit.review`` entry (EU GMP Annex 11 section 9). Double-clicking a row
    shows that record's whole history, every old and new value, with its
    signatures (printed name, local time, meaning, status) below. Actions show
    by their human names (the code in a tooltip and in the Action code
    column, shown from the header's context menu); the selected entry's old
    and new values show in full below the table, changed keys highlighted.

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
            self.action_box.addItem(self.action_name(action), action)
        self.use_dates = QCheckBox(self.tr("From"), self)
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-30), self)
        self.until_edit = QDateEdit(QDate.currentDate(), self)
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setCalendarPopup(True)
        show = QPushButton(self.tr("Show"), self)
        show.clicked.connect(self.refresh)
        verify = QPushButton(self.tr("Verify chain"), self)
        verify.clicked.connect(self.verify)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        # The Seq column numbers the entries; a row header would number twice.
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Seq, time, action and record type are short: shown whole, never cut.
        for column in (0, 1, ACTION_COLUMN, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._choose_columns)
        self.table.setColumnHidden(ACTION_CODE_COLUMN, True)
        self.table.cellDoubleClicked.connect(self._open_history)
        self.table.currentCellChanged.connect(self._show_details)
        self.details = QTextBrowser(self)
        self.details.setPlaceholderText(
            self.tr("Select an entry to see its old and new values in full.")
        )
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
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
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
            # Typed text: a shown name stands for its code; anything else is
            # taken as a code.
            typed = self.action_box.currentText().strip()
            index = self.action_box.findText(typed)
            action = self.action_box.itemData(index) if index > 0 else typed or None
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

    def action_name(self, action: str) -> str:
        """Return the human, translated name of an audit action code."""
        name = ACTION_NAMES.get(action)
        if name is not None:
            return self.tr(name)
        if action.startswith("alert."):
            return self.tr(_ALERT).replace("{kind}", action.removeprefix("alert."))
        # An action added later without a name here shows by its code.
        return action

    def _fill(self) -> None:
        self.table.clearSelection()
        self.details.clear()
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (
                str(entry.seq),
                local_time_text(entry.at),
                entry.user_id or "",
                entry.printed_name or "",
                self.action_name(entry.action),
                entry.record_type or "",
                entry.record_id or "",
                entry.old_value or "",
                entry.new_value or "",
                entry.reason or "",
                entry.action,
            )
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column == ACTION_COLUMN:
                    cell.setToolTip(entry.action)
                elif column in (1, 6, 7, 8, 9):
                    cell.setToolTip(value)
                self.table.setItem(row, column, cell)

    def _choose_columns(self, position: QPoint) -> None:
        menu = QMenu(self)
        for column, title in enumerate(COLUMNS):
            action = menu.addAction(self.tr(title))
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(
                lambda shown, c=column: self.table.setColumnHidden(c, not shown)
            )
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _show_details(self, row: int, *_: int) -> None:
        if not 0 <= row < len(self.entries):
            self.details.clear()
            return
        entry = self.entries[row]
        changed = changed_keys(entry.old_value, entry.new_value)
        palette = self.details.palette()
        marked = (
            palette.color(QPalette.ColorRole.Highlight).name(),
            palette.color(QPalette.ColorRole.HighlightedText).name(),
        )
        title = " \u2014 ".join(
            (f"#{entry.seq}", self.action_name(entry.action), local_time_text(entry.at))
        )
        self.details.setHtml(
            f"<p><b>{html.escape(title)}</b></p>"
            "<table width='100%' cellspacing='6'><tr>"
            f"<th align='left'>{html.escape(self.tr('Old value'))}</th>"
            f"<th align='left'>{html.escape(self.tr('New value'))}</th></tr><tr>"
            f"<td valign='top'>{_value_html(entry.old_value, changed, marked)}</td>"
            f"<td valign='top'>{_value_html(entry.new_value, changed, marked)}</td>"
            "</tr></table>"
        )

    def _open_history(self, row: int, column: int) -> None:
        del column
        record_id = self.entries[row].record_id
        if record_id:
            self.show_record(record_id)


def _value_html(
    value: str | None, changed: frozenset[str], marked: tuple[str, str]
) -> str:
    """Return a value as preformatted HTML, changed keys in highlight colours."""
    lines = []
    for line in pretty_lines(value, changed):
        text = html.escape(line.text)
        if line.is_changed:
            text = (
                f"<span style='background-color:{marked[0]}; color:{marked[1]}'>"
                f"{text}</span>"
            )
        lines.append(text)
    return "<pre>" + "\n".join(lines) + "</pre>" if lines else "<p>\u2014</p>"
