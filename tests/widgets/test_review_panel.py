"""The review panels and the adjudication view, driven by the keyboard alone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from app.review_ui import install_review_actions, review_actions_owner
from app.series_workspace import add_series_item, load_series_volume, roi_body
from app.tasks import TaskRunner
from app.workflow import assign_item, item_state, my_work, start_work, submit_work
from storage import accounts
from storage.project import Project, create_project, open_project
from storage.signatures import describe_signatures
from viewers.imaging.series import scan
from widgets.review_panel import AdjudicationView, DifferenceRow

LEAD = ("lee", "Lee Lead", "lee's long password 4")
ANN = ("ann", "Ann Notator", "ann's long password 1")
BOB = ("bob", "Bob Reader", "bob's long password 2")
REV = ("rev", "Rita Reviewer", "rev's long password 3")

ROIS = {
    ANN: [
        ("rectangle", "nodule", 10, [[100, 100], [139, 139]]),
        ("ellipse", "cyst", 12, [[200, 200], [229, 229]]),
        ("rectangle", "nodule", 14, [[50, 50], [69, 69]]),
    ],
    BOB: [
        ("rectangle", "nodule", 10, [[101, 100], [140, 139]]),
        ("ellipse", "nodule", 12, [[200, 200], [229, 229]]),
        ("rectangle", "nodule", 16, [[60, 60], [79, 79]]),
    ],
}


def _signed_in(folder: Path, who: tuple[str, str, str]) -> Project:
    return open_project(folder, user_id=who[0], password=who[2])


@pytest.fixture
def submitted(
    tmp_path: Path, dicom_data: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """A real CT series annotated blind by ann and bob and submitted by both."""
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "project"
    create_project(
        folder, name="Review", user_id=LEAD[0], printed_name=LEAD[1], password=LEAD[2]
    )
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    with _signed_in(folder, LEAD) as project:
        for (user_id, name, password), roles in (
            (ANN, ["annotator"]),
            (BOB, ["annotator"]),
            (REV, ["reviewer"]),
        ):
            accounts.add_user(
                project, user_id, name, roles, password, must_change_password=False
            )
        item_id = add_series_item(project, series).record_id
        assign_item(project, item_id, ["ann", "bob"], due="2026-12-09")
    for who, rois in ROIS.items():
        with _signed_in(folder, who) as project:
            start_work(project, item_id)
            volume = load_series_volume(project.records.head(item_id))
            for kind, label, index, points in rois:
                body = roi_body(
                    volume,
                    kind=kind,
                    label=label,
                    label_set_version=1,
                    slice_index=index,
                    points=points,
                )
                project.records.create("roi", body, item_id=item_id)
            submit_work(project, item_id)
    return folder, item_id


@pytest.fixture
def reviewer(submitted: tuple[Path, str]) -> Iterator[Project]:
    with _signed_in(submitted[0], REV) as project:
        yield project


def _press(
    qtbot: QtBot,
    keys: str | list[Qt.Key],
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Type ``keys`` into whichever widget has the keyboard focus."""
    for key in keys:
        widget = QApplication.focusWidget()
        assert widget is not None
        qtbot.keyClick(widget, key, modifier)


def test_adjudication_view_by_keyboard(qtbot: QtBot) -> None:
    rows = [
        DifferenceRow(0, "roi", ("label",), "cyst", "nodule", 1.0),
        DifferenceRow(1, "roi", ("only_a",), "nodule", ""),
        DifferenceRow(2, "roi", ("only_b",), "", "nodule"),
    ]
    edited = {"label": "mass", "kind": "ellipse"}
    view = AdjudicationView("Chest CT", "ann", "bob", rows, edit=lambda i: edited)
    qtbot.addWidget(view)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.table.setFocus()
    finished: list[bool] = []
    view.finish_requested.connect(lambda: finished.append(True))

    _press(qtbot, "2")  # B's label on the first difference, then on to the next
    assert (view.current, view.choices) == (1, {0: "right"})
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert finished == []  # not every difference is decided: on to one that is not
    assert view.current == 2
    _press(qtbot, "P")
    assert view.current == 1
    _press(qtbot, "E")  # an own record for the second, then on to the third
    assert view.current == 2
    _press(qtbot, "1")  # A made no record here: none is kept
    _press(qtbot, "NN")
    assert view.current == 1
    assert view.choices == {0: "right", 1: "edit", 2: "left"}
    assert view.edited == {1: edited}
    assert [view.table.item(r, 3).text() for r in range(3)] == [
        "B (2)",
        "Own record (E): mass",
        "none, as A (1)",
    ]
    assert view.progress.text() == "Difference 2 of 3, 3 decided"
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert finished == [True]


def test_review_menu_adjudicates_and_signs_by_keyboard(
    qtbot: QtBot,
    submitted: tuple[Path, str],
    reviewer: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _folder, item_id = submitted
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    window.current_item = None  # type: ignore[attr-defined]  # as the main window has
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("&Review")
    opened: list[str] = []
    actions = install_review_actions(
        window, menu, lambda: reviewer, TaskRunner(window), opened.append
    )
    window.show()
    assert [a.text() for a in actions] == [
        "My work",
        "Awaiting review…",
        "Adjudicate…",
        "Approve…",
        "Reject…",
    ]
    assert actions[1].shortcut().toString() == "Ctrl+Shift+R"

    actions[1].trigger()
    owner = review_actions_owner(window)
    assert owner is not None
    assert owner.queue_window is not None
    queue = owner.queue_window.panel
    # Dice of app.quality: (0.975 + 1.0) / 2 over the two overlapping pairs.
    assert queue.row_texts() == [  # type: ignore[attr-defined]
        (
            "CT #201 STD BRAIN 5MM - 28 slices",
            "Series",
            "To adjudicate",
            "ann, bob",
            "Dice 0.99",
            "2026-12-09",
        )
    ]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is queue.table)  # type: ignore[attr-defined]

    _press(qtbot, [Qt.Key.Key_Return])
    adjudication = owner.adjudication
    assert adjudication is not None
    view = adjudication.view
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)
    assert [d.problems for d in view.differences] == [
        ("label",),
        ("only_a",),
        ("only_b",),
    ]
    asked: list[list[str]] = []

    def choose_label(*args: Any) -> tuple[str, bool]:
        asked.append(list(args[3]))
        return "mass", True

    monkeypatch.setattr("app.review_ui.QInputDialog.getItem", choose_label)
    # An own label for ann's cyst, ann's lone ROI kept, bob's lone ROI left out.
    _press(qtbot, "E11")
    assert asked == [["cyst", "nodule"]]
    # HAIOPS_SCREENSHOT_DIR keeps the picture for a person to look at.
    shots = Path(os.environ.get("HAIOPS_SCREENSHOT_DIR") or tmp_path)
    assert adjudication.grab().save(str(shots / "review_adjudication.png"))
    _press(qtbot, [Qt.Key.Key_Return], Qt.KeyboardModifier.ControlModifier)

    dialog = adjudication.signature_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.user_edit)
    qtbot.keyClicks(QApplication.focusWidget(), "rev")
    _press(qtbot, [Qt.Key.Key_Tab])
    qtbot.keyClicks(QApplication.focusWidget(), REV[2])
    _press(qtbot, [Qt.Key.Key_Tab])
    qtbot.keyClicks(QApplication.focusWidget(), "Label by second reading")
    _press(qtbot, [Qt.Key.Key_Return])

    qtbot.waitUntil(lambda: item_state(reviewer, item_id).status == "reviewed")
    (signature,) = describe_signatures(reviewer, item_id)
    adjudicated = [
        r
        for r in reviewer.records.current("roi", item_id=item_id)
        if "adjudicated_from" in r.body
    ]
    assert (signature.meaning, signature.signer_id) == ("reviewed", "rev")
    assert sorted((r.body["slice_index"], r.body["label"]) for r in adjudicated) == [
        (10, "nodule"),
        (12, "mass"),
        (14, "nodule"),
    ]
    mass = next(r for r in adjudicated if r.body["label"] == "mass")
    assert mass.body["kind"] == "ellipse"
    assert len(mass.body["adjudicated_from"]) == 2
    assert {r.body["adjudication_reason"] for r in adjudicated} == {
        "Label by second reading"
    }


def test_reject_returns_the_item_with_its_reason(
    qtbot: QtBot, submitted: tuple[Path, str], reviewer: Project
) -> None:
    folder, item_id = submitted
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = window.menuBar().addMenu("&Review")
    install_review_actions(window, menu, lambda: reviewer, TaskRunner(window), print)
    owner = review_actions_owner(window)
    assert owner is not None

    dialog = owner.reject(item_id)
    assert dialog is not None
    dialog.user_edit.setText("rev")
    dialog.password_edit.setText(REV[2])
    dialog.try_sign()
    assert dialog.message.text() == "Enter the reason for this signature."
    dialog.password_edit.setText(REV[2])
    dialog.reason_edit.setText("Slice 14 needs a second look")
    dialog.try_sign()
    assert item_state(reviewer, item_id).status == "rejected"

    with _signed_in(folder, ANN) as project:
        (entry,) = my_work(project)
        annotator_window = QMainWindow()
        qtbot.addWidget(annotator_window)
        opened: list[str] = []
        actions = install_review_actions(
            annotator_window,
            annotator_window.menuBar().addMenu("&Review"),
            lambda: project,
            TaskRunner(annotator_window),
            opened.append,
        )
        actions[0].trigger()  # My work
        mine = review_actions_owner(annotator_window)
        assert mine is not None
        assert mine.work_window is not None
        panel = mine.work_window.panel
        qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.table)  # type: ignore[attr-defined]
        texts = panel.row_texts()  # type: ignore[attr-defined]
        _press(qtbot, [Qt.Key.Key_Return])
        assert mine.submit(item_id)
        message = annotator_window.statusBar().currentMessage()
        status = item_state(project, item_id).status
    assert (message, status) == ("Submitted; waiting for bob.", "in_progress")
    assert entry.rejection_reason == "Slice 14 needs a second look"
    assert texts == [
        (
            "CT #201 STD BRAIN 5MM - 28 slices",
            "Series",
            "Rejected",
            "2026-12-09",
            "Slice 14 needs a second look",
        )
    ]
    assert opened == [item_id]
