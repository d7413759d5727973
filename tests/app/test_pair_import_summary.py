"""The pair import summary: counts, bad lines, all in the PairImport context."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import pair_workspace
from app.pair_workspace import import_summary
from app.preference.errors import MalformedLineError
from app.preference.importing import ImportReport


def _report(bad_lines: int) -> ImportReport:
    return ImportReport(
        path=Path("pairs.jsonl"),
        file_sha256="0" * 64,
        item_ids=["a", "b", "c"],
        shapes={"explicit": 2, "conversational": 1},
        problems=[
            MalformedLineError("no chosen answer", line=n, path="pairs.jsonl")
            for n in range(1, bad_lines + 1)
        ],
    )


def test_summary_names_items_shapes_and_bad_lines() -> None:
    text = import_summary(_report(22))
    lines = text.split("\n")
    assert (
        lines[0] == "3 items imported from pairs.jsonl (1 conversational, 2 explicit)."
    )
    assert lines[1] == "Line 1: no chosen answer"
    assert len(lines) == 22
    assert lines[-1] == "... and 2 more bad lines."


def test_summary_strings_use_the_pair_import_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    contexts: list[str] = []

    class _Recorder:
        @staticmethod
        def translate(context: str, text: str) -> str:
            contexts.append(context)
            return text

    monkeypatch.setattr(pair_workspace, "QCoreApplication", _Recorder)
    import_summary(_report(21))
    assert contexts == ["PairImport"] * 22
