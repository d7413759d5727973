"""The Review menu: my work, items awaiting review, adjudication, approve, reject."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.errors_ui import show_error
from app.i18n import translate_error
from app.workflow import (
    EDIT,
    Choice,
    Comparison,
    ItemState,
    QueueEntry,
    WorkflowError,
    adjudicate_item,
    approve_item,
    check_approver,
    check_reviewer,
    compare_item,
    item_state,
    my_work,
    reject_item,
    review_queue,
    submit_work,
)
from storage import states
from storage.errors import QT_TRANSLATE_NOOP, HaiopsError
from storage.labels import current_label_set
from widgets.review_panel import (
    ActionSignatureDialog,
    AdjudicationView,
    DifferenceRow,
    MyWorkPanel,
    ReviewPanel,
    ReviewRow,
    WorkRow,
    agreement_text,
)

if TYPE_CHECKING:
    from app.tasks import TaskRunner
    from storage.project import Project
    from storage.records import Revision

__all__ = ["describe_record", "install_review_actions", "review_actions_owner"]

logger = logging.getLogger(__name__)

ProjectGetter = Callable[[], "Project | None"]
_CONTEXT = "ReviewMenu"
_OWNER_NAME = "haiops-review-actions"
_SCOPES = {"series": "image", "document": "document"}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def describe_record(record: Revision | None, *, detail: bool = True) -> str:
    """Return one annotator's record as the adjudication view shows it.

    ROIs: label, kind, slice (1-based), area in mm² where known and, in
    detail, the image points (column, row); spans: label, text and
    code-point offsets; judgements: verdict, preferred response, strength
    and, in detail, the rationale. "" for no record; one line unless
    ``detail``.
    """
    if record is None:
        return ""
    body = record.body
    if record.record_type == "roi":
        parts = [
            str(body.get("label")),
            str(body.get("kind")),
            _tr("slice {n}").format(n=int(body.get("slice_index", 0)) + 1),
        ]
        area = (body.get("statistics") or {}).get("area_mm2")
        if isinstance(area, int | float):
            parts.append(f"{area:.1f} mm²")
        if detail:
            points = body.get("points_image") or []
            parts.append(_tr("points {points}").format(points=points))
        return ("\n" if detail else " · ").join(parts)
    if record.record_type == "span":
        offsets = ", ".join(f"{s}–{e}" for s, e in body.get("fragments") or [])
        text = f"{body.get('label')}: “{body.get('text', '')}” ({offsets})"
        code = body.get("code")
        if detail and isinstance(code, Mapping) and code:
            text += "\n" + ", ".join(f"{k} {v}" for k, v in sorted(code.items()))
        return text
    parts = [_tr("verdict {verdict}").format(verdict=body.get("verdict"))]
    if body.get("preferred"):
        parts.append(_tr("preferred {response}").format(response=body["preferred"]))
    if body.get("strength"):
        parts.append(str(body["strength"]))
    if body.get("ranking"):
        parts.append(" > ".join(str(r) for r in body["ranking"]))
    if detail and body.get("rationale"):
        parts.append(str(body["rationale"]))
    return ("\n" if detail else " · ").join(parts)


def difference_rows(comparison: Comparison) -> list[DifferenceRow]:
    """Return the comparison's differences as the adjudication view lists them."""
    return [
        DifferenceRow(
            index=i,
            record_type=pair.record_type,
            problems=pair.problems,
            left=describe_record(pair.left, detail=False),
            right=describe_record(pair.right, detail=False),
            overlap=pair.overlap,
            left_detail=describe_record(pair.left),
            right_detail=describe_record(pair.right),
        )
        for i, pair in enumerate(comparison.differences)
    ]


def _review_row(entry: QueueEntry) -> ReviewRow:
    state = entry.state
    agreement = entry.agreement
    return ReviewRow(
        item_id=state.item_id,
        title=state.title,
        kind=state.kind,
        status=state.status,
        annotators=state.annotators,
        due=state.due,
        needs_adjudication=entry.needs_adjudication,
        agreement_measure=None if agreement is None else agreement.measure,
        agreement_value=None if agreement is None else agreement.value,
    )


def _work_row(state: ItemState) -> WorkRow:
    return WorkRow(
        item_id=state.item_id,
        title=state.title,
        kind=state.kind,
        status=state.status,
        due=state.due,
        note=state.rejection_reason,
    )


class _Window(QDialog):
    """A non-modal window holding one review panel."""

    def __init__(self, parent: QWidget, title: str, panel: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.panel = panel
        layout = QVBoxLayout(self)
        layout.addWidget(panel)
        self.resize(820, 480)


class AdjudicationWindow(QDialog):
    """The adjudication view of one item; Ctrl+Enter opens the signature."""

    def __init__(
        self, owner: ReviewActions, project: Project, comparison: Comparison
    ) -> None:
        super().__init__(owner.main_window)
        self.owner = owner
        self.project = project
        self.comparison = comparison
        self.signature_dialog: ActionSignatureDialog | None = None
        state_title = str(project.records.head(comparison.item_id).body.get("title"))
        self.setWindowTitle(self.tr("Adjudicate {title}").format(title=state_title))
        self.view = AdjudicationView(
            state_title,
            comparison.annotator_a,
            comparison.annotator_b,
            difference_rows(comparison),
            agreement=agreement_text(
                comparison.agreement.measure, comparison.agreement.value
            ),
            agreeing=len(comparison.matches),
            edit=self.edit_body,
            parent=self,
        )
        self.view.finish_requested.connect(self.sign)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.resize(980, 620)

    def edit_body(self, index: int) -> Mapping[str, Any] | None:
        """Ask for the label of a record of the adjudicator's own (E).

        The record keeps the outline or offsets of A's record (B's where A
        made none) with the label chosen.
        """
        pair = self.comparison.differences[index]
        base = pair.left or pair.right
        if base is None:
            return None
        if pair.record_type not in ("roi", "span"):
            # Known shortcoming: a judgement of one's own is not written here;
            # the adjudicator takes A's or B's judgement.
            QMessageBox.information(
                self,
                self.tr("Own record"),
                self.tr("Take A's judgement (1) or B's (2)."),
            )
            return None
        scope = _SCOPES.get(self.comparison.kind, "image")
        names = {
            str(r.body.get("label")) for r in (pair.left, pair.right) if r is not None
        }
        names |= {
            label.name
            for label in current_label_set(self.project.records, scope).labels
        }
        choices = sorted(names)
        current = choices.index(str(base.body.get("label")))
        label, ok = QInputDialog.getItem(
            self, self.tr("Own record"), self.tr("Label"), choices, current, True
        )
        if not ok or not label.strip():
            return None
        return {**base.body, "label": label.strip()}

    def choices(self) -> dict[int, Choice]:
        """Return the view's decisions as the workflow takes them."""
        return {
            index: Choice(side, self.view.edited.get(index) if side == EDIT else None)
            for index, side in self.view.choices.items()
        }

    def sign(self) -> ActionSignatureDialog:
        """Open the signature (meaning reviewed) that writes the adjudication."""

        def run(password: str, user_id: str | None, reason: str | None) -> object:
            return adjudicate_item(
                self.project,
                self.comparison,
                self.choices(),
                reason=reason or "",
                password=password,
                user_id=user_id,
            )

        dialog = ActionSignatureDialog(
            self.project,
            [self.comparison.item_id],
            meaning="reviewed",
            sign=run,
            needs_reason=True,
            describe_error=translate_error,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._signed)
        self.signature_dialog = dialog
        dialog.open()
        return dialog

    def _signed(self) -> None:
        self.owner.after_decision(_tr("Adjudication signed."))
        self.accept()


class ReviewActions(QObject):
    """What the Review menu's actions do; one per main window."""

    def __init__(
        self,
        main_window: QWidget,
        project_getter: ProjectGetter,
        tasks: TaskRunner,
        open_item: Callable[[str], object],
    ) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self._project_getter = project_getter
        # Known shortcoming: the queue and comparisons are computed on the GUI
        # thread (a wait cursor shows); the project's connection belongs to it.
        self.tasks = tasks
        self._open_item = open_item
        self.queue_window: _Window | None = None
        self.work_window: _Window | None = None
        self.adjudication: AdjudicationWindow | None = None

    def _project(self) -> Project | None:
        project = self._project_getter()
        if project is None:
            self._say(_tr("Open a project first."))
        return project

    def _say(self, text: str) -> None:
        status_bar = getattr(self.main_window, "statusBar", None)
        if callable(status_bar):
            status_bar().showMessage(text, 10_000)

    def _target(self, item_id: str | None) -> str | None:
        if item_id is not None:
            return item_id
        if self.queue_window is not None and self.queue_window.isVisible():
            panel = self.queue_window.panel
            if isinstance(panel, ReviewPanel) and panel.selected_item_id():
                return panel.selected_item_id()
        current = getattr(self.main_window, "current_item", None)
        if current is not None:
            return str(current.record_id)
        self.show_queue()
        return None

    def _busy(self, work: Callable[[], Any]) -> Any:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QApplication.restoreOverrideCursor()

    # -- panels -------------------------------------------------------------

    def show_my_work(self) -> _Window | None:
        """Show the signed-in user's open items, earliest due first."""
        project = self._project()
        if project is None:
            return None
        try:
            states_found = my_work(project)
        except HaiopsError as error:
            show_error(self.main_window, error)
            return None
        if self.work_window is None:
            created = MyWorkPanel()
            created.open_requested.connect(self._open)
            self.work_window = _Window(self.main_window, _tr("My work"), created)
        panel = self.work_window.panel
        assert isinstance(panel, MyWorkPanel)
        panel.set_rows([_work_row(s) for s in states_found])
        self._raise(self.work_window)
        return self.work_window

    def show_queue(self) -> _Window | None:
        """Show the items awaiting review or adjudication, with agreement."""
        project = self._project()
        if project is None:
            return None
        try:
            entries = self._busy(lambda: review_queue(project))
        except HaiopsError as error:
            show_error(self.main_window, error)
            return None
        if self.queue_window is None:
            queue = ReviewPanel()
            queue.adjudicate_requested.connect(self.adjudicate)
            queue.approve_requested.connect(self.approve)
            queue.reject_requested.connect(self.reject)
            queue.open_requested.connect(self._open)
            self.queue_window = _Window(self.main_window, _tr("Awaiting review"), queue)
        panel = self.queue_window.panel
        assert isinstance(panel, ReviewPanel)
        panel.set_rows([_review_row(e) for e in entries])
        self._raise(self.queue_window)
        return self.queue_window

    def _raise(self, window: QDialog) -> None:
        window.show()
        window.raise_()
        window.activateWindow()

    def _open(self, item_id: str) -> None:
        self._open_item(item_id)

    def after_decision(self, message: str) -> None:
        """Refresh what shows the item's status after a signed decision."""
        self._say(message)
        refresh = getattr(self.main_window, "refresh_worklist", None)
        if callable(refresh):
            refresh()
        if self.queue_window is not None and self.queue_window.isVisible():
            self.show_queue()

    # -- decisions ----------------------------------------------------------

    def submit(self, item_id: str | None = None) -> bool:
        """Submit the signed-in annotator's work on the item (blind-safe).

        A double-annotated item stays in progress until every annotator has
        submitted; the main window's submit can call this instead of moving
        the item to submitted itself.

        Returns
        -------
        bool
            Whether the work was submitted (else the message was shown).
        """
        project = self._project()
        current = getattr(self.main_window, "current_item", None)
        target = item_id or (None if current is None else str(current.record_id))
        if project is None or target is None:
            return False
        try:
            submit_work(project, target)
            state = item_state(project, target)
        except HaiopsError as error:
            show_error(self.main_window, error)
            return False
        waiting = sorted(set(state.annotators) - set(state.submitted_by))
        if waiting:
            message = _tr("Submitted; waiting for {users}.").format(
                users=", ".join(waiting)
            )
        else:
            message = _tr("Submitted for review.")
        self.after_decision(message)
        return True

    def adjudicate(self, item_id: str | None = None) -> AdjudicationWindow | None:
        """Compare the item's two annotations and open the adjudication view."""
        project = self._project()
        target = self._target(item_id) if project is not None else None
        if project is None or target is None:
            return None
        try:
            comparison = self._busy(lambda: compare_item(project, target))
        except HaiopsError as error:
            show_error(self.main_window, error)
            return None
        if self.adjudication is not None:
            self.adjudication.close()
            self.adjudication.deleteLater()
        self.adjudication = AdjudicationWindow(self, project, comparison)
        self.adjudication.show()
        self.adjudication.view.table.setFocus()
        return self.adjudication

    def _decide(
        self, item_id: str | None, meaning: str
    ) -> ActionSignatureDialog | None:
        project = self._project()
        target = self._target(item_id) if project is not None else None
        if project is None or target is None:
            return None
        try:
            state = (
                check_approver(project, target)
                if meaning == "approved"
                else check_reviewer(project, target)
            )
            if state.status not in (states.SUBMITTED, states.REVIEWED):
                raise WorkflowError(
                    state.status, record=state.title, problem=f"it is {state.status}"
                )
        except HaiopsError as error:
            show_error(self.main_window, error)
            return None

        def run(password: str, user_id: str | None, reason: str | None) -> object:
            if meaning == "approved":
                return approve_item(
                    project, target, password=password, user_id=user_id, reason=reason
                )
            return reject_item(
                project, target, reason=reason or "", password=password, user_id=user_id
            )

        dialog = ActionSignatureDialog(
            project,
            [target],
            meaning=meaning,
            sign=run,
            needs_reason=meaning == "rejected",
            describe_error=translate_error,
            parent=self.main_window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        done = _tr("Item approved.") if meaning == "approved" else _tr("Item rejected.")
        dialog.accepted.connect(lambda: self.after_decision(done))
        dialog.open()
        return dialog

    def approve(self, item_id: str | None = None) -> ActionSignatureDialog | None:
        """Ask for the signature (meaning approved) that approves the item."""
        return self._decide(item_id, "approved")

    def reject(self, item_id: str | None = None) -> ActionSignatureDialog | None:
        """Ask for the reason and signature (meaning rejected) to reject the item."""
        return self._decide(item_id, "rejected")


_SPECS = (
    (
        QT_TRANSLATE_NOOP(_CONTEXT, "My work"),
        "show_my_work",
        "Ctrl+Shift+M",
        QT_TRANSLATE_NOOP(_CONTEXT, "Items assigned to you, earliest due first"),
    ),
    (
        QT_TRANSLATE_NOOP(_CONTEXT, "Awaiting review…"),
        "show_queue",
        "Ctrl+Shift+R",
        QT_TRANSLATE_NOOP(_CONTEXT, "Items waiting for review or adjudication"),
    ),
    (
        QT_TRANSLATE_NOOP(_CONTEXT, "Adjudicate…"),
        "adjudicate",
        "Ctrl+Shift+J",
        QT_TRANSLATE_NOOP(_CONTEXT, "Decide the differences of two annotators"),
    ),
    (
        QT_TRANSLATE_NOOP(_CONTEXT, "Approve…"),
        "approve",
        None,
        QT_TRANSLATE_NOOP(_CONTEXT, "Approve the item and sign"),
    ),
    (
        QT_TRANSLATE_NOOP(_CONTEXT, "Reject…"),
        "reject",
        None,
        QT_TRANSLATE_NOOP(_CONTEXT, "Reject the item with a reason and sign"),
    ),
)


def install_review_actions(
    main_window: QWidget,
    menu: QMenu,
    project_getter: ProjectGetter,
    tasks: TaskRunner,
    open_item: Callable[[str], object],
) -> list[QAction]:
    """Add the review workflow's actions to the Review menu and return them.

    Adds "My work" (Ctrl+Shift+M), "Awaiting review…" (Ctrl+Shift+R),
    "Adjudicate…" (Ctrl+Shift+J), "Approve…" and "Reject…". Decisions act
    on the item selected in the review window, else on the main window's
    ``current_item``; without either the review window opens.

    Parameters
    ----------
    main_window
        The main window (parent of the windows and messages).
    menu
        The Review menu.
    project_getter
        Returns the signed-in project, or None when none is open.
    tasks
        The main window's task runner.
    open_item
        Opens a worklist item in the main window by its item ID.

    Returns
    -------
    list of QAction
        The actions, in menu order (for the keyboard shortcuts list).
    """
    owner = ReviewActions(main_window, project_getter, tasks, open_item)
    owner.setObjectName(_OWNER_NAME)
    actions = []
    for text, method, shortcut, tip in _SPECS:
        action = QAction(_tr(text), main_window)
        tip_text = _tr(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            tip_text += f" ({shortcut})"
        action.setToolTip(tip_text)
        action.setStatusTip(tip_text)
        slot = getattr(owner, method)
        action.triggered.connect(lambda _checked=False, run=slot: run())
        menu.addAction(action)
        actions.append(action)
    return actions


def review_actions_owner(main_window: QWidget) -> ReviewActions | None:
    """Return what :func:`install_review_actions` installed on ``main_window``."""
    return main_window.findChild(ReviewActions, _OWNER_NAME)
