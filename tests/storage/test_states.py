from __future__ import annotations

import pytest

from storage import states
from storage.errors import PermissionDeniedError, TransitionError
from storage.items import add_item, set_item_status, unlock_item
from storage.signatures import describe_signatures
from tests.storage.helpers import ADMIN, ANNOTATOR, LEAD, REVIEWER, Opener


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("not_started", "in_progress", True),
        ("not_started", "submitted", True),
        ("not_started", "approved", False),
        ("in_progress", "submitted", True),
        ("in_progress", "reviewed", False),
        ("submitted", "reviewed", True),
        ("submitted", "approved", False),
        ("reviewed", "approved", True),
        ("reviewed", "rejected", True),
        ("approved", "locked", True),
        ("approved", "in_progress", False),
        ("rejected", "in_progress", True),
        ("locked", "approved", False),
    ],
)
def test_transition_table(old: str, new: str, allowed: bool) -> None:
    call = lambda: states.check_transition(  # noqa: E731
        "r1", old, new, user_id="rev", submitter="ann", reason="because"
    )
    if allowed:
        call()
    else:
        with pytest.raises(TransitionError):
            call()


def _submitted_item(sign_in: Opener) -> tuple[str, str]:
    annotator = sign_in(ANNOTATOR)
    item = add_item(annotator.records, "series", "CT 1", {"uid": "1.2.3"})
    roi = annotator.records.create("roi", {"label": "nodule"}, item_id=item.record_id)
    set_item_status(annotator.records, item.record_id, "in_progress")
    set_item_status(annotator.records, item.record_id, "submitted")
    return item.record_id, roi.record_id


def test_the_full_path_to_locked(sign_in: Opener) -> None:
    item_id, _ = _submitted_item(sign_in)
    reviewer = sign_in(REVIEWER)
    set_item_status(reviewer.records, item_id, "reviewed")
    set_item_status(reviewer.records, item_id, "approved")
    lead = sign_in(LEAD)
    set_item_status(lead.records, item_id, "locked")
    history = [r.body["status"] for r in lead.records.history(item_id)]
    assert history == [
        "not_started",
        "in_progress",
        "submitted",
        "reviewed",
        "approved",
        "locked",
    ]


def test_nobody_approves_their_own_work(sign_in: Opener) -> None:
    admin = sign_in(ADMIN)
    item = add_item(admin.records, "document", "label", {})
    set_item_status(admin.records, item.record_id, "submitted")
    with pytest.raises(TransitionError, match="their own work"):
        set_item_status(admin.records, item.record_id, "reviewed")


def test_roles_limit_moves(sign_in: Opener) -> None:
    item_id, _ = _submitted_item(sign_in)
    annotator = sign_in(ANNOTATOR)
    with pytest.raises(PermissionDeniedError):
        set_item_status(annotator.records, item_id, "reviewed")


def test_skipping_a_state_is_refused(sign_in: Opener) -> None:
    item_id, _ = _submitted_item(sign_in)
    reviewer = sign_in(REVIEWER)
    with pytest.raises(TransitionError, match="no move from submitted to approved"):
        set_item_status(reviewer.records, item_id, "approved")
    with pytest.raises(TransitionError, match="needs a reason"):
        set_item_status(reviewer.records, item_id, "rejected")
    set_item_status(reviewer.records, item_id, "rejected", reason="missed a nodule")


def test_a_plain_revise_cannot_skip_the_rules(sign_in: Opener) -> None:
    item_id, _ = _submitted_item(sign_in)
    annotator = sign_in(ANNOTATOR)
    body = annotator.records.head(item_id).body
    with pytest.raises((TransitionError, PermissionDeniedError)):
        annotator.records.revise(item_id, {**body, "status": "approved"})


def test_changing_a_submitted_record_needs_a_reason(sign_in: Opener) -> None:
    _, roi_id = _submitted_item(sign_in)
    annotator = sign_in(ANNOTATOR)
    with pytest.raises(TransitionError, match="needs a reason"):
        annotator.records.revise(roi_id, {"label": "mass"})
    with pytest.raises(TransitionError, match="needs a reason"):
        annotator.records.delete(roi_id)
    annotator.records.revise(roi_id, {"label": "mass"}, reason="re-read")
    entry = annotator.audit.entries(record_id=roi_id)[-1]
    assert (entry.action, entry.reason) == ("record.revise", "re-read")


def test_a_locked_record_changes_only_after_a_signed_unlock(sign_in: Opener) -> None:
    item_id, roi_id = _submitted_item(sign_in)
    reviewer = sign_in(REVIEWER)
    set_item_status(reviewer.records, item_id, "reviewed")
    set_item_status(reviewer.records, item_id, "approved")
    lead = sign_in(LEAD)
    set_item_status(lead.records, item_id, "locked")

    with pytest.raises(TransitionError, match="locked"):
        lead.records.revise(roi_id, {"label": "mass"}, reason="fix")
    with pytest.raises(TransitionError, match="locked"):
        set_item_status(lead.records, item_id, "in_progress", reason="fix")
    annotator = sign_in(ANNOTATOR)
    with pytest.raises(PermissionDeniedError):
        unlock_item(
            annotator,
            item_id,
            reason="fix",
            site_lead_id="ann",
            site_lead_password=ANNOTATOR[2],
        )
    with pytest.raises(TransitionError, match="needs a reason"):
        unlock_item(
            annotator,
            item_id,
            reason=" ",
            site_lead_id="lee",
            site_lead_password=LEAD[2],
        )

    unlock_item(
        annotator,
        item_id,
        reason="wrong series",
        site_lead_id="lee",
        site_lead_password=LEAD[2],
    )
    assert annotator.records.head(item_id).body["status"] == "in_progress"
    views = describe_signatures(annotator, item_id)
    assert [(v.meaning, v.printed_name) for v in views] == [("unlocked", "Lee Lead")]
    annotator.records.revise(roi_id, {"label": "mass"})
