"""The signed-in session: the open project, the idle timeout and the lock screen."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import translate_error
from app.logs import short_hash
from storage.errors import AccountLockedError, HaiopsError, WrongPasswordError

if TYPE_CHECKING:
    from storage.project import Project

logger = logging.getLogger(__name__)

# Input that counts as the user being present.
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class Session(QObject):
    """One user signed in to one project, locked after a time without input.

    Parameters
    ----------
    project
        The project opened by the sign-in.
    idle_minutes
        Minutes without keyboard or mouse input before the screen locks.
    parent
        Owner of the session object.
    """

    lockedChanged = Signal(bool)

    def __init__(
        self, project: Project, *, idle_minutes: int = 15, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        if idle_minutes <= 0:
            raise ValueError(
                f"idle timeout must be positive minutes, got {idle_minutes}"
            )
        self.project = project
        self._locked = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_minutes * 60_000)
        self._timer.timeout.connect(self.lock)
        self._timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        logger.info(
            "session started for user %s, idle lock after %d min",
            short_hash(project.user.user_id),
            idle_minutes,
        )

    @property
    def is_locked(self) -> bool:
        """Whether the screen is locked until the password is given again."""
        return self._locked

    @property
    def idle_msecs(self) -> int:
        """The idle timeout in milliseconds."""
        return self._timer.interval()

    def set_idle_minutes(self, minutes: int) -> None:
        """Change the idle timeout and start counting again.

        Parameters
        ----------
        minutes
            Minutes without input before the lock.
        """
        if minutes <= 0:
            raise ValueError(f"idle timeout must be positive minutes, got {minutes}")
        self._timer.setInterval(minutes * 60_000)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Restart the idle timer on user input while unlocked."""
        if not self._locked and event.type() in _ACTIVITY:
            self._timer.start()
        return False

    def lock(self) -> None:
        """Lock the screen now (also called by the idle timer)."""
        if self._locked:
            return
        self._locked = True
        self._timer.stop()
        self.project.note_session_locked()
        logger.info("session locked")
        self.lockedChanged.emit(True)

    def unlock(self, password: str) -> None:
        """Unlock after checking ``password`` against the project's key file.

        A wrong password is counted like a failed sign-in; enough of them
        lock the account.

        Parameters
        ----------
        password
            The signed-in user's password.

        Raises
        ------
        WrongPasswordError
            When the password is not the user's.
        AccountLockedError
            When failed attempts locked the account.
        """
        project = self.project
        user_id = project.user.user_id
        if not project.verify_password(password):
            if project.keyfile.is_locked(user_id):
                raise AccountLockedError("locked during a screen lock", user=user_id)
            raise WrongPasswordError(
                "unlock refused", path=project.folder, user=user_id
            )

        self._locked = False
        self._timer.start()
        logger.info("session unlocked")
        self.lockedChanged.emit(False)

    def close(self) -> None:
        """Stop watching input and close the project."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.project.close()
        logger.info("session closed")


class LockDialog(QDialog):
    """Asks for the password of the signed-in user to unlock the screen.

    Rejecting the dialog (Sign out) means the caller should close the window.

    Parameters
    ----------
    session
        The locked session.
    parent
        The main window it covers.
    """

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Screen locked"))
        self.setModal(True)
        self.setMinimumWidth(460)
        user = session.project.user
        intro = QLabel(
            self.tr(
                "The screen was locked. {name}, enter your password to continue."
            ).replace("{name}", user.printed_name),
            self,
        )
        intro.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.message.setVisible(False)
        buttons = QDialogButtonBox(self)
        self.unlock_button = buttons.addButton(
            self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_out_button = buttons.addButton(
            self.tr("Sign out"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self._try_unlock)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _try_unlock(self) -> None:
        try:
            self.session.unlock(self.password.text())
        except HaiopsError as error:
            what, hint = translate_error(error)
            self.message.setText(f"{what}\n{hint}")
            self.message.setVisible(True)
            self.adjustSize()
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.accept()
