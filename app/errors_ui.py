"""The one place that turns an exception into a message for the user."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.i18n import translate_error
from app.logs import short_hash
from storage.errors import HaiopsError

logger = logging.getLogger(__name__)


def error_details(error: BaseException) -> str:
    """Return the developer detail of ``error``: its class, text and traceback.

    Parameters
    ----------
    error
        The exception.

    Returns
    -------
    str
        Text for the log and the "Copy details" button.
    """
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    return "".join(lines).rstrip()


def show_error(
    parent: QWidget | None, error: BaseException, *, wait: bool = False
) -> QMessageBox:
    """Show ``error`` as a translated two-part message and log its detail.

    A :class:`~storage.errors.HaiopsError` shows its own ``what`` and
    ``hint``; anything else a generic message. The full detail goes to the
    log (for a HaiopsError only its class, field names and hashed path) and
    to a "Copy details" button; no traceback is shown.

    Parameters
    ----------
    parent
        The window the message belongs to, or None.
    error
        The exception.
    wait
        Block until the user closes the message (for errors before the main
        window exists); otherwise the message opens without blocking.

    Returns
    -------
    QMessageBox
        The message box (already shown).
    """
    details = error_details(error)
    if isinstance(error, HaiopsError):
        # Paths and details can name a patient (folders named after them), so
        # the log gets the class, the field names and a hash of the path.
        path = error.path
        logger.warning(
            "%s shown (fields %s, path %s)",
            type(error).__name__,
            ",".join(sorted(error.fields)),
            short_hash(path) if path else "-",
        )
    else:
        logger.error("unexpected error\n%s", details)

    what, hint = translate_error(error)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("ErrorMessage", "HAIOps Workstation"))
    box.setText(what)
    box.setInformativeText(hint)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    copy = box.addButton(
        QCoreApplication.translate("ErrorMessage", "Copy details"),
        QMessageBox.ButtonRole.ActionRole,
    )
    # The copy button must not close the message.
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if wait:
        box.exec()
    else:
        box.open()
    return box
