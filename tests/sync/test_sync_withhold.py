"""A refused revision is withheld with a reason and travels as a stub."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pydicom
import pytest
from sync_support import PASSWORD, Site

from storage import accounts
from storage.assets import get_asset
from storage.errors import PermissionDeniedError
from storage.project import Project, open_project
from sync.bundle import read_bundle, unseal
from sync.canonical import sha256_hex
from sync.deidentify import SharingPolicy, patient_strings_from_dicom
from sync.errors import IdentifierFoundError, WithholdError
from sync.ingest import ingest
from sync.withhold import is_stub, stub_digest
from sync.workstation import (
    KIND,
    pull,
    push,
    remember_patient_strings,
    set_sharing_policy,
    status,
    withhold,
)

PLANTED_NAME = "Yamada^Taro"
NOTE = "compare with Yamada Taro's prior"
REASON = "the patient's name was typed into the note"


def _planted_slice(dicom_data: Path, folder: Path) -> Path:
    """A real Philips CT slice with a patient name planted in it."""
    dataset = pydicom.dcmread(dicom_data / "ct_philips_5mm_28" / "I10")
    dataset.PatientName = PLANTED_NAME
    path = folder / "I10"
    dataset.save_as(path)
    return path


@pytest.fixture
def alpha(
    workstation: Callable[[str], Project], dicom_data: Path, tmp_path: Path
) -> Project:
    project = workstation("ws-alpha")
    set_sharing_policy(project, SharingPolicy(share_text=True))
    path = _planted_slice(dicom_data, tmp_path)
    remember_patient_strings(project, patient_strings_from_dicom(path))
    return project


def _bundle_text(site: Site, project: Project, bundle_hash: str) -> str:
    sealed = get_asset(project, KIND, "bundle", version=bundle_hash)
    assert sealed is not None
    bundle = read_bundle(unseal(sealed, site.keys.site_id, site.keys.encryption))
    return " ".join(content.decode("utf-8") for content in bundle.files.values())


def test_a_withheld_revision_travels_as_a_stub_and_unblocks_the_push(
    site: Site, workstation: Callable[[str], Project], alpha: Project
) -> None:
    beta = workstation("ws-beta")
    roi = alpha.records.create("roi", {"label": "nodule", "note": NOTE})
    with pytest.raises(IdentifierFoundError) as refused:
        push(alpha, site.store)
    assert refused.value.fields["field"] == "body.note"
    assert refused.value.fields["revision"] == roi.revision_id

    # Revising the note alone does not help: the refused revision is unsent.
    revised = alpha.records.revise(
        roi.record_id, {"label": "nodule", "note": "compare with the prior CT"}
    )
    with pytest.raises(IdentifierFoundError):
        push(alpha, site.store)
    held = withhold(alpha, roi.revision_id, reason=REASON)
    pushed = push(alpha, site.store)

    assert (pushed.sequence, pushed.record_count) == (1, 2)
    text = _bundle_text(site, alpha, pushed.bundle_hash).lower()
    for trace in ("yamada", "taro", REASON.lower(), "typed"):
        assert trace not in text
    assert held.record_type == "withheld"
    assert status(alpha).unsent == 0

    assert len(ingest(site.store, site.keys).accepted) == 1
    assert pull(beta, site.store).added == 2
    assert beta.records.head(roi.record_id).body == revised.body
    stub, current = beta.records.history(roi.record_id)
    assert is_stub(stub)
    assert (stub.revision_id, stub.author, stub.created_at, stub.reason) == (
        roi.revision_id,
        roi.author,
        roi.created_at,
        None,
    )
    assert stub_digest(stub) == sha256_hex(roi.canonical_bytes())
    assert stub.body["withheld"]["withheld_by"] == "reader1"
    assert current.supersedes == roi.revision_id
    assert beta.records.current("withheld") == []

    # The reason is audited here, with the revision it withholds.
    [entry] = [
        e
        for e in alpha.audit.entries()
        if e.action == "record.create" and e.record_type == "withheld"
    ]
    assert entry.reason == REASON
    assert json.loads(entry.new_value or "{}")["revision_id"] == roi.revision_id


def test_withholding_needs_a_reason_a_sent_revision_and_not_the_current_state(
    site: Site, alpha: Project
) -> None:
    sent = alpha.records.create("roi", {"label": "cyst"})
    push(alpha, site.store)
    alpha.records.revise(sent.record_id, {"label": "cyst", "note": "rim"})
    roi = alpha.records.create("roi", {"label": "nodule", "note": NOTE})

    problems = {}
    for revision, reason in (
        (roi.revision_id, " "),
        (roi.revision_id, REASON),
        (sent.revision_id, REASON),
        ("no-such-revision", REASON),
    ):
        with pytest.raises(WithholdError) as refused:
            withhold(alpha, revision, reason=reason)
        problems[revision + reason] = refused.value.fields["problem"]

    assert list(problems.values()) == [
        "a reason is needed",
        "it is the current state of its record",
        "it was not made here or is already in a bundle",
        "there is no such revision",
    ]
    deleted = alpha.records.delete(roi.record_id)
    withhold(alpha, roi.revision_id, reason=REASON)
    withhold(alpha, deleted.revision_id, reason=REASON)
    assert push(alpha, site.store).record_count == 3


def test_only_the_author_or_a_site_lead_withholds(
    site: Site, alpha: Project, tmp_path: Path
) -> None:
    roi = alpha.records.create("roi", {"label": "nodule", "note": NOTE})
    alpha.records.revise(roi.record_id, {"label": "nodule"})
    accounts.add_user(
        alpha,
        "annotator2",
        "Annotator Two",
        ["annotator"],
        PASSWORD,
        must_change_password=False,
    )
    folder = alpha.folder
    alpha.close()

    with open_project(
        folder, user_id="annotator2", password=PASSWORD, workstation="ws-alpha"
    ) as other:
        with pytest.raises(PermissionDeniedError):
            withhold(other, roi.revision_id, reason=REASON)
        assert other.records.current("withheld") == []
