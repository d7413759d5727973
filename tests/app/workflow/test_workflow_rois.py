"""Blind double annotation of a real CT series, adjudicated and signed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from workflow_support import ANN, BOB, LEAD, REV, signed_in

from app.series_workspace import add_series_item, load_series_volume, roi_body
from app.workflow import (
    EDIT,
    LEFT,
    RIGHT,
    AdjudicationError,
    BlindReviewError,
    Choice,
    OwnWorkError,
    WorkflowError,
    adjudicate_item,
    approve_item,
    assign_item,
    compare_item,
    item_state,
    my_work,
    review_queue,
    start_work,
    submit_work,
    visible_records,
)
from storage.errors import TransitionError, WrongPasswordError
from storage.records import Revision
from storage.signatures import describe_signatures
from viewers.imaging.series import scan

# (kind, label, slice, corners as (column, row) image points)
ANN_ROIS = [
    ("rectangle", "nodule", 10, [[100, 100], [139, 139]]),  # 1600 pixels
    ("ellipse", "cyst", 12, [[200, 200], [229, 229]]),
    ("rectangle", "nodule", 14, [[50, 50], [69, 69]]),  # bob draws none here
    ("rectangle", "nodule", 18, [[100, 100], [119, 119]]),  # 400 pixels
]
BOB_ROIS = [
    ("rectangle", "nodule", 10, [[101, 100], [140, 139]]),  # 1560 shared: agrees
    ("ellipse", "nodule", 12, [[200, 200], [229, 229]]),  # same outline, label
    ("rectangle", "nodule", 16, [[60, 60], [79, 79]]),  # ann draws none here
    ("rectangle", "nodule", 18, [[110, 100], [129, 119]]),  # 200 shared: Dice 0.5
]


def _draw(
    folder: Path, who: tuple[str, str, str], item_id: str, rois: list[Any]
) -> None:
    with signed_in(folder, who) as project:
        start_work(project, item_id)
        volume = load_series_volume(project.records.head(item_id))
        for kind, label, index, points in rois:
            body = roi_body(
                volume,
                kind=kind,
                label=label,
                label_set_version=1,
                slice_index=index,
                points=points,
            )
            project.records.create("roi", body, item_id=item_id)


@pytest.fixture
def double_series(team: Path, dicom_data: Path) -> tuple[Path, str]:
    """The 5 mm Philips CT assigned to ann and bob, both drawing ROIs blind."""
    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    with signed_in(team, LEAD) as project:
        item_id = add_series_item(project, series).record_id
        assign_item(project, item_id, ["ann", "bob"], due="2026-12-10")
    _draw(team, ANN, item_id, ANN_ROIS)
    _draw(team, BOB, item_id, BOB_ROIS)
    return team, item_id


def _labels(records: list[Revision]) -> list[tuple[int, str]]:
    return sorted((r.body["slice_index"], r.body["label"]) for r in records)


def test_assignment_is_a_new_audited_item_revision(
    double_series: tuple[Path, str],
) -> None:
    folder, item_id = double_series
    with signed_in(folder, LEAD) as project:
        history = project.records.history(item_id)
        assigned = next(r for r in history if r.body.get("annotators"))
        entries = project.audit.entries(record_id=item_id)

    assert assigned.body["annotators"] == ["ann", "bob"]
    assert assigned.body["assignee"] == "ann"
    assert assigned.body["due"] == "2026-12-10"
    assert assigned.author == "lee"
    entry = next(e for e in entries if "annotators" in (e.new_value or ""))
    assert (entry.action, entry.user_id) == ("record.revise", "lee")
    assert json.loads(entry.new_value or "{}")["annotators"] == ["ann", "bob"]
    assert json.loads(entry.old_value or "{}")["assignee"] is None


def test_only_site_leads_assign_and_only_annotators(
    team: Path, dicom_data: Path
) -> None:
    from storage.errors import PermissionDeniedError

    series = scan(dicom_data / "ct_philips_5mm_28").series[0]
    with signed_in(team, LEAD) as project:
        item_id = add_series_item(project, series).record_id
        with pytest.raises(WorkflowError, match="rev is not an active annotator"):
            assign_item(project, item_id, ["ann", "rev"])
        with pytest.raises(WorkflowError, match="2026-13-01 is not YYYY-MM-DD"):
            assign_item(project, item_id, ["ann"], due="2026-13-01")
    with signed_in(team, REV) as project, pytest.raises(PermissionDeniedError):
        assign_item(project, item_id, ["ann"])


def test_annotators_are_blind_until_both_submit(
    double_series: tuple[Path, str],
) -> None:
    folder, item_id = double_series

    with signed_in(folder, ANN) as project:
        (queued,) = my_work(project)
        own = visible_records(project, item_id, "roi")
        with pytest.raises(BlindReviewError):
            visible_records(project, item_id, "roi", of="bob")
        submit_work(project, item_id)
        assert my_work(project) == []
        after_submitting = visible_records(project, item_id, "roi")
        status_after_one = item_state(project, item_id).status

    assert (queued.item_id, queued.due, queued.annotators) == (
        item_id,
        "2026-12-10",
        ("ann", "bob"),
    )
    assert _labels(own) == [
        (10, "nodule"),
        (12, "cyst"),
        (14, "nodule"),
        (18, "nodule"),
    ]
    assert {r.author for r in own} == {"ann"}
    assert after_submitting == own  # still blind: bob has not submitted
    assert status_after_one == "in_progress"

    with signed_in(folder, BOB) as project:
        assert {r.author for r in visible_records(project, item_id)} == {"bob"}
        submit_work(project, item_id)
        assert item_state(project, item_id).status == "submitted"
    with signed_in(folder, ANN) as project:
        assert len(visible_records(project, item_id, "roi", of="bob")) == 4


def _submit_both(folder: Path, item_id: str) -> None:
    for who in (ANN, BOB):
        with signed_in(folder, who) as project:
            submit_work(project, item_id)


def test_a_reviewer_who_annotated_is_refused(double_series: tuple[Path, str]) -> None:
    folder, item_id = double_series
    _submit_both(folder, item_id)

    with signed_in(folder, BOB) as project:
        assert review_queue(project) == []
        with pytest.raises(OwnWorkError, match="bob annotated the item"):
            compare_item(project, item_id)
        with pytest.raises(OwnWorkError):
            approve_item(project, item_id, password=BOB[2], user_id="bob")


def test_adjudication_takes_one_side_per_difference_and_signs(
    double_series: tuple[Path, str],
) -> None:
    folder, item_id = double_series
    with signed_in(folder, REV) as project, pytest.raises(WorkflowError):
        compare_item(project, item_id)  # not submitted yet
    _submit_both(folder, item_id)

    with signed_in(folder, REV) as project:
        (entry,) = review_queue(project)
        comparison = compare_item(project, item_id)
        differences = comparison.differences
        problems = [d.problems for d in differences]
        slices = [(d.left or d.right).body["slice_index"] for d in differences]  # type: ignore[union-attr]
        (match,) = comparison.matches

        with pytest.raises(AdjudicationError, match="differences \\[4\\] have no"):
            adjudicate_item(
                project,
                comparison,
                {0: Choice(RIGHT), 1: Choice(LEFT), 2: Choice(LEFT)},
                reason="read both",
                password=REV[2],
                user_id="rev",
            )
        choices = {0: Choice(RIGHT), 1: Choice(LEFT), 2: Choice(LEFT), 3: Choice(RIGHT)}
        with pytest.raises(WrongPasswordError):
            adjudicate_item(
                project,
                comparison,
                choices,
                reason="read both",
                password="not the password",
                user_id="rev",
            )
        before = len(project.records.current("roi", item_id=item_id))
        result = adjudicate_item(
            project,
            comparison,
            choices,
            reason="Second reading of slices 12 and 18",
            password=REV[2],
            user_id="rev",
        )
        after = len(project.records.current("roi", item_id=item_id))
        (signature,) = describe_signatures(project, item_id)
        status = item_state(project, item_id).status

    assert entry.needs_adjudication
    assert entry.agreement is not None
    assert entry.agreement.measure == "mean_dice"
    # Quality pairs by overlap whatever the label: Dice 0.975, 1.0 and 0.5.
    assert round(entry.agreement.value or 0, 4) == round((0.975 + 1.0 + 0.5) / 3, 4)
    assert len(differences) == 4
    assert problems == [("label",), ("only_a",), ("only_b",), ("outline",)]
    assert slices == [12, 14, 16, 18]
    assert round(differences[3].overlap or 0, 3) == 0.5
    assert round(match.overlap or 0, 3) == 0.975
    assert before == 8  # the refused signature wrote nothing

    # The agreeing pair from ann, the label from bob, ann's lone ROI kept,
    # bob's lone ROI left out, bob's outline on slice 18: four records.
    bodies = [r.body for r in result.records]
    assert after == 8 + 4
    assert _labels(list(result.records)) == [
        (10, "nodule"),
        (12, "nodule"),
        (14, "nodule"),
        (18, "nodule"),
    ]
    reason = "Second reading of slices 12 and 18"
    by_slice = {b["slice_index"]: b for b in bodies}
    assert by_slice[10]["points_image"] == [[100.0, 100.0], [139.0, 139.0]]
    assert by_slice[18]["points_image"] == [[110.0, 100.0], [129.0, 119.0]]
    assert by_slice[12]["kind"] == "ellipse"
    assert by_slice[10]["adjudicated_from"] == match.source_ids
    assert by_slice[12]["adjudicated_from"] == differences[0].source_ids
    assert len(by_slice[12]["adjudicated_from"]) == 2
    assert by_slice[14]["adjudicated_from"] == differences[1].source_ids
    assert all(b["adjudication_reason"] == reason for b in bodies)
    assert all(r.author == "rev" and r.reason == reason for r in result.records)
    assert differences[0].right is not None
    assert by_slice[12] == {
        **differences[0].right.body,
        "adjudicated_from": differences[0].source_ids,
        "adjudication_reason": reason,
    }

    assert (signature.meaning, signature.signer_id) == ("reviewed", "rev")
    assert signature.printed_name == "Rita Reviewer"
    assert signature.status == "valid"
    assert set(signature.record_ids) == {
        item_id,
        *(r.record_id for r in result.records),
    }
    assert status == "reviewed"


def _adjudicated(folder: Path, item_id: str) -> None:
    _submit_both(folder, item_id)
    with signed_in(folder, REV) as project:
        comparison = compare_item(project, item_id)
        adjudicate_item(
            project,
            comparison,
            {i: Choice(LEFT) for i in range(len(comparison.differences))},
            reason="ann's reading kept",
            password=REV[2],
            user_id="rev",
        )


def test_an_edited_record_replaces_both_sides(double_series: tuple[Path, str]) -> None:
    folder, item_id = double_series
    _submit_both(folder, item_id)
    with signed_in(folder, REV) as project:
        comparison = compare_item(project, item_id)
        label_difference = comparison.differences[0]
        assert label_difference.left is not None
        edited: dict[str, Any] = {**label_difference.left.body, "label": "mass"}
        result = adjudicate_item(
            project,
            comparison,
            {
                0: Choice(EDIT, edited),
                1: Choice(RIGHT),
                2: Choice(RIGHT),
                3: Choice(LEFT),
            },
            reason="neither label fits",
            password=REV[2],
            user_id="rev",
        )

    assert _labels(list(result.records)) == [
        (10, "nodule"),
        (12, "mass"),
        (16, "nodule"),
        (18, "nodule"),
    ]
    mass = next(r for r in result.records if r.body["label"] == "mass")
    assert mass.body["adjudicated_from"] == label_difference.source_ids


def test_approve_after_adjudication_is_signed(double_series: tuple[Path, str]) -> None:
    folder, item_id = double_series
    _adjudicated(folder, item_id)

    with signed_in(folder, REV) as project:
        assert review_queue(project) == []  # rev adjudicated it
        with pytest.raises(OwnWorkError, match="rev annotated the item"):
            approve_item(project, item_id, password=REV[2], user_id="rev")
    with signed_in(folder, LEAD) as project:
        assert [e.needs_adjudication for e in review_queue(project)] == [False]
        decision = approve_item(project, item_id, password=LEAD[2], user_id="lee")
        views = describe_signatures(project, item_id)

    assert decision.item.body["status"] == "approved"
    assert [(v.meaning, v.signer_id) for v in views] == [
        ("reviewed", "rev"),
        ("approved", "lee"),
    ]
    assert views[0].status == "superseded"  # the item moved on since
    assert views[1].status == "valid"
    # The approval signs the item and the four adjudicated ROIs.
    assert len(views[1].record_ids) == 5


def test_a_double_item_is_not_approved_before_adjudication(
    double_series: tuple[Path, str],
) -> None:
    folder, item_id = double_series
    _submit_both(folder, item_id)
    with signed_in(folder, REV) as project:
        with pytest.raises(WorkflowError, match="must be adjudicated first"):
            approve_item(project, item_id, password=REV[2], user_id="rev")
        assert item_state(project, item_id).status == "submitted"


def test_storage_still_refuses_a_skipped_state(double_series: tuple[Path, str]) -> None:
    from storage.items import set_item_status

    folder, item_id = double_series
    with signed_in(folder, REV) as project, pytest.raises(TransitionError):
        set_item_status(project.records, item_id, "reviewed")


def test_a_rejected_adjudication_goes_back_to_both_annotators(
    double_series: tuple[Path, str],
) -> None:
    from app.workflow import reject_item

    folder, item_id = double_series
    _adjudicated(folder, item_id)

    with signed_in(folder, REV) as project:
        decision = reject_item(
            project,
            item_id,
            reason="Slice 18 outline unclear; draw again",
            password=REV[2],
            user_id="rev",
        )
        live = project.records.current("roi", item_id=item_id)
        (_, rejected) = describe_signatures(project, item_id)
        with pytest.raises(WorkflowError, match="not every annotator has submitted"):
            compare_item(project, item_id)

    assert decision.item.body["status"] == "rejected"
    assert decision.item.body["submitted_by"] == []
    # ann's 4 and bob's 4 stay; the 4 adjudicated ROIs are withdrawn.
    assert len(live) == 8
    assert not any("adjudicated_from" in r.body for r in live)
    assert (rejected.meaning, rejected.status) == ("rejected", "valid")
    assert len(rejected.record_ids) == 1 + 8
    with signed_in(folder, ANN) as project:
        (queued,) = my_work(project)
        assert queued.rejection_reason == "Slice 18 outline unclear; draw again"
        assert {r.author for r in visible_records(project, item_id)} == {"ann"}
