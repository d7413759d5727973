from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sync_support import Site, make_site, new_project

from storage.assets import get_asset
from storage.project import Project
from sync.bundle import countersign, read_bundle, seal, unseal
from sync.errors import (
    BundleRefusedError,
    NotEnrolledError,
    RosterExpiredError,
    StoreError,
    StoreKeyError,
)
from sync.ingest import enrol_device, enrol_user, ingest, renew
from sync.keys import StoreKeys
from sync.roster import utc_now
from sync.stores import write_once
from sync.workstation import (
    KIND,
    current_roster,
    device_keys,
    enrolment_request,
    join,
    pull,
    push,
    status,
)


def test_an_expired_roster_stops_signing_until_the_workstation_syncs(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    alpha.records.create("roi", {"label": "lesion"})
    later = utc_now() + timedelta(days=31)

    with pytest.raises(RosterExpiredError):
        push(alpha, site.store, now=later)
    assert status(alpha, now=later).is_roster_expired
    assert site.store.inbox() == []

    renewed = renew(site.store, site.keys, now=later - timedelta(hours=1))
    pushed = push(alpha, site.store, now=later)  # the push takes the new roster

    assert pushed.sequence == 1
    assert current_roster(alpha).version == renewed.version


def test_a_roster_not_signed_by_the_pinned_key_is_ignored(
    tmp_path: Path, site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    version = current_roster(alpha).version
    impostor = make_site(tmp_path / "impostor", "site-a")
    site.store.put_roster(impostor.store.roster() or b"", 99)
    with pytest.raises(BundleRefusedError) as refused:
        pull(alpha, site.store)
    assert refused.value.reason == "roster"
    assert current_roster(alpha).version == version


def test_a_site_lead_countersignature_is_accepted_an_unknown_one_is_not(
    site: Site, workstation: Callable[[str], Project]
) -> None:
    alpha = workstation("ws-alpha")
    lead_key, stranger = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    enrol_user(site.store, site.keys, "lead1", lead_key.public_key())
    for key in (lead_key, stranger):
        alpha.records.create("roi", {"label": "lesion"})
        pushed = push(alpha, site.store)
        path = site.store.root / "inbox" / f"{pushed.entry}.sealed"
        sealed = get_asset(alpha, KIND, "bundle", version=pushed.bundle_hash)
        assert sealed is not None
        signed = unseal(sealed, "site-a", site.keys.encryption)
        both = countersign(read_bundle(signed), key).to_bytes()
        path.unlink()
        site.store.put_inbox(seal(both, "site-a", site.keys.encryption.public_key()))

    report = ingest(site.store, site.keys)

    assert len(report.accepted) == 1
    assert [reason for _, reason in report.quarantined] == ["unknown_signer"]
    accepted = read_bundle(site.store.read_accepted(report.accepted[0]))
    assert len(accepted.envelope.signatures) == 2


def test_a_quarantined_bundle_released_after_enrolment_is_accepted(
    tmp_path: Path, site: Site
) -> None:
    # A workstation enrolled at a site whose roster was later replaced (key
    # unknown to the store) pushes; the site lead enrols it and releases.
    with new_project(tmp_path / "late", workstation="ws-late") as late:
        other = make_site(tmp_path / "old-store", "site-a")
        join(late, enrol_device(other.store, other.keys, enrolment_request(late)))
        late.records.create("roi", {"label": "lesion"})
        pushed = push(late, other.store)
        sealed = get_asset(late, KIND, "bundle", version=pushed.bundle_hash)
        assert sealed is not None
        signed = unseal(sealed, "site-a", other.keys.encryption)
        entry = site.store.put_inbox(
            seal(signed, "site-a", site.keys.encryption.public_key())
        )
        assert ingest(site.store, site.keys).quarantined == [(entry, "unknown_signer")]

        enrol_device(site.store, site.keys, enrolment_request(late))
        site.store.decide(entry, "released", "enrolled after the fact", "lead1")
        report = ingest(site.store, site.keys)

    assert report.accepted == [pushed.bundle_hash]
    (kept,) = site.store.quarantined()
    assert (kept.reason, kept.decision) == ("unknown_signer", "released")
    with pytest.raises(StoreError):
        site.store.decide(entry, "rejected", " ", "lead1")


def test_an_enrolment_package_for_another_device_is_refused(
    tmp_path: Path, site: Site
) -> None:
    with (
        new_project(tmp_path / "one", workstation="ws-one") as one,
        new_project(tmp_path / "two", workstation="ws-two") as two,
    ):
        package = enrol_device(site.store, site.keys, enrolment_request(one))
        with pytest.raises(NotEnrolledError):
            join(two, package)
        assert device_keys(two).key_id != device_keys(one).key_id


def test_the_store_key_file_needs_its_passphrase(tmp_path: Path) -> None:
    keys = StoreKeys.generate("site-a")
    keys.save(tmp_path / "store.keys", "right")
    assert StoreKeys.load(tmp_path / "store.keys", "right").site_secret == (
        keys.site_secret
    )
    with pytest.raises(StoreKeyError):
        StoreKeys.load(tmp_path / "store.keys", "wrong")
    with pytest.raises(FileExistsError):
        keys.save(tmp_path / "store.keys", "right")


def test_a_store_file_is_written_once(tmp_path: Path) -> None:
    assert write_once(tmp_path / "a", b"one")
    assert not write_once(tmp_path / "a", b"one")
    with pytest.raises(StoreError):
        write_once(tmp_path / "a", b"two")
    assert (tmp_path / "a").read_bytes() == b"one"
    assert [p.name for p in tmp_path.iterdir()] == ["a"]
