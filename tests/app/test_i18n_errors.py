"""Japanese translation of screens and errors; the one error message box."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from app.errors_ui import show_error
from app.i18n import install_translator, translate_error
from storage.errors import WrongPasswordError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def japanese(qapp) -> Iterator[None]:
    assert install_translator("ja")
    yield
    install_translator("en")


def test_japanese_screen_strings(japanese) -> None:
    assert QCoreApplication.translate("MainWindow", "&File") == "ファイル(&F)"
    assert QCoreApplication.translate("Worklist", "In progress") == "作業中"


def test_translate_error_in_japanese(japanese) -> None:
    error = WrongPasswordError("bad tag", path="/projects/trial")

    assert translate_error(error) == (
        "/projects/trial のユーザー ID またはパスワードが正しくありません。",
        "ユーザー ID とパスワードを確認して、もう一度お試しください。"
        "何も変更されていません。",
    )


def test_translate_error_in_english(qapp) -> None:
    error = WrongPasswordError("bad tag", path="/projects/trial")

    assert translate_error(error) == (
        "The user ID or password is not correct for /projects/trial.",
        "Check the user ID and password and try again. Nothing was changed.",
    )


def test_unexpected_error_gets_generic_message_and_copyable_details(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    try:
        {}["missing"]  # a real KeyError with a traceback
    except KeyError as error:
        box = show_error(parent, error)

    assert box.text() == "Something went wrong."
    assert box.informativeText() == (
        "Details are in the log. Nothing that was saved has been lost."
    )
    assert "Traceback" not in box.text() + box.informativeText()
    copy = next(b for b in box.findChildren(QPushButton) if b.text() == "Copy details")
    copy.click()
    assert "KeyError: 'missing'" in QApplication.clipboard().text()
    assert box.isVisible()
    box.button(QMessageBox.StandardButton.Ok).click()
    assert not [w for w in parent.findChildren(QMessageBox) if w.isVisible()]
