"""The signature dialog shows the attestation, asks the user ID first, then signs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.project import Project, create_project, open_project
from storage.signatures import ATTESTATIONS, describe_signatures
from widgets.signature_dialog import SignatureDialog

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSWORD = "rad1's long password"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    monkeypatch.setenv("HAIOPS_KDF_FAST", "1")
    folder = tmp_path / "trial"
    create_project(
        folder,
        name="Trial",
        user_id="rad1",
        printed_name="Dr A. Reader",
        password=PASSWORD,
    )
    with open_project(folder, user_id="rad1", password=PASSWORD) as opened:
        yield opened


def test_first_signature_asks_user_id_and_shows_the_attestation(
    qtbot,
    project: Project,  # type: ignore[no-untyped-def]
) -> None:
    roi = project.records.create("roi", {"label": "nodule"})
    dialog = SignatureDialog(project, [roi.record_id], meaning="authored")
    qtbot.addWidget(dialog)

    assert dialog.is_asking_user_id
    assert not dialog.user_edit.isHidden()
    assert ATTESTATIONS["authored"] in dialog.attestation.text()
    assert "1 roi" in dialog.summary.text()

    dialog.password_edit.setText(PASSWORD)
    dialog.try_sign()
    assert "Enter your user ID" in dialog.message.text()
    assert dialog.signature is None

    dialog.user_edit.setText("rad1")
    dialog.password_edit.setText("wrong password!!")
    dialog.try_sign()
    assert "not correct" in dialog.message.text()
    assert dialog.password_edit.text() == ""

    dialog.password_edit.setText(PASSWORD)
    dialog.try_sign()
    assert dialog.signature is not None
    [view] = describe_signatures(project, roi.record_id)
    assert (view.printed_name, view.meaning, view.status) == (
        "Dr A. Reader",
        "authored",
        "valid",
    )


def test_later_signatures_ask_only_the_password(qtbot, project: Project) -> None:  # type: ignore[no-untyped-def]
    roi = project.records.create("roi", {"label": "nodule"})
    project.signature_needs_user_id = False
    dialog = SignatureDialog(project, [roi.record_id])
    qtbot.addWidget(dialog)
    assert dialog.user_edit.isHidden()
    assert [
        dialog.meaning_box.itemData(i) for i in range(dialog.meaning_box.count())
    ] == ["authored", "reviewed", "approved", "rejected"]
    dialog.meaning_box.setCurrentIndex(3)
    dialog.password_edit.setText(PASSWORD)
    dialog.try_sign()
    assert "reason" in dialog.message.text()
    dialog.reason_edit.setText("wrong side")
    dialog.try_sign()
    assert dialog.signature is not None
    assert dialog.signature.body["meaning"] == "rejected"
