"""Spans of a real drug label: double annotation, adjudication, reject and approve."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_support import ANN, BOB, LEAD, REV, signed_in

from app.document_workspace import span_body
from app.workflow import (
    LEFT,
    RIGHT,
    Choice,
    WorkflowError,
    adjudicate_item,
    approve_item,
    assign_item,
    compare_item,
    item_state,
    my_work,
    reject_item,
    review_queue,
    start_work,
    submit_work,
)
from storage.items import add_item
from storage.signatures import describe_signatures
from viewers.documents.model import Document, open_document


@pytest.fixture
def label(shared_data: Path) -> Document:
    """The ADCETRIS drug label of TAC 2017 ADR, as its canonical text."""
    return open_document(shared_data / "tac2017_adr" / "ADCETRIS.xml")


def _term(document: Document, term: str) -> tuple[int, int]:
    start = document.text.find(term)
    assert start >= 0
    return start, start + len(term)


def _annotate(
    folder: Path,
    who: tuple[str, str, str],
    item_id: str,
    document: Document,
    spans: list[tuple[str, str]],
) -> list[str]:
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        made = [
            project.records.create(
                "span",
                span_body(
                    document,
                    label=name,
                    label_set_version=1,
                    fragments=[_term(document, term)],
                ),
                item_id=item_id,
            ).record_id
            for name, term in spans
        ]
        submit_work(project, item_id)
    return made


def _document_item(folder: Path, document: Document, annotators: list[str]) -> str:
    with signed_in(folder, LEAD) as project:
        item_id = add_item(
            project.records,
            "document",
            "ADCETRIS label",
            {"document_hash": document.content_hash},
        ).record_id
        assign_item(project, item_id, annotators, due="2026-12-08")
    return item_id


def test_span_differences_by_offsets_and_label(team: Path, label: Document) -> None:
    item_id = _document_item(team, label, ["ann", "bob"])
    _annotate(
        team,
        ANN,
        item_id,
        label,
        [
            ("ADR", "neutropenia"),
            ("ADR", "peripheral sensory neuropathy"),
            ("Drug", "ADCETRIS"),
        ],
    )
    _annotate(
        team,
        BOB,
        item_id,
        label,
        [
            ("ADR", "neutropenia"),
            ("ADR", "sensory neuropathy"),
            ("ADR", "anemia"),
            ("ADR", "ADCETRIS"),
        ],
    )

    with signed_in(team, REV) as project:
        comparison = compare_item(project, item_id)
        differences = comparison.differences
        result = adjudicate_item(
            project,
            comparison,
            {0: Choice(LEFT), 1: Choice(RIGHT), 2: Choice(LEFT)},
            reason="boundaries as annotated by ann",
            password=REV[2],
            user_id="rev",
        )
        (signature,) = describe_signatures(project, item_id)
        status = item_state(project, item_id).status

    assert [d.problems for d in differences] == [("offsets",), ("only_b",), ("label",)]
    assert [
        (
            d.left.body["text"] if d.left else None,
            d.right.body["text"] if d.right else None,
        )
        for d in differences
    ] == [
        ("peripheral sensory neuropathy", "sensory neuropathy"),
        (None, "anemia"),
        ("ADCETRIS", "ADCETRIS"),
    ]
    assert round(differences[0].overlap or 0, 4) == round(18 / 29, 4)
    # Lenient F1 of app.quality: 2 of ann's 3 and bob's 4 spans pair by label.
    assert comparison.agreement.measure == "lenient_f1"
    assert round(comparison.agreement.value or 0, 4) == round(4 / 7, 4)
    assert [(r.body["label"], r.body["text"]) for r in result.records] == [
        ("ADR", "neutropenia"),
        ("ADR", "peripheral sensory neuropathy"),
        ("ADR", "anemia"),
        ("Drug", "ADCETRIS"),
    ]
    assert [len(r.body["adjudicated_from"]) for r in result.records] == [2, 2, 1, 2]
    assert (signature.meaning, signature.signer_id, status) == (
        "reviewed",
        "rev",
        "reviewed",
    )


def test_rejected_item_returns_with_its_reason_then_is_approved(
    team: Path, label: Document
) -> None:
    item_id = _document_item(team, label, ["ann"])
    _annotate(team, ANN, item_id, label, [("ADR", "neutropenia")])

    with signed_in(team, REV) as project:
        (entry,) = review_queue(project)
        with pytest.raises(WorkflowError, match="a rejection needs a reason"):
            reject_item(project, item_id, reason=" ", password=REV[2], user_id="rev")
        decision = reject_item(
            project,
            item_id,
            reason="Thrombocytopenia is not marked",
            password=REV[2],
            user_id="rev",
        )
        (rejected,) = describe_signatures(project, item_id)

    assert (entry.needs_adjudication, entry.agreement) == (False, None)
    assert decision.item.body["status"] == "rejected"
    assert (rejected.meaning, rejected.signer_id) == ("rejected", "rev")
    assert decision.signature.reason == "Thrombocytopenia is not marked"

    with signed_in(team, ANN) as project:
        (queued,) = my_work(project)
        assert (queued.status, queued.rejection_reason) == (
            "rejected",
            "Thrombocytopenia is not marked",
        )
        start_work(project, item_id)
        assert item_state(project, item_id).rejection_reason == (
            "Thrombocytopenia is not marked"
        )
        project.records.create(
            "span",
            span_body(
                label,
                label="ADR",
                label_set_version=1,
                fragments=[_term(label, "thrombocytopenia")],
            ),
            item_id=item_id,
        )
        submit_work(project, item_id)
        assert my_work(project) == []

    with signed_in(team, REV) as project:
        decision = approve_item(project, item_id, password=REV[2], user_id="rev")
        views = describe_signatures(project, item_id)
        statuses = [r.body["status"] for r in project.records.history(item_id)]

    assert decision.item.body["status"] == "approved"
    assert [(v.meaning, v.signer_id) for v in views] == [
        ("rejected", "rev"),
        ("approved", "rev"),
    ]
    # The approval signs the item and ann's two spans.
    assert len(views[1].record_ids) == 3
    assert statuses[-3:] == ["submitted", "reviewed", "approved"]


def test_my_work_is_ordered_by_due_date(team: Path, label: Document) -> None:
    made = {}
    for title, due in (
        ("late", "2026-12-20"),
        ("undated", None),
        ("soon", "2026-12-05"),
        ("bob's", "2026-12-01"),
    ):
        with signed_in(team, LEAD) as project:
            item_id = add_item(
                project.records, "document", title, {"document_hash": "0" * 64}
            ).record_id
            assign_item(
                project, item_id, ["bob" if title == "bob's" else "ann"], due=due
            )
        made[title] = item_id
    with signed_in(team, ANN) as project:
        submit_work(project, made["late"])  # submitted work leaves the queue too
        assert [(s.title, s.due) for s in my_work(project)] == [
            ("soon", "2026-12-05"),
            ("undated", None),
        ]
        assert [s.title for s in my_work(project, "bob")] == ["bob's"]
