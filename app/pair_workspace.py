"""The pair view of the main window: a judge's queue through the preference panel."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import translate_error
from app.item_views import ItemContext, ItemView, register_item_view
from app.preference.importing import ImportReport, import_pairs
from app.preference.judgements import (
    JUDGEMENT,
    RANKING,
    Judgement,
    current_rubrics,
    save_judgement,
)
from app.preference.queue import JudgeQueue, QueueEntry
from app.workflow import ShownRecords, shown_records
from storage.errors import HaiopsError
from storage.progress import Progress
from storage.project import Project
from storage.records import Revision
from widgets.preference_panel import LETTERS, PanelPair, PreferencePanel

if TYPE_CHECKING:
    from app.tasks import TaskRunner

logger = logging.getLogger(__name__)


class PairWorkspace(QWidget):
    """Shows a judge's queue one item at a time and stores each judgement.

    The judge is the signed-in user. Each item's responses are shown in the
    order drawn for this judge (:func:`app.preference.sides.side_order`);
    source labels and other judges' verdicts never reach the panel. Below
    it, a reviewer of a double-annotated item (and its judges once both
    submitted) sees every judge's judgement by author, in this user's A/B
    order (:func:`app.workflow.shown_records`); blind judges see nothing there.

    Parameters
    ----------
    project
        The signed-in project.
    item_id
        The item to start at; by default the first one not judged yet.
    parent
        The owning widget.
    """

    def __init__(
        self,
        project: Project,
        item_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.judge = project.user.user_id
        self.queue = JudgeQueue(project.records, self.judge)
        self.rubric_names = current_rubrics(project.records)
        self.panel = PreferencePanel(self)
        self.judgements_title = QLabel(self.tr("Judgements of this item"), self)
        self.judgements = QTreeWidget(self)
        self.judgements.setColumnCount(4)
        self.judgements.setHeaderLabels(
            [
                self.tr("Judge"),
                self.tr("Verdict"),
                self.tr("Strength"),
                self.tr("Rationale"),
            ]
        )
        self.judgements.setRootIsDecorated(False)
        self.judgements.setMaximumHeight(self.fontMetrics().lineSpacing() * 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel, 1)
        layout.addWidget(self.judgements_title)
        layout.addWidget(self.judgements)
        # Shown only while they list someone's judgement (a reviewer's view).
        self.judgements_title.hide()
        self.judgements.hide()
        self.panel.submitted.connect(self._save)
        self.panel.previous_requested.connect(self.show_previous)

        self.index = 0
        if item_id is not None:
            self.index = self.queue.index_of(item_id)
        else:
            self.index = self.queue.first_open() or 0
        if self.queue.entries:
            self.show_index(self.index)
        else:
            self.panel.show_problem(self.tr("There are no pairs to judge yet."))
        logger.info("pair queue opened with %d items", len(self.queue))

    def show_index(self, index: int) -> None:
        """Show the queue entry at ``index`` with the judge's earlier judgement."""
        self.index = index
        entry = self.queue.entries[index]
        previous = self.queue.judgement(index)
        self.panel.show_pair(
            PanelPair(
                title=entry.item.body.get("title", ""),
                prompt=[(t.role, t.content) for t in entry.pair.prompt],
                responses=[
                    (rid, entry.pair.response(rid).text)
                    for rid in entry.sides.positions
                ],
                rubric_names=self.rubric_names,
                rubric_labels=self._rubric_labels(),
                done=self.queue.done_count(),
                total=len(self.queue),
                position=index + 1,
                previous=None if previous is None else previous.body,
            )
        )
        self._show_judgements(entry)

    def _show_judgements(self, entry: QueueEntry) -> None:
        """List the judgements of other judges the user may see, by author."""
        shown = [
            shown_records(self.project, entry.item_id, record_type)
            for record_type in (JUDGEMENT, RANKING)
        ]
        self.judgements.clear()
        for records in shown:
            # Only where both sides show: a single judge's item stays as it
            # was (the judge's own judgement is in the panel).
            for record in records.records if records.by_author else ():
                self.judgements.addTopLevelItem(
                    QTreeWidgetItem(self._judgement_row(entry, records, record))
                )
        for column in range(3):
            self.judgements.resizeColumnToContents(column)
        has_rows = self.judgements.topLevelItemCount() > 0
        self.judgements_title.setVisible(has_rows)
        self.judgements.setVisible(has_rows)

    def _judgement_row(
        self, entry: QueueEntry, shown: ShownRecords, record: Revision
    ) -> list[str]:
        """Return judge, verdict in this user's A/B order, strength, rationale."""
        body = record.body
        letters = dict(zip(entry.sides.positions, LETTERS, strict=False))
        judge = shown.authors.get(record.record_id, record.author)
        if record.record_id in shown.adjudicated:
            judge = self.tr("adjudicated by {0}").format(judge)
        preferred = body.get("preferred")
        ranking = [str(rid) for rid in body.get("ranking") or ()]
        if record.record_type == RANKING and ranking:
            verdict = self.tr("Ranked {0}").format(
                " > ".join(letters.get(rid, "?") for rid in ranking)
            )
        elif preferred in letters:
            verdict = self.tr("{0} better").format(letters[preferred])
        else:
            verdict = self._verdict_names().get(
                str(body.get("verdict")), str(body.get("verdict"))
            )
        strength = self._strength_names().get(str(body.get("strength")), "")
        return [judge, verdict, strength, str(body.get("rationale") or "")]

    def _verdict_names(self) -> dict[str, str]:
        return {
            "tie": self.tr("Tie"),
            "both_bad": self.tr("Both bad"),
            "cannot_judge": self.tr("Cannot judge"),
        }

    def _strength_names(self) -> dict[str, str]:
        return {
            "slight": self.tr("Slight"),
            "clear": self.tr("Clear"),
            "strong": self.tr("Strong"),
        }

    def judgement_rows(self) -> list[list[str]]:
        """Return the judgements listed below the panel, column by column."""
        rows = []
        for index in range(self.judgements.topLevelItemCount()):
            item = self.judgements.topLevelItem(index)
            if item is not None:
                rows.append([item.text(column) for column in range(4)])
        return rows

    def _rubric_labels(self) -> dict[str, str]:
        """Return the translated names of the default rubrics."""
        return {
            "clinical_accuracy": self.tr("Clinical accuracy"),
            "safety": self.tr("Safety"),
            "helpfulness": self.tr("Helpfulness"),
            "completeness": self.tr("Completeness"),
        }

    def show_previous(self) -> None:
        """Go back one item without saving."""
        if self.index > 0:
            self.show_index(self.index - 1)

    def _save(self, fields: dict[str, Any]) -> None:
        """Store the panel's judgement, then move to the next unjudged item."""
        entry = self.queue.entries[self.index]
        earlier = self.queue.judgement(self.index)
        seconds = float(fields["seconds"])
        if earlier is not None:
            seconds += float(earlier.body.get("seconds", 0.0))
        judgement = Judgement(
            item_id=entry.item_id,
            positions=entry.sides.positions,
            sides_hmac=entry.sides.sides_hmac,
            verdict=fields["verdict"],
            strength=fields["strength"],
            ranking=fields["ranking"],
            rubrics=fields["rubrics"],
            flags=fields["flags"],
            rationale=fields["rationale"],
            seconds=seconds,
        )
        try:
            save_judgement(
                self.project.records,
                judgement,
                judge=self.judge,
                rubric_names=self.rubric_names,
            )
        except HaiopsError as error:
            what, hint = translate_error(error)
            self.panel.show_problem(f"{what} {hint}")
            return

        # Known shortcoming: judging leaves the item's worklist status as it
        # is: several judges share an item and revising it from each would
        # make sync conflicts.
        following = self.queue.first_open(self.index + 1)
        if following is None:
            following = min(self.index + 1, len(self.queue) - 1)
        self.show_index(following)

    def close_item(self) -> None:
        """Stop the panel's clock."""
        self.panel.stop_clock()


class PairItemView(ItemView):
    """The item view registered for worklist items of kind ``pair``."""

    def __init__(self, context: ItemContext) -> None:
        super().__init__(context.parent)
        self.workspace = PairWorkspace(
            context.project, context.item.record_id, parent=self
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.workspace)

    def showEvent(self, event: QShowEvent) -> None:
        """Give the keyboard to the panel: judging starts without a click."""
        super().showEvent(event)
        self.workspace.panel.setFocus()

    def tool_actions(self) -> list[QAction]:
        """Return the verdict, strength and next actions (keys in their tooltips)."""
        return list(self.workspace.panel.actions_by_name.values())

    def close_item(self) -> None:
        """Stop the clock of the open item."""
        self.workspace.close_item()


def import_summary(report: ImportReport) -> str:
    """Return the translated summary of an import: items, shapes, bad lines."""
    shapes = ", ".join(f"{n} {shape}" for shape, n in sorted(report.shapes.items()))
    lines = [
        QCoreApplication.translate(
            "PairImport", "{0} items imported from {1} ({2})."
        ).format(len(report.item_ids), report.path.name, shapes)
    ]
    for problem in report.problems[:20]:
        lines.append(
            QCoreApplication.translate("PairImport", "Line {0}: {1}").format(
                problem.fields.get("line"), problem.detail
            )
        )
    if len(report.problems) > 20:
        lines.append(
            QCoreApplication.translate(
                "PairImport", "... and {0} more bad lines."
            ).format(len(report.problems) - 20)
        )
    return "\n".join(lines)


def import_pairs_interactively(
    parent: QWidget | None,
    project: Project,
    tasks: TaskRunner,
    on_done: Callable[[ImportReport], None] | None = None,
) -> None:
    """Ask for a JSONL file and import it in the background (File menu action).

    Parameters
    ----------
    parent
        The main window.
    project
        The signed-in project.
    tasks
        The window's task runner: progress and Cancel in the status bar.
    on_done
        Called on the GUI thread after the summary was shown (to refresh the
        worklist).
    """
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("PairImport", "Import preference pairs"),
        "",
        QCoreApplication.translate("PairImport", "JSON Lines (*.jsonl *.json)"),
    )
    if not chosen:
        return
    path = Path(chosen)

    def work(progress: Progress) -> ImportReport:
        return import_pairs(project.records, path, progress)

    def done(report: ImportReport) -> None:
        box = QMessageBox.information if not report.problems else QMessageBox.warning
        box(
            parent,
            QCoreApplication.translate("PairImport", "Preference pairs imported"),
            import_summary(report),
        )
        if on_done is not None:
            on_done(report)

    tasks.run(
        QCoreApplication.translate("PairImport", "Importing preference pairs"),
        work,
        done,
    )


register_item_view("pair", PairItemView)
