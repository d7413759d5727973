"""The Sync menu, the status text and the patient strings a series import records."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pydicom
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from app.i18n import translate_error
from app.series_workspace import add_series_item
from app.sync_ui import install_sync_actions, sync_actions_owner, sync_status_text
from app.tasks import TaskRunner
from storage.project import Project, create_project, open_project
from sync.deidentify import SharingPolicy
from sync.ingest import enrol_device, init_store
from sync.keys import StoreKeys
from sync.stores import FolderStore
from sync.workstation import (
    enrolment_request,
    join,
    known_patient_strings,
    set_sharing_policy,
)
from viewers.imaging.series import scan
from widgets.sync_window import (
    SyncWindow,
    WithholdDialog,
    record_sync,
    set_store_location,
    short_local_time,
)

PASSWORD = "correct horse battery staple"
PLANTED_NAME = "Yamada^Taro"
PLANTED_ID = "PID-778812"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def store(tmp_path: Path) -> tuple[FolderStore, StoreKeys]:
    keys = StoreKeys.generate("site-a")
    folder_store = FolderStore.create(tmp_path / "store")
    init_store(folder_store, keys)
    return folder_store, keys


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    create_project(
        tmp_path / "alpha",
        name="CT reads",
        user_id="rad1",
        printed_name="Rad One",
        password=PASSWORD,
    )
    with open_project(
        tmp_path / "alpha", user_id="rad1", password=PASSWORD, workstation="ws-alpha"
    ) as opened:
        yield opened


def _enrol(project: Project, store: tuple[FolderStore, StoreKeys]) -> None:
    folder_store, keys = store
    join(project, enrol_device(folder_store, keys, enrolment_request(project)))
    set_store_location(project, str(folder_store.root))


def _planted_series(dicom_data: Path, folder: Path) -> Path:
    """Copy three slices of a real CT and plant a patient name and ID in them."""
    folder.mkdir()
    for name in ("I10", "I100", "I110"):
        dataset = pydicom.dcmread(dicom_data / "ct_philips_5mm_28" / name)
        dataset.PatientName = PLANTED_NAME
        dataset.PatientID = PLANTED_ID
        dataset.save_as(folder / name)
    return folder


def _push(qtbot: QtBot, window: SyncWindow) -> str:
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.push_button.click()
    return window.result_view.toPlainText().splitlines()[-1]


def test_adding_a_series_records_its_patient_strings_and_the_gate_refuses_them(
    qtbot: QtBot,
    project: Project,
    store: tuple[FolderStore, StoreKeys],
    dicom_data: Path,
    tmp_path: Path,
) -> None:
    _enrol(project, store)
    series = scan(_planted_series(dicom_data, tmp_path / "series")).series[0]

    item = add_series_item(project, series)
    known = known_patient_strings(project)

    assert {PLANTED_NAME, "Yamada", "Taro", "Yamada Taro", PLANTED_ID} <= known
    # The series description is carried by the item on purpose, not refused.
    assert series.description == "STD BRAIN 5MM"
    assert not {"STD BRAIN 5MM", "Brain"} & known

    set_sharing_policy(project, SharingPolicy(share_text=True))
    window = SyncWindow(project, TaskRunner(None), describe_error=translate_error)
    qtbot.addWidget(window)
    first = _push(qtbot, window)
    roi = project.records.create(
        "roi",
        {"label": "nodule", "note": "compare with Yamada Taro's prior"},
        item_id=item.record_id,
    )
    refused = _push(qtbot, window)

    assert first.endswith("Pushed bundle 1 (1 record).")
    assert refused.endswith(
        f"The bundle was not written: a known patient string was found in "
        f"{roi.record_id} (body.note). Revise the record to remove the "
        f"identifying text, then withhold revision {roi.revision_id} with a "
        "reason (Withhold this revision… in the Sync window, or haiops sync "
        "withhold) and sync again. Nothing left this workstation."
    )
    assert len(store[0].inbox()) == 1
    assert "1 change not sent" in window.outgoing_label.text()
    assert window.withhold_button.isVisibleTo(window)
    assert window.withhold_button.text() == "Withhold this revision…"

    # The way out: revise the note, withhold the refused revision, push.
    project.records.revise(
        roi.record_id, {"label": "nodule", "note": "compare with the prior CT"}
    )
    assert _push(qtbot, window).endswith(refused[10:])
    assert window.withhold_refused("the patient's name was typed into the note")
    assert not window.withhold_button.isVisibleTo(window)
    assert window.result_view.toPlainText().splitlines()[-1] == (
        f"Revision {roi.revision_id[:8]} withheld: bundles carry it without its "
        "content. Push again to send the rest."
    )
    assert _push(qtbot, window).endswith("Pushed bundle 2 (2 records).")
    assert len(store[0].inbox()) == 2


def test_the_withhold_dialog_needs_a_reason(qtbot: QtBot) -> None:
    dialog = WithholdDialog("4f3831ec-e08a-48b8-9087-0c410302dbdc", "body.note")
    qtbot.addWidget(dialog)

    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason_edit.setText(" name typed into the note ")

    assert dialog.ok_button.isEnabled()
    assert dialog.ok_button.text() == "Withhold"
    assert dialog.reason() == "name typed into the note"


def test_the_sync_menu_pushes_and_the_status_bar_says_when(
    qtbot: QtBot, project: Project, store: tuple[FolderStore, StoreKeys]
) -> None:
    main_window = QMainWindow()
    qtbot.addWidget(main_window)
    shown: list[str] = []
    main_window.set_sync_state = shown.append  # type: ignore[attr-defined]
    menu = QMenu("Sync", main_window)
    tasks = TaskRunner(main_window)

    assert sync_status_text(project) == "Sync: not enrolled"
    _enrol(project, store)
    project.records.create("roi", {"label": "nodule"})
    actions = install_sync_actions(main_window, menu, lambda: project, tasks)

    assert [a.text() for a in actions] == [
        "Sync now…",
        "Push",
        "Pull",
        "Conflicts…",
        "Enrol this workstation…",
    ]
    assert [a.text() for a in menu.actions()] == [a.text() for a in actions]
    assert actions[0].toolTip() == "Pull from the store, then push (F9)"
    assert shown == ["Never synced · 1 change not sent"]

    owner = sync_actions_owner(main_window)
    assert owner is not None
    window = owner.sync_window()
    assert window is not None
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        actions[1].trigger()

    assert window.result_view.toPlainText().endswith("Pushed bundle 1 (1 record).")
    assert shown[-1].startswith("Last sync ")
    assert " · " not in shown[-1]
    assert len(store[0].inbox()) == 1


def test_status_text_names_time_zone_changes_and_conflicts(
    project: Project, store: tuple[FolderStore, StoreKeys]
) -> None:
    _enrol(project, store)
    at = record_sync(project, "sync")
    project.records.create("roi", {"label": "a"})
    project.records.create("roi", {"label": "b"})

    text = sync_status_text(project)
    moment = datetime.fromisoformat(at).astimezone()

    assert text == f"Last sync {moment.strftime('%H:%M %Z')} · 2 changes not sent"
    later = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    assert short_local_time("2026-12-03T03:30:00+00:00", now=later) == datetime(
        2026, 12, 3, 3, 30, tzinfo=UTC
    ).astimezone().strftime("%Y-%m-%d %H:%M %Z")


def test_enrol_action_takes_a_package_file(
    qtbot: QtBot, project: Project, store: tuple[FolderStore, StoreKeys], tmp_path: Path
) -> None:
    folder_store, keys = store
    package = tmp_path / "package.json"
    package.write_bytes(enrol_device(folder_store, keys, enrolment_request(project)))
    main_window = QMainWindow()
    qtbot.addWidget(main_window)
    install_sync_actions(
        main_window, QMenu(main_window), lambda: project, TaskRunner(main_window)
    )
    owner = sync_actions_owner(main_window)
    assert owner is not None

    assert owner.enrol(package)

    assert main_window.statusBar().currentMessage() == (
        "This workstation is enrolled with site site-a."
    )
    assert sync_status_text(project).startswith("Never synced")


def test_a_store_location_with_a_password_is_refused(project: Project) -> None:
    from sync.errors import StoreError

    with pytest.raises(StoreError):
        set_store_location(project, "postgresql://lead:secret@db.example/haiops")
    with pytest.raises(StoreError):
        set_store_location(project, "host=db port=5432 password=secret")
    set_store_location(project, "host=db port=5432 dbname=haiops")


def test_installed_on_the_main_window_the_status_bar_shows_the_sync_state(
    qtbot: QtBot, project: Project, store: tuple[FolderStore, StoreKeys]
) -> None:
    from app.gui import build_main_window
    from app.main_window import MainWindow
    from app.settings import Settings

    _enrol(project, store)
    main = build_main_window(project, Settings())
    assert isinstance(main, MainWindow)
    qtbot.addWidget(main)

    actions = install_sync_actions(
        main, main.sync_menu, lambda: main.project, main.tasks
    )

    assert main.sync_label.text() == "Never synced"
    assert all(action in main.sync_menu.actions() for action in actions)
    owner = sync_actions_owner(main)
    assert owner is not None
    owner.show_conflicts()
    assert owner.window is not None
    assert owner.window.tabs.currentWidget() is owner.window.conflict_panel
    owner.window.close()
