"""The main window: worklist, opening items, shortcuts, lock screen, layout."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app import item_views
from app.gui import build_main_window
from app.item_views import ItemContext, ItemView, PlaceholderView
from app.main_window import MainWindow
from app.settings import Settings
from storage.errors import HaiopsError
from storage.items import add_item, set_item_status
from storage.project import create_project, open_project
from widgets.label_set_dialog import LabelSetDialog
from widgets.worklist import ITEM_ID_ROLE

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class _DocumentView(ItemView):
    """A stand-in view for document items, with one tool and a side panel."""

    def __init__(self, context: ItemContext) -> None:
        super().__init__(context.parent)
        self.context = context
        self.closed = False
        self.tool = QAction("Highlight span", self)
        self.tool.setShortcut(QKeySequence("H"))
        self.panel = QLabel("span panel")

    def tool_actions(self) -> list[QAction]:
        return [self.tool]

    def side_panel(self) -> QWidget | None:
        return self.panel

    def close_item(self) -> None:
        self.closed = True


@pytest.fixture
def window(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial 7",
        user_id="rad1",
        printed_name="Dr A. Reader",
        password="pw-long-enough-1",
    )
    project = open_project(folder, user_id="rad1", password="pw-long-enough-1")
    add_item(project.records, "series", "Chest CT", {"folder": "x"}, assignee="rad1")
    document = add_item(project.records, "document", "AE form 0042", {"path": "y"})
    set_item_status(project.records, document.record_id, "in_progress")
    # Only the stand-in view: series items get the placeholder here.
    monkeypatch.setattr(item_views, "_factories", {"document": _DocumentView})
    monkeypatch.setattr(item_views, "WORKSPACE_MODULES", ())

    main = build_main_window(project, Settings())
    qtbot.addWidget(main)
    main.show()
    yield main
    if main.isVisible():
        main.close()


def _row(window: MainWindow, title: str) -> str:
    for row in range(window.worklist.model.rowCount()):
        if window.worklist.model.item(row, 1).text() == title:
            return str(window.worklist.model.item(row, 0).data(ITEM_ID_ROLE))
    raise AssertionError(title)


def test_status_bar_and_worklist(window: MainWindow) -> None:
    assert window.user_label.text() == "Signed in: Dr A. Reader"
    assert window.project_label.text() == "Project: Trial 7"
    assert window.windowTitle() == "Trial 7 - HAIOps Workstation"
    assert window.sync_label.text() == "Sync: not enrolled"
    assert [a.text() for a in window.review_menu.actions() if a.text()] == [
        "Submit item for review",
        "My work",
        "Awaiting review…",
        "Adjudicate…",
        "Approve…",
        "Reject…",
        "Sign item…",
        "Audit trail…",
    ]
    assert [a.text() for a in window.sync_menu.actions()] == [
        "Sync now…",
        "Push",
        "Pull",
        "Conflicts…",
        "Enrol this workstation…",
    ]
    assert [row[1:3] for row in window.worklist.visible_items()] == [
        ("Chest CT", "Not started"),
        ("AE form 0042", "In progress"),
    ]
    assert isinstance(window.current_view, PlaceholderView)


def test_open_item_shows_view_tools_and_panel(window: MainWindow) -> None:
    item_id = next(
        item.record_id
        for item in window.project.records.current("item")
        if item.body["kind"] == "document"
    )
    window.open_item(item_id)

    view = window.current_view
    assert isinstance(view, _DocumentView)
    assert view.context.item.record_id == item_id
    assert view.context.tasks is window.tasks
    assert window.panel_dock.widget() is view.panel
    assert window.tool_bar.actions() == [view.tool]
    assert window.current_item is not None

    series_id = next(
        item.record_id
        for item in window.project.records.current("item")
        if item.body["kind"] == "series"
    )
    window.open_item(series_id)

    assert view.closed
    assert isinstance(window.current_view, PlaceholderView)
    assert window.tool_bar.actions() == []


def test_submit_sets_status(window: MainWindow) -> None:
    item_id = _row(window, "Chest CT")
    window.open_item(item_id)

    window.submit_action.trigger()

    assert window.project.records.head(item_id).body["status"] == "submitted"
    assert window.statusBar().currentMessage() == "Submitted for review."
    rows = {row[1]: row[2] for row in window.worklist.visible_items()}
    assert rows == {"Chest CT": "Submitted", "AE form 0042": "In progress"}


def test_shortcuts_dialog_lists_every_shortcut(window: MainWindow) -> None:
    dialog = window.show_shortcuts()
    rows = dict(dialog.rows)

    assert rows["Full-screen viewer"] == "F11"
    assert rows["Lock screen"] == "Ctrl+L"
    assert rows["Quit"] == "Ctrl+Q"
    assert rows["Keyboard shortcuts"] == "Ctrl+/"
    assert rows["Sync now"] == "F9"
    assert rows["My work"] == "Ctrl+Shift+M"
    with_keys = [a for a in window.all_actions() if not a.shortcut().isEmpty()]
    assert len(dialog.rows) == len(
        {a.text().replace("&", "").rstrip("…") for a in with_keys}
    )
    dialog.close()


def test_lock_hides_data_and_needs_password(qtbot, window: MainWindow) -> None:
    window.session.lock()

    assert not window.worklist_dock.isVisible()
    assert not window.centre.isVisible()
    dialog = window._lock_dialog
    assert dialog is not None
    assert dialog.isVisible()

    dialog.password.setText("nope")
    dialog.unlock_button.click()
    assert window.session.is_locked
    assert dialog.message.text().startswith("The user ID or password is not correct")

    dialog.password.setText("pw-long-enough-1")
    dialog.unlock_button.click()
    assert not window.session.is_locked
    assert window.worklist_dock.isVisible()
    assert window.centre.isVisible()


def test_idle_timer_locks(window: MainWindow, qtbot) -> None:
    window.session._timer.setInterval(50)
    window.session._timer.start()

    qtbot.waitUntil(lambda: window.session.is_locked, timeout=5000)
    assert not window.worklist_dock.isVisible()


def test_layout_is_remembered(window: MainWindow) -> None:
    window.worklist_dock.hide()
    window.close()

    settings = Settings()
    assert settings.window_state("geometry") is not None
    assert settings.window_state("state") is not None


class _UndoView(ItemView):
    """A stand-in view with an undo stack, as the series view has."""

    def __init__(self, context: ItemContext) -> None:
        super().__init__(context.parent)
        self.undo_stack = QUndoStack(self)
        self.value = 0


class _Step(QUndoCommand):
    def __init__(self, view: _UndoView) -> None:
        super().__init__("step")
        self.view = view

    def redo(self) -> None:
        self.view.value += 1

    def undo(self) -> None:
        self.view.value -= 1


def test_edit_menu_drives_the_view_undo_stack(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(item_views._factories, "series", _UndoView)
    window.open_item(_row(window, "Chest CT"))
    view = window.current_view
    assert isinstance(view, _UndoView)
    assert not window.undo_action.isEnabled()

    view.undo_stack.push(_Step(view))
    assert view.value == 1
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert view.value == 0
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert view.value == 1

    window.open_item(_row(window, "AE form 0042"))
    assert not window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert view.value == 1


def test_view_shortcut_wins_over_window_shortcut(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    class _LockKeyView(_DocumentView):
        def __init__(self, context: ItemContext) -> None:
            super().__init__(context)
            self.tool.setShortcut(QKeySequence("Ctrl+L"))

    monkeypatch.setitem(item_views._factories, "document", _LockKeyView)
    window.open_item(_row(window, "AE form 0042"))
    assert window.lock_action.shortcut().isEmpty()

    window.open_item(_row(window, "Chest CT"))
    assert window.lock_action.shortcut() == QKeySequence("Ctrl+L")


def test_recent_project_asks_to_switch(window: MainWindow, tmp_path: Path) -> None:
    window.settings.add_recent_project(tmp_path / "other")
    wanted: list[object] = []
    window.switchProjectRequested.connect(wanted.append)

    window._fill_recent_menu()
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == [str(tmp_path / "other")]
    actions[0].trigger()

    assert wanted == [tmp_path / "other"]


def test_idle_minutes_setting_is_capped_by_policy(window: MainWindow) -> None:
    window.choose_idle_minutes(5)
    assert window.session.idle_msecs == 5 * 60_000
    assert Settings().idle_minutes == 5

    window.choose_idle_minutes(90)
    assert window.session.idle_msecs == window.project.policy.idle_minutes * 60_000


def test_import_label_set_from_file_menu(window: MainWindow, tmp_path: Path) -> None:
    from storage.labels import current_label_set

    path = tmp_path / "labels.json"
    path.write_text('[{"name": "Nodule", "colour": "#f58231", "key": "2"}]', "utf-8")

    window.import_label_set(path, "image")

    dialogs = [d for d in window.findChildren(LabelSetDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert [label.name for label in dialogs[0].labels()] == ["Nodule"]
    dialogs[0].save()
    assert current_label_set(window.project.records, "image").labels[0].key == "2"


def test_full_screen_viewer_hides_the_docks(window: MainWindow) -> None:
    window.full_screen_action.trigger()
    assert window.isFullScreen()
    assert not window.worklist_dock.isVisible()
    assert not window.panel_dock.isVisible()

    window.full_screen_action.trigger()
    assert not window.isFullScreen()
    assert window.worklist_dock.isVisible()
    assert window.panel_dock.isVisible()


def test_review_signs_then_moves_the_item(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.accounts import add_user
    from storage.signatures import describe_signatures

    item_id = _row(window, "Chest CT")
    window.open_item(item_id)
    window.submit_action.trigger()

    # The submitter may not review their own work: no dialog opens.
    assert window.review_item("reviewed") is None
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes[-1].text().endswith("nobody reviews or approves their own work.")
    boxes[-1].button(QMessageBox.StandardButton.Ok).click()

    # A second person, a reviewer, signs in and reviews it.
    add_user(
        window.project,
        "rev1",
        "Dr R. Viewer",
        ["reviewer"],
        "reviewer-pass-12",
        must_change_password=False,
    )
    folder = window.project.folder
    window.close()
    reviewer = open_project(folder, user_id="rev1", password="reviewer-pass-12")
    other = build_main_window(reviewer, Settings())
    qtbot.addWidget(other)
    other.show()
    other.open_item(item_id)

    dialog = other.review_item("reviewed")
    assert dialog is not None
    if dialog.is_asking_user_id:
        dialog.user_edit.setText("rev1")
    dialog.password_edit.setText("reviewer-pass-12")
    dialog.try_sign()

    assert reviewer.records.head(item_id).body["status"] == "reviewed"
    signatures = describe_signatures(reviewer, item_id)
    assert [(s.meaning, s.printed_name) for s in signatures] == [
        ("reviewed", "Dr R. Viewer")
    ]
    other.close()


def test_audit_trail_and_quality_windows_open(window: MainWindow) -> None:
    audit = window.show_audit_trail()
    assert audit.isVisible()
    assert audit.windowTitle() == "Audit trail"
    audit.close()

    quality = window.show_quality()
    assert quality.isVisible()
    quality.close()


def test_language_switch_applies_at_once(window: MainWindow) -> None:
    from app.i18n import install_translator

    item_id = _row(window, "AE form 0042")
    window.open_item(item_id)
    try:
        window.set_language("ja")

        titles = [a.text() for a in window.menuBar().actions()]
        assert titles[:3] == ["ファイル(&F)", "編集(&E)", "表示(&V)"]
        assert window.worklist_dock.windowTitle() == "ワークリスト"
        assert window.user_label.text() == "サインイン中：Dr A. Reader"
        assert {row[2] for row in window.worklist.visible_items()} == {
            "未着手",
            "作業中",
        }
        assert window.lock_action.text() == "画面をロック"
        assert window.lock_action.toolTip() == "画面をロック (Ctrl+L)"
        assert window.sync_menu.actions()[0].text() == "今すぐ同期…"
        # The open item was opened again, in the new language.
        assert isinstance(window.current_view, _DocumentView)
        assert window.current_item is not None
        assert window.current_item.record_id == item_id
        assert Settings().language == "ja"

        window.set_language("en")
        assert window.menuBar().actions()[0].text() == "&File"
        assert window.sync_menu.actions()[0].text() == "Sync now…"
        window.lock_action.trigger()
        assert window.session.is_locked
    finally:
        install_translator("en")


def test_shortcut_rows_name_every_action(qapp) -> None:
    from widgets.shortcuts_dialog import shortcut_rows

    named = QAction("&Open series folder…")
    named.setShortcut(QKeySequence("Ctrl+O"))
    tip_only = QAction()
    tip_only.setToolTip("Lesion")
    tip_only.setShortcut(QKeySequence("1"))
    nameless = QAction()
    nameless.setShortcut(QKeySequence("2"))
    no_key = QAction("Theme")

    assert shortcut_rows([named, tip_only, nameless, no_key]) == [
        ("(action without a name)", "2"),
        ("Lesion", "1"),
        ("Open series folder", "Ctrl+O"),
    ]


def test_locked_account_alert_is_shown_and_acknowledged(
    qtbot, window: MainWindow
) -> None:
    from storage.accounts import add_user, list_alerts

    add_user(
        window.project,
        "rad2",
        "Dr B. Second",
        ["annotator"],
        "second-pass-1234",
        must_change_password=False,
    )
    folder = window.project.folder
    for _ in range(window.project.policy.lockout_failures):
        with pytest.raises(HaiopsError):
            open_project(folder, user_id="rad2", password="wrong-password-1")
    window.close()

    lead = open_project(folder, user_id="rad1", password="pw-long-enough-1")
    other = build_main_window(lead, Settings())
    qtbot.addWidget(other)
    other.show()
    assert other.alerts_action.isVisible()
    assert other.statusBar().currentMessage() == (
        "Account alerts waiting: 1 (Tools > Account alerts)"
    )

    dialog = other.show_alerts()
    assert dialog.list.count() == 1
    assert (
        dialog.list.item(0)
        .text()
        .startswith("rad2: account locked after 5 failed sign-ins")
    )
    assert dialog.acknowledge("Called the user; password reset planned")
    assert dialog.list.count() == 0
    assert list_alerts(lead) == []
    other.close()


def test_submit_needs_the_item_assigned(window: MainWindow) -> None:
    item_id = _row(window, "AE form 0042")
    window.open_item(item_id)

    window.submit_action.trigger()

    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    # The message names the item by its worklist title, not its record ID.
    assert boxes[-1].text() == "rad1 is not an annotator of the item AE form 0042."
    assert window.project.records.head(item_id).body["status"] == "in_progress"


def test_lock_hides_open_windows_too(window: MainWindow) -> None:
    audit = window.show_audit_trail()
    assert audit.isVisible()

    window.session.lock()
    assert not audit.isVisible()

    dialog = window._lock_dialog
    assert dialog is not None
    dialog.password.setText("pw-long-enough-1")
    dialog.unlock_button.click()
    assert audit.isVisible()
    audit.close()


def test_language_switch_keeps_one_set_of_menu_actions(window: MainWindow) -> None:
    from app.i18n import install_translator

    try:
        window.set_language("ja")
        window.set_language("en")
    finally:
        install_translator("en")
    texts = [a.text() for a in window.review_menu.actions() if a.text()]
    assert texts.count("My work") == 1
    assert [a.text() for a in window.sync_menu.actions()].count("Sync now…") == 1


def _menu_texts(window: MainWindow, title: str) -> list[str]:
    for menu_action in window.menuBar().actions():
        if menu_action.text() == title:
            menu = menu_action.menu()
            assert menu is not None
            return [action.text() for action in menu.actions()]
    raise AssertionError(f"no menu {title}")


def test_about_names_the_gpl_and_pymupdf_agpl(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "about", lambda _parent, _title, text: shown.append(text)
    )
    window.show_about()
    assert (
        "Licence: GNU General Public License v3.0 or later (GPL-3.0-or-later)"
        in (shown[0])
    )
    assert "AGPL-3.0-or-later" not in shown[0]
    assert "PyMuPDF" in shown[0]
    assert "the combined distribution follows the AGPL-3.0 terms" in shown[0]


def test_import_documents_menu_calls_the_document_import(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app import document_workspace

    calls: list[list[Path]] = []
    refreshed: list[bool] = []

    def fake_import(parent, project, tasks, paths, on_done=None) -> None:  # type: ignore[no-untyped-def]
        assert parent is window
        assert project is window.project
        assert tasks is window.tasks
        calls.append(list(paths))
        on_done([])

    pdf = tmp_path / "case.pdf"
    monkeypatch.setattr(document_workspace, "import_document_files", fake_import)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", lambda *_args: ([str(pdf)], "")
    )
    monkeypatch.setattr(window, "refresh_worklist", lambda: refreshed.append(True))
    assert "Import documents…" in _menu_texts(window, "&File")
    window.import_documents_action.trigger()
    assert calls == [[pdf]]
    assert refreshed == [True]


def test_import_pairs_menu_calls_the_pair_import(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import pair_workspace

    calls: list[object] = []
    refreshed: list[bool] = []

    def fake_import(parent, project, tasks, on_done=None) -> None:  # type: ignore[no-untyped-def]
        calls.append((parent, project, tasks))
        on_done(None)

    monkeypatch.setattr(pair_workspace, "import_pairs_interactively", fake_import)
    monkeypatch.setattr(window, "refresh_worklist", lambda: refreshed.append(True))
    assert "Import preference pairs…" in _menu_texts(window, "&File")
    window.import_pairs_action.trigger()
    assert calls == [(window, window.project, window.tasks)]
    assert refreshed == [True]


def test_load_meddra_is_in_the_tools_menu(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import document_workspace

    calls: list[object] = []
    monkeypatch.setattr(
        document_workspace,
        "load_meddra_interactively",
        lambda parent, project, tasks: calls.append((parent, project, tasks)),
    )
    assert "Load MedDRA…" in _menu_texts(window, "&Tools")
    assert "Load MedDRA…" not in _menu_texts(window, "&File")
    window.load_meddra_action.trigger()
    assert calls == [(window, window.project, window.tasks)]


class _PairView(ItemView):
    """A stand-in view with nothing for the right dock, as the pair view."""

    def __init__(self, context: ItemContext) -> None:
        super().__init__(context.parent)

    def side_panel(self) -> QWidget | None:
        return None


def test_a_view_without_side_panel_gives_the_dock_room_back(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        item_views, "_factories", {"document": _PairView, "series": _DocumentView}
    )
    assert window.panel_dock.isVisible()

    window.open_item(_row(window, "AE form 0042"))
    assert isinstance(window.current_view, _PairView)
    assert not window.panel_dock.isVisible()

    window.open_item(_row(window, "Chest CT"))
    assert isinstance(window.current_view, _DocumentView)
    assert window.panel_dock.isVisible()
    assert window.panel_dock.widget() is window.current_view.panel
