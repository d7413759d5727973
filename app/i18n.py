"""The interface language: Qt translators and translated error messages."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from storage.errors import HaiopsError

logger = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "translations"

_installed: list[QTranslator] = []


def install_translator(language: str) -> bool:
    """Install the translators for ``language`` on the running application.

    English is the source language and needs no translator. For Japanese the
    project's ``haiops_ja.qm`` is loaded, and Qt's own ``qtbase_ja`` (standard
    buttons, dialogs) where the Qt installation has it. Translators installed
    before are removed first.

    Parameters
    ----------
    language
        ``"en"`` or ``"ja"``.

    Returns
    -------
    bool
        Whether the project's translation was loaded (True for English).
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_translator needs a running QApplication")

    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English))
        return True

    ours = QTranslator(app)
    loaded = ours.load(f"haiops_{language}", str(TRANSLATIONS_DIR))
    if loaded:
        app.installTranslator(ours)
        _installed.append(ours)
    else:
        logger.warning("no translation file for language %s", language)

    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if qtbase.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qtbase)
        _installed.append(qtbase)
    QLocale.setDefault(QLocale(language))
    return loaded


def translate_error(error: BaseException) -> tuple[str, str]:
    """Return the translated two-part message (what happened, what to do) of ``error``.

    A :class:`~storage.errors.HaiopsError` fills its own templates with its
    fields; anything else gets the generic message of the root class, since
    its text is for developers and goes to the log only.

    Parameters
    ----------
    error
        The exception to describe.

    Returns
    -------
    tuple of str
        ``(what, hint)`` in the current language.
    """
    if isinstance(error, HaiopsError):
        what_template, hint_template = type(error).what, type(error).hint
        fields: dict[str, Any] = dict(error.fields)
    else:
        what_template, hint_template = HaiopsError.what, HaiopsError.hint
        fields = {}

    what = QCoreApplication.translate("errors", what_template)
    hint = QCoreApplication.translate("errors", hint_template)
    return _fill(what, fields), _fill(hint, fields)


class _KeepMissing(dict[str, Any]):
    """Leave a ``{placeholder}`` without a field as it is."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(template: str, fields: dict[str, Any]) -> str:
    try:
        return template.format_map(_KeepMissing(fields))
    except (ValueError, IndexError, AttributeError):
        # A translation with a broken placeholder must not hide the error.
        logger.warning("message template could not be filled")
        return template
