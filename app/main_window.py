"""The main window: worklist left, the open item's viewer centre, its panel right."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import app
from app.errors_ui import show_error
from app.i18n import install_translator, translate_error
from app.item_views import (
    ItemContext,
    ItemView,
    PlaceholderView,
    load_workspaces,
    view_factory,
)
from app.logs import short_hash
from app.session import LockDialog, Session
from app.settings import Settings
from app.tasks import TaskRunner
from resources.theme import apply_theme
from storage.errors import HaiopsError
from widgets.audit_viewer import AuditViewer
from widgets.label_set_dialog import LabelSetDialog
from widgets.quality_dashboard import QualityDashboard
from widgets.shortcuts_dialog import ShortcutsDialog
from widgets.signature_dialog import SignatureDialog
from widgets.worklist import WorklistPanel

if TYPE_CHECKING:
    from storage.project import Project
    from storage.records import Revision

logger = logging.getLogger(__name__)

# Menus that other modules fill: module, install function, owner lookup.
_EXTENSIONS = {
    "sync": ("app.sync_ui", "install_sync_actions", "sync_actions_owner"),
    "review": ("app.review_ui", "install_review_actions", "review_actions_owner"),
}
# The windows those modules' action owners keep open.
_OWNER_WINDOWS = ("window", "queue_window", "work_window", "adjudication")


def _is_busy(owner: object) -> bool:
    sync_window = getattr(owner, "window", None)
    if sync_window is not None and getattr(sync_window, "is_running", False):
        return True
    adjudication = getattr(owner, "adjudication", None)
    return isinstance(adjudication, QWidget) and adjudication.isVisible()


LICENCE = "GNU General Public License v3.0 or later (GPL-3.0-or-later)"


class MainWindow(QMainWindow):
    """The workstation's window for one signed-in session.

    Parameters
    ----------
    session
        The signed-in session (its project stays open while the window lives).
    settings
        The user's settings (layout, theme, language, recent projects).
    """

    switchProjectRequested = Signal(object)  # a Path, or None for the sign-in dialog
    itemOpened = Signal(str)

    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__()
        self.session = session
        self.project = session.project
        self.settings = settings
        self.tasks = TaskRunner(self)
        self.current_item: Revision | None = None
        self._panel_dock_hidden_for_view = False
        self.current_view: ItemView = PlaceholderView(parent=self)
        self._view_actions: list[QAction] = []
        self._silenced: dict[QAction, list[QKeySequence]] = {}
        self._hidden_for_lock: list[QWidget] = []
        self._lock_dialog: LockDialog | None = None
        self._undo_stack: QUndoStack | None = None
        self._extensions: dict[str, list[QAction]] = {}
        self._is_closed = False
        self._full_screen_docks: list[QDockWidget] = []
        self.setObjectName("MainWindow")
        self.resize(1280, 800)

        self._build_centre()
        self._build_docks()
        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._retranslate_texts()
        load_workspaces()

        self.worklist.itemOpened.connect(self.open_item)
        self.tasks.taskFinished.connect(lambda _title: self.refresh_worklist())
        self.session.lockedChanged.connect(self._on_locked_changed)
        self.refresh_worklist()
        self._restore_layout()
        self._announce_alerts()
        logger.info(
            "main window opened on project %s", short_hash(self.project.project_id)
        )

    # -- building -------------------------------------------------------------

    def _build_centre(self) -> None:
        self.centre = QWidget(self)
        self.centre.setObjectName("Centre")
        layout = QVBoxLayout(self.centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.current_view)
        self.setCentralWidget(self.centre)

    def _build_docks(self) -> None:
        self.worklist = WorklistPanel(self)
        self.worklist_dock = QDockWidget(self)
        self.worklist_dock.setObjectName("WorklistDock")
        self.worklist_dock.setWidget(self.worklist)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.worklist_dock)

        self.panel_placeholder = QLabel(self)
        self.panel_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.panel_placeholder.setEnabled(False)
        self.panel_placeholder.setMinimumWidth(240)
        self.panel_dock = QDockWidget(self)
        self.panel_dock.setObjectName("PanelDock")
        self.panel_dock.setWidget(self.panel_placeholder)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel_dock)

        self.tool_bar = QToolBar(self)
        self.tool_bar.setObjectName("ViewerToolBar")
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.tool_bar)
        self.tool_bar.setVisible(False)  # shown with the actions of an open item

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        tip = tip or text.replace("&", "").rstrip("…")
        if not action.shortcut().isEmpty():
            key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({key})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if callable(slot):
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.open_series_action = self._action(
            self.tr("Open series folder…"),
            self.open_series_folder,
            QKeySequence.StandardKey.Open,
        )
        self.import_labels_action = self._action(
            self.tr("Import label set…"), self.import_label_set
        )
        self.import_documents_action = self._action(
            self.tr("Import documents…"), lambda: self.import_documents()
        )
        self.import_pairs_action = self._action(
            self.tr("Import preference pairs…"), self.import_preference_pairs
        )
        self.load_meddra_action = self._action(
            self.tr("Load MedDRA…"), self.load_meddra
        )
        self.quit_action = self._action(self.tr("Quit"), self.close, "Ctrl+Q")
        self.undo_action = self._action(
            self.tr("Undo"), None, QKeySequence.StandardKey.Undo
        )
        self.redo_action = self._action(self.tr("Redo"), None, "Ctrl+Shift+Z")
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.full_screen_action = self._action(
            self.tr("Full-screen viewer"), self.toggle_full_screen, "F11"
        )
        self.full_screen_action.setCheckable(True)
        self.next_item_action = self._action(
            self.tr("Next item"), lambda: self._step_item(1), "Ctrl+PgDown"
        )
        self.previous_item_action = self._action(
            self.tr("Previous item"), lambda: self._step_item(-1), "Ctrl+PgUp"
        )
        self.refresh_action = self._action(
            self.tr("Refresh worklist"), self.refresh_worklist, "F5"
        )
        self.image_labels_action = self._action(
            self.tr("Image label set…"), lambda: self.edit_label_set("image")
        )
        self.document_labels_action = self._action(
            self.tr("Document label set…"), lambda: self.edit_label_set("document")
        )
        self.idle_action = self._action(
            self.tr("Lock screen after…"), self.choose_idle_minutes
        )
        self.lock_action = self._action(
            self.tr("Lock screen"), self.session.lock, "Ctrl+L"
        )
        self.submit_action = self._action(
            self.tr("Submit item for review"),
            self.submit_item,
            "Ctrl+Shift+S",
        )
        self.review_action = self._action(
            self.tr("Mark reviewed…"), lambda: self.review_item("reviewed")
        )
        self.approve_action = self._action(
            self.tr("Approve…"), lambda: self.review_item("approved")
        )
        self.reject_action = self._action(
            self.tr("Reject…"), lambda: self.review_item("rejected")
        )
        self.sign_action = self._action(
            self.tr("Sign item…"), self.sign_item, "Ctrl+Shift+G"
        )
        self.audit_action = self._action(self.tr("Audit trail…"), self.show_audit_trail)
        self.alerts_action = self._action(self.tr("Account alerts…"), self.show_alerts)
        self.alerts_action.setVisible(
            bool({"site_lead", "admin"} & set(self.project.user.roles))
        )
        self.quality_action = self._action(
            self.tr("Quality dashboard…"), self.show_quality
        )
        self.shortcuts_action = self._action(
            self.tr("Keyboard shortcuts"), self.show_shortcuts, "Ctrl+/"
        )
        self.about_action = self._action(
            self.tr("About HAIOps Workstation"), self.show_about
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.open_series_action)
        file_menu.addAction(self.import_labels_action)
        file_menu.addAction(self.import_documents_action)
        file_menu.addAction(self.import_pairs_action)
        self.recent_menu = file_menu.addMenu(self.tr("Recent projects"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.full_screen_action)
        view_menu.addAction(self.worklist_dock.toggleViewAction())
        view_menu.addAction(self.panel_dock.toggleViewAction())
        view_menu.addAction(self.tool_bar.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.next_item_action)
        view_menu.addAction(self.previous_item_action)
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(self.tr("Theme"))
        self._choices(
            theme_menu,
            [("dark", self.tr("Dark")), ("light", self.tr("Light"))],
            self.settings.theme,
            self.set_theme,
        )
        language_menu = view_menu.addMenu(self.tr("Language"))
        # Each language is named in itself, so a user can find their own.
        self._choices(
            language_menu,
            [("en", "English"), ("ja", "日本語")],
            self.settings.language,
            self.set_language,
        )

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self.image_labels_action)
        tools_menu.addAction(self.document_labels_action)
        tools_menu.addAction(self.quality_action)
        tools_menu.addAction(self.load_meddra_action)
        tools_menu.addAction(self.alerts_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.lock_action)
        tools_menu.addAction(self.idle_action)
        self.tools_menu = tools_menu

        self.review_menu = bar.addMenu(self.tr("&Review"))
        self.review_menu.addAction(self.submit_action)
        if not self._extension_actions("review", self.review_menu):
            # Without the review workflow module: the plain signed moves.
            self.review_menu.addAction(self.review_action)
            self.review_menu.addAction(self.approve_action)
            self.review_menu.addAction(self.reject_action)
        self.review_menu.addSeparator()
        self.review_menu.addAction(self.sign_action)
        self.review_menu.addAction(self.audit_action)

        self.sync_menu = bar.addMenu(self.tr("&Sync"))
        if not self._extension_actions("sync", self.sync_menu):
            note = self.sync_menu.addAction(
                self.tr("Sync with haiops sync push / pull")
            )
            note.setEnabled(False)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

    def _extension_actions(self, name: str, menu: QMenu) -> bool:
        # app.sync_ui and app.review_ui (other engineers') fill the Sync and
        # Review menus; a missing or broken module leaves the plain menu.
        kept = self._extensions.get(name)
        if kept:
            menu.addActions(kept)
            return True
        module_name, install_name, _ = _EXTENSIONS[name]
        try:
            install = getattr(importlib.import_module(module_name), install_name)
            extra = (self.open_item,) if name == "review" else ()
            actions: list[QAction] = install(
                self, menu, self._open_project, self.tasks, *extra
            )
        except Exception:  # one broken module must not stop the window
            logger.exception("%s actions not available", name)
            return False
        self._extensions[name] = actions
        return True

    def _drop_extension_actions(self) -> None:
        # Before the menus are built again in another language. Work in
        # progress (a sync running, an adjudication open) keeps its window and
        # actions; their texts change at the next start.
        for name, actions in list(self._extensions.items()):
            module_name, _, owner_name = _EXTENSIONS[name]
            module = importlib.import_module(module_name)
            owner = getattr(module, owner_name)(self)
            if owner is not None and _is_busy(owner):
                continue
            if owner is not None:
                for window_name in _OWNER_WINDOWS:
                    window = getattr(owner, window_name, None)
                    if isinstance(window, QWidget):
                        window.close()
                        window.deleteLater()
                owner.setObjectName("")
                owner.deleteLater()
            for action in actions:
                action.deleteLater()
            del self._extensions[name]

    def _open_project(self) -> Project | None:
        return self.project if self.project.connection is not None else None

    def _choices(
        self,
        menu: QMenu,
        options: list[tuple[str, str]],
        current: str,
        choose: Callable[[str], None],
    ) -> None:
        group = QActionGroup(menu)
        group.setExclusive(True)
        for value, text in options:
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(value == current)
            action.setData(value)
            group.addAction(action)
        group.triggered.connect(lambda action: choose(str(action.data())))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(self)
        self.project_label = QLabel(self)
        self.sync_label = QLabel(self)
        for label in (self.user_label, self.project_label, self.sync_label):
            label.setContentsMargins(6, 0, 12, 0)
            bar.addWidget(label)
        bar.addPermanentWidget(self.tasks.status_widget)

    def _retranslate_texts(self) -> None:
        # Texts of the window's own widgets; actions and menus get theirs when
        # they are built.
        self.setWindowTitle(
            self.tr("{project} - HAIOps Workstation").replace(
                "{project}", self.project.name
            )
        )
        self.worklist_dock.setWindowTitle(self.tr("Worklist"))
        self.panel_dock.setWindowTitle(self.tr("Annotation"))
        self.tool_bar.setWindowTitle(self.tr("Viewer tools"))
        self.panel_placeholder.setText(self.tr("Nothing to annotate yet."))
        self.user_label.setText(
            self.tr("Signed in: {name}").replace(
                "{name}", self.project.user.printed_name
            )
        )
        self.project_label.setText(
            self.tr("Project: {name}").replace("{name}", self.project.name)
        )
        self.sync_label.setText(self.tr("Sync: not set up"))
        self.tasks.status_widget.retranslate()
        self.worklist.retranslate()

    def retranslate(self) -> None:
        """Show every text of the window in the current language.

        Actions and menus are built again, and the open item is opened again
        so that its view is built in the new language too (its work is saved
        as it goes, so nothing is lost).
        """
        item_id = self.current_item.record_id if self.current_item else None
        self._close_view()
        for action in self.actions():
            self.removeAction(action)
            action.deleteLater()
        for menu in self.menuBar().findChildren(QMenu):
            menu.deleteLater()
        self.menuBar().clear()
        self._drop_extension_actions()

        self._build_actions()
        self._build_menus()
        self._retranslate_texts()
        self.refresh_worklist()
        if item_id is not None:
            self.open_item(item_id)
        else:
            self._show_view(PlaceholderView(parent=self))

    def refresh_sync_state(self) -> None:
        """Show the sync state (last sync, changes not sent) in the status bar."""
        if "sync" not in self._extensions:
            return
        from app.sync_ui import sync_actions_owner

        owner = sync_actions_owner(self)
        if owner is not None:
            owner.update_status()

    def set_sync_state(self, text: str) -> None:
        """Show ``text`` (translated) as the sync state in the status bar.

        Parameters
        ----------
        text
            For example the time of the last sync and the bundles waiting.
        """
        self.sync_label.setText(text)

    # -- worklist and items -----------------------------------------------------

    def refresh_worklist(self) -> None:
        """Read the project's items again and show them in the worklist."""
        from storage.items import list_items

        if self.project.connection is None:
            return
        items = list_items(self.project.records)
        self.worklist.set_items(items)
        self.refresh_sync_state()
        logger.info("worklist shows %d items", len(items))

    def open_item(self, item_id: str) -> None:
        """Open the item ``item_id`` in the centre with its kind's view.

        Parameters
        ----------
        item_id
            The item's record ID.
        """
        item = self.project.records.head(item_id)
        kind = str(item.body.get("kind", ""))
        factory = view_factory(kind)
        self._close_view()

        view: ItemView
        if factory is None:
            view = PlaceholderView(
                self.tr("No viewer for items of kind {kind} is installed.").replace(
                    "{kind}", kind
                ),
                self,
            )
        else:
            context = ItemContext(self.project, item, self.tasks, self)
            try:
                view = factory(context)
            except Exception as error:  # noqa: BLE001 -- shown, the window stays usable
                show_error(self, error)
                view = PlaceholderView(parent=self)
        self._show_view(view)
        self.current_item = item
        self.worklist.select_item(item_id)
        logger.info("opened item %s of kind %s", short_hash(item_id), kind)
        self.itemOpened.emit(item_id)

    def _show_view(self, view: ItemView) -> None:
        self.current_view = view
        layout = self.centre.layout()
        assert layout is not None
        layout.addWidget(view)

        panel = view.side_panel()
        self.panel_dock.setWidget(
            panel if panel is not None else self.panel_placeholder
        )
        # A view with nothing for the right dock (the pair view) gets its room;
        # the dock comes back when the view closes.
        self._panel_dock_hidden_for_view = (
            panel is None
            and not isinstance(view, PlaceholderView)
            and self.panel_dock.isVisible()
        )
        if self._panel_dock_hidden_for_view:
            self.panel_dock.hide()
        self._view_actions = view.tool_actions()
        self._silence_clashing_shortcuts(self._view_actions)
        self.tool_bar.clear()
        self.tool_bar.setVisible(bool(self._view_actions))
        for action in self._view_actions:
            self.tool_bar.addAction(action)
            # Keys keep working when the toolbar is hidden (full-screen viewer).
            self.addAction(action)
        self._connect_undo(view)
        view.setFocus()

    def _close_view(self) -> None:
        view = self.current_view
        try:
            view.close_item()
        except Exception as error:  # noqa: BLE001 -- shown, the window stays usable
            show_error(self, error)
        for action in self._view_actions:
            self.removeAction(action)
        self._view_actions = []
        self._restore_silenced()
        self.tool_bar.clear()
        self.tool_bar.setVisible(False)
        panel = self.panel_dock.widget()
        if panel is not self.panel_placeholder:
            self.panel_dock.setWidget(self.panel_placeholder)
            if panel is not None:
                # The side panel belongs to the view and goes with it.
                panel.hide()
                panel.deleteLater()
        if self._panel_dock_hidden_for_view:
            self.panel_dock.show()
            self._panel_dock_hidden_for_view = False
        self._disconnect_undo()
        view.hide()
        view.setParent(None)
        view.deleteLater()
        self.current_item = None

    def _silence_clashing_shortcuts(self, view_actions: list[QAction]) -> None:
        # Two actions with one key fire neither in Qt; the view's wins.
        taken = {key for action in view_actions for key in action.shortcuts()}
        for action in self.actions():
            if action in view_actions:
                continue
            keys = action.shortcuts()
            if any(key in taken for key in keys):
                self._silenced[action] = keys
                action.setShortcuts([key for key in keys if key not in taken])

    def _restore_silenced(self) -> None:
        for action, keys in self._silenced.items():
            action.setShortcuts(keys)
        self._silenced = {}

    def _connect_undo(self, view: ItemView) -> None:
        # A view with a QUndoStack named undo_stack gets Edit > Undo/Redo.
        from PySide6.QtGui import QUndoStack

        stack = getattr(view, "undo_stack", None)
        if not isinstance(stack, QUndoStack):
            return
        self._undo_stack = stack
        self.undo_action.triggered.connect(stack.undo)
        self.redo_action.triggered.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())

    def _disconnect_undo(self) -> None:
        stack = self._undo_stack
        self._undo_stack = None
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        if stack is None:
            return
        self.undo_action.triggered.disconnect(stack.undo)
        self.redo_action.triggered.disconnect(stack.redo)
        stack.canUndoChanged.disconnect(self.undo_action.setEnabled)
        stack.canRedoChanged.disconnect(self.redo_action.setEnabled)

    def _step_item(self, step: int) -> None:
        item_id = self.worklist.move_selection(step)
        if item_id:
            self.open_item(item_id)

    def set_status(self, status: str, reason: str | None = None) -> None:
        """Set the open item's status (for example submitted for review).

        Parameters
        ----------
        status
            One of storage.items.STATUSES.
        reason
            Why, where the move needs one (a rejection).
        """
        from storage.items import set_item_status

        if self.current_item is None:
            return
        item_id = self.current_item.record_id
        try:
            set_item_status(self.project.records, item_id, status, reason=reason)
        except Exception as error:  # noqa: BLE001 -- shown, the window stays usable
            show_error(self, error)
            return
        self.current_item = self.project.records.head(item_id)
        self.refresh_worklist()

    def submit_item(self) -> None:
        """Submit the signed-in annotator's work on the open item.

        With two annotators the item moves to submitted once both have
        submitted (app.workflow); each sees only their own records until then.
        """
        if self.current_item is None:
            return
        item_id = self.current_item.record_id
        if "review" in self._extensions:
            # The review module says who is still to submit in the status bar.
            from app.review_ui import review_actions_owner

            owner = review_actions_owner(self)
            if owner is not None:
                owner.submit(item_id)
                self.current_item = self.project.records.head(item_id)
                return
        try:
            from app.workflow import submit_work
        except ImportError:
            self.set_status("submitted")
            return
        try:
            submit_work(self.project, item_id)
        except HaiopsError as error:
            show_error(self, error)
            return
        self.current_item = self.project.records.head(item_id)
        self.refresh_worklist()

    def _submitter(self, item_id: str) -> str | None:
        # Who moved the item to submitted last: they may not review it.
        submitter = None
        previous = None
        for revision in self.project.records.history(item_id):
            status = revision.body.get("status")
            if status == "submitted" and previous != "submitted":
                submitter = revision.author
            previous = status
        return submitter

    def review_item(self, status: str) -> SignatureDialog | None:
        """Sign the open item with the meaning ``status``, then move it there.

        The move is checked before the signature dialog opens, so that a
        refused move leaves no signature behind.

        Parameters
        ----------
        status
            ``"reviewed"``, ``"approved"`` or ``"rejected"``.

        Returns
        -------
        SignatureDialog or None
            The open dialog, or None when no item is open or the move is
            refused (the message is shown).
        """
        from storage.states import check_transition

        if self.current_item is None:
            return None
        item_id = self.current_item.record_id
        old = str(self.project.records.head(item_id).body.get("status"))
        try:
            # The reason is asked for by the signature dialog.
            check_transition(
                item_id,
                old,
                status,
                user_id=self.project.user.user_id,
                submitter=self._submitter(item_id),
                reason="given in the signature",
            )
        except HaiopsError as error:
            show_error(self, error)
            return None

        dialog = SignatureDialog(
            self.project,
            [item_id],
            meaning=status,
            describe_error=translate_error,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self.set_status(status, dialog.reason_edit.text().strip() or None)
        )
        dialog.open()
        return dialog

    def sign_item(self) -> SignatureDialog | None:
        """Sign the open item with a meaning the user chooses.

        Returns
        -------
        SignatureDialog or None
            The open dialog, or None when no item is open.
        """
        if self.current_item is None:
            return None
        dialog = SignatureDialog(
            self.project,
            [self.current_item.record_id],
            describe_error=translate_error,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_audit_trail(self) -> QDialog:
        """Show the project's audit trail (every look at it is recorded).

        Returns
        -------
        QDialog
            The window holding the audit viewer.
        """
        viewer = AuditViewer(self.project)
        if self.current_item is not None:
            viewer.show_record(self.current_item.record_id)
        return self._panel_window(viewer, self.tr("Audit trail"))

    def show_quality(self) -> QDialog:
        """Show the quality dashboard of the project.

        Returns
        -------
        QDialog
            The window holding the dashboard.
        """
        from app.quality import build_report

        dashboard = QualityDashboard(
            self.project, build_report=build_report, describe_error=translate_error
        )
        # Known shortcoming: the figures are computed on the GUI thread (a wait
        # cursor shows), because the project's connection is used from it only.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dashboard.refresh()
        finally:
            QApplication.restoreOverrideCursor()
        return self._panel_window(dashboard, self.tr("Quality"))

    def show_alerts(self) -> AlertsDialog:
        """Show the account alerts (locked accounts) to a site lead or admin.

        Returns
        -------
        AlertsDialog
            The open dialog.
        """
        dialog = AlertsDialog(self.project, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _announce_alerts(self) -> None:
        if not self.alerts_action.isVisible():
            return
        from storage.accounts import list_alerts

        count = len(list_alerts(self.project))
        if count:
            self.statusBar().showMessage(
                self.tr(
                    "Account alerts waiting: {count} (Tools > Account alerts)"
                ).replace("{count}", str(count)),
                30_000,
            )

    def _panel_window(self, panel: QWidget, title: str) -> QDialog:
        window = QDialog(self)
        window.setWindowTitle(title)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(window)
        layout.addWidget(panel)
        window.resize(900, 600)
        window.open()
        return window

    # -- menu actions -----------------------------------------------------------

    def open_series_folder(
        self, folder: Path | None = None, *, open_first: bool = False
    ) -> None:
        """Scan a folder of DICOM files in the background and add its series.

        Parameters
        ----------
        folder
            The folder; asked for with a dialog when not given.
        open_first
            Open the first newly imported series in the centre and select it
            in the worklist once the import is done (``haiops open FOLDER``).
        """
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(
                self, self.tr("Open series folder")
            )
            if not chosen:
                return
            folder = Path(chosen)
        try:
            workspace = importlib.import_module("app.series_workspace")
        except ImportError:
            QMessageBox.information(
                self,
                self.tr("Open series folder"),
                self.tr("The series viewer is not installed in this build."),
            )
            return

        # No item is open during an import; it uses the project, tasks and parent.
        context = ItemContext(
            self.project, cast("Revision", self.current_item), self.tasks, self
        )
        try:
            workspace.import_series_folder(
                context,
                folder,
                on_done=self._open_first_imported if open_first else None,
            )
        except Exception as error:  # noqa: BLE001 -- shown, the window stays usable
            show_error(self, error)
        self.refresh_worklist()

    def _open_first_imported(self, items: list[Revision]) -> None:
        # Only series new to the project are passed; a folder imported before
        # leaves the centre as it was.
        if not items or self._is_closed:
            return
        self.refresh_worklist()
        self.worklist.select_item(items[0].record_id)
        self.open_item(items[0].record_id)

    def import_documents(self, paths: list[Path] | None = None) -> None:
        """File > Import documents: add PDF and text files as worklist items.

        Parameters
        ----------
        paths
            The files; asked for with a dialog when not given.
        """
        from app.document_workspace import import_document_files

        if paths is None:
            chosen, _ = QFileDialog.getOpenFileNames(
                self,
                self.tr("Import documents"),
                "",
                self.tr("Documents (*.pdf *.txt)"),
            )
            if not chosen:
                return
            paths = [Path(name) for name in chosen]
        import_document_files(
            self,
            self.project,
            self.tasks,
            paths,
            on_done=lambda _items: self.refresh_worklist(),
        )

    def import_preference_pairs(self) -> None:
        """File > Import preference pairs: read a JSONL file of pairs."""
        from app.pair_workspace import import_pairs_interactively

        import_pairs_interactively(
            self,
            self.project,
            self.tasks,
            on_done=lambda _report: self.refresh_worklist(),
        )

    def load_meddra(self) -> None:
        """Tools > Load MedDRA: load a MedDRA release folder into the project."""
        from app.document_workspace import load_meddra_interactively

        load_meddra_interactively(self, self.project, self.tasks)

    def import_label_set(
        self, path: Path | None = None, scope: str | None = None
    ) -> None:
        """Read labels from a JSON file into the label set editor of a scope.

        Parameters
        ----------
        path
            The JSON file; asked for with a dialog when not given.
        scope
            ``"image"`` or ``"document"``; asked for when not given.
        """
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import label set"), "", self.tr("Label sets (*.json)")
            )
            if not chosen:
                return
            path = Path(chosen)
        if scope is None:
            names = [self.tr("Images"), self.tr("Documents")]
            name, ok = QInputDialog.getItem(
                self,
                self.tr("Import label set"),
                self.tr("Use the labels for"),
                names,
                0,
                False,
            )
            if not ok:
                return
            scope = "image" if name == names[0] else "document"
        dialog = self.edit_label_set(scope, show=False)
        if dialog is not None and dialog.import_json(path):
            dialog.open()

    def edit_label_set(self, scope: str, *, show: bool = True) -> LabelSetDialog | None:
        """Open the label set editor for ``scope``.

        Parameters
        ----------
        scope
            ``"image"`` or ``"document"``.
        show
            Open the dialog now (otherwise the caller opens it).

        Returns
        -------
        LabelSetDialog or None
            The dialog, or None when the label set could not be read.
        """
        from storage.labels import current_label_set

        try:
            label_set = current_label_set(self.project.records, scope)
        except Exception as error:  # noqa: BLE001 -- shown, the window stays usable
            show_error(self, error)
            return None
        dialog = LabelSetDialog(self.project.records, label_set, translate_error, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if show:
            dialog.open()
        return dialog

    def choose_idle_minutes(self, minutes: int | None = None) -> None:
        """Set the minutes without input before the screen locks, and remember them.

        The site's policy is the upper limit.

        Parameters
        ----------
        minutes
            The new timeout; asked for with a dialog when not given.
        """
        limit = self.project.policy.idle_minutes
        if minutes is None:
            minutes, ok = QInputDialog.getInt(
                self,
                self.tr("Lock screen after"),
                self.tr("Minutes without input (at most {limit}):").replace(
                    "{limit}", str(limit)
                ),
                self.session.idle_msecs // 60_000,
                1,
                limit,
            )
            if not ok:
                return
        minutes = max(1, min(minutes, limit))
        self.settings.idle_minutes = minutes
        self.session.set_idle_minutes(minutes)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for folder in self.settings.recent_projects:
            action = self.recent_menu.addAction(str(folder))
            action.triggered.connect(
                lambda _checked=False, f=folder: self.switchProjectRequested.emit(f)
            )
        if not self.recent_menu.actions():
            self.recent_menu.addAction(self.tr("No recent projects")).setEnabled(False)

    def toggle_full_screen(self) -> None:
        """Show only the viewer on the whole screen, or go back (F11)."""
        if self.isFullScreen():
            for dock in self._full_screen_docks:
                dock.show()
            self._full_screen_docks = []
            self.showNormal()
            self.full_screen_action.setChecked(False)
            return
        self._full_screen_docks = [
            dock for dock in (self.worklist_dock, self.panel_dock) if dock.isVisible()
        ]
        for dock in self._full_screen_docks:
            dock.hide()
        self.showFullScreen()
        self.full_screen_action.setChecked(True)

    def set_theme(self, theme: str) -> None:
        """Switch to the ``"dark"`` or ``"light"`` theme and remember it.

        Parameters
        ----------
        theme
            The theme name.
        """
        self.settings.theme = theme
        application = QApplication.instance()
        if isinstance(application, QApplication):
            apply_theme(application, theme)

    def set_language(self, language: str) -> None:
        """Switch the interface language now and remember it.

        Parameters
        ----------
        language
            ``"en"`` or ``"ja"``.
        """
        if language == self.settings.language:
            return
        self.settings.language = language
        install_translator(language)
        self.retranslate()

    def all_actions(self) -> list[QAction]:
        """Return the window's actions and the open view's, for the shortcuts list.

        Returns
        -------
        list of QAction
            Every action the user can trigger now.
        """
        # Views and panels may keep actions of their own (label keys, tools).
        extension_actions = [a for kept in self._extensions.values() for a in kept]
        found = [*self.actions(), *extension_actions, *self._view_actions]
        found.extend(self.findChildren(QAction))
        return list(dict.fromkeys(found))

    def show_shortcuts(self) -> ShortcutsDialog:
        """Show Help > Keyboard shortcuts.

        Returns
        -------
        ShortcutsDialog
            The dialog (open).
        """
        dialog = ShortcutsDialog(self.all_actions(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        """Show Help > About with the version and the licence."""
        QMessageBox.about(
            self,
            self.tr("About HAIOps Workstation"),
            self.tr(
                "HAIOps Workstation {version}\n\n"
                "Annotation for regulated healthcare AI: DICOM series, documents "
                "and preference pairs, kept in an encrypted project with an "
                "audit trail.\n\nLicence: {licence}\n\n"
                "It uses PyMuPDF, which is licensed under the GNU Affero General "
                "Public License v3.0 (AGPL-3.0); the combined distribution follows "
                "the AGPL-3.0 terms."
            )
            .replace("{version}", app.__version__)
            .replace("{licence}", LICENCE),
        )

    # -- lock and layout --------------------------------------------------------

    def _on_locked_changed(self, locked: bool) -> None:
        if locked:
            # Nothing with data stays on screen behind the lock dialog.
            # Open windows of the project (sync, audit trail, label sets) too.
            windows: list[QWidget] = [
                self.centre,
                self.worklist_dock,
                self.panel_dock,
                self.tool_bar,
                *self.findChildren(QDialog),
            ]
            self._hidden_for_lock = [w for w in windows if w.isVisible()]
            for widget in self._hidden_for_lock:
                widget.hide()
            self._lock_dialog = LockDialog(self.session, self)
            self._lock_dialog.rejected.connect(self.close)
            self._lock_dialog.open()
            return
        for widget in self._hidden_for_lock:
            widget.show()
        self._hidden_for_lock = []
        self._lock_dialog = None

    def _restore_layout(self) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state("state")
        if state is not None:
            self.restoreState(state)
        # The toolbar holds the open view's tools: none are open yet.
        self.tool_bar.setVisible(bool(self._view_actions))

    def save_layout(self) -> None:
        """Remember the window geometry and the docks' places and sizes."""
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.set_window_state("state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop background work, close the item and remember the layout."""
        if self._is_closed:
            super().closeEvent(event)
            return
        self._is_closed = True
        if self.session.is_locked and self._lock_dialog is not None:
            self._lock_dialog = None
        elif not self.session.is_locked:
            self.save_layout()
        self.tasks.cancel_all()
        self._close_view()
        self.tasks.wait(10_000)
        super().closeEvent(event)
        # The window is gone; the session closes after Qt finished with it.
        QTimer.singleShot(0, self.session.close)


class AlertsDialog(QDialog):
    """Lists unacknowledged account alerts; acknowledging one needs a reason.

    Parameters
    ----------
    project
        The signed-in project (a site lead or admin).
    parent
        The main window.
    """

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(self.tr("Account alerts"))
        self.resize(560, 320)
        self.list = QListWidget(self)
        self.acknowledge_button = QPushButton(self.tr("Acknowledge…"), self)
        self.acknowledge_button.setToolTip(
            self.tr("Mark the selected alert as seen, with a reason")
        )
        self.acknowledge_button.clicked.connect(lambda: self.acknowledge())
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.acknowledge_button)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        """Read the unacknowledged alerts again."""
        from storage.accounts import list_alerts

        self.list.clear()
        for alert in list_alerts(self.project):
            body = alert.body
            if body.get("kind") == "account_locked":
                text = self.tr(
                    "{user}: account locked after {failures} failed sign-ins ({at})"
                )
            else:
                text = self.tr("{user}: {kind} ({at})")
            for field in ("user", "failures", "at", "kind"):
                key = "user_id" if field == "user" else field
                text = text.replace("{" + field + "}", str(body.get(key, "")))
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, alert.record_id)
        self.acknowledge_button.setEnabled(self.list.count() > 0)
        if self.list.count():
            self.list.setCurrentRow(0)

    def acknowledge(self, reason: str | None = None) -> bool:
        """Acknowledge the selected alert.

        Parameters
        ----------
        reason
            Why; asked for with a dialog when not given.

        Returns
        -------
        bool
            Whether the alert was acknowledged.
        """
        from storage.accounts import acknowledge_alert

        if self.list.currentRow() < 0:
            return False
        item = self.list.currentItem()
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, self.tr("Acknowledge alert"), self.tr("Reason:")
            )
            if not ok:
                return False
        if not reason.strip():
            return False
        try:
            acknowledge_alert(
                self.project,
                str(item.data(Qt.ItemDataRole.UserRole)),
                reason=reason.strip(),
            )
        except HaiopsError as error:
            show_error(self, error)
            return False
        self.refresh()
        return True
