"""The signature dialog: what is signed, the meaning, the attestation, the password."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from storage.errors import HaiopsError
from storage.permissions import allowed
from storage.signatures import ATTESTATION_PREAMBLE, ATTESTATIONS, MEANINGS

if TYPE_CHECKING:
    from storage.project import Project
    from storage.records import Revision

DescribeError = Callable[[BaseException], tuple[str, str]]

# Meanings whose signature must say why (a rejection, an unlock).
_NEEDS_REASON = frozenset({"rejected", "unlocked"})


def _plain(error: BaseException) -> tuple[str, str]:
    if isinstance(error, HaiopsError):
        return str(error), error.hint
    return str(error), ""


class SignatureDialog(QDialog):
    """Signs one record or a set of records with a meaning (21 CFR 11.50, 11.200).

    The dialog shows how many records of which types are signed, the meaning,
    the signer's printed name and the attestation before any password is
    typed. The first signature after sign-in or a lock asks for the user ID
    as well; later ones only for the password. A refused signature shows the
    message and keeps the dialog open with the password cleared.

    Parameters
    ----------
    project
        The signed-in project.
    record_ids
        The records whose current revisions are signed.
    meaning
        The meaning to preselect; None lets the user choose among the
        meanings their roles allow.
    describe_error
        Turns an error into its translated ``(what, hint)``.
    parent
        Owner window.
    """

    def __init__(
        self,
        project: Project,
        record_ids: Sequence[str],
        *,
        meaning: str | None = None,
        describe_error: DescribeError | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.record_ids = list(record_ids)
        self.signature: Revision | None = None
        self._describe_error = describe_error or _plain
        self.setWindowTitle(self.tr("Sign records"))
        self.setMinimumWidth(480)

        self.summary = QLabel(self._summary_text(), self)
        self.summary.setWordWrap(True)
        self.meaning_box = QComboBox(self)
        for choice in MEANINGS:
            if choice == "unlocked" or not allowed(project.user, "sign", choice):
                continue
            self.meaning_box.addItem(self._meaning_label(choice), choice)
        if meaning is not None:
            index = self.meaning_box.findData(meaning)
            if index < 0:
                self.meaning_box.addItem(self._meaning_label(meaning), meaning)
                index = self.meaning_box.count() - 1
            self.meaning_box.setCurrentIndex(index)
            self.meaning_box.setEnabled(False)
        self.meaning_box.currentIndexChanged.connect(self._meaning_changed)

        self.attestation = QLabel(self)
        self.attestation.setWordWrap(True)
        self.attestation.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.signer = QLabel(
            f"{project.user.printed_name} ({project.user.user_id})", self
        )
        self.user_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Why (needed to reject)"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        buttons = QDialogButtonBox(self)
        self.sign_button = buttons.addButton(
            self.tr("Sign"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_sign)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Meaning"), self.meaning_box)
        form.addRow(self.tr("Signer"), self.signer)
        form.addRow(self.tr("User ID"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow(self.tr("Reason"), self.reason_edit)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.attestation)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self._form.setRowVisible(self.user_edit, self.is_asking_user_id)
        self._meaning_changed()
        (self.user_edit if self.is_asking_user_id else self.password_edit).setFocus()

    @property
    def is_asking_user_id(self) -> bool:
        """Whether this signature needs the user ID (first since sign-in or lock)."""
        return bool(self.project.signature_needs_user_id)

    @property
    def meaning(self) -> str:
        """The meaning chosen."""
        return str(self.meaning_box.currentData())

    def attestation_text(self) -> str:
        """Return the translated attestation the signer agrees to."""
        preamble = QCoreApplication.translate("signatures", ATTESTATION_PREAMBLE)
        body = QCoreApplication.translate(
            "signatures", ATTESTATIONS.get(self.meaning, "")
        )
        return f"{body}\n{preamble}"

    def _summary_text(self) -> str:
        kinds: dict[str, int] = {}
        for record_id in self.record_ids:
            kind = self.project.records.head(record_id).record_type
            kinds[kind] = kinds.get(kind, 0) + 1
        listed = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        return self.tr("You are signing the current content of: {records}.").replace(
            "{records}", listed
        )

    def _meaning_label(self, meaning: str) -> str:
        labels = {
            "authored": self.tr("Authored"),
            "reviewed": self.tr("Reviewed"),
            "approved": self.tr("Approved"),
            "rejected": self.tr("Rejected"),
            "unlocked": self.tr("Unlock authorised"),
        }
        return labels.get(meaning, meaning)

    def _meaning_changed(self) -> None:
        self.attestation.setText(self.attestation_text())
        self._form.setRowVisible(self.reason_edit, True)
        self.sign_button.setEnabled(self.meaning_box.count() > 0)

    def show_message(self, text: str) -> None:
        """Show ``text`` above the buttons (an error or a note)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def try_sign(self) -> None:
        """Sign with the typed details; accept the dialog on success."""
        from storage.signatures import sign_records

        user_id = self.user_edit.text().strip() if self.is_asking_user_id else None
        reason = self.reason_edit.text().strip() or None
        if self.is_asking_user_id and not user_id:
            self.show_message(self.tr("Enter your user ID and password."))
            return
        if self.meaning in _NEEDS_REASON and reason is None:
            self.show_message(self.tr("Enter the reason for this signature."))
            return
        try:
            self.signature = sign_records(
                self.project,
                self.record_ids,
                self.meaning,
                password=self.password_edit.text(),
                user_id=user_id,
                reason=reason,
            )
        except HaiopsError as error:
            what, hint = self._describe_error(error)
            self.show_message(f"{what}\n{hint}")
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.password_edit.clear()
        self.accept()
