"""The quality dashboard: tables of agreement, gold scores, drift, bias and workload."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from storage.errors import QT_TRANSLATE_NOOP, HaiopsError
from storage.project import Project
from storage.records import RecordStore

__all__ = ["QualityDashboard"]

logger = logging.getLogger(__name__)

# Widgets may not import app/, so the main window hands in the report builder
# (app.quality.build_report) and the error translator (app.i18n.translate_error).
# The report is read by attribute, as app.quality.report.QualityReport defines it.
BuildReport = Callable[[RecordStore], Any]
DescribeError = Callable[[BaseException], tuple[str, str]]

_STATUS_NAMES = {
    "not_started": QT_TRANSLATE_NOOP("QualityDashboard", "Not started"),
    "in_progress": QT_TRANSLATE_NOOP("QualityDashboard", "In progress"),
    "submitted": QT_TRANSLATE_NOOP("QualityDashboard", "Submitted"),
    "reviewed": QT_TRANSLATE_NOOP("QualityDashboard", "Reviewed"),
    "approved": QT_TRANSLATE_NOOP("QualityDashboard", "Approved"),
    "rejected": QT_TRANSLATE_NOOP("QualityDashboard", "Rejected"),
    "locked": QT_TRANSLATE_NOOP("QualityDashboard", "Locked"),
}
_RECORD_NAMES = {
    "span": QT_TRANSLATE_NOOP("QualityDashboard", "Spans"),
    "roi": QT_TRANSLATE_NOOP("QualityDashboard", "ROIs"),
    "judgement": QT_TRANSLATE_NOOP("QualityDashboard", "Pair verdicts"),
}
_CATEGORY_NAMES = {
    "(none)": QT_TRANSLATE_NOOP("QualityDashboard", "(nothing there)"),
    "first": QT_TRANSLATE_NOOP("QualityDashboard", "First response"),
    "second": QT_TRANSLATE_NOOP("QualityDashboard", "Second response"),
    "tie": QT_TRANSLATE_NOOP("QualityDashboard", "Tie"),
    "both_bad": QT_TRANSLATE_NOOP("QualityDashboard", "Both bad"),
    "cannot_judge": QT_TRANSLATE_NOOP("QualityDashboard", "Cannot judge"),
}
#: Tables whose rows have a confusion matrix to show when selected.
_WITH_CONFUSION = ("spans", "rois", "pairs")
_UNDEFINED = "–"


def _n(value: float | None, places: int = 3) -> str:
    """Format a figure to ``places`` decimals, or an en dash where undefined."""
    return _UNDEFINED if value is None else f"{value:.{places}f}"


def _codes(agreement: Any) -> str:
    if agreement is None:
        return _UNDEFINED
    return f"{_n(agreement.percent_agreement, 1)}% (n={agreement.n_items})"


def _kappa(agreement: Any) -> str:
    return _UNDEFINED if agreement is None else _n(agreement.kappa)


class QualityDashboard(QWidget):
    """Tables of a project's quality figures, for a dock or a dialog.

    Four tabs: agreement between annotators (spans, ROIs, pair verdicts),
    scores against gold standards, drift and bias (label drift per window,
    left/right preference of judges, time per item), and workload (items per
    status per assignee, overdue items). Rows flagged by a test (p < 0.01)
    are shown in bold with "Flagged".

    Parameters
    ----------
    project
        The signed-in project (read only).
    parent
        The owning widget.
    build_report
        Computes the report from the record store:
        :func:`app.quality.build_report`.
    describe_error
        Turns an error into its translated ``(what, hint)``; by default the
        English text of the error.
    """

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        *,
        build_report: BuildReport,
        describe_error: DescribeError | None = None,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._build_report = build_report
        self._describe_error = describe_error or (lambda e: (str(e), ""))
        self.report: Any = None
        self._tables: dict[str, QTableWidget] = {}
        # Per table, the Agreement behind each row (None where there is none).
        self._row_agreements: dict[str, list[Any]] = {}

        self._status = QLabel(self)
        self._status.setWordWrap(True)
        refresh = QPushButton(self.tr("Refresh"), self)
        refresh.setToolTip(self.tr("Compute the figures again from the project"))
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self._status, 1)
        top.addWidget(refresh)

        self._tabs = QTabWidget(self)
        self._build_tabs()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._tabs, 1)
        self.setWindowTitle(self.tr("Quality"))

    # Layout

    def _pages(self) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
        """Return (tab title, [(table key, caption, column headers)]) per tab."""
        statuses = [self._status_name(s) for s in _STATUS_NAMES]
        agreement = [
            (
                "spans",
                self.tr("Spans: annotator A against B (exact and overlapping)"),
                [
                    self.tr("A"),
                    self.tr("B"),
                    self.tr("Documents"),
                    self.tr("Exact F1"),
                    self.tr("Lenient P"),
                    self.tr("Lenient R"),
                    self.tr("Lenient F1"),
                    self.tr("Label κ"),
                    self.tr("Character κ"),
                    self.tr("Code agreement"),
                    self.tr("F1 by label"),
                ],
            ),
            (
                "rois",
                self.tr("ROIs: paired by overlap on the same slice"),
                [
                    self.tr("A"),
                    self.tr("B"),
                    self.tr("Series"),
                    self.tr("Detection F1"),
                    self.tr("Mean Dice"),
                    self.tr("Mean IoU"),
                    self.tr("Label κ"),
                    self.tr("Dice by label"),
                ],
            ),
            (
                "pairs",
                self.tr("Pair verdicts: judges on the same pairs"),
                [
                    self.tr("Judge A"),
                    self.tr("Judge B"),
                    self.tr("Pairs"),
                    self.tr("Agreement"),
                    self.tr("κ"),
                ],
            ),
            (
                "confusion",
                self.tr("Confusion matrix of the selected row: A down, B across"),
                [self.tr("A \\ B")],
            ),
        ]
        gold = [
            (
                "gold",
                self.tr("Annotators against gold annotations"),
                [
                    self.tr("Annotator"),
                    self.tr("Kind"),
                    self.tr("Scored on"),
                    self.tr("Exact F1"),
                    self.tr("Precision"),
                    self.tr("Recall"),
                    self.tr("F1 / accuracy"),
                    self.tr("Mean Dice"),
                    self.tr("Label accuracy"),
                ],
            ),
        ]
        drift = [
            (
                "drift",
                self.tr("Label distribution per window against the project"),
                [
                    self.tr("Annotator"),
                    self.tr("Records"),
                    self.tr("Window"),
                    self.tr("Labels"),
                    self.tr("χ²"),
                    self.tr("p"),
                    self.tr("Flag"),
                ],
            ),
            (
                "bias",
                self.tr("Side preference of judges (binomial test)"),
                [
                    self.tr("Judge"),
                    self.tr("Left"),
                    self.tr("Right"),
                    self.tr("No preference"),
                    self.tr("p"),
                    self.tr("Flag"),
                ],
            ),
            (
                "time",
                self.tr("Time per item and its trend"),
                [
                    self.tr("Person"),
                    self.tr("Items"),
                    self.tr("Median (s)"),
                    self.tr("Trend (s per item)"),
                    self.tr("p"),
                    self.tr("Flag"),
                ],
            ),
        ]
        workload = [
            (
                "load",
                self.tr("Items per status per assignee"),
                [
                    self.tr("Assignee"),
                    self.tr("Items"),
                    *statuses,
                    self.tr("Overdue"),
                    self.tr("Median (s)"),
                ],
            ),
            (
                "overdue",
                self.tr("Overdue items (due date passed, not submitted)"),
                [
                    self.tr("Title"),
                    self.tr("Assignee"),
                    self.tr("Status"),
                    self.tr("Due"),
                    self.tr("Days overdue"),
                ],
            ),
        ]
        return [
            (self.tr("Agreement"), agreement),
            (self.tr("Gold standard"), gold),
            (self.tr("Drift and bias"), drift),
            (self.tr("Workload"), workload),
        ]

    def _build_tabs(self) -> None:
        for title, sections in self._pages():
            page = QWidget(self._tabs)
            column = QVBoxLayout(page)
            for key, caption, headers in sections:
                box = QGroupBox(caption, page)
                table = QTableWidget(0, len(headers), box)
                table.setObjectName(key)
                table.setHorizontalHeaderLabels(headers)
                table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
                table.setSelectionBehavior(
                    QAbstractItemView.SelectionBehavior.SelectRows
                )
                table.verticalHeader().setVisible(False)
                table.verticalHeader().setDefaultSectionSize(
                    table.fontMetrics().height() + 8
                )
                self._explain(table, headers)
                table.horizontalHeader().setSectionResizeMode(
                    QHeaderView.ResizeMode.ResizeToContents
                )
                table.horizontalHeader().setStretchLastSection(False)
                inner = QVBoxLayout(box)
                inner.addWidget(table)
                column.addWidget(box)
                self._tables[key] = table
                if key in _WITH_CONFUSION:
                    table.itemSelectionChanged.connect(
                        lambda key=key: self._on_row_selected(key)
                    )
            self._tabs.addTab(page, title)

    def _explain(self, table: QTableWidget, headers: Sequence[str]) -> None:
        """Give the headers of statistics a tooltip saying what they measure."""
        tips = {
            self.tr("Exact F1"): self.tr(
                "Spans with the same offsets and label on both sides"
            ),
            self.tr("Lenient F1"): self.tr(
                "Spans that overlap and have the same label, each paired once"
            ),
            self.tr("Label κ"): self.tr(
                "Cohen's kappa of the labels of annotations paired by overlap; "
                "– where it is undefined (one label only)"
            ),
            self.tr("Character κ"): self.tr(
                "Cohen's kappa over every character either annotator covered"
            ),
            self.tr("Mean Dice"): self.tr(
                "2 × shared pixels / (pixels of A + pixels of B), over pairs"
            ),
            self.tr("κ"): self.tr("Cohen's kappa; Fleiss' kappa for all judges"),
            self.tr("p"): self.tr("Rows with p below 0.01 are flagged"),
            self.tr("Code agreement"): self.tr(
                "Same code on spans paired by overlap where one side is coded; "
                "MedDRA compared at PT level"
            ),
        }
        for column, header in enumerate(headers):
            item = table.horizontalHeaderItem(column)
            if item is not None and header in tips:
                item.setToolTip(tips[header])

    def _status_name(self, status: str) -> str:
        return QCoreApplication.translate(
            "QualityDashboard", _STATUS_NAMES.get(status, status)
        )

    # Filling

    def refresh(self) -> None:
        """Compute the report again and show it; an error is shown in the header.

        The computation runs on the calling thread; for a large project
        compute the report in the background and call :meth:`show_report`.
        """
        try:
            report = self._build_report(self._project.records)
        except HaiopsError as error:
            what, hint = self._describe_error(error)
            self._status.setText(f"{what} {hint}".strip())
            logger.warning("quality report failed: %s", error)
            return
        self.show_report(report)

    def show_report(self, report: Any) -> None:
        """Show a report computed elsewhere (:class:`app.quality.QualityReport`)."""
        self.report = report
        flags = (
            sum(d.is_flagged for d in report.drift)
            + sum(b.is_flagged for b in report.biases)
            + sum(t.is_flagged for t in report.trends)
        )
        self._status.setText(
            self.tr("Figures as of {today} (UTC): {flags} flagged, {overdue} overdue")
            .replace("{today}", str(report.today))
            .replace("{flags}", str(flags))
            .replace("{overdue}", str(len(report.overdue)))
        )
        self._fill_agreement(report)
        self._fill_gold(report)
        self._fill_drift(report)
        self._fill_workload(report)

    def _fill(
        self,
        key: str,
        rows: Sequence[Sequence[str]],
        flagged: Sequence[bool] | None = None,
    ) -> None:
        table = self._tables[key]
        table.setRowCount(len(rows))
        bold = QFont(table.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            is_flagged = bool(flagged and flagged[r])
            for c, text in enumerate(row):
                cell = QTableWidgetItem(text)
                if c > 0 and (text == _UNDEFINED or _is_number(text)):
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if is_flagged:
                    cell.setFont(bold)
                table.setItem(r, c, cell)

    def _flag(self, is_flagged: bool) -> str:
        return self.tr("Flagged") if is_flagged else ""

    def _fill_agreement(self, report: Any) -> None:
        span_rows = [
            [s.annotator_a, s.annotator_b, str(s.documents), _n(s.exact.f1),
             _n(s.lenient.precision), _n(s.lenient.recall), _n(s.lenient.f1),
             _kappa(s.labels), _kappa(s.characters), _codes(s.codes),
             ", ".join(f"{label} {_n(f1.f1)} ({f1.matched})"
                       for label, f1 in s.by_label)]
            for s in report.spans
        ]  # fmt: skip
        if report.span_fleiss is not None:
            everyone = self.tr("All {n} annotators (Fleiss)").replace(
                "{n}", str(len(report.span_annotators))
            )
            span_rows.append(
                [everyone, "", "", *[_UNDEFINED] * 5, _kappa(report.span_fleiss),
                 _UNDEFINED, ""]
            )  # fmt: skip
        self._fill("spans", span_rows)
        self._fill(
            "rois",
            [
                [r.annotator_a, r.annotator_b, str(r.series), _n(r.detection.f1),
                 _n(r.mean_dice), _n(r.mean_iou), _kappa(r.labels),
                 ", ".join(f"{d.label} {_n(d.mean_dice)} ({d.pairs})"
                           for d in r.by_label)]
                for r in report.rois
            ],
        )  # fmt: skip
        rows = [
            [p.judge_a, p.judge_b, str(p.agreement.n_items),
             f"{_n(p.agreement.percent_agreement, 1)}%", _kappa(p.agreement)]
            for p in report.preference.pairwise
        ]  # fmt: skip
        fleiss = report.preference.fleiss
        if fleiss is not None:
            rows.append(
                [self.tr("All {n} judges (Fleiss)").replace(
                    "{n}", str(len(report.preference.all_judges))),
                 "", str(fleiss.n_items), f"{_n(fleiss.percent_agreement, 1)}%",
                 _kappa(fleiss)]
            )  # fmt: skip
        self._fill("pairs", rows)
        self._row_agreements = {
            "spans": [s.labels for s in report.spans],
            "rois": [r.labels for r in report.rois],
            "pairs": [p.agreement for p in report.preference.pairwise],
        }
        self._show_confusion(None)

    def _on_row_selected(self, key: str) -> None:
        rows = self._tables[key].selectionModel().selectedRows()
        found = self._row_agreements.get(key, [])
        if rows and rows[0].row() < len(found):
            self._show_confusion(found[rows[0].row()])

    def _show_confusion(self, agreement: Any) -> None:
        """Show an Agreement's counts, categories in its order, or nothing."""
        table = self._tables["confusion"]
        if agreement is None:
            table.setRowCount(0)
            table.setColumnCount(1)
            return
        names = [
            QCoreApplication.translate("QualityDashboard", _CATEGORY_NAMES.get(c, c))
            for c in agreement.categories
        ]
        table.setColumnCount(len(names) + 1)
        table.setHorizontalHeaderLabels([self.tr("A \\ B"), *names])
        self._fill(
            "confusion",
            [
                [name, *(str(n) for n in row)]
                for name, row in zip(names, agreement.confusion, strict=True)
            ],
        )

    def select_row(self, key: str, row: int) -> None:
        """Select a row of one table (its confusion matrix shows, if it has one)."""
        self._tables[key].selectRow(row)

    def _fill_gold(self, report: Any) -> None:
        spans, rois, pairs = self.tr("Spans"), self.tr("ROIs"), self.tr("Pairs")
        rows = [
            [g.annotator, spans, str(g.documents), _n(g.exact.f1),
             _n(g.lenient.precision), _n(g.lenient.recall), _n(g.lenient.f1),
             _UNDEFINED, _n(g.label_accuracy)]
            for g in report.span_gold
        ]  # fmt: skip
        rows += [
            [g.annotator, rois, str(g.series), _UNDEFINED,
             _n(g.detection.precision), _n(g.detection.recall),
             _n(g.detection.f1), _n(g.mean_dice), _n(g.label_accuracy)]
            for g in report.roi_gold
        ]  # fmt: skip
        rows += [
            [g.judge, pairs, str(g.judged), _UNDEFINED, _UNDEFINED, _UNDEFINED,
             _n(g.accuracy), _UNDEFINED, _UNDEFINED]
            for g in report.judge_gold
        ]  # fmt: skip
        self._fill("gold", rows)

    def _fill_drift(self, report: Any) -> None:
        self._fill(
            "drift",
            [
                [d.annotator,
                 QCoreApplication.translate(
                     "QualityDashboard", _RECORD_NAMES.get(d.record_type, d.record_type)
                 ),
                 f"{d.window_start} – {d.window_end}", str(d.n_labels),
                 _n(d.chi2), _n(d.p_value, 4), self._flag(d.is_flagged)]
                for d in report.drift
            ],
            [d.is_flagged for d in report.drift],
        )  # fmt: skip
        self._fill(
            "bias",
            [
                [b.judge, str(b.left), str(b.right), str(b.no_preference),
                 _n(b.p_value, 4), self._flag(b.is_flagged)]
                for b in report.biases
            ],
            [b.is_flagged for b in report.biases],
        )  # fmt: skip
        self._fill(
            "time",
            [
                [t.person, str(t.items), _n(t.median_seconds, 1), _n(t.slope, 1),
                 _n(t.p_value, 4), self._flag(t.is_flagged)]
                for t in report.trends
            ],
            [t.is_flagged for t in report.trends],
        )  # fmt: skip

    def _fill_workload(self, report: Any) -> None:
        unassigned = self.tr("(unassigned)")
        self._fill(
            "load",
            [
                [a.assignee or unassigned, str(a.total),
                 *(str(a.count(s)) for s in _STATUS_NAMES),
                 str(a.overdue), _n(a.median_seconds, 1)]
                for a in report.loads
            ],
            [a.overdue > 0 for a in report.loads],
        )  # fmt: skip
        self._fill(
            "overdue",
            [
                [o.title, o.assignee or unassigned, self._status_name(o.status),
                 o.due, str(o.days_overdue)]
                for o in report.overdue
            ],
        )  # fmt: skip

    # For checks and tests

    def status_text(self) -> str:
        """Return the line above the tabs (as of, flags, overdue, or an error)."""
        return self._status.text()

    def table_text(self, key: str) -> list[list[str]]:
        """Return the cells of one table by row.

        ``key`` is one of spans, rois, pairs, gold, drift, bias, time, load,
        overdue.
        """
        table = self._tables[key]
        return [
            [
                item.text() if (item := table.item(r, c)) is not None else ""
                for c in range(table.columnCount())
            ]
            for r in range(table.rowCount())
        ]

    def headers(self, key: str) -> list[str]:
        """Return the column headers of one table, as shown."""
        table = self._tables[key]
        return [
            item.text() if (item := table.horizontalHeaderItem(c)) is not None else ""
            for c in range(table.columnCount())
        ]


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("%"))
    except ValueError:
        return False
    return True
