"""The site lead's side: set up a store, enrol and revoke keys, ingest the inbox.

Runs on the site lead's trusted machine with the store's key file; a
workstation never holds these keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from storage.progress import Progress
from sync.bundle import GENESIS, Bundle, read_bundle, unseal, verify_bundle
from sync.errors import BundleRefusedError, StoreError
from sync.keys import StoreKeys, raw_public, wrap_site_secret
from sync.roster import Roster, device_entry, read_roster, user_entry
from sync.stores import AcceptedBundle, Store
from sync.workstation import make_enrolment_package

logger = logging.getLogger(__name__)

FaultHook = Callable[[str], None]


def _no_fault(step: str) -> None:
    del step


def init_store(store: Store, keys: StoreKeys, *, now: datetime | None = None) -> Roster:
    """Publish the first (empty) roster of a new store."""
    if store.roster() is not None:
        raise StoreError("the store already has a roster", path=store.location)
    roster = Roster.first(keys, now=now)
    store.put_roster(roster.sign(keys), roster.version)
    return roster


def store_roster(store: Store, keys: StoreKeys) -> Roster:
    """Return the store's current roster, checked with the store's own roster key."""
    data = store.roster()
    if data is None:
        raise StoreError("the store has no roster; run store init", path=store.location)
    return read_roster(data, keys.roster.public_key(), path=store.location)


def publish(store: Store, keys: StoreKeys, roster: Roster) -> bytes:
    """Sign and publish a roster version; return the signed bytes."""
    signed = roster.sign(keys)
    store.put_roster(signed, roster.version)
    logger.info(
        "Published roster version %d (%d keys)", roster.version, len(roster.keys)
    )
    return signed


def enrol_device(
    store: Store,
    keys: StoreKeys,
    request: dict[str, Any],
    *,
    now: datetime | None = None,
) -> bytes:
    """Enrol a workstation's device key; return its enrolment package.

    The package holds the new signed roster, the store's roster public key
    (which the workstation pins) and the site secret wrapped to the device's
    X25519 key, so no secret travels in clear.
    """
    entry = device_entry(request)
    roster = store_roster(store, keys).with_key(entry, now=now)
    signed = publish(store, keys, roster)
    if entry.wrap_key is None:
        raise StoreError("the request has no wrap key", path=store.location)
    wrapped = wrap_site_secret(
        keys.site_secret,
        keys.site_id,
        entry.key_id,
        X25519PublicKey.from_public_bytes(entry.wrap_key),
    )
    return make_enrolment_package(
        signed, roster, raw_public(keys.roster.public_key()), wrapped, entry.name
    )


def enrol_user(
    store: Store,
    keys: StoreKeys,
    user_id: str,
    public_key: Ed25519PublicKey,
    *,
    now: datetime | None = None,
) -> Roster:
    """Enrol a user's Ed25519 signing key (signatures, countersignatures)."""
    roster = store_roster(store, keys).with_key(
        user_entry(user_id, public_key), now=now
    )
    publish(store, keys, roster)
    return roster


def revoke(
    store: Store,
    keys: StoreKeys,
    keyid: str,
    last_good_sequence: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> Roster:
    """Revoke a key: bundles after ``last_good_sequence`` are refused from now on."""
    if not reason.strip():
        raise StoreError("a revocation needs a reason", path=store.location)
    roster = store_roster(store, keys)
    matches = [k.key_id for k in roster.keys if k.key_id.startswith(keyid)]
    if len(matches) != 1:
        raise StoreError(f"{len(matches)} keys match {keyid!r}", path=store.location)
    roster = roster.with_revocation(matches[0], last_good_sequence, reason, now=now)
    publish(store, keys, roster)
    return roster


def renew(store: Store, keys: StoreKeys, *, now: datetime | None = None) -> Roster:
    """Publish the same roster with a fresh expiry."""
    roster = store_roster(store, keys).renewed(now=now)
    publish(store, keys, roster)
    return roster


@dataclass
class IngestReport:
    """What one ingest did.

    Attributes
    ----------
    accepted
        Bundle hashes accepted, in order.
    quarantined
        ``(inbox entry, reason)`` for each refused bundle.
    duplicates
        Inbox entries whose bundle was already accepted (taken out of the inbox).
    held
        ``(inbox entry, device, sequence, expected)`` left in the inbox for a gap.
    """

    accepted: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    held: list[tuple[str, str, int, int]] = field(default_factory=list)


@dataclass
class _Chain:
    """One device's accepted bundles: sequence -> hash, and the last audit count."""

    by_sequence: dict[int, str] = field(default_factory=dict)
    audit_count: int = 0

    @property
    def last(self) -> tuple[int, str]:
        if not self.by_sequence:
            return 0, GENESIS
        sequence = max(self.by_sequence)
        return sequence, self.by_sequence[sequence]


def ingest(
    store: Store,
    keys: StoreKeys,
    *,
    progress: Progress | None = None,
    fault: FaultHook = _no_fault,
) -> IngestReport:
    """Check every inbox bundle; accept it or quarantine it with its reason.

    Checks, in order: it decrypts for this site, its signatures come from
    enrolled keys not revoked for its sequence number, every file matches its
    SHA-256, and it follows the device's last accepted bundle (neither an
    older one presented as new nor a second bundle for a taken sequence
    number).  A bundle that skips ahead stays in the inbox until the missing
    one arrives.
    """
    roster = store_roster(store, keys)
    chains = _chains(store)
    report = IngestReport()
    waiting: list[tuple[str, Bundle, bytes]] = []
    entries = store.inbox()

    # Step 1: decrypt and check each bundle on its own.
    for number, entry in enumerate(entries):
        if progress is not None:
            progress.report(number, len(entries), "checking bundles")
        data = store.read_inbox(entry)
        try:
            plain = unseal(data, keys.site_id, keys.encryption, path=entry)
            bundle = verify_bundle(plain, roster, path=entry)
        except BundleRefusedError as error:
            fault("refused")
            store.quarantine(entry, data, error.reason, error.detail)
            report.quarantined.append((entry, error.reason))
            logger.warning("Quarantined bundle %s: %s", entry[:12], error.reason)
            continue
        waiting.append((entry, bundle, plain))
    waiting.sort(key=lambda w: (w[1].manifest.device_key_id, w[1].manifest.sequence))

    # Step 2: place them in each device's chain, repeating while one fits.
    progressed = True
    while waiting and progressed:
        progressed = False
        for item in list(waiting):
            outcome = _place(store, chains, item, report, fault)
            if outcome != "wait":
                waiting.remove(item)
                progressed = True
    for entry, bundle, _ in waiting:
        chain = chains.get(bundle.manifest.device_key_id, _Chain())
        report.held.append(
            (
                entry,
                bundle.manifest.device_key_id,
                bundle.manifest.sequence,
                chain.last[0] + 1,
            )
        )
    logger.info(
        "Ingest: %d accepted, %d quarantined, %d held",
        len(report.accepted),
        len(report.quarantined),
        len(report.held),
    )
    return report


def _chains(store: Store) -> dict[str, _Chain]:
    chains: dict[str, _Chain] = {}
    for accepted in store.accepted():
        chain = chains.setdefault(accepted.device_id, _Chain())
        chain.by_sequence[accepted.sequence] = accepted.bundle_hash
    for chain in chains.values():
        _, last_hash = chain.last
        manifest = read_bundle(store.read_accepted(last_hash)).manifest
        chain.audit_count = manifest.audit_head[0]
    return chains


def _place(
    store: Store,
    chains: dict[str, _Chain],
    item: tuple[str, Bundle, bytes],
    report: IngestReport,
    fault: FaultHook,
) -> str:
    entry, bundle, plain = item
    manifest = bundle.manifest
    chain = chains.setdefault(manifest.device_key_id, _Chain())
    last_sequence, last_hash = chain.last
    known = chain.by_sequence.get(manifest.sequence)

    reason = None
    if known == bundle.bundle_hash:
        store.drop_duplicate(entry)
        report.duplicates.append(entry)
        return "duplicate"
    if known is not None:
        reason = "fork" if manifest.sequence == last_sequence else "rollback"
        detail = f"sequence {manifest.sequence} is taken by {known[:12]}"
    elif manifest.sequence > last_sequence + 1:
        return "wait"
    elif manifest.previous_bundle_hash != last_hash:
        reason, detail = "fork", "previous bundle hash does not match"
    elif manifest.audit_head[0] < chain.audit_count:
        reason = "rollback"
        detail = f"audit head {manifest.audit_head[0]} is behind {chain.audit_count}"
    if reason is not None:
        fault("refused")
        store.quarantine(entry, store.read_inbox(entry), reason, detail)
        report.quarantined.append((entry, reason))
        logger.warning("Quarantined bundle %s: %s", entry[:12], reason)
        return "refused"

    fault("accepting")
    accepted = AcceptedBundle(
        bundle.bundle_hash, manifest.device_key_id, manifest.sequence
    )
    store.accept(entry, accepted, plain)
    chain.by_sequence[manifest.sequence] = bundle.bundle_hash
    chain.audit_count = manifest.audit_head[0]
    report.accepted.append(bundle.bundle_hash)
    return "accepted"
