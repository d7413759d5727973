"""Sign-in: a wrong password keeps the dialog with the message, the right one opens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.gui import open_project_for
from app.i18n import translate_error
from storage.project import create_project
from widgets.sign_in_dialog import SignInDialog

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def project_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial",
        user_id="rad1",
        printed_name="Dr A. Reader",
        password="right-horse-staple",
    )
    return folder


def test_wrong_then_right_password(qtbot, project_folder: Path) -> None:
    dialog = SignInDialog(open_project_for, translate_error, folder=project_folder)
    qtbot.addWidget(dialog)
    dialog.show()

    qtbot.keyClicks(dialog.user_edit, "rad1")
    qtbot.keyClicks(dialog.password_edit, "wrong")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    assert dialog.isVisible()
    assert dialog.result() == 0
    assert dialog.project is None
    assert dialog.message.isVisibleTo(dialog)
    assert dialog.message.text() == (
        f"The user ID or password is not correct for {project_folder}.\n"
        "Check the user ID and password and try again. Nothing was changed."
    )
    assert dialog.password_edit.text() == ""

    qtbot.keyClicks(dialog.password_edit, "right-horse-staple")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == SignInDialog.DialogCode.Accepted
    project = dialog.project
    assert project.user.printed_name == "Dr A. Reader"
    assert project.name == "Trial"
    assert dialog.password_edit.text() == ""
    project.close()


def test_not_a_project_folder(qtbot, tmp_path: Path) -> None:
    dialog = SignInDialog(open_project_for, translate_error, folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.user_edit.setText("rad1")
    dialog.password_edit.setText("x")
    dialog.try_sign_in()

    assert dialog.result() == 0
    assert dialog.message.text().startswith(f"{tmp_path} is not a HAIOps project.")


def test_missing_user_id_is_asked_for(qtbot, project_folder: Path) -> None:
    dialog = SignInDialog(open_project_for, translate_error, folder=project_folder)
    qtbot.addWidget(dialog)
    dialog.try_sign_in()

    assert dialog.message.text() == "Enter the project folder and your user ID."


def test_first_sign_in_asks_for_a_new_password(qtbot, project_folder: Path) -> None:
    from storage.accounts import add_user
    from storage.project import open_project

    with open_project(
        project_folder, user_id="rad1", password="right-horse-staple"
    ) as p:
        add_user(p, "rad2", "Dr B. Second", ["annotator"], "initial-pass-123")
    dialog = SignInDialog(
        open_project_for, translate_error, folder=project_folder, user_id="rad2"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.is_asking_new_password

    dialog.password_edit.setText("initial-pass-123")
    dialog.try_sign_in()
    assert dialog.is_asking_new_password
    assert dialog.message.text().startswith("rad2 must choose a new password.")

    dialog.new_password_edit.setText("second-reader-pass")
    dialog.repeat_password_edit.setText("second-reader-typo")
    dialog.try_sign_in()
    assert dialog.message.text() == "The two new passwords differ."
    assert dialog.result() == 0

    dialog.password_edit.setText("initial-pass-123")
    dialog.new_password_edit.setText("second-reader-pass")
    dialog.repeat_password_edit.setText("second-reader-pass")
    dialog.try_sign_in()
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    dialog.project.close()

    with open_project(
        project_folder, user_id="rad2", password="second-reader-pass"
    ) as p:
        assert p.user.printed_name == "Dr B. Second"


def test_new_project_then_sign_in(qtbot, tmp_path: Path, monkeypatch) -> None:
    from app.gui import create_project_for

    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    dialog = SignInDialog(
        open_project_for,
        translate_error,
        create_project=create_project_for,
        projects_dir=tmp_path,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.new_project_button.isVisible()

    new = dialog.new_project()
    qtbot.keyClicks(new.name_edit, "Chest CT 2026")
    assert new.folder_edit.text() == str(tmp_path / "chest-ct-2026")
    new.user_edit.setText("rad9")
    new.printed_name_edit.setText("Dr N. Ninth")
    new.password_edit.setText("short")
    new.repeat_edit.setText("short")
    new.try_create()
    assert new.result() == 0
    assert new.message.text().startswith(
        "The new password does not meet the site's rules"
    )

    new.password_edit.setText("long-enough-pass-9")
    new.repeat_edit.setText("long-enough-pass-9")
    new.try_create()
    assert new.result() == SignInDialog.DialogCode.Accepted
    assert dialog.folder_edit.text() == str(tmp_path / "chest-ct-2026")
    assert dialog.user_edit.text() == "rad9"

    dialog.password_edit.setText("long-enough-pass-9")
    dialog.try_sign_in()
    assert dialog.project.name == "Chest CT 2026"
    dialog.project.close()


def test_no_new_project_button_without_callable(qtbot) -> None:
    dialog = SignInDialog(open_project_for, translate_error)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.new_project_button.isVisible()
