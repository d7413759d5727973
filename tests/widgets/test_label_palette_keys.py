"""The label palette's 1-9 key actions carry their label's name."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from storage.labels import Label, LabelSet
from widgets.label_palette import LabelPalette


def test_key_actions_are_named_after_their_labels(qtbot) -> None:
    palette = LabelPalette()
    qtbot.addWidget(palette)
    labels = (
        Label("Lesion", "#e6194b", "1", ""),
        Label("Nodule", "#f58231", "3", ""),
    )
    palette.set_label_set(LabelSet(scope="image", version=1, labels=labels))
    texts = [action.text() for action in palette.key_actions()]
    assert texts[0] == "Lesion"
    assert texts[1] == "Label key 2 (no label)"
    assert texts[2] == "Nodule"
    assert texts[8] == "Label key 9 (no label)"
    assert [a.shortcut().toString() for a in palette.key_actions()] == list("123456789")
