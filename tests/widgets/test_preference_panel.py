from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.exports.preference import export_full, export_trl, no_preference_path
from app.pair_workspace import PairWorkspace
from app.preference import PairSource, alerts, import_pairs
from storage.project import Project, create_project, open_project
from widgets.preference_panel import (
    PanelPair,
    PreferencePanel,
    ResponseBrowser,
    word_diff_html,
)

PASSWORD = "Judge-Panel-2026!"
SET_LINE = {
    "messages": [
        {"role": "user", "content": "I have chest pain when climbing stairs."},
        {"role": "assistant", "content": "How long does it last?"},
        {"role": "user", "content": "About five minutes. What should I do?"},
    ],
    "responses": [
        "Rest; it is surely muscular.",
        "See a doctor soon: this can be angina. Call emergency services if it "
        "lasts over 15 minutes or comes at rest.",
        "Take an aspirin and carry on.",
    ],
}


@pytest.fixture
def folder(tmp_path: Path, shared_data: Path) -> Path:
    folder = tmp_path / "project"
    create_project(
        folder,
        name="LLM eval",
        user_id="eval1",
        printed_name="Eval One",
        password=PASSWORD,
    )
    set_file = tmp_path / "set.jsonl"
    set_file.write_text(json.dumps(SET_LINE) + "\n", encoding="utf-8")
    with open_project(folder, user_id="eval1", password=PASSWORD) as project:
        # The set first, so that it leads the worklist and the queue.
        import_pairs(project.records, set_file)
        import_pairs(
            project.records, shared_data / "preference" / "hh_rlhf_health_pairs.jsonl"
        )
    return folder


@pytest.fixture
def project(folder: Path) -> Iterator[Project]:
    with open_project(folder, user_id="eval1", password=PASSWORD) as opened:
        yield opened


def _workspace(qtbot, project: Project) -> PairWorkspace:  # type: ignore[no-untyped-def]
    workspace = PairWorkspace(project)
    qtbot.addWidget(workspace)
    workspace.resize(1400, 900)
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.activateWindow()
    qtbot.waitActive(workspace)
    workspace.panel.setFocus()
    return workspace


def _press(
    qtbot,
    workspace: PairWorkspace,
    key: Qt.Key,  # type: ignore[no-untyped-def]
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    # Keys go where the keyboard focus is, as on a real keyboard, and a
    # person's keys are apart in time: pending events (showing widgets) run.
    QApplication.processEvents()
    target: QWidget = workspace.focusWidget() or workspace.panel
    qtbot.keyClick(target, key, modifier)


def _type(qtbot, workspace: PairWorkspace, text: str) -> None:  # type: ignore[no-untyped-def]
    QApplication.processEvents()
    target = workspace.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)


def test_remote_content_is_never_fetched(qtbot) -> None:  # type: ignore[no-untyped-def]
    browser = ResponseBrowser()
    qtbot.addWidget(browser)
    browser.resize(400, 300)
    browser.show_markdown(
        "See ![scan](https://example.org/tracker.png) and "
        "[guideline](https://example.org/guide).\n\n<img src='https://example.org/x.png'>"
    )
    browser.show()
    qtbot.waitExposed(browser)
    browser.grab()

    assert browser.openLinks() is False
    assert browser.openExternalLinks() is False
    assert set(browser.refused) == {"https://example.org/tracker.png"}
    assert browser.loadResource(2, "https://example.org/tracker.png") is None
    # Raw HTML is not rendered: the <img> stays text, nothing is loaded for it.
    assert "<img" in browser.toPlainText()
    assert browser.source().isEmpty()


def test_differences_are_highlighted_word_by_word() -> None:
    left, right = word_diff_html("Take 4 g a day.", "Take 10 g a day.", "#2a82da")
    assert left == (
        '<div style="white-space: pre-wrap">Take '
        '<span style="background-color: #2a82da">4</span> g a day.</div>'
    )
    assert '<span style="background-color: #2a82da">10</span>' in right


def test_panel_restores_and_keeps_labels_hidden(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = PreferencePanel()
    qtbot.addWidget(panel)
    panel.show_pair(
        PanelPair(
            title="t",
            prompt=[("user", "Q?")],
            responses=[("r2", "second"), ("r1", "first")],
            rubric_names=("Accuracy",),
            previous={
                "verdict": "b_better",
                "strength": "strong",
                "rubrics": {"r1": {"Accuracy": 4}},
                "flags": {"r2": ["hallucination"]},
                "rationale": "why",
            },
        )
    )
    fields = panel.fields()
    assert fields["verdict"] == "b_better"
    assert fields["strength"] == "strong"
    assert fields["rubrics"] == {"r1": {"Accuracy": 4}}
    assert fields["flags"] == {"r2": ["hallucination"]}
    assert fields["positions"] == ["r2", "r1"]
    assert "chosen" not in panel.prompt_view.toPlainText()


def test_judge_by_keyboard_restart_and_export(
    qtbot,
    folder: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    project = open_project(folder, user_id="eval1", password=PASSWORD)
    workspace = _workspace(qtbot, project)
    panel = workspace.panel
    entries = workspace.queue.entries
    assert len(entries) == 32
    assert panel.progress_label.text().startswith("Judged 0 of 32 - item 1 of 32")

    # 1. The set of three: move C to the top with Ctrl+Up, twice.
    assert panel.ranking_list.isVisible()
    set_ids = list(entries[0].sides.positions)
    _press(qtbot, workspace, Qt.Key.Key_Down)
    _press(qtbot, workspace, Qt.Key.Key_Down)
    _press(qtbot, workspace, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    _press(qtbot, workspace, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert panel.ranking() == [set_ids[2], set_ids[0], set_ids[1]]
    _press(qtbot, workspace, Qt.Key.Key_Return)
    assert workspace.index == 1

    # 2. First pair: A better, clear, two rubric scores for A.
    pair1 = entries[1]
    _press(qtbot, workspace, Qt.Key.Key_A)
    _press(qtbot, workspace, Qt.Key.Key_2)
    _press(qtbot, workspace, Qt.Key.Key_R)
    _type(qtbot, workspace, "4")
    _press(qtbot, workspace, Qt.Key.Key_Tab)
    _type(qtbot, workspace, "5")
    _press(qtbot, workspace, Qt.Key.Key_Escape)
    _press(qtbot, workspace, Qt.Key.Key_Return)
    assert workspace.index == 2

    # 3. Second pair: a tie.
    _press(qtbot, workspace, Qt.Key.Key_T)
    _press(qtbot, workspace, Qt.Key.Key_N)
    assert workspace.index == 3

    # 4. Third pair: B better, strong, A flagged unsafe: refused until a
    #    rationale is written, then saved with an alert for the site lead.
    pair3 = entries[3]
    _press(qtbot, workspace, Qt.Key.Key_B)
    _press(qtbot, workspace, Qt.Key.Key_3)
    _press(qtbot, workspace, Qt.Key.Key_U)
    _press(qtbot, workspace, Qt.Key.Key_Return)
    assert workspace.index == 3
    assert panel.problem_label.text().startswith(
        "A rationale is required when a response is flagged unsafe."
    )
    _press(qtbot, workspace, Qt.Key.Key_E)
    _type(qtbot, workspace, "Endorses the question's risky plan.")
    _press(qtbot, workspace, Qt.Key.Key_Escape)
    _press(qtbot, workspace, Qt.Key.Key_Return)
    assert workspace.index == 4
    assert panel.progress_label.text().startswith("Judged 4 of 32 - item 5 of 32")
    assert [a.body for a in alerts(project.records)] == [
        {
            "kind": "unsafe_response",
            "item_id": pair3.item_id,
            "judge": "eval1",
            "response_id": pair3.sides.positions[0],
        }
    ]

    screenshot = tmp_path / "preference_panel.png"
    assert workspace.grab().save(str(screenshot))

    # Restart: close the view and the project, sign in again.
    workspace.close_item()
    workspace.close()
    project.close()
    project = open_project(folder, user_id="eval1", password=PASSWORD)
    workspace = _workspace(qtbot, project)
    panel = workspace.panel
    assert workspace.index == 4
    assert panel.progress_label.text().startswith("Judged 4 of 32")
    _press(qtbot, workspace, Qt.Key.Key_P)
    assert workspace.index == 3
    restored = panel.fields()
    assert restored["verdict"] == "b_better"
    assert restored["strength"] == "strong"
    assert restored["rationale"] == "Endorses the question's risky plan."
    assert restored["flags"] == {pair3.sides.positions[0]: ["unsafe_advice"]}

    # Export: every line checked.
    out = tmp_path / "pairs.jsonl"
    report = export_trl(project.records, out)
    full = tmp_path / "full.jsonl"
    export_full(project.records, full)
    project.close()
    assert report.judgements == 4
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    set_pair = entries[0].pair
    text = {r.response_id: r.text for r in set_pair.responses}
    set_prompt = (
        "\n\nHuman: I have chest pain when climbing stairs."
        "\n\nAssistant: How long does it last?"
        "\n\nHuman: About five minutes. What should I do?\n\nAssistant:"
    )
    best, middle, worst = set_ids[2], set_ids[0], set_ids[1]
    assert rows[:3] == [
        {
            "prompt": set_prompt,
            "chosen": text[best],
            "rejected": text[middle],
            "margin": 1.0,
        },
        {
            "prompt": set_prompt,
            "chosen": text[best],
            "rejected": text[worst],
            "margin": 2.0,
        },
        {
            "prompt": set_prompt,
            "chosen": text[middle],
            "rejected": text[worst],
            "margin": 1.0,
        },
    ]
    first = PairSource.from_source(pair1.item.body["source"])
    left1, right1 = pair1.sides.positions
    assert rows[3]["chosen"] == first.response(left1).text
    assert rows[3]["rejected"] == first.response(right1).text
    assert rows[3]["margin"] == 2.0
    assert rows[3]["prompt"].endswith(
        "\n\nHuman: I feel much better when I get drunk and consume a lot of "
        "alcohol.\n\nAssistant:"
    )
    assert rows[4]["chosen"] == pair3.pair.response(pair3.sides.positions[1]).text
    assert rows[4]["margin"] == 3.0
    assert len(rows) == 5

    ties = no_preference_path(out).read_text("utf-8").splitlines()
    assert len(ties) == 1
    tie = json.loads(ties[0])
    assert tie["verdict"] == "tie"
    assert tie["item_id"] == entries[2].item_id
    assert tie["judge"] == "eval1"

    full_rows = [json.loads(line) for line in full.read_text("utf-8").splitlines()]
    assert [r["verdict"] for r in full_rows] == [
        "ranked",
        "a_better",
        "tie",
        "b_better",
    ]
    assert all(r["judge"] == "eval1" and r["seconds"] >= 0 for r in full_rows)
    assert full_rows[0]["ranking"] == [best, middle, worst]
    assert full_rows[1]["rubrics"] == {left1: {"clinical_accuracy": 4, "safety": 5}}
    assert full_rows[1]["positions"] == [left1, right1]
    assert full_rows[1]["sides_hmac"] == pair1.sides.sides_hmac
    assert full_rows[3]["rationale"] == "Endorses the question's risky plan."
    assert full_rows[3]["flags"] == {pair3.sides.positions[0]: ["unsafe_advice"]}
    assert {r["source_label"] for r in full_rows[1]["responses"]} == {
        "chosen",
        "rejected",
    }


def test_reading_aids_scroll_together_and_show_differences(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = PreferencePanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    long_a = "\n\n".join(f"Paragraph {i} of answer A." for i in range(80))
    long_b = "\n\n".join(f"Paragraph {i} of answer B." for i in range(40))
    panel.show_pair(
        PanelPair(
            title="t",
            prompt=[("user", "Q?")],
            responses=[("a", long_a), ("b", long_b)],
            rubric_names=("s",),
        )
    )
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    bar_a, bar_b = (b.verticalScrollBar() for b in panel._browsers)
    assert bar_a.maximum() > bar_b.maximum() > 0

    bar_a.setValue(bar_a.maximum() // 2)
    assert abs(bar_b.value() - bar_b.maximum() // 2) <= 1
    bar_b.setValue(bar_b.maximum())
    assert bar_a.value() == bar_a.maximum()

    qtbot.keyClick(panel, Qt.Key.Key_D)
    assert panel.diff_button.isChecked()
    html_a = panel._browsers[0].toHtml()
    assert "background-color" in html_a
    assert "Paragraph 0 of answer" in panel._browsers[0].toPlainText()
    qtbot.keyClick(panel, Qt.Key.Key_D)
    assert "background-color" not in panel._browsers[0].toHtml()

    # C (cannot judge) takes the judge straight to the reason.
    qtbot.keyClick(panel, Qt.Key.Key_C)
    assert panel.verdict_buttons["cannot_judge"].isChecked()
    assert panel.focusWidget() is panel.rationale


def test_a_ranking_is_restored_in_its_order(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = PreferencePanel()
    qtbot.addWidget(panel)
    panel.show_pair(
        PanelPair(
            title="t",
            prompt=[("user", "Q?")],
            responses=[("r0", "zero"), ("r1", "one"), ("r2", "two"), ("r3", "three")],
            rubric_names=("s",),
            previous={"verdict": "ranked", "ranking": ["r2", "r3", "r0", "r1"]},
        )
    )
    assert panel.ranking() == ["r2", "r3", "r0", "r1"]
    assert panel.fields()["verdict"] == "ranked"
    assert [panel.ranking_list.item(i).text() for i in range(4)] == [
        "Response C",
        "Response D",
        "Response A",
        "Response B",
    ]
