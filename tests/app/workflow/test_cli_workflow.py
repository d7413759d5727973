"""``haiops item assign|submit|status`` and ``haiops review queue|approve|reject``."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest
from workflow_support import ANN, BOB, LEAD, REV, signed_in

from app.cli import main
from app.document_workspace import span_body
from app.workflow import start_work
from storage.items import add_item
from viewers.documents.model import Document, open_document


def _run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    who: tuple[str, str, str],
    *argv: str,
    signs: bool = False,
) -> tuple[int, list[str]]:
    lines = [who[2], who[2]] if signs else [who[2]]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code = main([*argv, "--project", str(folder), "--user", who[0], "--password-stdin"])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


@pytest.fixture
def label(shared_data: Path) -> Document:
    return open_document(shared_data / "tac2017_adr" / "CIMZIA.xml")


def _item(folder: Path, document: Document) -> str:
    with signed_in(folder, LEAD) as project:
        return add_item(
            project.records,
            "document",
            "CIMZIA label",
            {"document_hash": document.content_hash},
        ).record_id


def _span(
    folder: Path, who: tuple[str, str, str], item_id: str, document: Document, term: str
) -> None:
    start = document.text.find(term)
    assert start >= 0
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        project.records.create(
            "span",
            span_body(
                document,
                label="ADR",
                label_set_version=1,
                fragments=[(start, start + len(term))],
            ),
            item_id=item_id,
        )


def test_assign_submit_queue_and_status(
    team: Path,
    label: Document,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    item_id = _item(team, label)
    run = functools.partial(_run, monkeypatch, capsys, team)

    assert run(
        LEAD,
        "item",
        "assign",
        item_id,
        "--annotators",
        "ann,bob",
        "--due",
        "2026-12-11",
    ) == (0, [f"Assigned {item_id} to ann, bob, due 2026-12-11"])
    code, refused = run(REV, "item", "assign", item_id, "--annotators", "ann")
    assert code == 1
    assert refused[0] == "haiops: rev is not allowed to assign items in this project."

    _span(team, ANN, item_id, label, "infections")
    _span(team, BOB, item_id, label, "infections")
    assert run(ANN, "item", "submit", item_id) == (0, ["Submitted; waiting for bob"])
    assert run(BOB, "item", "submit", item_id) == (
        0,
        [f"Submitted; {item_id} is submitted"],
    )

    # Both marked the same span: lenient F1 is 1.
    assert run(REV, "review", "queue") == (
        0,
        [
            f"{item_id}\tadjudicate\tann,bob\tdue 2026-12-11"
            "\tlenient_f1 1.000\tCIMZIA label"
        ],
    )
    code, lines = run(ANN, "review", "queue")
    assert lines == ["Nothing is waiting for your review"]

    code, lines = run(REV, "item", "status", item_id)
    assert lines == [
        f"Item: {item_id}",
        "Title: CIMZIA label",
        "Kind: document",
        "Status: submitted",
        "Annotators: ann, bob",
        "Submitted by: ann, bob",
        "Due: 2026-12-11",
    ]


def test_reject_then_approve_from_the_command_line(
    team: Path,
    label: Document,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    item_id = _item(team, label)
    run = functools.partial(_run, monkeypatch, capsys, team)
    run(LEAD, "item", "assign", item_id, "--annotators", "ann")
    _span(team, ANN, item_id, label, "tuberculosis")
    run(ANN, "item", "submit", item_id)

    code, lines = run(
        REV, "review", "reject", item_id, "--reason", "Lymphoma is missing", signs=True
    )
    assert code == 0
    assert lines[0].startswith(f"Rejected {item_id}; signature ")
    code, lines = run(ANN, "item", "status", item_id)
    assert lines[3:8] == [
        "Status: rejected",
        "Annotators: ann",
        "Submitted by: -",
        "Due: -",
        "Rejected because: Lymphoma is missing",
    ]
    assert lines[8].startswith("Signature: rejected by Rita Reviewer (rev) at ")
    assert lines[8].endswith(": valid")

    _span(team, ANN, item_id, label, "lymphoma")
    run(ANN, "item", "submit", item_id)
    code, lines = run(REV, "review", "approve", item_id, signs=True)
    assert code == 0
    code, lines = run(REV, "item", "status", item_id)
    assert lines[3] == "Status: approved"
    assert [line.split(" by ")[0] for line in lines[7:]] == [
        "Signature: rejected",
        "Signature: approved",
    ]


def test_status_is_printed_in_words(
    team: Path,
    label: Document,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    item_id = _item(team, label)
    run = functools.partial(_run, monkeypatch, capsys, team)
    run(LEAD, "item", "assign", item_id, "--annotators", "ann")

    code, lines = run(ANN, "item", "status", item_id)

    assert code == 0
    assert lines[3] == "Status: not started"
