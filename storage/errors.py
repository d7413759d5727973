"""The project's exception tree and its translatable messages.

Every error the workstation raises on purpose derives from one root::

    HaiopsError
    +-- StorageError            storage/: projects, keys, records, audit
    |   +-- ProjectNotFoundError, WrongPasswordError, DamagedDatabaseError, ...
    +-- ImagingError            viewers/imaging: DICOM series and pixels
    +-- DocumentError           viewers/documents: PDF and text
    +-- SyncError               sync/: bundles and stores
    +-- ServiceError            app/ services: terminology, exports, workflow

Each class carries two message templates, ``what`` (what happened) and ``hint``
(what to do next), with ``{field}`` placeholders filled from the keyword fields
given when the error is raised (``path``, ``uid``, ``page``, ...).  The
templates are marked for Qt's translation tools with ``QT_TRANSLATE_NOOP`` so
that the application can show them in the user's language; ``str(error)`` is
the English text plus the developer detail, for logs and tests.
"""

from __future__ import annotations

from typing import Any, ClassVar


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 -- Qt's name
    """Mark ``text`` for translation in ``context`` without translating it.

    pyside6-lupdate recognises calls by this name; the application translates
    the returned text at display time.
    """
    del context
    return text


class HaiopsError(Exception):
    """Root of every error the workstation raises on purpose."""

    what: ClassVar[str] = QT_TRANSLATE_NOOP("errors", "Something went wrong.")
    hint: ClassVar[str] = QT_TRANSLATE_NOOP(
        "errors", "Details are in the log. Nothing that was saved has been lost."
    )

    def __init__(self, detail: str = "", **fields: Any) -> None:
        self.detail = detail
        self.fields = fields
        super().__init__(self._english())

    def _english(self) -> str:
        text = self.what.format_map(_Missing(self.fields))
        return f"{text} ({self.detail})" if self.detail else text

    @property
    def path(self) -> str | None:
        """The file or folder the error is about, when there is one."""
        value = self.fields.get("path")
        return None if value is None else str(value)


class _Missing(dict[str, Any]):
    """Leave unknown ``{placeholders}`` as they are rather than failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class StorageError(HaiopsError):
    """A problem with a project folder, its keys, records or audit trail."""


class ProjectNotFoundError(StorageError):
    """The folder is not a HAIOps project."""

    what = QT_TRANSLATE_NOOP("errors", "{path} is not a HAIOps project.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Choose the project folder that holds project.db and project.key."
    )


class ProjectExistsError(StorageError):
    """A project would overwrite another one."""

    what = QT_TRANSLATE_NOOP("errors", "A project already exists at {path}.")
    hint = QT_TRANSLATE_NOOP("errors", "Choose an empty folder for the new project.")


class WrongPasswordError(StorageError):
    """The user ID and password do not open the project."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The user ID or password is not correct for {path}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Check the user ID and password and try again. Nothing was changed."
    )


class KeyFileError(StorageError):
    """The key file is missing, unreadable or of an unknown format."""

    what = QT_TRANSLATE_NOOP("errors", "The key file {path} cannot be read.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Restore the key file from a backup. The database was not touched."
    )


class DamagedDatabaseError(StorageError):
    """The database fails SQLCipher's integrity check or cannot be decrypted."""

    what = QT_TRANSLATE_NOOP("errors", "The project database {path} is damaged.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Restore the project from its last backup. Nothing was overwritten."
    )


class SchemaTooNewError(StorageError):
    """The database was written by a newer version of the workstation."""

    what = QT_TRANSLATE_NOOP(
        "errors",
        "The project {path} was saved by a newer HAIOps Workstation "
        "(schema {found}, this version reads up to {supported}).",
    )
    hint = QT_TRANSLATE_NOOP("errors", "Update the workstation to open this project.")


class RecordError(StorageError):
    """A record cannot be created or revised as asked."""

    what = QT_TRANSLATE_NOOP("errors", "The change to {record} cannot be saved.")


class PermissionDeniedError(StorageError):
    """The signed-in user's role does not allow the action."""

    what = QT_TRANSLATE_NOOP(
        "errors", "{user} is not allowed to {action} in this project."
    )
    hint = QT_TRANSLATE_NOOP("errors", "Ask a site lead or an admin for the role.")


class ImagingError(HaiopsError):
    """A problem reading DICOM files or their pixels."""

    what = QT_TRANSLATE_NOOP("errors", "The DICOM file {path} cannot be used.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "The other files of the series were still read where possible."
    )


class DocumentError(HaiopsError):
    """A problem reading a PDF or text document."""

    what = QT_TRANSLATE_NOOP("errors", "The document {path} cannot be opened.")
    hint = QT_TRANSLATE_NOOP("errors", "Check that the file is a PDF or a text file.")


class SyncError(HaiopsError):
    """A problem building, checking or moving an annotation bundle."""

    what = QT_TRANSLATE_NOOP("errors", "The bundle {path} was refused.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing from it was applied. Show the reason to your site lead."
    )


class ServiceError(HaiopsError):
    """A problem in one of the Qt-free services of app/ (terminology, exports)."""

    what = QT_TRANSLATE_NOOP("errors", "{path} cannot be used.")


# Part 11 controls (users, states, signatures, backups), under StorageError.


class AccountLockedError(StorageError):
    """Too many failed sign-ins locked the account."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The account {user} is locked after too many failed sign-ins."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors",
        "An admin and a site lead can reset the password together. "
        "Nothing was changed.",
    )


class AccountDeactivatedError(StorageError):
    """The account exists but was deactivated."""

    what = QT_TRANSLATE_NOOP("errors", "The account {user} is deactivated.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Ask an admin. User IDs are never reused. Nothing was changed."
    )


class PasswordChangeRequiredError(StorageError):
    """The password was reset; the user must choose a new one to sign in."""

    what = QT_TRANSLATE_NOOP("errors", "{user} must choose a new password.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Sign in with the temporary password and a new password."
    )


class WeakPasswordError(StorageError):
    """A new password breaks the site's password rules."""

    what = QT_TRANSLATE_NOOP(
        "errors", "The new password does not meet the site's rules: {problems}."
    )
    hint = QT_TRANSLATE_NOOP(
        "errors", "Choose a longer password that is not a common one."
    )


class SessionExpiredError(StorageError):
    """The session was locked or closed; the password is needed again."""

    what = QT_TRANSLATE_NOOP("errors", "The session of {user} has expired.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Enter your user ID and password again. Nothing was changed."
    )


class TransitionError(RecordError):
    """A record cannot move to the asked state, or cannot change in its state."""

    what = QT_TRANSLATE_NOOP("errors", "{record} cannot be changed: {problem}.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was changed. Ask a reviewer or site lead if needed."
    )


class SignatureError(StorageError):
    """A signature cannot be made or does not verify."""

    what = QT_TRANSLATE_NOOP("errors", "The signature cannot be made: {problem}.")
    hint = QT_TRANSLATE_NOOP("errors", "Nothing was signed.")


class CheckpointError(StorageError):
    """A checkpoint file cannot be read or its signature does not verify."""

    what = QT_TRANSLATE_NOOP("errors", "The checkpoint {path} cannot be used.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Use the checkpoint file written with the export or backup."
    )


class BackupError(StorageError):
    """A backup cannot be written, or fails its checks before a restore."""

    what = QT_TRANSLATE_NOOP("errors", "The backup {path} cannot be used.")
    hint = QT_TRANSLATE_NOOP(
        "errors", "Nothing was replaced. Try another backup or ask the site lead."
    )
