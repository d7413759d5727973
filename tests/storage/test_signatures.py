from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from storage import accounts
from storage.errors import (
    PermissionDeniedError,
    SessionExpiredError,
    SignatureError,
    WrongPasswordError,
)
from storage.project import open_project
from storage.signatures import (
    ATTESTATIONS,
    describe_signatures,
    sign_records,
    verify_signature,
)
from tests.storage.helpers import ADMIN, ANNOTATOR, LEAD, REVIEWER, Opener


def test_first_signature_needs_the_user_id_then_only_the_password(
    sign_in: Opener,
) -> None:
    project = sign_in(ANNOTATOR)
    roi = project.records.create("roi", {"label": "nodule"})
    with pytest.raises(SessionExpiredError, match="user ID is needed"):
        sign_records(project, [roi.record_id], "authored", password=ANNOTATOR[2])
    assert [e.reason for e in project.audit.entries(action="signature.refused")] == [
        "user ID needed after sign-in or lock"
    ]
    sign_records(
        project, [roi.record_id], "authored", password=ANNOTATOR[2], user_id="ann"
    )
    other = project.records.create("roi", {"label": "mass"})
    sign_records(project, [other.record_id], "authored", password=ANNOTATOR[2])

    project.note_session_locked()
    with pytest.raises(SessionExpiredError):
        sign_records(project, [other.record_id], "authored", password=ANNOTATOR[2])


def test_a_signature_shows_name_local_time_and_meaning(sign_in: Opener) -> None:
    project = sign_in(REVIEWER)
    a = project.records.create("roi", {"label": "nodule"}, item_id="series-1")
    b = project.records.create("roi", {"label": "mass"}, item_id="series-1")
    signature = sign_records(
        project,
        [a.record_id, b.record_id],
        "reviewed",
        password=REVIEWER[2],
        user_id="rev",
    )

    assert signature.record_type == "signature"
    assert signature.item_id == "series-1"
    assert signature.body["attestation"] == ATTESTATIONS["reviewed"]
    views = describe_signatures(project, b.record_id)
    assert len(views) == 1
    view = views[0]
    assert (view.meaning, view.signer_id, view.printed_name, view.status) == (
        "reviewed",
        "rev",
        "Rita Reviewer",
        "valid",
    )
    assert view.record_ids == (a.record_id, b.record_id)
    assert "(UTC" in view.signed_at_local
    entry = project.audit.entries(action="signature.sign")[-1]
    assert json.loads(entry.new_value or "{}")["printed_name"] == "Rita Reviewer"


def test_revising_a_signed_record_supersedes_the_signature(sign_in: Opener) -> None:
    project = sign_in(ANNOTATOR)
    roi = project.records.create("roi", {"label": "nodule"})
    sign_records(
        project, [roi.record_id], "authored", password=ANNOTATOR[2], user_id="ann"
    )
    project.records.revise(roi.record_id, {"label": "mass"})
    [view] = describe_signatures(project, roi.record_id)
    assert view.status == "superseded"
    assert view.problem == "the record was revised since"


def test_moving_a_signature_onto_another_record_fails(sign_in: Opener) -> None:
    project = sign_in(ANNOTATOR)
    signed = project.records.create("roi", {"label": "nodule"})
    other = project.records.create("roi", {"label": "mass"})
    signature = sign_records(
        project, [signed.record_id], "authored", password=ANNOTATOR[2], user_id="ann"
    )
    target = dict(signature.body["targets"][0])
    target.update(record_id=other.record_id, revision_id=other.revision_id)
    moved = project.records.revise(
        signature.record_id, {**signature.body, "targets": [target]}
    )
    view = verify_signature(project, moved)
    assert view.status == "invalid"
    assert view.problem == "the signed bytes were changed or moved"
    assert verify_signature(project, signature).status == "valid"


def test_a_changed_meaning_or_name_fails(sign_in: Opener) -> None:
    project = sign_in(ANNOTATOR)
    roi = project.records.create("roi", {"label": "nodule"})
    signature = sign_records(
        project, [roi.record_id], "authored", password=ANNOTATOR[2], user_id="ann"
    )
    for change in (
        {"meaning": "approved"},
        {"printed_name": "Someone Else"},
        {"signed_at": "2020-01-01T00:00:00.000000+00:00"},
    ):
        forged = replace(signature, body={**signature.body, **change})
        assert verify_signature(project, forged).status == "invalid"


def test_signing_needs_the_role_and_the_right_password(sign_in: Opener) -> None:
    project = sign_in(ANNOTATOR)
    roi = project.records.create("roi", {"label": "nodule"})
    with pytest.raises(PermissionDeniedError):
        sign_records(
            project, [roi.record_id], "approved", password=ANNOTATOR[2], user_id="ann"
        )
    with pytest.raises(WrongPasswordError):
        sign_records(
            project, [roi.record_id], "authored", password="wrong one!!", user_id="ann"
        )
    with pytest.raises(SignatureError, match="unknown meaning"):
        sign_records(
            project, [roi.record_id], "liked", password=ANNOTATOR[2], user_id="ann"
        )
    assert project.audit.entries(action="sign_in.failed")
    assert project.records.current("signature") == []


def test_no_signing_while_a_record_has_open_conflicts(sign_in: Opener) -> None:
    project = sign_in(ANNOTATOR)
    first = project.records.create("code", {"llt": "1"})
    project.records.revise(first.record_id, {"llt": "2"})
    project.records.add_foreign(
        replace(
            first,
            revision_id="f0000000-0000-4000-8000-000000000002",
            supersedes=first.revision_id,
            body={"llt": "3"},
            workstation_id="ws-2",
        )
    )
    with pytest.raises(SignatureError, match="open conflicts"):
        sign_records(
            project, [first.record_id], "authored", password=ANNOTATOR[2], user_id="ann"
        )


def test_old_signatures_stay_valid_after_a_reset(team: Path) -> None:
    with open_project(team, user_id="ann", password=ANNOTATOR[2]) as project:
        roi = project.records.create("roi", {"label": "nodule"})
        sign_records(
            project, [roi.record_id], "authored", password=ANNOTATOR[2], user_id="ann"
        )
    with open_project(team, user_id="ada", password=ADMIN[2]) as project:
        accounts.reset_password(
            project,
            "ann",
            site_lead_id="lee",
            site_lead_password=LEAD[2],
            temporary_password="temporary password 9",
            reason="forgot",
        )
        [view] = describe_signatures(project, roi.record_id)
        assert view.status == "valid"
    with open_project(
        team,
        user_id="ann",
        password="temporary password 9",
        new_password="ann's fresh password",
    ) as project:
        other = project.records.create("roi", {"label": "mass"})
        sign_records(
            project,
            [other.record_id],
            "authored",
            password="ann's fresh password",
            user_id="ann",
        )
        assert describe_signatures(project, other.record_id)[0].status == "valid"
        assert describe_signatures(project, roi.record_id)[0].status == "valid"


def test_a_site_lead_co_signs_at_another_users_workstation(sign_in: Opener) -> None:
    project = sign_in(ANNOTATOR)
    roi = project.records.create("roi", {"label": "nodule"})
    sign_records(project, [roi.record_id], "approved", password=LEAD[2], user_id="lee")
    [view] = describe_signatures(project, roi.record_id)
    assert (view.signer_id, view.status) == ("lee", "valid")
