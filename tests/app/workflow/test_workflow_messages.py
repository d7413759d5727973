"""Workflow refusals name the item by its title, as the reviewer knows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from workflow_support import BOB, LEAD, REV, signed_in

from app.i18n import translate_error
from app.workflow import (
    NotAnnotatorError,
    OwnWorkError,
    WorkflowError,
    assign_item,
    reject_item,
    start_work,
    submit_work,
)
from storage.items import add_item

TITLE = "Discharge summary 12"


@pytest.fixture
def submitted(team: Path) -> tuple[Path, str]:
    """A document item annotated and submitted by bob (who also reviews)."""
    with signed_in(team, LEAD) as project:
        item_id = add_item(
            project.records, "document", TITLE, {"document_hash": "0" * 64}
        ).record_id
        assign_item(project, item_id, ["bob"], due="2026-12-08")
    with signed_in(team, BOB) as project:
        start_work(project, item_id)
        project.records.create("span", {"label": "AE"}, item_id=item_id)
        submit_work(project, item_id)
    return team, item_id


def test_rejecting_own_work_names_the_item_by_its_title(
    submitted: tuple[Path, str],
) -> None:
    folder, item_id = submitted

    with signed_in(folder, BOB) as project, pytest.raises(OwnWorkError) as caught:
        reject_item(project, item_id, reason="wrong", password=BOB[2], user_id="bob")

    what, hint = translate_error(caught.value)
    assert what == f"bob annotated the item {TITLE} and cannot review it."
    assert item_id not in what
    assert hint == (
        "Nothing was changed. Nobody reviews their own work: ask another reviewer."
    )
    assert caught.value.fields["record"] == item_id


def test_other_refusals_name_the_title_too(submitted: tuple[Path, str]) -> None:
    folder, item_id = submitted

    with signed_in(folder, REV) as project:
        with pytest.raises(WorkflowError) as no_reason:
            reject_item(project, item_id, reason=" ", password=REV[2], user_id="rev")
        with pytest.raises(NotAnnotatorError) as not_theirs:
            start_work(project, item_id)

    assert translate_error(no_reason.value)[0] == (
        f"The item {TITLE} cannot move on: a rejection needs a reason."
    )
    assert translate_error(not_theirs.value)[0] == (
        f"rev is not an annotator of the item {TITLE}."
    )


def test_without_a_title_the_item_id_stands_in() -> None:
    error = OwnWorkError("own work", user="bob", record="205dafa8")

    assert (
        str(error) == "bob annotated the item 205dafa8 and cannot review it. (own work)"
    )
