from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sync_support import PASSWORD, Site, enrol, make_site, new_project

from storage.assets import get_asset
from storage.project import Project, open_project
from sync.bundle import build_bundle, read_bundle, seal, unseal
from sync.canonical import b64decode, b64encode, canonical_bytes
from sync.ingest import ingest, revoke
from sync.workstation import KIND, device_keys, load_state, pull, push


def _signed(site: Site, project: Project, bundle_hash: str) -> bytes:
    sealed = get_asset(project, KIND, "bundle", version=bundle_hash)
    assert sealed is not None
    return unseal(sealed, site.keys.site_id, site.keys.encryption)


def _reseal(site: Site, signed: bytes) -> bytes:
    return seal(signed, site.keys.site_id, site.keys.encryption.public_key())


def _assert_nothing_applied(site: Site, observer: Project, count: int) -> None:
    assert len(site.store.accepted()) == count
    before = len(observer.records.since(0))
    pull(observer, site.store)
    assert len(observer.records.current("roi")) == 0
    assert len(observer.records.since(0)) == before


@pytest.fixture
def pair(workstation: Callable[[str], Project]) -> tuple[Project, Project]:
    return workstation("ws-alpha"), workstation("ws-observer")


def test_a_changed_byte_in_a_file_is_a_hash_mismatch(
    site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("roi", {"label": "lesion"})
    pushed = push(alpha, site.store)
    (site.store.root / "inbox" / f"{pushed.entry}.sealed").unlink()
    document = json.loads(_signed(site, alpha, pushed.bundle_hash))
    content = bytearray(b64decode(document["files"]["revisions.json"]))
    content[content.index(b"lesion")] = ord("L")
    document["files"]["revisions.json"] = b64encode(bytes(content))
    site.store.put_inbox(_reseal(site, canonical_bytes(document)))

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["hash_mismatch"]
    assert [q.reason for q in site.store.quarantined()] == ["hash_mismatch"]
    _assert_nothing_applied(site, observer, 0)


def test_a_changed_byte_in_the_manifest_breaks_the_signature(
    site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("roi", {"label": "lesion"})
    pushed = push(alpha, site.store)
    (site.store.root / "inbox" / f"{pushed.entry}.sealed").unlink()
    document = json.loads(_signed(site, alpha, pushed.bundle_hash))
    payload = b64decode(document["envelope"]["payload"]).replace(
        b'"record_count":1', b'"record_count":2'
    )
    document["envelope"]["payload"] = b64encode(payload)
    site.store.put_inbox(_reseal(site, canonical_bytes(document)))

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["bad_signature"]
    _assert_nothing_applied(site, observer, 0)


def test_a_changed_byte_in_the_sealed_file_does_not_decrypt(
    site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("roi", {"label": "lesion"})
    pushed = push(alpha, site.store)
    path = site.store.root / "inbox" / f"{pushed.entry}.sealed"
    data = bytearray(path.read_bytes())
    path.unlink()
    data[-20] ^= 0x01
    site.store.put_inbox(bytes(data))

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["undecryptable"]
    _assert_nothing_applied(site, observer, 0)


def test_a_bundle_sealed_to_another_key_does_not_decrypt(
    site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("roi", {"label": "lesion"})
    pushed = push(alpha, site.store)
    (site.store.root / "inbox" / f"{pushed.entry}.sealed").unlink()
    other = X25519PrivateKey.generate().public_key()
    signed = _signed(site, alpha, pushed.bundle_hash)
    site.store.put_inbox(seal(signed, site.keys.site_id, other))

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["undecryptable"]
    _assert_nothing_applied(site, observer, 0)


def test_an_unknown_signer_is_refused(
    site: Site, pair: tuple[Project, Project]
) -> None:
    _, observer = pair
    stranger = Ed25519PrivateKey.generate()
    row = {
        "revision_id": "5d2c6a55-0d6e-4a57-8f0b-2c1b3f0e9a01",
        "record_id": "5d2c6a55-0d6e-4a57-8f0b-2c1b3f0e9a02",
        "record_type": "roi",
        "item_id": None,
        "supersedes": None,
        "author": "intruder",
        "workstation_id": "ws-alpha",
        "created_at": "2026-12-03T17:40:00.000000+00:00",
        "reason": None,
        "is_deleted": False,
        "body": {"label": "lesion"},
        "resolves": [],
    }
    bundle = build_bundle(
        [row],
        site_id="site-a",
        device_id="ws-alpha",
        device_key=stranger,
        sequence=1,
        previous_bundle_hash="0" * 64,
        audit_head=(1, "0" * 64),
        created_at=row["created_at"],
    )
    site.store.put_inbox(_reseal(site, bundle.to_bytes()))

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["unknown_signer"]
    _assert_nothing_applied(site, observer, 0)


def test_a_revoked_signer_is_refused_after_its_last_good_sequence(
    site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("label_set", {"labels": []})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    revoke(site.store, site.keys, device_keys(alpha).key_id, 1, "laptop stolen")
    alpha.records.create("roi", {"label": "lesion"})
    push(alpha, site.store)

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["revoked_signer"]
    _assert_nothing_applied(site, observer, 1)


def _backup(project: Project, target: Path) -> None:
    shutil.copytree(project.folder, target)


def test_an_older_state_presented_as_new_is_a_rollback(
    tmp_path: Path, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("label_set", {"labels": []})
    push(alpha, site.store)
    _backup(alpha, tmp_path / "backup")
    for label in ("one", "two"):
        alpha.records.create("label_set", {"labels": [label]})
        push(alpha, site.store)
    ingest(site.store, site.keys)

    # The workstation restored from the backup makes its own bundle 2.
    with open_project(
        tmp_path / "backup",
        user_id="reader1",
        password=PASSWORD,
        workstation="ws-alpha",
    ) as restored:
        restored.records.create("roi", {"label": "lesion"})
        push(restored, site.store)
    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["rollback"]
    _assert_nothing_applied(site, observer, 3)


def test_two_bundles_with_one_sequence_number_are_a_fork(
    tmp_path: Path, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("label_set", {"labels": []})
    push(alpha, site.store)
    ingest(site.store, site.keys)
    _backup(alpha, tmp_path / "twin")
    alpha.records.create("label_set", {"labels": ["one"]})
    first = push(alpha, site.store)
    with open_project(
        tmp_path / "twin", user_id="reader1", password=PASSWORD, workstation="ws-alpha"
    ) as twin:
        twin.records.create("roi", {"label": "lesion"})
        second = push(twin, site.store)

    report = ingest(site.store, site.keys)

    assert first.sequence == second.sequence == 2
    assert len(report.accepted) == 1
    assert [reason for _, reason in report.quarantined] == ["fork"]
    _assert_nothing_applied(site, observer, 2)


def test_a_bundle_for_another_site_is_refused(
    tmp_path: Path, site: Site, pair: tuple[Project, Project]
) -> None:
    _, observer = pair
    other = make_site(tmp_path / "other-store", "site-b")
    with new_project(tmp_path / "bravo", workstation="ws-bravo") as bravo:
        enrol(bravo, other)
        bravo.records.create("roi", {"label": "lesion"})
        pushed = push(bravo, other.store)
    sealed = (other.store.root / "inbox" / f"{pushed.entry}.sealed").read_bytes()
    site.store.put_inbox(sealed)

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["wrong_site"]
    _assert_nothing_applied(site, observer, 0)


def test_a_signed_bundle_naming_another_site_is_refused(
    tmp_path: Path, site: Site, pair: tuple[Project, Project]
) -> None:
    alpha, observer = pair
    alpha.records.create("roi", {"label": "lesion"})
    pushed = push(alpha, site.store)
    (site.store.root / "inbox" / f"{pushed.entry}.sealed").unlink()
    bundle = read_bundle(_signed(site, alpha, pushed.bundle_hash))
    forged = build_bundle(
        json.loads(bundle.files["revisions.json"]),
        site_id="site-b",
        device_id="ws-alpha",
        device_key=device_keys(alpha).signing,
        sequence=1,
        previous_bundle_hash="0" * 64,
        audit_head=bundle.manifest.audit_head,
        created_at=bundle.manifest.created_at,
    )
    site.store.put_inbox(_reseal(site, forged.to_bytes()))

    report = ingest(site.store, site.keys)

    assert [reason for _, reason in report.quarantined] == ["wrong_site"]
    assert load_state(alpha).sequence == 1
    _assert_nothing_applied(site, observer, 0)
