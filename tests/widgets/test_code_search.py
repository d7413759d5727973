"""The code search dialog over the synthetic MedDRA release."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.terminology.meddra import (
    MeddraTerminology,
    SearchResult,
    load_meddra,
    rank_with_history,
)
from widgets.code_search import CodeChangesDialog, CodeSearchDialog


@pytest.fixture(scope="module")
def meddra(shared_data: Path) -> MeddraTerminology:
    return load_meddra(shared_data / "terminology" / "meddra_synthetic", version="27.0")


def make_dialog(
    qtbot: QtBot,
    meddra: MeddraTerminology,
    verbatim: str,
    history: list[dict[str, object]] | None = None,
) -> CodeSearchDialog:
    def search(query: str) -> list[SearchResult]:
        return rank_with_history(meddra.search(query), verbatim, history or [])

    dialog = CodeSearchDialog(search, verbatim, version=meddra.version)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_earlier_coding_of_the_verbatim_is_offered_first(
    qtbot: QtBot, meddra: MeddraTerminology
) -> None:
    plain = make_dialog(qtbot, meddra, "feeling tired")
    plain.query_box.setText("ti")
    history = [{"text": "Feeling  tired", "code": {"llt_code": 95000011}}]
    ranked = make_dialog(qtbot, meddra, "feeling tired", history)
    ranked.query_box.setText("ti")

    assert [row[0] for row in plain.result_rows()] == [
        "Tiredness / 倦怠感 (95000012)",
        "Fatigue / 疲労 (95000011)",
        "Vomiting / 嘔吐 (95000003)",
        "Atrial fibrillation / 心房細動 (95000008)",
    ]
    assert [row[0] for row in ranked.result_rows()] == [
        "Fatigue / 疲労 (95000011)",
        "Tiredness / 倦怠感 (95000012)",
        "Vomiting / 嘔吐 (95000003)",
        "Atrial fibrillation / 心房細動 (95000008)",
    ]
    current = ranked.results.currentItem()
    assert current is not None
    assert current.text(0) == "Fatigue / 疲労 (95000011)"
    assert ranked.windowTitle() == "Code the span - MedDRA 27.0"


def test_secondary_soc_is_a_child_row_and_primary_is_marked(
    qtbot: QtBot, meddra: MeddraTerminology
) -> None:
    dialog = make_dialog(qtbot, meddra, "fatigue")
    [row] = [r for r in dialog.result_rows() if r[0].startswith("Fatigue")]
    assert row[4] == "General disorders and administration site conditions - primary"
    chosen: list[tuple[int, int]] = []
    dialog.code_chosen.connect(lambda llt, soc: chosen.append((llt, soc)))

    # Down moves from the primary path to the PT's secondary path.
    qtbot.keyClick(dialog.query_box, Qt.Key.Key_Down)
    current = dialog.results.currentItem()
    assert current is not None
    assert current.text(4) == "Nervous system disorders"
    qtbot.keyClick(dialog.query_box, Qt.Key.Key_Return)

    assert chosen == [(95000011, 99000002)]
    assert dialog.result() == CodeSearchDialog.DialogCode.Accepted
    code = meddra.code_for(95000011, soc_code=99000002)
    assert (code["soc"], code["primary_soc"]) == ("Nervous system disorders", False)


def test_non_current_row_is_greyed_and_skipped(
    qtbot: QtBot, meddra: MeddraTerminology
) -> None:
    dialog = make_dialog(qtbot, meddra, "頭")
    rows = dialog.result_rows()
    assert [r[0] for r in rows] == [
        "Headache / 頭痛 (95000005)",
        "Cephalgia / 頭部痛 (95000006) - not current",
    ]
    cephalgia = dialog.results.topLevelItem(1)
    assert cephalgia is not None
    assert not cephalgia.flags() & Qt.ItemFlag.ItemIsEnabled

    # Down stops on Headache: the non-current row below cannot become current.
    qtbot.keyClick(dialog.query_box, Qt.Key.Key_Down)
    assert dialog.results.currentItem() is dialog.results.topLevelItem(0)
    assert not dialog.choose_row(1)
    assert dialog.chosen is None
    qtbot.keyClick(dialog.query_box, Qt.Key.Key_Escape)
    assert dialog.result() == CodeSearchDialog.DialogCode.Rejected
    assert dialog.chosen is None


def test_full_width_and_no_match(qtbot: QtBot, meddra: MeddraTerminology) -> None:
    dialog = make_dialog(qtbot, meddra, "ＡＦ")
    assert dialog.result_rows()[0][0] == "AF / ＡＦ (95000009)"
    dialog.query_box.setText("pneumonia")
    assert dialog.result_rows() == []
    assert dialog.message.text() == "No LLT matches pneumonia."


def test_changes_dialog_lists_rows(qtbot: QtBot) -> None:
    rows = [("AF", "95000009 AF", "96000005 Atrial fibrillation", "LLT moved")]
    dialog = CodeChangesDialog("27.0", "28.0", rows)
    qtbot.addWidget(dialog)
    assert dialog.rows() == rows
    assert dialog.windowTitle() == "Codes changed by MedDRA 28.0"
