"""The sign-in dialog: project folder, user ID and password."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from storage.errors import HaiopsError, PasswordChangeRequiredError

OpenProject = Callable[[Path, str, str, str | None], Any]
# create(folder, name, user_id, printed_name, password)
CreateProject = Callable[[Path, str, str, str, str], None]
DescribeError = Callable[[BaseException], tuple[str, str]]


class SignInDialog(QDialog):
    """Asks for a project folder, a user ID and a password, and opens the project.

    Nothing of the project shows before the password opened it. A refused
    sign-in shows the translated message and keeps the dialog open with the
    password cleared.

    Parameters
    ----------
    open_project
        Called as ``open_project(folder, user_id, password, new_password)``
        (``new_password`` None unless a reset asks for one); returns the open
        project or raises a :class:`~storage.errors.HaiopsError`.
    describe_error
        Turns an error into its translated ``(what, hint)``.
    folder
        The project folder to offer (the last one used).
    user_id
        The user ID to offer.
    create_project
        When given, a "New project…" button creates a project with it.
    projects_dir
        Where new projects go unless the user chooses another folder.
    parent
        Owner window.
    """

    def __init__(
        self,
        open_project: OpenProject,
        describe_error: DescribeError,
        *,
        folder: Path | None = None,
        user_id: str = "",
        create_project: CreateProject | None = None,
        projects_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_project = open_project
        self._create_project = create_project
        self._projects_dir = projects_dir
        self._describe_error = describe_error
        self.project: Any = None
        self.setWindowTitle(self.tr("Sign in to HAIOps Workstation"))
        self.setMinimumWidth(460)

        self.folder_edit = QLineEdit(str(folder) if folder else "", self)
        self.folder_edit.setPlaceholderText(self.tr("Project folder"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.setToolTip(self.tr("Choose the project folder"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(browse)

        self.user_edit = QLineEdit(user_id, self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        # Shown only when a reset password must be replaced at sign-in.
        self.new_password_edit = QLineEdit(self)
        self.new_password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_password_edit = QLineEdit(self)
        self.repeat_password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.message.setVisible(False)

        buttons = QDialogButtonBox(self)
        self.sign_in_button = buttons.addButton(
            self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.new_project_button = buttons.addButton(
            self.tr("New project…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.new_project_button.setToolTip(self.tr("Create an encrypted project"))
        self.new_project_button.setVisible(create_project is not None)
        self.new_project_button.clicked.connect(self.new_project)
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Project folder"), folder_row)
        form.addRow(self.tr("User ID"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow(self.tr("New password"), self.new_password_edit)
        form.addRow(self.tr("Repeat new password"), self.repeat_password_edit)
        self._form = form
        self._show_new_password(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password_edit if user_id else self.user_edit).setFocus()

    def _show_new_password(self, visible: bool) -> None:
        for edit in (self.new_password_edit, self.repeat_password_edit):
            self._form.setRowVisible(edit, visible)
        self.adjustSize()

    @property
    def is_asking_new_password(self) -> bool:
        """Whether the dialog asks for a new password (after a reset)."""
        return not self.new_password_edit.isHidden()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the project folder"), self.folder_edit.text()
        )
        if folder:
            self.folder_edit.setText(folder)

    def new_project(self) -> NewProjectDialog:
        """Open the dialog that creates a project; its details then fill this one.

        Returns
        -------
        NewProjectDialog
            The dialog (open, not blocking).
        """
        if self._create_project is None:
            raise RuntimeError("no create_project callable was given")
        dialog = NewProjectDialog(
            self._create_project,
            self._describe_error,
            projects_dir=self._projects_dir,
            parent=self,
        )

        def created() -> None:
            self.folder_edit.setText(str(dialog.folder))
            self.user_edit.setText(dialog.user_id)
            self.show_message(self.tr("Project created. Sign in with your password."))
            self.password_edit.setFocus()

        dialog.accepted.connect(created)
        dialog.open()
        return dialog

    def show_message(self, text: str) -> None:
        """Show ``text`` above the buttons (an error or a note).

        Parameters
        ----------
        text
            Translated text.
        """
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.adjustSize()

    def try_sign_in(self) -> None:
        """Open the project with the typed details; accept the dialog on success."""
        folder_text = self.folder_edit.text().strip()
        user_id = self.user_edit.text().strip()
        if not folder_text or not user_id:
            self.show_message(self.tr("Enter the project folder and your user ID."))
            return

        new_password = None
        if self.is_asking_new_password:
            new_password = self.new_password_edit.text()
            if new_password != self.repeat_password_edit.text():
                self.show_message(self.tr("The two new passwords differ."))
                self._clear_passwords()
                return

        try:
            self.project = self._open_project(
                Path(folder_text), user_id, self.password_edit.text(), new_password
            )
        except PasswordChangeRequiredError as error:
            what, hint = self._describe_error(error)
            self.show_message(f"{what}\n{hint}")
            self._show_new_password(True)
            self.new_password_edit.setFocus()
            return
        except HaiopsError as error:
            what, hint = self._describe_error(error)
            self.show_message(f"{what}\n{hint}")
            self._clear_passwords()
            return

        self._clear_passwords()
        self.accept()

    def _clear_passwords(self) -> None:
        for edit in (
            self.password_edit,
            self.new_password_edit,
            self.repeat_password_edit,
        ):
            edit.clear()
        self.password_edit.setFocus()


def _slug(name: str) -> str:
    # Letters and digits of any script stay; the rest becomes hyphens.
    return re.sub(r"[^\w]+", "-", name.strip().casefold()).strip("-") or "project"


class NewProjectDialog(QDialog):
    """Creates an encrypted project whose first user (every role) is its creator.

    Parameters
    ----------
    create_project
        Called as ``create_project(folder, name, user_id, printed_name,
        password)``; raises a :class:`~storage.errors.HaiopsError` when refused.
    describe_error
        Turns an error into its translated ``(what, hint)``.
    projects_dir
        The folder offered for new projects (a subfolder named after the
        project is proposed).
    parent
        Owner window.
    """

    def __init__(
        self,
        create_project: CreateProject,
        describe_error: DescribeError,
        *,
        projects_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._create_project = create_project
        self._describe_error = describe_error
        self._projects_dir = projects_dir
        self._folder_typed = False
        self.folder: Path | None = None
        self.user_id = ""
        self.setWindowTitle(self.tr("New project"))
        self.setMinimumWidth(480)

        self.name_edit = QLineEdit(self)
        self.folder_edit = QLineEdit(self)
        self.user_edit = QLineEdit(self)
        self.printed_name_edit = QLineEdit(self)
        self.printed_name_edit.setToolTip(
            self.tr("Your name as it is printed with your signatures")
        )
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_edit.textEdited.connect(self._propose_folder)
        self.folder_edit.textEdited.connect(self._folder_edited)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        buttons = QDialogButtonBox(self)
        self.create_button = buttons.addButton(
            self.tr("Create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_create)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Project name"), self.name_edit)
        form.addRow(self.tr("Project folder"), self.folder_edit)
        form.addRow(self.tr("User ID"), self.user_edit)
        form.addRow(self.tr("Printed name"), self.printed_name_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow(self.tr("Repeat password"), self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _folder_edited(self) -> None:
        self._folder_typed = True

    def _propose_folder(self, name: str) -> None:
        if self._projects_dir is not None and not self._folder_typed:
            self.folder_edit.setText(str(self._projects_dir / _slug(name)))

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.adjustSize()

    def try_create(self) -> None:
        """Create the project from the typed details; accept the dialog on success."""
        fields = (
            self.name_edit.text().strip(),
            self.folder_edit.text().strip(),
            self.user_edit.text().strip(),
            self.printed_name_edit.text().strip(),
        )
        if not all(fields):
            self._show(self.tr("Fill in every field."))
            return
        if self.password_edit.text() != self.repeat_edit.text():
            self._show(self.tr("The two passwords differ."))
            self.password_edit.clear()
            self.repeat_edit.clear()
            return
        name, folder, user_id, printed_name = fields

        try:
            self._create_project(
                Path(folder), name, user_id, printed_name, self.password_edit.text()
            )
        except HaiopsError as error:
            what, hint = self._describe_error(error)
            self._show(f"{what}\n{hint}")
            return

        self.folder = Path(folder)
        self.user_id = user_id
        self.password_edit.clear()
        self.repeat_edit.clear()
        self.accept()
