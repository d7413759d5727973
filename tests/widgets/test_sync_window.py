"""The Sync window pushes and pulls between two workstations and resolves conflicts."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.tasks import TaskRunner
from storage.project import Project, create_project, open_project
from storage.signatures import describe_signatures
from sync.ingest import enrol_device, ingest, init_store, revoke
from sync.keys import StoreKeys
from sync.stores import FolderStore
from sync.workstation import (
    apply_file,
    device_keys,
    enrolment_request,
    join,
    pull,
    push,
)
from widgets.sync_window import (
    SyncWindow,
    WithholdDialog,
    body_differences,
    store_location,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSWORD = "correct horse battery staple"


@dataclass
class Site:
    """A folder store and the site lead's store keys."""

    store: FolderStore
    keys: StoreKeys


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")


@pytest.fixture
def site(tmp_path: Path) -> Site:
    keys = StoreKeys.generate("site-a")
    store = FolderStore.create(tmp_path / "store")
    init_store(store, keys)
    return Site(store, keys)


def _workstation(folder: Path, name: str, site: Site) -> Project:
    create_project(
        folder,
        name="Study",
        user_id="reader1",
        printed_name="Reader One",
        password=PASSWORD,
    )
    project = open_project(
        folder, user_id="reader1", password=PASSWORD, workstation=name
    )
    join(project, enrol_device(site.store, site.keys, enrolment_request(project)))
    return project


@pytest.fixture
def pair(tmp_path: Path, site: Site) -> Iterator[tuple[Project, Project]]:
    alpha = _workstation(tmp_path / "alpha", "ws-alpha", site)
    beta = _workstation(tmp_path / "beta", "ws-beta", site)
    yield alpha, beta
    for project in (alpha, beta):
        if project.connection is not None:
            project.close()


def _window(qtbot: QtBot, project: Project, site: Site) -> SyncWindow:
    tasks = TaskRunner(None)
    window = SyncWindow(project, tasks)
    qtbot.addWidget(window)
    qtbot.addWidget(tasks.status_widget)
    window.use_store(str(site.store.root))
    return window


def _run(qtbot: QtBot, window: SyncWindow, button_name: str) -> str:
    button = getattr(window, button_name)
    assert button.isEnabled()
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        button.click()
    return window.result_view.toPlainText().splitlines()[-1]


def test_push_on_one_workstation_and_pull_on_the_other(
    qtbot: QtBot, site: Site, pair: tuple[Project, Project], tmp_path: Path
) -> None:
    alpha, beta = pair
    alpha.records.create("roi", {"label": "nodule", "points": [[10.0, 12.5]]})
    alpha.records.create("roi", {"label": "cyst", "points": [[40.0, 2.0]]})
    alpha_window = _window(qtbot, alpha, site)
    beta_window = _window(qtbot, beta, site)
    assert "2 changes not sent" in alpha_window.outgoing_label.text()
    assert alpha_window.last_sync_label.text() == "Never"
    assert alpha_window.enrolment_label.text() == "Enrolled with site site-a"

    pushed = _run(qtbot, alpha_window, "push_button")
    report = ingest(site.store, site.keys)
    pulled = _run(qtbot, beta_window, "pull_button")

    assert pushed.endswith("Pushed bundle 1 (2 records).")
    assert len(report.accepted) == 1
    assert pulled.endswith("Applied 1 bundle (2 new records).")
    assert sorted(r.body["label"] for r in beta.records.current("roi")) == [
        "cyst",
        "nodule",
    ]
    assert "0 changes not sent" in alpha_window.outgoing_label.text()
    assert "(push)" in alpha_window.last_sync_label.text()
    assert "(pull)" in beta_window.last_sync_label.text()
    assert store_location(beta) == str(site.store.root)

    assert beta_window.grab().save(str(tmp_path / "sync-state.png"))
    again = _run(qtbot, beta_window, "pull_button")
    assert again.endswith("Applied 0 bundles (0 new records).")


def test_a_conflict_is_compared_and_resolved_with_a_reason_and_signature(
    qtbot: QtBot, site: Site, pair: tuple[Project, Project], tmp_path: Path
) -> None:
    alpha, beta = pair
    roi = alpha.records.create("roi", {"label": "nodule", "diameter_mm": 8.5})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    pull(beta, site.store)
    ours = alpha.records.revise(roi.record_id, {"label": "mass", "diameter_mm": 8.5})
    theirs = beta.records.revise(
        roi.record_id, {"label": "cyst", "diameter_mm": 9.5}, reason="rim seen"
    )
    push(alpha, site.store)
    push(beta, site.store)
    ingest(site.store, site.keys)
    window = _window(qtbot, alpha, site)

    _run(qtbot, window, "pull_button")
    pulled = window.result_view.toPlainText()
    panel = window.conflict_panel
    assert panel is not None
    window.show_conflicts()

    assert "1 record is in conflict" in pulled
    assert window.conflicts_label.text() == "1 record in conflict"
    assert panel.conflict_list.count() == 1
    table = panel.compare_table
    rows = [table.model().headerData(r, Qt.Orientation.Vertical) for r in range(7)]
    assert rows == [
        "Author",
        "Workstation",
        "Time",
        "Reason",
        "Deleted",
        "diameter_mm",
        "label",
    ]
    by_workstation = {
        table.model().index(1, c).data(): [
            table.model().index(r, c).data() for r in range(7)
        ]
        for c in range(2)
    }
    assert by_workstation["ws-alpha"][5:] == ["8.5", '"mass"']
    assert by_workstation["ws-beta"][3:] == [
        "(text kept at its site)",
        "no",
        "9.5",
        '"cyst"',
    ]
    assert body_differences([ours, theirs]) == [
        ("diameter_mm", ["8.5", "9.5"]),
        ("label", ['"mass"', '"cyst"']),
    ]
    assert table.rowCount() == 7
    assert window.grab().save(str(tmp_path / "sync-conflicts.png"))

    panel.keep_box.setCurrentIndex(panel.keep_box.findData(theirs.revision_id))
    panel.password_edit.setText(PASSWORD)
    panel.user_edit.setText("reader1")
    panel.resolve_button.click()
    assert "Enter the reason" in panel.message.text()
    assert len(alpha.records.heads(roi.record_id)) == 2

    panel.reason_edit.setText("second reader saw the rim: cyst")
    panel.resolve_button.click()

    [head] = alpha.records.heads(roi.record_id)
    assert head.supersedes == theirs.revision_id
    assert head.resolves == (ours.revision_id,)
    assert head.body == {"label": "cyst", "diameter_mm": 9.5}
    assert head.reason == "second reader saw the rim: cyst"
    [signature] = describe_signatures(alpha, roi.record_id)
    assert (signature.meaning, signature.status, signature.printed_name) == (
        "approved",
        "valid",
        "Reader One",
    )
    assert panel.conflict_list.count() == 0
    assert window.conflicts_label.text() == "None"
    assert alpha.records.conflicts() == []

    # The resolution travels: the other workstation ends with the same one head.
    pushed = _run(qtbot, window, "push_button")
    ingest(site.store, site.keys)
    pull(beta, site.store)
    assert pushed.endswith("Pushed bundle 3 (2 records).")
    assert [h.revision_id for h in beta.records.heads(roi.record_id)] == [
        head.revision_id
    ]
    assert beta.records.conflicts() == []


def test_a_wrong_password_resolves_nothing(
    qtbot: QtBot, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, beta = pair
    roi = alpha.records.create("roi", {"label": "nodule"})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    pull(beta, site.store)
    alpha.records.revise(roi.record_id, {"label": "mass"})
    beta.records.revise(roi.record_id, {"label": "cyst"})
    push(beta, site.store)
    ingest(site.store, site.keys)
    pull(alpha, site.store)
    window = _window(qtbot, alpha, site)
    panel = window.conflict_panel
    assert panel is not None

    panel.reason_edit.setText("agreed at the consensus meeting")
    panel.user_edit.setText("reader1")
    panel.password_edit.setText("not the password")
    panel.resolve_button.click()

    assert len(alpha.records.heads(roi.record_id)) == 2
    assert panel.password_edit.text() == ""
    assert panel.message.text() != ""


def test_cancel_stops_a_pull_between_bundles_and_the_next_pull_finishes(
    qtbot: QtBot, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, beta = pair
    for label in ("one", "two", "three"):
        alpha.records.create("roi", {"label": label})
        push(alpha, site.store)
    ingest(site.store, site.keys)
    cancelled = threading.Event()

    def open_after_cancel(location: str) -> FolderStore:
        # The run waits here until the test has pressed Cancel.
        cancelled.wait(30)
        return FolderStore(Path(location))

    window = SyncWindow(beta, TaskRunner(None), open_store=open_after_cancel)
    qtbot.addWidget(window)
    window.use_store(str(site.store.root))

    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        assert window.start("pull")
        assert window.cancel_button.isEnabled()
        assert not window.pull_button.isEnabled()
        window.cancel_button.click()
        cancelled.set()
    stopped = window.result_view.toPlainText().splitlines()[-1]
    labels_after_cancel = [r.body["label"] for r in beta.records.current("roi")]
    resumed = _run(qtbot, window, "pull_button")

    assert "Cancelled." in stopped
    assert labels_after_cancel == ["one"]
    assert resumed.endswith("Applied 2 bundles (2 new records).")
    assert sorted(r.body["label"] for r in beta.records.current("roi")) == [
        "one",
        "three",
        "two",
    ]


def test_without_enrolment_the_window_offers_the_request(
    qtbot: QtBot, tmp_path: Path
) -> None:
    create_project(
        tmp_path / "solo",
        name="Study",
        user_id="reader1",
        printed_name="Reader One",
        password=PASSWORD,
    )
    with open_project(
        tmp_path / "solo", user_id="reader1", password=PASSWORD, workstation="ws-solo"
    ) as project:
        tasks = TaskRunner(None)
        window = SyncWindow(project, tasks)
        qtbot.addWidget(window)
        window.save_enrolment_request(tmp_path / "request.json")

        assert window.enrolment_label.text().startswith("Not enrolled")
        assert not window.push_button.isEnabled()
        request = json.loads((tmp_path / "request.json").read_text(encoding="utf-8"))
        assert (request["format"], request["device_id"]) == (
            "haiops-enrolment-request",
            "ws-solo",
        )
        assert "request.json" in window.result_view.toPlainText()
        window.import_enrolment_package(tmp_path / "missing.pkg")
        assert "missing.pkg" in window.result_view.toPlainText()


def test_a_refused_bundle_and_a_gap_are_shown_with_their_reasons(
    qtbot: QtBot, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, beta = pair
    for label in ("one", "two", "three"):
        alpha.records.create("roi", {"label": label})
        push(alpha, site.store)
    ingest(site.store, site.keys)
    bundles = [site.store.read_accepted(a.bundle_hash) for a in site.store.accepted()]
    # The third bundle arrives first (carried on a drive): it waits for the second.
    assert apply_file(beta, bundles[0]).status == "applied"
    assert apply_file(beta, bundles[2]).status == "held"
    window = _window(qtbot, beta, site)
    device = device_keys(alpha).key_id

    held = window.incoming_label.text()
    revoke(site.store, site.keys, device, 1, "laptop lost")
    refused = _run(qtbot, window, "pull_button")

    assert held == f"1 bundle held; waiting for bundle 2 from device {device[:12]}"
    assert refused == (
        refused[:10]
        + f"Refused bundle {site.store.accepted()[1].bundle_hash[:12]}: the "
        "signer's key was revoked. Show it to your site lead."
    )
    assert [r.body["label"] for r in beta.records.current("roi")] == ["one"]


def test_sync_now_pulls_then_pushes_and_reports_a_refused_push_after_the_pull(
    qtbot: QtBot, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, beta = pair
    alpha.records.create("roi", {"label": "nodule"})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    beta.records.create("roi", {"label": "see /home/reader/cases/ct1.dcm"})
    window = _window(qtbot, beta, site)

    _run(qtbot, window, "sync_button")
    lines = [line[10:] for line in window.result_view.toPlainText().splitlines()]

    assert lines[-2] == "Applied 1 bundle (1 new record)."
    assert lines[-1].startswith("The bundle was not written: a file path was found")
    assert "(pull)" in window.last_sync_label.text()
    assert "nodule" in [r.body["label"] for r in beta.records.current("roi")]


def test_a_refused_push_offers_to_withhold_the_revision_with_a_reason(
    qtbot: QtBot,
    site: Site,
    pair: tuple[Project, Project],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alpha, beta = pair
    roi = alpha.records.create("roi", {"label": "see /home/reader/cases/ct1.dcm"})
    window = _window(qtbot, alpha, site)
    refused = _run(qtbot, window, "push_button")
    assert refused[10:].startswith("The bundle was not written: a file path")
    assert window.withhold_button.isVisibleTo(window)
    alpha.records.revise(roi.record_id, {"label": "nodule"})
    asked: list[str] = []

    def answer(dialog: WithholdDialog) -> int:
        asked.append(dialog.windowTitle())
        dialog.reason_edit.setText("a file path was typed as the label")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(WithholdDialog, "exec", answer)
    window.withhold_button.click()
    pushed = _run(qtbot, window, "push_button")
    ingest(site.store, site.keys)
    pull(beta, site.store)

    assert asked == ["Withhold this revision"]
    assert not window.withhold_button.isVisibleTo(window)
    assert pushed.endswith("Pushed bundle 1 (2 records).")
    assert [r.body for r in beta.records.history(roi.record_id)][1] == {
        "label": "nodule"
    }
    assert "withheld" in beta.records.history(roi.record_id)[0].body
