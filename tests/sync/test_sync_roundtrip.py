from __future__ import annotations

from collections.abc import Callable

from sync_support import Site

from storage.project import Project
from sync.ingest import ingest
from sync.workstation import device_keys, pseudonym_map, pull, push, status


def test_push_ingest_pull_carries_records_between_workstations(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    beta = workstation("ws-beta")
    roi = alpha.records.create("roi", {"label": "lesion", "points": [[1.5, 2.0]]})

    pushed = push(alpha, site.store)
    report = ingest(site.store, site.keys)
    pulled = pull(beta, site.store)

    assert (pushed.sequence, pushed.record_count) == (1, 1)
    assert report.accepted == [pushed.bundle_hash]
    assert pulled.applied == [pushed.bundle_hash]
    assert beta.records.head(roi.record_id).body == {
        "label": "lesion",
        "points": [[1.5, 2]],
    }
    assert status(beta).applied == {device_keys(alpha).key_id: 1}
    assert push(alpha, site.store).sequence == 0


def test_a_pulled_roi_finds_its_slice_through_the_pseudonym_map(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    beta = workstation("ws-beta")
    uid = "1.2.826.0.1.3680043.8.498.12345"
    roi = alpha.records.create("roi", {"label": "lesion", "sop_instance_uid": uid})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    pull(beta, site.store)

    pulled = beta.records.head(roi.record_id).body["sop_instance_uid"]
    assert pulled != uid
    assert pseudonym_map(beta, [uid, "1.2.3.4.5"])[pulled] == uid


def test_revising_a_pulled_roi_keeps_its_pseudonyms(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    beta = workstation("ws-beta")
    uid = "1.2.826.0.1.3680043.8.498.12345"
    roi = alpha.records.create("roi", {"label": "lesion", "sop_instance_uid": uid})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    pull(beta, site.store)
    pulled = beta.records.head(roi.record_id).body

    beta.records.revise(roi.record_id, {**pulled, "label": "cyst"})
    push(beta, site.store)
    ingest(site.store, site.keys)
    pull(alpha, site.store)

    assert alpha.records.head(roi.record_id).body == {
        "label": "cyst",
        "sop_instance_uid": pulled["sop_instance_uid"],
    }
