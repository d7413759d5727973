from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.item_views import ItemContext, view_factory
from app.pair_workspace import PairItemView
from app.preference import import_pairs
from app.tasks import TaskRunner
from storage.items import list_items
from storage.project import Project


def test_pair_items_open_in_the_pair_view(  # type: ignore[no-untyped-def]
    qtbot, project: Project, hh_file: Path
) -> None:
    import_pairs(project.records, hh_file)
    item = list_items(project.records, "pair")[6]

    assert view_factory("pair") is PairItemView
    tasks = TaskRunner()
    view = PairItemView(ItemContext(project, item, tasks, None))
    qtbot.addWidget(view)

    assert view.workspace.index == 6
    assert view.side_panel() is None
    tips = [action.toolTip() for action in view.tool_actions()]
    assert "A better - key A" in tips
    assert "Save and go to the next item - key Enter" in tips
    shown = view.workspace.panel.prompt_view.toPlainText()
    assert "chosen" not in shown
    assert "rejected" not in shown
    view.close_item()
